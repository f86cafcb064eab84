/**
 * Filter and PID statistics as plain data.
 *
 * The native structs grew across GPAC releases (`GF_FilterStats` is 216 bytes in 26.07 and
 * libgpac writes all of them), so they are read from a zeroed buffer larger than any known
 * layout: fields an older libgpac does not have read as 0.
 *
 * @module
 */

import { FilterPidStatisticsLayout, FilterStatsLayout } from "../ffi/layouts.ts";
import { gpacSymbols } from "../ffi/library.ts";
import { GF_OK, GF_STATS_LOCAL } from "../ffi/constants.ts";
import { readCString, u8 } from "../ffi/buffers.ts";
import { readStruct, type StructValues } from "../ffi/struct.ts";
import { GpacError } from "./errors.ts";
import { Fraction64 } from "./props.ts";

const STATS_BUFFER = 512;

type RawFilterStats = StructValues<typeof FilterStatsLayout>;

/**
 * Statistics of one filter (`GF_FilterStats`), with `F` the filter's wrapper; users see it as
 * `FilterStats` (`F` = `Filter`).
 */
export interface FilterStatsOf<F> {
  /** The filter, or null if it is already gone. */
  filter: F | null;
  /** Filter instance name. */
  name: string;
  /** Register name, e.g. `mp4mx`. */
  regName: string;
  /** Filter ID, if any. */
  filterId: string | null;
  /** Status text, if any. */
  status: string | null;
  /** Tasks executed. */
  nbTasksDone: number | bigint;
  /** Packets consumed. */
  nbPckProcessed: number | bigint;
  /** Bytes consumed. */
  nbBytesProcessed: number | bigint;
  /** Packets sent. */
  nbPckSent: number | bigint;
  /** Hardware (frame interface) packets sent. */
  nbHwPckSent: number | bigint;
  /** Errors so far. */
  nbErrors: number;
  /** Consecutive errors (GPAC ≥ 26.02, else 0). */
  nbCurrentErrors: number;
  /** Bytes sent. */
  nbBytesSent: number | bigint;
  /** Time spent processing, in microseconds. */
  timeProcess: number | bigint;
  /** Progress in 1/100 of percent, or -1 if unknown. */
  percent: number;
  /** True once the filter is done. */
  done: boolean;
  /** Input PID count. */
  nbPidIn: number;
  /** Packets received on inputs. */
  nbInPck: number | bigint;
  /** Output PID count. */
  nbPidOut: number;
  /** Packets sent on outputs. */
  nbOutPck: number | bigint;
  /** True when every input is at end of stream. */
  inEos: boolean;
  /** `GF_FS_STATS_FILTER_*` kind (raw, demux, mux, decode, encode, ...). */
  type: number;
  /** Stream type of the first PID, if known. */
  streamType: number;
  /** Codec ID of the first PID, if known. */
  codecid: number;
  /** Last timestamp sent. */
  lastTsSent: Fraction64;
  /** Last timestamp dropped. */
  lastTsDrop: Fraction64;
  /** Last task duration in microseconds (GPAC ≥ 26.07, else 0). */
  lastTaskTime: number;
}

/** Statistics of one PID (`GF_FilterPidStatistics`). */
export type PidStatistics =
  & Omit<
    StructValues<typeof FilterPidStatisticsLayout>,
    "lastTsDropNum" | "lastTsDropDen" | "lastTsSentNum" | "lastTsSentDen" | "disconnected"
  >
  & {
    /** True if the PID is disconnected. */
    disconnected: boolean;
    /** Last timestamp dropped. */
    lastTsDrop: Fraction64;
    /** Last timestamp sent. */
    lastTsSent: Fraction64;
  };

function fill(what: string, call: (buf: Uint8Array<ArrayBuffer>) => number): DataView {
  const buf = u8(STATS_BUFFER);
  const e = call(buf);
  if (e < 0) throw new GpacError(e, `cannot read ${what} statistics`);
  return new DataView(buf.buffer);
}

/** @internal Reads a `GF_FilterStats` filled by `call`. */
export function readFilterStats<F>(
  call: (buf: Uint8Array<ArrayBuffer>) => number,
  wrap: (f: Deno.PointerValue) => F | null,
): FilterStatsOf<F> {
  const r: RawFilterStats = readStruct(FilterStatsLayout, fill("filter", call));
  return {
    filter: wrap(r.filter),
    name: readCString(r.name) ?? "",
    regName: readCString(r.regName) ?? "",
    filterId: readCString(r.filterId),
    status: readCString(r.status),
    nbTasksDone: r.nbTasksDone,
    nbPckProcessed: r.nbPckProcessed,
    nbBytesProcessed: r.nbBytesProcessed,
    nbPckSent: r.nbPckSent,
    nbHwPckSent: r.nbHwPckSent,
    nbErrors: r.nbErrors,
    nbCurrentErrors: r.nbCurrentErrors,
    nbBytesSent: r.nbBytesSent,
    timeProcess: r.timeProcess,
    percent: r.percent,
    done: r.done,
    nbPidIn: r.nbPidIn,
    nbInPck: r.nbInPck,
    nbPidOut: r.nbPidOut,
    nbOutPck: r.nbOutPck,
    inEos: r.inEos,
    type: r.type,
    streamType: r.streamType,
    codecid: r.codecid,
    lastTsSent: new Fraction64(r.lastTsSentNum, r.lastTsSentDen),
    lastTsDrop: new Fraction64(r.lastTsDropNum, r.lastTsDropDen),
    lastTaskTime: r.lastTaskTime,
  };
}

/** @internal Reads a `GF_FilterPidStatistics` filled by `call`. */
export function readPidStats(call: (buf: Uint8Array<ArrayBuffer>) => number): PidStatistics {
  const { lastTsDropNum, lastTsDropDen, lastTsSentNum, lastTsSentDen, disconnected, ...rest } =
    readStruct(FilterPidStatisticsLayout, fill("PID", call));
  return {
    ...rest,
    disconnected: disconnected !== 0,
    lastTsDrop: new Fraction64(lastTsDropNum, lastTsDropDen),
    lastTsSent: new Fraction64(lastTsSentNum, lastTsSentDen),
  };
}

const PID_PROCESSED = FilterPidStatisticsLayout.fields.nbProcessed.offset;

/**
 * Counts what a session's filters moved so far, reusing one buffer: the count changes whenever
 * a filter consumes a packet or sends one. For each input PID it adds the packets its filter
 * consumed (the low 32 bits of the counter) times 65536 plus the packets waiting on it, so that
 * consuming a waiting packet still changes the count. One per user (it is not reentrant).
 *
 * It reads PID-level counters only (`gf_filter_pid_get_statistics` with `GF_STATS_LOCAL`, and
 * `gf_filter_pid_get_packet_count`), never `gf_filter_get_stats`: that one also compares the
 * names of a filter's output PIDs, without a lock, and a worker thread renames a PID (freeing
 * its old name) when a filter such as `mp4mx` sets up its output. Polled while worker threads
 * ran, it read a freed name (a heap-use-after-free under ASan; SIGSEGV in about 1 of 1,800
 * threaded sessions on libgpac 26.07).
 */
export class PacketMeter {
  readonly #stats = new Uint8Array(STATS_BUFFER);
  readonly #view = new DataView(this.#stats.buffer);

  /** The count for the session `p`. */
  moved(p: NonNullable<Deno.PointerValue>): number {
    const s = gpacSymbols();
    const v = this.#view;
    const buf = this.#stats;
    let processed = 0;
    let waiting = 0;
    forEachInputPid(p, (_f, pid) => {
      if (s.gf_filter_pid_get_statistics(pid, buf, GF_STATS_LOCAL) === GF_OK) {
        processed += v.getUint32(PID_PROCESSED, true);
      }
      waiting += s.gf_filter_pid_get_packet_count(pid) + 1;
      return false;
    });
    return processed * 65536 + waiting;
  }
}

/**
 * Calls `visit` with each input PID of each filter of session `p`; when `visit` returns true,
 * the filter's remaining input PIDs are skipped.
 */
export function forEachInputPid(
  p: NonNullable<Deno.PointerValue>,
  visit: (filter: NonNullable<Deno.PointerValue>, pid: NonNullable<Deno.PointerValue>) => boolean,
): void {
  const s = gpacSymbols();
  const count = s.gf_fs_get_filters_count(p);
  for (let i = 0; i < count; i++) {
    const f = s.gf_fs_get_filter(p, i);
    if (!f) continue;
    const pids = s.gf_filter_get_ipid_count(f);
    for (let j = 0; j < pids; j++) {
      const pid = s.gf_filter_get_ipid(f, j);
      if (pid && visit(f, pid)) break;
    }
  }
}
