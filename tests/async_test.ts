import assert from "node:assert/strict";
import process from "node:process";
import * as gpac from "../mod.ts";
import {
  FilterCustom,
  type FilterPid,
  FilterSession,
  GF_CAPS_OUTPUT,
  GF_EOS,
  GpacError,
} from "../mod.ts";
import { checksum, PassThrough, RecordingSink } from "./filters_helpers.ts";
import { frames, makeMedia, tmpPath } from "./helpers.ts";

/**
 * Ticks of a 1 ms interval while `f` runs, and for each the gap since the previous tick: the
 * smaller of its wall-clock and process-CPU lengths. A gap the session's slices cause is long in
 * both; time the machine gave to other processes only makes the wall-clock one long, and worker
 * threads (an encoder's) only the CPU one, so the measure holds on a loaded machine.
 */
async function withTimer<T>(f: () => Promise<T>): Promise<{ result: T; gaps: number[] }> {
  const gaps: number[] = [];
  const cpuMs = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  let last = performance.now();
  let lastCpu = cpuMs();
  const iv = setInterval(() => {
    const now = performance.now();
    const cpu = cpuMs();
    gaps.push(Math.min(now - last, cpu - lastCpu));
    last = now;
    lastCpu = cpu;
  }, 1);
  try {
    const result = await f();
    return { result, gaps };
  } finally {
    clearInterval(iv);
  }
}

Deno.test("async: runAsync completes an encode while a 1 ms timer keeps firing", async () => {
  const out = tmpPath("async.mp4");
  using fs = new FilterSession({ nonBlocking: true });
  fs.loadSrc("avgen:dur=2");
  fs.load("ffenc:c=avc");
  fs.loadDst(out);
  const { gaps } = await withTimer(() => fs.runAsync());
  // the timer ran all along, not only once the session ended
  assert.ok(gaps.length >= 20, `${gaps.length} ticks`);
  const sorted = gaps.toSorted((a, b) => a - b);
  const p50 = sorted[sorted.length >> 1];
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  assert.ok(p50 < 20, `median timer gap ${p50.toFixed(1)} ms`);
  assert.ok(mean < 30, `mean timer gap ${mean.toFixed(1)} ms over ${gaps.length} ticks`);
  const f = frames(out);
  // ffenc outputs 46-48 of avgen's 50 frames, in blocking runs as well
  assert.ok((f.get("Visual") ?? 0) >= 45, `video frames ${f.get("Visual")}`);
  assert.ok((f.get("Audio") ?? 0) > 80, `audio frames ${f.get("Audio")}`);
});

Deno.test("async: a 1 ms timer's p99 gap stays within 10 ms while runAsync() runs short steps", async () => {
  // a pass-through of avgen's raw audio: thousands of short steps, none longer than a slice
  using fs = new FilterSession();
  const pass = new PassThrough(fs);
  pass.setSource(fs.loadSrc("avgen:type=a:dur=100"));
  fs.load("inspect:deep:log=null").setSource(pass);
  const { gaps } = await withTimer(() => fs.runAsync({ signal: AbortSignal.timeout(60_000) }));
  assert.ok(pass.count > 4000, `${pass.count} packets`);
  assert.ok(gaps.length >= 20, `${gaps.length} ticks`);
  const sorted = gaps.toSorted((a, b) => a - b);
  const p99 = sorted[Math.floor(sorted.length * 0.99)];
  // a gap is the 1 ms period plus the lag
  assert.ok(p99 <= 11, `timer gap p99 ${p99.toFixed(1)} ms over ${gaps.length} ticks`);
});

Deno.test("async: a Deno.serve endpoint answers during a session", async () => {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => new Response("pong"),
  );
  try {
    using fs = new FilterSession({ nonBlocking: true });
    fs.loadSrc("avgen:dur=3");
    fs.load("ffenc:c=avc");
    fs.loadDst(tmpPath("served.mp4"));
    const sink = new RecordingSink(fs, ["Visual"]);
    let answeredWhileRunning = 0;
    let running = true;
    const client = (async () => {
      while (running) {
        const r = await fetch(`http://127.0.0.1:${server.addr.port}/`);
        assert.equal(await r.text(), "pong");
        if (running && sink.seen.size > 0) answeredWhileRunning++;
      }
    })();
    await fs.runAsync();
    running = false;
    await client;
    assert.ok(answeredWhileRunning >= 3, `${answeredWhileRunning} answers during the session`);
    const seen = [...sink.seen.values()][0];
    assert.equal(seen.cts.length, 75);
  } finally {
    await server.shutdown();
  }
});

Deno.test("async: a Deno.serve endpoint answers promptly while runAsync() drives a busy pass-through", async () => {
  // thousands of short steps (no idle time), a 1 ms timer: each request needs several I/O polls
  // (connect, request, answer, body), which must keep coming while the session is busy
  // (`deno task bench --sections 4` shows the same on a longer file pass-through, by
  // maxIoIntervalMs)
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => new Response("pong"),
  );
  try {
    using fs = new FilterSession();
    const pass = new PassThrough(fs);
    pass.setSource(fs.loadSrc("avgen:type=a:dur=60"));
    fs.load("inspect:deep:log=null").setSource(pass);
    const latencies: number[] = [];
    let running = true;
    const client = (async () => {
      while (running) {
        const t = performance.now();
        const r = await fetch(`http://127.0.0.1:${server.addr.port}/`);
        assert.equal(await r.text(), "pong");
        if (running) latencies.push(performance.now() - t);
      }
    })();
    // a 1 ms timer as well, as in `deno task bench --sections 4`
    const iv = setInterval(() => {}, 1);
    const t0 = performance.now();
    // I/O is polled at least every maxIoIntervalMs: a request needs a few polls (connection,
    // request, answer), so its latency is bounded by a few such intervals, whatever the load
    await fs.runAsync({ signal: AbortSignal.timeout(60_000), maxIoIntervalMs: 4 })
      .finally(() => clearInterval(iv));
    const seconds = (performance.now() - t0) / 1000;
    running = false;
    await client;
    assert.ok(pass.count > 2000, `${pass.count} packets`);
    assert.ok(latencies.length >= 10, `${latencies.length} answers in ${seconds.toFixed(2)} s`);
    const p50 = latencies.toSorted((a, b) => a - b)[latencies.length >> 1];
    assert.ok(
      p50 < 40,
      `median answer ${p50.toFixed(1)} ms over ${latencies.length} in ${seconds.toFixed(2)} s`,
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("async: two sessions run concurrently and both complete", async () => {
  using a = new FilterSession({ nonBlocking: true });
  using b = new FilterSession({ nonBlocking: true });
  const sa = new RecordingSink(a, ["Visual"], "sa");
  const sb = new RecordingSink(b, ["Audio"], "sb");
  sa.setSource(a.loadSrc("avgen:dur=1"));
  sb.setSource(b.loadSrc("avgen:dur=1"));
  await Promise.all([a.runAsync(), b.runAsync()]);
  assert.equal([...sa.seen.values()][0].cts.length, 25);
  assert.ok([...sb.seen.values()][0].cts.length >= 40);
});

Deno.test("async: an AbortSignal aborts the session, the MP4 is finalized and readable", async () => {
  const out = tmpPath("async_aborted.mp4");
  {
    using fs = new FilterSession({ nonBlocking: true });
    fs.loadSrc("avgen:dur=60");
    fs.load("ffenc:c=avc");
    fs.loadDst(out);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    await assert.rejects(fs.runAsync({ signal: ac.signal }), (e: unknown) => {
      assert.ok(e instanceof DOMException);
      assert.equal(e.name, "AbortError");
      return true;
    });
  }
  const f = frames(out);
  const v = f.get("Visual") ?? 0;
  assert.ok(v > 0 && v < 1500, `${v} video frames of 1500`);
});

Deno.test("async: an exception in a callback rejects runAsync with its stack", async () => {
  using fs = new FilterSession({ nonBlocking: true });
  const sink = new RecordingSink(fs, ["Visual"]);
  sink.setSource(fs.loadSrc("avgen:dur=2"));
  function failingCallbackBody(): never {
    throw new TypeError("boom in async callback");
  }
  sink.onPacket = () => failingCallbackBody();
  await assert.rejects(fs.runAsync(), (e: unknown) => {
    assert.ok(e instanceof TypeError);
    assert.match(e.stack ?? "", /failingCallbackBody/);
    return true;
  });
  // the process stays usable
  using fs2 = new FilterSession({ nonBlocking: true });
  const s2 = new RecordingSink(fs2, ["Visual"]);
  s2.setSource(fs2.loadSrc("avgen:dur=0.4"));
  await fs2.runAsync();
  assert.equal([...s2.seen.values()][0].cts.length, 10);
});

Deno.test("async: misuse gives clear errors", async () => {
  using blocking = new FilterSession({ blocking: true });
  await assert.rejects(blocking.runAsync(), (e: unknown) => {
    assert.ok(e instanceof GpacError);
    assert.equal(e.codeName, "GF_BAD_PARAM");
    assert.match(e.message, /blocking: true/);
    return true;
  });
  using fs = new FilterSession({ nonBlocking: true });
  await assert.rejects(fs.runAsync({ sliceMs: 0 }), /invalid sliceMs 0/);
  await assert.rejects(
    fs.runAsync({ maxIoIntervalMs: -1 }),
    (e: unknown) => e instanceof RangeError && /invalid maxIoIntervalMs -1/.test(e.message),
  );
  await assert.rejects(
    fs.runAsync({ maxIoIntervalMs: "5" as unknown as number }),
    /invalid maxIoIntervalMs 5 \(expected 0 <= maxIoIntervalMs <= 10000\)/,
  );
  fs.loadSrc("avgen:dur=1");
  fs.load("inspect:deep:log=null");
  const p = fs.runAsync();
  assert.throws(() => fs.run(), /runAsync\(\) drives the session/);
  await assert.rejects(fs.runAsync(), /runAsync\(\) called while runAsync\(\) drives the session/);
  await p;
  // a link that connects nothing is reported at the end, as with run()
  using bad = new FilterSession({ nonBlocking: true });
  const src = bad.loadSrc("avgen:dur=0.5");
  const sink = bad.load("inspect:deep:log=null");
  sink.setSource(src, "#PID=999");
  await assert.rejects(bad.runAsync(), (e: unknown) => {
    assert.ok(e instanceof GpacError);
    assert.equal(e.code, gpac.GF_FILTER_NOT_FOUND);
    return true;
  });
});

Deno.test("async: Ctrl-C (SIGINT) in a script aborts with flush; the MP4 is readable", async () => {
  const out = tmpPath("sigint.mp4");
  const script = new URL("../examples/async_session.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-ffi",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      script,
      "--dur",
      "600",
      "--output",
      out,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  // wait until frames are being encoded, then interrupt
  while (!/[1-9]\d* frames encoded/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  child.kill("SIGINT");
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  const status = await child.status;
  const stderr = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
  assert.equal(status.code, 0, `${text}\n${stderr}`);
  assert.match(text, /stopped early, finalized/);
  assert.match(stderr, /interrupted/);
  const v = frames(out).get("Visual") ?? 0;
  assert.ok(v > 0 && v < 15000, `${v} video frames`);
});

Deno.test("async: runAsync drives a threads: 2 session with a TS sink to completion", async () => {
  // a file source: avgen is a live source and drops frames when a threads: N session lets
  // one of its outputs run ahead (seen with a native inspect sink too)
  const clip = makeMedia("async_clip.mp4", 2);
  const expected = frames(clip);
  const out = tmpPath("async_threads.mp4");
  {
    using fs = new FilterSession({ nonBlocking: true, threads: 2 });
    const src = fs.loadSrc(clip);
    // GPAC hands the video PID to the TS sink only and the audio to the muxer (the same
    // happens with a native sink in place of the TS one)
    fs.loadDst(out).setSource(src);
    const sink = new RecordingSink(fs, ["Visual"]);
    sink.setSource(src);
    await fs.runAsync();
    const video = [...sink.seen.values()][0];
    assert.ok(video.eos, "the TS sink saw the end of stream");
    assert.equal(video.cts.length, expected.get("Visual"));
  }
  assert.equal(frames(out).get("Audio"), expected.get("Audio"));
});

/** A source whose frames are produced by JS code outside GPAC (here a timer). */
class TimerFedSource extends FilterCustom {
  readonly queue: Uint8Array[] = [];
  ended = false;
  calls = 0;
  #n = 0;
  readonly #opid: FilterPid;
  constructor(fs: FilterSession) {
    super(fs, "timerfed");
    this.pushCap("StreamType", "Visual", GF_CAPS_OUTPUT);
    this.#opid = this.newPid();
    this.#opid.setProp("StreamType", "Visual");
    this.#opid.setProp("CodecID", "raw");
    this.#opid.setProp("Timescale", 1000);
    this.#opid.setProp("Width", 16);
    this.#opid.setProp("Height", 16);
    this.#opid.setProp("PixelFormat", "grey");
  }
  override process(): number {
    this.calls++;
    for (let f = this.queue.shift(); f; f = this.queue.shift()) {
      const pck = this.#opid.newPck(f.length);
      pck.data.set(f);
      pck.cts = pck.dts = this.#n * 40;
      pck.dur = 40;
      pck.sap = 1;
      pck.send();
      this.#n++;
    }
    if (this.ended) {
      this.#opid.eos = true;
      return GF_EOS;
    }
    this.reschedule(5); // idle without a busy loop until the next frame
    return 0;
  }
}

Deno.test("async: a TS source fed by a JS timer during runAsync delivers every frame without spinning", async () => {
  using fs = new FilterSession({ nonBlocking: true });
  const src = new TimerFedSource(fs);
  const sink = new RecordingSink(fs, ["Visual"]);
  sink.setSource(src);
  let k = 0;
  const iv = setInterval(() => {
    if (k < 10) src.queue.push(new Uint8Array(256).fill(k++));
    else {
      src.ended = true;
      clearInterval(iv);
    }
  }, 20);
  const t0 = performance.now();
  await fs.runAsync();
  const elapsed = performance.now() - t0;
  const seen = [...sink.seen.values()][0];
  assert.equal(seen.sizes.length, 10);
  assert.deepEqual(seen.cts, Array.from({ length: 10 }, (_, i) => i * 40));
  // the frames carry the bytes the timer produced, in order
  assert.deepEqual(
    seen.sums,
    Array.from({ length: 10 }, (_, i) => checksum(new Uint8Array(256).fill(i))),
  );
  // ~11 timer ticks of 20 ms: the timer was not starved, and process() was not spun
  assert.ok(elapsed < 1500, `${elapsed.toFixed(0)} ms`);
  assert.ok(src.calls < elapsed, `${src.calls} process() calls in ${elapsed.toFixed(0)} ms`);
});

Deno.test("async: runAsync() works on a session made with new FilterSession()", async () => {
  const out = tmpPath("async_default.mp4");
  using fs = new FilterSession();
  fs.loadSrc("avgen:dur=0.5");
  fs.load("ffenc:c=avc");
  fs.loadDst(out);
  let ticks = 0;
  const iv = setInterval(() => ticks++, 1);
  try {
    await fs.runAsync({ signal: AbortSignal.timeout(60_000) });
  } finally {
    clearInterval(iv);
  }
  assert.equal(fs.state, gpac.SessionState.Done);
  assert.ok(Deno.statSync(out).size > 1000);
  assert.ok(ticks > 0, "the event loop ran during the session");
  // a finished session: run() and runAsync() have nothing left to do
  assert.equal(fs.run(), gpac.GF_EOS);
  await fs.runAsync();
});

/** Packets of each stream type in a file, read back with GPAC (any container it demuxes). */
function countPackets(path: string): Map<string, number> {
  using fs = new FilterSession();
  fs.loadSrc(path);
  const sink = new RecordingSink(fs);
  fs.run();
  const out = new Map<string, number>();
  for (const rec of sink.seen.values()) out.set(rec.streamType, rec.dts.length);
  return out;
}

for (const ext of ["mp4", "mkv"]) {
  Deno.test(`async: reframer:rt=sync into ${ext} under runAsync() paces the whole 2 s clip`, async () => {
    const clip = makeMedia("rt_clip.mp4", 2, ["ffenc:c=avc:fintra=1", "ffenc:c=aac"]);
    const want = countPackets(clip);
    const out = tmpPath(`rt_sync.${ext}`);
    using fs = new FilterSession();
    fs.loadSrc(clip);
    fs.load("reframer:rt=sync");
    fs.loadDst(out); // mkv: GPAC's ffmx, whose interleaving libgpac's step mode used to strand
    let ticks = 0;
    const iv = setInterval(() => ticks++, 10);
    const t0 = performance.now();
    try {
      await fs.runAsync({ signal: AbortSignal.timeout(30_000) });
    } finally {
      clearInterval(iv);
    }
    const elapsed = performance.now() - t0;
    // paced on the wall clock: ~2 s (the last frame is sent at 1.96 s), not faster, not stuck
    assert.ok(elapsed >= 1800, `2 s of media sent in ${elapsed.toFixed(0)} ms`);
    assert.ok(elapsed < 8000, `2 s of media took ${elapsed.toFixed(0)} ms`);
    assert.ok(ticks >= 20, `the event loop ran during the session (${ticks} timer ticks)`);
    assert.deepEqual(countPackets(out), want);
    assert.equal(want.get("Visual"), 50);
  });
}

Deno.test("async: step mode (run() per step) no longer ends a paced ffmx mux early", () => {
  const clip = makeMedia("rt_clip.mp4", 2, ["ffenc:c=avc:fintra=1", "ffenc:c=aac"]);
  const out = tmpPath("rt_step.mkv");
  using fs = new FilterSession({ nonBlocking: true });
  fs.loadSrc(clip);
  fs.load("reframer:rt=sync");
  fs.loadDst(out);
  const t0 = performance.now();
  while (fs.run() !== GF_EOS) {
    if (performance.now() - t0 > 30_000) throw new Error("step-mode session did not end");
  }
  assert.ok(performance.now() - t0 >= 1800);
  assert.deepEqual(countPackets(out), countPackets(clip));
});
