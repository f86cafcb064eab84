/**
 * Custom-filter overhead, measured in one run: `deno task bench`.
 *
 * 1. Pass-through: the same file (30 min of 1-channel AAC made by `avgen` + `ffenc`, ~77k
 *    packets, cached in the temp folder) read by an `inspect` sink, timed around `run()`:
 *    - without any custom filter (the native floor), in Deno and in Python,
 *    - through a TypeScript pass-through filter,
 *    - through libgpac.py's pass-through (`../shared/bench/libgpac_py_passthrough.py`).
 *    Prints each binding's per-packet overhead over its own native run, and their ratio.
 * 2. In-place edit of 1080p raw frames (clone + draw a line) vs the same pipeline without it.
 * 3. The TS pass-through in a `threads: 2` session vs single-threaded.
 *
 * Each timing is the median of several runs. Options: `--runs N` (default 3), `--minutes M`
 * (length of the AAC input, default 30), `--no-python` (skip libgpac.py).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { FilterCustom, type FilterPid, FilterSession, GF_CAPS_INPUT_OUTPUT } from "../mod.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "3" },
    minutes: { type: "string", default: "30" },
    "no-python": { type: "boolean", default: false },
  },
});
const RUNS = Number(args.values.runs);
const MINUTES = Number(args.values.minutes);

/** Forwards every packet unchanged (the same filter as libgpac.py's benchmark). */
class PassThrough extends FilterCustom {
  count = 0;
  constructor(fs: FilterSession) {
    super(fs, "TSpass");
    this.pushCap("StreamType", "Audio", GF_CAPS_INPUT_OUTPUT);
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
  }
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (!isRemove) this.mirrorPid(pid);
    return 0;
  }
  override process(): number {
    const ipids = this.ipids;
    for (let i = 0; i < ipids.length; i++) {
      const pid = ipids[i];
      const opid = pid.opid!;
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        opid.forward(pck);
        pid.dropPacket();
        this.count++;
      }
      if (pid.eos) opid.eos = true;
    }
    return 0;
  }
}

/** Draws a mid-grey line in the middle of the luma plane of each raw frame, in place. */
class LumaLine extends FilterCustom {
  count = 0;
  constructor(fs: FilterSession) {
    super(fs, "TSline");
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
    this.pushCap("CodecID", "raw", GF_CAPS_INPUT_OUTPUT);
  }
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) return 0;
    this.mirrorPid(pid);
    const w = pid.getProp("Width") as number;
    const h = pid.getProp("Height") as number;
    const stride = (pid.getProp("Stride") as number | null) ?? w;
    pid.udta = { start: (h >> 1) * stride, end: (h >> 1) * stride + w };
    return 0;
  }
  override process(): number {
    for (const pid of this.ipids) {
      const { start, end } = pid.udta as { start: number; end: number };
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        const out = pid.opid!.newPckClone(pck);
        out.data.fill(128, start, end);
        out.send();
        pid.dropPacket();
        this.count++;
      }
      if (pid.eos) pid.opid!.eos = true;
    }
    return 0;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function timeRun(
  src: string,
  sinkDesc: string,
  middle?: (fs: FilterSession) => { count: number } & FilterCustom,
  threads = 0,
  nativeMiddle?: string,
): { seconds: number; packets: number } {
  using fs = new FilterSession({ threads });
  const s = fs.loadSrc(src);
  const sink = fs.load(sinkDesc);
  const m = middle?.(fs) ?? (nativeMiddle ? fs.load(nativeMiddle) : undefined);
  if (m) {
    m.setSource(s);
    sink.setSource(m);
  }
  const t0 = performance.now();
  fs.run();
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, packets: (m as { count?: number } | undefined)?.count ?? 0 };
}

function repeat(n: number, f: () => { seconds: number; packets: number }) {
  const r = Array.from({ length: n }, f);
  return { seconds: median(r.map((x) => x.seconds)), packets: r[0].packets };
}

async function ensureInput(): Promise<string> {
  const dir = `${Deno.env.get("TMPDIR") ?? "/tmp"}/deno-gpac-bench`;
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/aac_${MINUTES}min.mp4`;
  try {
    if ((await Deno.stat(path)).size > 0) return path;
  } catch { /* not cached yet */ }
  console.log(`generating ${MINUTES} min of AAC into ${path} (cached for later runs)…`);
  using fs = new FilterSession();
  fs.loadSrc(`avgen:type=a:dur=${MINUTES * 60}`);
  fs.load("ffenc:c=aac");
  fs.loadDst(`${path}.part.mp4`);
  fs.run();
  await Deno.rename(`${path}.part.mp4`, path);
  return path;
}

async function python(file: string, mode: "custom" | "native") {
  const script = new URL("../../shared/bench/libgpac_py_passthrough.py", import.meta.url).pathname;
  const out = await new Deno.Command("python3", {
    args: [script, file, mode],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  if (!out.success || !text.startsWith("{")) {
    throw new Error(`libgpac.py run failed: ${new TextDecoder().decode(out.stderr).slice(-500)}`);
  }
  return JSON.parse(text) as { seconds: number; packets: number | null };
}

const us = (s: number) => (s * 1e6).toFixed(3);

const input = await ensureInput();
const SINK = "inspect:allp:deep:log=null";

console.log(`\n# 1. pass-through, ${input}, median of ${RUNS} runs`);
const native = repeat(RUNS, () => timeRun(input, SINK));
const ts = repeat(RUNS, () => timeRun(input, SINK, (fs) => new PassThrough(fs)));
const pkts = ts.packets;
const tsOver = (ts.seconds - native.seconds) / pkts;
console.log(`native (Deno process):     ${native.seconds.toFixed(3)} s`);
console.log(`TypeScript pass-through:   ${ts.seconds.toFixed(3)} s for ${pkts} packets`);
console.log(`TS overhead per packet:    ${us(tsOver)} µs`);
// the cost GPAC itself adds for one more filter in the chain (a native C filter, reframer)
const cExtra = repeat(RUNS, () => timeRun(input, SINK, undefined, 0, "reframer"));
console.log(
  `native extra filter (reframer): ${cExtra.seconds.toFixed(3)} s, ${
    us((cExtra.seconds - native.seconds) / pkts)
  } µs per packet over native`,
);

if (!args.values["no-python"]) {
  const pyNative: number[] = [];
  const pyCustom: number[] = [];
  let pyPkts = 0;
  for (let i = 0; i < RUNS; i++) {
    pyNative.push((await python(input, "native")).seconds);
    const c = await python(input, "custom");
    pyCustom.push(c.seconds);
    pyPkts = c.packets ?? 0;
  }
  const pyOver = (median(pyCustom) - median(pyNative)) / pyPkts;
  console.log(`native (Python process):   ${median(pyNative).toFixed(3)} s`);
  console.log(`libgpac.py pass-through:   ${median(pyCustom).toFixed(3)} s for ${pyPkts} packets`);
  console.log(`libgpac.py overhead/packet: ${us(pyOver)} µs`);
  console.log(`ratio libgpac.py / TS overhead: ${(pyOver / tsOver).toFixed(1)}x`);
}

console.log(`\n# 2. in-place edit of 1080p raw frames (avgen video, 10 s), median of ${RUNS} runs`);
const raw = "avgen:type=v:sizes=1920x1080:dur=10";
const rawNative = repeat(RUNS, () => timeRun(raw, SINK));
const rawLine = repeat(RUNS, () => timeRun(raw, SINK, (fs) => new LumaLine(fs)));
console.log(
  `native: ${rawNative.seconds.toFixed(3)} s, with TS line: ${rawLine.seconds.toFixed(3)} s`,
);
console.log(
  `in-place edit overhead per frame: ${
    us((rawLine.seconds - rawNative.seconds) / rawLine.packets)
  } µs (${rawLine.packets} frames)`,
);

console.log(`\n# 3. TS pass-through with threads: 2, median of ${RUNS} runs`);
const thr = repeat(RUNS, () => timeRun(input, SINK, (fs) => new PassThrough(fs), 2));
console.log(
  `single-threaded ${ts.seconds.toFixed(3)} s, threads: 2 ${thr.seconds.toFixed(3)} s, ratio ${
    (thr.seconds / ts.seconds).toFixed(2)
  }`,
);
