/**
 * Paced pushes to streaming servers and files, and seamless loops without re-encoding: {@link pushStream}. Entry point `@deno-gpac/gpac/push`.
 *
 * @module
 */

export {
  Pusher,
  type PushOptions,
  type PushSource,
  pushStream,
  type PushSummary,
} from "./pusher.ts";
export { PushMeter, type PushMeterOptions, type PushStats } from "./stats.ts";
export {
  checkLoops,
  type ClipInfo,
  type ClipTrack,
  type LoopOptions,
  loopSource,
  LoopStamper,
  probeClip,
} from "./loop.ts";
export {
  type FrameFormat,
  FrameQueue,
  type FrameQueueOptions,
  type QueuedFrame,
} from "./frames.ts";
export { PushError, UnsupportedProtocolError } from "./errors.ts";
