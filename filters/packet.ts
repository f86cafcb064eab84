/**
 * Packets (`GF_FilterPacket`) seen from a TypeScript filter.
 *
 * @module
 */

import { gpacSymbols, requireSymbol } from "../ffi/library.ts";
import { cstr, OutU32, toNumberIfSafe } from "../ffi/cstring.ts";
import { GF_BAD_PARAM, GF_FILTER_NO_TS } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import {
  encodeNamedProp,
  enumNamedProps,
  getNamedProp,
  keepAlive,
  propId,
  type PropValue,
} from "../core/props.ts";
import type { FilterPid } from "./pid.ts";

const NO_TS = GF_FILTER_NO_TS;

/** How a packet object relates to the native packet. */
export type PacketKind =
  /** An input packet lent by GPAC until `dropPacket()`. */
  | "input"
  /** A packet this filter created and has not sent yet. */
  | "output"
  /** A reference this filter holds (`ref()`), until `unref()`. */
  | "ref";

const sizeOut = new OutU32();
const framingStart = new OutU32();
const framingEnd = new OutU32();

/**
 * A media packet. Input packets are lent by GPAC and become unusable after
 * `pid.dropPacket()`; output packets after `send()` or `discard()`; references after
 * `unref()`. Using a packet past that point throws instead of touching freed memory, and the
 * `data` views it handed out become empty.
 */
export class FilterPacket {
  #ptr: Deno.PointerValue = null;
  #kind: PacketKind;
  #data: ArrayBuffer | null = null;
  /** @ignore The PID this packet belongs to (input PID, or the output PID it was made for). */
  pid: FilterPid | null;

  /** @ignore Packets are created by PIDs and filters. */
  constructor(kind: PacketKind, pid: FilterPid | null, ptr: Deno.PointerValue = null) {
    this.#kind = kind;
    this.pid = pid;
    this.#ptr = ptr;
  }

  /** @ignore Points this object at a native packet (used for the PID's reusable input view). */
  attach(ptr: Deno.PointerValue): this {
    this.#release();
    this.#ptr = ptr;
    return this;
  }

  /** @ignore Marks the packet unusable (GPAC took it back). */
  detach(): void {
    this.#release();
    this.#ptr = null;
  }

  #release(): void {
    if (this.#data) {
      this.#data.transfer(0); // detach: views on the packet memory become empty
      this.#data = null;
    }
  }

  /** The kind of packet. */
  get kind(): PacketKind {
    return this.#kind;
  }

  /** False once the packet was dropped, sent, discarded or unreferenced. */
  get valid(): boolean {
    return this.#ptr !== null;
  }

  /** The raw `GF_FilterPacket*`; throws if the packet is no longer usable. */
  get handle(): NonNullable<Deno.PointerValue> {
    const p = this.#ptr;
    if (p === null) {
      throw new GpacError(
        GF_BAD_PARAM,
        `${this.#kind} packet used after it was ${
          this.#kind === "input"
            ? "dropped"
            : this.#kind === "ref"
            ? "unreferenced"
            : "sent or discarded"
        }`,
      );
    }
    return p;
  }

  #writable(): NonNullable<Deno.PointerValue> {
    const h = this.handle;
    if (this.#kind === "input") {
      throw new GpacError(GF_BAD_PARAM, "input packets are read-only: clone() them to modify");
    }
    return h;
  }

  /** Size of the payload in bytes. */
  get size(): number {
    gpacSymbols().gf_filter_pck_get_data(this.handle, sizeOut.buf);
    return sizeOut.value;
  }

  /**
   * The payload as a `Uint8Array` on GPAC's memory (no copy). Read it only for input packets;
   * packets this filter allocated or cloned are writable. Empty for frame-interface packets
   * (decoder-owned memory): `clone()` them to get their bytes.
   */
  get data(): Uint8Array {
    const s = gpacSymbols();
    const p = s.gf_filter_pck_get_data(this.handle, sizeOut.buf);
    const n = sizeOut.value;
    if (!p || !n) return new Uint8Array(0);
    if (!this.#data || this.#data.byteLength !== n) {
      this.#release();
      this.#data = Deno.UnsafePointerView.getArrayBuffer(p, n);
    }
    return new Uint8Array(this.#data);
  }

  /** Decoding timestamp in the PID timescale, or null if none. */
  get dts(): number | bigint | null {
    const v = gpacSymbols().gf_filter_pck_get_dts(this.handle);
    return v === NO_TS ? null : toNumberIfSafe(v);
  }
  set dts(v: number | bigint | null) {
    gpacSymbols().gf_filter_pck_set_dts(this.#writable(), v === null ? NO_TS : BigInt(v));
  }

  /** Composition timestamp in the PID timescale, or null if none. */
  get cts(): number | bigint | null {
    const v = gpacSymbols().gf_filter_pck_get_cts(this.handle);
    return v === NO_TS ? null : toNumberIfSafe(v);
  }
  set cts(v: number | bigint | null) {
    gpacSymbols().gf_filter_pck_set_cts(this.#writable(), v === null ? NO_TS : BigInt(v));
  }

  /** Timescale of the timestamps. */
  get timescale(): number {
    return gpacSymbols().gf_filter_pck_get_timescale(this.handle);
  }

  /** Duration in the PID timescale. */
  get dur(): number {
    return gpacSymbols().gf_filter_pck_get_duration(this.handle);
  }
  set dur(v: number) {
    gpacSymbols().gf_filter_pck_set_duration(this.#writable(), v >>> 0);
  }

  /** Stream access point type (`GF_FILTER_SAP_*`, 0 for none). */
  get sap(): number {
    return gpacSymbols().gf_filter_pck_get_sap(this.handle);
  }
  set sap(v: number) {
    gpacSymbols().gf_filter_pck_set_sap(this.#writable(), v);
  }

  #framing(): void {
    gpacSymbols().gf_filter_pck_get_framing(this.handle, framingStart.buf, framingEnd.buf);
  }

  /** True if the packet starts a frame. */
  get start(): boolean {
    this.#framing();
    return framingStart.value !== 0;
  }
  set start(v: boolean) {
    const end = this.end;
    gpacSymbols().gf_filter_pck_set_framing(this.#writable(), v ? 1 : 0, end ? 1 : 0);
  }

  /** True if the packet ends a frame. */
  get end(): boolean {
    this.#framing();
    return framingEnd.value !== 0;
  }
  set end(v: boolean) {
    const start = this.start;
    gpacSymbols().gf_filter_pck_set_framing(this.#writable(), start ? 1 : 0, v ? 1 : 0);
  }

  /** Seek flag: the packet is decoded but not presented. */
  get seek(): boolean {
    return gpacSymbols().gf_filter_pck_get_seek_flag(this.handle) !== 0;
  }
  set seek(v: boolean) {
    gpacSymbols().gf_filter_pck_set_seek_flag(this.#writable(), v ? 1 : 0);
  }

  /** Corrupted flag. */
  get corrupted(): boolean {
    return gpacSymbols().gf_filter_pck_get_corrupted(this.handle) !== 0;
  }
  set corrupted(v: boolean) {
    gpacSymbols().gf_filter_pck_set_corrupted(this.#writable(), v ? 1 : 0);
  }

  /** Interlacing (0: progressive, 1: top field first, 2: bottom field first). */
  get interlaced(): number {
    return gpacSymbols().gf_filter_pck_get_interlaced(this.handle);
  }
  set interlaced(v: number) {
    gpacSymbols().gf_filter_pck_set_interlaced(this.#writable(), v);
  }

  /** Roll / pre-roll count. */
  get roll(): number {
    return gpacSymbols().gf_filter_pck_get_roll_info(this.handle);
  }
  set roll(v: number) {
    gpacSymbols().gf_filter_pck_set_roll_info(this.#writable(), v);
  }

  /** Encryption flags. */
  get crypt(): number {
    return gpacSymbols().gf_filter_pck_get_crypt_flags(this.handle);
  }
  set crypt(v: number) {
    gpacSymbols().gf_filter_pck_set_crypt_flags(this.#writable(), v);
  }

  /** Clock type (`GF_FILTER_CLOCK_*`). */
  get clock(): number {
    return gpacSymbols().gf_filter_pck_get_clock_type(this.handle);
  }
  set clock(v: number) {
    gpacSymbols().gf_filter_pck_set_clock_type(this.#writable(), v);
  }

  /** Carousel version number. */
  get carousel(): number {
    return gpacSymbols().gf_filter_pck_get_carousel_version(this.handle);
  }
  set carousel(v: number) {
    gpacSymbols().gf_filter_pck_set_carousel_version(this.#writable(), v);
  }

  /** Sequence number. */
  get seqnum(): number {
    return gpacSymbols().gf_filter_pck_get_seq_num(this.handle);
  }
  set seqnum(v: number) {
    gpacSymbols().gf_filter_pck_set_seq_num(this.#writable(), v >>> 0);
  }

  /** Sample dependency flags (ISOBMFF `sdtp` style). */
  get deps(): number {
    return gpacSymbols().gf_filter_pck_get_dependency_flags(this.handle);
  }
  set deps(v: number) {
    gpacSymbols().gf_filter_pck_set_dependency_flags(this.#writable(), v);
  }

  /** Byte offset in the source, or null if unknown. */
  get byteOffset(): number | bigint | null {
    const v = gpacSymbols().gf_filter_pck_get_byte_offset(this.handle);
    return v === NO_TS ? null : toNumberIfSafe(v);
  }
  set byteOffset(v: number | bigint | null) {
    gpacSymbols().gf_filter_pck_set_byte_offset(this.#writable(), v === null ? NO_TS : BigInt(v));
  }

  /** True if the payload lives in a frame interface (decoder or GPU memory). */
  get frameIfce(): boolean {
    return gpacSymbols().gf_filter_pck_get_frame_interface(this.handle) !== null;
  }

  /** Value of packet property `name`, or null. */
  getProp(name: string): PropValue | null {
    const s = gpacSymbols();
    return getNamedProp(
      this.handle,
      name,
      s.gf_filter_pck_get_property,
      s.gf_filter_pck_get_property_str,
    );
  }

  /**
   * Sets packet property `name` (output packets).
   * @param name Built-in or user-defined property name.
   * @param value The value; `null` removes the property.
   * @param type `GF_PROP_*` type for a user-defined property (else inferred).
   */
  setProp(name: string, value: PropValue | null, type?: number): void {
    const h = this.#writable();
    const s = gpacSymbols();
    if (value === null) {
      const p4cc = propId(name);
      const e = p4cc
        ? s.gf_filter_pck_set_property(h, p4cc, null)
        : s.gf_filter_pck_set_property_str(h, cstr(name), null);
      if (e < 0) throw new GpacError(e, `cannot remove packet property ${name}`);
      return;
    }
    const { p4cc, prop } = encodeNamedProp(name, value, type);
    const e = p4cc
      ? s.gf_filter_pck_set_property(h, p4cc, prop.bytes)
      : s.gf_filter_pck_set_property_str(h, cstr(name), prop.bytes);
    keepAlive(prop.keep);
    if (e < 0) throw new GpacError(e, `cannot set packet property ${name}`);
  }

  /** Copies every property of `from` onto this packet. */
  copyProps(from: FilterPacket): void {
    const e = gpacSymbols().gf_filter_pck_merge_properties(from.handle, this.#writable());
    if (e < 0) throw new GpacError(e, "cannot copy packet properties");
  }

  /** All packet properties, by name. */
  enumProps(): Map<string, PropValue | null> {
    return enumNamedProps(this.handle, gpacSymbols().gf_filter_pck_enum_properties);
  }

  /** Sends an output packet downstream; the object is unusable afterwards. */
  send(): void {
    const h = this.#writable();
    if (this.#kind !== "output") throw new GpacError(GF_BAD_PARAM, "only new packets can be sent");
    this.detach();
    const e = gpacSymbols().gf_filter_pck_send(h);
    if (e < 0) throw new GpacError(e, "cannot send packet");
  }

  /** Destroys an output packet without sending it. */
  discard(): void {
    const h = this.#writable();
    if (this.#kind !== "output") {
      throw new GpacError(GF_BAD_PARAM, "only new packets can be discarded");
    }
    this.detach();
    gpacSymbols().gf_filter_pck_discard(h);
  }

  /** Keeps the packet alive past `dropPacket()`; returns the reference (release with `unref()`). */
  ref(): FilterPacket {
    const p = gpacSymbols().gf_filter_pck_ref_ex(this.handle);
    return new FilterPacket("ref", this.pid, p);
  }

  /** Releases a reference taken with `ref()`. */
  unref(): void {
    if (this.#kind !== "ref") {
      throw new GpacError(GF_BAD_PARAM, "unref() needs a packet from ref()");
    }
    const h = this.handle;
    this.detach();
    gpacSymbols().gf_filter_pck_unref(h);
  }

  /** Marks a packet read-only: downstream filters must not modify it in place. */
  readonly(): void {
    const e = gpacSymbols().gf_filter_pck_set_readonly(this.#writable());
    if (e < 0) throw new GpacError(e, "cannot set packet read-only");
  }

  /** Truncates the payload of an output packet to `size` bytes. */
  truncate(size: number): void {
    const e = gpacSymbols().gf_filter_pck_truncate(this.#writable(), size >>> 0);
    if (e < 0) throw new GpacError(e, `cannot truncate packet to ${size} bytes`);
  }

  /**
   * A copy of this packet (payload and properties) that belongs to no PID: use it to read
   * frame-interface packets, or keep data past `dropPacket()`. Pass the previous clone as
   * `cached` to reuse its memory. Release it with `discard()`.
   */
  clone(cached?: FilterPacket): FilterPacket {
    const dangling = requireSymbol("gf_filter_pck_dangling_clone");
    const cachedPtr = cached ? cached.handle : null;
    if (cached) cached.detach();
    const p = dangling(this.handle, cachedPtr);
    if (!p) throw new GpacError(GF_BAD_PARAM, "cannot clone packet");
    return new FilterPacket("output", null, p);
  }

  /** Short description for logs. */
  toString(): string {
    if (!this.valid) return `FilterPacket(${this.#kind}, released)`;
    return `FilterPacket(${this.#kind}, dts=${this.dts}, cts=${this.cts}, size=${this.size})`;
  }
}
