/**
 * Filters written in TypeScript (`FilterCustom`), the equivalent of libgpac.py's
 * `FilterCustom`: sources, sinks and in-between filters that sit anywhere in a GPAC pipeline.
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import {
  addressOf,
  cstr,
  i64s,
  OutU32,
  pin,
  toNativeMemory,
  u32s,
  u64s,
  unpin,
} from "../ffi/buffers.ts";
import {
  checkI32,
  checkInt,
  checkString,
  checkU32,
  checkU64,
  checkU8,
  describe,
} from "../ffi/checks.ts";
import {
  GF_BAD_PARAM,
  GF_EOS,
  GF_FEVT_BUFFER_REQ,
  GF_FS_REG_MAIN_THREAD,
  GF_NOT_SUPPORTED,
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
import { guarded } from "../core/guard.ts";
import type { FilterSession } from "../core/session.ts";
import { FilterPid, pidArg, type PidOwner } from "./pid.ts";
import { FilterPacket } from "./packet.ts";

const CB_CONFIGURE = { parameters: ["pointer", "pointer", "u32"], result: "i32" } as const;
// process(GF_Filter *filter): the argument is not declared, so that Deno does not wrap it in a
// pointer object on every call (the caller passes it in a register and cleans up; the JS side
// knows its filter already). This is the one callback GPAC makes per packet.
const CB_PROCESS = { parameters: [], result: "i32" } as const;
const CB_EVENT = { parameters: ["pointer", "pointer"], result: "u32" } as const;
const CB_RECONF = { parameters: ["pointer", "pointer"], result: "i32" } as const;
const CB_RELEASE = { parameters: ["pointer", "pointer", "pointer"], result: "void" } as const;

/** Options of {@link FilterCustom}. */
export interface FilterCustomOptions {
  /** Extra `GF_FS_REG_*` flags (`GF_FS_REG_MAIN_THREAD` is always set). */
  flags?: number;
  /**
   * How much media (in microseconds) upstream may queue on each input PID before it blocks,
   * asked with a `GF_FEVT_BUFFER_REQ` event for this PID only when the PID is first configured
   * (a request the filter sends itself in `configurePid` wins). GPAC's own default (about 1 ms,
   * often a single packet) makes it call `process()` once per packet; a larger buffer lets one
   * `process()` call find several packets queued, which divides the cost of the C→JS crossing
   * and of GPAC's scheduling among them (and, in a `threads: N` session, of each hand-over
   * between a worker thread and the JS thread). It lets upstream run that far ahead of the
   * filter (memory); it adds no latency to live sources, whose packets are handed over as they
   * come.
   *
   * Unset: {@link DEFAULT_INPUT_BUFFER_US} on every input PID except raw video (where frames
   * are large and a call per frame costs nothing next to the frame's own work), which keeps
   * GPAC's default. `0`: GPAC's default on every PID (one `process()` call per packet).
   */
  inputBuffer?: number;
}

/**
 * The input buffer (µs) a {@link FilterCustom} asks for on its non-raw-video input PIDs when
 * `options.inputBuffer` is unset: 100 ms, a few packets per `process()` call (5 for AAC), while
 * a filter that holds packets back (pacing) lets upstream run at most that far ahead
 * (`deno task bench --sections 1` measures the per-packet cost with it and with `inputBuffer: 0`).
 */
export const DEFAULT_INPUT_BUFFER_US = 100_000;

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

/** What `reconfigureOutput` answers by default: the filter cannot change its output format. */
const RECONFIGURE_UNSUPPORTED = GF_NOT_SUPPORTED;

/** True for an uncompressed video PID (the automatic input buffer leaves those alone). */
function isRawVideo(pid: FilterPid): boolean {
  return pid.getProp("StreamType") === "Visual" && pid.getProp("CodecID") === "raw";
}

/**
 * Checks what a user callback returned: a `GF_Err` number, or nothing for `GF_OK`.
 * @param what The callback, for the message.
 */
function callbackResult(what: string, r: unknown): number {
  if (r === undefined || r === null) return GF_OK;
  if (typeof r === "number" && Number.isInteger(r) && r >= -0x80000000 && r <= 0x7fffffff) {
    return r;
  }
  const hint = r instanceof Promise ? " (callbacks cannot be async)" : "";
  throw new TypeError(
    `${what} must return a GF_Err number or nothing, got ${describe(r)}${hint}`,
  );
}

/**
 * A filter implemented in TypeScript. Subclass it, declare capabilities with `pushCap`, and
 * override `configurePid`, `process`, `processEvent`, `reconfigureOutput` and
 * `packetRelease` as needed. All callbacks run on the JS thread (the filter is pinned to
 * GPAC's main thread, also in multi-threaded sessions). An exception thrown by a callback stops
 * the session and is rethrown by `run()` with its original stack.
 *
 * The framework keeps its state in private fields: a subclass may declare fields of any name
 * (even `ipids`, `opids` or `session`) without breaking it.
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
  readonly #session: FilterSession;
  readonly #ptr: NonNullable<Deno.PointerValue>;
  #alive = true;
  readonly #ipids: FilterPid[] = [];
  readonly #opids: FilterPid[] = [];
  /** Frozen copies handed out by the `ipids`/`opids` getters, rebuilt when a PID comes or goes. */
  #ipidsView: readonly FilterPid[] = Object.freeze([]);
  #opidsView: readonly FilterPid[] = Object.freeze([]);
  readonly #pids = new Map<bigint, FilterPid>();
  readonly #shared = new Map<bigint, SharedEntry>();
  /** Output packets, references and clones not yet sent/released (invalidated with the filter). */
  readonly #packets = new Set<FilterPacket>();
  readonly #callbacks: { close(): void }[] = [];
  #releaseCb: Deno.UnsafeCallback<typeof CB_RELEASE> | null = null;
  /** True while `process()` runs, and the output PIDs it created so far. */
  #inProcess = false;
  readonly #newThisCall = new Set<FilterPid>();
  readonly #pendingRemovals: NonNullable<Deno.PointerValue>[] = [];
  /**
   * `newPckShared()` packets of a `threads: N` session, made as copies: their `packetRelease`
   * notices, delivered at the end of the callback that made them.
   */
  readonly #copiedShared: { opid: FilterPid; pck: FilterPacket }[] = [];
  /** `options.inputBuffer`, in microseconds (0: GPAC's default; undefined: automatic). */
  readonly #inputBuffer: number | undefined;
  /** What PIDs need from this filter (kept out of the public API). */
  readonly #pidOwner: PidOwner;

  /**
   * Creates the filter in `session`.
   * @param session The session.
   * @param name Filter name (shown in graphs and logs).
   * @param options Register flags.
   */
  constructor(session: FilterSession, name = "Custom", options: FilterCustomOptions = {}) {
    const ptr = FilterCustom.#create(session, name, options);
    const onGone = { run: () => {} }; // `this` exists only after super()
    super(session, ptr, () => onGone.run());
    onGone.run = () => this.#invalidate();
    this.#session = session;
    this.#ptr = ptr;
    this.#inputBuffer = options.inputBuffer; // checked by #create
    const packets = this.#packets;
    this.#pidOwner = {
      registry: { add: (p) => packets.add(p), delete: (p) => packets.delete(p) },
      newSharedPacket: (opid, h, data) => this.#newSharedPacket(opid, h, data),
      removePid: (pid, h) => this.#removePid(pid, h),
      toString: () => String(this),
    };
    const internals = session[SESSION];
    internals.register(this);
    const s = gpacSymbols();
    const h = ptr;
    const fail = (e: unknown) => internals.fail(e);
    const configure = new Deno.UnsafeCallback(
      CB_CONFIGURE,
      guarded({ fail }, GF_OK, (_f, pid, isRemove) => {
        if (!pid || !this.#alive) return GF_OK;
        this.#flushRemovals();
        return this.#configure(pid, isRemove !== 0);
      }),
    );
    // the per-packet callback: guarded inline (no rest/spread wrapper), no argument to convert
    const process = new Deno.UnsafeCallback(CB_PROCESS, (): number => {
      try {
        return this.#process();
      } catch (e) {
        fail(e);
        return GF_OK;
      }
    });
    const event = new Deno.UnsafeCallback(
      CB_EVENT,
      guarded({ fail }, 0, (_f, evt) => {
        if (!evt || !this.#alive) return 0;
        return this.processEvent(FilterEvent.fromNative(evt)) ? 1 : 0;
      }),
    );
    const reconf = new Deno.UnsafeCallback(
      CB_RECONF,
      guarded({ fail }, GF_OK, (_f, pid) => {
        if (!pid || !this.#alive) return GF_OK;
        return callbackResult("reconfigureOutput()", this.reconfigureOutput(this.#pid(pid, false)));
      }),
    );
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
    options: FilterCustomOptions,
  ): NonNullable<Deno.PointerValue> {
    if (
      session === null || typeof session !== "object" ||
      typeof (session as Partial<FilterSession>)[SESSION] !== "object"
    ) {
      throw new TypeError(`FilterCustom: expected a FilterSession, got ${describe(session)}`);
    }
    const cname = cstr(name, "FilterCustom name");
    if (options === null || typeof options !== "object") {
      throw new TypeError(`FilterCustom options: expected an object, got ${describe(options)}`);
    }
    const flags = checkU32("FilterCustom options.flags", options.flags ?? 0);
    if (options.inputBuffer !== undefined) {
      checkU32("FilterCustom options.inputBuffer", options.inputBuffer);
    }
    const err = new OutU32();
    const f = gpacSymbols().gf_fs_new_filter(
      session[SESSION].ptr(),
      cname,
      (flags | GF_FS_REG_MAIN_THREAD) >>> 0,
      err.buf,
    );
    if (!f || err.signed < 0) {
      throw new GpacError(err.signed || GF_BAD_PARAM, `cannot create custom filter "${name}"`);
    }
    return f;
  }

  /** The raw `GF_Filter*` (throws once the filter is gone), immune to subclass fields. */
  #h(): NonNullable<Deno.PointerValue> {
    if (!this.#alive || this.#session[SESSION].isClosed()) {
      throw new GpacError(GF_BAD_PARAM, "filter was destroyed or its session closed");
    }
    return this.#ptr;
  }

  /** One `process()` call from GPAC. */
  #process(): number {
    if (!this.#alive) return GF_OK;
    if (this.#pendingRemovals.length !== 0) this.#flushRemovals();
    this.#inProcess = true;
    let r: unknown;
    try {
      r = this.process();
    } finally {
      this.#inProcess = false;
      if (this.#newThisCall.size !== 0) this.#newThisCall.clear();
      if (this.#copiedShared.length !== 0) this.#releaseCopies();
    }
    const e = r === undefined || r === GF_OK ? GF_OK : callbackResult("process()", r);
    // GPAC keeps rescheduling a filter without any PID that reports success, as it would a
    // source: with nothing connected yet, report "nothing to do" until a PID shows up
    if (e === GF_OK && this.#ipids.length === 0 && this.#opids.length === 0) return GF_EOS;
    return e;
  }

  #pid(ptr: NonNullable<Deno.PointerValue>, isInput: boolean): FilterPid {
    const key = addressOf(ptr);
    let p = this.#pids.get(key);
    if (!p) {
      p = FilterPid[SESSION](this.#pidOwner, ptr, isInput);
      this.#pids.set(key, p);
    }
    return p;
  }

  #configure(ptr: NonNullable<Deno.PointerValue>, isRemove: boolean): number {
    const pid = this.#pid(ptr, true);
    if (!isRemove && this.#inputBuffer !== 0 && !this.#ipids.includes(pid)) {
      // before configurePid(), so that a request the filter makes there wins
      const us = this.#inputBuffer ?? (isRawVideo(pid) ? 0 : DEFAULT_INPUT_BUFFER_US);
      if (us !== 0) {
        const req = new FilterEvent(GF_FEVT_BUFFER_REQ);
        req.bufferReq.maxBufferUs = us;
        req.bufferReq.maxPlayoutUs = us;
        req.bufferReq.pidOnly = true;
        pid.sendEvent(req);
      }
    }
    const r = callbackResult("configurePid()", this.configurePid(pid, isRemove));
    if (isRemove) {
      const i = this.#ipids.indexOf(pid);
      if (i >= 0) {
        this.#ipids.splice(i, 1);
        this.#ipidsView = Object.freeze([...this.#ipids]);
      }
      this.#pids.delete(addressOf(ptr));
      pid[SESSION].invalidate();
    } else if (r >= 0 && !this.#ipids.includes(pid)) {
      this.#ipids.push(pid);
      this.#ipidsView = Object.freeze([...this.#ipids]);
    }
    return r;
  }

  #removePid(pid: FilterPid, h: NonNullable<Deno.PointerValue>): void {
    const i = this.#opids.indexOf(pid);
    if (i >= 0) {
      this.#opids.splice(i, 1);
      this.#opidsView = Object.freeze([...this.#opids]);
    }
    this.#pids.delete(addressOf(h));
    pid[SESSION].invalidate();
    // GPAC's scheduler spins forever when a PID is removed in the process() call that created
    // it: such a removal is done at the start of the next callback instead
    if (this.#inProcess && this.#newThisCall.has(pid)) {
      this.#pendingRemovals.push(h);
      gpacSymbols().gf_filter_post_process_task(this.#ptr); // so that a next call comes
    } else {
      gpacSymbols().gf_filter_pid_remove(h);
    }
  }

  /** Removes the PIDs whose removal was deferred (see `#removePid`). */
  #flushRemovals(): void {
    if (this.#pendingRemovals.length === 0) return;
    const s = gpacSymbols();
    for (const h of this.#pendingRemovals.splice(0)) s.gf_filter_pid_remove(h);
  }

  /** GPAC destroyed the filter or the session closed: every PID and packet becomes unusable. */
  #invalidate(): void {
    this.#alive = false;
    this.#pendingRemovals.length = 0; // GPAC frees them with the filter
    for (const p of this.#pids.values()) p[SESSION].invalidate();
    this.#pids.clear();
    this.#ipids.length = 0;
    this.#opids.length = 0;
    this.#ipidsView = this.#opidsView = Object.freeze([]);
    for (const p of [...this.#packets]) {
      p[SESSION]("released (its filter or session is gone)");
    }
    this.#packets.clear();
    // GPAC no longer calls this filter's callbacks; shared packets still alive are freed by
    // GPAC with the filter, so their JS buffers can go too.
    for (const e of this.#shared.values()) {
      e.pck[SESSION]("released (its filter or session is gone)");
    }
    this.#shared.clear();
    const cbs = this.#callbacks.splice(0);
    if (this.#releaseCb) cbs.push(this.#releaseCb);
    this.#releaseCb = null;
    this.#session[SESSION].deferClose(cbs);
  }

  /** Input PIDs, in the order they were configured (a read-only snapshot). */
  get ipids(): readonly FilterPid[] {
    return this.#ipidsView;
  }

  /** Output PIDs created with `newPid()` (a read-only snapshot). */
  get opids(): readonly FilterPid[] {
    return this.#opidsView;
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
    return RECONFIGURE_UNSUPPORTED;
  }

  /**
   * GPAC released a packet made with `newPckShared()`: its data may be reused. (In a
   * `threads: N` session such packets are copies, released at the end of the callback that
   * made them.)
   */
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
    const h = this.#h();
    checkString("pushCap(name)", name);
    checkU32("pushCap(flags)", flags);
    checkU8("pushCap(priority)", priority);
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
      owned = toNativeMemory(cstr(String(value)), s.gf_malloc);
      new DataView(prop.bytes.buffer).setBigUint64(PV.value, addressOf(owned), true);
    }
    pin(prop.keep);
    let e: number;
    try {
      e = s.gf_filter_push_caps(h, p4cc, prop.bytes, p4cc ? null : cstr(name), flags, priority);
    } finally {
      unpin();
    }
    if (e < 0) {
      if (owned) s.gf_free(owned);
      throw new GpacError(e, `cannot push capability ${name}=${String(value)}`);
    }
  }

  /** Creates an output PID (with an empty property set until properties are set on it). */
  newPid(): FilterPid {
    const s = gpacSymbols();
    const p = s.gf_filter_pid_new(this.#h());
    if (!p) throw new GpacError(GF_BAD_PARAM, `cannot create an output PID on ${this}`);
    // GPAC exits the process ("Fatal error pidi->props") when a consumer reads a PID that has
    // no property map yet, e.g. after the first setProp() was refused: give it an empty one
    s.gf_filter_pid_reset_properties(p);
    const pid = this.#pid(p, false);
    if (this.#inProcess) this.#newThisCall.add(pid);
    this.#opids.push(pid);
    this.#opidsView = Object.freeze([...this.#opids]);
    return pid;
  }

  /**
   * Gives input `pid` its output PID (created on the first call, stored in `pid.opid`) and copies
   * the input's properties onto it: what `configurePid` does in most in-between filters.
   */
  mirrorPid(pid: FilterPid): FilterPid {
    pidArg("mirrorPid()", pid);
    const opid = (pid.opid ??= this.newPid());
    opid.copyProps(pid);
    return opid;
  }

  /** Delivers the `packetRelease` notices of the copies made by `#newSharedPacket`. */
  #releaseCopies(): void {
    for (const { opid, pck } of this.#copiedShared.splice(0)) {
      if (this.#alive) this.packetRelease(opid, pck);
    }
  }

  /** Creates a shared packet (see `FilterPid.newPckShared`). */
  #newSharedPacket(
    opid: FilterPid,
    h: NonNullable<Deno.PointerValue>,
    data: Uint8Array,
  ): FilterPacket {
    if (!(data instanceof Uint8Array) || data.byteLength === 0) {
      throw new TypeError(
        `newPckShared(): expected a non-empty Uint8Array, got ${describe(data)}${
          data instanceof Uint8Array ? " of 0 bytes" : ""
        }`,
      );
    }
    if (this.#session[SESSION].threads !== 0) {
      // GPAC releases a shared packet where its last user drops it, which in a threads: N
      // session can be a worker thread; a JS callback called there waits for the JS thread,
      // itself inside gf_fs_run waiting for that worker: a deadlock. The payload is copied into
      // a packet GPAC owns instead, and `data` can be reused as soon as the callback that made
      // the packet returns: its packetRelease notice comes then.
      const pck = opid.newPck(data.byteLength);
      pck.data.set(data);
      this.#copiedShared.push({ opid, pck });
      if (!this.#inProcess) queueMicrotask(() => this.#releaseCopies());
      return pck;
    }
    if (!this.#releaseCb) {
      const fail = (e: unknown) => this.#session[SESSION].fail(e);
      this.#releaseCb = new Deno.UnsafeCallback(
        CB_RELEASE,
        guarded({ fail }, undefined, (_f, _pid, pck) => {
          const key = addressOf(pck);
          const entry = this.#shared.get(key);
          if (!entry) return;
          this.#shared.delete(key);
          entry.pck[SESSION]("released by GPAC");
          this.packetRelease(entry.opid, entry.pck);
        }),
      );
    }
    const p = gpacSymbols().gf_filter_pck_new_shared(
      h,
      data as Uint8Array<ArrayBuffer>,
      data.byteLength,
      this.#releaseCb.pointer,
    );
    if (!p) throw new GpacError(GF_BAD_PARAM, "cannot create shared packet");
    const pck = FilterPacket[SESSION]("output", opid, p, this.#pidOwner.registry);
    this.#shared.set(addressOf(p), { data, pck, opid }); // data stays referenced until release
    return pck;
  }

  /** Number of shared packets GPAC has not released yet. */
  get nbSharedPending(): number {
    return this.#shared.size + this.#copiedShared.length;
  }

  /** Sets the status text and progress (percent × 100) shown by GPAC. */
  updateStatus(percent: number, status: string): void {
    const p = checkInt("updateStatus(percent)", percent, 0, 10000);
    gpacSymbols().gf_filter_update_status(this.#h(), p, cstr(status, "updateStatus(status)"));
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
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0 || ms > 0xffffffff / 1000) {
      throw new RangeError(
        `reschedule(ms): expected a finite delay in [0, ${Math.floor(0xffffffff / 1000)}] ms, got ${
          describe(ms)
        }`,
      );
    }
    if (ms === 0) gpacSymbols().gf_filter_post_process_task(this.#h());
    else gpacSymbols().gf_filter_ask_rt_reschedule(this.#h(), Math.round(ms * 1000));
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
    const e = checkI32("notifyFailure(code)", code);
    if (setup) s.gf_filter_setup_failure(this.#h(), e);
    else s.gf_filter_notification_failure(this.#h(), e, disconnect ? 1 : 0);
  }

  /** Keeps the filter alive even when all its inputs and outputs are gone. */
  makeSticky(): void {
    gpacSymbols().gf_filter_make_sticky(this.#h());
  }

  /** Disables (true) or restores output blocking for this filter. */
  preventBlocking(prevent: boolean): void {
    gpacSymbols().gf_filter_prevent_blocking(this.#h(), prevent ? 1 : 0);
  }

  /** Stops (true) or restores end-of-stream propagation from this filter. */
  blockEos(block: boolean): void {
    gpacSymbols().gf_filter_block_eos(this.#h(), block ? 1 : 0);
  }

  /** Accepts up to `n` input PIDs in addition to the first one (default: unlimited). */
  setMaxPids(n: number): void {
    gpacSymbols().gf_filter_set_max_extra_input_pids(this.#h(), checkU32("setMaxPids(n)", n));
  }

  /**
   * Hints the session clock: media time `mediaTs` corresponds to system time `timeUs`.
   * @param timeUs System time in microseconds.
   * @param mediaTs Media timestamp as `[num, den]`.
   */
  hintClock(timeUs: number | bigint, mediaTs: [number | bigint, number | bigint]): void {
    if (!Array.isArray(mediaTs) || mediaTs.length !== 2) {
      throw new TypeError(`hintClock(mediaTs): expected [num, den], got ${describe(mediaTs)}`);
    }
    const frac = i64s(2);
    const num = mediaTs[0];
    if (typeof num !== "bigint" && !Number.isSafeInteger(num)) {
      throw new TypeError(`hintClock(mediaTs[0]): expected an integer, got ${describe(num)}`);
    }
    frac[0] = BigInt(num);
    frac[1] = checkU64("hintClock(mediaTs[1])", mediaTs[1]);
    gpacSymbols().gf_filter_hint_single_clock(
      this.#h(),
      checkU64("hintClock(timeUs)", timeUs),
      new Uint8Array(frac.buffer),
    );
  }

  /** True if output blocking is enabled for this filter. */
  get blockEnabled(): boolean {
    return gpacSymbols().gf_filter_block_enabled(this.#h()) !== 0;
  }

  /** Maximum output buffer duration requested downstream, in microseconds. */
  get outputBuffer(): number {
    const a = u32s(2);
    gpacSymbols().gf_filter_get_output_buffer_max(this.#h(), a.subarray(0, 1), a.subarray(1, 2));
    return a[0];
  }

  /** Maximum playout buffer duration requested downstream, in microseconds. */
  get playoutBuffer(): number {
    const a = u32s(2);
    gpacSymbols().gf_filter_get_output_buffer_max(this.#h(), a.subarray(0, 1), a.subarray(1, 2));
    return a[1];
  }

  /** True when every sink fed by this filter is done. */
  get sinksDone(): boolean {
    return gpacSymbols().gf_filter_all_sinks_done(this.#h()) !== 0;
  }

  /** Events queued for this filter. */
  get nbEvtsQueued(): number {
    return gpacSymbols().gf_filter_get_num_events_queued(this.#h());
  }

  /** True while PID connections are still being resolved. */
  get connectionsPending(): boolean {
    return gpacSymbols().gf_filter_connections_pending(this.#h()) !== 0;
  }

  /** The last clock hint: `{ timeUs, mediaTs: [num, den] }`. */
  get clockHint(): { timeUs: bigint; mediaTs: [bigint, bigint] } {
    const t = u64s(1);
    const f = i64s(2);
    gpacSymbols().gf_filter_get_clock_hint(this.#h(), t, new Uint8Array(f.buffer));
    return { timeUs: t[0], mediaTs: [f[0], f[1]] };
  }
}
