/**
 * PIDs (`GF_FilterPid`) of a TypeScript filter: its inputs and the outputs it creates.
 *
 * @module
 */

import { gpacSymbols, requireSymbol } from "../ffi/library.ts";
import { cstr, readCString, u32s, u8 } from "../ffi/cstring.ts";
import { GF_BAD_PARAM } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import {
  encodeNamedProp,
  enumNamedProps,
  getNamedInfo,
  getNamedProp,
  keepAlive,
  propId,
  type PropValue,
  readProp,
} from "../core/props.ts";
import type { FilterEvent } from "../core/event.ts";
import { FilterPacket } from "./packet.ts";
import type { FilterCustom } from "./custom.ts";

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

/**
 * A PID of a {@link FilterCustom}: an input (given to `configurePid`) or an output (from
 * `newPid()`). The same native PID is always the same object, so PIDs can key Maps and Sets.
 */
export class FilterPid {
  #ptr: Deno.PointerValue;
  readonly #filter: FilterCustom;
  /** True for an input PID of the filter, false for an output PID it created. */
  readonly isInput: boolean;
  /** The reusable view on the packet at the head of an input PID. */
  readonly #head: FilterPacket;
  /** Free slot for the filter's own state about this PID. */
  udta: unknown = undefined;
  /** Free slot for the output PID a filter associates with this input (as in GPAC's guide). */
  opid: FilterPid | null = null;

  /** @ignore PIDs are created by custom filters. */
  constructor(filter: FilterCustom, ptr: NonNullable<Deno.PointerValue>, isInput: boolean) {
    this.#filter = filter;
    this.#ptr = ptr;
    this.isInput = isInput;
    this.#head = new FilterPacket("input", this);
  }

  /** The filter owning this PID. */
  get filter(): FilterCustom {
    return this.#filter;
  }

  /** False once the PID was removed or its filter destroyed. */
  get alive(): boolean {
    return this.#ptr !== null;
  }

  /** @ignore GPAC took the PID back. */
  invalidate(): void {
    this.#head.detach();
    this.#ptr = null;
  }

  /** The raw `GF_FilterPid*`; throws once the PID is gone. */
  get handle(): NonNullable<Deno.PointerValue> {
    const p = this.#ptr;
    if (p === null) throw new GpacError(GF_BAD_PARAM, "PID used after it was removed");
    return p;
  }

  #input(what: string): NonNullable<Deno.PointerValue> {
    if (!this.isInput) throw new GpacError(GF_BAD_PARAM, `${what} is for input PIDs`);
    return this.handle;
  }

  #output(what: string): NonNullable<Deno.PointerValue> {
    if (this.isInput) throw new GpacError(GF_BAD_PARAM, `${what} is for output PIDs`);
    return this.handle;
  }

  /** PID name. */
  get name(): string {
    return readCString(gpacSymbols().gf_filter_pid_get_name(this.handle)) ?? "";
  }
  set name(n: string) {
    gpacSymbols().gf_filter_pid_set_name(this.#output("setting the name"), cstr(n));
  }

  // ---- properties ----

  /** Value of property `name` (e.g. `"Width"`, or a user-defined name), or null. */
  getProp(name: string): PropValue | null {
    const s = gpacSymbols();
    return getNamedProp(
      this.handle,
      name,
      s.gf_filter_pid_get_property,
      s.gf_filter_pid_get_property_str,
    );
  }

  /**
   * Sets a property of an output PID.
   * @param name Built-in or user-defined name.
   * @param value The value; `null` removes the property.
   * @param type `GF_PROP_*` type for a user-defined property (else inferred from the value).
   */
  setProp(name: string, value: PropValue | null, type?: number): void {
    this.#set(name, value, type, false);
  }

  /** Value of info property `name` (not part of the PID configuration), or null. */
  getInfo(name: string): PropValue | null {
    const s = gpacSymbols();
    return getNamedInfo(this.handle, name, s.gf_filter_pid_get_info, s.gf_filter_pid_get_info_str);
  }

  /** Sets an info property of an output PID (does not trigger reconfiguration). */
  setInfo(name: string, value: PropValue | null, type?: number): void {
    this.#set(name, value, type, true);
  }

  #set(name: string, value: PropValue | null, type: number | undefined, info: boolean): void {
    const h = this.#output(info ? "setInfo()" : "setProp()");
    const s = gpacSymbols();
    let e: number;
    if (value === null) {
      const p4cc = propId(name);
      e = p4cc
        ? (info ? s.gf_filter_pid_set_info : s.gf_filter_pid_set_property)(h, p4cc, null)
        : (info ? s.gf_filter_pid_set_info_str : s.gf_filter_pid_set_property_str)(
          h,
          cstr(name),
          null,
        );
    } else {
      const { p4cc, prop } = encodeNamedProp(name, value, type);
      e = p4cc
        ? (info ? s.gf_filter_pid_set_info : s.gf_filter_pid_set_property)(h, p4cc, prop.bytes)
        : (info ? s.gf_filter_pid_set_info_str : s.gf_filter_pid_set_property_str)(
          h,
          cstr(name),
          prop.bytes,
        );
      keepAlive(prop.keep);
    }
    if (e < 0) throw new GpacError(e, `cannot set property ${name} = ${String(value)}`);
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
    const e = gpacSymbols().gf_filter_pid_copy_properties(this.#output("copyProps()"), from.handle);
    if (e < 0) throw new GpacError(e, "cannot copy PID properties");
  }

  /** Removes every property of this output PID. */
  resetProps(): void {
    const e = gpacSymbols().gf_filter_pid_reset_properties(this.#output("resetProps()"));
    if (e < 0) throw new GpacError(e, "cannot reset PID properties");
  }

  // ---- input side ----

  /**
   * The packet at the head of this input PID, or null when none is queued. The returned object
   * is this PID's packet view: it stays valid until {@link FilterPid.dropPacket}.
   */
  getPacket(): FilterPacket | null {
    const p = gpacSymbols().gf_filter_pid_get_packet(this.#input("getPacket()"));
    if (p === null) {
      this.#head.detach();
      return null;
    }
    return this.#head.attach(p);
  }

  /** Releases the head packet of this input PID; the packet object becomes unusable. */
  dropPacket(): void {
    const h = this.#input("dropPacket()");
    this.#head.detach();
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
    const p4cc = propId(name);
    const p = p4cc
      ? s.gf_filter_pid_caps_query(this.handle, p4cc)
      : s.gf_filter_pid_caps_query_str(this.handle, cstr(name));
    return readProp(p, name);
  }

  /** Asks the upstream filter of this input PID to change property `name` to `value`. */
  negotiateCap(name: string, value: PropValue, type?: number): void {
    const h = this.#input("negotiateCap()");
    const { p4cc, prop } = encodeNamedProp(name, value, type);
    let e: number;
    if (p4cc) {
      const s = gpacSymbols();
      const fn = s.gf_filter_pid_negotiate_property ??
        requireSymbol("gf_filter_pid_negociate_property");
      e = fn(h, p4cc, prop.bytes);
    } else {
      e = requireSymbol("gf_filter_pid_negotiate_property_str")(h, cstr(name), prop.bytes);
    }
    keepAlive(prop.keep);
    if (e < 0) throw new GpacError(e, `cannot negotiate ${name} = ${String(value)}`);
  }

  /** Sends an event on this PID (upstream on an input, downstream on an output). */
  sendEvent(evt: FilterEvent): void {
    evt.onPid = this.handle;
    gpacSymbols().gf_filter_pid_send_event(this.handle, evt.bytes);
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
    gpacSymbols().gf_filter_pid_set_max_buffer(this.handle, us >>> 0);
  }

  /** True while the PID is playing (a PLAY event reached it and no STOP followed). */
  get isPlaying(): boolean {
    return gpacSymbols().gf_filter_pid_is_playing(this.handle) !== 0;
  }

  /** Forwards an input packet unchanged on this output PID (no copy). */
  forward(pck: FilterPacket): void {
    const e = gpacSymbols().gf_filter_pck_forward(pck.handle, this.#output("forward()"));
    if (e < 0) throw new GpacError(e, "cannot forward packet");
  }

  #newPacket(p: Deno.PointerValue, what: string): FilterPacket {
    if (!p) throw new GpacError(GF_BAD_PARAM, `cannot create packet (${what})`);
    return new FilterPacket("output", this, p);
  }

  /** A new packet with `size` bytes of writable payload, allocated by GPAC. */
  newPck(size: number): FilterPacket {
    if (!Number.isInteger(size) || size < 0) {
      throw new GpacError(GF_BAD_PARAM, `invalid packet size ${size}`);
    }
    const p = gpacSymbols().gf_filter_pck_new_alloc(this.#output("newPck()"), size, null);
    return this.#newPacket(p, `alloc ${size}`);
  }

  /**
   * A new packet referencing (part of) the payload of input packet `src`, without copying.
   * @param src The input packet.
   * @param size Bytes to reference (default: to the end).
   * @param offset Start offset in `src`.
   */
  newPckRef(src: FilterPacket, size?: number, offset = 0): FilterPacket {
    const total = src.size;
    const n = size ?? total - offset;
    if (offset < 0 || n < 0 || offset + n > total) {
      throw new GpacError(
        GF_BAD_PARAM,
        `reference range ${offset}+${n} outside packet of ${total} bytes`,
      );
    }
    const p = gpacSymbols().gf_filter_pck_new_ref(
      this.#output("newPckRef()"),
      offset,
      n,
      src.handle,
    );
    return this.#newPacket(p, "ref");
  }

  /**
   * A new packet whose payload is `data`, owned by JS (no copy). `data` stays referenced until
   * GPAC is done with the packet; then the filter's `packetRelease(opid, pck)` is called once.
   */
  newPckShared(data: Uint8Array): FilterPacket {
    return this.#filter.newSharedPacket(this, this.#output("newPckShared()"), data);
  }

  /** A new packet with a copy of the payload and properties of `src`. */
  newPckCopy(src: FilterPacket): FilterPacket {
    const p = gpacSymbols().gf_filter_pck_new_copy(this.#output("newPckCopy()"), src.handle, null);
    return this.#newPacket(p, "copy");
  }

  /**
   * A new packet cloning `src`: shares the payload when possible, copies it when `src` is
   * read-only or a frame interface, so the result is always writable.
   */
  newPckClone(src: FilterPacket): FilterPacket {
    const p = gpacSymbols().gf_filter_pck_new_clone(
      this.#output("newPckClone()"),
      src.handle,
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
    const out = u8(4096); // GF_MAX_PATH
    const e = gpacSymbols().gf_filter_pid_resolve_file_template(
      this.handle,
      cstr(template),
      out,
      fileNumber >>> 0,
      suffix === undefined ? null : cstr(suffix),
    );
    if (e < 0) throw new GpacError(e, `cannot resolve template "${template}"`);
    return readCString(Deno.UnsafePointer.of(out)) ?? "";
  }

  /** Removes this output PID from the graph. */
  remove(): void {
    const h = this.#output("remove()");
    this.#filter.forgetPid(this);
    gpacSymbols().gf_filter_pid_remove(h);
  }

  /** Short description for logs. */
  toString(): string {
    return this.alive
      ? `FilterPid(${this.isInput ? "in" : "out"} ${this.name})`
      : "FilterPid(removed)";
  }
}
