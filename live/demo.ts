/**
 * `deno task live`: a moving checkerboard drawn in TypeScript, encoded live to HLS and DASH and
 * served with a player page. Every few seconds a square turns mint and a marker is added on that
 * frame. Runs until Ctrl-C, or `--duration S` seconds.
 *
 * ```sh
 * deno task live                       # http://127.0.0.1:8080/
 * deno task live --duration 20 --port 0 --size 640x360 --low-latency
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { interruptSignal } from "../mod.ts";
import { Checkerboard } from "./checkerboard.ts";
import { LiveStream } from "./stream.ts";

const { values: o } = parseArgs({
  args: Deno.args,
  options: {
    duration: { type: "string" },
    port: { type: "string", default: "8080" },
    host: { type: "string", default: "127.0.0.1" },
    size: { type: "string", default: "1280x720" },
    fps: { type: "string", default: "25" },
    every: { type: "string", default: "4" },
    "segment-duration": { type: "string", default: "2" },
    window: { type: "string", default: "60" },
    "low-latency": { type: "boolean", default: false },
    markers: { type: "string" },
    dir: { type: "string" },
  },
});

const duration = o.duration === undefined ? Infinity : Number(o.duration);
if (!(duration > 0)) throw new RangeError(`--duration must be > 0 seconds, got ${o.duration}`);
const m = /^(\d+)x(\d+)$/.exec(o.size);
if (!m) throw new RangeError(`--size must be WIDTHxHEIGHT, got ${o.size}`);
const [width, height] = [Number(m[1]), Number(m[2])];
const fps = Number(o.fps);

using stop = interruptSignal();
await using live = new LiveStream({
  width,
  height,
  fps,
  segmentDuration: Number(o["segment-duration"]),
  window: Number(o.window),
  lowLatency: o["low-latency"],
  markers: o.markers,
  dir: o.dir,
  serve: { port: Number(o.port), host: o.host },
});
await live.ready;
console.log(`live: ${live.urls.page}  (HLS ${live.urls.hls}, DASH ${live.urls.dash})`);
console.log(o.duration ? `streaming for ${duration} s` : "streaming until Ctrl-C");

const board = new Checkerboard(width, height, fps, Number(o.every));
let count = 0;
for (let n = 0; n / fps < duration && !stop.signal.aborted; n++) {
  const ev = board.draw(n);
  await live.pushFrame(board.frame, n / fps);
  if (ev) {
    const mk = await live.marker(`square ${ev.col},${ev.row} turned mint`, n / fps, {
      frame: n,
      ...ev,
    });
    count++;
    console.log(`marker ${mk.id} at ${mk.time.toFixed(2)} s: ${mk.text}`);
  }
}
console.log(`${count} markers; closing (playlists finalized)`);
