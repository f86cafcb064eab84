/**
 * Tasks: get called back by the scheduler of a blocking session.
 *
 * A blocking `run()` keeps the thread until the session ends, but tasks posted with
 * `fs.post()` are run by GPAC's scheduler (on the JS thread) while it runs. A task returns the
 * number of milliseconds until its next call, or a negative number to retire.
 *
 * This script posts two tasks on a session encoding `avgen` to AVC in MP4:
 *
 * - `Monitor`, a `FilterTask` subclass, runs every 100 ms, prints the status of each filter,
 *   and aborts the session once `--limit` seconds have passed (`fs.abort()` flushes by
 *   default, so the MP4 is still finalized and playable, just shorter);
 * - a plain function task that returns -1 on its third call, i.e. runs 3 times.
 *
 * A pending task keeps the session alive: a periodic task must retire once `fs.lastTask` says
 * the filters are done, or `run()` would never return.
 *
 * The default source lasts 60 s (`--dur`), far more than the 1.5 s `--limit`, to show the
 * abort; give a short `--dur` (e.g. 0.5) to see the session end by itself instead.
 *
 * Run it with:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/tasks.ts
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/tasks.ts --limit 3
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/tasks.ts --dur 0.5
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/tasks.ts \
 *   --input movie.mp4 --output /tmp/out.mp4
 * ```
 *
 * `--input` replaces `avgen` (then remuxed without encoding), `--output` the MP4 written in a
 * new temporary folder.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { FilterSession, FilterTask } from "../mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    input: { type: "string" },
    output: { type: "string" },
    dur: { type: "string", default: "60" },
    limit: { type: "string", default: "1.5" },
  },
});

const dur = Number(opts.dur);
if (!(dur > 0)) throw new Error(`--dur must be a positive number of seconds, got "${opts.dur}"`);
const limitMs = Number(opts.limit) * 1000;
if (!(limitMs > 0)) throw new Error(`--limit must be a positive number of seconds`);
const output = opts.output ?? `${await Deno.makeTempDir({ prefix: "deno-gpac-tasks-" })}/tasks.mp4`;

/** Shortens a status text for a one-line display. */
function short(text: string, max = 24): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Prints what every filter is doing, every 100 ms, and stops the session after a while. */
class Monitor extends FilterTask {
  readonly #start = performance.now();
  calls = 0;
  aborted = false;

  constructor(readonly limitMs: number) {
    super("monitor");
  }

  override execute(): number {
    const fs = this.session!; // set while the task is posted
    this.calls++;
    const elapsed = performance.now() - this.#start;
    if (fs.lastTask) {
      console.log(`[monitor] ${elapsed.toFixed(0)} ms: nothing left to do, retiring`);
      return -1;
    }
    const line = fs.filters
      .map((f) => `${f}${f.status ? ` "${short(f.status)}"` : ""}`)
      .join(", ");
    console.log(`[monitor] ${elapsed.toFixed(0).padStart(5)} ms: ${line}`);
    if (elapsed >= this.limitMs) {
      console.log(`[monitor] time limit reached, aborting (with flush)`);
      this.aborted = true;
      fs.abort(); // GF_FS_FLUSH_ALL: let the muxer write what it has
      return -1;
    }
    return 100;
  }
}

using fs = new FilterSession();
fs.reporting(true); // filters publish status strings only when reporting is on
fs.loadSrc(opts.input ?? `avgen:dur=${dur}`);
if (!opts.input) fs.load("ffenc:c=avc");
fs.loadDst(output);

const monitor = new Monitor(limitMs);
fs.post(monitor);

let calls = 0;
fs.post(() => {
  calls++;
  console.log(`[counter] call ${calls}${calls === 3 ? ", done" : ""}`);
  return calls < 3 ? 250 : -1;
}, "counter");

const t0 = performance.now();
fs.run(); // blocks; the tasks above are called from inside
const ms = performance.now() - t0;

console.log(
  `\nrun() returned after ${ms.toFixed(0)} ms: ` +
    (monitor.aborted ? "aborted by the monitor task" : "the source ended") +
    `; monitor ran ${monitor.calls} times, counter ${calls} times`,
);
console.log(`${output}: ${(Deno.statSync(output).size / 1024).toFixed(0)} KiB`);
