/**
 * Seamless loop without re-encoding vs a decode + encode loop, same clip, same output
 * duration: CPU time (user + system, all threads, from /proc/self/stat) of each, and the
 * ratio. `deno run -A bench/loop.ts [--loops 5]` (reading `/proc/self/stat` needs `-A`;
 * Linux only).
 *
 * - copy: `flist` + {@link LoopStamper} (the `loop:` option of `pushStream`), AVC + AAC
 *   packets copied to an MP4;
 * - transcode: `flist:raw=av` (GPAC decodes the clip) then `ffenc` AVC + AAC to an MP4.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { FilterSession } from "../mod.ts";
import { loopSource } from "../push/mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { loops: { type: "string", default: "5" } },
});
const LOOPS = Number(values.loops);
if (!Number.isInteger(LOOPS) || LOOPS < 2 || LOOPS > 100) {
  throw new RangeError(`--loops must be an integer in 2..100, got ${values.loops}`);
}

/** CPU seconds used by this process so far (user + system, every thread). */
function cpu(): number {
  const f = Deno.readTextFileSync("/proc/self/stat");
  const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

function timed(name: string, fn: () => void): number {
  const c0 = cpu();
  const t0 = performance.now();
  fn();
  const c = cpu() - c0;
  console.log(
    `${name}: ${c.toFixed(2)} s CPU, ${((performance.now() - t0) / 1000).toFixed(2)} s wall`,
  );
  return c;
}

const dir = Deno.makeTempDirSync({ prefix: "deno-gpac-bench-loop-" });
try {
  const clip = `${dir}/clip.mp4`;
  {
    using fs = new FilterSession();
    fs.loadSrc("avgen:dur=2");
    fs.load("ffenc:c=avc:fintra=1");
    fs.load("ffenc:c=aac");
    fs.loadDst(clip);
    fs.run();
  }
  console.log(`clip: 2 s 1280x720 AVC + AAC, looped ${LOOPS} times (${2 * LOOPS} s out)`);
  const copy = timed("copy loop (flist + LoopStamper)", () => {
    using fs = new FilterSession();
    fs.loadDst(`${dir}/copy.mp4`).setSource(loopSource(fs, clip, { loops: LOOPS }));
    fs.run();
  });
  const enc = timed("decode + encode loop (flist:raw=av + ffenc)", () => {
    using fs = new FilterSession();
    const list = fs.load(`flist:srcs=${clip}:floop=${LOOPS - 1}:raw=av`);
    const v = fs.load("ffenc:c=avc:fintra=1");
    v.setSource(list, "#StreamType=Visual");
    const a = fs.load("ffenc:c=aac");
    a.setSource(list, "#StreamType=Audio");
    const out = fs.loadDst(`${dir}/enc.mp4`);
    out.setSource(v);
    out.setSource(a);
    fs.run();
  });
  console.log(`ratio: the copy loop uses ${(enc / Math.max(copy, 0.01)).toFixed(1)}x less CPU`);
} finally {
  Deno.removeSync(dir, { recursive: true });
}
