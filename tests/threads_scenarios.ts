/**
 * Scenarios of tests/threads_test.ts, each run in its own child process so that a hang in a
 * multi-threaded session is killed (and fails the test) instead of blocking the suite:
 * `deno run -A tests/threads_scenarios.ts <scenario>` prints one JSON line.
 *
 * @module
 */

import {
  FilterCustom,
  type FilterEvent,
  type FilterPid,
  FilterSession,
  GF_CAPS_INPUT_OUTPUT,
  GF_CAPS_OUTPUT,
  GF_EOS,
  GF_FILTER_SAP_1,
  setLogs,
} from "../mod.ts";
import { gpacSymbols } from "../ffi/library.ts";
import { RecordingSink } from "./filters_helpers.ts";
import { frames, makeMedia, tmpPath } from "./helpers.ts";

/** The OS thread each callback ran on, as `gf_th_id()` reads it. */
const callbackThreads = new Set<number | bigint>();
const here = () => callbackThreads.add(gpacSymbols().gf_th_id());

/** A pass-through recording the thread of every callback and how packets came per call. */
class ThreadCheckPass extends FilterCustom {
  count = 0;
  calls = 0;
  constructor(fs: FilterSession, inputBuffer?: number, readonly throwAt = 0) {
    super(fs, "thpass", { inputBuffer });
    this.pushCap("StreamType", "Audio", GF_CAPS_INPUT_OUTPUT);
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
  }
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    here();
    if (!isRemove) this.mirrorPid(pid);
    return 0;
  }
  override processEvent(_evt: FilterEvent): boolean {
    here();
    return false;
  }
  override process(): number {
    here();
    this.calls++;
    for (const pid of this.ipids) {
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        if (this.throwAt && this.count === this.throwAt) explodeInProcess(this.count);
        pid.opid!.forward(pck);
        pid.dropPacket();
        this.count++;
      }
      if (pid.eos) pid.opid!.eos = true;
    }
    return 0;
  }
}

function explodeInProcess(n: number): never {
  throw new Error(`boom at packet ${n}`);
}

/** Raw video in and out, the output PID mirroring the input; each callback checks its thread. */
class RawVideoFilter extends FilterCustom {
  constructor(fs: FilterSession, name: string) {
    super(fs, name);
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
    this.pushCap("CodecID", "raw", GF_CAPS_INPUT_OUTPUT);
  }
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    here();
    if (!isRemove) this.mirrorPid(pid);
    return 0;
  }
}

/** A filter drawing a grey line across each raw frame (a clone of it) before the encoder. */
class LineDrawer extends RawVideoFilter {
  count = 0;
  constructor(fs: FilterSession) {
    super(fs, "thline");
  }
  override process(): number {
    here();
    for (const pid of this.ipids) {
      const w = pid.getProp("Width") as number;
      const h = pid.getProp("Height") as number;
      const stride = (pid.getProp("Stride") as number | null) ?? w;
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        const out = pid.opid!.newPckClone(pck);
        out.data.fill(128, (h >> 1) * stride, (h >> 1) * stride + w);
        out.send();
        pid.dropPacket();
        this.count++;
      }
      if (pid.eos) pid.opid!.eos = true;
    }
    return 0;
  }
}

/** Sends each raw frame again as a `newPckShared()` packet over a JS copy of its payload. */
class SharedCopy extends RawVideoFilter {
  sent = 0;
  released = 0;
  constructor(fs: FilterSession) {
    super(fs, "thshared");
  }
  override process(): number {
    here();
    for (const pid of this.ipids) {
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        const out = pid.opid!.newPckShared(pck.data.slice());
        out.copyProps(pck);
        out.send();
        this.sent++;
        pid.dropPacket();
      }
      if (pid.eos) pid.opid!.eos = true;
    }
    return 0;
  }
  override packetRelease(): void {
    here();
    this.released++;
  }
}

/** A source of `total` tiny text samples, 500 per `process()` call (a many-sample MP4, fast). */
class TinySamples extends FilterCustom {
  n = 0;
  readonly out: FilterPid;
  constructor(fs: FilterSession, readonly total: number) {
    super(fs, "thsamples");
    this.pushCap("StreamType", "Text", GF_CAPS_OUTPUT);
    this.out = this.newPid();
    this.out.setProp("StreamType", "Text");
    this.out.setProp("CodecID", "subs");
    this.out.setProp("Timescale", 1000);
  }
  override process(): number {
    for (let k = 0; k < 500 && this.n < this.total; k++, this.n++) {
      const p = this.out.newPck(4);
      p.data.fill(65);
      p.dts = p.cts = this.n * 10;
      p.dur = 10;
      p.sap = GF_FILTER_SAP_1;
      p.send();
    }
    if (this.n < this.total) return 0;
    this.out.eos = true;
    return GF_EOS;
  }
}

/** Packets GPAC's `inspect` consumed in `fs`. */
function inspected(fs: FilterSession): number {
  return Number(fs.stats().find((x) => x.regName === "inspect")?.nbPckProcessed ?? 0);
}

/** Runs `clip` → [ThreadCheckPass] → RecordingSink; what the sink and the filter saw. */
function passThrough(clip: string, threads: number, inputBuffer?: number) {
  using fs = new FilterSession({ threads });
  const src = fs.loadSrc(clip);
  const pass = new ThreadCheckPass(fs, inputBuffer);
  pass.setSource(src);
  const sink = new RecordingSink(fs);
  sink.setSource(pass);
  fs.run();
  const seen = Object.fromEntries(
    [...sink.seen.values()].map((s) => [s.streamType, { dts: s.dts.map(Number), eos: s.eos }]),
  );
  return { count: pass.count, calls: pass.calls, seen };
}

const jsThread = gpacSymbols().gf_th_id();
const scenario = Deno.args[0];
setLogs("all@warning");
const t0 = performance.now();
let out: Record<string, unknown>;
if (scenario === "counts") {
  const clip = makeMedia("threads_counts.mp4", 6);
  out = {
    ref: passThrough(clip, 0),
    threaded: passThrough(clip, 2),
    threadedPerPacket: passThrough(clip, 2, 0),
  };
} else if (scenario === "throw") {
  const clip = makeMedia("threads_throw.mp4", 2);
  using fs = new FilterSession({ threads: 2 });
  const src = fs.loadSrc(clip);
  const pass = new ThreadCheckPass(fs, undefined, 20);
  pass.setSource(src);
  new RecordingSink(fs).setSource(pass);
  let error: { message: string; stack: string } | null = null;
  try {
    fs.run();
  } catch (e) {
    error = { message: (e as Error).message, stack: String((e as Error).stack) };
  }
  out = { error, count: pass.count };
} else if (scenario === "async") {
  const clip = makeMedia("threads_async.mp4", 2);
  const run = async (opts: ConstructorParameters<typeof FilterSession>[0]) => {
    using fs = new FilterSession(opts);
    const src = fs.loadSrc(clip);
    const pass = new ThreadCheckPass(fs);
    pass.setSource(src);
    const sink = new RecordingSink(fs);
    sink.setSource(pass);
    // 0.5 ms of JS work per packet: each run lasts well over 25 ms, the longest runAsync() goes
    // without turning the event loop, so a 1 ms timer must run during it
    sink.onPacket = () => {
      const until = performance.now() + 0.5;
      while (performance.now() < until) { /* busy */ }
    };
    let ticks = 0;
    const iv = setInterval(() => ticks++, 1);
    const start = performance.now();
    try {
      await fs.runAsync({ signal: AbortSignal.timeout(60_000) });
    } finally {
      clearInterval(iv);
    }
    const ms = performance.now() - start;
    const frames = Object.fromEntries([...sink.seen.values()].map((s) => [s.streamType, s]));
    return {
      count: pass.count,
      audio: frames.Audio?.dts.length,
      video: frames.Visual?.dts.length,
      timerRan: ticks > 0,
      ms,
    };
  };
  let refusal = "";
  try {
    await run({ threads: 2, blocking: true });
  } catch (e) {
    refusal = (e as Error).message;
  }
  out = {
    ref: await run({}),
    stepped: await run({ threads: 2, blocking: false }),
    // the default threaded session is stepped: runAsync() drives it as it is
    byDefault: await run({ threads: 2 }),
    refusal,
  };
} else if (scenario === "encode") {
  const dst = tmpPath("threads_encode.mp4");
  const run = (threads: number) => {
    using fs = new FilterSession({ threads });
    const src = fs.loadSrc("avgen:type=v:sizes=1280x720:dur=1");
    const line = new LineDrawer(fs);
    line.setSource(src);
    const enc = fs.load("ffenc:c=avc:b=2m");
    enc.setSource(line);
    fs.loadDst(dst).setSource(enc);
    fs.run();
    return { drawn: line.count, written: frames(dst).get("Visual") ?? 0 };
  };
  out = { mono: run(0), threaded: run(2) };
} else if (scenario === "shared") {
  // newPckShared() packets consumed by an encoder on a worker thread (GPAC releases them there)
  const run = (threads: number) => {
    using fs = new FilterSession({ threads });
    const src = fs.loadSrc("avgen:type=v:sizes=320x180:dur=1");
    const copy = new SharedCopy(fs);
    copy.setSource(src);
    const enc = fs.load("ffenc:c=avc");
    enc.setSource(copy);
    fs.load("inspect:deep:log=null").setSource(enc);
    fs.run();
    return { sent: copy.sent, released: copy.released, pending: copy.nbSharedPending };
  };
  out = { mono: run(0), threaded: run(2) };
} else if (scenario === "eos") {
  // libgpac 26.07 ends threaded sessions early (see core/thread_watch.ts): an MP4 read by
  // mp4dmx straight into a fast sink lost part of its samples in 1 run of 5 (2 of 3 with a
  // reframer between them)
  const total = 60_000;
  const clip = tmpPath("threads_eos.mp4");
  {
    using fs = new FilterSession();
    new TinySamples(fs, total);
    fs.loadDst(clip);
    fs.run();
  }
  const build = (fs: FilterSession, middle: boolean) => {
    const src = fs.loadSrc(clip);
    const sink = fs.load("inspect:allp:deep:log=null");
    if (middle) {
      const r = fs.load("reframer");
      r.setSource(src);
      sink.setSource(r);
    } else sink.setSource(src);
  };
  const got: Record<string, number[]> = { blocking: [], stepped: [], async: [] };
  for (let i = 0; i < 20; i++) {
    using fs = new FilterSession({ threads: 2, blocking: true });
    build(fs, i % 2 === 1);
    fs.run();
    got.blocking.push(inspected(fs));
  }
  for (let i = 0; i < 4; i++) {
    using fs = new FilterSession({ threads: 2 });
    build(fs, i % 2 === 1);
    fs.run();
    got.stepped.push(inspected(fs));
  }
  for (let i = 0; i < 4; i++) {
    using fs = new FilterSession({ threads: 2 });
    build(fs, i % 2 === 1);
    await fs.runAsync({ signal: AbortSignal.timeout(60_000) });
    got.async.push(inspected(fs));
  }
  here(); // no TS callback in these sessions
  out = { total, got };
} else if (scenario === "split") {
  // one file split between a TS sink (video) and mp4mx (audio), driven by runAsync(): libgpac
  // 2.4 ended 1 session in 6 before mp4mx had its input (MP4Mux: "Session aborted before
  // writing to file"), and polling gf_filter_get_stats from the JS thread while worker threads
  // set up mp4mx's output read a freed PID name on 26.07 (see core/stats.ts, PacketMeter)
  const clip = makeMedia("threads_split.mp4", 2);
  const expected = frames(clip);
  const failures: string[] = [];
  const runs = Number(Deno.args[1] ?? 150);
  for (let i = 0; i < runs; i++) {
    const dst = tmpPath(`threads_split_${i}.mp4`);
    try {
      using fs = new FilterSession({ threads: 2 });
      const src = fs.loadSrc(clip);
      fs.loadDst(dst).setSource(src);
      const sink = new RecordingSink(fs, ["Visual"]);
      sink.onPacket = here;
      sink.setSource(src);
      await fs.runAsync({ signal: AbortSignal.timeout(30_000) });
      const video = [...sink.seen.values()][0];
      const audio = frames(dst).get("Audio");
      if (!video?.eos || video.cts.length !== expected.get("Visual")) {
        failures.push(`run ${i}: the TS sink got ${video?.cts.length} video frames`);
      } else if (audio !== expected.get("Audio")) {
        failures.push(`run ${i}: ${audio} audio frames written`);
      }
    } catch (e) {
      failures.push(`run ${i}: ${(e as Error).message}`);
    }
    try {
      Deno.removeSync(dst);
    } catch { /* nothing written */ }
  }
  out = { runs, failures };
} else {
  throw new Error(`unknown scenario ${scenario}`);
}
console.log(JSON.stringify({
  ...out,
  jsThread: String(jsThread),
  callbackThreads: [...callbackThreads].map(String),
  ms: performance.now() - t0,
}));
