/**
 * Blocking remux: rewrite a file into another container without touching the coded media.
 *
 * A session with only a source and a destination is enough: GPAC picks the demuxer from the
 * input, the muxer from the output extension, and adds whatever sits in between (here the
 * reframers that turn MP4 samples into the start-code / ADTS-less forms MPEG-2 TS expects).
 * `run()` blocks until everything is written.
 *
 * Without `--input`, a short MP4 (AVC video + AAC audio encoded from GPAC's `avgen` generator)
 * is made first, in a temporary folder, to have something to remux. The audio is encoded too:
 * left raw, GPAC would store PCM in the MP4, which MPEG-2 TS cannot carry (that track would be
 * dropped from the TS, with a warning).
 *
 * Run it with:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/remux.ts
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/remux.ts --dur 4
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/remux.ts \
 *   --input movie.mp4 --output /tmp/movie.mkv
 * ```
 *
 * `--output` defaults to `remux.ts` (MPEG-2 TS) in a new temporary folder; its extension picks
 * the container. `--dur` is the length of the generated input (default 2 s). With two encoders
 * loaded, GPAC hands each raw PID to the one whose codec matches its stream type.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { FilterSession } from "../mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    input: { type: "string" },
    output: { type: "string" },
    dur: { type: "string", default: "2" },
  },
});

const dur = Number(opts.dur);
if (!(dur > 0)) throw new Error(`--dur must be a positive number of seconds, got "${opts.dur}"`);

const tmp = await Deno.makeTempDir({ prefix: "deno-gpac-remux-" });
const output = opts.output ?? `${tmp}/remux.ts`;

const size = (path: string) => `${(Deno.statSync(path).size / 1024).toFixed(1)} KiB`;

/** Runs one blocking session `src -> [filters] -> dst` and returns its duration in ms. */
function convert(src: string, dst: string, filters: string[] = []): number {
  const t = performance.now();
  using fs = new FilterSession();
  fs.loadSrc(src);
  for (const f of filters) fs.load(f);
  fs.loadDst(dst);
  fs.run(); // blocking: returns once the source is exhausted and the output is closed
  return performance.now() - t;
}

let input = opts.input;
if (!input) {
  input = `${tmp}/source.mp4`;
  const ms = convert(`avgen:dur=${dur}`, input, ["ffenc:c=avc", "ffenc:c=aac"]);
  console.log(`generated ${input} (${size(input)}) in ${ms.toFixed(0)} ms`);
}

const ms = convert(input, output);
console.log(`remuxed ${input} (${size(input)})`);
console.log(`     -> ${output} (${size(output)}) in ${ms.toFixed(0)} ms`);
