/**
 * Non-blocking session: drive GPAC's scheduler step by step from your own loop.
 *
 * With `GF_FS_FLAG_NON_BLOCKING`, each `fs.run()` executes one round of pending filter tasks
 * and returns, so the script keeps control between steps: here it counts steps, prints
 * progress every `--every` steps (packets in/out of every filter, status of the source), and
 * measures how much time is spent in GPAC versus in JavaScript. It also yields to Deno's event
 * loop every few steps, so a `setInterval` timer keeps ticking while the session runs. The loop
 * ends when `fs.lastTask` says only the session's own task is left.
 *
 * The pipeline is `avgen` → `ffenc:c=avc` → MP4 (the raw audio goes to the MP4 as PCM), i.e. the
 * same work a blocking `run()` would do.
 *
 * Run it with:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/non_blocking.ts
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/non_blocking.ts \
 *   --dur 5 --every 200 --output /tmp/nb.mp4
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/non_blocking.ts \
 *   --input movie.mp4 --output /tmp/movie.ts
 * ```
 *
 * `--input` replaces `avgen` (and the encoder is then skipped: the input is remuxed),
 * `--output` the MP4 written in a new temporary folder, `--dur` the generated length (default
 * 2 s), `--every` the number of steps between progress lines (default 50).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { FilterSession, GF_EOS, GF_FS_FLAG_NON_BLOCKING } from "../mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    input: { type: "string" },
    output: { type: "string" },
    dur: { type: "string", default: "2" },
    every: { type: "string", default: "50" },
  },
});

const dur = Number(opts.dur);
if (!(dur > 0)) throw new Error(`--dur must be a positive number of seconds, got "${opts.dur}"`);
const every = Math.max(1, Math.floor(Number(opts.every)) || 50);
const output = opts.output ??
  `${await Deno.makeTempDir({ prefix: "deno-gpac-nb-" })}/non_blocking.mp4`;

using fs = new FilterSession({ flags: GF_FS_FLAG_NON_BLOCKING });
fs.reporting(true); // let filters publish status strings (read through Filter.status)
const src = fs.loadSrc(opts.input ?? `avgen:dur=${dur}`);
if (!opts.input) fs.load("ffenc:c=avc");
fs.loadDst(output);

console.log(`${opts.input ?? `avgen:dur=${dur}`} -> ${output}, progress every ${every} steps\n`);

/**
 * One progress line, built from the statistics GPAC keeps for each filter: packets received /
 * sent per filter (including the ones GPAC added by itself, such as the muxer), and the status
 * of the source.
 */
function progress(step: number): string {
  const flow = fs.stats()
    .map((s) => `${s.filter ?? s.regName} ${s.nbPckProcessed}/${s.nbPckSent}`)
    .join(", ");
  const status = src.alive ? src.status.replace(/ fps=.*/, "") : "";
  return `step ${String(step).padStart(4)} | ${status.padEnd(22)} | pck in/out: ${flow}`;
}

// A timer living next to the session: it only fires because the loop below yields to the
// event loop from time to time, which a blocking run() could not do.
let ticks = 0;
const heartbeat = setInterval(() => ticks++, 100);

const t0 = performance.now();
let steps = 0;
let gpacMs = 0;
let jsMs = 0;
let ret = 0;
while (!fs.lastTask) {
  const a = performance.now();
  ret = fs.run(); // one scheduler round, then back to us
  const b = performance.now();
  gpacMs += b - a;
  steps++;

  // Anything can happen here: this is ordinary JavaScript running between two GPAC steps.
  if (steps % every === 0) console.log(progress(steps));
  if (steps % 10 === 0) await new Promise((r) => setTimeout(r, 0)); // let timers, I/O... run
  jsMs += performance.now() - b;
}
clearInterval(heartbeat);

console.log(progress(steps));
// Note: in non-blocking mode run() keeps returning GF_OK; `lastTask` is what tells the end.
console.log(
  `\ndone: ${steps} steps in ${(performance.now() - t0).toFixed(0)} ms ` +
    `(GPAC ${gpacMs.toFixed(0)} ms, JS between steps ${jsMs.toFixed(0)} ms); ` +
    `the 100 ms timer fired ${ticks} times meanwhile; ` +
    `last run() returned ${ret === GF_EOS ? "GF_EOS" : "GF_OK"}`,
);
console.log(`${output}: ${(Deno.statSync(output).size / 1024).toFixed(0)} KiB`);
