import assert from "node:assert/strict";
import {
  FilterCustom,
  FilterEvent,
  type FilterPid,
  FilterSession,
  GF_CAPS_INPUT,
  GF_FEVT_PLAY,
} from "../mod.ts";
import {
  FrameQueue,
  PushError,
  type PushStats,
  pushStream,
  UnsupportedProtocolError,
} from "../push/mod.ts";
import { frames, tmpPath } from "./helpers.ts";
import {
  avClip,
  ffmpegProtocols,
  firstNonIncreasing,
  freePort,
  hasBinary,
  probePackets,
  type Receiver,
  rtmpReceiver,
  settled,
  srtReceiver,
  waitTcp,
} from "./push_helpers.ts";

const HAS_FFMPEG = hasBinary("ffmpeg") && hasBinary("ffprobe");
const PROTOS = ffmpegProtocols();
const WINDOW = 300; // ms

/** Collects the live statistics of a push. */
async function collect(p: AsyncIterable<PushStats>): Promise<PushStats[]> {
  const out: PushStats[] = [];
  for await (const s of p) out.push(s);
  return out;
}

/** Media time sent never ran ahead of the wall clock by more than the window, nor lagged by 1 s. */
function assertPaced(samples: PushStats[], windowMs: number): void {
  assert.ok(samples.length >= 3, `only ${samples.length} stats samples`);
  for (const s of samples) {
    assert.ok(s.maxLead <= windowMs / 1000 + 0.05, `ran ahead: ${JSON.stringify(s)}`);
    assert.ok(s.minLead >= -1, `lagged more than 1 s behind real time: ${JSON.stringify(s)}`);
    if (s.wallTime > 0.5) {
      assert.ok(s.lead <= windowMs / 1000 + 0.05, `sample ahead: ${JSON.stringify(s)}`);
    }
  }
}

function assertReceived(path: string, nv: number, na: number, dur: number): void {
  const rx = probePackets(path);
  const v = rx.get("video") ?? [];
  const a = rx.get("audio") ?? [];
  assert.equal(v.length, nv, `video frames received in ${path}`);
  assert.equal(a.length, na, `audio frames received in ${path}`);
  assert.equal(firstNonIncreasing(v.map((p) => p.dts)), -1, "video DTS increase");
  assert.equal(firstNonIncreasing(a.map((p) => p.dts)), -1, "audio DTS increase");
  const vdur = v.at(-1)!.dts - v[0].dts + 0.04;
  assert.ok(Math.abs(vdur - dur) < 0.1, `receiver video duration ${vdur}, expected ${dur}`);
}

Deno.test({
  name:
    "push: RTMP to an ffmpeg server under runAsync(), paced on the wall clock, every frame arrives",
  ignore: !HAS_FFMPEG || !PROTOS.has("rtmp"),
  async fn() {
    const clip = avClip();
    const port = freePort();
    const out = tmpPath("rx_rtmp.flv");
    const rx = rtmpReceiver(port, out);
    try {
      await waitTcp(port);
      const t0 = performance.now();
      const p = pushStream(clip, rx.url, {
        window: WINDOW,
        statsInterval: 100,
      });
      const samples = await collect(p); // live statistics: the event loop runs during the push
      const sum = await p.done;
      const wall = (performance.now() - t0) / 1000;
      assertPaced(samples, WINDOW);
      assert.equal(sum.endedBy, "eos");
      assert.ok(wall >= 2 - WINDOW / 1000 - 0.05, `2 s of media sent in ${wall} s`);
      // the meter tracks the lead over the whole run
      assert.ok(sum.stats.maxLead <= WINDOW / 1000 + 0.05, `ahead: ${JSON.stringify(sum.stats)}`);
      assert.ok(sum.stats.minLead >= -1, `lagging: ${JSON.stringify(sum.stats)}`);
      assert.equal(sum.stats.framesSent, 50 + 88);
      await settled(rx);
      assertReceived(out, 50, 88, 2);
    } finally {
      await rx.stop();
    }
  },
});

Deno.test({
  name: "push: SRT to an ffmpeg listener, every frame arrives in order",
  ignore: !HAS_FFMPEG || !PROTOS.has("srt"),
  async fn() {
    const clip = avClip();
    const port = freePort();
    const out = tmpPath("rx_srt.ts");
    const rx = srtReceiver(port, out);
    try {
      await new Promise((r) => setTimeout(r, 700)); // UDP listener: nothing to poll
      const p = pushStream(clip, rx.url, { window: WINDOW, statsInterval: 100 });
      const samples = await collect(p);
      assert.equal((await p.done).endedBy, "eos");
      assertPaced(samples, WINDOW);
      await settled(rx);
      assertReceived(out, 50, 88, 2);
    } finally {
      await rx.stop();
    }
  },
});

/** Counts what a GPAC RTSP client receives. */
class RxSink extends FilterCustom {
  readonly got = new Map<string, number[]>();
  constructor(fs: FilterSession) {
    super(fs, "rxsink");
    for (const t of ["Visual", "Audio"]) this.pushCap("StreamType", t, GF_CAPS_INPUT);
  }
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) return 0;
    pid.udta = String(pid.getProp("StreamType"));
    pid.sendEvent(new FilterEvent(GF_FEVT_PLAY)); // a sink asks its source to play
    return 0;
  }
  override process(): number {
    for (const pid of this.ipids) {
      const key = pid.udta as string;
      if (!this.got.has(key)) this.got.set(key, []);
      for (let p = pid.getPacket(); p; p = pid.getPacket()) {
        // over RTP, the first frame of each loop (x264 writes an SEI there) reaches GPAC's RTP
        // input as several packets with the same timestamp: one frame per timestamp
        const t = Number(p.dts ?? p.cts) / pid.timescale;
        const got = this.got.get(key)!;
        if (got.at(-1) !== t) got.push(t);
        pid.dropPacket();
      }
    }
    return 0;
  }
}

Deno.test("push: GPAC's RTSP server (rtspout), pulled by a GPAC client", async () => {
  const clip = avClip();
  const port = freePort();
  const url = `rtsp://127.0.0.1:${port}/live.sdp`;
  const p = pushStream(clip, url, { window: WINDOW, loop: 2 });
  await new Promise((r) => setTimeout(r, 300));
  using fs = new FilterSession({ nonBlocking: true });
  fs.loadSrc(url);
  const sink = new RxSink(fs);
  const bound = AbortSignal.timeout(20_000);
  try {
    await fs.runAsync({ signal: bound });
  } catch (e) {
    if (!bound.aborted) throw e;
  }
  const sum = await p.done;
  assert.equal(sum.endedBy, "eos");
  const v = sink.got.get("Visual") ?? [];
  const a = sink.got.get("Audio") ?? [];
  assert.ok(!bound.aborted, "the RTSP client did not finish in 20 s");
  assert.equal(v.length, 100, "video frames over RTSP");
  assert.equal(a.length, 176, "audio frames over RTSP");
  assert.equal(firstNonIncreasing(a), -1, "audio timestamps increase");
  assert.equal(firstNonIncreasing(v), -1, "video timestamps increase");
  const span = v.at(-1)! - v[0];
  assert.ok(Math.abs(span - 4.0) < 0.15, `received video span ${span}`);
});

Deno.test("push: an unreachable RTMP server is a PushError naming the URL, quickly", async () => {
  const port = freePort();
  const url = `rtmp://127.0.0.1:${port}/app/key`;
  const t0 = performance.now();
  const p = pushStream(avClip(), url, { retries: 2, retryDelay: 100 });
  const e = await p.done.then(() => null, (e) => e);
  assert.ok(e instanceof PushError, String(e));
  assert.ok(e.message.includes(url), e.message);
  assert.ok(!(e instanceof UnsupportedProtocolError));
  const ms = performance.now() - t0;
  assert.ok(ms >= 300 && ms < 10_000, `3 attempts with back-off took ${ms} ms`);
});

Deno.test({
  name: "push: retries connect once the server comes up",
  ignore: !HAS_FFMPEG || !PROTOS.has("rtmp"),
  async fn() {
    const port = freePort();
    const out = tmpPath("rx_retry.flv");
    let rx: Receiver & { url: string } | null = null;
    const starter = setTimeout(() => {
      rx = rtmpReceiver(port, out);
    }, 600);
    try {
      const p = pushStream(avClip(), `rtmp://127.0.0.1:${port}/app/key`, {
        retries: 6,
        retryDelay: 200,
        blocking: true, // the blocking run is still offered; this covers it
      });
      const sum = await p.done;
      assert.ok(sum.attempts > 1, `attempts: ${sum.attempts}`);
      await settled(rx!);
      assertReceived(out, 50, 88, 2);
    } finally {
      clearTimeout(starter);
      await (rx as Receiver & { url: string } | null)?.stop();
    }
  },
});

Deno.test("push: protocols this build lacks are UnsupportedProtocolErrors naming them", async () => {
  assert.throws(
    () => pushStream(avClip(), "foo://127.0.0.1:9/x"),
    (e) => e instanceof UnsupportedProtocolError && e.protocol === "foo",
  );
  assert.throws(
    () => pushStream(avClip(), "rtsp://127.0.0.1:9/x", { rtsp: "announce" }),
    (e) => e instanceof UnsupportedProtocolError && /ANNOUNCE/.test(e.message),
  );
  if (!PROTOS.has("rtmpe")) {
    // FFmpeg without librtmp/gcrypt has no RTMPE: GPAC's ffmx refuses it
    const e = await pushStream(avClip(), "rtmpe://127.0.0.1:9/app/key").done.then(
      () => null,
      (e) => e,
    );
    assert.ok(e instanceof UnsupportedProtocolError, String(e));
    assert.equal(e.protocol, "rtmpe");
    assert.ok(e.message.includes("rtmpe://127.0.0.1:9/app/key"));
  }
});

Deno.test("push: bad arguments throw at once, naming what was expected", () => {
  assert.throws(() => pushStream(avClip(), ""), TypeError);
  assert.throws(() => pushStream(avClip(), "x.mp4", { loop: 0 }), RangeError);
  assert.throws(() => pushStream(avClip(), "x.mp4", { loop: 1.5 }), RangeError);
  assert.throws(() => pushStream(avClip(), "x.mp4", { window: -1 }), /window/);
  assert.throws(() => pushStream(avClip(), "srt://127.0.0.1/x"), /needs a port/);
  assert.throws(() => pushStream(avClip(), "x.mp4", { copy: "yes" as never }), TypeError);
  assert.throws(() => new FrameQueue({ width: 3, height: 2, fps: 25 }), RangeError);
});

Deno.test("push: abort() ends a forever loop cleanly, the output is finalized", async () => {
  const out = tmpPath("aborted.mp4");
  const ctl = new AbortController();
  const p = pushStream(avClip(), out, { loop: Infinity, realtime: true, signal: ctl.signal });
  setTimeout(() => ctl.abort(), 1200);
  const t0 = performance.now();
  const sum = await p.done;
  assert.equal(sum.endedBy, "abort");
  assert.ok(performance.now() - t0 < 5000);
  const n = frames(out);
  const v = n.get("Visual")!;
  assert.ok(v >= 20 && v <= 60, `${v} video frames after ~1.2 s`);
});

Deno.test("push: frames drawn in TS, encoded, paced: write() resolves with back-pressure", async () => {
  const out = tmpPath("frames.mp4");
  const q = new FrameQueue({ width: 160, height: 96, fps: 25 });
  const p = pushStream(q, out, { realtime: true, window: 200, bitrate: 200_000, gop: 25 });
  const t0 = performance.now();
  const accepted: number[] = [];
  const frame = new Uint8Array(q.frameSize);
  for (let i = 0; i < 50; i++) {
    frame.fill(16 + (i * 4) % 200, 0, 160 * 96);
    assert.equal(await q.write(frame), true);
    accepted.push((performance.now() - t0) / 1000);
  }
  q.end();
  const sum = await p.done;
  // never more than the window + the queue + a frame in GPAC ahead of real time
  for (let i = 0; i < 50; i++) {
    assert.ok(i / 25 - accepted[i] < 0.2 + 3 / 25 + 0.1, `frame ${i} accepted at ${accepted[i]} s`);
  }
  // 50 frames at 25 fps are 2 s: the producer was held back to real time (minus window, buffers)
  assert.ok(accepted[49] > 1.2, `50 frames accepted in ${accepted[49]} s`);
  assert.equal(sum.stats.framesDropped, 0);
  assert.equal(frames(out).get("Visual"), 50);
  await assert.rejects(() => q.write(frame));
});
