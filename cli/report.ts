/**
 * What the runtime CLI prints about a session: the resolved graph (`-graph`), per-filter
 * statistics (`-stats`) and the live progress line.
 *
 * @module
 */

import type { FilterSession, SessionGraph } from "../core/session.ts";
import type { FilterStats } from "../core/filter.ts";
import type { Fraction64 } from "../core/props.ts";

/**
 * Formats a session graph as a tree from each source filter, one line per connection:
 * `├─ PIDname → filter`. A filter reached twice is printed once, then referenced.
 */
export function formatGraph(graph: SessionGraph): string {
  const nodes = graph.filters;
  const label = (i: number) => {
    const n = nodes[i];
    return n.id ? `${n.name}#${n.id}` : n.name;
  };
  const lines: string[] = [];
  const printed = new Set<number>();
  const walk = (i: number, prefix: string) => {
    printed.add(i);
    const outs = nodes[i].outputs;
    outs.forEach((o, k) => {
      const last = k === outs.length - 1;
      const seen = printed.has(o.filter);
      lines.push(
        `${prefix}${last ? "└─" : "├─"} ${o.pidName || `PID${o.pid}`} → ${label(o.filter)}${
          seen ? " (see above)" : ""
        }`,
      );
      if (!seen) walk(o.filter, prefix + (last ? "   " : "│  "));
    });
  };
  const roots = nodes.filter((n) => n.inputs.length === 0).map((n) => n.index);
  for (const r of roots) {
    if (printed.has(r)) continue;
    lines.push(label(r));
    walk(r, "");
  }
  // filters not reachable from a source (cycles, or not connected at all)
  for (const n of nodes) {
    if (printed.has(n.index)) continue;
    lines.push(`${label(n.index)}${n.inputs.length ? "" : " (not connected)"}`);
    walk(n.index, "");
  }
  return lines.join("\n");
}

/** Formats a byte count with binary-ish units (`12.3 MB`). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[u]}`;
}

/** Formats seconds as `HH:MM:SS.mmm` (hours only when needed). */
export function formatTime(sec: number): string {
  const ms = Math.max(0, Math.round(sec * 1000));
  const h = Math.floor(ms / 3600000);
  const m = Math.floor(ms / 60000) % 60;
  const s = (ms % 60000) / 1000;
  const mm = String(m).padStart(2, "0");
  const ss = s.toFixed(3).padStart(6, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

function seconds(f: Fraction64): number | null {
  const den = Number(f.den);
  return den > 0 ? Number(f.num) / den : null;
}

/** Formats per-filter statistics as a table, one row per filter. */
export function formatStats(stats: FilterStats[]): string {
  const head = ["filter", "pck in", "pck out", "bytes in", "bytes out", "last ts", "cpu ms"];
  const rows = stats.map((s) => {
    const ts = seconds(s.lastTsSent);
    return [
      (s.filter?.alive ? s.filter.name : s.regName || s.name) +
      (s.filterId ? `#${s.filterId}` : ""),
      String(s.nbPckProcessed),
      String(s.nbPckSent),
      formatBytes(Number(s.nbBytesProcessed)),
      formatBytes(Number(s.nbBytesSent)),
      ts === null ? "-" : formatTime(ts),
      (Number(s.timeProcess) / 1000).toFixed(1),
    ];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const fmt = (r: string[]) =>
    r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join("  ");
  return [fmt(head), ...rows.map(fmt)].join("\n");
}

/** One progress sample of a running session. */
export interface ProgressSample {
  /** Percent done (0-100) when the input duration is known, else null. */
  percent: number | null;
  /** Media time reached, in seconds, or null if no timestamp was seen yet. */
  mediaTime: number | null;
  /** Wall-clock seconds since the session started. */
  elapsed: number;
  /** Media seconds per wall-clock second, or null. */
  speed: number | null;
  /** Packets consumed by the sinks. */
  packets: number;
  /** Bytes consumed by the sinks (written, for file outputs). */
  bytes: number;
  /**
   * Bytes received so far by the filters feeding the sinks (muxers): an MP4 muxer keeps the
   * media until the end, so this grows while `bytes` stays 0 (shown then instead).
   */
  muxed: number;
}

/**
 * Follows a running session through `session.stats()`: media time is the timestamp reached by the
 * slowest filter that has both inputs and outputs and is not at end of stream (demuxers,
 * decoders, encoders, TS filters; sources and demuxers run ahead, muxers send files), the duration comes from a
 * `Duration` property of any output PID, packets and bytes from the sink filters.
 */
export class ProgressTracker {
  readonly #session: FilterSession;
  readonly #start = performance.now();
  #duration: number | null = null;

  /** Tracks `session` from now on. */
  constructor(session: FilterSession) {
    this.#session = session;
  }

  #findDuration(): void {
    for (const f of this.#session.filters) {
      if (!f.alive) continue;
      for (let i = 0; i < f.nbOpid; i++) {
        const d = f.opidProp(i, "Duration");
        const v = d === null ? NaN : Number(d.valueOf());
        if (v > 0 && Number.isFinite(v) && (this.#duration === null || v > this.#duration)) {
          this.#duration = v;
        }
      }
    }
  }

  /** Samples the session now; `done` reports 100% when the duration is known. */
  sample(done = false): ProgressSample {
    const stats = this.#session.stats();
    if (this.#duration === null) this.#findDuration();
    // the slowest filter still working tells how far the outputs are (demuxers run ahead)
    let active: number | null = null;
    let furthest: number | null = null;
    let packets = 0;
    let bytes = 0;
    let muxed = 0;
    // the filters feeding a sink (by index; stats and graph list filters in the same order)
    const feeders = new Set<number>();
    try {
      for (const n of this.#session.graph().filters) {
        if (n.outputs.length === 0) { for (const l of n.inputs) feeders.add(l.filter); }
      }
    } catch { /* a filter went away while listing: no muxed count this time */ }
    for (const [i, s] of stats.entries()) {
      if (feeders.has(i) && s.nbPidOut > 0) muxed += Number(s.nbBytesProcessed);
      if (s.nbPidIn > 0 && s.nbPidOut > 0) {
        const t = seconds(s.lastTsSent);
        if (t !== null && (furthest === null || t > furthest)) furthest = t;
        if (t !== null && !s.inEos && (active === null || t < active)) active = t;
      }
      if (s.nbPidIn > 0 && s.nbPidOut === 0) {
        packets += Number(s.nbPckProcessed);
        bytes += Number(s.nbBytesProcessed);
      }
    }
    const media = active ?? furthest;
    const elapsed = (performance.now() - this.#start) / 1000;
    const percent = this.#duration && media !== null
      ? Math.min(100, (100 * media) / this.#duration)
      : null;
    return {
      percent: done && percent !== null ? 100 : percent,
      mediaTime: media,
      elapsed,
      speed: media !== null && elapsed > 0 ? media / elapsed : null,
      packets,
      bytes,
      muxed,
    };
  }
}

/** Formats a progress sample as one terminal line (no newline). */
export function formatProgress(p: ProgressSample): string {
  const parts: string[] = [];
  if (p.percent !== null) parts.push(`${p.percent.toFixed(1).padStart(5)}%`);
  parts.push(`media ${p.mediaTime === null ? "--:--.---" : formatTime(p.mediaTime)}`);
  parts.push(`elapsed ${formatTime(p.elapsed)}`);
  if (p.speed !== null) parts.push(`x${p.speed.toFixed(2)} realtime`);
  parts.push(`${p.packets} pck`);
  parts.push(
    `${formatBytes(p.bytes)} written` +
      (p.bytes === 0 && p.muxed > 0 ? ` (${formatBytes(p.muxed)} in muxers)` : ""),
  );
  return parts.join(" | ");
}
