/**
 * A throughput-based DASH/HLS adaptation algorithm, as a plugin module: its default export is the
 * algorithm class, so it can be loaded by path with `loadDashAlgorithm("dash_throughput.ts")`.
 *
 * How it decides: after each segment, libgpac reports the rate at which that segment was
 * downloaded (`stats.downloadRate`, bits per second). The algorithm smooths these measures with
 * an exponentially weighted moving average (so one fast or slow segment does not make it jump),
 * keeps a safety margin (it only plans to use `safety` × the estimate), and picks the best
 * quality whose declared bandwidth fits. It goes down at once when the estimate drops, but up
 * by one quality at a time, to avoid oscillating. When libgpac says the decoder cannot keep up
 * (`forceLowComplexity`), it steps one quality down.
 *
 * Run it on a generated presentation served at 600 kbit/s:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/dash_throughput.ts
 * ```
 *
 * @module
 */

import type { DASHAlgorithm, DASHGroup, DASHGroupStatistics } from "../mod.ts";

/** Per-group state of {@link ThroughputAlgorithm}. */
interface Estimate {
  /** Smoothed download rate in bits per second (0 before the first segment). */
  bps: number;
}

/** Throughput-based adaptation: EWMA of the download rate, safety margin, gradual switch-up. */
export default class ThroughputAlgorithm implements DASHAlgorithm {
  /** Decisions taken, for logs: [group, measured kbit/s, estimate kbit/s, chosen quality]. */
  readonly decisions: [number, number, number, number][] = [];

  /**
   * @param alpha Weight of the newest measure in the moving average (0-1).
   * @param safety Part of the estimated throughput the chosen bandwidth may use (0-1).
   */
  constructor(readonly alpha = 0.5, readonly safety = 0.8) {}

  /** Resets the estimate of each new group. */
  onNewGroup(group: DASHGroup): void {
    group.udta = { bps: 0 } satisfies Estimate;
  }

  /** Picks the best quality that fits the smoothed throughput. */
  onRateAdaptation(
    group: DASHGroup,
    _baseGroup: DASHGroup,
    forceLowComplexity: boolean,
    stats: DASHGroupStatistics,
  ): number {
    const est = (group.udta ??= { bps: 0 }) as Estimate;
    const measured = stats.downloadRate;
    est.bps = est.bps === 0 ? measured : this.alpha * measured + (1 - this.alpha) * est.bps;
    const budget = est.bps * this.safety;
    const qualities = group.qualities;
    let fit = 0;
    for (const q of qualities) {
      if (!q.disabled && q.bandwidth <= budget) fit = q.index;
    }
    const current = stats.activeQualityIdx;
    let choice = fit > current ? current + 1 : fit; // up one step at a time, down at once
    if (forceLowComplexity) choice = Math.min(choice, Math.max(0, current - 1));
    this.decisions.push([
      group.idx,
      Math.round(measured / 1000),
      Math.round(est.bps / 1000),
      choice,
    ]);
    return choice;
  }
}

if (import.meta.main) {
  const { makePresentation, playWith, printServed } = await import("./dash_demo.ts");
  const algo = new ThroughputAlgorithm();
  const dir = makePresentation();
  try {
    console.log("throughput-based algorithm, server capped at 600 kbit/s:");
    const r = playWith(algo, dir, "live.mpd", 600);
    for (const [g, measured, estimate, choice] of algo.decisions) {
      console.log(`  group ${g}: measured ${measured} kbit/s, estimate ${estimate} -> ${choice}`);
    }
    printServed(r);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}
