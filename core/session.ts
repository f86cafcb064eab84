/**
 * Filter sessions: build, run, inspect and tear down GPAC pipelines.
 *
 * The session is one state machine ({@link SessionState}); loading, running (blocking,
 * stepped, async), inspection and tasks each have their section below, with the stepping loops
 * in `stepper.ts`, tasks in `tasks.ts` and the graph in `graph.ts`.
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { addressOf, cstr, cstrOrNull } from "../ffi/buffers.ts";
import {
  GF_BAD_PARAM,
  GF_EOS,
  GF_FS_FLAG_PREVENT_PLAY,
  GF_FS_FLUSH_ALL,
  GF_FS_FLUSH_FAST,
  GF_FS_FLUSH_NONE,
  GF_FS_SCHEDULER_DIRECT,
  GF_LOG_MUTEX,
  GF_LOG_QUIET,
  GF_LOG_WARNING,
  GF_NOT_SUPPORTED,
  GF_OK,
} from "../ffi/constants.ts";
import { GpacError } from "./errors.ts";
import { checkThread, ensureInit, version } from "./gpac.ts";
import { Filter, type FilterStats } from "./filter.ts";
import { FilterEvent } from "./event.ts";
import { readFilterStats } from "./stats.ts";
import { enterSession, leaveSession, SESSION, type SessionInternals } from "./internal.ts";
import { flushLogs } from "./logs.ts";
import { EventLoopYielder, MAX_IO_INTERVAL_MS } from "./yield.ts";
import { guard } from "./guard.ts";
import { forgetTasks, postTask } from "./tasks.ts";
import { checkLoadedOptions, type LoadKind, loadNative, loadRequest } from "./loading.ts";
import { describe, optionalString, requireString } from "./checks.ts";
import { checkDestinations, checkLinks, type Destination } from "./outcome.ts";
import {
  type FilterSessionOptions,
  resolveOptions,
  type RunAsyncOptions,
  SessionState,
} from "./session_options.ts";
import { listenToFilters, stopListening } from "./notices.ts";
import { buildGraph, type SessionGraph } from "./graph.ts";
import { SliceStepper, StallGuard, stepToEnd } from "./stepper.ts";
import { hasEosRace, needsThreadWatch, threadedSlice, ThreadWatch } from "./thread_watch.ts";

export type { GraphLink, GraphNode, SessionGraph } from "./graph.ts";
export {
  type FilterSessionOptions,
  type RunAsyncOptions,
  SessionState,
} from "./session_options.ts";

/**
 * A task run by the session scheduler on the JS thread (libgpac's user tasks).
 *
 * Subclass it and override {@link FilterTask.execute}, or pass a function to
 * {@link FilterSession.post}.
 */
export class FilterTask {
  /** Name used in GPAC logs. */
  readonly name: string;
  /** The session this task is posted to, while it is scheduled. */
  session: FilterSession | null = null;

  /**
   * Creates a task; post it with {@link FilterSession.post}.
   * @param name Name used in GPAC logs.
   */
  constructor(name: string) {
    if (typeof name !== "string") {
      throw new TypeError(`FilterTask name must be a string, got ${describe(name)}`);
    }
    this.name = name;
  }

  /**
   * Called by the scheduler. Return the number of milliseconds until the next call (`0` or
   * nothing: as soon as possible), or a negative number to remove the task. `NaN`, `Infinity`,
   * a delay over 2^32-1 ms or a non-number stop the session with a `RangeError`/`TypeError`.
   */
  execute(): number | void {
    return -1;
  }
}

class FunctionTask extends FilterTask {
  constructor(name: string, readonly fn: () => number | void) {
    super(name);
  }
  override execute(): number | void {
    return this.fn();
  }
}

/**
 * A GPAC filter session (`GF_FilterSession`).
 *
 * @example
 * ```ts
 * import { FilterSession } from "@deno-gpac/gpac";
 * using fs = new FilterSession();
 * fs.loadSrc("avgen:dur=2");
 * fs.loadDst("out.mp4");
 * fs.run(); // or: await fs.runAsync()
 * ```
 */
export class FilterSession implements Disposable {
  #ptr: Deno.PointerValue;
  #state: SessionState = SessionState.Idle;
  readonly #id: number;
  readonly #filters = new Map<bigint, Filter>();
  readonly #destinations: Destination[] = [];
  #pendingError: { error: unknown } | null = null;
  /** abort() was called: outputs may legitimately be incomplete. */
  #aborted = false;
  readonly #toClose: { close(): void }[] = [];
  /** Step mode: run() does one step. */
  readonly #stepMode: boolean;
  /** libgpac's session is non-blocking (gf_fs_run does one step). */
  readonly #nativeSteps: boolean;
  readonly #threads: number;
  /** Re-schedules the filters libgpac's step mode leaves stranded (see stepper.ts). */
  readonly #guard: StallGuard;
  /** With worker threads: keeps the session from ending while a filter has work (thread_watch.ts). */
  readonly #watch: ThreadWatch | null;
  #watchPosted = false;

  /** @ignore Internal hooks used by other deno-gpac modules (not part of the public API). */
  readonly [SESSION]: SessionInternals<Filter>;

  /** Creates a session. Throws a {@link GpacError} if libgpac refuses the options. */
  constructor(options: FilterSessionOptions = {}) {
    const o = resolveOptions(options);
    this.#stepMode = o.stepMode;
    this.#nativeSteps = o.nativeSteps;
    const { threads } = o;
    ensureInit();
    checkThread();
    if (o.scheduler === GF_FS_SCHEDULER_DIRECT && hasEosRace()) {
      // see thread_watch.ts: the receiver runs inside each send, so a filter that goes on after
      // its input's end of stream (mp4dmx reading a file) is never re-run
      throw new GpacError(
        GF_NOT_SUPPORTED,
        `the direct scheduler (GF_FS_SCHEDULER_DIRECT) of libgpac ${version()} ends sessions ` +
          "early (an MP4 demuxer stops after 50 samples): use another scheduler",
      );
    }
    const s = gpacSymbols();
    const ptr = s.gf_fs_new(threads, o.scheduler, o.nativeFlags, cstrOrNull(o.blacklist));
    if (!ptr) throw new GpacError(GF_BAD_PARAM, "failed to create filter session");
    this.#ptr = ptr;
    this.#threads = threads;
    this.#watch = threads !== 0 && needsThreadWatch() ? new ThreadWatch(ptr, o.nativeSteps) : null;
    this.#guard = new StallGuard(threads === 0 && (o.nativeFlags & GF_FS_FLAG_PREVENT_PLAY) === 0);
    this[SESSION] = {
      ptr: () => this.#handle(),
      fail: (e) => this.#fail(e),
      filterEvent: (f, destroy) => this.#onFilter(f, destroy),
      wrap: (f) => this.#wrap(f),
      register: (f) => this.#filters.set(addressOf(f.handle), f),
      isClosed: () => this.#state === SessionState.Closed,
      threads,
      deferClose: (cbs) => {
        if (this.#state === SessionState.Closed) { for (const cb of cbs) cb.close(); }
        else this.#toClose.push(...cbs);
      },
    };
    this.#id = listenToFilters(ptr, this[SESSION]);
  }

  // ---- state ------------------------------------------------------------------------------

  #handle(): NonNullable<Deno.PointerValue> {
    if (this.#state === SessionState.Closed) {
      throw new GpacError(GF_BAD_PARAM, "filter session is closed");
    }
    if (this.#state === SessionState.Closing) {
      throw new GpacError(GF_BAD_PARAM, "filter session is closing (called from onFilterDel?)");
    }
    return this.#ptr!;
  }

  #fail(e: unknown): void {
    if (!this.#pendingError) this.#pendingError = { error: e };
    if (this.#state !== SessionState.Closing && this.#state !== SessionState.Closed) {
      gpacSymbols().gf_fs_abort(this.#ptr, GF_FS_FLUSH_NONE);
    }
  }

  #throwPending(): void {
    const p = this.#pendingError;
    if (p) {
      this.#pendingError = null;
      throw p.error;
    }
  }

  /** Runs `fn` (a native call that may call back into JS) in state Running. */
  #native<R>(fn: () => R, state = SessionState.Running): R {
    const before = this.#state;
    this.#state = state;
    enterSession(this[SESSION]);
    try {
      return fn();
    } finally {
      leaveSession();
      if (this.#state === state) this.#state = before;
    }
  }

  /** Life stage of the session. */
  get state(): SessionState {
    return this.#state;
  }

  /** True for a step-mode session (`nonBlocking: true`): each `run()` does one step. */
  get nonBlocking(): boolean {
    return this.#stepMode;
  }

  /** The raw `GF_FilterSession*` (unsafe escape hatch for direct FFI calls). */
  get handle(): Deno.PointerValue {
    return this.#handle();
  }

  /** True once {@link FilterSession.close} was called. */
  get closed(): boolean {
    return this.#state === SessionState.Closed || this.#state === SessionState.Closing;
  }

  // ---- filters ----------------------------------------------------------------------------

  #wrap(f: NonNullable<Deno.PointerValue>): Filter {
    const key = addressOf(f);
    let w = this.#filters.get(key);
    if (!w) {
      w = Filter[SESSION](this, f);
      this.#filters.set(key, w);
    }
    return w;
  }

  #onFilter(f: NonNullable<Deno.PointerValue>, destroy: boolean): void {
    if (!destroy) {
      guard(this[SESSION], undefined, () => this.onFilterNew(this.#wrap(f)));
      return;
    }
    const key = addressOf(f);
    const w = this.#filters.get(key);
    if (!w) return;
    try {
      guard(this[SESSION], undefined, () => this.onFilterDel(w));
    } finally {
      this.#filters.delete(key);
      w[SESSION].invalidate();
    }
  }

  /** Called when GPAC creates a filter in this session; override to observe (e.g. bind a DASH algorithm). */
  onFilterNew(_filter: Filter): void {}

  /** Called when GPAC destroys a filter of this session; the filter is unusable afterwards. */
  onFilterDel(_filter: Filter): void {}

  // ---- loading ----------------------------------------------------------------------------

  /**
   * The one load path: checks the arguments, calls libgpac in the session's context (FileIO
   * and filter callbacks may run), rethrows a callback's exception, wraps the filter and checks
   * the option values written in its description.
   */
  #load(kind: LoadKind, what: unknown, parent: unknown): Filter {
    const req = loadRequest(kind, what, parent, this.#threads);
    const p = this.#handle();
    let f: NonNullable<Deno.PointerValue>;
    try {
      f = this.#native(() => loadNative(p, req));
    } catch (e) {
      // a callback that failed during the load (a FileIO factory refusing the file...) says
      // why, better than libgpac's bare load error
      this.#throwPending();
      throw e;
    }
    this.#throwPending();
    const w = this.#wrap(f);
    try {
      checkLoadedOptions(req, w);
    } catch (e) {
      w.remove();
      throw e;
    }
    if (kind === "destination") this.#destinations.push({ filter: w, url: req.desc });
    return w;
  }

  /**
   * Loads a source filter for `url` (a file, a URL, or a filter such as `avgen`).
   * @param url What to read.
   * @param parentUrl URL `url` is relative to.
   */
  loadSrc(url: string, parentUrl?: string): Filter {
    return this.#load("source", url, parentUrl);
  }

  /**
   * Loads a destination filter for `url` (a file such as `out.mp4`, or a URL). When the session
   * ends by itself (not aborted) and this destination never connected or never received
   * anything, `run()`/`runAsync()` throw a `GF_FILTER_NOT_FOUND` {@link GpacError}.
   * @param url Where to write.
   * @param parentUrl URL `url` is relative to.
   */
  loadDst(url: string, parentUrl?: string): Filter {
    return this.#load("destination", url, parentUrl);
  }

  /**
   * Loads a filter from a description with options, e.g. `"ffenc:c=avc:b=2M"`.
   * @param description Filter name and `:`-separated options.
   */
  load(description: string): Filter {
    return this.#load("filter", description, undefined);
  }

  // ---- running ----------------------------------------------------------------------------

  #checkCanRun(what: string): NonNullable<Deno.PointerValue> {
    const p = this.#handle();
    if (this.#state === SessionState.Running || this.#state === SessionState.RunningAsync) {
      throw new GpacError(
        GF_BAD_PARAM,
        `FilterSession.${what} called re-entrantly from a callback`,
      );
    }
    if (this.#state === SessionState.Yielded) {
      throw new GpacError(
        GF_BAD_PARAM,
        `FilterSession.${what} called while runAsync() drives the session`,
      );
    }
    return p;
  }

  #mono(): boolean {
    return this.#threads === 0;
  }

  /** Posts the {@link ThreadWatch} of a threaded session, once. */
  #watchThreads(p: NonNullable<Deno.PointerValue>): void {
    if (!this.#watch || this.#watchPosted) return;
    this.#watchPosted = true;
    postTask(this, this[SESSION], p, this.#watch);
  }

  /**
   * Runs the session to its end (or, in step mode, `nonBlocking: true`, one scheduling step).
   *
   * Throws the first exception raised by a JS callback (task, custom filter, ...) during the
   * run, with its original stack, after the session stopped; a {@link GpacError} when a filter
   * failed, a link given to `setSource` never connected, or a destination of `loadDst` ended
   * without receiving anything to write.
   *
   * @returns `GF_EOS` once the session is done; `GF_OK` after a step that left work to do.
   */
  run(): number {
    const p = this.#checkCanRun("run()");
    if (this.#state === SessionState.Done) return GF_EOS;
    this.#watchThreads(p);
    const s = gpacSymbols();
    if (!this.#nativeSteps) {
      const err = this.#native(() => s.gf_fs_run(p));
      this.#throwPending();
      flushLogs();
      return this.#outcome(p, err < 0 ? err : GF_EOS);
    }
    const mono = this.#mono();
    const stop = () => this.#pendingError !== null;
    if (!this.#stepMode) {
      const r = this.#native(() => stepToEnd(p, mono, stop, this.#guard));
      return this.#end(p, r.err);
    }
    const err = this.#native(() => s.gf_fs_run(p));
    this.#throwPending();
    if (this.#guard.done(p, err, mono)) return this.#end(p, err);
    if (mono) this.#guard.tick(p, s.gf_sys_clock());
    return GF_OK;
  }

  /** Ends a stepped session: the last queued tasks run, outputs flush, the outcome is checked. */
  #end(p: NonNullable<Deno.PointerValue>, err: number): number {
    this.#throwPending();
    if (err >= 0) {
      // as GPAC's own step mode does (gf_fs_stop): tasks still queued run, outputs flush
      this.#native(() => gpacSymbols().gf_fs_stop(p));
      this.#throwPending();
    }
    if (this.#state !== SessionState.Closed) flushLogs();
    return this.#outcome(p, err < 0 ? err : GF_EOS);
  }

  /** Checks how the run ended, once: failures, unused links, destinations left empty. */
  #outcome(p: NonNullable<Deno.PointerValue>, err: number): number {
    if (err < 0) throw new GpacError(err, "session failed");
    if (this.#state === SessionState.Done) return GF_EOS;
    this.#state = SessionState.Done;
    const s = gpacSymbols();
    const e = s.gf_fs_get_last_process_error(p);
    if (e < 0) throw new GpacError(e, "a filter failed while processing");
    const c = s.gf_fs_get_last_connect_error(p);
    if (c < 0) throw new GpacError(c, "a filter failed to connect");
    checkLinks(this.#filters.values());
    if (!this.#aborted) checkDestinations(this.#destinations);
    return GF_EOS;
  }

  /**
   * Runs the session to its end without freezing the event loop: the session runs in slices
   * of `sliceMs`, and timers, I/O, `fetch`, `Deno.serve` handlers and other sessions run
   * between slices. Custom filters and tasks still run on the JS thread. Works on every
   * session (worker threads too) except one made with `blocking: true`.
   *
   * Resolves when the session is done; rejects with the exception of a failing callback
   * (original stack), a {@link GpacError} for a failing filter, link or destination (as
   * {@link FilterSession.run}), or the signal's reason after an abort (outputs are flushed
   * first).
   *
   * @example
   * ```ts
   * import { FilterSession } from "@deno-gpac/gpac";
   * using fs = new FilterSession();
   * fs.loadSrc("avgen:dur=2");
   * fs.loadDst("out.mp4");
   * await fs.runAsync({ signal: AbortSignal.timeout(10_000) });
   * ```
   */
  async runAsync(options: RunAsyncOptions = {}): Promise<void> {
    const p = this.#checkCanRun("runAsync()");
    const { signal, sliceMs = 4, maxIoIntervalMs = MAX_IO_INTERVAL_MS } = options ?? {};
    if (!this.#nativeSteps) {
      throw new GpacError(
        GF_BAD_PARAM,
        "runAsync() needs a session libgpac can step: this one was made with blocking: true " +
          "(leave blocking out, or set it to false, to run it with runAsync())",
      );
    }
    if (typeof sliceMs !== "number" || !(sliceMs > 0 && sliceMs <= 1000)) {
      throw new RangeError(`invalid sliceMs ${String(sliceMs)} (expected 0 < sliceMs <= 1000)`);
    }
    if (
      typeof maxIoIntervalMs !== "number" || !(maxIoIntervalMs >= 0 && maxIoIntervalMs <= 10_000)
    ) {
      throw new RangeError(
        `invalid maxIoIntervalMs ${
          String(maxIoIntervalMs)
        } (expected 0 <= maxIoIntervalMs <= 10000)`,
      );
    }
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError(`signal must be an AbortSignal, got ${describe(signal)}`);
    }
    if (this.#state === SessionState.Done) return;
    this.#watchThreads(p);
    const s = gpacSymbols();
    // GPAC may sleep inside a step while waiting for a delayed task: keep that below a slice
    s.gf_fs_set_max_sleep_time(p, Math.max(1, Math.min(10, sliceMs >> 1)));
    const stepper = new SliceStepper(sliceMs);
    const yielder = new EventLoopYielder(maxIoIntervalMs);
    const mono = this.#mono();
    const stop = () => this.#pendingError !== null;
    let signalled = false;
    try {
      for (;;) {
        if (signal?.aborted && !signalled) {
          signalled = true;
          this.#aborted = true;
          s.gf_fs_abort(p, GF_FS_FLUSH_ALL);
        }
        const r = this.#native(
          () => mono ? stepper.slice(p, mono, stop, this.#guard) : threadedSlice(p, sliceMs, stop),
          SessionState.RunningAsync,
        );
        if (r.done) {
          if (signalled) {
            this.#throwPending();
            if (r.err >= 0) this.#native(() => s.gf_fs_stop(p));
            this.#throwPending();
            this.#state = SessionState.Done;
            throw signal!.reason;
          }
          this.#end(p, r.err);
          return;
        }
        this.#state = SessionState.Yielded;
        await yielder.yield();
        if (this.closed) throw new GpacError(GF_BAD_PARAM, "session closed during runAsync()");
        this.#state = SessionState.Idle;
      }
    } finally {
      if (this.#state === SessionState.Yielded) this.#state = SessionState.Idle;
      if (!this.closed) flushLogs();
    }
  }

  /**
   * Aborts the session.
   * @param flush `GF_FS_FLUSH_NONE` (stop now), `GF_FS_FLUSH_ALL` (default: let outputs
   * finalize, e.g. write the MP4 index) or `GF_FS_FLUSH_FAST`.
   */
  abort(flush: number = GF_FS_FLUSH_ALL): void {
    if (flush !== GF_FS_FLUSH_NONE && flush !== GF_FS_FLUSH_ALL && flush !== GF_FS_FLUSH_FAST) {
      throw new RangeError(
        `abort(): expected GF_FS_FLUSH_NONE (0), GF_FS_FLUSH_ALL (1) or GF_FS_FLUSH_FAST (2), ` +
          `got ${describe(flush)}`,
      );
    }
    this.#aborted = true;
    const e = gpacSymbols().gf_fs_abort(this.#handle(), flush);
    if (e < 0) throw new GpacError(e, `abort(${flush}) failed`);
  }

  /** True when the only task left is the session's own (the session is done). */
  get lastTask(): boolean {
    return gpacSymbols().gf_fs_is_last_task(this.#handle()) !== 0;
  }

  // ---- tasks and events -------------------------------------------------------------------

  /**
   * Posts a task run on the JS thread by the scheduler while the session runs.
   * @param task A {@link FilterTask}, or a function returning the delay in ms until its next
   * call (negative: done).
   * @param name Log name when `task` is a function.
   */
  post(task: FilterTask | (() => number | void), name = "task"): FilterTask {
    requireString(name, "post(): the task name");
    let t: FilterTask;
    if (typeof task === "function") t = new FunctionTask(name, task);
    else if (task instanceof FilterTask) t = task;
    else throw new TypeError(`post(): expected a FilterTask or a function, got ${describe(task)}`);
    postTask(this, this[SESSION], this.#handle(), t);
    return t;
  }

  /**
   * Sends an event into the graph.
   * @param evt The event.
   * @param filter Target filter; all filters if omitted.
   * @param upstream Send towards sources instead of sinks.
   * @returns True if the event was delivered.
   */
  fireEvent(evt: FilterEvent, filter?: Filter, upstream = false): boolean {
    if (!(evt instanceof FilterEvent)) {
      throw new TypeError(`fireEvent(): expected a FilterEvent, got ${describe(evt)}`);
    }
    if (filter !== undefined && filter !== null) this.#own(filter, "fireEvent()");
    const p = this.#handle();
    const r = gpacSymbols().gf_fs_fire_event(
      p,
      filter ? filter.handle : null,
      evt.bytes,
      upstream ? 1 : 0,
    );
    this.#throwPending();
    return r !== 0;
  }

  #own(filter: unknown, what: string): Filter {
    if (!(filter instanceof Filter)) {
      throw new TypeError(`${what}: expected a Filter, got ${describe(filter)}`);
    }
    if (filter.session !== this) {
      throw new GpacError(GF_BAD_PARAM, `${what}: ${filter} belongs to another session`);
    }
    return filter;
  }

  // ---- inspection -------------------------------------------------------------------------

  /** Number of filters in the session. */
  get nbFilters(): number {
    return gpacSymbols().gf_fs_get_filters_count(this.#handle());
  }

  /** Returns the filter at `index` (0 ≤ index < {@link FilterSession.nbFilters}). */
  getFilter(index: number): Filter {
    const n = this.nbFilters;
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= n) {
      throw new RangeError(
        `getFilter(): expected an integer index in 0..${n - 1}, got ${describe(index)}`,
      );
    }
    const f = gpacSymbols().gf_fs_get_filter(this.#handle(), index);
    if (!f) throw new GpacError(GF_BAD_PARAM, `no filter at index ${index} (session has ${n})`);
    return this.#wrap(f);
  }

  /** All filters currently in the session. */
  get filters(): Filter[] {
    const n = this.nbFilters;
    const out: Filter[] = [];
    for (let i = 0; i < n; i++) out.push(this.getFilter(i));
    return out;
  }

  /** True if some filter can handle this MIME type. */
  isSupportedMime(mime: string): boolean {
    const m = requireString(mime, "MIME type");
    return gpacSymbols().gf_fs_is_supported_mime(this.#handle(), cstr(m)) !== 0;
  }

  /** True if some source filter can open `url`. */
  isSupportedSource(url: string, parentUrl?: string): boolean {
    const u = requireString(url, "source URL");
    const parent = optionalString(parentUrl, "parentUrl");
    return gpacSymbols().gf_fs_is_supported_source(this.#handle(), cstr(u), cstrOrNull(parent)) !==
      0;
  }

  /** True if a filter register named `name` exists in this build. */
  filterExists(name: string): boolean {
    const n = requireString(name, "filter name");
    return gpacSymbols().gf_fs_filter_exists(this.#handle(), cstr(n)) !== 0;
  }

  /** Prints the connection graph on stderr (as `gpac -graph`). */
  printGraph(): void {
    gpacSymbols().gf_fs_print_connections(this.#handle());
  }

  /** Prints per-filter statistics on stderr (as `gpac -stats`). */
  printStats(): void {
    gpacSymbols().gf_fs_print_stats(this.#handle());
  }

  /**
   * Returns the connection graph as data. With worker threads, sample a running session at a
   * human rate: as {@link FilterSession.stats} says, PID names may be replaced by another thread
   * meanwhile.
   */
  graph(): SessionGraph {
    return buildGraph(this.filters);
  }

  /**
   * Returns the statistics of every filter (`gf_fs_get_filter_stats`), with the session's filter
   * list locked meanwhile (worker threads may add or remove filters).
   *
   * With worker threads (`threads: N`), libgpac's `gf_filter_get_stats` reads the names of a
   * filter's output PIDs without a lock while a worker thread may be renaming one (when a filter
   * sets up its outputs): a GPAC race that a session polled every few milliseconds from its first
   * step hit about once in 1,800 runs. Sample a threaded session at a human rate (progress
   * reports), or once it is done; the binding's own checks of threaded sessions read PID
   * counters instead.
   */
  stats(): FilterStats[] {
    const p = this.#handle();
    const s = gpacSymbols();
    const out: FilterStats[] = [];
    s.gf_fs_lock_filters(p, 1);
    try {
      const n = s.gf_fs_get_filters_count(p);
      for (let i = 0; i < n; i++) {
        out.push(readFilterStats(
          (buf) => s.gf_fs_get_filter_stats(p, i, buf),
          (f) => f ? this.#wrap(f) : null,
        ));
      }
    } finally {
      s.gf_fs_lock_filters(p, 0);
    }
    return out;
  }

  /** Current download rate of the session's HTTP clients, in bits per second. */
  get httpBitrate(): number {
    return gpacSymbols().gf_fs_get_http_rate(this.#handle());
  }

  /** Maximum HTTP download rate in bits per second (0: unlimited). */
  get httpMaxBitrate(): number {
    return gpacSymbols().gf_fs_get_http_max_rate(this.#handle());
  }
  set httpMaxBitrate(bps: number) {
    if (typeof bps !== "number" || !Number.isInteger(bps) || bps < 0 || bps > 0xffffffff) {
      throw new RangeError(
        `httpMaxBitrate: expected an integer in 0..2^32-1, got ${describe(bps)}`,
      );
    }
    const e = gpacSymbols().gf_fs_set_http_max_rate(this.#handle(), bps);
    if (e < 0) throw new GpacError(e, `cannot set HTTP max rate to ${bps}`);
  }

  /** Enables or disables GPAC's status reporting (`Filter.status`). */
  reporting(on: boolean): void {
    gpacSymbols().gf_fs_enable_reporting(this.#handle(), on ? 1 : 0);
  }

  /** Locks (or unlocks) the filter list while inspecting a session running on other threads. */
  lock(on: boolean): void {
    gpacSymbols().gf_fs_lock_filters(this.#handle(), on ? 1 : 0);
  }

  // ---- closing ----------------------------------------------------------------------------

  /**
   * Destroys the session and every filter in it. Filter and PID objects of this session throw
   * afterwards. Calling it again (also from `onFilterDel` while it runs) is a no-op. Rethrows an
   * exception raised by `onFilterDel`.
   */
  close(): void {
    if (this.#state === SessionState.Closed || this.#state === SessionState.Closing) return;
    if (this.#state === SessionState.Running || this.#state === SessionState.RunningAsync) {
      throw new GpacError(
        GF_BAD_PARAM,
        "cannot close a session from its own callback; use abort()",
      );
    }
    const p = this.#ptr;
    // filters close their files while being destroyed: FileIO callbacks may run here
    this.#state = SessionState.Closing;
    enterSession(this[SESSION]);
    const restoreMutexLogs = quietMutexErrors();
    try {
      gpacSymbols().gf_fs_del(p);
    } finally {
      restoreMutexLogs();
      leaveSession();
      this.#state = SessionState.Closed;
      this.#ptr = null;
      stopListening(this.#id);
      forgetTasks(this);
      for (const f of this.#filters.values()) f[SESSION].invalidate();
      this.#filters.clear();
      this.#destinations.length = 0;
      for (const cb of this.#toClose.splice(0)) cb.close();
    }
    this.#throwPending();
    flushLogs();
  }

  /** Same as {@link FilterSession.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Silences GPAC's `mutex` log tool while a session is deleted, unless the user asked for more
 * than warnings from it, and returns what restores it. Deleting a session whose DASH client
 * downloaded segments into GPAC's memory cache logs `[Mutex download_manager_cache_mx]
 * pthread_mutex_destroy failed with error code 16` (EBUSY): the cache blobs share that mutex and
 * a demuxer reading a segment blob can leave it locked when the session ends (GPAC's own
 * teardown order; the mutex is freed right after and nothing uses it again). The line is
 * noise for users; it is the only error GPAC's mutex tool reports at teardown.
 */
function quietMutexErrors(): () => void {
  const s = gpacSymbols();
  const level = s.gf_log_get_tool_level(GF_LOG_MUTEX);
  if (level > GF_LOG_WARNING) return () => {}; // the user wants mutex logs: keep them all
  s.gf_log_set_tool_level(GF_LOG_MUTEX, GF_LOG_QUIET);
  return () => s.gf_log_set_tool_level(GF_LOG_MUTEX, level);
}
