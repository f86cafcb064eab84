/**
 * Live HLS/DASH from TypeScript frames (live/), against the real libgpac: timestamps of markers
 * vs decoded frames, in-band emsg/ID3, sliding window, LL-HLS parts, GPAC's dashin playing both
 * outputs, pacing without busy waiting, the server, and markers shared through Redis.
 */

import assert from "node:assert/strict";
import process from "node:process";
import { LiveStream, type Marker, MemoryMarkerStore } from "../live/mod.ts";
import { Checkerboard } from "../live/checkerboard.ts";
import { findEmsg, ID3_MARKER_KEY, ID3_SCHEME, readId3Txxx } from "../live/id3.ts";
import { decodeCounters, freePort, hasBinary, startRedis, waitFor } from "./live_helpers.ts";
import { refused, startHttpout, tmpPath } from "./helpers.ts";

const W = 320;
const H = 180;
const FPS = 25;

/** Pushes `seconds` of checkerboard, a marker on each colour change; returns the markers. */
async function feed(
  live: LiveStream,
  seconds: number,
  every = 1,
  start = 0,
  onFrame?: (n: number) => void | Promise<void>,
): Promise<Marker[]> {
  const board = new Checkerboard(W, H, FPS, every);
  const out: Marker[] = [];
  for (let n = start; n < start + seconds * FPS; n++) {
    const ev = board.draw(n);
    await live.pushFrame(board.frame, n / FPS);
    if (ev) out.push(await live.marker(`square ${ev.col},${ev.row}`, n / FPS, { frame: n }));
    await onFrame?.(n);
  }
  return out;
}

/** A live test: the server Worker and the encoder outlive single ops, so no op/resource sanitizer. */
function liveTest(t: Deno.TestDefinition): void {
  Deno.test({ sanitizeResources: false, sanitizeOps: false, ...t });
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

liveTest({
  name: "live: marker times are the media times of the frames that carry them (HLS decoded back)",
  fn: async () => {
    const dir = tmpPath("live_markers");
    const live = new LiveStream({ width: W, height: H, fps: FPS, segmentDuration: 1, dir });
    const markers = await feed(live, 5, 1);
    // a marker without pts lands on the last frame pushed
    const last = await live.marker("no pts", undefined, { frame: 5 * FPS - 1 });
    markers.push(last);
    await live.close();
    assert.equal(markers.length, 5);
    assert.deepEqual(markers.map((m) => m.id), [1, 2, 3, 4, 5]);
    assert.equal(last.time, (5 * FPS - 1) / FPS);

    const frames = decodeCounters(`${dir}/live.m3u8`);
    assert.ok(frames.length >= 5 * FPS - 2, `${frames.length} frames decoded`);
    for (const m of markers) {
      const want = (m.data as { frame: number }).frame;
      const f = frames.find((x) => x.counter === want);
      assert.ok(f, `frame ${want} (marker ${m.id}) not found in the decoded HLS`);
      assert.ok(
        Math.abs(f.time - m.time) < 0.5 / FPS,
        `marker ${m.id}: time ${m.time} s, frame ${want} decoded at ${f.time} s`,
      );
    }
    // DASH from the same run decodes to the same timeline
    const dash = decodeCounters(`${dir}/live.mpd`);
    const f50 = dash.find((x) => x.counter === 50);
    assert.ok(f50 && Math.abs(f50.time - 2) < 0.5 / FPS, `DASH frame 50 at ${f50?.time}`);

    // in-band: one emsg (ID3 scheme, TXXX with the marker) per marker, in the right segment
    const seen = new Map<number, number>();
    const where: [string, number][] = []; // for the failure message
    const playlist = await Deno.readTextFile(`${dir}/live_1.m3u8`);
    for (const name of playlist.split("\n").filter((l) => l.endsWith(".m4s"))) {
      const num = Number(/_(\d+)\.m4s$/.exec(name)![1]);
      for (const e of findEmsg(await Deno.readFile(`${dir}/${name}`))) {
        assert.equal(e.scheme, ID3_SCHEME);
        const [[key, value]] = readId3Txxx(e.data);
        assert.equal(key, ID3_MARKER_KEY);
        const m = JSON.parse(value) as Marker;
        assert.equal(e.time / e.timescale, m.time);
        assert.ok(
          m.time >= num - 1 - 1e-9 && m.time < num + 1e-9,
          `marker ${m.id} in segment ${num}`,
        );
        seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
        where.push([name, m.id]);
      }
    }
    assert.deepEqual(
      [...seen.keys()].sort(),
      [1, 2, 3, 4, 5],
      `emsg ids by segment: ${JSON.stringify(where)}; markers ${JSON.stringify(markers)}; ` +
        `playlist:\n${playlist}`,
    );
    assert.ok([...seen.values()].every((n) => n === 1), JSON.stringify([...seen]));
    const mpd = await Deno.readTextFile(`${dir}/live.mpd`);
    if (!refused("dashInbandEvents")) {
      assert.match(mpd, /<InbandEventStream schemeIdUri="https:\/\/aomedia.org\/emsg\/ID3"/);
    } else {
      // older dashers cannot announce a video stream's events: the MPD says nothing wrong
      assert.doesNotMatch(mpd, /<InbandEventStream/);
    }
  },
});

liveTest({
  name: "live: the window holds (old segments deleted), LL-HLS lists parts, dashin plays both",
  fn: async () => {
    const dir = tmpPath("live_window");
    const live = new LiveStream({
      width: W,
      height: H,
      fps: FPS,
      segmentDuration: 1,
      window: 3,
      lowLatency: true,
      partDuration: 0.25,
      dir,
    });
    let midPlaylist = "";
    let maxSegs = 0;
    await feed(live, 8, 2, 0, async (n) => {
      if (n % FPS !== 0) return;
      const segs = [...Deno.readDirSync(dir)].filter((e) => /^live_\d+\.m4s$/.test(e.name));
      maxSegs = Math.max(maxSegs, segs.length);
      if (n === 7 * FPS) midPlaylist = await Deno.readTextFile(`${dir}/live_1.m3u8`);
    });
    // live playlist: parts, part target, preload hint, program date-time, sliding sequence
    assert.match(midPlaylist, /#EXT-X-PART-INF:PART-TARGET=0\.2\d/);
    assert.match(midPlaylist, /#EXT-X-PART:DURATION=[\d.]+,URI="[^"]+"/);
    assert.match(midPlaylist, /#EXT-X-PRELOAD-HINT/);
    assert.match(midPlaylist, /#EXT-X-PROGRAM-DATE-TIME:\d{4}-/);
    const seq = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(midPlaylist)![1]);
    assert.ok(seq >= 3, `media sequence ${seq} after 7 s with a 3 s window`);
    await live.close();
    // segment 1 is gone; what is left is about the window (plus the segments being written)
    const left = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.ok(!left.includes("live_1.m4s"), left.join(" "));
    assert.ok(maxSegs <= 3 + 3, `${maxSegs} segments on disk at once`);
    const final = await Deno.readTextFile(`${dir}/live_1.m3u8`);
    assert.match(final, /#EXT-X-ENDLIST/);
    // GPAC's own client plays what is left, in both formats
    const hls = decodeCounters(`${dir}/live.m3u8`);
    const dash = decodeCounters(`${dir}/live.mpd`);
    assert.ok(hls.length >= 2 * FPS, `${hls.length} HLS frames`);
    assert.ok(dash.length >= 2 * FPS, `${dash.length} DASH frames`);
    assert.ok(hls.every((f) => Math.abs(f.time - f.counter / FPS) < 0.5 / FPS), "HLS times");
  },
});

liveTest({
  name: "live: pushFrame is paced by timestamps without spinning, and applies back-pressure",
  fn: async () => {
    await using live = new LiveStream({
      width: W,
      height: H,
      fps: FPS,
      outputs: ["hls"],
      segmentDuration: 1,
    });
    const f = new Uint8Array(W * H * 3);
    await live.pushFrame(f, 10); // first frame: media time 0
    const t0 = performance.now();
    const c0 = cpuSeconds();
    await live.pushFrame(f, 12); // 2 s later in the generator clock
    const waited = performance.now() - t0;
    const cpu = cpuSeconds() - c0;
    assert.ok(
      waited > 1900 && waited < 3500,
      `waited ${waited.toFixed(0)} ms for a frame 2 s later`,
    );
    // idle between frames: a busy wait would burn ~2 s of CPU here
    assert.ok(cpu < 0.4, `${cpu.toFixed(2)} s of CPU while waiting 2 s`);
    assert.equal(live.currentTime, 2);
    // wall-clock timestamps when pts is omitted; they must still increase
    await live.pushFrame(f);
    assert.ok(live.currentTime >= 2, `${live.currentTime}`);
    await assert.rejects(live.pushFrame(f, 11), RangeError);
    await assert.rejects(live.pushFrame(new Uint8Array(10), 13), /must be 172800 bytes/);
    // 25 frames stamped 1/25 s apart take about a second, not less
    const t1 = performance.now();
    for (let i = 1; i <= 25; i++) await live.pushFrame(f, 13 + i / 25);
    const dt = performance.now() - t1;
    assert.ok(dt > 900, `25 frames of 40 ms pushed in ${dt.toFixed(0)} ms`);
  },
});

Deno.test("live: options and arguments are validated before anything reaches GPAC", async () => {
  const base = { width: W, height: H, fps: FPS };
  assert.throws(() => new LiveStream({ ...base, width: 0 }), RangeError);
  assert.throws(() => new LiveStream({ ...base, width: 321 }), /even/);
  assert.throws(() => new LiveStream({ ...base, fps: NaN }), RangeError);
  assert.throws(() => new LiveStream({ ...base, format: "rgb565" }), /format must be one of/);
  assert.throws(() => new LiveStream({ ...base, window: 1 }), /at least two segments/);
  assert.throws(() => new LiveStream({ ...base, outputs: ["rtmp" as "hls"] }), TypeError);
  assert.throws(() => new LiveStream({ ...base, partDuration: 3 }), /shorter than/);
  assert.throws(() => new LiveStream({ ...base, origin: "ftp://x/" }), /origin must be/);
  assert.throws(() => new LiveStream(null as unknown as typeof base), TypeError);
  await using live = new LiveStream({ ...base, outputs: ["dash"] });
  await assert.rejects(live.marker("too early"), /before the first frame/);
  assert.throws(() => live.urls, /no server/);
  await assert.rejects(live.pushFrame("x" as unknown as Uint8Array), TypeError);
  await assert.rejects(live.marker(42 as unknown as string), TypeError);
  const store = new MemoryMarkerStore();
  await assert.rejects(store.since(NaN), TypeError);
  await assert.rejects(store.since(0, 0), RangeError);
});

liveTest({
  name:
    "live: the server serves manifests and segments with MIME types and cache headers, markers and the page",
  fn: async () => {
    const live = new LiveStream({
      width: W,
      height: H,
      fps: FPS,
      segmentDuration: 1,
      lowLatency: true,
      serve: { port: 0 },
    });
    await live.ready;
    const u = live.urls;
    assert.match(u.page, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const board = new Checkerboard(W, H, FPS, 1);
    let markers: Marker[] = [];
    const feeding = feed(live, 6, 1).then((m) => (markers = m));
    await waitFor(
      "first segment",
      () => Deno.stat(`${live.dir}/live_1.m4s`).catch(() => null),
      15_000,
    );
    const get = async (url: string) => {
      const r = await fetch(url);
      return { r, body: new Uint8Array(await r.arrayBuffer()) };
    };
    const master = await get(u.hls!);
    assert.equal(master.r.status, 200);
    assert.equal(master.r.headers.get("content-type"), "application/vnd.apple.mpegurl");
    assert.equal(master.r.headers.get("cache-control"), "no-cache");
    const mpd = await get(u.dash!);
    assert.equal(mpd.r.headers.get("content-type"), "application/dash+xml");
    const seg = await get(u.hls!.replace("live.m3u8", "live_1.m4s"));
    assert.equal(seg.r.headers.get("content-type"), "video/iso.segment");
    assert.match(seg.r.headers.get("cache-control")!, /max-age=\d+/);
    assert.ok(seg.body.length > 100);
    const init = await get(u.hls!.replace("live.m3u8", "live_init.mp4"));
    assert.equal(init.r.headers.get("content-type"), "video/mp4");
    assert.equal((await get(u.page.replace(/\/$/, "/media/../x"))).r.status, 404);
    assert.equal((await get(u.page + "media/a%2F..%2F..%2Fetc")).r.status, 400);
    assert.equal((await fetch(u.page + "media/x.m4s", { method: "PUT" })).status, 405);
    // LL-HLS: the variant playlist
    const pl = new TextDecoder().decode(
      (await get(u.hls!.replace("live.m3u8", "live_1.m3u8"))).body,
    );
    // a part, whole (parts are re-read until they end on a box boundary)
    const partUri = /#EXT-X-PART:[^\n]*URI="([^"]+)"/.exec(pl)![1];
    const part = await get(u.hls!.replace("live.m3u8", partUri));
    assert.equal(part.r.headers.get("content-type"), "video/iso.segment");
    const dv = new DataView(part.body.buffer);
    let o = 0;
    while (o + 8 <= part.body.length) o += dv.getUint32(o);
    assert.equal(o, part.body.length, `${partUri} is whole ISOBMFF boxes`);
    assert.match(pl, /#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,/);
    // blocking playlist reload: ask for a part three segments ahead; answered once it is listed
    const pl2 = new TextDecoder().decode(
      (await get(u.hls!.replace("live.m3u8", "live_1.m3u8"))).body,
    );
    const st2 = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(pl2)![1]) +
      pl2.split("\n").filter((l) => l.startsWith("#EXTINF")).length - 1;
    const t0 = performance.now();
    const blocked = new TextDecoder().decode(
      (await get(u.hls!.replace("live.m3u8", `live_1.m3u8?_HLS_msn=${st2 + 3}&_HLS_part=0`))).body,
    );
    const dt = performance.now() - t0;
    assert.ok(dt > 300, `blocking reload answered after ${dt.toFixed(0)} ms`);
    assert.ok(blocked.includes(`live_${st2 + 3}.`), `live_${st2 + 3}.* not listed:\n${blocked}`);
    // the page and hls.js from the npm package
    const page = await get(u.page);
    assert.match(new TextDecoder().decode(page.body), /<video id="video"/);
    const vendor = await get(u.page + "vendor/hls.min.js");
    assert.equal(vendor.r.headers.get("content-type"), "text/javascript");
    assert.ok(vendor.body.length > 100_000);
    await feeding;
    void board;
    // markers: all, then since a time, and bad queries
    const all = await (await fetch(u.markers)).json();
    assert.deepEqual(all.markers, markers);
    assert.ok(all.epoch > Date.now() - 60_000 && all.epoch < Date.now());
    const later = await (await fetch(`${u.markers}?since=${markers[1].time}`)).json();
    assert.deepEqual(later.markers, markers.slice(2));
    assert.equal((await fetch(`${u.markers}?since=abc`)).status, 400);
    const info = await (await fetch(u.page + "info")).json();
    assert.equal(info.lowLatency, true);
    // the epoch is GPAC's: the first segment's EXT-X-PROGRAM-DATE-TIME is media time 0
    assert.equal(info.epoch, live.epoch);
    await live.close();
    await assert.rejects(fetch(u.page), TypeError); // server stopped
  },
});

liveTest({
  name: "live: two processes share markers through Redis (encoder + separate API server)",
  ignore: !hasBinary("redis-server"),
  fn: async () => {
    const redis = await startRedis();
    try {
      const dir = tmpPath("live_redis");
      // the encoder runs in its own process
      const script = tmpPath("live_redis_encoder.ts");
      await Deno.writeTextFile(
        script,
        `import { LiveStream } from ${
          JSON.stringify(new URL("../live/mod.ts", import.meta.url).href)
        };
const live = new LiveStream({ width: 64, height: 64, fps: 25, segmentDuration: 1, markers: ${
          JSON.stringify(redis.url)
        }, dir: ${JSON.stringify(dir)}, outputs: ["hls"] });
const f = new Uint8Array(64 * 64 * 3);
const out = [];
for (let n = 0; n < 50; n++) {
  await live.pushFrame(f, n / 25);
  if (n % 10 === 5) out.push(await live.marker("m" + n, n / 25, { n }));
}
await live.close(true);
console.log(JSON.stringify(out));
`,
      );
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--config", new URL("../deno.json", import.meta.url).pathname, script],
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(60_000),
      }).output();
      const res = await child;
      const err = new TextDecoder().decode(res.stderr);
      assert.equal(res.code, 0, err);
      const written = JSON.parse(new TextDecoder().decode(res.stdout).trim().split("\n").at(-1)!);
      assert.equal(written.length, 5);
      // this process: an API server reading the same Redis key
      const { LiveServer, RedisMarkerStore } = await import("../live/mod.ts");
      const store = await RedisMarkerStore.connect(redis.url);
      const server = new LiveServer(dir, store, {
        port: freePort(),
        hls: "live.m3u8",
        dash: null,
        info: () => ({ epoch: 0, segmentDuration: 1, window: 60 }),
      });
      try {
        const got = await (await fetch(server.urls.markers)).json();
        assert.deepEqual(got.markers, written);
        const since = await (await fetch(`${server.urls.markers}?since=1`)).json();
        assert.deepEqual(since.markers, written.filter((m: Marker) => m.time > 1));
        const pl = await fetch(server.urls.hls!);
        assert.equal(pl.status, 200);
        await pl.body?.cancel();
      } finally {
        await server.close();
        await store.close();
      }
    } finally {
      await redis.close();
    }
  },
});

liveTest({
  name: "live: origin push sends every segment and playlist by PUT, and DELETEs past the window",
  fn: async () => {
    const root = tmpPath("live_origin");
    await Deno.mkdir(root, { recursive: true });
    const port = freePort();
    // the origin: GPAC's own httpout in write mode, run by this project's CLI in a child process
    const server = await startHttpout(`port=${port}:wdir=${root}:rdirs=${root}:reqlog=*`, 90_000);
    const log = server.log;
    try {
      const live = new LiveStream({
        width: W,
        height: H,
        fps: FPS,
        segmentDuration: 1,
        window: 3,
        origin: `http://127.0.0.1:${port}/live/`,
      });
      assert.throws(() => live.urls, /origin/);
      await feed(live, 7, 2);
      await live.close();
      await server.until("the last upload", /PUT live\/live_7\.m4s/, 5_000);
      const puts = [...log().matchAll(/PUT live\/(\S+)/g)].map((m) => m[1]);
      const dels = [...log().matchAll(/DELETE live\/(\S+)/g)].map((m) => m[1]);
      for (let i = 1; i <= 7; i++) assert.ok(puts.includes(`live_${i}.m4s`), `PUT live_${i}.m4s`);
      for (const f of ["live_init.mp4", "live.m3u8", "live_1.m3u8", "live.mpd"]) {
        assert.ok(puts.includes(f), `PUT ${f}: ${puts.join(" ")}`);
      }
      for (let i = 1; i <= 3; i++) {
        assert.ok(dels.includes(`live_${i}.m4s`), `DELETE live_${i}.m4s`);
      }
      const files = [...Deno.readDirSync(`${root}/live`)].map((e) => e.name);
      assert.ok(!files.includes("live_1.m4s") && files.includes("live_7.m4s"), files.join(" "));
      assert.match(await Deno.readTextFile(`${root}/live/live_1.m3u8`), /#EXT-X-ENDLIST/);
    } finally {
      await server.stop();
    }
  },
});

liveTest({
  name:
    "live: frames from an async iterable and through live.writable; closed streams refuse frames",
  fn: async () => {
    const dir = tmpPath("live_streams");
    const live = new LiveStream({ width: W, height: H, fps: FPS, segmentDuration: 1, dir });
    const board = new Checkerboard(W, H, FPS, 100);
    async function* frames(from: number, to: number) {
      for (let n = from; n < to; n++) {
        board.draw(n);
        yield { data: board.frame, pts: n / FPS };
      }
    }
    await live.pipeFrom(frames(0, 30));
    assert.equal(live.currentTime, 29 / FPS);
    // the writable: closing it closes the stream
    await ReadableStream.from(frames(30, 50)).pipeTo(live.writable);
    assert.ok(live.closed, "closing the writable closed the stream");
    await assert.rejects(live.pushFrame(board.frame, 3), /closed/);
    await assert.rejects(live.marker("late"), /closed/);
    const decoded = decodeCounters(`${dir}/live.m3u8`);
    assert.deepEqual(decoded.map((f) => f.counter), Array.from({ length: 50 }, (_, i) => i));
  },
});

liveTest({
  name: "live: `deno task live --duration` streams the demo, prints its URL and markers, and exits",
  fn: async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "task",
        "--config",
        new URL("../deno.json", import.meta.url).pathname,
        "live",
        "--duration",
        "5",
        "--port",
        "0",
        "--size",
        "320x180",
        "--every",
        "2",
      ],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, text + new TextDecoder().decode(out.stderr));
    assert.match(text, /live: http:\/\/127\.0\.0\.1:\d+\//);
    assert.match(text, /marker 1 at 2\.00 s: square \d+,\d+ turned mint/);
    assert.match(text, /marker 2 at 4\.00 s/);
    assert.match(text, /2 markers; closing/);
  },
});
