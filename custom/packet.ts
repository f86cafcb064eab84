/**
 * Packets (`GF_FilterPacket`) seen from a TypeScript filter.
 *
 * @module
 */

import { gpacSymbols, requireFeature, requireSymbol } from "../ffi/library.ts";
import { OutU32, toNumberIfSafe } from "../ffi/buffers.ts";
import {
  checkBoolean,
  checkI16,
  checkInt,
  checkU32,
  checkU64,
  checkU8,
  describe,
} from "../ffi/checks.ts";
import { GF_BAD_PARAM, GF_FILTER_NO_TS } from "../ffi/constants.ts";
import { checkReadable, type FrameInterfaceInfo, frameInterfaceOf } from "../ffi/frame_ifce.ts";
import { GpacError } from "../core/errors.ts";
import { enumNamedProps, getNamedProp, type PropValue } from "../core/props.ts";
import { SESSION } from "../core/internal.ts";
import { type PropertyTarget, removeNamedProp, setNamedProp } from "./set_prop.ts";
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

/**
 * Where a filter keeps the packets it owns past one callback (output packets, references,
 * clones), so that all of them become unusable at once when the filter or its session goes.
 */
export interface PacketRegistry {
  /** Records a packet the filter owns. */
  add(pck: FilterPacket): void;
  /** Forgets a packet that was sent, discarded or released. */
  delete(pck: FilterPacket): void;
}

const sizeOut = new OutU32();
const framingStart = new OutU32();
const framingEnd = new OutU32();

const PCK_SET: PropertyTarget = {
  what: "packet property",
  set4cc: (h, p4cc, v) => gpacSymbols().gf_filter_pck_set_property(h, p4cc, v),
  setName: (h, n, v) => gpacSymbols().gf_filter_pck_set_property_dyn(h, n, v),
};

/**
 * A media packet. Input packets are lent by GPAC and become unusable after
 * `pid.dropPacket()`; output packets after `send()` or `discard()`; references after
 * `unref()`; every packet once its filter is destroyed or its session closed. Using a packet
 * past that point throws instead of touching freed memory, and the `data` views it handed out
 * become empty. A packet object stands for one native packet for its whole life: the next
 * `getPacket()` returns a new object.
 *
 * Packets are made by {@link FilterPid} methods (`getPacket`, `newPck`, …), never with `new`.
 */
export class FilterPacket {
  #ptr: Deno.PointerValue;
  readonly #kind: PacketKind;
  readonly #pid: FilterPid | null;
  readonly #registry: PacketRegistry | null;
  #data: ArrayBuffer | null = null;
  #gone = "";

  private constructor(
    kind: PacketKind,
    pid: FilterPid | null,
    ptr: NonNullable<Deno.PointerValue>,
    registry: PacketRegistry | null,
  ) {
    this.#kind = kind;
    this.#pid = pid;
    this.#ptr = ptr;
    this.#registry = registry;
    registry?.add(this);
  }

  /**
   * @ignore Internal (framework use): marks the packet unusable; `reason` completes "packet
   * used after it was …". A method, so that a packet costs one allocation.
   */
  [SESSION](reason: string): void {
    this.#detach(reason);
  }

  /**
   * @ignore Wraps a native packet (framework use: PIDs and filters). Packets that outlive a
   * callback are recorded in `registry`.
   */
  static [SESSION](
    kind: PacketKind,
    pid: FilterPid | null,
    ptr: NonNullable<Deno.PointerValue>,
    registry: PacketRegistry | null,
  ): FilterPacket {
    return new FilterPacket(kind, pid, ptr, registry);
  }

  #detach(reason: string): void {
    if (this.#ptr === null) return;
    if (this.#data) {
      this.#data.transfer(0); // views on the packet memory become empty
      this.#data = null;
    }
    this.#ptr = null;
    this.#gone = reason;
    this.#registry?.delete(this);
  }

  /** The kind of packet. */
  get kind(): PacketKind {
    return this.#kind;
  }

  /** The PID this packet came from (input) or was made for (output); null for clones. */
  get pid(): FilterPid | null {
    return this.#pid;
  }

  /** False once the packet was dropped, sent, discarded, unreferenced or its session closed. */
  get valid(): boolean {
    return this.#ptr !== null;
  }

  /** The raw `GF_FilterPacket*`; throws if the packet is no longer usable. */
  get handle(): NonNullable<Deno.PointerValue> {
    const p = this.#ptr;
    if (p === null) {
      throw new GpacError(GF_BAD_PARAM, `${this.#kind} packet used after it was ${this.#gone}`);
    }
    return p;
  }

  #writable(what: string): NonNullable<Deno.PointerValue> {
    const h = this.handle;
    if (this.#kind === "input") {
      throw new GpacError(
        GF_BAD_PARAM,
        `cannot set ${what} on an input packet (read-only): clone() it to modify`,
      );
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
   * (decoder-owned memory): `clone()` them to get their bytes. The view becomes empty once the
   * packet is released.
   */
  get data(): Uint8Array {
    const p = gpacSymbols().gf_filter_pck_get_data(this.handle, sizeOut.buf);
    const n = sizeOut.value;
    if (!p || !n) {
      checkReadable(this.handle, "data"); // a GL-texture-only frame: say so instead of []
      return new Uint8Array(0);
    }
    if (!this.#data || this.#data.byteLength !== n) {
      this.#data?.transfer(0);
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
    const t = v === null ? NO_TS : checkU64("FilterPacket.dts", v, NO_TS);
    gpacSymbols().gf_filter_pck_set_dts(this.#writable("dts"), t);
  }

  /** Composition timestamp in the PID timescale, or null if none. */
  get cts(): number | bigint | null {
    const v = gpacSymbols().gf_filter_pck_get_cts(this.handle);
    return v === NO_TS ? null : toNumberIfSafe(v);
  }
  set cts(v: number | bigint | null) {
    const t = v === null ? NO_TS : checkU64("FilterPacket.cts", v, NO_TS);
    gpacSymbols().gf_filter_pck_set_cts(this.#writable("cts"), t);
  }

  /** Timescale of the timestamps. */
  get timescale(): number {
    return gpacSymbols().gf_filter_pck_get_timescale(this.handle);
  }

  /** Duration in the PID timescale (a `u32`). */
  get dur(): number {
    return gpacSymbols().gf_filter_pck_get_duration(this.handle);
  }
  set dur(v: number) {
    const d = checkU32("FilterPacket.dur", v);
    gpacSymbols().gf_filter_pck_set_duration(this.#writable("dur"), d);
  }

  /** Stream access point type (`GF_FILTER_SAP_*`: 0 for none to 5). */
  get sap(): number {
    return gpacSymbols().gf_filter_pck_get_sap(this.handle);
  }
  set sap(v: number) {
    const s = checkInt("FilterPacket.sap", v, 0, 5);
    gpacSymbols().gf_filter_pck_set_sap(this.#writable("sap"), s);
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
    checkBoolean("FilterPacket.start", v);
    const end = this.end;
    gpacSymbols().gf_filter_pck_set_framing(this.#writable("start"), v ? 1 : 0, end ? 1 : 0);
  }

  /** True if the packet ends a frame. */
  get end(): boolean {
    this.#framing();
    return framingEnd.value !== 0;
  }
  set end(v: boolean) {
    checkBoolean("FilterPacket.end", v);
    const start = this.start;
    gpacSymbols().gf_filter_pck_set_framing(this.#writable("end"), start ? 1 : 0, v ? 1 : 0);
  }

  /** Seek flag: the packet is decoded but not presented. */
  get seek(): boolean {
    return gpacSymbols().gf_filter_pck_get_seek_flag(this.handle) !== 0;
  }
  set seek(v: boolean) {
    checkBoolean("FilterPacket.seek", v);
    gpacSymbols().gf_filter_pck_set_seek_flag(this.#writable("seek"), v ? 1 : 0);
  }

  /** Corrupted flag. */
  get corrupted(): boolean {
    return gpacSymbols().gf_filter_pck_get_corrupted(this.handle) !== 0;
  }
  set corrupted(v: boolean) {
    checkBoolean("FilterPacket.corrupted", v);
    gpacSymbols().gf_filter_pck_set_corrupted(this.#writable("corrupted"), v ? 1 : 0);
  }

  /** Interlacing (0: progressive, 1: top field first, 2: bottom field first). */
  get interlaced(): number {
    return gpacSymbols().gf_filter_pck_get_interlaced(this.handle);
  }
  set interlaced(v: number) {
    const i = checkInt("FilterPacket.interlaced", v, 0, 2);
    gpacSymbols().gf_filter_pck_set_interlaced(this.#writable("interlaced"), i);
  }

  /** Roll / pre-roll count (an `s16`). */
  get roll(): number {
    return gpacSymbols().gf_filter_pck_get_roll_info(this.handle);
  }
  set roll(v: number) {
    const r = checkI16("FilterPacket.roll", v);
    gpacSymbols().gf_filter_pck_set_roll_info(this.#writable("roll"), r);
  }

  /** Encryption flags (0 to 3). */
  get crypt(): number {
    return gpacSymbols().gf_filter_pck_get_crypt_flags(this.handle);
  }
  set crypt(v: number) {
    const c = checkInt("FilterPacket.crypt", v, 0, 3);
    gpacSymbols().gf_filter_pck_set_crypt_flags(this.#writable("crypt"), c);
  }

  /** Clock type (`GF_FILTER_CLOCK_*`, 0 to 2). */
  get clock(): number {
    return gpacSymbols().gf_filter_pck_get_clock_type(this.handle);
  }
  set clock(v: number) {
    const c = checkInt("FilterPacket.clock", v, 0, 2);
    gpacSymbols().gf_filter_pck_set_clock_type(this.#writable("clock"), c);
  }

  /** Carousel version number (a `u8`). */
  get carousel(): number {
    return gpacSymbols().gf_filter_pck_get_carousel_version(this.handle);
  }
  set carousel(v: number) {
    const c = checkU8("FilterPacket.carousel", v);
    gpacSymbols().gf_filter_pck_set_carousel_version(this.#writable("carousel"), c);
  }

  /** Sequence number (a `u32`). */
  get seqnum(): number {
    return gpacSymbols().gf_filter_pck_get_seq_num(this.handle);
  }
  set seqnum(v: number) {
    const n = checkU32("FilterPacket.seqnum", v);
    gpacSymbols().gf_filter_pck_set_seq_num(this.#writable("seqnum"), n);
  }

  /** Sample dependency flags (ISOBMFF `sdtp` style, a `u8`). */
  get deps(): number {
    return gpacSymbols().gf_filter_pck_get_dependency_flags(this.handle);
  }
  set deps(v: number) {
    const d = checkU8("FilterPacket.deps", v);
    gpacSymbols().gf_filter_pck_set_dependency_flags(this.#writable("deps"), d);
  }

  /** Byte offset in the source, or null if unknown. */
  get byteOffset(): number | bigint | null {
    const v = gpacSymbols().gf_filter_pck_get_byte_offset(this.handle);
    return v === NO_TS ? null : toNumberIfSafe(v);
  }
  set byteOffset(v: number | bigint | null) {
    const o = v === null ? NO_TS : checkU64("FilterPacket.byteOffset", v, NO_TS);
    gpacSymbols().gf_filter_pck_set_byte_offset(this.#writable("byteOffset"), o);
  }

  /** True if the payload lives in a frame interface (decoder or GPU memory). */
  get frameIfce(): boolean {
    return gpacSymbols().gf_filter_pck_get_frame_interface(this.handle) !== null;
  }

  /**
   * What the frame interface of this packet offers (CPU planes, OpenGL texture, flags), or
   * null for a packet with a data block. Frames with `planes` are read with `clone()`; frames
   * with only a GL texture cannot be read from TypeScript (`data` and `clone()` throw).
   */
  get frameInterface(): FrameInterfaceInfo | null {
    return frameInterfaceOf(this.handle);
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
    const h = this.#writable(`property ${String(name)}`);
    if (value === null) removeNamedProp(PCK_SET, h, name);
    else setNamedProp(PCK_SET, h, name, value, type);
  }

  /** Copies every property of `from` onto this packet. */
  copyProps(from: FilterPacket): void {
    const src = packetArg("copyProps()", from).handle;
    const e = gpacSymbols().gf_filter_pck_merge_properties(src, this.#writable("properties"));
    if (e < 0) throw new GpacError(e, "cannot copy packet properties");
  }

  /** All packet properties, by name. */
  enumProps(): Map<string, PropValue | null> {
    return enumNamedProps(this.handle, gpacSymbols().gf_filter_pck_enum_properties);
  }

  #own(what: string): NonNullable<Deno.PointerValue> {
    const h = this.handle;
    if (this.#kind !== "output") {
      throw new GpacError(
        GF_BAD_PARAM,
        `${what} needs a packet this filter created (newPck…/clone), got an ${this.#kind} packet`,
      );
    }
    return h;
  }

  /** Sends an output packet downstream; the object is unusable afterwards. */
  send(): void {
    const h = this.#own("send()");
    if (this.#pid === null) {
      throw new GpacError(GF_BAD_PARAM, "a clone() belongs to no PID: use newPckCopy() to send it");
    }
    this.#pid.handle; // throws if the PID was removed
    this.#detach("sent");
    // no result: GPAC's checks (output packet with a PID) were done above, see ffi/symbols.ts
    gpacSymbols().gf_filter_pck_send(h);
  }

  /** Destroys an output packet without sending it. */
  discard(): void {
    const h = this.#own("discard()");
    this.#detach("discarded");
    gpacSymbols().gf_filter_pck_discard(h);
  }

  /** Keeps the packet alive past `dropPacket()`; returns the reference (release with `unref()`). */
  ref(): FilterPacket {
    const p = gpacSymbols().gf_filter_pck_ref_ex(this.handle);
    if (!p) throw new GpacError(GF_BAD_PARAM, "cannot reference packet");
    return new FilterPacket("ref", this.#pid, p, this.#ownerRegistry());
  }

  /** Releases a reference taken with `ref()`. */
  unref(): void {
    if (this.#kind !== "ref") {
      throw new GpacError(
        GF_BAD_PARAM,
        `unref() needs a packet from ref(), got an ${this.#kind} packet`,
      );
    }
    const h = this.handle;
    this.#detach("unreferenced");
    gpacSymbols().gf_filter_pck_unref(h);
  }

  /** Marks a packet read-only: downstream filters must not modify it in place. */
  readonly(): void {
    const e = gpacSymbols().gf_filter_pck_set_readonly(this.#writable("read-only"));
    if (e < 0) throw new GpacError(e, "cannot set packet read-only");
  }

  /** Truncates the payload of an output packet to `size` bytes (at most its current size). */
  truncate(size: number): void {
    const h = this.#writable("size");
    const n = checkInt("FilterPacket.truncate(size)", size, 0, this.size);
    const e = gpacSymbols().gf_filter_pck_truncate(h, n);
    if (e < 0) throw new GpacError(e, `cannot truncate packet to ${size} bytes`);
  }

  /**
   * A copy of this packet (payload and properties) that belongs to no PID: use it to read
   * frame-interface packets, or keep data past `dropPacket()`. Pass the previous clone as
   * `cached` to reuse its memory. Release it with `discard()`.
   */
  clone(cached?: FilterPacket): FilterPacket {
    const h = this.handle;
    checkReadable(h, "clone()"); // a GL-texture-only frame cannot be copied
    requireFeature("packetClone");
    let cachedPtr: Deno.PointerValue = null;
    if (cached !== undefined) {
      packetArg("clone(cached)", cached);
      if (cached.#kind !== "output" || cached.#pid !== null) {
        throw new GpacError(GF_BAD_PARAM, "clone(cached): `cached` must be an earlier clone()");
      }
      cachedPtr = cached.handle;
      cached.#detach("reused by clone()");
    }
    const p = requireSymbol("gf_filter_pck_dangling_clone")(h, cachedPtr);
    if (!p) throw new GpacError(GF_BAD_PARAM, "cannot clone packet");
    return new FilterPacket("output", null, p, this.#ownerRegistry());
  }

  /** The registry of the filter owning this packet (input packets are not registered). */
  #ownerRegistry(): PacketRegistry | null {
    return this.#registry ?? this.#pid?.[SESSION].registry ?? null;
  }

  /** Short description for logs. */
  toString(): string {
    if (!this.valid) return `FilterPacket(${this.#kind}, ${this.#gone})`;
    return `FilterPacket(${this.#kind}, dts=${this.dts}, cts=${this.cts}, size=${this.size})`;
  }
}

/** Checks that `v` is a {@link FilterPacket} (for methods taking one). */
export function packetArg(what: string, v: unknown): FilterPacket {
  if (!(v instanceof FilterPacket)) {
    throw new TypeError(`${what}: expected a FilterPacket, got ${describe(v)}`);
  }
  return v;
}
