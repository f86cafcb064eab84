/**
 * Options and states of a filter session.
 *
 * @module
 */

import {
  GF_BAD_PARAM,
  GF_FS_FLAG_NON_BLOCKING,
  GF_FS_SCHEDULER_LOCK,
  GF_FS_SCHEDULER_LOCK_FREE,
} from "../ffi/constants.ts";
import { GpacError } from "./errors.ts";
import { describe, optionalString } from "./checks.ts";

/** Options of {@link FilterSession}. */
export interface FilterSessionOptions {
  /** `GF_FS_FLAG_*` flags. `GF_FS_FLAG_NON_BLOCKING` means the same as `nonBlocking: true`. */
  flags?: number;
  /** Filter registers that must not be used, as a list or a comma-separated string. */
  blacklist?: string | readonly string[];
  /** Extra worker threads (0: single-threaded, -1: one per core). */
  threads?: number;
  /**
   * `GF_FS_SCHEDULER_*` scheduler type. Default: `GF_FS_SCHEDULER_LOCK_FREE` without worker
   * threads, `GF_FS_SCHEDULER_LOCK` with them: libgpac's lock-free queues recycle their nodes
   * without ABA protection, and a `threads: 2` session forwarding packets from a TS filter
   * crashed in `gf_lfq_pop` in about 3% of runs (none in 95 with the lock scheduler).
   */
  scheduler?: number;
  /**
   * Step mode: each {@link FilterSession.run} call does one scheduling step and returns (for
   * sessions driven by hand). Without it, `run()` runs the session to its end;
   * {@link FilterSession.runAsync} works either way.
   */
  nonBlocking?: boolean;
  /**
   * `true`: a natively blocking libgpac session (`gf_fs_run` runs the whole session in one
   * call); `false` (the default): a session libgpac steps and `run()` loops over, which
   * {@link FilterSession.runAsync} can also drive (`deno task bench --sections 4` compares their
   * throughput single-threaded, `--sections 3` with worker threads). `runAsync()` needs a
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
  /**
   * The longest time (ms) the session runs without polling I/O (sockets, `fetch`,
   * `Deno.serve`, signals). Polls happen more often when they are cheap (they may take about 2%
   * of the time), so this bound matters on a loaded machine; lower answers I/O sooner there and
   * costs throughput (`deno task bench --sections 4` prints the trade-off). Default 25.
   */
  maxIoIntervalMs?: number;
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

/** Checked {@link FilterSessionOptions}, as libgpac takes them. */
export interface ResolvedOptions {
  /** Worker threads. */
  threads: number;
  /** Scheduler type. */
  scheduler: number;
  /** `gf_fs_new` flags (`GF_FS_FLAG_NON_BLOCKING` added for a stepped session). */
  nativeFlags: number;
  /** Comma-separated blacklist, or null. */
  blacklist: string | null;
  /** Each `run()` does one step. */
  stepMode: boolean;
  /** libgpac steps the session (`gf_fs_run` does one step). */
  nativeSteps: boolean;
}

/** Checks session options; throws a `TypeError`/{@link GpacError} naming the bad value. */
export function resolveOptions(options: FilterSessionOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`FilterSession options must be an object, got ${describe(options)}`);
  }
  const { threads = 0, flags = 0 } = options;
  const scheduler = options.scheduler ??
    (threads === 0 ? GF_FS_SCHEDULER_LOCK_FREE : GF_FS_SCHEDULER_LOCK);
  if (!Number.isInteger(threads) || threads < -1) {
    throw new GpacError(GF_BAD_PARAM, `invalid thread count ${threads} (expected -1 or more)`);
  }
  if (!Number.isInteger(flags) || !Number.isInteger(scheduler)) {
    throw new TypeError(`flags and scheduler must be integers, got ${flags}, ${scheduler}`);
  }
  const blacklist = Array.isArray(options.blacklist)
    ? options.blacklist.join(",")
    : optionalString(options.blacklist, "blacklist");
  const stepMode = Boolean(options.nonBlocking) || (flags & GF_FS_FLAG_NON_BLOCKING) !== 0;
  if (stepMode && options.blocking) {
    throw new GpacError(GF_BAD_PARAM, "a session cannot be both blocking and nonBlocking");
  }
  // stepped by default, with worker threads too: runAsync() can then drive any default session,
  // and run() over the steps costs about what libgpac's blocking loop does (bench section 3)
  const nativeSteps = stepMode || !options.blocking;
  return {
    threads,
    scheduler,
    nativeFlags: (flags | (nativeSteps ? GF_FS_FLAG_NON_BLOCKING : 0)) >>> 0,
    blacklist: blacklist || null,
    stepMode,
    nativeSteps,
  };
}
