/**
 * Binding custom adaptation algorithms to GPAC's DASH/HLS client (`dashin`).
 *
 * @module
 */

import { gpacSymbols, loadGpac, requireFeature, requireSymbol } from "../ffi/library.ts";
import { DashLayouts, type DashLayoutSet } from "../ffi/layouts.ts";
import { readStruct } from "../ffi/struct.ts";
import { GF_BAD_PARAM, GF_NOT_SUPPORTED } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import { type Filter, registerBinder } from "../core/filter.ts";
import { SESSION } from "../core/internal.ts";
import { guarded } from "../core/guard.ts";
import type { FilterSession } from "../core/session.ts";
import { DASHGroup, GROUP, type GroupContext } from "./group.ts";
import {
  DASH_DOWNLOAD_ABORT,
  DASH_DOWNLOAD_CONTINUE,
  DASH_PERIOD_END,
  DASH_QUALITY_DISABLE,
  DASH_QUALITY_KEEP,
  type DASHAlgorithm,
  type DASHGroupDownloadStatistics,
  type DASHGroupStatistics,
} from "./types.ts";

const CB_PERIOD_RESET = { parameters: ["pointer", "u32"], result: "void" } as const;
const CB_NEW_GROUP = { parameters: ["pointer", "u32", "pointer"], result: "void" } as const;
const CB_RATE_ADAPTATION = {
  parameters: ["pointer", "u32", "u32", "u32", "pointer"],
  result: "i32",
} as const;
const CB_DOWNLOAD_MONITOR = { parameters: ["pointer", "u32", "pointer"], result: "i32" } as const;

const METHODS = ["onPeriodReset", "onNewGroup", "onRateAdaptation", "onDownloadMonitor"] as const;

/**
 * Checks that `algo` can be bound: an object with an `onRateAdaptation` method, and only
 * functions under the other callback names. `where` names the object in error messages.
 */
export function checkDashAlgorithm(algo: unknown, where = "DASH algorithm"): DASHAlgorithm {
  if (algo === null || (typeof algo !== "object" && typeof algo !== "function")) {
    throw new GpacError(
      GF_BAD_PARAM,
      `${where} must be an object implementing onRateAdaptation(), got ${
        algo === null ? "null" : typeof algo
      }`,
    );
  }
  const o = algo as Record<string, unknown>;
  if (typeof o.onRateAdaptation !== "function") {
    throw new GpacError(
      GF_BAD_PARAM,
      `${where} has no onRateAdaptation(group, baseGroup, forceLowComplexity, stats) method` +
        ` (onRateAdaptation is ${typeof o.onRateAdaptation})`,
    );
  }
  for (const m of METHODS) {
    if (o[m] !== undefined && typeof o[m] !== "function") {
      throw new GpacError(GF_BAD_PARAM, `${where}.${m} must be a method, got ${typeof o[m]}`);
    }
  }
  return algo as DASHAlgorithm;
}

/** The DASH layouts of the loaded libgpac, or a `GF_NOT_SUPPORTED` error naming its ABI. */
function dashLayouts(): DashLayoutSet {
  requireFeature("dash");
  return DashLayouts[loadGpac().profile]!;
}

/**
 * Refuses sessions with worker threads: libgpac creates `dashin` (and the filters it needs)
 * during link resolution, possibly on a worker thread, and a JS callback reached from a worker
 * thread (the session's filter-creation notice, then the algorithm) waits forever for the JS
 * thread, which waits for that worker inside `run()`.
 */
function checkThreads(session: FilterSession): void {
  const n = session[SESSION].threads;
  if (n !== 0) {
    throw new GpacError(
      GF_NOT_SUPPORTED,
      `custom DASH algorithms need a session created with threads: 0 (this one has threads: ` +
        `${n}): libgpac may create and run dashin on a worker thread, where JS callbacks ` +
        `cannot run while run() blocks the JS thread`,
    );
  }
}

function validIndex(r: unknown, special: readonly number[], n: number): r is number {
  return typeof r === "number" && Number.isInteger(r) &&
    (special.includes(r) || (r >= 0 && r < n));
}

const bindings = new WeakMap<Filter, DASHAlgorithmBinding>();

/**
 * An algorithm bound to one `dashin` filter: owns the native callbacks libgpac calls, and the
 * {@link DASHGroup}s of the current period. Created by {@link bindDashAlgorithm} (or
 * `filter.bind(algo)`, {@link useDashAlgorithm}).
 *
 * The callbacks always run on the JS thread: algorithms bind only in sessions created with
 * `threads: 0` (others give `GF_NOT_SUPPORTED`), and binding also tags the filter so that GPAC
 * schedules it on the session's main thread, the one calling `run()`. `close()` gives the filter
 * back to GPAC's built-in algorithm (the filter's `algo` option).
 */
export class DASHAlgorithmBinding implements Disposable {
  /** The `dashin` filter. */
  readonly filter: Filter;
  /** The bound algorithm. */
  readonly algorithm: DASHAlgorithm;
  readonly #session: FilterSession;
  readonly #layouts: DashLayoutSet;
  readonly #groups = new Map<number, DASHGroup>();
  readonly #ctx: GroupContext;
  #dash: Deno.PointerValue = null;
  #closed = false;
  #depth = 0;
  #generation = 0;
  #callbacks: { close(): void }[] = [];
  #callbacksClosed = false;
  #counts = { periodReset: 0, newGroup: 0, rateAdaptation: 0, downloadMonitor: 0 };

  /** @internal Use {@link bindDashAlgorithm}. */
  constructor(filter: Filter, algorithm: DASHAlgorithm) {
    const layouts = dashLayouts();
    const algo = checkDashAlgorithm(algorithm);
    const name = filter.name;
    if (name !== "dashin") {
      throw new GpacError(
        GF_BAD_PARAM,
        `DASH algorithms bind to dashin filters, not to ${filter} (${name})`,
      );
    }
    checkThreads(filter.session);
    const stats = filter.getStatistics();
    if (Number(stats.nbTasksDone) > 0 || filter.nbOpid > 0) {
      throw new GpacError(
        GF_BAD_PARAM,
        `${filter} already started (${stats.nbTasksDone} tasks done): bind the algorithm ` +
          `when the filter is created, from FilterSession.onFilterNew or useDashAlgorithm()`,
      );
    }
    this.filter = filter;
    this.algorithm = algo;
    this.#session = filter.session;
    this.#layouts = layouts;
    this.#ctx = {
      dash: () => this.#dashClient(),
      generation: () => (this.#depth > 0 ? this.#generation : -1),
      layouts,
      filter,
    };
    bindings.get(filter)?.close();
    this.#bind();
    bindings.set(filter, this);
  }

  /** The binding of `filter`, or null when no algorithm is bound to it. */
  static of(filter: Filter): DASHAlgorithmBinding | null {
    const b = bindings.get(filter);
    return b && !b.closed ? b : null;
  }

  #dashClient(): NonNullable<Deno.PointerValue> {
    if (this.#closed) throw new GpacError(GF_BAD_PARAM, `DASH algorithm binding is closed`);
    if (!this.filter.alive) {
      throw new GpacError(GF_BAD_PARAM, `${this.filter} was destroyed`);
    }
    if (!this.#dash) {
      throw new GpacError(GF_BAD_PARAM, `the DASH client of ${this.filter} is not set up yet`);
    }
    return this.#dash;
  }

  #bind(): void {
    const s = gpacSymbols();
    const algo = this.algorithm;
    const sink = this.#session[SESSION];
    const enter = () => {
      this.#depth++;
      this.#generation++;
    };
    const periodReset = new Deno.UnsafeCallback(
      CB_PERIOD_RESET,
      guarded(sink, undefined, (_u: Deno.PointerValue, type: number): void => {
        if (this.#closed) return;
        enter();
        this.#counts.periodReset++;
        try {
          algo.onPeriodReset?.(type);
        } finally {
          this.#depth--;
          if (type === DASH_PERIOD_END) this.#resetGroups();
        }
      }),
    );
    const newGroup = new Deno.UnsafeCallback(
      CB_NEW_GROUP,
      guarded(sink, undefined, (_u: Deno.PointerValue, idx: number, dash: Deno.PointerValue) => {
        if (this.#closed || !dash) return;
        enter();
        this.#counts.newGroup++;
        try {
          this.#dash = dash;
          const old = this.#groups.get(idx);
          if (old) old[GROUP].invalidate();
          const g = new DASHGroup(this.#ctx, idx);
          this.#groups.set(idx, g);
          algo.onNewGroup?.(g);
        } finally {
          this.#depth--;
        }
      }),
    );
    const rateAdaptation = new Deno.UnsafeCallback(
      CB_RATE_ADAPTATION,
      guarded(
        sink,
        DASH_QUALITY_KEEP,
        (
          _u: Deno.PointerValue,
          idx: number,
          baseIdx: number,
          forceLow: number,
          stats: Deno.PointerValue,
        ): number => {
          if (this.#closed || !stats) return DASH_QUALITY_KEEP;
          enter();
          this.#counts.rateAdaptation++;
          try {
            const group = this.#group(idx);
            const base = baseIdx === idx ? group : this.#group(baseIdx);
            const st = this.#readAlgoInfo(stats);
            const r = algo.onRateAdaptation(group, base, forceLow !== 0, st);
            if (!validIndex(r, [DASH_QUALITY_KEEP, DASH_QUALITY_DISABLE], group.nbQualities)) {
              throw new GpacError(
                GF_BAD_PARAM,
                `onRateAdaptation returned ${describe(r)} for DASH group ${idx}: expected a ` +
                  `quality index in 0..${group.nbQualities - 1}, DASH_QUALITY_KEEP (-1) or ` +
                  `DASH_QUALITY_DISABLE (-2)`,
              );
            }
            return r;
          } finally {
            this.#depth--;
          }
        },
      ),
    );
    let downloadMonitor: Deno.UnsafeCallback<typeof CB_DOWNLOAD_MONITOR> | null = null;
    if (typeof algo.onDownloadMonitor === "function") {
      downloadMonitor = new Deno.UnsafeCallback(
        CB_DOWNLOAD_MONITOR,
        guarded(
          sink,
          DASH_DOWNLOAD_CONTINUE,
          (_u: Deno.PointerValue, idx: number, stats: Deno.PointerValue): number => {
            if (this.#closed || !stats) return DASH_DOWNLOAD_CONTINUE;
            enter();
            this.#counts.downloadMonitor++;
            try {
              const group = this.#group(idx);
              const st = this.#readDownloadStats(stats);
              const r = algo.onDownloadMonitor!(group, st);
              if (
                !validIndex(r, [DASH_DOWNLOAD_CONTINUE, DASH_DOWNLOAD_ABORT], group.nbQualities)
              ) {
                throw new GpacError(
                  GF_BAD_PARAM,
                  `onDownloadMonitor returned ${describe(r)} for DASH group ${idx}: expected ` +
                    `DASH_DOWNLOAD_CONTINUE (-1), DASH_DOWNLOAD_ABORT (-2) or a quality index ` +
                    `in 0..${group.nbQualities - 1}`,
                );
              }
              return r;
            } finally {
              this.#depth--;
            }
          },
        ),
      );
    }
    this.#callbacks = [periodReset, newGroup, rateAdaptation];
    if (downloadMonitor) this.#callbacks.push(downloadMonitor);
    // until close(), libgpac may call these at any time the session runs: they are released
    // with the session unless close() can release them earlier
    this.#session[SESSION].deferClose([{ close: () => this.#closeCallbacks() }]);

    const f = this.filter.handle;
    // run dashin (and so every callback) on the session's main thread, which is the JS thread
    requireSymbol("gf_filter_force_main_thread")(f, 1);
    const e = s.gf_filter_bind_dash_algo_callbacks(
      f,
      null,
      periodReset.pointer,
      newGroup.pointer,
      rateAdaptation.pointer,
      downloadMonitor ? downloadMonitor.pointer : null,
    );
    if (e < 0) {
      requireSymbol("gf_filter_force_main_thread")(f, 0);
      this.#closed = true;
      this.#closeCallbacks();
      throw new GpacError(e, `cannot bind a DASH algorithm to ${this.filter}`);
    }
  }

  #group(idx: number): DASHGroup {
    let g = this.#groups.get(idx);
    if (!g) {
      // libgpac announces groups before adapting them; tolerate a missed announcement
      this.#dashClient();
      g = new DASHGroup(this.#ctx, idx);
      this.#groups.set(idx, g);
    }
    return g;
  }

  #readAlgoInfo(p: NonNullable<Deno.PointerValue>): DASHGroupStatistics {
    const L = this.#layouts.algoInfo;
    const dv = new DataView(Deno.UnsafePointerView.getArrayBuffer(p, L.size));
    return Object.freeze(readStruct(L, dv));
  }

  #readDownloadStats(p: NonNullable<Deno.PointerValue>): DASHGroupDownloadStatistics {
    const L = this.#layouts.downloadStats;
    const v = readStruct(L, new DataView(Deno.UnsafePointerView.getArrayBuffer(p, L.size)));
    return Object.freeze({
      bitsPerSec: v.bitsPerSec,
      totalBytes: Number(v.totalBytes),
      bytesDone: Number(v.bytesDone),
      usSinceStart: Number(v.usSinceStart),
      bufferDurMs: v.bufferDur,
      currentSegDurMs: v.currentSegDur,
    });
  }

  #resetGroups(): void {
    for (const g of this.#groups.values()) g[GROUP].invalidate();
    this.#groups.clear();
  }

  #closeCallbacks(): void {
    if (this.#callbacksClosed) return;
    this.#callbacksClosed = true;
    for (const cb of this.#callbacks) cb.close();
    this.#callbacks = [];
  }

  /** The groups of the current period, by increasing index. */
  get groups(): readonly DASHGroup[] {
    return [...this.#groups.values()].sort((a, b) => a.idx - b.idx);
  }

  /** How many times libgpac called each callback so far. */
  get callCounts(): Readonly<
    { periodReset: number; newGroup: number; rateAdaptation: number; downloadMonitor: number }
  > {
    return { ...this.#counts };
  }

  /** True once {@link DASHAlgorithmBinding.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Unbinds the algorithm: the filter goes back to GPAC's built-in algorithm, the groups become
   * invalid. The native callbacks are released now, or with the session when `close()` runs
   * inside one of them or after the filter was destroyed. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#resetGroups();
    if (bindings.get(this.filter) === this) bindings.delete(this.filter);
    if (!this.filter.alive) return; // released with the session (deferred above)
    const s = gpacSymbols();
    const f = this.filter.handle;
    s.gf_filter_bind_dash_algo_callbacks(f, null, null, null, null, null);
    requireSymbol("gf_filter_force_main_thread")(f, 0);
    if (this.#depth === 0) this.#closeCallbacks();
  }

  /** Same as {@link DASHAlgorithmBinding.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "object" && v !== null) return Object.prototype.toString.call(v);
  return String(v);
}

/**
 * Binds `algorithm` to a `dashin` filter, replacing any algorithm bound before. Bind before the
 * filter starts, i.e. from {@link FilterSession.onFilterNew} (or use {@link useDashAlgorithm}):
 * binding a running filter throws `GF_BAD_PARAM`. `filter.bind(algorithm)` does the same.
 *
 * @example
 * ```ts
 * import { bindDashAlgorithm, type Filter, FilterSession } from "@deno-gpac/gpac";
 * class Session extends FilterSession {
 *   override onFilterNew(f: Filter) {
 *     if (f.name === "dashin") bindDashAlgorithm(f, { onRateAdaptation: () => 0 });
 *   }
 * }
 * ```
 */
export function bindDashAlgorithm(filter: Filter, algorithm: DASHAlgorithm): DASHAlgorithmBinding {
  return new DASHAlgorithmBinding(filter, algorithm);
}

/** What {@link useDashAlgorithm} accepts: an algorithm, its class, or a function making one. */
export type DASHAlgorithmSource =
  | DASHAlgorithm
  | (new () => DASHAlgorithm)
  | ((filter: Filter) => DASHAlgorithm);

function isClass(fn: unknown): fn is new () => DASHAlgorithm {
  return typeof fn === "function" && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/**
 * Uses an algorithm for every DASH/HLS client `session` creates from now on: each new `dashin`
 * filter gets it bound as soon as GPAC creates it. Given a class (or a factory function), one
 * instance is made per client; given an object, that object serves every client (tell them
 * apart with `group.filter`). `close()` on the result stops this, and unbinds the algorithms.
 *
 * @example
 * ```ts
 * import { FilterSession, useDashAlgorithm } from "@deno-gpac/gpac";
 * using fs = new FilterSession();
 * using _algo = useDashAlgorithm(fs, { onRateAdaptation: () => 0 }); // lowest quality
 * ```
 */
export function useDashAlgorithm(
  session: FilterSession,
  algorithm: DASHAlgorithmSource,
): DASHAlgorithmUse {
  return new DASHAlgorithmUse(session, algorithm);
}

/**
 * The result of {@link useDashAlgorithm}: the bindings made so far; `close()` stops binding new
 * clients and unbinds the existing ones.
 */
export class DASHAlgorithmUse implements Disposable {
  /** Bindings made so far, one per `dashin` filter. */
  readonly bindings: DASHAlgorithmBinding[] = [];
  readonly #session: FilterSession;
  readonly #hadOwn: boolean;
  readonly #previous: (f: Filter) => void;
  readonly #hook: (f: Filter) => void;
  #closed = false;

  /** @internal Use {@link useDashAlgorithm}. */
  constructor(session: FilterSession, algorithm: DASHAlgorithmSource) {
    dashLayouts();
    checkThreads(session);
    const make = (f: Filter): DASHAlgorithm => {
      if (isClass(algorithm)) return checkDashAlgorithm(new algorithm(), algorithm.name);
      if (typeof algorithm === "function") {
        return checkDashAlgorithm(
          (algorithm as (f: Filter) => DASHAlgorithm)(f),
          `result of ${algorithm.name || "the algorithm factory"}()`,
        );
      }
      return algorithm;
    };
    if (typeof algorithm !== "function") checkDashAlgorithm(algorithm);
    this.#session = session;
    this.#hadOwn = Object.prototype.hasOwnProperty.call(session, "onFilterNew");
    const previous = session.onFilterNew;
    this.#previous = previous;
    this.#hook = (f: Filter) => {
      previous.call(session, f);
      if (this.#closed || !f.alive || f.name !== "dashin" || DASHAlgorithmBinding.of(f)) return;
      this.bindings.push(bindDashAlgorithm(f, make(f)));
    };
    session.onFilterNew = this.#hook;
  }

  /** Stops binding new clients and closes the bindings made. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#session.onFilterNew === this.#hook) {
      if (this.#hadOwn) this.#session.onFilterNew = this.#previous;
      else delete (this.#session as { onFilterNew?: unknown }).onFilterNew;
    }
    for (const b of this.bindings) b.close();
  }

  /** Same as {@link DASHAlgorithmUse.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

registerBinder("dashin", (filter, object) => {
  bindDashAlgorithm(filter, checkDashAlgorithm(object));
});
