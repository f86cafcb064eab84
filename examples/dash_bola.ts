/**
 * A buffer-based DASH/HLS adaptation algorithm in the spirit of BOLA (Spiteri, Urgaonkar,
 * Sitaraman, "BOLA: Near-Optimal Bitrate Adaptation for Online Videos"), as a plugin module: its
 * default export is the algorithm class, so it can be loaded by path with
 * `loadDashAlgorithm("dash_bola.ts")`.
 *
 * How it decides: each quality `m` has a utility `u(m) = 1 + ln(bandwidth(m) / bandwidth(0))`.
 * After each segment, with `Q` the media buffered ahead of playback (seconds, from
 * `stats.bufferOccupancyMs`), it picks the quality maximising
 * `(V · (u(m) + γ) − Q) / bandwidth(m)`: little buffer favours small segments, a fuller buffer
 * lets it afford better ones. `V` and `γ` are derived from two buffer levels, as dash.js does:
 * at `minBufferS` (one segment by default) it picks the lowest quality, from `targetBufferS` on
 * the highest. While the buffer is still below one segment (start-up, or a player that reports no
 * buffer) it falls back on the measured throughput, so it does not start at the bottom for
 * nothing.
 *
 * Note: libgpac fills `bufferOccupancyMs` from what the playback chain reports (GPAC's own
 * player does); the plain TypeScript sink of `dash_demo.ts` reports nothing, so in this demo the
 * buffer reads 0 ms and every decision comes from the start-up (throughput) rule.
 *
 * Run it on a generated presentation served at 600 kbit/s:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/dash_bola.ts
 * ```
 *
 * @module
 */

import type { DASHAlgorithm, DASHGroup, DASHGroupStatistics } from "../mod.ts";

/** Buffer-based adaptation (BOLA-BASIC utility rule with a throughput rule at start-up). */
export default class BolaAlgorithm implements DASHAlgorithm {
  /** Decisions taken, for logs: [group, buffer ms, rule used, chosen quality]. */
  readonly decisions: [number, number, "bola" | "throughput", number][] = [];

  /**
   * @param targetBufferS Buffer level (seconds) from which the highest quality is chosen.
   * @param safety Part of the measured throughput the start-up rule may use (0-1).
   */
  constructor(readonly targetBufferS = 4, readonly safety = 0.8) {}

  /** Chooses the quality of the next segment from the buffer level. */
  onRateAdaptation(
    group: DASHGroup,
    _baseGroup: DASHGroup,
    forceLowComplexity: boolean,
    stats: DASHGroupStatistics,
  ): number {
    const qualities = group.qualities.filter((q) => !q.disabled && q.bandwidth > 0);
    if (qualities.length === 0) return -1; // nothing usable: keep the current quality
    const segS = (group.segmentDuration || 1000) / 1000;
    const bufferS = stats.bufferOccupancyMs / 1000;
    let choice: number;
    let rule: "bola" | "throughput";
    if (bufferS < segS) {
      rule = "throughput";
      choice = qualities[0].index;
      for (const q of qualities) {
        if (q.bandwidth <= stats.downloadRate * this.safety) choice = q.index;
      }
    } else {
      rule = "bola";
      const b0 = qualities[0].bandwidth;
      const u = qualities.map((q) => 1 + Math.log(q.bandwidth / b0));
      const minBufferS = segS;
      const targetS = Math.max(this.targetBufferS, minBufferS + 2 * segS);
      const gamma = (u[u.length - 1] - 1) / (targetS / minBufferS - 1);
      const v = minBufferS / gamma;
      let best = -Infinity;
      choice = qualities[0].index;
      qualities.forEach((q, i) => {
        const score = (v * (u[i] + gamma) - bufferS) / q.bandwidth;
        if (score > best) {
          best = score;
          choice = q.index;
        }
      });
    }
    if (forceLowComplexity) choice = Math.min(choice, Math.max(0, stats.activeQualityIdx - 1));
    this.decisions.push([group.idx, stats.bufferOccupancyMs, rule, choice]);
    return choice;
  }
}

if (import.meta.main) {
  const { makePresentation, playWith, printServed } = await import("./dash_demo.ts");
  const algo = new BolaAlgorithm();
  const dir = makePresentation();
  try {
    console.log("buffer-based (BOLA-like) algorithm, server capped at 600 kbit/s:");
    const r = playWith(algo, dir, "live.mpd", 600);
    for (const [g, bufferMs, rule, choice] of algo.decisions) {
      console.log(`  group ${g}: buffer ${bufferMs} ms, ${rule} rule -> ${choice}`);
    }
    printServed(r);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}
