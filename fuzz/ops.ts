/**
 * The misuse fuzzer's vocabulary: JSON-serialisable call sequences (so a failing one can be
 * printed, replayed and shrunk) and the seeded generator that draws them.
 *
 * @module
 */

/** A JSON description of a JS value handed to the API. */
export type ValueSpec =
  | { t: "num"; v: number }
  | { t: "nan" }
  | { t: "inf"; neg: boolean }
  | { t: "big"; v: string }
  | { t: "str"; v: string }
  | { t: "bool"; v: boolean }
  | { t: "null" }
  | { t: "undef" }
  | { t: "obj" }
  | { t: "arr"; items: ValueSpec[] }
  | { t: "u8"; n: number }
  | { t: "sym" }
  | { t: "fn" }
  | { t: "frac"; n: number; d: number }
  | { t: "vec2"; x: number; y: number };

/** Where a call runs: before the session runs, inside the TS filter's `process()`, or after. */
export type Phase = "setup" | "process" | "after";

/** One API call with its arguments. */
export interface Op {
  /** When it runs. */
  phase: Phase;
  /** Which call (a key of the executor's table in `fuzz/child.ts`). */
  op: string;
  /** Its arguments. */
  args: ValueSpec[];
}

/** A whole scenario: the session shape and the calls. */
export interface Scenario {
  /** Media given to the TS filter. */
  source: "audio" | "video";
  /** Run with `runAsync()` on a non-blocking session instead of `run()`. */
  async: boolean;
  /** The calls, in order within each phase. */
  ops: Op[];
}

/** A small fast seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROP_NAMES = [
  "Width",
  "Height",
  "CodecID",
  "StreamType",
  "Timescale",
  "FPS",
  "SampleRate",
  "PixelFormat",
  "AudioFormat",
  "Language",
  "DecoderConfig",
  "ID",
  "MyProp",
  "",
  "x".repeat(300),
  "Ünïcödé",
];

const INTERESTING_NUMS = [
  0,
  1,
  -1,
  2,
  7,
  255,
  256,
  65535,
  -32769,
  0x7fffffff,
  0x80000000,
  0xffffffff,
  2 ** 32,
  2 ** 33,
  2 ** 53,
  -(2 ** 53),
  0.5,
  -0.0,
  1e300,
];

/** The calls the executor knows, with the phases they make sense in and their arity. */
export const OPS: Record<string, { phases: Phase[]; arity: number }> = {
  // session and filters from outside
  load: { phases: ["setup", "after"], arity: 1 },
  loadSrc: { phases: ["setup", "after"], arity: 1 },
  loadDst: { phases: ["setup", "after"], arity: 1 },
  opidProp: { phases: ["setup", "process", "after"], arity: 2 },
  ipidProp: { phases: ["setup", "process", "after"], arity: 2 },
  opidName: { phases: ["setup", "after"], arity: 1 },
  opidStats: { phases: ["process", "after"], arity: 1 },
  opidSinks: { phases: ["process", "after"], arity: 1 },
  update: { phases: ["setup", "process"], arity: 2 },
  reconnect: { phases: ["setup", "after"], arity: 1 },
  pushCap: { phases: ["setup"], arity: 3 },
  reschedule: { phases: ["setup", "process"], arity: 1 },
  updateStatus: { phases: ["process"], arity: 2 },
  setMaxPids: { phases: ["setup"], arity: 1 },
  close: { phases: ["after"], arity: 0 },
  // inside process(): packets and PIDs
  setPckField: { phases: ["process"], arity: 2 },
  getPckField: { phases: ["process", "after"], arity: 1 },
  setPidProp: { phases: ["process"], arity: 2 },
  setPidInfo: { phases: ["process"], arity: 2 },
  getPidProp: { phases: ["process", "after"], arity: 1 },
  setPckProp: { phases: ["process"], arity: 2 },
  newPck: { phases: ["process"], arity: 1 },
  newPckRef: { phases: ["process"], arity: 2 },
  newPckShared: { phases: ["process"], arity: 1 },
  truncate: { phases: ["process"], arity: 1 },
  keepRef: { phases: ["process"], arity: 0 },
  keepClone: { phases: ["process"], arity: 0 },
  keepInput: { phases: ["process"], arity: 0 },
  useKept: { phases: ["process", "after"], arity: 1 },
  sendKept: { phases: ["process", "after"], arity: 0 },
  discardKept: { phases: ["process", "after"], arity: 0 },
  unrefKept: { phases: ["process", "after"], arity: 0 },
  forward: { phases: ["process"], arity: 1 },
  setEos: { phases: ["process"], arity: 1 },
  newPid: { phases: ["process"], arity: 0 },
  removeOpid: { phases: ["process"], arity: 0 },
  sendEvent: { phases: ["process"], arity: 1 },
  throwInProcess: { phases: ["process"], arity: 0 },
};

/** Packet fields the fuzzer reads and writes. */
export const PCK_FIELDS = [
  "dts",
  "cts",
  "dur",
  "sap",
  "seek",
  "corrupted",
  "interlaced",
  "roll",
  "crypt",
  "clock",
  "carousel",
  "seqnum",
  "deps",
  "byteOffset",
  "start",
  "end",
  "data",
  "size",
  "timescale",
  "frameIfce",
];

/** Draws argument values, mixing sensible ones with hostile ones. */
export function genValue(rnd: () => number, depth = 0): ValueSpec {
  const r = rnd();
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  if (r < 0.3) return { t: "num", v: pick(INTERESTING_NUMS) * (rnd() < 0.2 ? -1 : 1) };
  if (r < 0.4) return { t: "num", v: Math.floor(rnd() * 100) };
  if (r < 0.55) {
    return {
      t: "str",
      v: pick([...PROP_NAMES, "avc", "aac", "Visual", "yuv420", "1", "-1", "nosuch", "a\u0000b"]),
    };
  }
  if (r < 0.6) return { t: "bool", v: rnd() < 0.5 };
  if (r < 0.63) return { t: "nan" };
  if (r < 0.66) return { t: "inf", neg: rnd() < 0.5 };
  if (r < 0.71) {
    return { t: "big", v: String(pick([0n, -1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n, 5n])) };
  }
  if (r < 0.74) return { t: "null" };
  if (r < 0.77) return { t: "undef" };
  if (r < 0.8) return { t: "obj" };
  if (r < 0.83 && depth < 2) {
    return {
      t: "arr",
      items: Array.from({ length: Math.floor(rnd() * 4) }, () => genValue(rnd, depth + 1)),
    };
  }
  if (r < 0.87) return { t: "u8", n: pick([0, 1, 16, 1000, 65536]) };
  if (r < 0.89) return { t: "sym" };
  if (r < 0.91) return { t: "fn" };
  if (r < 0.96) return { t: "frac", n: pick(INTERESTING_NUMS), d: pick(INTERESTING_NUMS) };
  return { t: "vec2", x: pick(INTERESTING_NUMS), y: pick(INTERESTING_NUMS) };
}

/** Draws a scenario from `seed`. */
export function genScenario(seed: number): Scenario {
  const rnd = prng(seed);
  const names = Object.keys(OPS);
  const n = 4 + Math.floor(rnd() * 20);
  const ops: Op[] = [];
  for (let i = 0; i < n; i++) {
    const op = names[Math.floor(rnd() * names.length)];
    const { phases, arity } = OPS[op];
    const phase = phases[Math.floor(rnd() * phases.length)];
    const args: ValueSpec[] = [];
    for (let k = 0; k < arity; k++) {
      // the first argument of field/property calls is a name most of the time
      if (k === 0 && (op === "setPckField" || op === "getPckField") && rnd() < 0.9) {
        args.push({ t: "str", v: PCK_FIELDS[Math.floor(rnd() * PCK_FIELDS.length)] });
      } else if (
        k === 0 && /Prop|Info|pushCap/.test(op) && !/^(opid|ipid)Prop$/.test(op) && rnd() < 0.8
      ) {
        args.push({ t: "str", v: PROP_NAMES[Math.floor(rnd() * PROP_NAMES.length)] });
      } else {
        args.push(genValue(rnd));
      }
    }
    ops.push({ phase, op, args });
  }
  const order: Record<Phase, number> = { setup: 0, process: 1, after: 2 };
  ops.sort((a, b) => order[a.phase] - order[b.phase]);
  return { source: rnd() < 0.5 ? "audio" : "video", async: rnd() < 0.3, ops };
}
