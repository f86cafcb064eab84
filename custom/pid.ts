/**
 * PIDs (`GF_FilterPid`) of a TypeScript filter: its inputs and the outputs it creates.
 *
 * @module
 */

import { gpacSymbols, requireSymbol } from "../ffi/library.ts";
import { cstr, pin, readCString, u32s, u8, unpin } from "../ffi/buffers.ts";
import { checkBoolean, checkInt, checkString, checkU32, describe } from "../ffi/checks.ts";
import { GF_BAD_PARAM } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import {
  encodeNamedProp,
  enumNamedProps,
  getNamedInfo,
  getNamedProp,
  propId,
  type PropValue,
  readProp,
} from "../core/props.ts";
import { FilterEvent } from "../core/event.ts";
import { SESSION } from "../core/internal.ts";
import { FilterPacket, packetArg, type PacketRegistry } from "./packet.ts";
import { type PropertyTarget, removeNamedProp, setNamedProp } from "./set_prop.ts";

/** Buffer occupancy of a PID (see {@link FilterPid.bufferOccupancy}). */
export interface BufferOccupancy {
  /** Maximum number of packets. */
  maxUnits: number;
  /** Packets queued. */
  nbPck: number;
  /** Maximum buffer duration in microseconds. */
  maxDuration: number;
  /** Buffered duration in microseconds. */
  duration: number;
}

/** What a PID needs from the filter owning it (implemented by `FilterCustom`). */
export interface PidOwner {
  /** Packets owned by the filter past one callback. */
  readonly registry: PacketRegistry;
  /** Creates a packet whose payload is JS memory, released through `packetRelease`. */
  newSharedPacket(
    opid: FilterPid,
    h: NonNullable<Deno.PointerValue>,
    data: Uint8Array,
  ): FilterPacket;
  /** Forgets an output PID and removes it from the graph (now, or at the next callback). */
  removePid(pid: FilterPid, h: NonNullable<Deno.PointerValue>): void;
  /** Description of the filter for messages. */
  toString(): string;
}

/** Internal hooks of a PID, under the `SESSION` symbol key. */
export interface PidInternals {
  /** The registry of the filter owning the PID. */
  readonly registry: PacketRegistry;
  /** GPAC took the PID back (removed, or its filter destroyed). */
  invalidate(): void;
}

const PID_SET: PropertyTarget = {
  what: "PID property",
  set4cc: (h, p4cc, v) => gpacSymbols().gf_filter_pid_set_property(h, p4cc, v),
  setName: (h, n, v) => gpacSymbols().gf_filter_pid_set_property_dyn(h, n, v),
};
const PID_SET_INFO: PropertyTarget = {
  what: "PID info property",
  set4cc: (h, p4cc, v) => gpacSymbols().gf_filter_pid_set_info(h, p4cc, v),
  setName: (h, n, v) => gpacSymbols().gf_filter_pid_set_info_dyn(h, n, v),
};

/**
 * A PID of a {@link FilterCustom}: an input (given to `configurePid`) or an output (from
 * `newPid()`). The same native PID is always the same object, so PIDs can key Maps and Sets.
 * PIDs are made by their filter, never with `new`.
 */
export class FilterPid {
  #ptr: Deno.PointerValue;
  readonly #owner: PidOwner;
  readonly #isInput: boolean;
  /** The packet object of the current head packet of an input PID, until it is dropped. */
  #head: FilterPacket | null = null;
  /** Free slot for the filter's own state about this PID. */
  udta: unknown = undefined;
  /** Free slot for the output PID a filter associates with this input (as in GPAC's guide). */
  opid: FilterPid | null = null;

  /** @ignore Internal hooks. */
  readonly [SESSION]: PidInternals;

  private constructor(owner: PidOwner, ptr: NonNullable<Deno.PointerValue>, isInput: boolean) {
    this.#owner = owner;
    this.#ptr = ptr;
    this.#isInput = isInput;
    this[SESSION] = {
      registry: owner.registry,
      invalidate: () => {
        this.#head?.[SESSION]("dropped (its PID was removed or its session closed)");
        this.#head = null;
        this.#ptr = null;
      },
    };
  }

  /** @ignore Wraps a native PID (framework use: `FilterCustom`). */
  static [SESSION](
    owner: PidOwner,
    ptr: NonNullable<Deno.PointerValue>,
    isInput: boolean,
  ): FilterPid {
    return new FilterPid(owner, ptr, isInput);
  }

  /** True for an input PID of the filter, false for an output PID it created. */
  get isInput(): boolean {
    return this.#isInput;
  }

  /** False once the PID was removed or its filter destroyed. */
  get alive(): boolean {
    return this.#ptr !== null;
  }

  /** The raw `GF_FilterPid*`; throws once the PID is gone. */
  get handle(): NonNullable<Deno.PointerValue> {
    const p = this.#ptr;
    if (p === null) {
      throw new GpacError(GF_BAD_PARAM, "PID used after it was removed or its session closed");
    }
    return p;
  }

  #input(what: string): NonNullable<Deno.PointerValue> {
    const h = this.handle;
    if (!this.#isInput) throw new GpacError(GF_BAD_PARAM, `${what} is for input PIDs`);
    return h;
  }

  #output(what: string): NonNullable<Deno.PointerValue> {
    const h = this.handle;
    if (this.#isInput) throw new GpacError(GF_BAD_PARAM, `${what} is for output PIDs`);
    return h;
  }

  /** PID name. */
  get name(): string {
    return readCString(gpacSymbols().gf_filter_pid_get_name(this.handle)) ?? "";
  }
  set name(n: string) {
    const h = this.#output("setting the name");
    gpacSymbols().gf_filter_pid_set_name(h, cstr(n, "FilterPid.name"));
  }

  // ---- properties ----

  /** Value of property `name` (e.g. `"Width"`, or a user-defined name), or null. */
  getProp(name: string): PropValue | null {
    const s = gpacSymbols();
    checkString("FilterPid.getProp(name)", name);
    return getNamedProp(
      this.handle,
      name,
      s.gf_filter_pid_get_property,
      s.gf_filter_pid_get_property_str,
    );
  }

  /**
   * Sets a property of an output PID. The value is checked before anything is changed.
   * @param name Built-in or user-defined name.
   * @param value The value; `null` removes the property.
   * @param type `GF_PROP_*` type for a user-defined property (else inferred from the value).
   */
  setProp(name: string, value: PropValue | null, type?: number): void {
    const h = this.#output("setProp()");
    if (value === null) removeNamedProp(PID_SET, h, name);
    else setNamedProp(PID_SET, h, name, value, type);
  }

  /** Value of info property `name` (not part of the PID configuration), or null. */
  getInfo(name: string): PropValue | null {
    const s = gpacSymbols();
    checkString("FilterPid.getInfo(name)", name);
    return getNamedInfo(this.handle, name, s.gf_filter_pid_get_info, s.gf_filter_pid_get_info_str);
  }

  /** Sets an info property of an output PID (does not trigger reconfiguration). */
  setInfo(name: string, value: PropValue | null, type?: number): void {
    const h = this.#output("setInfo()");
    if (value === null) removeNamedProp(PID_SET_INFO, h, name);
    else setNamedProp(PID_SET_INFO, h, name, value, type);
  }

  /** All properties of the PID, by name. */
  enumProps(): Map<string, PropValue | null> {
    const s = gpacSymbols();
    // GPAC 2.4 and 26.02 enumerate nothing on an input PID whose properties were never read
    // (26.07 fixed it): any property read first attaches them, as 26.07 does itself
    if (this.isInput) s.gf_filter_pid_get_property(this.handle, 0);
    return enumNamedProps(this.handle, s.gf_filter_pid_enum_properties);
  }

  /** Copies every property of `from` (usually the matching input PID) onto this output PID. */
  copyProps(from: FilterPid): void {
    const h = this.#output("copyProps()");
    const src = pidArg("copyProps()", from).handle;
    const e = gpacSymbols().gf_filter_pid_copy_properties(h, src);
    if (e < 0) throw new GpacError(e, "cannot copy PID properties");
  }

  /** Removes every property of this output PID. */
  resetProps(): void {
    const e = gpacSymbols().gf_filter_pid_reset_properties(this.#output("resetProps()"));
    if (e < 0) throw new GpacError(e, "cannot reset PID properties");
  }

  // ---- input side ----

  /**
   * The packet at the head of this input PID, or null when none is queued. The packet stays
   * usable until {@link FilterPid.dropPacket}; calling `getPacket()` again before that returns
   * the same object.
   */
  getPacket(): FilterPacket | null {
    const h = this.#input("getPacket()");
    const s = gpacSymbols();
    // a first call without result lets GPAC run the filter's configurePid/processEvent for a
    // property change carried by the head packet (see ffi/symbols.ts on fast calls)
    s.gf_filter_pid_prepare_packet(h);
    const p = s.gf_filter_pid_get_packet(h);
    const head = this.#head;
    if (p === null) {
      if (head) this.#dropHead(head, "dropped by GPAC");
      return null;
    }
    if (head) {
      if (Deno.UnsafePointer.equals(head.handle, p)) return head;
      this.#dropHead(head, "dropped by GPAC");
    }
    return (this.#head = FilterPacket[SESSION]("input", this, p, null));
  }

  #dropHead(head: FilterPacket, reason: string): void {
    head[SESSION](reason);
    this.#head = null;
  }

  /** Releases the head packet of this input PID; its packet object becomes unusable. */
  dropPacket(): void {
    const h = this.#input("dropPacket()");
    const head = this.#head;
    if (head) this.#dropHead(head, "dropped");
    gpacSymbols().gf_filter_pid_drop_packet(h);
  }

  /** Packets queued on this input PID. */
  get nbPckQueued(): number {
    return gpacSymbols().gf_filter_pid_get_packet_count(this.handle);
  }

  /** Buffered duration of this input PID, in microseconds. */
  get buffer(): number {
    return Number(gpacSymbols().gf_filter_pid_query_buffer_duration(this.handle, 0));
  }

  /** True once the buffer of this input PID is full. */
  get bufferFull(): boolean {
    return gpacSymbols().gf_filter_pid_query_buffer_duration(this.handle, 1) !== 0n;
  }

  /** Buffer occupancy. */
  get bufferOccupancy(): BufferOccupancy {
    const a = u32s(4);
    gpacSymbols().gf_filter_pid_get_buffer_occupancy(
      this.handle,
      a.subarray(0, 1),
      a.subarray(1, 2),
      a.subarray(2, 3),
      a.subarray(3, 4),
    );
    return { maxUnits: a[0], nbPck: a[1], maxDuration: a[2], duration: a[3] };
  }

  /**
   * Input PIDs: true once the PID reached end of stream. Output PIDs: write-only, setting it
   * signals the end of stream (reading it throws: GPAC cannot tell, and would only log an
   * error and answer false).
   */
  get eos(): boolean {
    return gpacSymbols().gf_filter_pid_is_eos(this.#input("reading eos")) !== 0;
  }
  set eos(v: boolean) {
    checkBoolean("FilterPid.eos", v);
    if (!v) {
      this.clearEos();
      return;
    }
    gpacSymbols().gf_filter_pid_set_eos(this.#output("setting eos"));
  }

  /** True if end of stream was seen on this input PID, even if packets remain. */
  get hasSeenEos(): boolean {
    return gpacSymbols().gf_filter_pid_has_seen_eos(this.handle) !== 0;
  }

  /** Clears the end-of-stream state. */
  clearEos(allPids = false): void {
    checkBoolean("FilterPid.clearEos(allPids)", allPids);
    gpacSymbols().gf_filter_pid_clear_eos(this.handle, allPids ? 1 : 0);
  }

  /** Timescale of the PID. */
  get timescale(): number {
    return gpacSymbols().gf_filter_pid_get_timescale(this.handle);
  }

  /** True if the filter's input capabilities still match this PID. */
  checkCaps(): boolean {
    return gpacSymbols().gf_filter_pid_check_caps(this.handle) !== 0;
  }

  /** Asks downstream filters what they accept for capability `name`. */
  queryCap(name: string): PropValue | null {
    const s = gpacSymbols();
    const h = this.handle;
    const p4cc = propId(checkString("FilterPid.queryCap(name)", name));
    const p = p4cc
      ? s.gf_filter_pid_caps_query(h, p4cc)
      : s.gf_filter_pid_caps_query_str(h, cstr(name));
    return readProp(p, name);
  }

  /** Asks the upstream filter of this input PID to change property `name` to `value`. */
  negotiateCap(name: string, value: PropValue, type?: number): void {
    const h = this.#input("negotiateCap()");
    checkString("FilterPid.negotiateCap(name)", name);
    const { p4cc, prop } = encodeNamedProp(name, value, type);
    const fn = p4cc
      ? gpacSymbols().gf_filter_pid_negotiate_property ??
        requireSymbol("gf_filter_pid_negociate_property")
      : null;
    const strFn = p4cc ? null : requireSymbol("gf_filter_pid_negotiate_property_str");
    pin(prop.keep);
    let e: number;
    try {
      e = fn ? fn(h, p4cc, prop.bytes) : strFn!(h, cstr(name), prop.bytes);
    } finally {
      unpin();
    }
    if (e < 0) throw new GpacError(e, `cannot negotiate ${name} = ${String(value)}`);
  }

  /** Sends an event on this PID (upstream on an input, downstream on an output). */
  sendEvent(evt: FilterEvent): void {
    if (!(evt instanceof FilterEvent)) {
      throw new TypeError(`FilterPid.sendEvent(): expected a FilterEvent, got ${describe(evt)}`);
    }
    const h = this.handle;
    evt.onPid = h;
    gpacSymbols().gf_filter_pid_send_event(h, evt.bytes);
  }

  // ---- output side ----

  /** True if sending more packets on this output PID would exceed its buffer. */
  get wouldBlock(): boolean {
    return gpacSymbols().gf_filter_pid_would_block(this.handle) !== 0;
  }

  /** Maximum buffer duration of the PID in microseconds. */
  get maxBuffer(): number {
    return gpacSymbols().gf_filter_pid_get_max_buffer(this.handle);
  }
  set maxBuffer(us: number) {
    const v = checkU32("FilterPid.maxBuffer", us);
    gpacSymbols().gf_filter_pid_set_max_buffer(this.handle, v);
  }

  /** True while the PID is playing (a PLAY event reached it and no STOP followed). */
  get isPlaying(): boolean {
    return gpacSymbols().gf_filter_pid_is_playing(this.handle) !== 0;
  }

  /** Forwards an input packet unchanged on this output PID (no copy). */
  forward(pck: FilterPacket): void {
    const h = this.#output("forward()");
    const src = packetArg("forward()", pck).handle;
    const e = gpacSymbols().gf_filter_pck_forward(src, h);
    if (e < 0) throw new GpacError(e, "cannot forward packet");
  }

  #newPacket(p: Deno.PointerValue, what: string): FilterPacket {
    if (!p) throw new GpacError(GF_BAD_PARAM, `cannot create packet (${what})`);
    return FilterPacket[SESSION]("output", this, p, this.#owner.registry);
  }

  /** A new packet with `size` bytes of writable payload, allocated by GPAC. */
  newPck(size: number): FilterPacket {
    const h = this.#output("newPck()");
    const n = checkU32("FilterPid.newPck(size)", size);
    const p = gpacSymbols().gf_filter_pck_new_alloc(h, n, null);
    return this.#newPacket(p, `alloc ${size}`);
  }

  /**
   * A new packet referencing (part of) the payload of input packet `src`, without copying.
   * @param src The input packet.
   * @param size Bytes to reference (default: to the end).
   * @param offset Start offset in `src`.
   */
  newPckRef(src: FilterPacket, size?: number, offset = 0): FilterPacket {
    const h = this.#output("newPckRef()");
    const total = packetArg("newPckRef()", src).size;
    const off = checkInt("FilterPid.newPckRef(offset)", offset, 0, total);
    const n = size === undefined
      ? total - off
      : checkInt("FilterPid.newPckRef(size)", size, 0, total - off);
    const p = gpacSymbols().gf_filter_pck_new_ref(h, off, n, src.handle);
    return this.#newPacket(p, "ref");
  }

  /**
   * A new packet whose payload is `data`, owned by JS (no copy). `data` stays referenced until
   * GPAC is done with the packet; then the filter's `packetRelease(opid, pck)` is called once.
   * In a `threads: N` session, where GPAC may release the packet on a worker thread, the payload
   * is copied instead and `packetRelease` comes at the end of the callback that made the packet.
   */
  newPckShared(data: Uint8Array): FilterPacket {
    return this.#owner.newSharedPacket(this, this.#output("newPckShared()"), data);
  }

  /** A new packet with a copy of the payload and properties of `src`. */
  newPckCopy(src: FilterPacket): FilterPacket {
    const h = this.#output("newPckCopy()");
    const p = gpacSymbols().gf_filter_pck_new_copy(h, packetArg("newPckCopy()", src).handle, null);
    return this.#newPacket(p, "copy");
  }

  /**
   * A new packet cloning `src`: shares the payload when possible, copies it when `src` is
   * read-only or a frame interface, so the result is always writable.
   */
  newPckClone(src: FilterPacket): FilterPacket {
    const h = this.#output("newPckClone()");
    const p = gpacSymbols().gf_filter_pck_new_clone(
      h,
      packetArg("newPckClone()", src).handle,
      null,
    );
    return this.#newPacket(p, "clone");
  }

  /**
   * Resolves a file name template (`$Number$`, `$Time$` …) for this PID.
   * @param template The template.
   * @param fileNumber Number substituted for `$Number$`.
   * @param suffix Optional suffix.
   */
  resolveTemplate(template: string, fileNumber = 0, suffix?: string): string {
    const h = this.handle;
    const out = u8(4096); // GF_MAX_PATH
    const e = gpacSymbols().gf_filter_pid_resolve_file_template(
      h,
      cstr(template, "FilterPid.resolveTemplate(template)"),
      out,
      checkU32("FilterPid.resolveTemplate(fileNumber)", fileNumber),
      suffix === undefined ? null : cstr(suffix, "FilterPid.resolveTemplate(suffix)"),
    );
    if (e < 0) throw new GpacError(e, `cannot resolve template "${template}"`);
    return readCString(Deno.UnsafePointer.of(out)) ?? "";
  }

  /** Removes this output PID from the graph. */
  remove(): void {
    const h = this.#output("remove()");
    this.#owner.removePid(this, h);
  }

  /** Short description for logs. */
  toString(): string {
    return this.alive
      ? `FilterPid(${this.#isInput ? "in" : "out"} ${this.name})`
      : "FilterPid(removed)";
  }
}

/** Checks that `v` is a live {@link FilterPid} (for methods taking one). */
export function pidArg(what: string, v: unknown): FilterPid {
  if (!(v instanceof FilterPid)) {
    throw new TypeError(`${what}: expected a FilterPid, got ${describe(v)}`);
  }
  return v;
}
