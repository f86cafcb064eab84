/**
 * Giving the event loop a turn from a busy async loop (`FilterSession.runAsync()`), cheaply.
 *
 * Measured on Deno 2.9 with 4 ms busy slices, a `fetch` client and a `Deno.serve` server in
 * the same process, and a 1 ms `setInterval`:
 * - `setImmediate` costs tens of µs and runs timers, but never polls I/O (no request answered);
 * - a `MessageChannel` message starves timers;
 * - `setTimeout(0)` lets both run but costs 1 to 2 ms per yield (timer granularity);
 * - awaiting a real async op (a one-byte `crypto.subtle.digest`, which needs no permission)
 *   makes the runtime poll I/O, but when the loop is otherwise idle the op can complete before
 *   the timers phase, and intervals then slip by tens of ms. The op runs on another thread:
 *   from 50 µs on a quiet machine to several hundred µs on a loaded one, which took runAsync()
 *   from 0.95x to 0.87x of a blocking run's throughput with 4 ms slices.
 * Each poll of I/O moves an exchange (a request, its answer) one step, so it is needed regularly
 * but not after every slice. {@link EventLoopYielder} gives timers and other tasks a turn after
 * every slice (`setImmediate`) and polls I/O (the digest first) as often as its measured cost
 * allows: at most about 2% of the time, and at least every {@link MAX_IO_INTERVAL_MS}.
 *
 * @module
 */

const ONE_BYTE = new Uint8Array(1);

/** The longest run of busy slices without polling I/O (signals, sockets), in ms. */
export const MAX_IO_INTERVAL_MS = 25;

/** Share of the time I/O polls may take when they are slow (a loaded machine). */
const IO_BUDGET = 0.02;

/** Node's `setImmediate`, imported on first use (Deno's Node layer costs ~6 ms to start). */
let setImmediateFn: ((cb: () => void) => unknown) | undefined;

async function immediate(): Promise<void> {
  const set = setImmediateFn ??= (await import("node:timers")).setImmediate;
  return new Promise((resolve) => set(resolve));
}

/** Resolves after the event loop ran timers, I/O callbacks and other pending tasks. */
export function yieldToEventLoop(): Promise<void> {
  return crypto.subtle.digest("SHA-1", ONE_BYTE).then(immediate);
}

/**
 * Yields of one busy loop: timers and tasks after every slice, I/O when due (see the module
 * notes). Not shared between loops.
 */
export class EventLoopYielder {
  /** `performance.now()` of the end of the last I/O poll. */
  #lastIo = performance.now();
  /** Wait before the next I/O poll, from the measured cost of the last one (ms). */
  #ioInterval = 0;

  /** Gives the event loop a turn; polls I/O when due. */
  async yield(): Promise<void> {
    const now = performance.now();
    if (now - this.#lastIo < this.#ioInterval) return await immediate();
    await yieldToEventLoop();
    const end = performance.now();
    this.#lastIo = end;
    this.#ioInterval = Math.min(MAX_IO_INTERVAL_MS, (end - now) / IO_BUDGET);
  }
}
