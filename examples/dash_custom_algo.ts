/**
 * A custom DASH adaptation algorithm bound to GPAC's DASH client, the way GPAC's Python guide
 * shows it: a class with the four callbacks, bound with `filter.bind()` when the session creates
 * its `dashin` filter (`onFilterNew`).
 *
 * The algorithm prints what libgpac tells it (period resets, the group and its qualities, the
 * statistics of each downloaded segment, download progress) and always asks for the lowest
 * quality. The presentation is generated and served locally (see `dash_demo.ts`).
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/dash_custom_algo.ts
 * ```
 *
 * @module
 */

import {
  DASH_DOWNLOAD_CONTINUE,
  DASH_PERIOD_END,
  type DASHAlgorithm,
  type DASHGroup,
  type DASHGroupDownloadStatistics,
  type DASHGroupStatistics,
  type Filter,
  FilterSession,
} from "../mod.ts";
import { makePresentation, playWith, printServed } from "./dash_demo.ts";

class LowestQuality implements DASHAlgorithm {
  onPeriodReset(type: number): void {
    console.log(`period reset: ${type === DASH_PERIOD_END ? "period end" : `start (${type})`}`);
  }

  onNewGroup(group: DASHGroup): void {
    console.log(
      `new group ${group.idx}: ${group.qualities.length} qualities, period ${group.duration} ms,` +
        ` ${group.segmentDuration} ms segments`,
    );
    for (const q of group.qualities) {
      console.log(
        `  #${q.index} id=${q.id} ${q.codec} ${q.width}x${q.height} @${q.fps} fps ` +
          `${q.bandwidth / 1000} kbit/s`,
      );
    }
  }

  onRateAdaptation(
    group: DASHGroup,
    _baseGroup: DASHGroup,
    _forceLowComplexity: boolean,
    stats: DASHGroupStatistics,
  ): number {
    console.log(
      `rate adaptation, group ${group.idx}: last segment ${stats.fileSize} bytes at ` +
        `${Math.round(stats.downloadRate / 1000)} kbit/s in quality ${stats.activeQualityIdx}` +
        `, buffer ${stats.bufferOccupancyMs} ms -> 0`,
    );
    return 0; // always the lowest quality
  }

  onDownloadMonitor(group: DASHGroup, stats: DASHGroupDownloadStatistics): number {
    console.log(
      `  downloading for group ${group.idx}: ${stats.bytesDone}/${stats.totalBytes} bytes at ` +
        `${Math.round(stats.bitsPerSec / 1000)} kbit/s`,
    );
    return DASH_DOWNLOAD_CONTINUE;
  }
}

// as in the Python guide: bind the algorithm when GPAC creates the DASH client
// (useDashAlgorithm(session, algo) is the one-line equivalent)
class DashSession extends FilterSession {
  readonly algo = new LowestQuality();
  override onFilterNew(f: Filter): void {
    if (f.name === "dashin") f.bind(this.algo);
  }
}

const dir = makePresentation(4);
try {
  // serves the presentation with httpout and plays it with dashin, both in this session
  printServed(playWith(null, dir, "live.mpd", 2000, new DashSession()));
} finally {
  Deno.removeSync(dir, { recursive: true });
}
