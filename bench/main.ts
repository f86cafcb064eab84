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
 * 4. `runAsync()` vs blocking `run()` on the TS pass-through, while a 1 ms `setInterval` runs
 *    (throughput ratio, timer lag p50/p99), and a `Deno.serve` endpoint queried in a loop
 *    during the session (answers and latency p50/p99).
 *
 * Each timing is the median of several runs. Options: `--runs N` (default 3), `--minutes M`
 * (length of the AAC input, default 30), `--no-python` (skip libgpac.py), `--sections 1,4`
 * (which sections to run; the pass-through baselines of section 1 are always measured).
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { FilterCustom, type FilterPid, FilterSession, GF_CAPS_INPUT_OUTPUT } from "../mod.ts";
import { gpacSymbols } from "../ffi/library.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "3" },
    minutes: { type: "string", default: "30" },
    "no-python": { type: "boolean", default: false },
    sections: { type: "string", default: "1,2,3,4" },
  },
});
const RUNS = Number(args.values.runs);
const MINUTES = Number(args.values.minutes);
const SECTIONS = new Set(args.values.sections.split(",").map((x) => x.trim()));

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
  return m as { count?: number } | undefined;
}

function timeRun(
  src: string,
  sinkDesc: string,
  middle?: (fs: FilterSession) => { count: number } & FilterCustom,
  threads = 0,
  nativeMiddle?: string,
): { seconds: number; cpu: number; packets: number } {
  using fs = new FilterSession({ threads });
  const m = build(fs, src, sinkDesc, middle, nativeMiddle);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fs.run();
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { seconds, cpu: (c.user + c.system) / 1e6, packets: m?.count ?? 0 };
}

function repeat(n: number, f: () => { seconds: number; cpu: number; packets: number }) {
  const r = Array.from({ length: n }, f);
  return {
    seconds: median(r.map((x) => x.seconds)),
    cpu: median(r.map((x) => x.cpu)),
    packets: r[0].packets,
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
// process CPU time of the same runs: far less sensitive than wall time to other processes
// sharing the machine (single-threaded sessions: the CPU time is the session's work)
console.log(
  `CPU time per packet: TS ${us((ts.cpu - native.cpu) / pkts)} µs over native, ${
    us((ts.cpu - cExtra.cpu) / pkts)
  } µs beyond a native extra filter (reframer ${us((cExtra.cpu - native.cpu) / pkts)} µs)`,
);

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
  const pyOver = (median(pyCustom) - median(pyNative)) / pyPkts;
  console.log(`native (Python process):   ${median(pyNative).toFixed(3)} s`);
  console.log(`libgpac.py pass-through:   ${median(pyCustom).toFixed(3)} s for ${pyPkts} packets`);
  console.log(`libgpac.py overhead/packet: ${us(pyOver)} µs`);
  console.log(`ratio libgpac.py / TS overhead: ${(pyOver / tsOver).toFixed(1)}x`);
  // what each binding adds beyond the scheduling cost of one more filter, which GPAC charges
  // any filter, native or not (measured above with reframer)
  const gpacFilterCost = (cExtra.seconds - native.seconds) / pkts;
  const tsBinding = tsOver - gpacFilterCost;
  const pyBinding = pyOver - gpacFilterCost;
  console.log(
    `beyond a native filter's cost: TS ${us(tsBinding)} µs, libgpac.py ${us(pyBinding)} µs, ` +
      `ratio ${(pyBinding / tsBinding).toFixed(1)}x`,
  );
  // the same in process CPU time (robust to other load on the machine)
  const pyCpu: Record<string, number[]> = { native: [], reframer: [], custom: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const m of ["native", "reframer", "custom"] as const) {
      pyCpu[m].push((await python(input, m, true)).seconds);
    }
  }
  const pyCpuBinding = (median(pyCpu.custom) - median(pyCpu.reframer)) / pyPkts;
  const tsCpuBinding = (ts.cpu - cExtra.cpu) / pkts;
  console.log(
    `CPU time beyond a native filter's cost: TS ${us(tsCpuBinding)} µs, libgpac.py ${
      us(pyCpuBinding)
    } µs, ratio ${(pyCpuBinding / tsCpuBinding).toFixed(1)}x`,
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
  console.log(`\n# 3. TS pass-through with threads: 2, median of ${RUNS} runs`);
  const thr = repeat(RUNS, () => timeRun(input, SINK, (fs) => new PassThrough(fs), 2));
  console.log(
    `single-threaded ${ts.seconds.toFixed(3)} s, threads: 2 ${thr.seconds.toFixed(3)} s, ratio ${
      (thr.seconds / ts.seconds).toFixed(2)
    }`,
  );
}

if (SECTIONS.has("4")) {
  console.log(
    `\n# 4. runAsync() vs run(), TS pass-through, 1 ms timer running, median of ${RUNS} runs`,
  );
  const percentile = (xs: number[], p: number): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
  };
  const timeAsync = async (withServer: boolean) => {
    using fs = new FilterSession({ nonBlocking: true });
    const m = build(fs, input, SINK, (f) => new PassThrough(f));
    const lags: number[] = [];
    let last = performance.now();
    const iv = setInterval(() => {
      const now = performance.now();
      lags.push(now - last - 1);
      last = now;
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
    const t0 = performance.now();
    await fs.runAsync();
    const seconds = (performance.now() - t0) / 1000;
    running = false;
    clearInterval(iv);
    await client;
    await server?.shutdown();
    return { seconds, packets: m?.count ?? 0, lags, latencies };
  };
  const asyncRuns = [];
  for (let i = 0; i < RUNS; i++) asyncRuns.push(await timeAsync(false));
  const asyncSec = median(asyncRuns.map((r) => r.seconds));
  // the floor of any stepping design: gf_fs_run() called in a tight loop, no JS in between
  const rawLoop = repeat(RUNS, () => {
    using fs = new FilterSession({ nonBlocking: true });
    const m = build(fs, input, SINK, (f) => new PassThrough(f));
    const sym = gpacSymbols();
    const p = fs.handle;
    const t0 = performance.now();
    do sym.gf_fs_run(p); while (!sym.gf_fs_is_last_task(p));
    sym.gf_fs_stop(p);
    return { seconds: (performance.now() - t0) / 1000, cpu: 0, packets: m?.count ?? 0 };
  });
  console.log(
    `native step loop (gf_fs_run until last task, no yields): ${rawLoop.seconds.toFixed(3)} s, ` +
      `${(ts.seconds / rawLoop.seconds).toFixed(2)}x of blocking`,
  );
  const allLags = asyncRuns.flatMap((r) => r.lags);
  console.log(
    `run() ${ts.seconds.toFixed(3)} s, runAsync() ${asyncSec.toFixed(3)} s: throughput ratio ${
      (ts.seconds / asyncSec).toFixed(2)
    }x of blocking (target >= 0.8)`,
  );
  console.log(
    `1 ms timer lag during runAsync: p50 ${percentile(allLags, 0.5).toFixed(2)} ms, p99 ${
      percentile(allLags, 0.99).toFixed(2)
    } ms over ${allLags.length} ticks (target p99 <= 10 ms)`,
  );
  const served = await timeAsync(true);
  console.log(
    `Deno.serve during runAsync: ${served.latencies.length} requests answered in ${
      served.seconds.toFixed(3)
    } s, latency p50 ${percentile(served.latencies, 0.5).toFixed(2)} ms, p99 ${
      percentile(served.latencies, 0.99).toFixed(2)
    } ms; session ${(ts.seconds / served.seconds).toFixed(2)}x of blocking throughput`,
  );
}
