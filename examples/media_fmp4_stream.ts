/**
 * Writing a fragmented MP4 into a Web `WritableStream`: here a `TransformStream` whose readable
 * side is consumed by an async loop that counts fragments (`moof` boxes) as they arrive and
 * saves the bytes to a file. The same stream could be an HTTP response body or a socket.
 *
 * Streams cannot seek back, so `MediaWriter` writes fragmented MP4 to them (one fragment per
 * second with `live: true`). The frames are a grey ramp drawn in TS, with a sine tone.
 *
 * Run it with:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/media_fmp4_stream.ts
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/media_fmp4_stream.ts --dur 5
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { MediaWriter } from "../media/mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: { dur: { type: "string", default: "3" } },
});
const dur = Number(opts.dur);
if (!(dur > 0 && dur <= 600)) throw new Error(`--dur must be in (0, 600], got ${opts.dur}`);
const path = `${await Deno.makeTempDir({ prefix: "deno-gpac-fmp4-" })}/live.mp4`;

const pipe = new TransformStream<Uint8Array, Uint8Array>();
const file = await Deno.open(path, { write: true, create: true, truncate: true });
let bytes = 0;
let fragments = 0;
const consumer = (async () => {
  for await (const chunk of pipe.readable) {
    bytes += chunk.length;
    // count 'moof' box headers (type right after a 4-byte size)
    for (let i = 4; i + 4 <= chunk.length; i++) {
      if (
        chunk[i] === 0x6d && chunk[i + 1] === 0x6f && chunk[i + 2] === 0x6f && chunk[i + 3] === 0x66
      ) {
        fragments++;
      }
    }
    await file.write(chunk);
  }
  file.close();
})();

const width = 320;
const height = 180;
const fps = 25;
{
  await using w = new MediaWriter(pipe.writable, { live: true });
  const v = w.addVideoStream({ fps, width, height, format: "gray" });
  const a = w.addAudioStream({ sampleRate: 48000, channels: 1 });
  const frame = new Uint8Array(width * height);
  const pcm = new Float32Array(48000 / fps);
  for (let i = 0; i < dur * fps; i++) {
    for (let y = 0; y < height; y++) frame.fill((y + i * 3) & 255, y * width, (y + 1) * width);
    await w.writeVideoChunk(v, frame);
    for (let s = 0; s < pcm.length; s++) pcm[s] = 0.1 * Math.sin((i * pcm.length + s) / 20);
    await w.writeAudioChunk(a, pcm);
  }
}
await consumer;
console.log(`${dur * fps} frames -> ${bytes} bytes in ${fragments} fragments, saved to ${path}`);
if (fragments === 0) Deno.exit(1);
