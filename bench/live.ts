/**
 * Live streaming measurements, in one run: `deno task bench:live`.
 *
 * 1. Latency (HLS, 1 s segments, 320x180@25): from the `pushFrame` of a segment's last frame
 *    to that segment being listed in the variant playlist, and the same from its first frame
 *    (goal: p99 <= segment duration + 250 ms); with `lowLatency` (0.25 s parts), from a part's
 *    last frame to the part being listed, and from its first frame (goal: part + 250 ms).
 *    The playlist is polled every 5 ms.
 * 2. CPU of the demo at 720p25 (checkerboard drawn in TS, encoded, segmented, served): CPU
 *    seconds of this process per second of video, and how far pushes fell behind real time.
 * 3. Markers: `marker()` calls per second (memory store, and Redis when `redis-server` is
 *    installed), and `GET /markers?since=T` requests per second with 1000 markers, measured by
 *    `wrk` (Debian package) from another process while the stream runs.
 *
 * Options: `--seconds S` (length of each streamed run, default 8), `--sections 1,2,3`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import process from "node:process";
import { LiveStream, RedisMarkerStore } from "../live/mod.ts";
import { Checkerboard } from "../live/checkerboard.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string", default: "8" },
    sections: { type: "string", default: "1,2,3" },
  },
});
const SECONDS = Number(opts.seconds);
const SECTIONS = new Set(opts.sections.split(",").map((s) => s.trim()));

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const ms = (v: number) => `${v.toFixed(0)} ms`;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Listing times of segments and parts in an HLS variant playlist, polled every 5 ms. */
function watchPlaylist(path: string) {
  const segs = new Map<number, { at: number; start: number; end: number }>();
  const parts = new Map<string, { at: number; start: number; end: number }>();
  let stop = false;
  const loop = async () => {
    while (!stop) {
      const t = await Deno.readTextFile(path).catch(() => "");
      const now = performance.now();
      if (t.startsWith("#EXTM3U") && t.endsWith("\n")) {
        let msn = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(t)?.[1] ?? 1);
        // media times: segment n starts at (n - 1) * segdur for the 1 s segments used here
        let partIdx = 0;
        let partStart = (msn - 1) * 1;
        for (const line of t.split("\n")) {
          const p = /^#EXT-X-PART:DURATION=([\d.]+)/.exec(line);
          if (p) {
            const key = `${msn}.${partIdx}`;
            const d = Number(p[1]);
            if (!parts.has(key)) parts.set(key, { at: now, start: partStart, end: partStart + d });
            partStart += d;
            partIdx++;
          } else if (line.startsWith("#EXTINF:")) {
            const d = Number(line.slice(8).split(",")[0]);
            if (!segs.has(msn)) segs.set(msn, { at: now, start: msn - 1, end: msn - 1 + d });
          } else if (line && !line.startsWith("#")) {
            msn++;
            partIdx = 0;
            partStart = msn - 1;
          }
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const done = loop();
  return {
    segs,
    parts,
    async stop() {
      stop = true;
      await done;
    },
  };
}

async function latency(lowLatency: boolean): Promise<void> {
  const W = 320, H = 180, FPS = 25;
  const live = new LiveStream({
    width: W,
    height: H,
    fps: FPS,
    segmentDuration: 1,
    window: 30,
    outputs: ["hls"],
    lowLatency,
    partDuration: 0.25,
  });
  const board = new Checkerboard(W, H, FPS);
  const pushedAt: number[] = [];
  const w = watchPlaylist(live.files.hlsVariant!);
  for (let n = 0; n < SECONDS * FPS; n++) {
    board.draw(n);
    await live.pushFrame(board.frame, n / FPS);
    pushedAt[n] = performance.now();
  }
  await new Promise((r) => setTimeout(r, 1500));
  await w.stop();
  await live.close();
  const report = (
    what: string,
    items: Map<string, { at: number; start: number; end: number }>,
    dur: number,
  ) => {
    const fromLast: number[] = [];
    const fromFirst: number[] = [];
    for (const it of items.values()) {
      const first = Math.round(it.start * FPS);
      const last = Math.round(it.end * FPS) - 1;
      if (last >= pushedAt.length - 1 || first < 1) continue; // the final flush and the start
      fromLast.push(it.at - pushedAt[last]);
      fromFirst.push(it.at - pushedAt[first]);
    }
    if (!fromLast.length) return console.log(`  ${what}: nothing measured`);
    const p99 = pct(fromFirst, 99);
    console.log(
      `  ${what} (${fromLast.length}): last frame -> listed p50 ${ms(pct(fromLast, 50))} p99 ${
        ms(pct(fromLast, 99))
      }; first frame -> listed p50 ${ms(pct(fromFirst, 50))} p99 ${ms(p99)} (goal <= ${
        ms(dur * 1000 + 250)
      }: ${p99 <= dur * 1000 + 250 ? "met" : "NOT met"})`,
    );
  };
  const segs = new Map([...w.segs].map(([k, v]) => [String(k), v]));
  report(lowLatency ? "LL segments" : "segments", segs, 1);
  if (lowLatency) report("LL parts", w.parts, 0.28);
}

if (SECTIONS.has("1")) {
  console.log(`1. latency, ${SECONDS} s of 320x180@25, 1 s segments`);
  await latency(false);
  await latency(true);
}

if (SECTIONS.has("2")) {
  const W = 1280, H = 720, FPS = 25;
  console.log(`2. demo at ${W}x${H}@${FPS} for ${SECONDS} s (draw + encode + segment + serve)`);
  const live = new LiveStream({ width: W, height: H, fps: FPS, serve: { port: 0 } });
  await live.ready;
  const board = new Checkerboard(W, H, FPS);
  const c0 = cpu();
  const t0 = performance.now();
  let drawMs = 0;
  let maxLag = 0;
  for (let n = 0; n < SECONDS * FPS; n++) {
    const d0 = performance.now();
    const ev = board.draw(n);
    drawMs += performance.now() - d0;
    await live.pushFrame(board.frame, n / FPS);
    maxLag = Math.max(maxLag, performance.now() - t0 - (n / FPS) * 1000);
    if (ev) await live.marker("mint", n / FPS);
  }
  const wall = (performance.now() - t0) / 1000;
  const used = cpu() - c0;
  await live.close();
  console.log(
    `  CPU ${used.toFixed(2)} s for ${SECONDS} s of video: ${
      (used / SECONDS).toFixed(2)
    } CPU-s per video-s ` +
      `(${((100 * used) / wall).toFixed(0)}% of one core over ${wall.toFixed(1)} s wall; drawing ${
        (drawMs / (SECONDS * FPS)).toFixed(1)
      } ms/frame); worst push lag behind real time ${ms(maxLag)}`,
  );
}

if (SECTIONS.has("3")) {
  console.log("3. markers");
  const W = 64, H = 64;
  for (const store of ["memory", "redis"]) {
    let url: string | undefined;
    let child: Deno.ChildProcess | undefined;
    if (store === "redis") {
      try {
        const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
        const port = (l.addr as Deno.NetAddr).port;
        l.close();
        child = new Deno.Command("redis-server", {
          args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
          stdout: "null",
          stderr: "null",
        }).spawn();
        url = `redis://127.0.0.1:${port}`;
        for (let i = 0; i < 50; i++) {
          const ok = await RedisMarkerStore.connect(url).then(
            (s) => s.close().then(() => true),
            () => false,
          );
          if (ok) break;
          await new Promise((r) => setTimeout(r, 100));
        }
      } catch {
        console.log("  redis: skipped (no redis-server)");
        continue;
      }
    }
    const live = new LiveStream({
      width: W,
      height: H,
      fps: 25,
      outputs: ["hls"],
      serve: { port: 0 },
      markers: url,
    });
    await live.ready;
    await live.pushFrame(new Uint8Array(W * H * 3), 0);
    const N = 1000;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await live.marker(`m${i}`, 0);
    const addRate = N / ((performance.now() - t0) / 1000);
    // the API is measured from another process (wrk), as browsers would use it
    let getRate = "no wrk installed";
    try {
      const out = await new Deno.Command("wrk", {
        args: ["-t1", "-c4", "-d2s", `${live.urls.markers}?since=-1`],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const txt = new TextDecoder().decode(out.stdout);
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(txt)?.[1];
      const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(txt)?.[1];
      getRate = rps ? `${Number(rps).toFixed(0)} req/s${non2xx ? ` (${non2xx} errors)` : ""}` : txt;
    } catch { /* no wrk */ }
    await live.close();
    child?.kill("SIGTERM");
    await child?.status;
    console.log(
      `  ${store}: marker() ${
        addRate.toFixed(0)
      }/s; GET /markers with 1000 markers (wrk, 4 connections): ${getRate}`,
    );
  }
}
