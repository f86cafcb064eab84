/**
 * One way to run user code called back from libgpac: an exception must not unwind into C.
 * It is recorded on the session (which stops it, and `run()`/`runAsync()` rethrow it with its
 * stack) and the callback answers libgpac with a neutral default instead.
 *
 * Used by the session (tasks, filter notices), `dash/`, `httpout/`, and the custom-filter
 * framework. Internal: not exported by `mod.ts`.
 *
 * @module
 */

/** Where a callback's exception goes: a session's internal hooks (`session[SESSION]`). */
export interface ErrorSink {
  /** Records the exception and stops the session. */
  fail(e: unknown): void;
}

/**
 * Calls `fn()`; when it throws, records the exception on `sink` and returns `fallback`.
 * @param sink The session the callback belongs to (`session[SESSION]`).
 * @param fallback What libgpac gets when `fn` throws.
 * @param fn The user code.
 */
export function guard<R>(sink: ErrorSink, fallback: R, fn: () => R): R {
  try {
    return fn();
  } catch (e) {
    sink.fail(e);
    return fallback;
  }
}

/**
 * Wraps a native callback body once (no allocation per call): the returned function calls
 * `fn(...args)` and, when it throws, records the exception on `sink` and returns `fallback`.
 * @param sink The session the callback belongs to (`session[SESSION]`).
 * @param fallback What libgpac gets when `fn` throws.
 * @param fn The callback body.
 */
export function guarded<A extends unknown[], R>(
  sink: ErrorSink,
  fallback: R,
  fn: (...args: A) => R,
): (...args: A) => R {
  return (...args: A): R => {
    try {
      return fn(...args);
    } catch (e) {
      sink.fail(e);
      return fallback;
    }
  };
}
