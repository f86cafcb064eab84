/**
 * Live HLS/DASH from frames made in TypeScript, with timeline markers: {@link LiveStream}, marker stores and the server. Entry point `@deno-gpac/gpac/live`.
 *
 * @module
 */

export {
  type LiveFrame,
  type LiveOutput,
  LiveStream,
  type LiveStreamOptions,
  type LiveUrls,
} from "./stream.ts";
export {
  type Marker,
  type MarkerStore,
  MemoryMarkerStore,
  openMarkerStore,
  RedisMarkerStore,
} from "./markers.ts";
export { LiveServer, type LiveServerConfig, type LiveServerOptions } from "./server.ts";
