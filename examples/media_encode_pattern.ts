/**
 * Encoding frames drawn in TypeScript: a moving colour pattern with the frame number burned in,
 * plus a tone, written chunk by chunk to an MP4 with `MediaWriter` (H.264 + AAC by default).
 *
 * Each `writeVideoChunk` call carries `--chunk` frames packed in one `Uint8Array` (RGB, 3 bytes
 * per pixel); the promise resolves once GPAC took them, so the loop never runs ahead of the
 * encoder by more than a few frames.
 *
 * Run it with:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/media_encode_pattern.ts
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/media_encode_pattern.ts \
 *   --dur 5 --size 1280x720 --output /tmp/pattern.mp4
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { MediaReader, MediaWriter } from "../media/mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    dur: { type: "string", default: "2" },
    size: { type: "string", default: "320x240" },
    fps: { type: "string", default: "25" },
    chunk: { type: "string", default: "5" },
    output: { type: "string" },
  },
});
const dur = Number(opts.dur);
const fps = Number(opts.fps);
const chunk = Math.max(1, Math.floor(Number(opts.chunk)));
const [width, height] = opts.size.split("x").map(Number);
if (!(dur > 0 && dur <= 600)) throw new Error(`--dur must be in (0, 600], got ${opts.dur}`);
if (!(width > 0 && height > 0)) throw new Error(`--size must be WxH, got ${opts.size}`);
const output = opts.output ??
  `${await Deno.makeTempDir({ prefix: "deno-gpac-media-" })}/pattern.mp4`;

/** 3x5 pixel digits, one bit per pixel, rows top to bottom. */
const DIGITS = [
  0o75557,
  0o22222,
  0o71747,
  0o71717,
  0o55711,
  0o74717,
  0o74757,
  0o71111,
  0o75757,
  0o75717,
];

/** Draws `text` (digits) in white at (x, y), each font pixel a `scale`×`scale` square. */
function drawNumber(rgb: Uint8Array, n: number, x: number, y: number, scale: number): void {
  const text = String(n);
  for (let c = 0; c < text.length; c++) {
    const bits = DIGITS[text.charCodeAt(c) - 48];
    for (let row = 0; row < 5; row++) {
      for (let col = 0; col < 3; col++) {
        if (!((bits >> ((4 - row) * 3 + (2 - col))) & 1)) continue;
        for (let dy = 0; dy < scale; dy++) {
          const py = y + row * scale + dy;
          if (py >= height) continue;
          for (let dx = 0; dx < scale; dx++) {
            const px = x + (c * 4 + col) * scale + dx;
            if (px < width) rgb.fill(255, (py * width + px) * 3, (py * width + px) * 3 + 3);
          }
        }
      }
    }
  }
}

/** Draws frame `i` into `rgb`: diagonal colour bands moving right, the frame number on top. */
function drawFrame(rgb: Uint8Array, i: number): void {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const t = (x + y + i * 4) & 255;
      rgb[o] = t;
      rgb[o + 1] = (t * 2) & 255;
      rgb[o + 2] = 255 - t;
    }
  }
  drawNumber(rgb, i, 8, 8, Math.max(2, height >> 5));
}

const frameBytes = width * height * 3;
const total = Math.round(dur * fps);
const rate = 48000;
const t0 = performance.now();
{
  await using w = new MediaWriter(output);
  const v = w.addVideoStream({ fps, width, height, format: "rgb24" });
  const a = w.addAudioStream({ sampleRate: rate, channels: 1, format: "flt" });
  const frames = new Uint8Array(frameBytes * chunk);
  for (let i = 0; i < total; i += chunk) {
    const n = Math.min(chunk, total - i);
    for (let k = 0; k < n; k++) drawFrame(frames.subarray(k * frameBytes), i + k);
    await w.writeVideoChunk(v, frames.subarray(0, n * frameBytes));
    // the audio of the same frames: a 440 Hz tone
    const from = Math.round((i / fps) * rate);
    const to = Math.round(((i + n) / fps) * rate);
    const pcm = new Float32Array(to - from);
    for (let s = 0; s < pcm.length; s++) {
      pcm[s] = 0.2 * Math.sin((2 * Math.PI * 440 * (from + s)) / rate);
    }
    await w.writeAudioChunk(a, pcm);
  }
} // await using: the encoders are flushed and the MP4 finalized here
const ms = performance.now() - t0;

const streams = new MediaReader(output).streams;
console.log(`wrote ${total} frames of ${width}x${height} in ${ms.toFixed(0)} ms to ${output}`);
for (const s of streams) {
  console.log(
    `  stream ${s.index}: ${s.type} ${s.codec}` +
      (s.type === "video" ? ` ${s.width}x${s.height}, ${s.frames} frames` : ` ${s.sampleRate} Hz`) +
      `, ${s.duration?.toFixed(3)} s`,
  );
}
const video = streams.find((s) => s.type === "video");
if (video?.frames !== total) {
  console.error(`expected ${total} frames in the output, found ${video?.frames}`);
  Deno.exit(1);
}
