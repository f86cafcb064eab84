/**
 * Ctrl-C handling for scripts that drive sessions with `FilterSession.runAsync()`.
 *
 * @module
 */

/** An AbortSignal tied to Ctrl-C (SIGINT), see {@link interruptSignal}. */
export interface InterruptSignal extends Disposable {
  /** Aborted on the first Ctrl-C (reason: a DOMException named `AbortError`). */
  readonly signal: AbortSignal;
  /** Stops listening for Ctrl-C (the default behaviour comes back). */
  close(): void;
}

/**
 * Listens for Ctrl-C: the first one aborts {@link InterruptSignal.signal} (pass it to
 * `FilterSession.runAsync()`, which then flushes and finalizes the outputs), a second one
 * exits the process at once with status 130. Dispose of it when the session is done.
 *
 * @example
 * ```ts
 * import { FilterSession, interruptSignal } from "@deno-gpac/gpac";
 * using fs = new FilterSession({ nonBlocking: true });
 * fs.loadSrc("avgen:dur=600");
 * fs.load("ffenc:c=avc");
 * fs.loadDst("out.mp4");
 * using ctrlC = interruptSignal();
 * try {
 *   await fs.runAsync({ signal: ctrlC.signal });
 * } catch (e) {
 *   if (!ctrlC.signal.aborted) throw e;
 *   console.error("interrupted, out.mp4 finalized");
 * }
 * ```
 *
 * @param onInterrupt Called on each Ctrl-C with the count so far (1: aborting, 2: exiting).
 */
export function interruptSignal(
  onInterrupt?: (count: number) => void,
): InterruptSignal {
  const ac = new AbortController();
  let count = 0;
  const listener = () => {
    count++;
    onInterrupt?.(count);
    if (count === 1) ac.abort(new DOMException("interrupted (Ctrl-C)", "AbortError"));
    else Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", listener);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    Deno.removeSignalListener("SIGINT", listener);
  };
  return { signal: ac.signal, close, [Symbol.dispose]: close };
}
