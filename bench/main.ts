/**
 * Custom-filter overhead, measured in one run: `deno task bench`.
 *
 * 1. Pass-through: the same file (30 min of 1-channel AAC made by `avgen` + `ffenc`, ~77k
 *    packets, cached in the temp folder) read by an `inspect` sink, timed around `run()`:
 *    - without any custom filter (the native floor), in Deno and in Python,
 *    - through a TypeScript pass-through filter as it runs by default (an input buffer of
 *      `DEFAULT_INPUT_BUFFER_US`: one `process()` call per batch of queued packets), and the same
 *      filter with `inputBuffer: 0` (one `process()` call per packet, GPAC's own buffer),
 *    - through libgpac.py's pass-through (`../shared/bench/libgpac_py_passthrough.py`).
 *    Prints each binding's per-packet overhead over its own native run, and their ratio.
 * 2. In-place edit of 1080p raw frames (clone + draw a line) vs the same pipeline without it.
 * 3. `threads: N` (`--threads`, default 2) vs single-threaded, in one interleaved run: the TS
 *    pass-through (default, with `blocking: false` under `run()` and under `runAsync()` with a
 *    1 ms timer, and `inputBuffer: 0`), the same pipeline with a native `reframer` instead
 *    (GPAC's own threading cost), and an encode pipeline (720p `avgen` -> a TS filter drawing on
 *    the raw frames -> `ffenc` H.264 -> `inspect`, `--encode-seconds` long). Every run is
 *    printed; runs whose sink got fewer packets are counted and left out of the best-of.
 * 4. The default session (stepped by libgpac, `run()` looping over the steps), a native step
 *    loop and `runAsync()` with a 1 ms `setInterval` running, against libgpac's blocking loop
 *    (`blocking: true`) on the TS pass-through, in interleaved rounds: throughput ratios in wall
 *    and CPU time (medians of the per-round ratios), the timer's lag p50/p99 and the CPU time
 *    the process used between two ticks (what the slices cost the timer, whatever the load),
 *    with the machine's load. Then the floor of any stepped run of that pipeline: its steps
 *    (one per `gf_fs_run` call: GPAC's non-blocking scheduler returns after one filter's tasks)
 *    times the fixed cost of one step, measured on an idle session. Then a `Deno.serve`
 *    endpoint queried in a loop by `fetch()` during `runAsync()`, for several `maxIoIntervalMs`
 *    (session throughput, answers, latency p50/p99). Last, an encode where the step cost is
 *    amortised (720p `avgen` -> TS pass-through -> `ffenc` H.264 -> `inspect`,
 *    `--encode-seconds` long): blocking, default `run()` and `runAsync()` with the 1 ms timer.
 *
 * 5. Load and memory: `wrk -t2 -c50 -d<--wrk-seconds>` against `httpout` driven by `runAsync()`
 *    (1 KB file), without and with a TS hook adding a header, at the default `maxp` and with
 *    `maxp=0`, in `--wrk-reps` pairs. Each pair starts two fresh server processes
 *    (`bench/httpout_server.ts`), one without and one with the hook, loaded the same way (same
 *    `wrk` command, no CPU pinning): first `--wrk-warmup` seconds each that are not counted (JIT
 *    and allocator warm-up), then `wrk` alternates between them in `--wrk-chunk`-second runs
 *    (ABBA order, pairs alternating which starts) until each had `--wrk-seconds`, so that other
 *    load on the machine that drifts during the pair hits both alike. Every pair is printed
 *    (req/s, server CPU time per request, load average), then the medians of the per-pair
 *    ratios with their spread: the
 *    hook's cost in req/s, and in server CPU time per request (less sensitive to other load on
 *    the machine than req/s). Also RSS, errors, the load average before and after; then the
 *    latency of one keep-alive connection (`-c1`) under `runAsync()` and
 *    under the `gpac` CLI with its default `-max-sleep` and with `-max-sleep=1`, and RSS over
 *    `--cycles` session open/run/close cycles. Skipped with a message when `wrk` is missing.
 *
 * Section 1 takes the best of `--runs` rounds, each running every pipeline once (other load on
 * the machine then hits them alike); the other sections take the median of several runs.
 * Options: `--runs N` (default 3), `--minutes M` (length of the AAC input, default 30),
 * `--no-python` (skip libgpac.py), `--sections 1,4` (which sections to run; the pass-through
 * baselines of section 1 are always measured), `--wrk-seconds S` (default 10), `--wrk-reps N`
 * (pairs, default 5), `--wrk-warmup S` (default 2), `--wrk-chunk S` (default 2), `--cycles N`
 * (default 600).
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import {
  FilterCustom,
  type FilterPid,
  FilterSession,
  getLogs,
  GF_CAPS_INPUT_OUTPUT,
  libraryPath,
  setLogs,
} from "../mod.ts";
import { gpacSymbols } from "../ffi/library.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "3" },
    minutes: { type: "string", default: "30" },
    "no-python": { type: "boolean", default: false },
    sections: { type: "string", default: "1,2,3,4,5" },
    "wrk-seconds": { type: "string", default: "10" },
    "wrk-reps": { type: "string", default: "5" },
    "wrk-warmup": { type: "string", default: "2" },
    "wrk-chunk": { type: "string", default: "2" },
    cycles: { type: "string", default: "600" },
    threads: { type: "string", default: "2" },
    "encode-seconds": { type: "string", default: "4" },
  },
});
const RUNS = Number(args.values.runs);
const MINUTES = Number(args.values.minutes);
const THREADS = Number(args.values.threads);
const ENCODE_SECONDS = Number(args.values["encode-seconds"]);
const SECTIONS = new Set(args.values.sections.split(",").map((x) => x.trim()));

/**
 * Forwards every packet unchanged (the same filter as libgpac.py's benchmark). With
 * `inputBuffer`, it asks upstream to queue that much media on its input (µs), so that one
 * `process()` call finds several packets.
 */
class PassThrough extends FilterCustom {
  count = 0;
  calls = 0;
  constructor(fs: FilterSession, inputBuffer?: number) {
    super(fs, "TSpass", { inputBuffer });
    this.pushCap("StreamType", "Audio", GF_CAPS_INPUT_OUTPUT);
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
  }
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (!isRemove) this.mirrorPid(pid);
    return 0;
  }
  override process(): number {
    this.calls++;
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

function build(
  fs: FilterSession,
  src: string,
  sinkDesc: string,
  middle?: (fs: FilterSession) => { count: number } & FilterCustom,
  nativeMiddle?: string,
) {
  const s = fs.loadSrc(src);
  const sink = fs.load(sinkDesc);
  const m = middle?.(fs) ?? (nativeMiddle ? fs.load(nativeMiddle) : undefined);
  if (m) {
    m.setSource(s);
    sink.setSource(m);
  }
  return m as { count?: number; calls?: number } | undefined;
}

/** What a timed run gives: wall and CPU time since `t0`/`c0`, the middle filter's counts. */
function measured(
  fs: FilterSession,
  m: { count?: number; calls?: number } | undefined,
  t0: number,
  c0: NodeJS.CpuUsage,
): { seconds: number; cpu: number; packets: number; calls: number; sunk: number } {
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return {
    seconds,
    cpu: (c.user + c.system) / 1e6,
    packets: m?.count ?? 0,
    calls: m?.calls ?? 0,
    sunk: sunk(fs),
  };
}

function timeRun(
  src: string,
  sinkDesc: string,
  middle?: (fs: FilterSession) => { count: number } & FilterCustom,
  threads = 0,
  nativeMiddle?: string,
  blocking = true,
): { seconds: number; cpu: number; packets: number; calls: number; sunk: number } {
  // blocking: libgpac's own run loop (the reference of every ratio); false: the default session,
  // which libgpac steps and run() loops over
  using fs = new FilterSession({ threads, blocking });
  const m = build(fs, src, sinkDesc, middle, nativeMiddle);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fs.run();
  return measured(fs, m, t0, c0);
}

/** Ticks of a 1 ms interval timer per second of `runAsync()`, over the last timed run. */
const asyncTicks = { perSecond: 0 };

/** {@link timeRun} of a stepped session driven by `runAsync()`, with a 1 ms timer running. */
async function timeRunAsync(
  src: string,
  sinkDesc: string,
  middle: (fs: FilterSession) => { count: number } & FilterCustom,
  threads: number,
): Promise<{ seconds: number; cpu: number; packets: number; calls: number; sunk: number }> {
  using fs = new FilterSession({ threads, blocking: false });
  const m = build(fs, src, sinkDesc, middle);
  let ticks = 0;
  const iv = setInterval(() => ticks++, 1);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    await fs.runAsync();
  } finally {
    clearInterval(iv);
  }
  const r = measured(fs, m, t0, c0);
  asyncTicks.perSecond = ticks / r.seconds;
  return r;
}

/** Packets the session's sink (`inspect`) consumed: a run that ended early is told apart. */
function sunk(fs: FilterSession): number {
  return Number(fs.stats().find((x) => x.regName === "inspect")?.nbPckProcessed ?? 0);
}

/** Times `src` -> `middle` (a TS filter) -> `encoder` -> an inspect sink. */
function timeEncode(
  src: string,
  middle: (fs: FilterSession) => { count: number } & FilterCustom,
  encoder: string,
  threads: number,
): { seconds: number; cpu: number; packets: number; calls: number; sunk: number } {
  using fs = new FilterSession({ threads, blocking: true });
  const s = fs.loadSrc(src);
  const m = middle(fs);
  m.setSource(s);
  const e = fs.load(encoder);
  e.setSource(m);
  fs.load("inspect:deep:log=null").setSource(e);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fs.run();
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { seconds, cpu: (c.user + c.system) / 1e6, packets: m.count, calls: 0, sunk: sunk(fs) };
}

type Run = { seconds: number; cpu: number; packets: number; calls?: number; sunk?: number };

/**
 * Runs each of `fs` once per round, `n` rounds; the best (least time, least CPU) of each, and the
 * times of all its runs (those that ended early marked with `!`).
 */
async function interleaved(n: number, fs: (() => Run | Promise<Run>)[]) {
  const r = fs.map(() => [] as Run[]);
  for (let i = 0; i < n; i++) for (let j = 0; j < fs.length; j++) r[j].push(await fs[j]());
  return r.map((all, j) => {
    // a run whose sink got fewer packets than the others ended early: it is left out of the
    // best-of, and said. GPAC 26.07 does this by itself with worker threads (`gpac -threads=2
    // -i aac_30min.mp4 reframer inspect:allp:deep:log=null -stats` ends after 5k to 70k of the
    // 77k packets in most runs); the binding's ThreadWatch (core/thread_watch.ts) prevents it
    const most = Math.max(...all.map((x) => x.sunk ?? 0));
    const xs = all.filter((x) => (x.sunk ?? 0) === most);
    if (xs.length < all.length) {
      console.log(
        `(pipeline ${j + 1}: ${all.length - xs.length} of ${all.length} runs ended early, ` +
          `their sink got ${all.filter((x) => (x.sunk ?? 0) !== most).map((x) => x.sunk)} ` +
          `of ${most} packets: left out)`,
      );
    }
    return {
      seconds: Math.min(...xs.map((x) => x.seconds)),
      cpu: Math.min(...xs.map((x) => x.cpu)),
      packets: xs[0].packets,
      calls: xs[0].calls ?? 0,
      runs: all.map((x) => `${x.seconds.toFixed(3)}${(x.sunk ?? 0) === most ? "" : "!"}`).join(" "),
      dropped: all.length - xs.length,
    };
  });
}

function repeat(
  n: number,
  f: () => { seconds: number; cpu: number; packets: number; calls?: number },
) {
  const r = Array.from({ length: n }, f);
  return {
    seconds: median(r.map((x) => x.seconds)),
    cpu: median(r.map((x) => x.cpu)),
    packets: r[0].packets,
    calls: r[0].calls ?? 0,
  };
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

/** 4 s of 1080p YUV 4:2:0 from avgen (100 frames, 311 MB), cached like the AAC input. */
async function ensureRawInput(): Promise<string> {
  const dir = `${Deno.env.get("TMPDIR") ?? "/tmp"}/deno-gpac-bench`;
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/raw_1080p_4s.yuv`;
  try {
    if ((await Deno.stat(path)).size === 1920 * 1080 * 3 / 2 * 100) return path;
  } catch { /* not cached yet */ }
  console.log(`generating 4 s of 1080p raw video into ${path} (cached for later runs)…`);
  using fs = new FilterSession();
  fs.loadSrc("avgen:type=v:sizes=1920x1080:dur=4");
  fs.loadDst(`${path}.part.yuv`);
  fs.run();
  await Deno.rename(`${path}.part.yuv`, path);
  return path;
}

/** Times the fs.run() call of libgpac.py's CPU time instead of its wall time. */
const PY_CPU_WRAPPER = [
  "import sys, time",
  "time.perf_counter = time.process_time",
  "script = sys.argv[1]",
  "sys.argv = sys.argv[1:]",
  "exec(compile(open(script).read(), script, 'exec'))",
].join("\n");

async function python(file: string, mode: "custom" | "native" | "reframer", cpu = false) {
  const script = Deno.env.get("LIBGPAC_PY_BENCH") ??
    new URL("../../shared/bench/libgpac_py_passthrough.py", import.meta.url).pathname;
  const lib = "/opt/gpac/lib"; // set up front: the script re-executes itself to set it
  const env = { LD_LIBRARY_PATH: `${lib}:${Deno.env.get("LD_LIBRARY_PATH") ?? ""}` };
  const out = await new Deno.Command("python3", {
    env,
    args: cpu ? ["-c", PY_CPU_WRAPPER, script, file, mode] : [script, file, mode],
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

console.log(`\n# 1. pass-through, ${input}, best of ${RUNS} interleaved runs`);
// one run of each pipeline per round, so that load from other processes hits all of them alike;
// the best of the rounds is the least disturbed run of each
const [native, ts, tsOne, cExtra] = await interleaved(RUNS, [
  () => timeRun(input, SINK),
  // the default: FilterCustom asks for DEFAULT_INPUT_BUFFER_US of input buffer, so that one
  // process() call handles the packets the demuxer queued meanwhile
  () => timeRun(input, SINK, (fs) => new PassThrough(fs)),
  // inputBuffer: 0, GPAC's own buffer: one process() call (one C→JS crossing) per packet
  () => timeRun(input, SINK, (fs) => new PassThrough(fs, 0)),
  // the cost GPAC itself adds for one more filter in the chain (a native C filter, reframer)
  () => timeRun(input, SINK, undefined, 0, "reframer"),
]);
const pkts = ts.packets;
const tsOver = (ts.seconds - native.seconds) / pkts;
const tsOneOver = (tsOne.seconds - native.seconds) / pkts;
const gpacFilterCost = (cExtra.seconds - native.seconds) / pkts;
const perCall = (r: { calls: number }) =>
  `${r.calls} process() calls, ${(pkts / r.calls).toFixed(1)} packets per call`;
console.log(`native (Deno process):     ${native.seconds.toFixed(3)} s`);
console.log(
  `TS pass-through (default): ${ts.seconds.toFixed(3)} s for ${pkts} packets, ${
    us(tsOver)
  } µs per packet over native (${perCall(ts)})`,
);
console.log(
  `TS pass-through, inputBuffer: 0: ${tsOne.seconds.toFixed(3)} s, ${
    us(tsOneOver)
  } µs per packet over native (${perCall(tsOne)})`,
);
console.log(
  `native extra filter (reframer): ${cExtra.seconds.toFixed(3)} s, ${
    us(gpacFilterCost)
  } µs per packet over native`,
);
// process CPU time of the same runs: far less sensitive than wall time to other processes
// sharing the machine (single-threaded sessions: the CPU time is the session's work)
console.log(
  `CPU time per packet beyond a native extra filter (reframer ${
    us((cExtra.cpu - native.cpu) / pkts)
  } µs over native): TS ${us((ts.cpu - cExtra.cpu) / pkts)} µs, TS with inputBuffer: 0 ${
    us((tsOne.cpu - cExtra.cpu) / pkts)
  } µs`,
);

/** `py / ts` as a ratio, or a note when the TS filter costs less than the native one. */
const ratio = (py: number, ts: number) =>
  ts > 0
    ? `${(py / ts).toFixed(1)}x`
    : "n/a (the TS filter costs less than a native filter scheduled once per packet)";

if (SECTIONS.has("1") && !args.values["no-python"]) {
  const pyNative: number[] = [];
  const pyCustom: number[] = [];
  let pyPkts = 0;
  for (let i = 0; i < RUNS; i++) {
    pyNative.push((await python(input, "native")).seconds);
    const c = await python(input, "custom");
    pyCustom.push(c.seconds);
    pyPkts = c.packets ?? 0;
  }
  const pyOver = (Math.min(...pyCustom) - Math.min(...pyNative)) / pyPkts;
  console.log(`native (Python process):   ${Math.min(...pyNative).toFixed(3)} s`);
  console.log(
    `libgpac.py pass-through:   ${Math.min(...pyCustom).toFixed(3)} s for ${pyPkts} packets, ${
      us(pyOver)
    } µs per packet over native`,
  );
  console.log(
    `ratio libgpac.py / TS overhead over native: default ${(pyOver / tsOver).toFixed(1)}x, ` +
      `inputBuffer: 0 ${(pyOver / tsOneOver).toFixed(1)}x`,
  );
  // what each binding adds beyond the scheduling cost of one more filter, which GPAC charges
  // any filter, native or not (measured above with reframer); the goal: <= 0.20 µs, >= 12x
  const pyBinding = pyOver - gpacFilterCost;
  console.log(
    `beyond a native filter's cost (goal: TS <= 0.20 µs, ratio >= 12x): TS ${
      us(tsOver - gpacFilterCost)
    } µs, libgpac.py ${us(pyBinding)} µs, ratio ${ratio(pyBinding, tsOver - gpacFilterCost)}`,
  );
  console.log(
    `the same, TS with inputBuffer: 0 (one crossing per packet): TS ${
      us(tsOneOver - gpacFilterCost)
    } µs, ratio ${ratio(pyBinding, tsOneOver - gpacFilterCost)}`,
  );
  // the same in process CPU time (robust to other load on the machine)
  const pyCpu: Record<string, number[]> = { native: [], reframer: [], custom: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const m of ["native", "reframer", "custom"] as const) {
      pyCpu[m].push((await python(input, m, true)).seconds);
    }
  }
  const pyCpuBinding = (Math.min(...pyCpu.custom) - Math.min(...pyCpu.reframer)) / pyPkts;
  const tsCpuBinding = (ts.cpu - cExtra.cpu) / pkts;
  const tsOneCpuBinding = (tsOne.cpu - cExtra.cpu) / pkts;
  console.log(
    `CPU time beyond a native filter's cost: TS ${us(tsCpuBinding)} µs, libgpac.py ${
      us(pyCpuBinding)
    } µs, ratio ${ratio(pyCpuBinding, tsCpuBinding)}; TS with inputBuffer: 0 ${
      us(tsOneCpuBinding)
    } µs, ratio ${ratio(pyCpuBinding, tsOneCpuBinding)}`,
  );
}

if (SECTIONS.has("2")) {
  console.log(
    `\n# 2. edit of 1080p raw frames (cached YUV file, 4 s), median of ${RUNS} runs`,
  );
  const raw = `${await ensureRawInput()}:size=1920x1080:spfmt=yuv:fps=25`;
  timeRun(raw, SINK); // warm-up: the first read of the 311 MB file comes from disk
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
}

if (SECTIONS.has("3")) {
  const N = THREADS;
  console.log(
    `\n# 3. threads: ${N} vs threads: 0 (blocking: true unless said; the JS thread is GPAC's main thread, ` +
      `TS filters are pinned to it), best of ${RUNS} interleaved runs; ratio < 1: threads faster`,
  );
  const enc = `avgen:type=v:sizes=1280x720:dur=${ENCODE_SECONDS}`;
  const encode = (threads: number) =>
    timeEncode(enc, (fs) => new LumaLine(fs), "ffenc:c=avc:b=2m", threads);
  const logs = getLogs();
  setLogs("all@warning"); // avgen says "done playing" at the end of each run
  const [pt0, ptN, stepN, asyncN, one0, oneN, nat0, natN, enc0, encN] = await interleaved(RUNS, [
    () => timeRun(input, SINK, (fs) => new PassThrough(fs), 0),
    () => timeRun(input, SINK, (fs) => new PassThrough(fs), N),
    // blocking: false, what runAsync() needs: libgpac steps the session, run() loops
    () => timeRun(input, SINK, (fs) => new PassThrough(fs), N, undefined, false),
    // the same session driven by runAsync(), a 1 ms interval timer running
    () => timeRunAsync(input, SINK, (fs) => new PassThrough(fs), N),
    () => timeRun(input, SINK, (fs) => new PassThrough(fs, 0), 0),
    () => timeRun(input, SINK, (fs) => new PassThrough(fs, 0), N),
    () => timeRun(input, SINK, undefined, 0, "reframer"),
    () => timeRun(input, SINK, undefined, N, "reframer"),
    () => encode(0),
    () => encode(N),
  ]);
  setLogs(logs, true);
  type Best = typeof pt0;
  const line = (what: string, a: Best, b: Best, unit: string) =>
    console.log(
      `${what}: threads: 0 ${a.seconds.toFixed(3)} s (CPU ${a.cpu.toFixed(3)} s), threads: ${N} ${
        b.seconds.toFixed(3)
      } s (CPU ${b.cpu.toFixed(3)} s), ${b.packets} ${unit}: ratio ${
        (b.seconds / a.seconds).toFixed(2)
      }\n  every run (s, ! = ended early, left out): threads: 0 ${a.runs}; threads: ${N} ${b.runs}`,
    );
  line("TS pass-through (default input buffer), blocking: true", pt0, ptN, "packets");
  line(`TS pass-through, threads: ${N} stepped (the default session)`, pt0, stepN, "packets");
  line(`TS pass-through, threads: ${N} stepped, runAsync()`, pt0, asyncN, "packets");
  console.log(
    `  runAsync() ÷ run() of the same (default, stepped) session: ${
      (asyncN.seconds / stepN.seconds).toFixed(2)
    }; 1 ms timer ticks per second during runAsync(): ${asyncTicks.perSecond.toFixed(0)}`,
  );
  line("TS pass-through, inputBuffer: 0", one0, oneN, "packets");
  line("native reframer instead of the TS filter (GPAC alone)", nat0, {
    ...natN,
    packets: ptN.packets,
  }, "packets");
  line(
    `encode: 720p avgen -> TS line drawing -> ffenc avc -> inspect (${ENCODE_SECONDS} s)`,
    enc0,
    encN,
    "frames",
  );
}

/** The machine's 1, 5 and 15 min load averages, to print next to timings ("n/a" without
 * `--allow-sys=loadavg`). */
function loadAverage(): string {
  try {
    return Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  } catch {
    return "n/a";
  }
}

/** `gf_fs_run` until the session looks done; returns the number of steps. */
function nativeStepLoop(sym: ReturnType<typeof gpacSymbols>, p: Deno.PointerValue): number {
  let n = 0;
  do {
    sym.gf_fs_run(p);
    n++;
  } while (!sym.gf_fs_is_last_task(p));
  return n;
}

/** µs per `gf_fs_run` call on a session with nothing to do (best of 7 rounds of 50k calls). */
function idleStepCost(): number {
  using fs = new FilterSession({ nonBlocking: true });
  const sym = gpacSymbols();
  const p = fs.handle;
  const loop = (n: number) => {
    for (let i = 0; i < n; i++) sym.gf_fs_run(p);
  };
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    loop(50_000);
    best = Math.min(best, (performance.now() - t0) * 1000 / 50_000);
  }
  return best;
}

if (SECTIONS.has("4")) {
  let stepsPerRun = 0;
  let pkts4 = 0;
  console.log(
    `\n# 4. the default session and runAsync() vs libgpac's blocking loop (blocking: true), ` +
      `TS pass-through, ${RUNS} interleaved rounds, ${navigator.hardwareConcurrency} cores, ` +
      `load ${loadAverage()}`,
  );
  const percentile = (xs: number[], p: number): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
  };
  type Run = { seconds: number; cpu: number; packets: number; lags: number[]; cpuGaps: number[] };
  const cpuNow = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000; // ms
  };
  const timeAsync = async (
    withServer: boolean,
    options: { maxIoIntervalMs?: number } = {},
    make: (fs: FilterSession) => { count?: number } | undefined = (fs) =>
      build(fs, input, SINK, (f) => new PassThrough(f)),
  ): Promise<Run & { latencies: number[] }> => {
    using fs = new FilterSession(); // the default session: no option needed for runAsync()
    const m = make(fs);
    // a 1 ms interval: the wall-clock gap between ticks beyond 1 ms (lag), and the CPU time the
    // process used between ticks, which is the part of the gap the session's slices cause
    // (wall gaps also count the time other processes hold the cores)
    const lags: number[] = [];
    const cpuGaps: number[] = [];
    let last = performance.now();
    let lastCpu = cpuNow();
    const iv = setInterval(() => {
      const now = performance.now();
      const cpu = cpuNow();
      lags.push(now - last - 1);
      cpuGaps.push(cpu - lastCpu);
      last = now;
      lastCpu = cpu;
    }, 1);
    const latencies: number[] = [];
    let server: Deno.HttpServer<Deno.NetAddr> | undefined;
    let client: Promise<void> | undefined;
    let running = true;
    if (withServer) {
      server = Deno.serve(
        { port: 0, hostname: "127.0.0.1", onListen() {} },
        () => new Response("ok"),
      );
      const url = `http://127.0.0.1:${server.addr.port}/`;
      client = (async () => {
        while (running) {
          const t = performance.now();
          await (await fetch(url)).text();
          if (running) latencies.push(performance.now() - t);
        }
      })();
    }
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fs.runAsync(options);
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    running = false;
    clearInterval(iv);
    await client;
    await server?.shutdown();
    return {
      seconds,
      cpu: (c.user + c.system) / 1e6,
      packets: m?.count ?? 0,
      lags,
      cpuGaps,
      latencies,
    };
  };
  const sync = (f: () => { seconds: number; cpu: number; packets: number }) => () =>
    Promise.resolve({ ...f(), lags: [] as number[], cpuGaps: [] as number[] });
  const kinds: [string, () => Promise<Run>][] = [
    // the reference: libgpac's own loop
    ["blocking: true, run()", sync(() => timeRun(input, SINK, (f) => new PassThrough(f), 0))],
    // the default session: libgpac steps, run() loops over the steps
    [
      "default session, run()",
      sync(() => timeRun(input, SINK, (f) => new PassThrough(f), 0, undefined, false)),
    ],
    // the floor of any stepping design: gf_fs_run() (a slow call: it runs JS callbacks) in a
    // tight loop, no JS in between
    [
      "native step loop",
      sync(() => {
        using fs = new FilterSession({ nonBlocking: true });
        const m = build(fs, input, SINK, (f) => new PassThrough(f));
        const sym = gpacSymbols();
        const p = fs.handle;
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        stepsPerRun = nativeStepLoop(sym, p);
        sym.gf_fs_stop(p);
        const c = process.cpuUsage(c0);
        const seconds = (performance.now() - t0) / 1000;
        pkts4 = m?.count ?? 0;
        return { seconds, cpu: (c.user + c.system) / 1e6, packets: pkts4 };
      }),
    ],
    ["runAsync(), 1 ms timer", () => timeAsync(false)],
  ];
  const runs: Run[][] = kinds.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (let k = 0; k < kinds.length; k++) runs[k].push(await kinds[k][1]());
  }
  // the fixed cost of one step: gf_fs_run on a session with nothing to do (the slow FFI call
  // that a step must be, since it runs JS callbacks, plus GPAC's entry into its scheduler)
  const stepCost = idleStepCost();
  // per-round ratios (each round's runs saw about the same load), then their median
  const ratio = (k: number, key: "seconds" | "cpu") =>
    median(runs[k].map((r, i) => runs[0][i][key] / r[key]));
  for (let k = 0; k < kinds.length; k++) {
    const wall = median(runs[k].map((r) => r.seconds));
    const cpu = median(runs[k].map((r) => r.cpu));
    const rel = k === 0
      ? "(reference)"
      : `-> ${ratio(k, "seconds").toFixed(3)}x of blocking throughput (wall), ` +
        `${ratio(k, "cpu").toFixed(3)}x (CPU)`;
    console.log(
      `${kinds[k][0].padEnd(24)} wall ${wall.toFixed(3)} s, CPU ${cpu.toFixed(3)} s ${rel}`,
    );
  }
  console.log("target for runAsync(): >= 0.95x of blocking");
  // why a stepped session cannot reach 0.95x here: GPAC runs one filter's tasks per
  // gf_fs_run call in non-blocking mode, and this pipeline takes about 1.8 tasks per packet
  const blockingWall = median(runs[0].map((r) => r.seconds));
  const blockingCpu = median(runs[0].map((r) => r.cpu));
  const stepsTotal = stepsPerRun * stepCost / 1e6;
  console.log(
    `floor of any stepped run: ${stepsPerRun} steps (${
      (stepsPerRun / pkts4).toFixed(2)
    } per packet) x ${stepCost.toFixed(3)} µs (one step's fixed cost: gf_fs_run on an idle ` +
      `session, a slow FFI call) = ${(stepsTotal * 1000).toFixed(1)} ms over blocking's ${
        (blockingCpu * 1000).toFixed(0)
      } ms CPU -> at best ${(blockingCpu / (blockingCpu + stepsTotal)).toFixed(3)}x (CPU), ${
        (blockingWall / (blockingWall + stepsTotal)).toFixed(3)
      }x (wall)`,
  );
  const asyncK = kinds.length - 1;
  const lags = runs[asyncK].flatMap((r) => r.lags);
  const cpuGaps = runs[asyncK].flatMap((r) => r.cpuGaps);
  console.log(
    `1 ms timer lag during runAsync: p50 ${percentile(lags, 0.5).toFixed(2)} ms, p99 ${
      percentile(lags, 0.99).toFixed(2)
    } ms over ${lags.length} ticks (target p99 <= 10 ms); CPU time between ticks: p50 ${
      percentile(cpuGaps, 0.5).toFixed(2)
    } ms, p99 ${percentile(cpuGaps, 0.99).toFixed(2)} ms (load now ${loadAverage()})`,
  );
  // a Deno.serve endpoint in the same process, queried in a loop by fetch() during runAsync():
  // polling I/O more often answers sooner, and costs the session throughput (the polls, and the
  // requests' own work, which runs between slices); interleaved rounds per setting
  console.log(
    `Deno.serve during runAsync (a fetch() loop in the same process), by maxIoIntervalMs, ` +
      `${RUNS} interleaved rounds (blocking run for reference: ${blockingWall.toFixed(3)} s):`,
  );
  const ioSettings: [string, number | undefined][] = [
    ["default (25)", undefined],
    ["10", 10],
    ["4", 4],
    ["0 (every slice)", 0],
  ];
  const served = ioSettings.map(() => [] as (Run & { latencies: number[] })[]);
  for (let i = 0; i < RUNS; i++) {
    for (let k = 0; k < ioSettings.length; k++) {
      served[k].push(await timeAsync(true, { maxIoIntervalMs: ioSettings[k][1] }));
    }
  }
  for (let k = 0; k < ioSettings.length; k++) {
    const rs = served[k];
    const lat = rs.flatMap((r) => r.latencies);
    const wall = median(rs.map((r) => r.seconds));
    console.log(
      `  maxIoIntervalMs ${ioSettings[k][0].padEnd(16)} session ${wall.toFixed(3)} s (${
        (blockingWall / wall).toFixed(3)
      }x of blocking), ${(lat.length / rs.length).toFixed(0)} answers per run, latency p50 ${
        percentile(lat, 0.5).toFixed(2)
      } ms, p99 ${percentile(lat, 0.99).toFixed(2)} ms`,
    );
  }

  // where the step cost is amortised: an encode (720p avgen -> TS pass-through of the raw
  // frames -> ffenc H.264 -> inspect), same three ways, interleaved
  const encodeSecs = ENCODE_SECONDS;
  const makeEncode = (fs: FilterSession) => {
    const src = fs.loadSrc(`avgen:type=v:sizes=1280x720:dur=${encodeSecs}`);
    const m = new PassThrough(fs);
    m.setSource(src);
    const e = fs.load("ffenc:c=avc");
    e.setSource(m);
    fs.load("inspect:deep:log=null").setSource(e);
    return m;
  };
  const timeEncodeRun = (blocking: boolean): Run => {
    using fs = new FilterSession({ blocking });
    const m = makeEncode(fs);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fs.run();
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    return { seconds, cpu: (c.user + c.system) / 1e6, packets: m.count, lags: [], cpuGaps: [] };
  };
  const encKinds: [string, () => Promise<Run>][] = [
    ["blocking: true, run()", () => Promise.resolve(timeEncodeRun(true))],
    ["default session, run()", () => Promise.resolve(timeEncodeRun(false))],
    ["runAsync(), 1 ms timer", () => timeAsync(false, {}, makeEncode)],
  ];
  const encRuns: Run[][] = encKinds.map(() => []);
  const logs = getLogs();
  setLogs("all@warning"); // avgen says "done playing" at the end of each run
  try {
    for (let i = 0; i < RUNS; i++) {
      for (let k = 0; k < encKinds.length; k++) encRuns[k].push(await encKinds[k][1]());
    }
  } finally {
    setLogs(logs, true);
  }
  console.log(
    `encode, 720p avgen ${encodeSecs} s -> TS pass-through -> ffenc H.264 -> inspect ` +
      `(${encRuns[0][0].packets} frames), ${RUNS} interleaved rounds, load ${loadAverage()}:`,
  );
  for (let k = 0; k < encKinds.length; k++) {
    const wall = median(encRuns[k].map((r) => r.seconds));
    const cpu = median(encRuns[k].map((r) => r.cpu));
    const rel = k === 0
      ? "(reference)"
      : `-> ${
        median(encRuns[k].map((r, i) => encRuns[0][i].seconds / r.seconds)).toFixed(3)
      }x of blocking throughput (wall), ${
        median(encRuns[k].map((r, i) => encRuns[0][i].cpu / r.cpu)).toFixed(3)
      }x (CPU)`;
    console.log(
      `  ${encKinds[k][0].padEnd(24)} wall ${wall.toFixed(3)} s, CPU ${cpu.toFixed(3)} s ${rel}`,
    );
  }
  const encLags = encRuns[2].flatMap((r) => r.lags);
  console.log(
    `  1 ms timer lag during runAsync: p50 ${percentile(encLags, 0.5).toFixed(2)} ms, p99 ${
      percentile(encLags, 0.99).toFixed(2)
    } ms over ${encLags.length} ticks`,
  );
}

/** Runs `wrk` for `seconds`; returns req/s, requests, non-2xx and socket errors, mean latency. */
async function wrk(url: string, seconds: number, conns: number) {
  const out = await new Deno.Command("wrk", {
    args: [`-t${Math.min(2, conns)}`, `-c${conns}`, `-d${seconds}s`, url],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout((seconds + 30) * 1000),
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  const lat = /Latency\s+([\d.]+)(us|ms|s)/.exec(text);
  const latencyMs = lat ? Number(lat[1]) * ({ us: 1e-3, ms: 1, s: 1e3 }[lat[2]] ?? 1) : NaN;
  const socketErrors = (/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
    .exec(text)?.slice(1) ?? []).reduce((a, b) => a + Number(b), 0);
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    requests: num(/(\d+) requests in/),
    seconds: (() => {
      const m = /requests in ([\d.]+)(ms|s|m)\b/.exec(text);
      return m ? Number(m[1]) * ({ ms: 1e-3, s: 1, m: 60 }[m[2]] ?? 1) : seconds;
    })(),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
    socketErrors,
    latencyMs,
  };
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const mb = (n: number) => (n / 1048576).toFixed(1);

/** What `uptime` prints (load average; `--allow-run` is granted, `--allow-sys` is not). */
async function loadLine(): Promise<string> {
  try {
    const out = await new Deno.Command("uptime", { stdout: "piped", stderr: "null" }).output();
    return `uptime: ${
      new TextDecoder().decode(out.stdout).trim()
    } (${navigator.hardwareConcurrency} cores)`;
  } catch {
    return "uptime: not available";
  }
}

/** One measured run: a server process (bench/httpout_server.ts) under `wrk`. */
interface ServedRun {
  rps: number;
  requests: number;
  errors: number;
  latencyMs: number;
  /** Server RSS at the end of the run. */
  rss: number;
  /** Server CPU time (user + system) per request, in µs. */
  cpuPerRequestUs: number;
}

/** Options of a bench server process. */
interface ServerOptions {
  hook: boolean;
  maxp?: number;
  sliceMs?: number;
}

/**
 * A child process serving `dir` with `httpout` under `runAsync()` (with the TS hook when `hook`):
 * `mark()` restarts its CPU count, `stop()` ends it and returns its RSS and CPU time.
 */
class BenchServer {
  readonly port = freePort();
  readonly url: string;
  readonly #child: Deno.ChildProcess;
  readonly #stdin: WritableStreamDefaultWriter<Uint8Array>;
  readonly #lines: ReadableStreamDefaultReader<string>;
  #buffered = "";

  constructor(dir: string, o: ServerOptions, timeoutS: number) {
    this.url = `http://127.0.0.1:${this.port}/f.bin`;
    this.#child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-ffi",
        "--allow-env",
        "--allow-read",
        "--allow-net=127.0.0.1",
        new URL("./httpout_server.ts", import.meta.url).pathname,
        `--port=${this.port}`,
        `--dir=${dir}`,
        `--slice-ms=${o.sliceMs ?? 4}`,
        ...(o.hook ? ["--hook"] : []),
        ...(o.maxp === undefined ? [] : [`--maxp=${o.maxp}`]),
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
      signal: AbortSignal.timeout(timeoutS * 1000),
    }).spawn();
    this.#stdin = this.#child.stdin.getWriter();
    this.#lines = this.#child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  }

  async #nextLine(): Promise<string> {
    for (;;) {
      const nl = this.#buffered.indexOf("\n");
      if (nl >= 0) {
        const line = this.#buffered.slice(0, nl);
        this.#buffered = this.#buffered.slice(nl + 1);
        return line;
      }
      const { value, done } = await this.#lines.read();
      if (done) throw new Error(`bench server exited early (${this.#buffered.trim()})`);
      this.#buffered += value;
    }
  }

  async #expect(what: string): Promise<void> {
    const line = await this.#nextLine();
    if (line !== what) throw new Error(`bench server: ${line}`);
  }

  /** Resolves once the filter listens. */
  ready(): Promise<void> {
    return this.#expect("ready");
  }

  /** The server counts its CPU time from here. */
  async mark(): Promise<void> {
    await this.#stdin.write(new TextEncoder().encode("mark\n"));
    await this.#expect("marked");
  }

  /** Stops the server: its RSS and CPU time since the last mark. */
  async stop(): Promise<{ rss: number; cpuUs: number }> {
    await this.#stdin.close();
    const end = JSON.parse(await this.#nextLine()) as {
      rss: number;
      cpuUs: number;
      outcome: string;
    };
    if (end.outcome !== "aborted") throw new Error(`bench server session ${end.outcome}`);
    return end;
  }

  /** Ends the process whatever its state (after stop(), or on an error). */
  async dispose(): Promise<void> {
    await this.#stdin.close().catch(() => {}); // already closed, or the server is gone
    this.#lines.releaseLock();
    await this.#child.stdout.cancel().catch(() => {});
    await this.#child.status;
  }
}

/**
 * Serves `dir` from one server process, loads it with `wrk` for `seconds`, and reads the
 * server's RSS and CPU time.
 */
async function serveRun(
  dir: string,
  o: ServerOptions & { conns: number; seconds: number },
): Promise<ServedRun> {
  const server = new BenchServer(dir, o, o.seconds + 60);
  try {
    await server.ready();
    const r = await wrk(server.url, o.seconds, o.conns);
    const end = await server.stop();
    return {
      rps: r.rps,
      requests: r.requests,
      errors: r.non2xx + r.socketErrors,
      latencyMs: r.latencyMs,
      rss: end.rss,
      cpuPerRequestUs: end.cpuUs / Math.max(1, r.requests),
    };
  } finally {
    await server.dispose();
  }
}

/**
 * One pair: a server without and one with the hook, both running for the whole pair (the one
 * not under load idles). Each gets `warmup` seconds of load that are not counted, then `wrk`
 * alternates between them in `chunk`-second runs (order ABBA ABBA..., `first` starting) until
 * each had `seconds`: a load on the machine that drifts during the pair hits both alike.
 */
async function servePair(
  dir: string,
  o: { maxp?: number; conns: number; seconds: number; warmup: number; chunk: number },
  first: "plain" | "hook",
): Promise<{ plain: ServedRun; hook: ServedRun }> {
  const timeout = 2 * (o.seconds + o.warmup) + 120;
  const servers = {
    plain: new BenchServer(dir, { hook: false, maxp: o.maxp }, timeout),
    hook: new BenchServer(dir, { hook: true, maxp: o.maxp }, timeout),
  };
  try {
    await Promise.all([servers.plain.ready(), servers.hook.ready()]);
    const second: "plain" | "hook" = first === "plain" ? "hook" : "plain";
    for (const k of [first, second] as const) {
      if (o.warmup > 0) await wrk(servers[k].url, o.warmup, o.conns);
    }
    await servers.plain.mark();
    await servers.hook.mark();
    const sum = {
      plain: { requests: 0, seconds: 0, errors: 0, latency: 0 },
      hook: { requests: 0, seconds: 0, errors: 0, latency: 0 },
    };
    const rounds = Math.max(1, Math.round(o.seconds / o.chunk));
    for (let i = 0; i < rounds; i++) {
      const order: ("plain" | "hook")[] = i % 2 === 0 ? [first, second] : [second, first];
      for (const k of order) {
        const r = await wrk(servers[k].url, o.seconds / rounds, o.conns);
        sum[k].requests += r.requests;
        sum[k].seconds += r.seconds;
        sum[k].errors += r.non2xx + r.socketErrors;
        sum[k].latency += r.latencyMs / rounds;
      }
    }
    const ends = { plain: await servers.plain.stop(), hook: await servers.hook.stop() };
    const run = (k: "plain" | "hook"): ServedRun => ({
      rps: sum[k].requests / sum[k].seconds,
      requests: sum[k].requests,
      errors: sum[k].errors,
      latencyMs: sum[k].latency,
      rss: ends[k].rss,
      cpuPerRequestUs: ends[k].cpuUs / Math.max(1, sum[k].requests),
    });
    return { plain: run("plain"), hook: run("hook") };
  } finally {
    await Promise.all([servers.plain.dispose(), servers.hook.dispose()]);
  }
}

if (SECTIONS.has("5")) {
  const seconds = Number(args.values["wrk-seconds"]);
  const reps = Number(args.values["wrk-reps"]);
  const warmup = Number(args.values["wrk-warmup"]);
  const chunk = Number(args.values["wrk-chunk"]);
  console.log(
    `\n# 5. load and memory: wrk -t2 -c50 -d${seconds}s on httpout (1 KB file) under ` +
      `runAsync(), ${reps} pairs per setting, each of two server processes (no hook, hook) ` +
      `warmed up for ${warmup} s (not counted), then loaded in turns of ${chunk} s (ABBA)`,
  );
  let haveWrk = true;
  try {
    await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" }).output();
  } catch {
    haveWrk = false;
    console.log("wrk not found: skipping the load measurements (install wrk to run them)");
  }
  if (haveWrk) {
    console.log(`before: ${await loadLine()}`);
    const dir = await Deno.makeTempDir({ prefix: "deno-gpac-bench-www-" });
    Deno.writeFileSync(`${dir}/f.bin`, new Uint8Array(1024).fill(65));
    const pct = (x: number) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}%`;
    // default maxp (6 connections per peer: GPAC refuses the others, wrk counts them as socket
    // errors, alike with and without the hook), and maxp=0 (all 50 connections served)
    for (const maxp of [undefined, 0]) {
      const name = maxp === undefined ? "default maxp (6)" : `maxp=${maxp}`;
      const runs = { plain: [] as ServedRun[], hook: [] as ServedRun[] };
      const rpsCost: number[] = [];
      const cpuCost: number[] = [];
      for (let i = 0; i < reps; i++) {
        // alternate which goes first, so that a drifting load favours neither
        const first: "plain" | "hook" = i % 2 === 0 ? "plain" : "hook";
        const { plain, hook } = await servePair(
          dir,
          { maxp, conns: 50, seconds, warmup, chunk },
          first,
        );
        runs.plain.push(plain);
        runs.hook.push(hook);
        rpsCost.push(1 - hook.rps / plain.rps);
        cpuCost.push(hook.cpuPerRequestUs / plain.cpuPerRequestUs - 1);
        // every pair, as measured
        console.log(
          `${name}: pair ${i + 1} (${first === "plain" ? "no hook first" : "hook first"}): req/s ` +
            `${plain.rps.toFixed(0)} without, ${hook.rps.toFixed(0)} with the hook ` +
            `(cost ${pct(rpsCost[i])}); server CPU per request ${
              plain.cpuPerRequestUs.toFixed(1)
            } / ${hook.cpuPerRequestUs.toFixed(1)} µs (${pct(cpuCost[i])}); load ${loadAverage()}`,
        );
      }
      const spread = (xs: number[]) => {
        const s = [...xs].sort((a, b) => a - b);
        return `${pct(s[0])} to ${pct(s[s.length - 1])}`;
      };
      const errs = (rs: ServedRun[]) => rs.reduce((a, r) => a + r.errors, 0);
      const med = (rs: ServedRun[], f: (r: ServedRun) => number) => median(rs.map(f));
      console.log(
        `${name}: hook cost ${pct(median(rpsCost))} of req/s (median of ${reps} pairs, spread ` +
          `${spread(rpsCost)}; target <= 15%)`,
      );
      const cpuPlain = med(runs.plain, (r) => r.cpuPerRequestUs);
      const cpuHook = med(runs.hook, (r) => r.cpuPerRequestUs);
      console.log(
        `${name}: server CPU per request ${pct(median(cpuCost))} with the hook (median of the ` +
          `pairs' ratios, spread ${spread(cpuCost)}); medians ${cpuPlain.toFixed(1)} µs ` +
          `without, ${cpuHook.toFixed(1)} µs with (${cpuHook >= cpuPlain ? "+" : ""}${
            (cpuHook - cpuPlain).toFixed(1)
          } µs)`,
      );
      const rssPlain = med(runs.plain, (r) => r.rss);
      const rssHook = med(runs.hook, (r) => r.rss);
      console.log(
        `${name}: RSS ${mb(rssPlain)} MB without, ${mb(rssHook)} MB with the hook ` +
          `(${rssHook >= rssPlain ? "+" : ""}${mb(rssHook - rssPlain)} MB; target <= 20 MB); ` +
          `errors ${errs(runs.plain)} without, ${errs(runs.hook)} with the hook` +
          (maxp === undefined ? " (connections GPAC refused beyond maxp)" : ""),
      );
    }
    console.log(`after: ${await loadLine()}`);
    // one keep-alive connection: per-request latency
    const one = await serveRun(dir, { hook: true, maxp: 0, conns: 1, seconds: 3 });
    const oneSlow = await serveRun(dir, {
      hook: true,
      maxp: 0,
      conns: 1,
      seconds: 3,
      sliceMs: 100,
    });
    console.log(
      `one keep-alive connection under runAsync(): ${one.latencyMs.toFixed(2)} ms per request ` +
        `(sliceMs 4, GPAC max sleep 2 ms), ${oneSlow.latencyMs.toFixed(2)} ms with sliceMs 100 ` +
        `(max sleep 10 ms); an idle httpout reschedules itself 50 ms ahead (out_http.c, "wakeup ` +
        `every 50ms when inactive"), the session's max sleep only bounds the scheduler's waits`,
    );
    try {
      for (const extra of [[], ["-max-sleep=1"]]) {
        const port = freePort();
        // the gpac next to the loaded libgpac (<prefix>/lib/libgpac.so -> <prefix>/bin/gpac)
        const libDir = libraryPath().replace(/\/[^/]*$/, "");
        const child = new Deno.Command(`${libDir.replace(/\/lib[^/]*$/, "")}/bin/gpac`, {
          args: [...extra, `httpout:port=${port}:rdirs=${dir}`],
          env: { LD_LIBRARY_PATH: libDir },
          stdout: "null",
          stderr: "null",
        }).spawn();
        try {
          await new Promise((r) => setTimeout(r, 500));
          const r = await wrk(`http://127.0.0.1:${port}/f.bin`, 3, 1);
          console.log(
            `gpac CLI ${extra.join(" ") || "(default -max-sleep=50)"}: one keep-alive ` +
              `connection ${r.latencyMs.toFixed(2)} ms per request, ${r.rps.toFixed(0)} req/s`,
          );
        } finally {
          child.kill("SIGKILL");
          await child.status;
        }
      }
    } catch (e) {
      console.log(`gpac CLI not runnable here (${(e as Error).message.split("\n")[0]})`);
    }
    await Deno.remove(dir, { recursive: true });
  }
  const cycles = Number(args.values.cycles);
  const cycle = () => {
    using fs = new FilterSession();
    fs.loadSrc("avgen:dur=0.04");
    fs.load("inspect:deep:log=null");
    fs.run();
  };
  const logs = getLogs();
  setLogs("all@warning"); // avgen says "done playing" at the end of each cycle
  const warm = Math.min(200, cycles >> 1);
  for (let i = 0; i < warm; i++) cycle();
  const before = Deno.memoryUsage().rss;
  for (let i = warm; i < cycles; i++) cycle();
  const after = Deno.memoryUsage().rss;
  setLogs(logs, true);
  console.log(
    `session open/run/close: RSS ${mb(before)} MB after ${warm} cycles, ${mb(after)} MB after ` +
      `${cycles}: ${mb(((after - before) / (cycles - warm)) * 1000)} MB per 1000 cycles`,
  );
}
