/**
 * Filters written in TypeScript (`FilterCustom`), the equivalent of libgpac.py's
 * `FilterCustom`: sources, sinks and in-between filters that sit anywhere in a GPAC pipeline.
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { addressOf, cstr, i64s, OutU32, u32s, u64s } from "../ffi/buffers.ts";
import {
  GF_BAD_PARAM,
  GF_EOS,
  GF_FS_REG_MAIN_THREAD,
  GF_OK,
  GF_PROP_4CC,
  GF_PROP_BOOL,
  GF_PROP_DOUBLE,
  GF_PROP_FLOAT,
  GF_PROP_FRACTION,
  GF_PROP_FRACTION64,
  GF_PROP_LSINT,
  GF_PROP_LUINT,
  GF_PROP_NAME,
  GF_PROP_SINT,
  GF_PROP_STRING,
  GF_PROP_UINT,
  GF_PROP_VEC2,
  GF_PROP_VEC2I,
  GF_PROP_VEC3I,
  GF_PROP_VEC4I,
} from "../ffi/constants.ts";
import { PropertyValueLayout as PV } from "../ffi/layouts.ts";
import { GpacError } from "../core/errors.ts";
import { Filter } from "../core/filter.ts";
import { FilterEvent } from "../core/event.ts";
import { encodeNamedProp, propTypeName, type PropValue } from "../core/props.ts";
import { SESSION } from "../core/internal.ts";
import type { FilterSession } from "../core/session.ts";
import { FilterPid } from "./pid.ts";
import { FilterPacket } from "./packet.ts";

const CB_CONFIGURE = { parameters: ["pointer", "pointer", "u32"], result: "i32" } as const;
const CB_PROCESS = { parameters: ["pointer"], result: "i32" } as const;
const CB_EVENT = { parameters: ["pointer", "pointer"], result: "u32" } as const;
const CB_RECONF = { parameters: ["pointer", "pointer"], result: "i32" } as const;
const CB_RELEASE = { parameters: ["pointer", "pointer", "pointer"], result: "void" } as const;

/** Options of {@link FilterCustom}. */
export interface FilterCustomOptions {
  /** Extra `GF_FS_REG_*` flags (`GF_FS_REG_MAIN_THREAD` is always set). */
  flags?: number;
}

/** Types a capability value can have (GPAC keeps caps values for the filter's lifetime). */
const CAP_TYPES = new Set<number>([
  GF_PROP_SINT,
  GF_PROP_UINT,
  GF_PROP_LSINT,
  GF_PROP_LUINT,
  GF_PROP_BOOL,
  GF_PROP_FRACTION,
  GF_PROP_FRACTION64,
  GF_PROP_FLOAT,
  GF_PROP_DOUBLE,
  GF_PROP_VEC2I,
  GF_PROP_VEC2,
  GF_PROP_VEC3I,
  GF_PROP_VEC4I,
  GF_PROP_4CC,
  GF_PROP_STRING,
  GF_PROP_NAME,
]);

interface SharedEntry {
  data: Uint8Array;
  pck: FilterPacket;
  opid: FilterPid;
}

/**
 * A filter implemented in TypeScript. Subclass it, declare capabilities with `pushCap`, and
 * override `configurePid`, `process`, `processEvent`, `reconfigureOutput` and
 * `packetRelease` as needed. All callbacks run on the JS thread (the filter is pinned to
 * GPAC's main thread, also in multi-threaded sessions). An exception thrown by a callback stops
 * the session and is rethrown by `run()` with its original stack.
 *
 * @example
 * ```ts
 * import { FilterCustom, FilterPid, FilterSession, GF_CAPS_INPUT_OUTPUT } from "@deno-gpac/gpac";
 * class PassThrough extends FilterCustom {
 *   constructor(fs: FilterSession) {
 *     super(fs, "passthrough");
 *     this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
 *   }
 *   override configurePid(pid: FilterPid, isRemove: boolean): number {
 *     if (!isRemove) this.mirrorPid(pid); // output PID in pid.opid, same properties
 *     return 0;
 *   }
 *   override process(): number {
 *     for (const pid of this.ipids) {
 *       for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
 *         pid.opid!.forward(pck);
 *         pid.dropPacket();
 *       }
 *       if (pid.eos) pid.opid!.eos = true;
 *     }
 *     return 0;
 *   }
 * }
 * ```
 */
export class FilterCustom extends Filter {
  /** Input PIDs, in the order they were configured. */
  readonly ipids: FilterPid[] = [];
  /** Output PIDs created with `newPid()`. */
  readonly opids: FilterPid[] = [];
  readonly #pids = new Map<bigint, FilterPid>();
  readonly #shared = new Map<bigint, SharedEntry>();
  readonly #callbacks: { close(): void }[] = [];
  #releaseCb: Deno.UnsafeCallback<typeof CB_RELEASE> | null = null;

  /**
   * Creates the filter in `session`.
   * @param session The session.
   * @param name Filter name (shown in graphs and logs).
   * @param options Register flags.
   */
  constructor(session: FilterSession, name = "Custom", options: FilterCustomOptions = {}) {
    super(session, FilterCustom.#create(session, name, options.flags ?? 0));
    session[SESSION].register(this);
    const s = gpacSymbols();
    const h = this.handle;
    const fail = (e: unknown) => session[SESSION].fail(e);
    const configure = new Deno.UnsafeCallback(CB_CONFIGURE, (_f, pid, isRemove) => {
      if (!pid || !this.alive) return GF_OK;
      try {
        return this.#configure(pid, isRemove !== 0);
      } catch (e) {
        fail(e);
        return GF_OK;
      }
    });
    const process = new Deno.UnsafeCallback(CB_PROCESS, () => {
      if (!this.alive) return GF_OK;
      try {
        const r = this.process() ?? GF_OK;
        // GPAC keeps rescheduling a filter without any PID that reports success, as it would a
        // source: with nothing connected yet, report "nothing to do" until a PID shows up
        if (r === GF_OK && this.ipids.length === 0 && this.opids.length === 0) return GF_EOS;
        return r;
      } catch (e) {
        fail(e);
        return GF_OK;
      }
    });
    const event = new Deno.UnsafeCallback(CB_EVENT, (_f, evt) => {
      if (!evt || !this.alive) return 0;
      try {
        return this.processEvent(FilterEvent.fromNative(evt)) ? 1 : 0;
      } catch (e) {
        fail(e);
        return 0;
      }
    });
    const reconf = new Deno.UnsafeCallback(CB_RECONF, (_f, pid) => {
      if (!pid || !this.alive) return GF_OK;
      try {
        return this.reconfigureOutput(this.#pid(pid, false)) ?? GF_OK;
      } catch (e) {
        fail(e);
        return GF_OK;
      }
    });
    this.#callbacks.push(configure, process, event, reconf);
    // one filter instance takes any number of inputs (GPAC would otherwise try to clone it,
    // which it cannot do for custom filters); setMaxPids() restricts this
    s.gf_filter_set_max_extra_input_pids(h, 0xffffffff);
    // GPAC schedules nothing for a new custom filter: post a first process() so that source
    // filters start (filters with inputs just find no packet on this first call)
    s.gf_filter_post_process_task(h);
    s.gf_filter_set_configure_ckb(h, configure.pointer);
    s.gf_filter_set_process_ckb(h, process.pointer);
    s.gf_filter_set_process_event_ckb(h, event.pointer);
    s.gf_filter_set_reconfigure_output_ckb(h, reconf.pointer);
  }

  static #create(
    session: FilterSession,
    name: string,
    flags: number,
  ): NonNullable<Deno.PointerValue> {
    const err = new OutU32();
    const f = gpacSymbols().gf_fs_new_filter(
      session[SESSION].ptr(),
      cstr(name),
      (flags | GF_FS_REG_MAIN_THREAD) >>> 0,
      err.buf,
    );
    if (!f || err.signed < 0) {
      throw new GpacError(err.signed || GF_BAD_PARAM, `cannot create custom filter "${name}"`);
    }
    return f;
  }

  #pid(ptr: NonNullable<Deno.PointerValue>, isInput: boolean): FilterPid {
    const key = addressOf(ptr);
    let p = this.#pids.get(key);
    if (!p) {
      p = new FilterPid(this, ptr, isInput);
      this.#pids.set(key, p);
    }
    return p;
  }

  #configure(ptr: NonNullable<Deno.PointerValue>, isRemove: boolean): number {
    const pid = this.#pid(ptr, true);
    const r = this.configurePid(pid, isRemove) ?? GF_OK;
    if (isRemove) {
      const i = this.ipids.indexOf(pid);
      if (i >= 0) this.ipids.splice(i, 1);
      this.#pids.delete(addressOf(ptr));
      pid.invalidate();
    } else if (r >= 0 && !this.ipids.includes(pid)) {
      this.ipids.push(pid);
    }
    return r;
  }

  /** @ignore Forgets an output PID being removed. */
  forgetPid(pid: FilterPid): void {
    const i = this.opids.indexOf(pid);
    if (i >= 0) this.opids.splice(i, 1);
    this.#pids.delete(addressOf(pid.handle));
    pid.invalidate();
  }

  /** Releases callbacks and PID objects once GPAC destroyed the filter. */
  protected override onInvalidate(): void {
    for (const p of this.#pids.values()) p.invalidate();
    this.#pids.clear();
    this.ipids.length = 0;
    this.opids.length = 0;
    // GPAC no longer calls this filter's callbacks; shared packets still alive are freed by
    // GPAC with the filter, so their JS buffers can go too.
    this.#shared.clear();
    const cbs = this.#callbacks.splice(0);
    if (this.#releaseCb) cbs.push(this.#releaseCb);
    this.#releaseCb = null;
    this.session[SESSION].deferClose(cbs);
  }

  // ---- overridable callbacks -------------------------------------------------------------

  /**
   * An input PID was connected, reconfigured (same object again) or removed. Return `GF_OK`
   * (0) to accept it, or a negative `GF_Err` to refuse. The PID is added to `ipids` after the
   * first successful call, so `this.ipids.includes(pid)` tells a reconfiguration apart.
   */
  configurePid(_pid: FilterPid, _isRemove: boolean): number | void {
    return GF_OK;
  }

  /** Called when packets are available or the filter asked to be rescheduled. */
  process(): number | void {
    return GF_OK;
  }

  /** An event reached the filter; return true to stop it here (not forwarded further). */
  processEvent(_evt: FilterEvent): boolean {
    return false;
  }

  /** A downstream filter asked to reconfigure output PID `pid`; return 0 if handled. */
  reconfigureOutput(_pid: FilterPid): number | void {
    return -4; // GF_NOT_SUPPORTED
  }

  /** GPAC released a packet made with `newPckShared()`: its data may be reused. */
  packetRelease(_opid: FilterPid, _pck: FilterPacket): void {}

  // ---- API for the filter's own code ----------------------------------------------------

  /**
   * Declares a capability.
   * @param name Property name, e.g. `"StreamType"`, `"CodecID"`.
   * @param value Value, e.g. `"Visual"`, `"raw"`, `"avc"`, a number.
   * @param flags `GF_CAPS_INPUT`, `GF_CAPS_OUTPUT`, `GF_CAPS_INPUT_OUTPUT`, … (with
   * `GF_CAPFLAG_IN_BUNDLE`).
   * @param priority Capability priority (0-255).
   * @param type `GF_PROP_*` type for a user-defined property name.
   */
  pushCap(name: string, value: PropValue, flags: number, priority = 0, type?: number): void {
    const { p4cc, prop } = encodeNamedProp(name, value, type);
    const t = new DataView(prop.bytes.buffer).getUint32(PV.type, true);
    if (!CAP_TYPES.has(t)) {
      throw new GpacError(
        GF_BAD_PARAM,
        `capability ${name} cannot have a value of type ${propTypeName(t)}`,
      );
    }
    const s = gpacSymbols();
    let owned: Deno.PointerValue = null;
    if (t === GF_PROP_STRING || t === GF_PROP_NAME) {
      // GPAC keeps (and frees) the caps value: give it a copy in its own memory
      const str = cstr(String(value));
      owned = s.gf_malloc(BigInt(str.length));
      if (!owned) throw new GpacError(-2, "out of memory");
      new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(owned, str.length)).set(str);
      new DataView(prop.bytes.buffer).setBigUint64(PV.value, addressOf(owned), true);
    }
    const e = s.gf_filter_push_caps(
      this.handle,
      p4cc,
      prop.bytes,
      p4cc ? null : cstr(name),
      flags >>> 0,
      priority,
    );
    if (e < 0) {
      if (owned) s.gf_free(owned);
      throw new GpacError(e, `cannot push capability ${name}=${String(value)}`);
    }
  }

  /** Creates an output PID. */
  newPid(): FilterPid {
    const p = gpacSymbols().gf_filter_pid_new(this.handle);
    if (!p) throw new GpacError(GF_BAD_PARAM, `cannot create an output PID on ${this}`);
    const pid = this.#pid(p, false);
    this.opids.push(pid);
    return pid;
  }

  /**
   * Gives input `pid` its output PID (created on the first call, stored in `pid.opid`) and copies
   * the input's properties onto it: what `configurePid` does in most in-between filters.
   */
  mirrorPid(pid: FilterPid): FilterPid {
    const opid = (pid.opid ??= this.newPid());
    opid.copyProps(pid);
    return opid;
  }

  /** @ignore Creates a shared packet (see `FilterPid.newPckShared`). */
  newSharedPacket(
    opid: FilterPid,
    h: NonNullable<Deno.PointerValue>,
    data: Uint8Array,
  ): FilterPacket {
    if (!(data instanceof Uint8Array) || data.byteLength === 0) {
      throw new GpacError(GF_BAD_PARAM, "shared packet data must be a non-empty Uint8Array");
    }
    if (!this.#releaseCb) {
      this.#releaseCb = new Deno.UnsafeCallback(CB_RELEASE, (_f, _pid, pck) => {
        const key = addressOf(pck);
        const entry = this.#shared.get(key);
        if (!entry) return;
        this.#shared.delete(key);
        entry.pck.detach();
        try {
          this.packetRelease(entry.opid, entry.pck);
        } catch (e) {
          this.session[SESSION].fail(e);
        }
      });
    }
    const p = gpacSymbols().gf_filter_pck_new_shared(
      h,
      data as Uint8Array<ArrayBuffer>,
      data.byteLength,
      this.#releaseCb.pointer,
    );
    if (!p) throw new GpacError(GF_BAD_PARAM, "cannot create shared packet");
    const pck = new FilterPacket("output", opid, p);
    this.#shared.set(addressOf(p), { data, pck, opid }); // data stays referenced until release
    return pck;
  }

  /** Number of shared packets GPAC has not released yet. */
  get nbSharedPending(): number {
    return this.#shared.size;
  }

  /** Sets the status text and progress (percent × 100) shown by GPAC. */
  updateStatus(percent: number, status: string): void {
    gpacSymbols().gf_filter_update_status(
      this.handle,
      Math.max(0, Math.round(percent)),
      cstr(status),
    );
  }

  /**
   * Asks to be called again in `ms` milliseconds (0: as soon as possible). GPAC's scheduler
   * works in whole milliseconds: delays under about 1 ms come back at once.
   *
   * A source waiting for data produced in JS (timers, sockets, the caller of `runAsync()`)
   * should call `reschedule(5)` in `process()` when it has nothing to send: GPAC otherwise calls
   * a source again at once, in a busy loop. A pending delay is not shortened by a later call, so
   * the delay bounds the latency.
   */
  reschedule(ms = 0): void {
    if (ms <= 0) gpacSymbols().gf_filter_post_process_task(this.handle);
    else gpacSymbols().gf_filter_ask_rt_reschedule(this.handle, Math.round(ms * 1000));
  }

  /**
   * Reports a failure: during setup (`GF_SETUP_ERROR`-style, the filter is removed), or as a
   * notification that may disconnect the filter.
   * @param code `GF_Err` to report.
   * @param setup True for a setup failure.
   * @param disconnect For notifications: also disconnect the filter.
   */
  notifyFailure(code: number, setup = false, disconnect = false): void {
    const s = gpacSymbols();
    if (setup) s.gf_filter_setup_failure(this.handle, code);
    else s.gf_filter_notification_failure(this.handle, code, disconnect ? 1 : 0);
  }

  /** Keeps the filter alive even when all its inputs and outputs are gone. */
  makeSticky(): void {
    gpacSymbols().gf_filter_make_sticky(this.handle);
  }

  /** Disables (true) or restores output blocking for this filter. */
  preventBlocking(prevent: boolean): void {
    gpacSymbols().gf_filter_prevent_blocking(this.handle, prevent ? 1 : 0);
  }

  /** Stops (true) or restores end-of-stream propagation from this filter. */
  blockEos(block: boolean): void {
    gpacSymbols().gf_filter_block_eos(this.handle, block ? 1 : 0);
  }

  /** Accepts up to `n` input PIDs in addition to the first one (default: unlimited). */
  setMaxPids(n: number): void {
    gpacSymbols().gf_filter_set_max_extra_input_pids(this.handle, n >>> 0);
  }

  /**
   * Hints the session clock: media time `mediaTs` corresponds to system time `timeUs`.
   * @param timeUs System time in microseconds.
   * @param mediaTs Media timestamp as `[num, den]`.
   */
  hintClock(timeUs: number | bigint, mediaTs: [number | bigint, number | bigint]): void {
    const frac = i64s(2);
    frac[0] = BigInt(mediaTs[0]);
    frac[1] = BigInt(mediaTs[1]);
    gpacSymbols().gf_filter_hint_single_clock(
      this.handle,
      BigInt(timeUs),
      new Uint8Array(frac.buffer),
    );
  }

  /** True if output blocking is enabled for this filter. */
  get blockEnabled(): boolean {
    return gpacSymbols().gf_filter_block_enabled(this.handle) !== 0;
  }

  /** Maximum output buffer duration requested downstream, in microseconds. */
  get outputBuffer(): number {
    const a = u32s(2);
    gpacSymbols().gf_filter_get_output_buffer_max(this.handle, a.subarray(0, 1), a.subarray(1, 2));
    return a[0];
  }

  /** Maximum playout buffer duration requested downstream, in microseconds. */
  get playoutBuffer(): number {
    const a = u32s(2);
    gpacSymbols().gf_filter_get_output_buffer_max(this.handle, a.subarray(0, 1), a.subarray(1, 2));
    return a[1];
  }

  /** True when every sink fed by this filter is done. */
  get sinksDone(): boolean {
    return gpacSymbols().gf_filter_all_sinks_done(this.handle) !== 0;
  }

  /** Events queued for this filter. */
  get nbEvtsQueued(): number {
    return gpacSymbols().gf_filter_get_num_events_queued(this.handle);
  }

  /** True while PID connections are still being resolved. */
  get connectionsPending(): boolean {
    return gpacSymbols().gf_filter_connections_pending(this.handle) !== 0;
  }

  /** The last clock hint: `{ timeUs, mediaTs: [num, den] }`. */
  get clockHint(): { timeUs: bigint; mediaTs: [bigint, bigint] } {
    const t = u64s(1);
    const f = i64s(2);
    gpacSymbols().gf_filter_get_clock_hint(this.handle, t, new Uint8Array(f.buffer));
    return { timeUs: t[0], mediaTs: [f[0], f[1]] };
  }
}
