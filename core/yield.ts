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
 * every slice (`setImmediate`) and polls I/O (the digest first) as often as the cost of a poll
 * allows: at most about 2% of the time, and at least every `maxIoIntervalMs`
 * ({@link MAX_IO_INTERVAL_MS} by default). The cost of a poll is the smallest recently measured
 * (decaying slowly): a poll that ran I/O callbacks (answered a request) took longer because of
 * the work it let through, which must not make the next polls rarer. Counting it made a busy
 * `Deno.serve` endpoint in the same process the one that waited longest (4 answers in 0.24 s,
 * p50 45 ms, against a session on `deno task bench --sections 4`).
 *
 * @module
 */

const ONE_BYTE = new Uint8Array(1);

/** The longest run of busy slices without polling I/O (signals, sockets), in ms, by default. */
export const MAX_IO_INTERVAL_MS = 25;

/** Share of the time I/O polls may take when they are slow (a loaded machine). */
const IO_BUDGET = 0.02;

/** Growth per poll of the poll-cost estimate, when polls got slower (the machine's load rose). */
const COST_DECAY = 1.25;

/** A poll taking this much (ms) beyond twice a quiet one ran I/O callbacks. */
const ACTIVE_MS = 0.1;

/** Most I/O polls in one yield, while each runs I/O callbacks. */
const MAX_POLLS = 8;

/** Time (ms) after which a yield stops polling I/O again. */
const MAX_BURST_MS = 2;

/** Node's `setImmediate`, imported on first use (Deno's Node layer costs ~6 ms to start). */
let setImmediateFn: ((cb: () => void) => unknown) | undefined;

function immediate(): Promise<void> {
  const set = setImmediateFn;
  if (set) return new Promise((resolve) => set(resolve));
  return import("node:timers").then((m) => {
    setImmediateFn = m.setImmediate;
    return immediate();
  });
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
  /** Estimated cost of one I/O poll (ms): the least measured, growing slowly. */
  #ioCost = 0;
  /** Wait before the next I/O poll (ms). */
  #ioInterval = 0;
  readonly #maxIoInterval: number;
  #polled = false;

  /** @param maxIoIntervalMs The longest time between two I/O polls, in ms. */
  constructor(maxIoIntervalMs: number = MAX_IO_INTERVAL_MS) {
    this.#maxIoInterval = maxIoIntervalMs;
  }

  /** Gives the event loop a turn; polls I/O when due. */
  async yield(): Promise<void> {
    const start = performance.now();
    if (start - this.#lastIo < this.#ioInterval) return await immediate();
    let active = false;
    for (let polls = 0; polls < MAX_POLLS; polls++) {
      const t = performance.now();
      await yieldToEventLoop();
      const end = performance.now();
      const cost = end - t;
      this.#lastIo = end;
      this.#ioCost = this.#polled ? Math.min(cost, this.#ioCost * COST_DECAY) : cost;
      this.#polled = true;
      // a poll much longer than a quiet one ran I/O callbacks: an exchange (a request and its
      // answer) is under way, and its next stage may be ready already
      if (cost < 2 * this.#ioCost + ACTIVE_MS || end - start > MAX_BURST_MS) break;
      active = true;
    }
    this.#ioInterval = active ? 0 : Math.min(this.#maxIoInterval, this.#ioCost / IO_BUDGET);
  }
}
