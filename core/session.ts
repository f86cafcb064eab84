/**
 * Filter sessions: build, run, inspect and tear down GPAC pipelines.
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { addressOf, cstr, cstrOrNull, OutU32 } from "../ffi/cstring.ts";
import {
  GF_BAD_PARAM,
  GF_EOS,
  GF_FILTER_NOT_FOUND,
  GF_FS_FLAG_NON_BLOCKING,
  GF_FS_FLUSH_ALL,
  GF_FS_FLUSH_NONE,
  GF_FS_SCHEDULER_LOCK_FREE,
  GF_LOG_MUTEX,
  GF_LOG_QUIET,
  GF_LOG_WARNING,
  GF_NOT_SUPPORTED,
  GF_OK,
} from "../ffi/constants.ts";
import { GpacError } from "./errors.ts";
import { checkThread, ensureInit } from "./gpac.ts";
import { Filter } from "./filter.ts";
import type { FilterEvent } from "./event.ts";
import { type FilterStats, readFilterStats } from "./stats.ts";
import { enterSession, leaveSession, SESSION, type SessionInternals } from "./internal.ts";
import { validateOptions } from "./args.ts";
import { flushLogs } from "./logs.ts";
import { yieldToEventLoop } from "./yield.ts";

/** Options of {@link FilterSession}. */
export interface FilterSessionOptions {
  /** `GF_FS_FLAG_*` flags, e.g. `GF_FS_FLAG_NON_BLOCKING`. */
  flags?: number;
  /** Filter registers that must not be used, as a list or a comma-separated string. */
  blacklist?: string | readonly string[];
  /** Extra worker threads (0: single-threaded, -1: one per core). */
  threads?: number;
  /** `GF_FS_SCHEDULER_*` scheduler type. */
  scheduler?: number;
  /**
   * Creates a non-blocking session (same as adding `GF_FS_FLAG_NON_BLOCKING` to `flags`): each
   * {@link FilterSession.run} call then does one step, and {@link FilterSession.runAsync} can
   * drive it without freezing the event loop.
   */
  nonBlocking?: boolean;
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
    this.name = name;
  }

  /**
   * Called by the scheduler. Return the number of milliseconds until the next call
   * (`0` or nothing: as soon as possible), or a negative number to remove the task.
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

/** A PID connection in a {@link SessionGraph}. */
export interface GraphLink {
  /** Index of the PID on this filter's side (input index in `inputs`, output index in `outputs`). */
  pid: number;
  /** Name of the PID. */
  pidName: string;
  /** Index (in {@link SessionGraph.filters}) of the filter at the other end. */
  filter: number;
}

/** One filter in a {@link SessionGraph}. */
export interface GraphNode {
  /** Index of the filter in the session. */
  index: number;
  /** Register name, e.g. `mp4mx`. */
  name: string;
  /** Filter ID, if any. */
  id: string | null;
  /** Input PIDs and the filters they come from. */
  inputs: GraphLink[];
  /** Output PIDs and the filters they feed. */
  outputs: GraphLink[];
}

/** The connection graph of a session, as data. */
export interface SessionGraph {
  /** All filters in the session. */
  filters: GraphNode[];
}

// ---------------------------------------------------------------------------------------------
// native callbacks: created once for the whole process, dispatching on the session id in udta

const sessionsById = new Map<number, FilterSession>();
let nextSessionId = 1;

interface TaskEntry {
  task: FilterTask;
  session: FilterSession;
}
const tasksById = new Map<number, TaskEntry>();
let nextTaskId = 1;

let taskCallback:
  | Deno.UnsafeCallback<{
    readonly parameters: readonly ["pointer", "pointer", "pointer"];
    readonly result: "u32";
  }>
  | undefined;

let filterCallback:
  | Deno.UnsafeCallback<{
    readonly parameters: readonly ["pointer", "pointer", "u32"];
    readonly result: "void";
  }>
  | undefined;

function taskTrampoline(
  _fs: Deno.PointerValue,
  udta: Deno.PointerValue,
  reschedule: Deno.PointerValue,
): number {
  const id = Number(addressOf(udta));
  const entry = tasksById.get(id);
  if (!entry) return 0;
  const { task, session } = entry;
  let ret: number | void;
  try {
    ret = task.execute();
  } catch (e) {
    tasksById.delete(id);
    task.session = null;
    session[SESSION].fail(e);
    return 0;
  }
  const ms = ret === undefined || ret === null ? 0 : Number(ret);
  if (!(ms >= 0)) {
    tasksById.delete(id);
    task.session = null;
    return 0;
  }
  if (reschedule) {
    new Uint32Array(Deno.UnsafePointerView.getArrayBuffer(reschedule, 4))[0] = Math.min(
      Math.floor(ms),
      0xffffffff,
    );
  }
  return 1;
}

function filterTrampoline(udta: Deno.PointerValue, f: Deno.PointerValue, isDestroy: number): void {
  const session = sessionsById.get(Number(addressOf(udta)));
  if (!session || !f) return;
  session[SESSION].filterEvent(f, isDestroy !== 0);
}

function callbacks() {
  if (!taskCallback) {
    taskCallback = new Deno.UnsafeCallback(
      { parameters: ["pointer", "pointer", "pointer"], result: "u32" } as const,
      taskTrampoline,
    );
    filterCallback = new Deno.UnsafeCallback(
      { parameters: ["pointer", "pointer", "u32"], result: "void" } as const,
      filterTrampoline,
    );
  }
  return { task: taskCallback, filter: filterCallback! };
}

// ---------------------------------------------------------------------------------------------

/**
 * A GPAC filter session (`GF_FilterSession`).
 *
 * @example
 * ```ts
 * import { FilterSession } from "@deno-gpac/gpac";
 * using fs = new FilterSession();
 * fs.loadSrc("avgen:dur=2");
 * fs.loadDst("out.mp4");
 * fs.run();
 * ```
 */
export class FilterSession implements Disposable {
  #ptr: Deno.PointerValue;
  readonly #id: number;
  readonly #filters = new Map<bigint, Filter>();
  #pendingError: { error: unknown } | null = null;
  #closed = false;
  #deleting = false;
  #running = false;
  #asyncRun = false;
  #outcomeChecked = false;
  readonly #toClose: { close(): void }[] = [];
  readonly #nonBlocking: boolean;
  readonly #threads: number;

  /** @ignore Internal hooks used by other deno-gpac modules (not part of the public API). */
  readonly [SESSION]: SessionInternals;

  /** Creates a session. Throws a {@link GpacError} if libgpac refuses the options. */
  constructor(options: FilterSessionOptions = {}) {
    ensureInit();
    checkThread();
    const s = gpacSymbols();
    const { threads = 0, scheduler = GF_FS_SCHEDULER_LOCK_FREE } = options;
    const flags = (options.flags ?? 0) | (options.nonBlocking ? GF_FS_FLAG_NON_BLOCKING : 0);
    const bl = Array.isArray(options.blacklist)
      ? options.blacklist.join(",")
      : options.blacklist as string | undefined;
    if (!Number.isInteger(threads) || threads < -1) {
      throw new GpacError(GF_BAD_PARAM, `invalid thread count ${threads}`);
    }
    const ptr = s.gf_fs_new(threads, scheduler, flags >>> 0, cstrOrNull(bl || null));
    if (!ptr) throw new GpacError(GF_BAD_PARAM, "failed to create filter session");
    this.#ptr = ptr;
    this.#nonBlocking = (flags & GF_FS_FLAG_NON_BLOCKING) !== 0;
    this.#threads = threads;
    this.#id = nextSessionId++;
    sessionsById.set(this.#id, this);
    const cb = callbacks();
    s.gf_fs_set_filter_creation_callback(
      ptr,
      cb.filter.pointer,
      Deno.UnsafePointer.create(BigInt(this.#id)),
      1, // force filter setup and user tasks on the main (JS) thread
    );
    this[SESSION] = {
      ptr: () => this.#handle(),
      fail: (e) => this.#fail(e),
      filterEvent: (f, destroy) => this.#onFilter(f, destroy),
      wrap: (f) => this.#wrap(f),
      register: (f) => this.#filters.set(addressOf(f.handle), f),
      isClosed: () => this.#closed,
      threads,
      deferClose: (cbs) => {
        if (this.#closed) { for (const cb of cbs) cb.close(); }
        else this.#toClose.push(...cbs);
      },
    };
  }

  #handle(): NonNullable<Deno.PointerValue> {
    if (this.#closed) throw new GpacError(GF_BAD_PARAM, "filter session is closed");
    return this.#ptr!;
  }

  #fail(e: unknown): void {
    if (!this.#pendingError) this.#pendingError = { error: e };
    if (!this.#closed && !this.#deleting) gpacSymbols().gf_fs_abort(this.#ptr, GF_FS_FLUSH_NONE);
  }

  #throwPending(): void {
    const p = this.#pendingError;
    if (p) {
      this.#pendingError = null;
      throw p.error;
    }
  }

  /**
   * `gfio://` URLs (FileIO) are served by JS callbacks, and GPAC calls some of them from the
   * thread of whichever filter opens a related file (a DASH segment, a manifest update...),
   * which deadlocks a blocking run on worker threads: refuse them in multi-threaded sessions.
   */
  #checkGfio(description: string, parentUrl?: string): void {
    if (this.#threads !== 0 && `${description} ${parentUrl ?? ""}`.includes("gfio://")) {
      throw new GpacError(
        GF_NOT_SUPPORTED,
        `FileIO URLs need a session without worker threads (threads: 0), this one has ` +
          `threads: ${this.#threads}; cannot load "${description}"`,
      );
    }
  }

  #wrap(f: NonNullable<Deno.PointerValue>): Filter {
    const key = addressOf(f);
    let w = this.#filters.get(key);
    if (!w) {
      w = Filter[SESSION](this, f);
      this.#filters.set(key, w);
    }
    return w;
  }

  /** Wraps a just-loaded filter and checks the option values written in its description. */
  #checked(f: NonNullable<Deno.PointerValue>, description: string, isUrl: boolean): Filter {
    const w = this.#wrap(f);
    if (!description.includes("=")) return w;
    try {
      validateOptions(description, w.name, w.allArgs({ values: false }), isUrl);
    } catch (e) {
      w.remove();
      throw e;
    }
    return w;
  }

  #onFilter(f: NonNullable<Deno.PointerValue>, destroy: boolean): void {
    try {
      if (!destroy) {
        this.onFilterNew(this.#wrap(f));
        return;
      }
      const key = addressOf(f);
      const w = this.#filters.get(key);
      if (!w) return;
      try {
        this.onFilterDel(w);
      } finally {
        this.#filters.delete(key);
        w[SESSION].invalidate();
      }
    } catch (e) {
      this.#fail(e);
    }
  }

  /** The raw `GF_FilterSession*` (unsafe escape hatch for direct FFI calls). */
  get handle(): Deno.PointerValue {
    return this.#handle();
  }

  /** True once {@link FilterSession.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Called when GPAC creates a filter in this session; override to observe (e.g. bind a DASH algorithm). */
  onFilterNew(_filter: Filter): void {}

  /** Called when GPAC destroys a filter of this session; the filter is unusable afterwards. */
  onFilterDel(_filter: Filter): void {}

  /**
   * Loads a source filter for `url` (a file, a URL, or a filter such as `avgen`).
   * @param url What to read.
   * @param parentUrl URL `url` is relative to.
   */
  loadSrc(url: string, parentUrl?: string): Filter {
    this.#checkGfio(url, parentUrl);
    const err = new OutU32();
    const p = this.#handle();
    enterSession(this[SESSION]);
    let f: Deno.PointerValue;
    try {
      f = gpacSymbols().gf_fs_load_source(p, cstr(url), null, cstrOrNull(parentUrl), err.buf);
    } finally {
      leaveSession();
    }
    this.#throwPending();
    if (!f || err.signed < 0) {
      throw new GpacError(err.signed || GF_BAD_PARAM, `failed to load source "${url}"`);
    }
    return this.#checked(f, url, true);
  }

  /**
   * Loads a destination filter for `url` (a file such as `out.mp4`, or a URL).
   * @param url Where to write.
   * @param parentUrl URL `url` is relative to.
   */
  loadDst(url: string, parentUrl?: string): Filter {
    this.#checkGfio(url, parentUrl);
    const err = new OutU32();
    const p = this.#handle();
    enterSession(this[SESSION]);
    let f: Deno.PointerValue;
    try {
      f = gpacSymbols().gf_fs_load_destination(p, cstr(url), null, cstrOrNull(parentUrl), err.buf);
    } finally {
      leaveSession();
    }
    this.#throwPending();
    if (!f || err.signed < 0) {
      throw new GpacError(err.signed || GF_BAD_PARAM, `failed to load destination "${url}"`);
    }
    return this.#checked(f, url, true);
  }

  /**
   * Loads a filter from a description with options, e.g. `"ffenc:c=avc:b=2M"`.
   * @param description Filter name and `:`-separated options.
   */
  load(description: string): Filter {
    this.#checkGfio(description);
    const err = new OutU32();
    const p = this.#handle();
    enterSession(this[SESSION]);
    let f: Deno.PointerValue;
    try {
      f = gpacSymbols().gf_fs_load_filter(p, cstr(description), err.buf);
    } finally {
      leaveSession();
    }
    this.#throwPending();
    if (!f || err.signed < 0) {
      throw new GpacError(
        err.signed || GF_BAD_PARAM,
        `failed to load filter "${description}"`,
      );
    }
    return this.#checked(f, description, false);
  }

  /**
   * Runs the session. A blocking session runs until it is done or aborted; a non-blocking
   * one (`GF_FS_FLAG_NON_BLOCKING`) runs one scheduling step and returns.
   *
   * Throws the first exception raised by a JS callback (task, custom filter, ...) during the
   * run, with its original stack, after the session stopped; or a {@link GpacError} when a
   * filter failed.
   *
   * @returns What `gf_fs_run` returned: `GF_EOS` after a blocking run; for a non-blocking
   * session usually `GF_OK` even at the end (test {@link FilterSession.lastTask}). Failed links
   * and filter errors are thrown when a blocking run ends, or on the step where a non-blocking
   * session reaches its last task.
   */
  run(): number {
    const p = this.#handle();
    if (this.#running || this.#asyncRun) {
      throw new GpacError(
        GF_BAD_PARAM,
        this.#asyncRun
          ? "FilterSession.run() called while runAsync() drives the session"
          : "FilterSession.run() called re-entrantly from a callback",
      );
    }
    this.#running = true;
    let err: number;
    enterSession(this[SESSION]);
    try {
      err = gpacSymbols().gf_fs_run(p);
    } finally {
      leaveSession();
      this.#running = false;
    }
    this.#throwPending();
    if (!this.#nonBlocking) flushLogs();
    else if (!this.#outcomeChecked && err >= 0 && this.#stepsDone(p, err)) {
      this.#finish(p);
      err = GF_EOS;
    }
    return this.#outcome(p, err);
  }

  /**
   * True when a step of a non-blocking session left nothing but a final flush to do. Alone,
   * the scheduler counters can read "last task" with one task still queued (the one handing
   * the end of stream to a sink, say): {@link FilterSession.#finish} runs it.
   */
  #stepsDone(p: NonNullable<Deno.PointerValue>, err: number): boolean {
    // with worker threads, only the run status (GF_EOS once every thread stopped) is
    // reliable: the task counters can read "last task" while a worker is between tasks
    if (this.#threads !== 0) return err !== GF_OK;
    return err !== GF_OK || gpacSymbols().gf_fs_is_last_task(p) !== 0;
  }

  /**
   * Ends a non-blocking session the way GPAC's own step mode does (`gf_fs_stop`): the tasks
   * still queued run (callbacks included) and outputs are flushed.
   */
  #finish(p: NonNullable<Deno.PointerValue>): void {
    this.#running = true;
    enterSession(this[SESSION]);
    try {
      gpacSymbols().gf_fs_stop(p);
    } finally {
      leaveSession();
      this.#running = false;
    }
    this.#throwPending();
  }

  /** Checks the result of a `gf_fs_run` call and, once the session is done, its outcome. */
  #outcome(p: NonNullable<Deno.PointerValue>, err: number): number {
    if (err < 0) throw new GpacError(err, "session failed");
    const s = gpacSymbols();
    // a non-blocking session keeps returning GF_OK: check outcomes once it is done
    if (
      !this.#nonBlocking || err === GF_EOS || (!this.#outcomeChecked && s.gf_fs_is_last_task(p))
    ) {
      this.#outcomeChecked = true;
      const e = s.gf_fs_get_last_process_error(p);
      if (e < 0) throw new GpacError(e, "a filter failed while processing");
      const c = s.gf_fs_get_last_connect_error(p);
      if (c < 0) throw new GpacError(c, "a filter failed to connect");
      this.#checkLinks();
    }
    return err === GF_EOS ? GF_EOS : GF_OK;
  }

  /**
   * Runs the session to its end without freezing the event loop: the session runs in slices
   * of `sliceMs`, and timers, I/O, `fetch`, `Deno.serve` handlers and other sessions run
   * between slices. Custom filters and tasks still run on the JS thread.
   *
   * The session must be non-blocking (`new FilterSession({ nonBlocking: true })`). Resolves when
   * the session is done; rejects with the exception of a failing callback (original stack),
   * a {@link GpacError} for a failing filter or link, or the signal's reason after an abort
   * (outputs are flushed first).
   *
   * @example
   * ```ts
   * import { FilterSession } from "@deno-gpac/gpac";
   * using fs = new FilterSession({ nonBlocking: true });
   * fs.loadSrc("avgen:dur=2");
   * fs.loadDst("out.mp4");
   * await fs.runAsync({ signal: AbortSignal.timeout(10_000) });
   * ```
   */
  async runAsync(options: RunAsyncOptions = {}): Promise<void> {
    const p = this.#handle();
    const { signal, sliceMs = 4 } = options;
    if (!this.#nonBlocking) {
      throw new GpacError(
        GF_BAD_PARAM,
        "runAsync() needs a non-blocking session: new FilterSession({ nonBlocking: true })",
      );
    }
    if (!(sliceMs > 0 && sliceMs <= 1000)) {
      throw new GpacError(
        GF_BAD_PARAM,
        `invalid sliceMs ${sliceMs} (expected 0 < sliceMs <= 1000)`,
      );
    }
    if (this.#running || this.#asyncRun) {
      throw new GpacError(GF_BAD_PARAM, "the session is already running");
    }
    const s = gpacSymbols();
    // GPAC may sleep inside a step while waiting for a delayed task: keep that below a slice
    s.gf_fs_set_max_sleep_time(p, Math.max(1, Math.min(10, sliceMs >> 1)));
    this.#running = true;
    this.#asyncRun = true;
    const mono = this.#threads === 0;
    let aborted = false;
    try {
      for (;;) {
        if (signal?.aborted && !aborted) {
          aborted = true;
          s.gf_fs_abort(p, GF_FS_FLUSH_ALL);
        }
        // gf_sys_clock (ms, u32) is ~10x cheaper than performance.now() and precise enough here
        const start = s.gf_sys_clock();
        let err = GF_OK;
        let done = false;
        enterSession(this[SESSION]);
        try {
          do {
            err = s.gf_fs_run(p);
            // with worker threads, only the run status (GF_EOS once every thread stopped) is
            // reliable: the task counters can read "last task" while a worker is between tasks
            if (this.#pendingError || err !== GF_OK || (mono && s.gf_fs_is_last_task(p))) {
              done = true;
              break;
            }
          } while (((s.gf_sys_clock() - start) >>> 0) < sliceMs);
        } finally {
          leaveSession();
        }
        if (done) {
          this.#throwPending();
          if (err >= 0) this.#finish(p);
          if (aborted) {
            this.#outcomeChecked = true;
            throw signal!.reason;
          }
          this.#outcome(p, err === GF_OK ? GF_EOS : err);
          return;
        }
        this.#running = false;
        await yieldToEventLoop();
        if (this.#closed) throw new GpacError(GF_BAD_PARAM, "session closed during runAsync()");
        this.#running = true;
      }
    } finally {
      this.#running = false;
      this.#asyncRun = false;
      if (!this.#closed) flushLogs();
    }
  }

  /** Reports filters given link arguments through which no PID ever connected. */
  #checkLinks(): void {
    for (const f of this.#filters.values()) {
      if (!f.alive || f.pendingLinkArgs.length === 0 || f.nbIpid > 0) continue;
      throw new GpacError(
        GF_FILTER_NOT_FOUND,
        `no PID connected to ${f} through link "${f.pendingLinkArgs.join('", "')}"`,
      );
    }
  }

  /** True when the only task left is the session's own (the session is done). */
  get lastTask(): boolean {
    return gpacSymbols().gf_fs_is_last_task(this.#handle()) !== 0;
  }

  /** Number of filters in the session. */
  get nbFilters(): number {
    return gpacSymbols().gf_fs_get_filters_count(this.#handle());
  }

  /** Returns the filter at `index` (0 ≤ index < {@link FilterSession.nbFilters}). */
  getFilter(index: number): Filter {
    const f = gpacSymbols().gf_fs_get_filter(this.#handle(), index);
    if (!f) {
      throw new GpacError(
        GF_BAD_PARAM,
        `no filter at index ${index} (session has ${this.nbFilters})`,
      );
    }
    return this.#wrap(f);
  }

  /** All filters currently in the session. */
  get filters(): Filter[] {
    const n = this.nbFilters;
    const out: Filter[] = [];
    for (let i = 0; i < n; i++) out.push(this.getFilter(i));
    return out;
  }

  /**
   * Aborts the session.
   * @param flush `GF_FS_FLUSH_NONE` (stop now), `GF_FS_FLUSH_ALL` (default: let outputs
   * finalize, e.g. write the MP4 index) or `GF_FS_FLUSH_FAST`.
   */
  abort(flush: number = GF_FS_FLUSH_ALL): void {
    const e = gpacSymbols().gf_fs_abort(this.#handle(), flush);
    if (e < 0) throw new GpacError(e, `abort(${flush}) failed`);
  }

  /**
   * Posts a task run on the JS thread by the scheduler while the session runs.
   * @param task A {@link FilterTask}, or a function returning the delay in ms until its next
   * call (negative: done).
   * @param name Log name when `task` is a function.
   */
  post(task: FilterTask | (() => number | void), name = "task"): FilterTask {
    const t = typeof task === "function" ? new FunctionTask(name, task) : task;
    if (t.session) throw new GpacError(GF_BAD_PARAM, `task "${t.name}" is already posted`);
    const id = nextTaskId++;
    tasksById.set(id, { task: t, session: this });
    t.session = this;
    const e = gpacSymbols().gf_fs_post_user_task(
      this.#handle(),
      callbacks().task.pointer,
      Deno.UnsafePointer.create(BigInt(id)),
      cstr(t.name),
    );
    if (e < 0) {
      tasksById.delete(id);
      t.session = null;
      throw new GpacError(e, `failed to post task "${t.name}"`);
    }
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
    const r = gpacSymbols().gf_fs_fire_event(
      this.#handle(),
      filter ? filter.handle : null,
      evt.bytes,
      upstream ? 1 : 0,
    );
    this.#throwPending();
    return r !== 0;
  }

  /** True if some filter can handle this MIME type. */
  isSupportedMime(mime: string): boolean {
    return gpacSymbols().gf_fs_is_supported_mime(this.#handle(), cstr(mime)) !== 0;
  }

  /** True if some source filter can open `url`. */
  isSupportedSource(url: string, parentUrl?: string): boolean {
    return gpacSymbols().gf_fs_is_supported_source(
      this.#handle(),
      cstr(url),
      cstrOrNull(parentUrl),
    ) !== 0;
  }

  /** True if a filter register named `name` exists in this build. */
  filterExists(name: string): boolean {
    return gpacSymbols().gf_fs_filter_exists(this.#handle(), cstr(name)) !== 0;
  }

  /** Prints the connection graph on stderr (as `gpac -graph`). */
  printGraph(): void {
    gpacSymbols().gf_fs_print_connections(this.#handle());
  }

  /** Prints per-filter statistics on stderr (as `gpac -stats`). */
  printStats(): void {
    gpacSymbols().gf_fs_print_stats(this.#handle());
  }

  /** Returns the connection graph as data. */
  graph(): SessionGraph {
    const filters = this.filters;
    const index = new Map<Filter, number>(filters.map((f, i) => [f, i]));
    const nodes: GraphNode[] = filters.map((f, i) => ({
      index: i,
      name: f.name,
      id: f.id,
      inputs: [],
      outputs: [],
    }));
    filters.forEach((f, i) => {
      for (let p = 0; p < f.nbOpid; p++) {
        const pidName = f.opidName(p);
        for (const sink of f.opidSinks(p)) {
          const j = index.get(sink);
          if (j !== undefined) nodes[i].outputs.push({ pid: p, pidName, filter: j });
        }
      }
      for (let p = 0; p < f.nbIpid; p++) {
        const src = f.ipidSource(p);
        const j = src ? index.get(src) : undefined;
        if (j !== undefined) nodes[i].inputs.push({ pid: p, pidName: f.ipidName(p), filter: j });
      }
    });
    return { filters: nodes };
  }

  /** Returns the statistics of every filter (`gf_fs_get_filter_stats`). */
  stats(): FilterStats[] {
    const p = this.#handle();
    const n = gpacSymbols().gf_fs_get_filters_count(p);
    const out: FilterStats[] = [];
    for (let i = 0; i < n; i++) {
      out.push(
        readFilterStats(
          (buf) => gpacSymbols().gf_fs_get_filter_stats(p, i, buf),
          (f) => f ? this.#wrap(f) : null,
        ),
      );
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
    const e = gpacSymbols().gf_fs_set_http_max_rate(this.#handle(), bps >>> 0);
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

  /**
   * Destroys the session and every filter in it. Filter and PID objects of this session throw
   * afterwards. Calling it twice is a no-op. Rethrows an exception raised by `onFilterDel`.
   */
  close(): void {
    if (this.#closed) return;
    if (this.#running) {
      throw new GpacError(
        GF_BAD_PARAM,
        "cannot close a session from its own callback; use abort()",
      );
    }
    const p = this.#ptr;
    // filters close their files while being destroyed: FileIO callbacks may run here
    this.#deleting = true;
    enterSession(this[SESSION]);
    const restoreMutexLogs = quietMutexErrors();
    try {
      gpacSymbols().gf_fs_del(p);
    } finally {
      restoreMutexLogs();
      leaveSession();
      this.#deleting = false;
    }
    this.#closed = true;
    this.#ptr = null;
    sessionsById.delete(this.#id);
    for (const [id, e] of tasksById) {
      if (e.session === this) {
        e.task.session = null;
        tasksById.delete(id);
      }
    }
    for (const f of this.#filters.values()) f[SESSION].invalidate();
    this.#filters.clear();
    for (const cb of this.#toClose.splice(0)) cb.close();
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
