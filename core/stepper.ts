/**
 * Driving a natively non-blocking session (`GF_FS_FLAG_NON_BLOCKING`) step by step: to its end
 * (`FilterSession.run()`), or in time slices between which the event loop runs
 * (`FilterSession.runAsync()`).
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { GF_OK } from "../ffi/constants.ts";

/** Most steps between two clock reads. */
export const MAX_BATCH = 32;

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
 * True when the step that returned `err` left the session done. With worker threads only the
 * run status is reliable (GF_EOS once every thread stopped): the task counters can read "last
 * task" while a worker is between tasks.
 */
function stepDone(p: NonNullable<Deno.PointerValue>, err: number, mono: boolean): boolean {
  return err !== GF_OK || (mono && gpacSymbols().gf_fs_is_last_task(p) !== 0);
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
): StepResult {
  const s = gpacSymbols();
  for (;;) {
    const err = s.gf_fs_run(p);
    if (stop() || stepDone(p, err, mono)) return { done: true, err };
    if (!mono) s.gf_sleep(0);
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
  slice(p: NonNullable<Deno.PointerValue>, mono: boolean, stop: StopCheck): StepResult {
    const s = gpacSymbols();
    const slice = this.#sliceMs;
    const start = s.gf_sys_clock();
    let last = start;
    for (;;) {
      const n = this.#batch;
      for (let i = 0; i < n; i++) {
        const err = s.gf_fs_run(p);
        if (stop() || stepDone(p, err, mono)) return { done: true, err };
      }
      const now = s.gf_sys_clock();
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
