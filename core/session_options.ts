/**
 * Options and states of a filter session.
 *
 * @module
 */

/** Options of {@link FilterSession}. */
export interface FilterSessionOptions {
  /** `GF_FS_FLAG_*` flags. `GF_FS_FLAG_NON_BLOCKING` means the same as `nonBlocking: true`. */
  flags?: number;
  /** Filter registers that must not be used, as a list or a comma-separated string. */
  blacklist?: string | readonly string[];
  /** Extra worker threads (0: single-threaded, -1: one per core). */
  threads?: number;
  /** `GF_FS_SCHEDULER_*` scheduler type. */
  scheduler?: number;
  /**
   * Step mode: each {@link FilterSession.run} call does one scheduling step and returns (for
   * sessions driven by hand). Without it, `run()` runs the session to its end;
   * {@link FilterSession.runAsync} works either way on a single-threaded session.
   */
  nonBlocking?: boolean;
  /**
   * `true`: a natively blocking libgpac session (`gf_fs_run` runs the whole session in one
   * call); `false`: a session libgpac steps and `run()` loops over, which
   * {@link FilterSession.runAsync} can also drive (`deno task bench --sections 4` compares their
   * throughput). Default: stepped for single-threaded sessions, blocking with worker threads
   * (where libgpac's loop lets the JS thread work as one more worker). `runAsync()` needs a
   * stepped session.
   */
  blocking?: boolean;
}

/** Options of {@link FilterSession.runAsync}. */
export interface RunAsyncOptions {
  /**
   * Aborts the session when signalled: outputs are flushed (an MP4 gets its index), then the
   * promise rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /**
   * How long (ms) the session runs before the event loop gets a turn: lower means more
   * responsive timers and I/O, higher means slightly more throughput. Default 4.
   */
  sliceMs?: number;
}

/**
 * Life stage of a {@link FilterSession}. `Running`/`RunningAsync`: inside a native call that runs
 * it (callbacks may run), from `run()` or from `runAsync()`; `Yielded`: `runAsync()` gave the event loop a turn; `Done`: the outcome of the run was
 * checked; `Closing`: `gf_fs_del` is destroying the filters.
 */
export enum SessionState {
  /** Built, not run yet (or between the steps of a step-mode session). */
  Idle = "idle",
  /** In a native call that runs the session: `run()`, a load, an event. */
  Running = "running",
  /** In a slice of `runAsync()` (callbacks may await: the event loop runs between slices). */
  RunningAsync = "running-async",
  /** Between two slices of `runAsync()`. */
  Yielded = "yielded",
  /** Ran to its end; its outcome was checked. */
  Done = "done",
  /** `close()` is destroying it. */
  Closing = "closing",
  /** Closed. */
  Closed = "closed",
}
