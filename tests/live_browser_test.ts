/**
 * The live player page in a real headless Chromium (Debian's `chromium`, driven by
 * `puppeteer-core` from npm): it plays, the markers table fills, in-band ID3 cues arrive at the
 * markers' times, a click on a marker seeks to it (checked on the decoded pixels: the frame
 * counter drawn in the checkerboard), and "Back to live" returns to the live edge.
 *
 * Skipped (with a message) only when no Chromium is installed.
 */

import assert from "node:assert/strict";
import { LiveStream, type Marker } from "../live/mod.ts";
import { Checkerboard, COUNTER_BITS } from "../live/checkerboard.ts";
import { hasBinary, waitFor } from "./live_helpers.ts";

const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";
const found = hasBinary(CHROMIUM);
if (!found) console.warn(`live_browser_test: skipped, no Chromium at ${CHROMIUM} (set CHROMIUM)`);

const W = 480;
const H = 270;
const FPS = 25;
const SEG = 1;

interface PageState {
  t: number;
  paused: boolean;
  seekable: [number, number] | null;
  delta: number | null;
  playerTime: number;
  cues: { id: number; time: number; cueStart: number }[];
  rows: { id: number; time: number }[];
  errors: string[];
  counter: number;
}

/** Evaluated in the page: the player's state, and the frame counter read from the pixels. */
const STATE_JS = `(() => {
  const v = document.querySelector("video");
  const s = globalThis.liveState;
  let counter = -1;
  if (v.videoWidth) {
    const c = document.createElement("canvas");
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    const g = c.getContext("2d");
    g.drawImage(v, 0, 0);
    const px = g.getImageData(0, 0, c.width, c.height).data;
    const bits = ${COUNTER_BITS};
    const b = Math.max(8, Math.floor(Math.min(c.width / (bits + 2), c.height / 12)));
    const y = 2 * Math.floor(b / 2);
    counter = 0;
    for (let i = 0; i < bits; i++) {
      const x = (i + 1) * b + Math.floor(b / 2);
      counter = (counter << 1) | (px[(y * c.width + x) * 4 + 1] > 128 ? 1 : 0);
    }
  }
  const rows = [...document.querySelectorAll("#markers tbody tr")].map((r) => ({
    id: Number(r.dataset.id),
    time: Number(r.dataset.time),
  }));
  return {
    t: s?.mediaTime ? s.mediaTime() : v.currentTime,
    playerTime: v.currentTime,
    paused: v.paused,
    seekable: (() => {
      const r = s?.range?.();
      return r ? [r.start, r.end] : null;
    })(),
    delta: s?.delta ?? null,
    cues: s?.cues ?? [],
    rows,
    errors: s?.errors ?? [],
    counter,
  };
})()`;

Deno.test({
  name:
    "live browser: hls.js plays, markers fill the table, cues arrive, click seeks, back to live",
  ignore: !found,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const { default: puppeteer } = await import("puppeteer-core");
    const live = new LiveStream({
      width: W,
      height: H,
      fps: FPS,
      segmentDuration: SEG,
      window: 12,
      serve: { port: 0 },
    });
    await live.ready;
    const board = new Checkerboard(W, H, FPS, 2);
    const markers: Marker[] = [];
    let stop = false;
    const feeder = (async () => {
      for (let n = 0; !stop && n < 120 * FPS; n++) {
        const ev = board.draw(n);
        await live.pushFrame(board.frame, n / FPS);
        if (ev) {
          markers.push(await live.marker(`square ${ev.col},${ev.row}`, n / FPS, { frame: n }));
        }
      }
    })();
    const profile = await Deno.makeTempDir({ prefix: "live-chromium-" });
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: profile,
      protocolTimeout: 30_000,
      // Chromium does not start with the ASan runtime preloaded (README, Development)
      env: Object.fromEntries(
        Object.entries(Deno.env.toObject()).filter(([k]) => k !== "LD_PRELOAD"),
      ),
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--autoplay-policy=no-user-gesture-required",
      ],
    });
    const watchdog = setTimeout(() => browser.process()?.kill("SIGKILL"), 120_000);
    try {
      // join late: the window has slid, so the player's timeline must not start at 0
      await waitFor("16 s of stream", () => live.currentTime > 16, 40_000);
      const page = await browser.newPage();
      const logs: string[] = [];
      page.on("console", (m) => logs.push(m.text()));
      page.on("pageerror", (e) => logs.push(`pageerror: ${e}`));
      await page.goto(live.urls.page, { timeout: 15_000 });
      const state = () => page.evaluate(STATE_JS) as Promise<PageState>;

      // 1. it plays: currentTime advances by at least 3 s
      const first = await waitFor("playback", async () => {
        const s = await state();
        return s.t > 0 && !s.paused ? s : null;
      }, 20_000).catch(async (e) => {
        throw new Error(`${e.message}\n${JSON.stringify(await state())}\n${logs.join("\n")}`);
      });
      const playing = await waitFor("3 s of playback", async () => {
        const s = await state();
        return s.t - first.t >= 3 ? s : null;
      }, 15_000);
      // media clock = player clock + delta (hls.js starts its timeline where it joined)
      assert.ok(playing.delta !== null && playing.delta > 0, `delta ${playing.delta}`);
      // the frame on screen is the one the media clock says: sampled again for a few seconds, since
      // a loaded machine can hand the page a blank frame to read (all bits dark: counter 0), but a
      // player showing the wrong frames never matches
      let last = playing;
      await waitFor("the frame on screen to match currentTime", async () => {
        last = await state();
        return Math.abs(last.counter / FPS - last.t) < 0.5 ? last : null;
      }, 5_000).catch(() => {
        throw new assert.AssertionError({
          message: `frame ${last.counter} (${
            last.counter / FPS
          } s) on screen at currentTime ${last.t}`,
        });
      });

      // 2. the markers table fills (from /markers), rows match the markers made
      const filled = await waitFor("markers in the table", async () => {
        const s = await state();
        return s.rows.length >= 3 ? s : null;
      }, 10_000);
      for (const r of filled.rows) {
        const m = markers.find((x) => x.id === r.id);
        assert.ok(m && m.time === r.time, `row ${r.id} at ${r.time}`);
      }

      // 3. in-band: the ID3 cues arrive, at the markers' times on the player's clock
      const withCue = await waitFor("an in-band cue", async () => {
        const s = await state();
        return s.cues.length ? s : null;
      }, 15_000);
      for (const c of withCue.cues) {
        assert.ok(
          Math.abs(c.cueStart - c.time) < 0.05,
          `cue ${c.id} at ${c.cueStart}, marker ${c.time}`,
        );
      }

      // 4. click on the oldest marker still in the window: seeks to it
      const s4 = await state();
      // a marker well inside the window (it slides by a second every second) and behind us
      const target = s4.rows.find((r) =>
        s4.seekable && r.time >= s4.seekable[0] + 3 * SEG && r.time < s4.t - 1.5
      );
      assert.ok(target, `no marker to seek to: ${JSON.stringify(s4)}`);
      const liveBefore = s4.t;
      await page.click(`#markers tbody tr[data-id="${target.id}"]`);
      const seeked = await waitFor("the seek", async () => {
        const s = await state();
        return Math.abs(s.t - target.time) < SEG + 0.5 && s.counter >= 0 ? s : null;
      }, 10_000).catch(async (e) => {
        const st = await state();
        throw new Error(
          `${e.message}: target ${JSON.stringify(target)}, before ${
            JSON.stringify({ ...s4, rows: s4.rows.length })
          }, now ${JSON.stringify({ ...st, rows: st.rows.length })}\n${logs.join("\n")}`,
        );
      });
      await new Promise((r) => setTimeout(r, 300));
      const after = await state();
      assert.ok(
        Math.abs(seeked.t - target.time) <= SEG,
        `seeked to ${seeked.t}, marker at ${target.time}`,
      );
      const want = (markers.find((m) => m.id === target.id)!.data as { frame: number }).frame;
      assert.ok(
        Math.abs(after.counter - want) / FPS <= SEG + 0.5,
        `frame ${after.counter} on screen after seeking to marker on frame ${want}`,
      );
      assert.ok(after.t < liveBefore, `seeked back from ${liveBefore} to ${after.t}`);

      // 5. back to live
      await page.click("#live");
      const back = await waitFor("the live edge", async () => {
        const s = await state();
        return s.seekable && s.seekable[1] - s.t < 3 * SEG + 1 && s.t > after.t + 2 ? s : null;
      }, 10_000);
      assert.ok(back.t > after.t, `${back.t} after ${after.t}`);
      const fatal = back.errors.filter((e) => e.includes("fatal"));
      assert.deepEqual(fatal, [], logs.join("\n"));
    } finally {
      clearTimeout(watchdog);
      await browser.close().catch(() => {});
      stop = true;
      await feeder;
      await live.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    }
  },
});
