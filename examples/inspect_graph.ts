/**
 * Inspecting a running graph: filters, PIDs, properties, options and statistics.
 *
 * A task posted on the session waits until the pipeline `avgen → ffenc:c=avc → MP4` is fully
 * connected and packets flow to the file, then takes a snapshot of everything deno-gpac can
 * read from outside the filters:
 *
 * - each filter (`fs.filters`) with its options and their current values (`allArgs()`);
 * - its input PIDs, and the filter each comes from (`ipidSource`), with PID statistics
 *   (`ipidStats`: packets, bitrate, process time...);
 * - its output PIDs, the filters consuming each (`opidSinks`), and all their properties
 *   (`opidEnumProps`).
 *
 * The session then runs to the end, and the script prints per-filter statistics
 * (`getStatistics()`), which outlive the PIDs.
 *
 * Run it with:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/inspect_graph.ts
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/inspect_graph.ts \
 *   --all-args
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/inspect_graph.ts \
 *   --input movie.mp4 --output /tmp/out.mp4 --dur 5
 * ```
 *
 * `--input` replaces `avgen`, `--output` the MP4 written in a new temporary folder, `--dur` the
 * generated length (default 2 s). Options are listed only when set to a non-default value (and
 * not hidden, i.e. internal), unless `--all-args` is given.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  type Filter,
  type FilterArg,
  FilterSession,
  FilterTask,
  Fraction,
  Fraction64,
  GF_FS_ARG_HINT_HIDE,
  type PidStatistics,
  type PropValue,
} from "../mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    input: { type: "string" },
    output: { type: "string" },
    dur: { type: "string", default: "2" },
    "all-args": { type: "boolean", default: false },
  },
});

const dur = Number(opts.dur);
if (!(dur > 0)) throw new Error(`--dur must be a positive number of seconds, got "${opts.dur}"`);
const output = opts.output ??
  `${await Deno.makeTempDir({ prefix: "deno-gpac-inspect-" })}/inspect_graph.mp4`;

/** Formats a property or option value for one line of text. */
function fmt(v: PropValue | null): string {
  if (v === null) return "null";
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (Array.isArray(v)) return `[${v.map((x) => fmt(x as PropValue)).join(", ")}]`;
  if (typeof v === "object" && "x" in v) return Object.values(v).join("x");
  if (typeof v === "object" && !(v instanceof Fraction) && !(v instanceof Fraction64)) {
    return `pointer 0x${Deno.UnsafePointer.value(v).toString(16)}`; // Deno.PointerObject
  }
  const s = String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Text of an option's current value. Options with a list of choices (`minMaxEnum` such as
 * `"inter|flat|frag"`) read as the index of the choice: show its name instead.
 */
function argText(a: FilterArg): string {
  const choices = a.minMaxEnum?.includes("|") ? a.minMaxEnum.split("|") : null;
  if (choices && typeof a.value === "number" && a.value < choices.length) return choices[a.value];
  return fmt(a.value);
}

/** Numeric value of a default written as `"12"`, `"-1/1"`... (NaN otherwise). */
function num(text: string): number {
  const [n, d] = text.split("/");
  return d === undefined ? Number(n) : Number(n) / Number(d);
}

/** True when an option holds something else than its default. */
function isSet(a: FilterArg): boolean {
  if (a.value === null) return false;
  const v = argText(a);
  const d = a.default ?? "";
  if (v === d) return false;
  if (typeof a.value === "boolean") return a.value !== (d === "true" || d === "yes");
  const v0 = a.value;
  if (typeof v0 === "number" || v0 instanceof Fraction || v0 instanceof Fraction64) {
    const n = Number(v0);
    if (d === "" ? n === 0 : n === num(d)) return false;
  }
  if (Array.isArray(a.value) && a.value.length === 0 && d === "") return false;
  return v !== "";
}

/** The interesting part of a PID's statistics. */
function pidStats(s: PidStatistics): string {
  if (s.disconnected) return "disconnected";
  const kbps = (b: number) => (b / 1000).toFixed(0);
  return `${s.nbProcessed} pck, ${kbps(s.averageBitrate)} kbps avg / ${kbps(s.maxBitrate)} max, ` +
    `process ${(Number(s.totalProcessTime) / 1000).toFixed(1)} ms` +
    (s.nbSaps ? `, ${s.nbSaps} SAPs` : "");
}

/** Prints everything about one filter. */
function dumpFilter(f: Filter, index: number): void {
  console.log(`\n[${index}] ${f.name}${f.id ? ` (ID ${f.id})` : ""}`);
  const args = f.allArgs().filter((a) =>
    opts["all-args"] || ((a.flags & GF_FS_ARG_HINT_HIDE) === 0 && isSet(a))
  );
  if (args.length) {
    console.log(`  options${opts["all-args"] ? "" : " (non-default)"}:`);
    for (const a of args) {
      console.log(`    ${a.name} = ${argText(a)} (${a.type}, default ${a.default ?? "-"})`);
    }
  }
  for (let i = 0; i < f.nbIpid; i++) {
    console.log(`  input ${i} "${f.ipidName(i)}" from ${f.ipidSource(i)?.name ?? "?"}`);
    console.log(`    stats: ${pidStats(f.ipidStats(i))}`);
  }
  for (let i = 0; i < f.nbOpid; i++) {
    const sinks = f.opidSinks(i).map((s) => s.name).join(", ") || "(not connected)";
    console.log(`  output ${i} "${f.opidName(i)}" to ${sinks}`);
    for (const [name, value] of f.opidEnumProps(i)) console.log(`    ${name}: ${fmt(value)}`);
  }
}

/** Waits for a fully connected graph, dumps it once, then retires. */
class Snapshot extends FilterTask {
  taken = false;

  override execute(): number {
    const fs = this.session!;
    if (fs.lastTask) return -1;
    const filters = fs.filters;
    // Ready once every filter between the source and the file writer (which, with a plain
    // MP4, only receives data at the end) has consumed packets on each of its inputs.
    const middle = filters.filter((f) => f.nbOpid > 0 && f.nbIpid > 0);
    const flowing = (f: Filter) =>
      Array.from({ length: f.nbIpid }, (_, i) => f.ipidStats(i)).every((s) => s.nbProcessed > 0);
    if (middle.length < 2 || !middle.every(flowing)) return 0; // check again ASAP
    console.log(`snapshot of ${filters.length} filters while running:`);
    filters.forEach(dumpFilter);
    this.taken = true;
    return -1;
  }
}

using fs = new FilterSession();
fs.loadSrc(opts.input ?? `avgen:dur=${dur}`);
if (!opts.input) fs.load("ffenc:c=avc");
fs.loadDst(output);
const snap = new Snapshot("snapshot");
fs.post(snap);
fs.run();
if (!snap.taken) console.log("the session ended before the graph was complete");

// PID instances are torn down at the end of the session (their statistics then read as
// "disconnected"), while per-filter statistics remain.
console.log(`\nafter the run, ${output}: ${(Deno.statSync(output).size / 1024).toFixed(0)} KiB`);
const width = Math.max(...fs.filters.map((f) => f.name.length));
for (const f of fs.filters) {
  const s = f.getStatistics();
  console.log(
    `  ${f.name.padEnd(width)} ${String(s.nbPckProcessed).padStart(4)} pck in, ` +
      `${String(s.nbPckSent).padStart(4)} pck out, ` +
      `${(Number(s.timeProcess) / 1000).toFixed(1).padStart(7)} ms, done=${s.done}`,
  );
}
