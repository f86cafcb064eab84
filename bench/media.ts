/**
 * `MediaWriter` / `MediaReader` against the `gpac` CLI, in one run: `deno task bench:media`.
 *
 * 1. Encode: `--frames` 1280x720 RGB frames to H.264 (libx264 via `ffenc`, 4:2:0, same
 *    options) in MP4. The CLI reads them from a raw `.rgb` file; `MediaWriter` gets the same
 *    frames from memory, one `writeVideoChunk` per frame. Prints frames/s of both and the ratio.
 * 2. Decode: an H.264 720p MP4 of `--decode-frames` frames (the same frames, cycled, encoded by
 *    `MediaWriter`), decoded to packed RGB. The CLI decodes, converts with `ffsws:ofmt=rgb` and
 *    drops the frames in a null output (`-o null`); `MediaReader.video({ format: "rgb24" })`
 *    runs the same filters and yields the frames to TS (no copy). `--reps` runs of each,
 *    interleaved; the CLI time includes its process start, the reader's includes opening the
 *    file (probe + session). Clips of a few seconds measure opening more than decoding.
 * 3. Memory: RSS sampled while `MediaWriter` encodes `--rss-seconds` of 720p (frames drawn in
 *    TS), printed at each tenth of the run: flat when the back-pressure bounds the queues.
 *
 * Options: `--frames N` (encode, default 100), `--decode-frames N` (default 750: 30 s),
 * `--reps N` (decode, default 3), `--rss-seconds S` (media seconds, default 60; the issue's
 * figure is 600), `--gpac PATH` (the CLI, default /opt/gpac/bin/gpac; `LD_LIBRARY_PATH` is set
 * to its `../lib`), `--only encode,decode,rss` (default all).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { MediaReader, MediaWriter } from "../media/mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    frames: { type: "string", default: "100" },
    "decode-frames": { type: "string", default: "750" },
    reps: { type: "string", default: "3" },
    "rss-seconds": { type: "string", default: "60" },
    only: { type: "string", default: "encode,decode,rss" },
    gpac: { type: "string", default: "/opt/gpac/bin/gpac" },
  },
});
const N = Math.max(10, Number(opts.frames));
const DEC_N = Math.max(10, Number(opts["decode-frames"]));
const REPS = Math.max(1, Number(opts.reps));
const RSS_SECONDS = Math.max(5, Number(opts["rss-seconds"]));
const ONLY = new Set(opts.only.split(","));
const W = 1280;
const H = 720;
const FPS = 25;
const FRAME = W * H * 3;
const ENC = { preset: "veryfast" };
const tmp = await Deno.makeTempDir({ prefix: "deno-gpac-bench-media-" });
const gpacLib = opts.gpac.replace(/\/bin\/gpac$/, "/lib");

function draw(buf: Uint8Array, i: number): void {
  for (let o = 0, p = 0; o < buf.length; o += 3, p++) {
    const x = p % W;
    const t = (x + ((p / W) | 0) + i * 4) & 255;
    buf[o] = t;
    buf[o + 1] = (t * 3) & 255;
    buf[o + 2] = 255 - t;
  }
}

async function cli(args: string[]): Promise<number> {
  const t0 = performance.now();
  const r = await new Deno.Command(opts.gpac, {
    args,
    env: { LD_LIBRARY_PATH: gpacLib },
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!r.success) throw new Error(`gpac ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
  return performance.now() - t0;
}

// the frames, in memory and as a raw file for the CLI
const frames = new Uint8Array(FRAME * N);
for (let i = 0; i < N; i++) draw(frames.subarray(i * FRAME, (i + 1) * FRAME), i);
const raw = `${tmp}/in.rgb`;
Deno.writeFileSync(raw, frames);

const tsOut = `${tmp}/ts.mp4`;
// /proc needs more than --allow-read: ask `uptime` (--allow-run)
const load = () => {
  try {
    const out = new Deno.Command("uptime", { stdout: "piped", stderr: "null" }).outputSync();
    return new TextDecoder().decode(out.stdout).replace(/^.*load average:\s*/, "").trim();
  } catch {
    return "unknown";
  }
};
console.log(`load average: ${load()} (other jobs share the CPUs: compare within this run)`);

// 1. encode
if (ONLY.has("encode")) {
  const cliOut = `${tmp}/cli.mp4`;
  const cliMs = await cli([
    "-i",
    `${raw}:size=${W}x${H}:spfmt=rgb:fps=${FPS}`,
    `ffenc:c=avc:pfmt=yuv420:preset=${ENC.preset}`,
    "-o",
    cliOut,
  ]);
  const t0 = performance.now();
  {
    await using w = new MediaWriter(tsOut);
    const v = w.addVideoStream({ fps: FPS, width: W, height: H, encoderOptions: ENC });
    for (let i = 0; i < N; i++) {
      await w.writeVideoChunk(v, frames.subarray(i * FRAME, (i + 1) * FRAME));
    }
  }
  const tsMs = performance.now() - t0;
  const fpsCli = (N * 1000) / cliMs;
  const fpsTs = (N * 1000) / tsMs;
  console.log(`1. encode ${N} frames 720p RGB -> H.264 MP4`);
  console.log(`   gpac CLI from a raw file : ${fpsCli.toFixed(1)} frames/s`);
  console.log(`   MediaWriter from memory  : ${fpsTs.toFixed(1)} frames/s`);
  console.log(`   ratio MediaWriter / CLI  : ${(fpsTs / fpsCli).toFixed(2)}x (goal >= 0.9)`);
}

// 2. decode
if (ONLY.has("decode")) {
  const clip = `${tmp}/decode.mp4`;
  {
    await using w = new MediaWriter(clip);
    const v = w.addVideoStream({ fps: FPS, width: W, height: H, encoderOptions: ENC });
    for (let i = 0; i < DEC_N; i++) {
      const k = i % N;
      await w.writeVideoChunk(v, frames.subarray(k * FRAME, (k + 1) * FRAME));
    }
  }
  const cliMs: number[] = [];
  const tsMs: number[] = [];
  const openMs: number[] = [];
  for (let r = 0; r < REPS; r++) {
    cliMs.push(await cli(["-i", clip, "ffsws:ofmt=rgb", "@", "-o", "null"]));
    const t0 = performance.now();
    let decoded = 0;
    let first = 0;
    for await (const f of new MediaReader(clip).video({ format: "rgb24" })) {
      if (f.data.length !== FRAME) throw new Error(`frame of ${f.data.length} bytes`);
      if (decoded++ === 0) first = performance.now() - t0;
    }
    if (decoded !== DEC_N) throw new Error(`MediaReader decoded ${decoded} of ${DEC_N} frames`);
    tsMs.push(performance.now() - t0);
    openMs.push(first);
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const ratios = tsMs.map((t, i) => cliMs[i] / t);
  console.log(
    `2. decode ${DEC_N} frames (${DEC_N / FPS} s) of 720p H.264 to RGB, ${REPS} interleaved runs`,
  );
  console.log(
    `   gpac CLI, ffsws -> -o null : ${
      cliMs.map((t) => (DEC_N * 1000 / t).toFixed(1)).join(" ")
    } frames/s`,
  );
  console.log(
    `   MediaReader.video(rgb24)   : ${
      tsMs.map((t) => (DEC_N * 1000 / t).toFixed(1)).join(" ")
    } frames/s`,
  );
  console.log(
    `   reader's first frame after : ${
      openMs.map((t) => t.toFixed(0)).join(" ")
    } ms (open + probe + first decode)`,
  );
  console.log(
    `   ratio MediaReader / CLI    : ${ratios.map((x) => x.toFixed(2)).join(" ")}; median ${
      med(ratios).toFixed(2)
    }x (goal >= 0.9)`,
  );
}

// 3. memory while writing
if (ONLY.has("rss")) {
  const total = RSS_SECONDS * FPS;
  const buf = new Uint8Array(FRAME);
  const samples: number[] = [];
  {
    await using w = new MediaWriter(`${tmp}/rss.mp4`);
    const v = w.addVideoStream({ fps: FPS, width: W, height: H, encoderOptions: ENC });
    for (let i = 0; i < total; i++) {
      buf.fill(i & 255); // cheap "drawing": the encoder is the bottleneck
      await w.writeVideoChunk(v, buf);
      if (i % Math.max(1, Math.floor(total / 10)) === 0) samples.push(Deno.memoryUsage().rss);
    }
  }
  samples.push(Deno.memoryUsage().rss);
  const mb = (b: number) => (b / 2 ** 20).toFixed(0);
  const firstHalf = Math.max(...samples.slice(1, samples.length >> 1));
  const secondHalf = Math.max(...samples.slice(samples.length >> 1));
  console.log(
    `3. RSS while writing ${RSS_SECONDS} s of 720p (${total} frames), MiB at each tenth:`,
  );
  console.log(`   ${samples.map(mb).join(" ")}`);
  console.log(
    `   peak second half / peak first half: ${(secondHalf / firstHalf).toFixed(2)} (flat ~1.0)`,
  );
}
await Deno.remove(tmp, { recursive: true });
