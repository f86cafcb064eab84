/**
 * Transcoding frame by frame through TypeScript: `MediaReader` decodes a file to RGB frames and
 * float audio, the frames are modified in TS (colours inverted, a black bar across the middle),
 * and `MediaWriter` encodes the result again (H.264 + AAC in MP4, or another container by the
 * output extension).
 *
 * `MediaReader`'s frames are views on GPAC's memory, valid until the next frame is requested:
 * here each frame is modified in place and written before asking for the next one.
 *
 * Run it with:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/media_transcode.ts
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/media_transcode.ts \
 *   --input movie.mp4 --output /tmp/inverted.mkv --width 640 --height 360
 * ```
 *
 * Without `--input`, a 2 s clip is generated first with GPAC's `avgen`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { FilterSession } from "../mod.ts";
import { MediaReader, MediaWriter } from "../media/mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    input: { type: "string" },
    output: { type: "string" },
    width: { type: "string" },
    height: { type: "string" },
  },
});
const tmp = await Deno.makeTempDir({ prefix: "deno-gpac-transcode-" });
let input = opts.input;
if (!input) {
  input = `${tmp}/source.mp4`;
  using fs = new FilterSession();
  fs.loadSrc("avgen:dur=2");
  fs.load("ffenc:c=avc");
  fs.load("ffenc:c=aac");
  fs.loadDst(input);
  fs.run();
}
const output = opts.output ?? `${tmp}/inverted.mp4`;

const reader = new MediaReader(input);
const vinfo = reader.streams.find((s) => s.type === "video");
if (!vinfo) throw new Error(`${input} has no video stream`);
const width = opts.width ? Number(opts.width) : vinfo.width!;
const height = opts.height ? Number(opts.height) : vinfo.height!;
const fps = vinfo.fps ?? 25;
console.log(`${input}: ${reader.streams.map((s) => `${s.type} ${s.codec}`).join(", ")}`);

const t0 = performance.now();
let frames = 0;
{
  await using w = new MediaWriter(output);
  const v = w.addVideoStream({ fps, width, height, format: "rgb24" });
  for await (const f of reader.video({ format: "rgb24", width, height })) {
    const px = f.data;
    for (let i = 0; i < px.length; i++) px[i] = 255 - px[i];
    const bar = Math.floor(height / 2) * width * 3;
    px.fill(0, bar, bar + width * 3 * Math.max(1, height >> 5));
    await w.writeVideoChunk(v, px, f.pts);
    frames++;
  }
}
const ms = performance.now() - t0;
const out = new MediaReader(output).streams[0];
console.log(
  `${frames} frames read, modified and encoded in ${ms.toFixed(0)} ms: ${output} ` +
    `(${out.codec} ${out.width}x${out.height}, ${out.frames ?? "?"} frames)`,
);
if (frames === 0 || (out.frames !== undefined && out.frames !== frames)) Deno.exit(1);
