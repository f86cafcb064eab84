/**
 * Types of the DASH/HLS adaptation API: the algorithm interface users implement, and the
 * statistics and quality descriptions libgpac hands to it.
 *
 * @module
 */

import type { DASHGroup } from "./group.ts";

export type { DASHQualityInfo, DASHSRD } from "./quality.ts";

/** `onPeriodReset` type: the current period ended; its groups are no longer valid. */
export const DASH_PERIOD_END = 0;
/** `onPeriodReset` type: a period of a static presentation (on-demand) starts. */
export const DASH_PERIOD_START_STATIC = 1;
/** `onPeriodReset` type: a period of a dynamic presentation (live) starts. */
export const DASH_PERIOD_START_DYNAMIC = 2;

/** `onRateAdaptation` result: take no decision now, keep the current quality. */
export const DASH_QUALITY_KEEP: -1 = -1;
/** `onRateAdaptation` result: disable the group; its next segments are not fetched. */
export const DASH_QUALITY_DISABLE: -2 = -2;

/** `onDownloadMonitor` result: let the current download go on. */
export const DASH_DOWNLOAD_CONTINUE: -1 = -1;
/**
 * `onDownloadMonitor` result: abort the current download without choosing another quality
 * (return a quality index instead to abort and fetch the same segment in that quality).
 */
export const DASH_DOWNLOAD_ABORT: -2 = -2;

/**
 * What libgpac knows when it asks for a quality decision (`GF_DASHCustomAlgoInfo`), copied
 * for the duration of your callback and after.
 */
export interface DASHGroupStatistics {
  /** Download rate of the last segment in bits per second (already divided by `speed`). */
  readonly downloadRate: number;
  /** Size in bytes of the last downloaded segment. */
  readonly fileSize: number;
  /** Current playback speed (1 = normal). */
  readonly speed: number;
  /** Highest playback speed the decoder can sustain at this quality (0 if unknown). */
  readonly maxAvailableSpeed: number;
  /** Width of the display area (0 if unknown). */
  readonly displayWidth: number;
  /** Height of the display area (0 if unknown). */
  readonly displayHeight: number;
  /** Index of the quality currently fetched. */
  readonly activeQualityIdx: number;
  /** Minimum buffer level in milliseconds. */
  readonly bufferMinMs: number;
  /** Maximum buffer level in milliseconds (0 when the player does not report it). */
  readonly bufferMaxMs: number;
  /** Current buffer level in milliseconds (media downloaded but not yet consumed). */
  readonly bufferOccupancyMs: number;
  /** Quality degradation hint of the group (0: none; higher: less important, e.g. tiles). */
  readonly qualityDegradationHint: number;
  /** Sum of the download rates of all groups in bits per second. */
  readonly totalRate: number;
}

/** Progress of a segment download, given to {@link DASHAlgorithm.onDownloadMonitor}. */
export interface DASHGroupDownloadStatistics {
  /** Current download rate in bits per second. */
  readonly bitsPerSec: number;
  /** Size of the segment in bytes. */
  readonly totalBytes: number;
  /** Bytes received so far. */
  readonly bytesDone: number;
  /** Microseconds since the download started. */
  readonly usSinceStart: number;
  /** Buffer level in milliseconds. */
  readonly bufferDurMs: number;
  /** Duration of the segment being downloaded in milliseconds. */
  readonly currentSegDurMs: number;
}

/**
 * A custom adaptation algorithm for GPAC's DASH/HLS client (`dashin`): implement it as a class
 * or a plain object and bind it with `filter.bind(algo)` (on a `dashin` filter),
 * {@link bindDashAlgorithm} or {@link useDashAlgorithm}.
 *
 * Every method is called on the JS thread while the session runs. An exception thrown by a
 * method stops the session; `run()` rethrows it.
 *
 * @example
 * ```ts
 * import { type DASHAlgorithm, DASH_QUALITY_KEEP } from "@deno-gpac/gpac";
 * const lowest: DASHAlgorithm = {
 *   onRateAdaptation: (group) => group.qualities[0].disabled ? DASH_QUALITY_KEEP : 0,
 * };
 * ```
 */
export interface DASHAlgorithm {
  /**
   * A period starts (`DASH_PERIOD_START_STATIC` / `DASH_PERIOD_START_DYNAMIC`) or ends
   * (`DASH_PERIOD_END`: the groups announced so far are no longer valid).
   */
  onPeriodReset?(type: number): void;
  /** A group (DASH AdaptationSet, HLS variant stream set) was set up for the current period. */
  onNewGroup?(group: DASHGroup): void;
  /**
   * A segment of `group` was downloaded: choose the quality of the next one.
   *
   * @param group The group to adapt.
   * @param baseGroup The group `group` depends on (scalable or tiled content), or `group`.
   * @param forceLowComplexity True when the decoder cannot keep up: choose a lighter quality.
   * @param stats Download and buffer statistics.
   * @returns A quality index (into `group.qualities`), `DASH_QUALITY_KEEP` (-1) or
   * `DASH_QUALITY_DISABLE` (-2).
   */
  onRateAdaptation(
    group: DASHGroup,
    baseGroup: DASHGroup,
    forceLowComplexity: boolean,
    stats: DASHGroupStatistics,
  ): number;
  /**
   * Optional: called while a segment downloads (at most every `bwcheck` ms, 5 by default) and
   * when it completes; binding an algorithm with this method enables download aborts.
   *
   * @returns `DASH_DOWNLOAD_CONTINUE` (-1), `DASH_DOWNLOAD_ABORT` (-2), or a quality index to
   * abort and fetch the same segment again in that quality.
   */
  onDownloadMonitor?(group: DASHGroup, stats: DASHGroupDownloadStatistics): number;
}
