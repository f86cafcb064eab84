/**
 * Custom DASH/HLS adaptation algorithms against the real libgpac: a 3-quality presentation made
 * with avgen + ffenc + dasher, served by httpout in the same session (requests observed with an
 * httpout request hook) and played by dashin into a TypeScript sink.
 *
 * Run alone with `deno test -A tests/dash_test.ts`.
 */

import assert from "node:assert/strict";
import * as gpac from "../mod.ts";
import {
  bindDashAlgorithm,
  DASH_DOWNLOAD_ABORT,
  DASH_DOWNLOAD_CONTINUE,
  DASH_PERIOD_START_STATIC,
  DASH_QUALITY_DISABLE,
  DASHAlgorithmBinding,
  type DASHGroup,
  type DASHGroupDownloadStatistics,
  type DASHGroupStatistics,
  FilterSession,
  GpacError,
  loadDashAlgorithm,
  useDashAlgorithm,
} from "../mod.ts";
import {
  DURATION,
  FPS,
  makePresentation,
  mediaSegments,
  NB_SEGMENTS,
  play,
  RATES,
  SIZES,
} from "./dash_helpers.ts";
import { refused, tmpPath } from "./helpers.ts";

/** Records every callback; chooses qualities from `plan` (one entry per call, then the last). */
class Recording {
  events: string[] = [];
  groups: DASHGroup[] = [];
  decisions: {
    group: DASHGroup;
    stats: DASHGroupStatistics;
    returned: number;
    selected: number;
  }[] = [];
  monitors: DASHGroupDownloadStatistics[] = [];
  constructor(readonly plan: number[]) {}
  onPeriodReset(type: number): void {
    this.events.push(`reset ${type}`);
  }
  onNewGroup(group: DASHGroup): void {
    this.events.push(`group ${group.idx}`);
    this.groups.push(group);
  }
  onRateAdaptation(
    group: DASHGroup,
    baseGroup: DASHGroup,
    forceLowComplexity: boolean,
    stats: DASHGroupStatistics,
  ): number {
    assert.equal(baseGroup, group);
    assert.equal(forceLowComplexity, false);
    const returned = this.plan[Math.min(this.decisions.length, this.plan.length - 1)];
    const selected = group.qualities.findIndex((q) => q.isSelected);
    this.decisions.push({ group, stats, returned, selected });
    return returned;
  }
}

function checkQualities(group: DASHGroup, hls: boolean): void {
  const q = group.qualities;
  assert.equal(q.length, 3);
  assert.equal(group.nbQualities, 3);
  assert.deepEqual(q.map((x) => x.bandwidth), RATES, "qualities sorted low to high");
  assert.deepEqual(q.map((x) => `${x.width}x${x.height}`), SIZES);
  for (const [i, x] of q.entries()) {
    assert.equal(x.index, i);
    assert.match(x.codec ?? "", /^avc1\./);
    assert.equal(x.sampleRate, 0);
    assert.equal(x.disabled, false);
    assert.equal(x.interlaced, false);
    if (hls && gpac.abi().major < 16) {
      // GPAC 2.4 names a variant "video/mp4" once its playlist was read (its EXT-X-MAP init
      // segment is an .mp4), "video/mp2t" before (src/media_tools/mpd.c,
      // gf_m3u8_fill_mpd_struct); which were read when onNewGroup runs depends on timing
      assert.ok(["video/mp4", "video/mp2t"].includes(x.mime ?? ""), String(x.mime));
    } else {
      assert.equal(x.mime, "video/mp4");
    }
    if (hls) {
      // libgpac names HLS variants R<set>_<variant> and has no frame rate for them; the
      // variant playlist URL is known once loaded (the top one: start_with=max_bw)
      assert.equal(x.id, `R1_${i + 1}`);
      assert.equal(x.fps, null);
      // (GPAC 2.4's quality info has no variant URL)
      if (i === 2) assert.equal(x.hlsVariantUrl, gpac.abi().major < 16 ? null : "x_3.m3u8");
    } else {
      assert.equal(x.fps?.num, FPS);
      assert.equal(x.fps?.den, 1);
      assert.equal(x.id, String(i + 1));
      assert.equal(x.hlsVariantUrl, null);
      assert.equal(x.sar?.toString(), "1/1");
    }
  }
  assert.equal(group.isHls, hls);
  assert.equal(group.isDynamic, false);
  assert.equal(group.srd, null);
  assert.equal(group.duration, DURATION * 1000);
  assert.equal(group.segmentDuration, 1000);
}

/**
 * The core check: one decision per downloaded segment, and segment k+1 is fetched in the quality
 * chosen after segment k; the statistics describe the segment just fetched.
 */
function checkPlayback(kind: "dash" | "hls", manifest: string) {
  const dir = makePresentation(kind);
  // start on the top quality (dashin's default), then 0, 1, 2, 0, ...
  const algo = new Recording([0, 1, 2, 0]);
  let qualitiesInCallback: number[] = [];
  const origNew = algo.onNewGroup.bind(algo);
  algo.onNewGroup = (g) => {
    origNew(g);
    checkQualities(g, kind === "hls");
    qualitiesInCallback = g.qualities.map((q) => q.bandwidth);
  };
  const r = play(dir, manifest, { algo });
  assert.equal(r.timedOut, false);
  assert.equal(r.eos, true);
  assert.equal(r.packets, DURATION * FPS, "every frame of every segment reached the sink");
  assert.deepEqual(qualitiesInCallback, RATES);
  assert.equal(algo.groups.length, 1);
  assert.ok(algo.events.includes(`reset ${DASH_PERIOD_START_STATIC}`), algo.events.join());

  const segs = mediaSegments(r.requests);
  assert.deepEqual(segs.map((s) => s.n), [1, 2, 3, 4], "each segment fetched once, in order");
  assert.equal(segs[0].q, 2, "first segment in the top quality (start_with=max_bw)");
  assert.equal(algo.decisions.length, NB_SEGMENTS, "one decision per downloaded segment");
  for (let k = 0; k < NB_SEGMENTS; k++) {
    const d = algo.decisions[k];
    assert.equal(d.group, algo.groups[0], "the same DASHGroup object every time");
    // the statistics describe the segment just downloaded
    assert.equal(d.stats.activeQualityIdx, segs[k].q);
    assert.equal(d.selected, segs[k].q, "isSelected marks the active quality");
    const size = Deno.statSync(`${dir}/${segs[k].r.path}`).size;
    assert.equal(d.stats.fileSize, size, `fileSize of ${segs[k].r.path}`);
    assert.ok(d.stats.downloadRate > 0);
    assert.equal(d.stats.speed, 1);
    // and the next segment is fetched in the chosen quality
    if (k + 1 < NB_SEGMENTS) assert.equal(segs[k + 1].q, d.returned, `segment ${k + 2}`);
  }
  // init segments of each quality used were fetched before their media segments
  for (const q of new Set(segs.map((s) => s.q))) {
    const init = r.requests.findIndex((x) => x.path === `video${q + 1}_dashinit_rep${q + 1}.mp4`);
    const first = r.requests.indexOf(segs.find((s) => s.q === q)!.r);
    assert.ok(init >= 0 && init < first, `init segment of quality ${q}`);
  }
  // after the session, the group is gone with its filter
  assert.equal(algo.groups[0].valid, false);
  assert.throws(() => algo.groups[0].qualities, (e) => e instanceof GpacError);
}

Deno.test("dash: the algorithm decides every segment of a DASH presentation", () => {
  if (refused("dash")) return;
  checkPlayback("dash", "x.mpd");
});

Deno.test("dash: the same with an HLS master playlist", () => {
  if (refused("dash")) return;
  checkPlayback("hls", "x.m3u8");
});

Deno.test("dash: filter.bind() from onFilterNew, call counts, DASHAlgorithmBinding.of", () => {
  if (refused("dash")) return;
  const dir = makePresentation("dash");
  const algo = new Recording([0]);
  const r = play(dir, "x.mpd", { algo, bindWith: "filter.bind" });
  assert.equal(r.dashin.length, 1);
  assert.equal(r.packets, DURATION * FPS);
  const segs = mediaSegments(r.requests);
  assert.deepEqual(segs.map((s) => s.q), [2, 0, 0, 0]);
  assert.equal(algo.decisions.length, NB_SEGMENTS);
});

Deno.test("dash: -2 disables the group: the next segment is not fetched", () => {
  if (refused("dash")) return;
  const dir = makePresentation("dash");
  // after segment 1: quality 0; after segment 2: disable
  const algo = new Recording([0, DASH_QUALITY_DISABLE]);
  const r = play(dir, "x.mpd", { algo });
  const segs = mediaSegments(r.requests);
  assert.deepEqual(segs.slice(0, 2).map((s) => [s.n, s.q]), [[1, 2], [2, 0]]);
  assert.ok(!segs.some((s) => s.n === 3), `segment 3 must be dropped: ${segs.map((s) => s.n)}`);
  assert.equal(r.packets, segs.length * FPS, "only fetched segments are played");
  assert.ok(r.packets < DURATION * FPS);
});

Deno.test("dash: onDownloadMonitor sees downloads in progress; -2 aborts one", () => {
  if (refused("dash")) return;
  const dir = makePresentation("dash");
  const run = (abort: boolean) => {
    const seen: DASHGroupDownloadStatistics[] = [];
    let aborted = false;
    const algo = {
      onRateAdaptation: () => 0,
      onDownloadMonitor(group: DASHGroup, st: DASHGroupDownloadStatistics): number {
        seen.push(st);
        assert.equal(group.idx, 0);
        if (abort && !aborted && st.bytesDone < st.totalBytes) {
          aborted = true;
          return DASH_DOWNLOAD_ABORT;
        }
        return DASH_DOWNLOAD_CONTINUE;
      },
    };
    // 10 kB every 60 ms: the 70 kB first segment takes about 420 ms, so dashin monitors it
    // several times even on a loaded machine
    const r = play(dir, "x.mpd", { algo, throttleUs: 60_000 });
    return { r, seen, aborted };
  };
  const full = run(false);
  assert.equal(full.r.packets, DURATION * FPS, "monitoring alone changes nothing");
  const partial = full.seen.filter((s) => s.bytesDone < s.totalBytes);
  assert.ok(partial.length > 0, "called while a segment is still downloading");
  for (const s of partial) {
    assert.ok(s.totalBytes > 0 && s.bytesDone > 0 && s.bitsPerSec > 0);
    assert.ok(s.usSinceStart > 0);
    assert.equal(s.currentSegDurMs, 1000);
  }
  // whether dashin polls the monitor while a segment is still in flight depends on scheduling:
  // on a loaded machine a run can see only completed downloads, so give it three sessions
  let cut = run(true);
  for (let i = 0; i < 2 && !cut.aborted; i++) cut = run(true);
  assert.equal(cut.aborted, true, "the monitor saw a download in progress and aborted it");
  assert.ok(
    cut.r.packets < DURATION * FPS,
    `the aborted segment is not played whole (${cut.r.packets} frames)`,
  );
  // the server stopped sending the aborted segment before its end
  const first = mediaSegments(cut.r.requests)[0].r;
  assert.ok(first.bytesDone < Deno.statSync(`${dir}/${first.path}`).size);
  assert.equal(cut.r.eos, true, "playback goes on after the abort");
});

Deno.test("dash: an exception in the algorithm surfaces from run(); a new session works", () => {
  if (refused("dash")) return;
  const dir = makePresentation("dash");
  class Boom extends Error {}
  const algo = {
    onRateAdaptation(): number {
      throw new Boom("algorithm failed");
    },
  };
  assert.throws(() => play(dir, "x.mpd", { algo }), (e) => {
    assert.ok(e instanceof Boom);
    assert.match((e as Error).stack ?? "", /onRateAdaptation/);
    return true;
  });
  const r = play(dir, "x.mpd", { algo: new Recording([1]) });
  assert.equal(r.packets, DURATION * FPS);
});

Deno.test("dash: invalid decisions are GF_BAD_PARAM errors naming the value", () => {
  if (refused("dash")) return;
  const dir = makePresentation("dash");
  for (const bad of [3, -3, 1.5, "1", undefined]) {
    const algo = { onRateAdaptation: () => bad as number };
    assert.throws(() => play(dir, "x.mpd", { algo }), (e) => {
      assert.ok(e instanceof GpacError, String(e));
      assert.equal(e.codeName, "GF_BAD_PARAM");
      assert.ok(e.message.includes(`returned ${bad === "1" ? '"1"' : String(bad)}`), e.message);
      assert.match(e.message, /0\.\.2/);
      return true;
    });
  }
  const monitor = {
    onRateAdaptation: () => 0,
    onDownloadMonitor: () => 7,
  };
  assert.throws(
    () => play(dir, "x.mpd", { algo: monitor, throttleUs: 20_000 }),
    (e) => e instanceof GpacError && /onDownloadMonitor returned 7/.test(e.message),
  );
});

Deno.test("dash: misuse is refused with typed errors", () => {
  if (refused("dash")) return;
  using fs = new FilterSession();
  const f = fs.loadSrc("avgen:dur=1");
  const algo = { onRateAdaptation: () => 0 };
  assert.throws(
    () => f.bind(algo),
    (e) => e instanceof GpacError && e.codeName === "GF_NOT_SUPPORTED",
  );
  assert.throws(
    () => bindDashAlgorithm(f, algo),
    (e) => e instanceof GpacError && e.codeName === "GF_BAD_PARAM" && /avgen/.test(e.message),
  );
  const d = fs.load("dashin");
  assert.throws(
    () => d.bind({ onNewGroup() {} }),
    (e) => e instanceof GpacError && /onRateAdaptation/.test(e.message),
  );
  assert.throws(
    () => d.bind({ onRateAdaptation: () => 0, onDownloadMonitor: 5 }),
    (e) =>
      e instanceof GpacError && /onDownloadMonitor must be a method, got number/.test(e.message),
  );
  assert.throws(
    () => useDashAlgorithm(fs, null as unknown as { onRateAdaptation(): number }),
    (e) => e instanceof GpacError && /got null/.test(e.message),
  );
  // binding before the filter ran, then closing, then binding again
  const b = bindDashAlgorithm(d, algo);
  assert.equal(DASHAlgorithmBinding.of(d), b);
  const b2 = bindDashAlgorithm(d, algo); // replaces
  assert.equal(b.closed, true);
  assert.equal(DASHAlgorithmBinding.of(d), b2);
  b2.close();
  b2.close();
  assert.equal(DASHAlgorithmBinding.of(d), null);
});

Deno.test("dash: sessions with worker threads are refused (JS callbacks need the JS thread)", () => {
  if (refused("dash")) return;
  using fs = new FilterSession({ threads: 2 });
  const algo = { onRateAdaptation: () => 0 };
  assert.throws(
    () => useDashAlgorithm(fs, algo),
    (e) =>
      e instanceof GpacError && e.codeName === "GF_NOT_SUPPORTED" && /threads: 2/.test(e.message),
  );
  const d = fs.load("dashin");
  assert.throws(() => d.bind(algo), (e) => e instanceof GpacError && /threads: 0/.test(e.message));
});

Deno.test("dash: binding a dashin that already started is refused", () => {
  if (refused("dash")) return;
  const dir = makePresentation("dash");
  let error: unknown = null;
  const algo = new Recording([0]);
  const late = {
    onRateAdaptation(group: DASHGroup): number {
      try {
        bindDashAlgorithm(group.filter, { onRateAdaptation: () => 0 });
      } catch (e) {
        error ??= e;
      }
      return algo.onRateAdaptation(group, group, false, {} as DASHGroupStatistics);
    },
  };
  play(dir, "x.mpd", { algo: late });
  assert.ok(error instanceof GpacError && /already started/.test(error.message), String(error));
});

Deno.test("dash: useDashAlgorithm with a class makes one instance per client; close() unbinds", () => {
  if (refused("dash")) return;
  const dir = makePresentation("dash");
  const made: Lowest[] = [];
  class Lowest {
    calls = 0;
    constructor() {
      made.push(this);
    }
    onRateAdaptation(): number {
      this.calls++;
      return 0;
    }
  }
  // play() calls useDashAlgorithm(fs, Lowest)
  const r = play(dir, "x.mpd", { algo: Lowest });
  assert.equal(made.length, 1);
  assert.equal(made[0].calls, NB_SEGMENTS);
  assert.deepEqual(mediaSegments(r.requests).map((s) => s.q), [2, 0, 0, 0]);

  using fs = new FilterSession();
  const use = useDashAlgorithm(fs, Lowest);
  const own = fs.onFilterNew;
  assert.notEqual(own, FilterSession.prototype.onFilterNew);
  use.close();
  assert.equal(fs.onFilterNew, FilterSession.prototype.onFilterNew, "hook removed");
});

Deno.test("dash: loadDashAlgorithm loads a module's default export, errors name the file", async () => {
  if (refused("dash")) return;
  const dir = makePresentation("dash");
  const good = tmpPath("algo_good.ts");
  Deno.writeTextFileSync(
    good,
    `export default class Fixed {
      constructor(q) { this.q = q ?? 1; this.calls = 0; }
      onRateAdaptation() { this.calls++; return this.q; }
    }\n`,
  );
  const algo = await loadDashAlgorithm(good, 1) as unknown as { calls: number; q: number };
  assert.equal(algo.q, 1);
  const r = play(dir, "x.mpd", { algo: algo as unknown as { onRateAdaptation(): number } });
  assert.deepEqual(mediaSegments(r.requests).map((s) => s.q), [2, 1, 1, 1]);
  assert.equal(algo.calls, NB_SEGMENTS);

  const obj = tmpPath("algo_obj.ts");
  Deno.writeTextFileSync(obj, `export default { onRateAdaptation: () => 2 };\n`);
  assert.equal(
    (await loadDashAlgorithm(new URL(`file://${obj}`))).onRateAdaptation(
      null as unknown as DASHGroup,
      null as unknown as DASHGroup,
      false,
      {} as DASHGroupStatistics,
    ),
    2,
  );

  const missing = tmpPath("no_such_algo.ts");
  await assert.rejects(
    () => loadDashAlgorithm(missing),
    (e) => e instanceof GpacError && e.codeName === "GF_URL_ERROR" && e.message.includes(missing),
  );
  const notAlgo = tmpPath("algo_bad.ts");
  Deno.writeTextFileSync(notAlgo, `export default { pick: () => 0 };\n`);
  await assert.rejects(
    () => loadDashAlgorithm(notAlgo),
    (e) =>
      e instanceof GpacError && e.codeName === "GF_BAD_PARAM" && e.message.includes(notAlgo) &&
      /onRateAdaptation/.test(e.message),
  );
  const noDefault = tmpPath("algo_nodefault.ts");
  Deno.writeTextFileSync(noDefault, `export const x = 1;\n`);
  await assert.rejects(
    () => loadDashAlgorithm(noDefault),
    (e) => e instanceof GpacError && /no default export \(exports: x\)/.test(e.message),
  );
  const throwing = tmpPath("algo_throw.ts");
  Deno.writeTextFileSync(
    throwing,
    `export default class T { constructor() { throw new Error("nope"); } onRateAdaptation() { return 0; } }\n`,
  );
  await assert.rejects(
    () => loadDashAlgorithm(throwing),
    (e) => e instanceof GpacError && /constructor .* failed: nope/.test(e.message),
  );
});
