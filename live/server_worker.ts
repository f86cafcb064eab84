/**
 * Runs a {@link LiveServer} in a Web Worker, so that HTTP requests are answered on their own
 * thread and event loop while the main thread runs the GPAC session (which keeps the JS thread
 * inside libgpac most of the time). Markers reach the worker as messages (memory store) or
 * straight from Redis.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { type Marker, type MarkerStore, MemoryMarkerStore, RedisMarkerStore } from "./markers.ts";
import { LiveServer } from "./server.ts";

/** Messages from the stream to the worker. */
export type ToServerWorker =
  | {
    type: "init";
    dir: string;
    port: number;
    host: string;
    hls: string | null;
    dash: string | null;
    info: Record<string, unknown>;
    redis: string | null;
    key?: string;
  }
  | { type: "marker"; marker: Marker }
  | { type: "info"; info: Record<string, unknown> }
  | { type: "close" };

/** Messages from the worker to the stream. */
export type FromServerWorker =
  | { type: "ready"; urls: LiveServer["urls"] }
  | { type: "error"; message: string }
  | { type: "closed" };

let server: LiveServer | null = null;
let store: MarkerStore | null = null;
let mirror: MemoryMarkerStore | null = null;
let info: Record<string, unknown> = {};
const post = (m: FromServerWorker) => self.postMessage(m);

self.onmessage = async (e: MessageEvent<ToServerWorker>) => {
  const m = e.data;
  try {
    switch (m.type) {
      case "init": {
        info = m.info;
        if (m.redis) store = await RedisMarkerStore.connect(m.redis, m.key);
        else store = mirror = new MemoryMarkerStore();
        server = new LiveServer(m.dir, store, {
          port: m.port,
          host: m.host,
          hls: m.hls,
          dash: m.dash,
          info: () => info,
        });
        post({ type: "ready", urls: server.urls });
        break;
      }
      case "marker":
        mirror?.insert(m.marker);
        break;
      case "info":
        info = m.info;
        break;
      case "close":
        await server?.close();
        await store?.close();
        post({ type: "closed" });
        self.close();
        break;
    }
  } catch (err) {
    post({ type: "error", message: (err as Error)?.message ?? String(err) });
  }
};
