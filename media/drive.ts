/**
 * Steps a non-blocking session from async code, one caller at a time: the session only runs
 * while someone waits for it (a write to be accepted, a frame to be decoded), and gives the
 * event loop a turn every few milliseconds (Web streams, timers).
 *
 * @module
 */

import { type FilterSession, GF_EOS, GF_IO_ERR, GpacError } from "../mod.ts";
import { setImmediate } from "node:timers";

const ONE_BYTE = new Uint8Array(1);

/** Resolves after the event loop ran timers and I/O (an async op, then an immediate). */
export function tick(): Promise<void> {
  return crypto.subtle.digest("SHA-1", ONE_BYTE).then(() =>
    new Promise<void>((r) => setImmediate(r))
  );
}

/** Drives one non-blocking session; see {@link SessionDriver.until}. */
export class SessionDriver {
  readonly #fs: FilterSession;
  #chain: Promise<unknown> = Promise.resolve();
  #done = false;
  #error: { error: unknown } | null = null;
  /** Milliseconds of stepping between two event-loop turns. */
  sliceMs = 40;

  /**
   * Creates the driver.
   * @param fs A session created with `nonBlocking: true`.
   */
  constructor(fs: FilterSession) {
    this.#fs = fs;
  }

  /** True once the session ended (successfully or not). */
  get done(): boolean {
    return this.#done;
  }

  /** The error the session failed with, if any. */
  get error(): unknown {
    return this.#error?.error;
  }

  /** True if the session failed. */
  get failed(): boolean {
    return this.#error !== null;
  }

  /**
   * Steps the session until `cond()` is true or the session ends. Calls are serialized.
   * Rejects with the session's error if it failed (now or before).
   * @returns True if `cond()` became true, false if the session ended first.
   */
  until(cond: () => boolean): Promise<boolean> {
    const run = this.#chain.then(() => this.#loop(cond));
    this.#chain = run.catch(() => {});
    return run;
  }

  /**
   * Synchronous variant of {@link SessionDriver.until} (no event-loop turn).
   * @param timeoutMs Throws a GpacError (`GF_IO_ERR`) after this long.
   */
  untilSync(cond: () => boolean, timeoutMs = 15_000): boolean {
    const end = performance.now() + timeoutMs;
    for (;;) {
      if (performance.now() > end) {
        throw new GpacError(GF_IO_ERR, `no result after ${timeoutMs} ms`);
      }
      if (this.#error) throw this.#error.error;
      if (cond()) return true;
      if (this.#done) return false;
      this.#step();
    }
  }

  /** Steps run so far (for diagnostics). */
  steps = 0;

  #step(): void {
    this.steps++;
    try {
      if (this.#fs.run() === GF_EOS) this.#done = true;
    } catch (e) {
      this.#done = true;
      this.#error = { error: e };
      throw e;
    }
  }

  async #loop(cond: () => boolean): Promise<boolean> {
    let start = performance.now();
    for (;;) {
      if (this.#error) throw this.#error.error;
      if (cond()) return true;
      if (this.#done) return false;
      if (this.#fs.closed) throw new TypeError("the session was closed");
      this.#step();
      const now = performance.now();
      if (now - start > this.sliceMs) {
        await tick();
        start = performance.now();
      }
    }
  }
}
