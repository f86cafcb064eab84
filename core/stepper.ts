/**
 * Driving a natively non-blocking session (`GF_FS_FLAG_NON_BLOCKING`) step by step: to its end
 * (`FilterSession.run()`), or in time slices between which the event loop runs
 * (`FilterSession.runAsync()`).
 *
 * **Stranded filters.** In a blocking session, libgpac keeps re-running a filter that still has
 * input packets after its `process()` (it "stays in the scheduler"); in a non-blocking session
 * (libgpac 26.02 and later) it does not, so that each `gf_fs_run` call can return. A filter that
 * holds packets back and waits for its scheduler to call it again is then stranded: GPAC's `ffmx`
 * interleaving (it keeps the packets beyond its `ileave` window, and only moves the window when
 * it runs again) stalls as soon as its inputs fill up, and the session looks finished
 * (`gf_fs_is_last_task`) while packets wait. `reframer:rt=sync` into `ffmx`, and any WebM/MKV
 * with audio and video, ended after about one second of media. {@link StallGuard} stands in for
 * the blocking scheduler: every few milliseconds, and whenever the session looks done, it posts a
 * process task to each filter with input packets waiting; the session is only done once such a
 * nudge moved no packet.
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { GF_OK } from "../ffi/constants.ts";
import { forEachInputPid, PacketMeter } from "./stats.ts";

/** Most steps between two clock reads. */
export const MAX_BATCH = 32;

/** Milliseconds between two periodic nudges of the filters holding input packets. */
export const NUDGE_INTERVAL_MS = 5;

/** Stops stepping when true (an exception recorded by a callback, say). */
export type StopCheck = () => boolean;

/** Result of a stepping loop. */
export interface StepResult {
  /** True when the session reached its end (or failed, or `stop()` said so). */
  done: boolean;
  /** The last `gf_fs_run` status. */
  err: number;
}

/**
 * Re-schedules the filters a single-threaded non-blocking session leaves stranded (see the
 * module notes), and decides when such a session is really done. One per session.
 */
export class StallGuard {
  readonly #enabled: boolean;
  readonly #meter = new PacketMeter();
  #lastNudge = 0;
  /** Packets moved when the session last looked done (-1: not yet). */
  #idleMark = -1;

  /**
   * @param enabled False for sessions the guard must leave alone: worker threads (their
   * filter lists change under other threads) and `GF_FS_FLAG_PREVENT_PLAY` sessions (where the
   * blocking scheduler does not re-run filters with waiting packets either).
   */
  constructor(enabled: boolean) {
    this.#enabled = enabled;
  }

  /**
   * Posts a process task to each filter with input packets waiting.
   * @returns How many filters were nudged.
   */
  nudge(p: NonNullable<Deno.PointerValue>): number {
    const s = gpacSymbols();
    let n = 0;
    forEachInputPid(p, (f, pid) => {
      if (s.gf_filter_pid_get_packet_count(pid) === 0) return false;
      s.gf_filter_post_process_task(f);
      n++;
      return true;
    });
    return n;
  }

  /**
   * Periodic nudge, at most every {@link NUDGE_INTERVAL_MS}.
   * @param now `gf_sys_clock()` reading.
   */
  tick(p: NonNullable<Deno.PointerValue>, now: number): void {
    if (!this.#enabled || ((now - this.#lastNudge) >>> 0) < NUDGE_INTERVAL_MS) return;
    this.#lastNudge = now;
    this.nudge(p);
  }

  /**
   * Called when `gf_fs_is_last_task` says the session is done: nudges the filters with waiting
   * packets, unless the previous such nudge moved nothing.
   * @returns True if the session must go on (a filter was nudged).
   */
  idle(p: NonNullable<Deno.PointerValue>): boolean {
    if (!this.#enabled) return false;
    const mark = this.#meter.moved(p);
    if (mark === this.#idleMark) return false;
    this.#idleMark = mark;
    return this.nudge(p) > 0;
  }

  /**
   * True when the step that returned `err` left the session done. With worker threads only the
   * run status is reliable (GF_EOS once every thread stopped): the task counters can read "last
   * task" while a worker is between tasks.
   */
  done(p: NonNullable<Deno.PointerValue>, err: number, mono: boolean): boolean {
    if (err !== GF_OK) return true;
    if (!mono || gpacSymbols().gf_fs_is_last_task(p) === 0) return false;
    return !this.idle(p);
  }
}

/**
 * Steps the session until it is done (what a blocking `gf_fs_run` does, but interruptible).
 * With worker threads (`blocking: false`), a step returns at once when the JS thread has nothing
 * to do: the loop then gives the core back (`gf_sleep(0)`) instead of spinning.
 */
export function stepToEnd(
  p: NonNullable<Deno.PointerValue>,
  mono: boolean,
  stop: StopCheck,
  guard: StallGuard,
): StepResult {
  const s = gpacSymbols();
  if (!mono) {
    for (;;) {
      const err = s.gf_fs_run(p);
      if (stop() || err !== GF_OK) return { done: true, err };
      s.gf_sleep(0);
    }
  }
  // the single-threaded loop runs once per GPAC task (about two per packet on a pass-through):
  // one slow call (the step) and one fast call (the end check) per step, nothing else but a
  // clock read every MAX_BATCH steps (see bench/main.ts section 4 for what a step costs)
  for (let i = 1;; i++) {
    const err = s.gf_fs_run(p);
    if (err !== GF_OK || stop()) return { done: true, err };
    if (s.gf_fs_is_last_task(p) !== 0 && !guard.idle(p)) return { done: true, err };
    if ((i & (MAX_BATCH - 1)) === 0) guard.tick(p, s.gf_sys_clock());
  }
}

/**
 * Steps for about `sliceMs`. The clock is read once per batch of steps, and the batch size adapts:
 * it doubles (up to {@link MAX_BATCH}) while a batch takes under a millisecond, halves when it
 * takes longer, and falls back to 1 when one batch takes over a quarter of the slice, so that
 * short steps do not pay a clock read each and long ones (an encoder) do not overshoot.
 */
export class SliceStepper {
  #batch = 1;
  readonly #sliceMs: number;

  /** @param sliceMs Target slice length, in ms. */
  constructor(sliceMs: number) {
    this.#sliceMs = sliceMs;
  }

  /** Runs one slice. */
  slice(
    p: NonNullable<Deno.PointerValue>,
    mono: boolean,
    stop: StopCheck,
    guard: StallGuard,
  ): StepResult {
    const s = gpacSymbols();
    const slice = this.#sliceMs;
    const start = s.gf_sys_clock();
    let last = start;
    for (;;) {
      const n = this.#batch;
      for (let i = 0; i < n; i++) {
        const err = s.gf_fs_run(p);
        if (err !== GF_OK || stop()) return { done: true, err };
        if (mono && s.gf_fs_is_last_task(p) !== 0 && !guard.idle(p)) return { done: true, err };
      }
      const now = s.gf_sys_clock();
      if (mono) guard.tick(p, now);
      const batchMs = (now - last) >>> 0;
      last = now;
      if (batchMs === 0) {
        if (n < MAX_BATCH) this.#batch = n * 2;
      } else if (batchMs * 4 > slice) this.#batch = 1;
      else if (n > 1) this.#batch = n >> 1;
      if (((now - start) >>> 0) >= slice) return { done: false, err: GF_OK };
    }
  }
}
