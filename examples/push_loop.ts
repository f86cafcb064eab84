/**
 * Loops a generated clip 3 times without re-encoding and "pushes" it in real time, printing
 * the live statistics (media time sent, wall time, lead, bytes/s).
 *
 * By default the destination is a temporary MP4 file (no server needed, ~6 s). Give `--dst`
 * to push elsewhere, e.g. GPAC's RTSP server that players pull from:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/push_loop.ts
 * deno run --allow-ffi --allow-env --allow-read --allow-write --allow-net \
 *   examples/push_loop.ts --dst rtsp://127.0.0.1:8554/live.sdp --loops 0   # 0: forever
 * # then: ffplay rtsp://127.0.0.1:8554/live.sdp (Ctrl-C stops the push cleanly)
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { FilterSession, interruptSignal } from "../mod.ts";
import { pushStream } from "../push/mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    dst: { type: "string" },
    loops: { type: "string", default: "3" },
  },
});
const dir = Deno.makeTempDirSync({ prefix: "push-loop-" });
const clip = `${dir}/clip.mp4`;
{
  // a 2 s clip: AVC video + AAC audio, encoded once
  using fs = new FilterSession();
  fs.loadSrc("avgen:dur=2");
  fs.load("ffenc:c=avc:fintra=1");
  fs.load("ffenc:c=aac");
  fs.loadDst(clip);
  fs.run();
}
const dst = opts.dst ?? `${dir}/looped.mp4`;
const loops = Number(opts.loops) === 0 ? Infinity : Number(opts.loops);

using ctrlC = interruptSignal();
const pusher = pushStream(clip, dst, {
  loop: loops,
  realtime: true,
  window: 300,
  signal: ctrlC.signal,
  statsInterval: 500,
});
for await (const s of pusher) {
  console.log(
    `loop ${s.loop + 1}: media ${s.mediaTime.toFixed(2)} s, wall ${s.wallTime.toFixed(2)} s, ` +
      `lead ${(s.lead * 1000).toFixed(0)} ms, ${(s.bytesPerSecond / 1000).toFixed(0)} kB/s, ` +
      `${s.framesSent} frames`,
  );
}
const sum = await pusher.done;
console.log(`ended by ${sum.endedBy}: ${sum.stats.framesSent} frames to ${dst}`);
if (!opts.dst) Deno.removeSync(dir, { recursive: true });
