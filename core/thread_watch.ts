/**
 * Keeping a multi-threaded session (`threads: N`) from ending while a filter still has work.
 *
 * **The bug it works around (libgpac 26.07).** A filter that keeps producing after its input
 * reached end of stream (a demuxer reading a local file itself, such as `mp4dmx`, or an encoder
 * flushing) is re-run by the scheduler only if it sent a packet since it looked at its input's
 * end of stream (`eos_probe_state == 2`). GPAC 26.07 (commit 2608720, in `filter_pck.c`) moved
 * the line that records "a packet was sent" after the sender drops its reference to the packet,
 * and records it only when the packet is still referenced there. With worker threads, the
 * receiving filter can consume and release the packet on another thread before that, and the
 * sender is then never re-run: it is left with data to send, no task queued, and the session
 * ends as if done. `gpac -threads=2 -i aac.mp4 reframer inspect` stops after a random part of
 * the packets (5k to 70k of 77k in most runs); `-sched=direct`, where the receiver runs inside
 * the send, always stops after the first 50 (the demuxer's packets per call). 26.02 is not
 * affected.
 *
 * **libgpac 2.4** has an older bug of the same kind, fixed in GPAC's December 2025 commits
 * 831e3d3 ("unscheduling valid filters and resulting in premature session end") and 1e4a17f,
 * before 26.02: a threaded session driven by `runAsync()`, one file split between a TS sink and
 * `mp4mx`, ended before `mp4mx` got its input in 35 of 600 sessions. With the watch: none.
 *
 * **The workaround.** {@link ThreadWatch} is a user task posted on the session's JS thread for
 * each run of a threaded session. It looks for stranded filters: a filter with packets queued on
 * an input, or the upstream filter of an input PID that has not reached its end of stream and
 * holds no packet; it posts a process task to each. It removes itself once none is left, or once
 * a nudge moved no packet at all (a stream stopped on purpose, by a `STOP` event, never ends: the
 * session then ends as GPAC decides).
 * - Blocking session (`blocking: true`): every {@link WATCH_INTERVAL_MS} it reads
 *   `gf_fs_is_last_task`, and checks only when it is the only task left (the session would end).
 * - Stepped session (the default, and `runAsync()`): libgpac counts the running task as work in
 *   progress there, so the task checks whenever no packet moved for {@link STEPPED_IDLE_MS}, and
 *   gives up after {@link STEPPED_GIVE_UP_MS} without a move.
 *
 * It reads PID-level counters and flags only (see {@link PacketMeter}): the filters it looks at
 * run on other threads meanwhile.
 *
 * `deno task test threads` checks every sample of a 60k-sample MP4 in 28 threaded runs (without
 * the watch, 1 to 9 of them lost samples on 26.07), and 150 split sessions (20 of them lost
 * output on 2.4 without the watch).
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { GF_OK } from "../ffi/constants.ts";
import { forEachInputPid, PacketMeter } from "./stats.ts";
import { addressOf } from "../ffi/buffers.ts";
import type { PostedTask } from "./tasks.ts";
import { version } from "./gpac.ts";

/** The loaded libgpac's release as [major, minor], or null when its version does not say. */
function release(): [number, number] | null {
  const m = /^(\d+)\.(\d+)/.exec(version());
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/**
 * True when the loaded libgpac has the end-of-stream race of the module notes: 26.07 and later
 * (it is still in GPAC's master branch as of August 2026). Its direct scheduler is refused.
 */
export function hasEosRace(): boolean {
  const r = release();
  return !r || r[0] > 26 || (r[0] === 26 && r[1] >= 7);
}

/**
 * True when threaded sessions need the watch: libgpac with the end-of-stream race
 * ({@link hasEosRace}), or a release before 26.02 (2.4, see the module notes).
 */
export function needsThreadWatch(): boolean {
  const r = release();
  return hasEosRace() || (r !== null && r[0] < 26);
}

/** Milliseconds between two checks of a threaded session. */
export const WATCH_INTERVAL_MS = 2;

/** Stepped sessions: milliseconds without a packet moving before stranded filters are nudged. */
export const STEPPED_IDLE_MS = 20;

/** Stepped sessions: milliseconds without a packet moving before the watch lets the session end. */
export const STEPPED_GIVE_UP_MS = 1000;

/** The watch task of a threaded session (see the module notes). */
export class ThreadWatch implements PostedTask {
  /** Name used in GPAC logs. */
  readonly name = "deno-gpac thread watch";
  /** The session it is posted to, while it is. */
  session: object | null = null;
  readonly #ptr: NonNullable<Deno.PointerValue>;
  readonly #stepped: boolean;
  readonly #meter = new PacketMeter();
  /** Packets moved at the last check or nudge (-1: none yet). */
  #mark = -1;
  /** When the mark last changed, and when filters were last nudged (ms). */
  #since = 0;
  #nudged = 0;
  /** When a stepped session was last checked (ms). */
  #checked = 0;
  /** Filters nudged so far. */
  nudges = 0;

  /**
   * @param ptr The session handle.
   * @param stepped The session is stepped by libgpac (`GF_FS_FLAG_NON_BLOCKING`).
   */
  constructor(ptr: NonNullable<Deno.PointerValue>, stepped: boolean) {
    this.#ptr = ptr;
    this.#stepped = stepped;
  }

  /** Called by the scheduler on the JS thread. */
  execute(): number {
    const s = gpacSymbols();
    const p = this.#ptr;
    if (!this.#stepped && s.gf_fs_is_last_task(p) === 0) return WATCH_INTERVAL_MS;
    s.gf_fs_lock_filters(p, 1);
    try {
      return this.#stepped ? this.#steppedCheck() : this.#idle();
    } finally {
      s.gf_fs_lock_filters(p, 0);
    }
  }

  /** Blocking session, this task is the only one left: nudges, or lets the session end. */
  #idle(): number {
    const stranded = this.#stranded();
    if (stranded.length === 0) return -1;
    const mark = this.#meter.moved(this.#ptr);
    // the last nudge moved nothing: what is left is stopped on purpose
    if (mark === this.#mark) return -1;
    this.#mark = mark;
    this.#nudge(stranded);
    return 0;
  }

  /**
   * Stepped session: nudges after {@link STEPPED_IDLE_MS} without a move. The task is never
   * delayed here: a delayed task makes whichever thread picks it early sleep until it is due (or
   * `max-sleep`), and the JS thread sleeping there stalls the TS filters (runAsync() took 3 to 5
   * times longer). Rescheduled at once, it runs between the JS thread's other tasks (each
   * `gf_fs_run` step runs one), and checks the session only every {@link WATCH_INTERVAL_MS}.
   */
  #steppedCheck(): number {
    const now = performance.now();
    if (now - this.#checked < WATCH_INTERVAL_MS) return 0;
    this.#checked = now;
    const mark = this.#meter.moved(this.#ptr);
    if (mark !== this.#mark) {
      this.#mark = mark;
      this.#since = now;
      return 0;
    }
    if (now - this.#since < STEPPED_IDLE_MS) return 0;
    const stranded = this.#stranded();
    if (stranded.length === 0 || now - this.#since >= STEPPED_GIVE_UP_MS) return -1;
    if (now - this.#nudged >= STEPPED_IDLE_MS) {
      this.#nudged = now;
      this.#nudge(stranded);
    }
    return 0;
  }

  #nudge(stranded: NonNullable<Deno.PointerValue>[]): void {
    const s = gpacSymbols();
    for (const f of stranded) s.gf_filter_post_process_task(f);
    this.nudges += stranded.length;
  }

  /** Filters with work left while the session looks done. */
  #stranded(): NonNullable<Deno.PointerValue>[] {
    const s = gpacSymbols();
    const p = this.#ptr;
    const out: NonNullable<Deno.PointerValue>[] = [];
    const seen = new Set<bigint>();
    const add = (f: Deno.PointerValue) => {
      if (!f) return;
      const key = addressOf(f);
      if (seen.has(key)) return;
      seen.add(key);
      out.push(f);
    };
    forEachInputPid(p, (f, pid) => {
      if (s.gf_filter_pid_get_packet_count(pid) > 0) add(f);
      // not gf_filter_pid_has_seen_eos: it also answers true when the source's own input
      // ended, which is exactly the stranded case; not gf_filter_pid_is_eos either: it is the
      // consumer's call (it may take an internal packet off the PID's queue), and the consumer
      // may be running on a worker thread
      else if (s.gf_filter_pid_eos_received(pid) === 0) {
        add(s.gf_filter_pid_get_source_filter(pid));
      }
      return false;
    });
    return out;
  }
}

/**
 * Steps a threaded session for about `sliceMs` (`runAsync()`): as `stepToEnd` does for threaded
 * sessions, each step that leaves the JS thread idle gives the core back (`gf_sleep(0)`), so
 * that the worker threads are not starved by a JS thread polling for its next task.
 * @returns True when the session is done (`gf_fs_run` returned something other than `GF_OK`, or
 * `stop()` said so), with the last status.
 */
export function threadedSlice(
  p: NonNullable<Deno.PointerValue>,
  sliceMs: number,
  stop: () => boolean,
): { done: boolean; err: number } {
  const s = gpacSymbols();
  const start = s.gf_sys_clock();
  for (let i = 1;; i++) {
    const err = s.gf_fs_run(p);
    if (err !== GF_OK || stop()) return { done: true, err };
    s.gf_sleep(0);
    if ((i & 15) === 0 && ((s.gf_sys_clock() - start) >>> 0) >= sliceMs) {
      return { done: false, err: GF_OK };
    }
  }
}
