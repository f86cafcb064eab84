/**
 * GPAC properties (`GF_PropertyValue`) in both directions.
 *
 * Reading maps each `GF_PropType` to a JS value:
 *
 * | GPAC type | JS value |
 * |---|---|
 * | SINT, UINT, FLOAT, DOUBLE | `number` |
 * | LSINT, LUINT | `number`, or `bigint` when the value exceeds 2^53 |
 * | BOOL | `boolean` |
 * | FRACTION / FRACTION64 | {@link Fraction} / {@link Fraction64} |
 * | VEC2I, VEC2, VEC3I, VEC4I | {@link Vec2}, {@link Vec2}, {@link Vec3}, {@link Vec4} |
 * | STRING, NAME | `string` |
 * | DATA, CONST_DATA | `Uint8Array` (a copy) |
 * | POINTER | `Deno.PointerValue` |
 * | STRING_LIST, UINT_LIST, SINT_LIST, 4CC_LIST, VEC2I_LIST | arrays |
 * | 4CC | 4-character `string` |
 * | PIXFMT, PCMFMT, CICP_* enums | GPAC's short name, e.g. `"yuv420"`, `"s16"` |
 *
 * and the built-in `StreamType` and `CodecID` properties read as names (`"Visual"`, `"avc"`).
 * Writing accepts the same forms (plus plain numbers for enums, codecs and 4CCs).
 *
 * @module
 */

import { gpacSymbols, requireSymbol } from "../ffi/library.ts";
import {
  addressOf,
  cstr,
  i32s,
  OutPtr,
  readCString,
  toNumberIfSafe,
  u32s,
  u64s,
  u8,
} from "../ffi/cstring.ts";
import { GpacError } from "./errors.ts";
import {
  GF_BAD_PARAM,
  GF_PROP_4CC,
  GF_PROP_4CC_LIST,
  GF_PROP_BOOL,
  GF_PROP_CONST_DATA,
  GF_PROP_DATA,
  GF_PROP_DATA_NO_COPY,
  GF_PROP_DOUBLE,
  GF_PROP_FLOAT,
  GF_PROP_FRACTION,
  GF_PROP_FRACTION64,
  GF_PROP_LSINT,
  GF_PROP_LUINT,
  GF_PROP_NAME,
  GF_PROP_PCMFMT,
  GF_PROP_PIXFMT,
  GF_PROP_POINTER,
  GF_PROP_SINT,
  GF_PROP_SINT_LIST,
  GF_PROP_STRING,
  GF_PROP_STRING_LIST,
  GF_PROP_STRING_LIST_COPY,
  GF_PROP_STRING_NO_COPY,
  GF_PROP_UINT,
  GF_PROP_UINT_LIST,
  GF_PROP_VEC2,
  GF_PROP_VEC2I,
  GF_PROP_VEC2I_LIST,
  GF_PROP_VEC3I,
  GF_PROP_VEC4I,
} from "../ffi/constants.ts";
import { PropertyValueLayout as PV } from "../ffi/layouts.ts";

/** A 32-bit fraction (`GF_Fraction`): signed numerator, unsigned denominator. */
export class Fraction {
  /** Numerator (signed 32-bit). */
  num: number;
  /** Denominator (unsigned 32-bit). */
  den: number;
  /**
   * Creates a fraction.
   * @param num Numerator.
   * @param den Denominator.
   */
  constructor(num: number, den: number) {
    this.num = num;
    this.den = den;
  }
  /** The fraction as a floating-point number. */
  valueOf(): number {
    return this.num / this.den;
  }
  /** `num/den`. */
  toString(): string {
    return `${this.num}/${this.den}`;
  }
}

/** A 64-bit fraction (`GF_Fraction64`); members are bigints only beyond 2^53. */
export class Fraction64 {
  /** Numerator (signed 64-bit; a bigint only beyond 2^53). */
  num: number | bigint;
  /** Denominator (unsigned 64-bit; a bigint only beyond 2^53). */
  den: number | bigint;
  /**
   * Creates a fraction.
   * @param num Numerator.
   * @param den Denominator.
   */
  constructor(num: number | bigint, den: number | bigint) {
    this.num = num;
    this.den = den;
  }
  /** The fraction as a floating-point number. */
  valueOf(): number {
    return Number(this.num) / Number(this.den);
  }
  /** `num/den`. */
  toString(): string {
    return `${this.num}/${this.den}`;
  }
}

/** A 2D vector (`GF_PropVec2i` with integers, `GF_PropVec2` with doubles). */
export class Vec2 {
  /** X. */
  x: number;
  /** Y. */
  y: number;
  /**
   * Creates a vector.
   * @param x X.
   * @param y Y.
   */
  constructor(x: number, y: number) {
    this.x = x;
    this.y = y;
  }
}

/** A 3D integer vector (`GF_PropVec3i`). */
export class Vec3 {
  /** X. */
  x: number;
  /** Y. */
  y: number;
  /** Z. */
  z: number;
  /**
   * Creates a vector.
   * @param x X.
   * @param y Y.
   * @param z Z.
   */
  constructor(x: number, y: number, z: number) {
    this.x = x;
    this.y = y;
    this.z = z;
  }
}

/** A 4D integer vector (`GF_PropVec4i`). */
export class Vec4 {
  /** X. */
  x: number;
  /** Y. */
  y: number;
  /** Z. */
  z: number;
  /** W. */
  w: number;
  /**
   * Creates a vector.
   * @param x X.
   * @param y Y.
   * @param z Z.
   * @param w W.
   */
  constructor(x: number, y: number, z: number, w: number) {
    this.x = x;
    this.y = y;
    this.z = z;
    this.w = w;
  }
}

/** Any value a GPAC property can take in JS. */
export type PropValue =
  | number
  | bigint
  | boolean
  | string
  | Fraction
  | Fraction64
  | Vec2
  | Vec3
  | Vec4
  | Uint8Array
  | Deno.PointerValue
  | string[]
  | number[]
  | Vec2[];

// ---------------------------------------------------------------------------------------------
// name <-> 4CC and name tables (cached: looked up once per name)

const idCache = new Map<string, number>();

/** Returns the 4CC of a built-in property name (e.g. `"StreamType"`), or 0 for a user name. */
export function propId(name: string): number {
  let id = idCache.get(name);
  if (id === undefined) {
    id = gpacSymbols().gf_props_get_id(cstr(name));
    idCache.set(name, id);
  }
  return id;
}

const nameCache = new Map<number, string>();

/** Returns the name of a built-in property from its 4CC. */
export function propName(p4cc: number): string {
  let n = nameCache.get(p4cc);
  if (n === undefined) {
    n = readCString(gpacSymbols().gf_props_4cc_get_name(p4cc)) ?? fourccToString(p4cc);
    nameCache.set(p4cc, n);
  }
  return n;
}

/** Returns the GF_PropType of a built-in property 4CC. */
export function propTypeOf(p4cc: number): number {
  return gpacSymbols().gf_props_4cc_get_type(p4cc);
}

/** GPAC's name of a property type (`GF_PROP_UINT` → `"uint"`). */
export function propTypeName(type: number): string {
  return readCString(gpacSymbols().gf_props_get_type_name(type)) ?? `type${type}`;
}

/** Formats a 4CC code as its 4 characters. */
export function fourccToString(code: number): string {
  return readCString(gpacSymbols().gf_4cc_to_str(code >>> 0)) ?? String(code);
}

/** Parses a 4-character code string. */
export function fourccParse(s: string): number {
  if (s.length !== 4) {
    throw new GpacError(GF_BAD_PARAM, `a 4CC must have 4 characters, got "${s}"`);
  }
  return gpacSymbols().gf_4cc_parse(cstr(s)) >>> 0;
}

let codecShortNames: Map<number, string> | undefined;

/** Short GPAC name of a codec ID (`"avc"`, `"aac"`, ...), as accepted by `c=` options. */
export function codecName(id: number): string {
  if (!codecShortNames) {
    codecShortNames = new Map();
    const s = gpacSymbols();
    const sn = new OutPtr();
    const ln = new OutPtr();
    for (let i = 0;; i++) {
      const cid = s.gf_codecid_enum(i, sn.buf, ln.buf);
      if (!cid) break;
      const short = readCString(sn.pointer);
      if (short && !codecShortNames.has(cid)) codecShortNames.set(cid, short.split("|")[0]);
    }
  }
  return codecShortNames.get(id) ?? readCString(gpacSymbols().gf_codecid_name(id)) ?? String(id);
}

function enumValueFromString(type: number, pname: string, v: string): number {
  const s = gpacSymbols();
  let r = 0;
  if (pname === "StreamType") r = s.gf_stream_type_by_name(cstr(v));
  else if (pname === "CodecID") r = s.gf_codecid_parse(cstr(v));
  else if (pname === "PixelFormat" && type === GF_PROP_UINT) r = s.gf_pixel_fmt_parse(cstr(v));
  else if (pname === "AudioFormat" && type === GF_PROP_UINT) r = s.gf_audio_fmt_parse(cstr(v));
  else if (type === GF_PROP_4CC) return fourccParse(v);
  else if (s.gf_props_type_is_enum(type)) r = s.gf_props_parse_enum(type, cstr(v));
  else {
    throw new GpacError(GF_BAD_PARAM, `property ${pname} expects a number, got "${v}"`);
  }
  // GPAC returns 0 (unknown) for names it does not know; 0 is also invalid for these.
  if (!r && !/^0+$/.test(v)) {
    throw new GpacError(GF_BAD_PARAM, `unknown value "${v}" for property ${pname}`);
  }
  return r >>> 0;
}

// ---------------------------------------------------------------------------------------------
// reading

function readList(
  view: Deno.UnsafePointerView,
  itemSize: number,
  read: (v: Deno.UnsafePointerView, off: number) => number,
): number[] {
  const n = view.getUint32(PV.listCount);
  const vals = view.getPointer(PV.listPtr);
  const out: number[] = new Array(n);
  if (!vals) return [];
  const lv = new Deno.UnsafePointerView(vals);
  for (let i = 0; i < n; i++) out[i] = read(lv, i * itemSize);
  return out;
}

/**
 * Converts the `GF_PropertyValue` at `ptr` to a JS value (copying everything out of native
 * memory). `pname` selects the name conversions of `StreamType` and `CodecID`.
 */
export function readProp(ptr: Deno.PointerValue, pname = ""): PropValue | null {
  if (!ptr) return null;
  const v = new Deno.UnsafePointerView(ptr);
  const type = v.getUint32(PV.type);
  const s = gpacSymbols();
  const o = PV.value;
  switch (type) {
    case GF_PROP_SINT:
      return v.getInt32(o);
    case GF_PROP_UINT: {
      const u = v.getUint32(o);
      if (pname === "StreamType") return readCString(s.gf_stream_type_name(u)) ?? u;
      if (pname === "CodecID") return codecName(u);
      // some filters store these as plain integers instead of their enum types
      // (named like their enum-typed form, so both read the same)
      if (pname === "PixelFormat") return readCString(s.gf_props_enum_name(GF_PROP_PIXFMT, u)) ?? u;
      if (pname === "AudioFormat") return readCString(s.gf_props_enum_name(GF_PROP_PCMFMT, u)) ?? u;
      return u;
    }
    case GF_PROP_LSINT:
      return toNumberIfSafe(v.getBigInt64(o));
    case GF_PROP_LUINT:
      return toNumberIfSafe(v.getBigUint64(o));
    case GF_PROP_BOOL:
      return v.getUint32(o) !== 0;
    case GF_PROP_FRACTION:
      return new Fraction(v.getInt32(o), v.getUint32(o + 4));
    case GF_PROP_FRACTION64:
      return new Fraction64(
        toNumberIfSafe(v.getBigInt64(o)),
        toNumberIfSafe(v.getBigUint64(o + 8)),
      );
    case GF_PROP_FLOAT:
      return v.getFloat32(o);
    case GF_PROP_DOUBLE:
      return v.getFloat64(o);
    case GF_PROP_VEC2I:
      return new Vec2(v.getInt32(o), v.getInt32(o + 4));
    case GF_PROP_VEC2:
      return new Vec2(v.getFloat64(o), v.getFloat64(o + 8));
    case GF_PROP_VEC3I:
      return new Vec3(v.getInt32(o), v.getInt32(o + 4), v.getInt32(o + 8));
    case GF_PROP_VEC4I:
      return new Vec4(v.getInt32(o), v.getInt32(o + 4), v.getInt32(o + 8), v.getInt32(o + 12));
    case GF_PROP_STRING:
    case GF_PROP_STRING_NO_COPY:
    case GF_PROP_NAME:
      return readCString(v.getPointer(o)) ?? "";
    case GF_PROP_DATA:
    case GF_PROP_DATA_NO_COPY:
    case GF_PROP_CONST_DATA: {
      const p = v.getPointer(PV.dataPtr);
      const n = v.getUint32(PV.dataSize);
      if (!p || !n) return new Uint8Array(0);
      return new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(p, n).slice(0));
    }
    case GF_PROP_POINTER:
      return v.getPointer(o);
    case GF_PROP_STRING_LIST:
    case GF_PROP_STRING_LIST_COPY: {
      const n = v.getUint32(PV.listCount);
      const vals = v.getPointer(PV.listPtr);
      if (!vals) return [];
      const lv = new Deno.UnsafePointerView(vals);
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(readCString(lv.getPointer(i * 8)) ?? "");
      return out;
    }
    case GF_PROP_UINT_LIST:
      return readList(v, 4, (lv, off) => lv.getUint32(off));
    case GF_PROP_SINT_LIST:
      return readList(v, 4, (lv, off) => lv.getInt32(off));
    case GF_PROP_4CC:
      return fourccToString(v.getUint32(o));
    case GF_PROP_4CC_LIST:
      return readList(v, 4, (lv, off) => lv.getUint32(off)).map(fourccToString);
    case GF_PROP_VEC2I_LIST: {
      const n = v.getUint32(PV.listCount);
      const vals = v.getPointer(PV.listPtr);
      if (!vals) return [];
      const lv = new Deno.UnsafePointerView(vals);
      const out: Vec2[] = [];
      for (let i = 0; i < n; i++) out.push(new Vec2(lv.getInt32(i * 8), lv.getInt32(i * 8 + 4)));
      return out;
    }
    default:
      if (s.gf_props_type_is_enum(type)) {
        const u = v.getUint32(o);
        return readCString(s.gf_props_enum_name(type, u)) ?? u;
      }
      throw new GpacError(GF_BAD_PARAM, `unknown property type ${type} for ${pname || "?"}`);
  }
}

// ---------------------------------------------------------------------------------------------
// writing

/**
 * A `GF_PropertyValue` built from a JS value, with the native buffers it points to kept alive.
 * GPAC copies property values when they are set, so an `EncodedProp` only needs to live for
 * the duration of the call it is passed to.
 */
export interface EncodedProp {
  /** The 24-byte `GF_PropertyValue`. */
  bytes: Uint8Array<ArrayBuffer>;
  /** Buffers the value points to. */
  keep: unknown[];
}

/** Marks buffers as used after a native call, so they cannot be collected during it. */
export function keepAlive(_buffers: unknown): void {}

function isInt(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n);
}

/** Infers a property type for a user-defined property from a JS value. */
export function inferPropType(value: PropValue): number {
  if (typeof value === "boolean") return GF_PROP_BOOL;
  if (typeof value === "string") return GF_PROP_STRING;
  if (typeof value === "bigint") return value < 0n ? GF_PROP_LSINT : GF_PROP_LUINT;
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return GF_PROP_DOUBLE;
    if (value >= -0x80000000 && value <= 0x7fffffff) return GF_PROP_SINT;
    if (value > 0 && value <= 0xffffffff) return GF_PROP_UINT;
    return value < 0 ? GF_PROP_LSINT : GF_PROP_LUINT;
  }
  if (value instanceof Fraction) return GF_PROP_FRACTION;
  if (value instanceof Fraction64) return GF_PROP_FRACTION64;
  if (value instanceof Vec2) return isInt(value.x) && isInt(value.y) ? GF_PROP_VEC2I : GF_PROP_VEC2;
  if (value instanceof Vec3) return GF_PROP_VEC3I;
  if (value instanceof Vec4) return GF_PROP_VEC4I;
  if (value instanceof Uint8Array) return GF_PROP_DATA;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new GpacError(GF_BAD_PARAM, "cannot infer the type of an empty list property");
    }
    if (value.every((x) => typeof x === "string")) return GF_PROP_STRING_LIST;
    if (value.every((x) => x instanceof Vec2)) return GF_PROP_VEC2I_LIST;
    if (value.every(isInt)) {
      return (value as number[]).some((x) => x < 0) ? GF_PROP_SINT_LIST : GF_PROP_UINT_LIST;
    }
  }
  if (value === null || typeof value === "object") return GF_PROP_POINTER;
  throw new GpacError(GF_BAD_PARAM, `unsupported property value ${String(value)}`);
}

function bad(pname: string, type: number, value: unknown): never {
  throw new GpacError(
    GF_BAD_PARAM,
    `invalid value ${JSON.stringify(String(value))} for property ${pname} of type ${
      propTypeName(type)
    }`,
  );
}

function checkRange(pname: string, type: number, v: number, lo: number, hi: number): number {
  if (!isInt(v) || v < lo || v > hi) bad(pname, type, v);
  return v;
}

function toBig(pname: string, type: number, v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (isInt(v)) return BigInt(v);
  return bad(pname, type, v);
}

/**
 * Builds the native form of `value` as property type `type`.
 * @param pname Property name, for the StreamType / CodecID conversions and error messages.
 */
export function encodeProp(pname: string, type: number, value: PropValue): EncodedProp {
  const bytes = u8(PV.size);
  const dv = new DataView(bytes.buffer);
  const keep: unknown[] = [];
  const o = PV.value;
  let wtype = type;
  const u32 = (x: PropValue) =>
    typeof x === "string"
      ? enumValueFromString(type, pname, x)
      : checkRange(pname, type, x as number, 0, 0xffffffff);
  switch (type) {
    case GF_PROP_SINT:
      dv.setInt32(o, checkRange(pname, type, value as number, -0x80000000, 0x7fffffff), true);
      break;
    case GF_PROP_UINT:
    case GF_PROP_4CC:
      dv.setUint32(o, u32(value), true);
      break;
    case GF_PROP_LSINT:
      dv.setBigInt64(o, toBig(pname, type, value), true);
      break;
    case GF_PROP_LUINT:
      dv.setBigUint64(o, toBig(pname, type, value), true);
      break;
    case GF_PROP_BOOL:
      if (typeof value !== "boolean" && value !== 0 && value !== 1) bad(pname, type, value);
      dv.setUint32(o, value ? 1 : 0, true);
      break;
    case GF_PROP_FRACTION: {
      const f = value instanceof Fraction || value instanceof Fraction64
        ? value
        : typeof value === "number"
        ? (isInt(value) ? new Fraction(value, 1) : new Fraction(Math.round(value * 1000), 1000))
        : bad(pname, type, value);
      dv.setInt32(o, checkRange(pname, type, Number(f.num), -0x80000000, 0x7fffffff), true);
      dv.setUint32(o + 4, checkRange(pname, type, Number(f.den), 0, 0xffffffff), true);
      break;
    }
    case GF_PROP_FRACTION64: {
      const f = value instanceof Fraction || value instanceof Fraction64
        ? value
        : typeof value === "number"
        ? (isInt(value) ? new Fraction64(value, 1) : new Fraction64(Math.round(value * 1e6), 1e6))
        : typeof value === "bigint"
        ? new Fraction64(value, 1)
        : bad(pname, type, value);
      dv.setBigInt64(o, toBig(pname, type, f.num), true);
      dv.setBigUint64(o + 8, toBig(pname, type, f.den), true);
      break;
    }
    case GF_PROP_FLOAT:
      if (typeof value !== "number") bad(pname, type, value);
      dv.setFloat32(o, value, true);
      break;
    case GF_PROP_DOUBLE:
      if (typeof value !== "number") bad(pname, type, value);
      dv.setFloat64(o, value, true);
      break;
    case GF_PROP_VEC2I:
      if (!(value instanceof Vec2)) bad(pname, type, value);
      dv.setInt32(o, value.x, true);
      dv.setInt32(o + 4, value.y, true);
      break;
    case GF_PROP_VEC2:
      if (!(value instanceof Vec2)) bad(pname, type, value);
      dv.setFloat64(o, value.x, true);
      dv.setFloat64(o + 8, value.y, true);
      break;
    case GF_PROP_VEC3I:
      if (!(value instanceof Vec3)) bad(pname, type, value);
      dv.setInt32(o, value.x, true);
      dv.setInt32(o + 4, value.y, true);
      dv.setInt32(o + 8, value.z, true);
      break;
    case GF_PROP_VEC4I:
      if (!(value instanceof Vec4)) bad(pname, type, value);
      dv.setInt32(o, value.x, true);
      dv.setInt32(o + 4, value.y, true);
      dv.setInt32(o + 8, value.z, true);
      dv.setInt32(o + 12, value.w, true);
      break;
    case GF_PROP_STRING:
    case GF_PROP_STRING_NO_COPY:
    case GF_PROP_NAME: {
      if (typeof value !== "string") bad(pname, type, value);
      const b = cstr(value);
      keep.push(b);
      dv.setBigUint64(o, addressOf(Deno.UnsafePointer.of(b)), true);
      wtype = type === GF_PROP_NAME ? GF_PROP_NAME : GF_PROP_STRING; // GPAC copies STRING
      break;
    }
    case GF_PROP_DATA:
    case GF_PROP_DATA_NO_COPY:
    case GF_PROP_CONST_DATA: {
      if (!(value instanceof Uint8Array)) bad(pname, type, value);
      if (value.byteLength === 0) {
        throw new GpacError(GF_BAD_PARAM, `data property ${pname} cannot be empty`);
      }
      const b = u8(value.byteLength);
      b.set(value); // GPAC copies DATA values: a private copy is safe from JS-side changes
      keep.push(b);
      dv.setBigUint64(
        PV.dataPtr,
        addressOf(Deno.UnsafePointer.of(b as Uint8Array<ArrayBuffer>)),
        true,
      );
      dv.setUint32(PV.dataSize, value.byteLength, true);
      wtype = GF_PROP_DATA; // GPAC copies DATA
      break;
    }
    case GF_PROP_POINTER:
      if (value !== null && (typeof value !== "object" || Array.isArray(value))) {
        bad(pname, type, value);
      }
      dv.setBigUint64(o, addressOf(value as Deno.PointerValue), true);
      break;
    case GF_PROP_STRING_LIST:
    case GF_PROP_STRING_LIST_COPY: {
      if (!Array.isArray(value) || !value.every((x) => typeof x === "string")) {
        bad(pname, type, value);
      }
      const strs = (value as string[]).map(cstr);
      const table = u64s(Math.max(1, strs.length));
      strs.forEach((b, i) => (table[i] = addressOf(Deno.UnsafePointer.of(b))));
      keep.push(strs, table);
      dv.setBigUint64(PV.listPtr, addressOf(Deno.UnsafePointer.of(table)), true);
      dv.setUint32(PV.listCount, strs.length, true);
      wtype = GF_PROP_STRING_LIST_COPY; // GPAC takes ownership of plain STRING_LIST
      break;
    }
    case GF_PROP_UINT_LIST:
    case GF_PROP_SINT_LIST:
    case GF_PROP_4CC_LIST:
    case GF_PROP_VEC2I_LIST: {
      if (!Array.isArray(value)) bad(pname, type, value);
      if (value.length === 0) {
        throw new GpacError(GF_BAD_PARAM, `list property ${pname} cannot be empty in libgpac`);
      }
      let arr: Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>;
      if (type === GF_PROP_VEC2I_LIST) {
        arr = i32s(value.length * 2);
        (value as unknown[]).forEach((x, i) => {
          if (!(x instanceof Vec2)) bad(pname, type, value);
          arr[2 * i] = x.x;
          arr[2 * i + 1] = x.y;
        });
      } else if (type === GF_PROP_SINT_LIST) {
        arr = i32s(value.length);
        (value as number[]).forEach((x, i) =>
          arr[i] = checkRange(pname, type, x, -0x80000000, 0x7fffffff)
        );
      } else {
        arr = u32s(value.length);
        (value as (number | string)[]).forEach((x, i) =>
          arr[i] = type === GF_PROP_4CC_LIST && typeof x === "string"
            ? fourccParse(x)
            : checkRange(pname, type, x as number, 0, 0xffffffff)
        );
      }
      keep.push(arr);
      dv.setBigUint64(PV.listPtr, addressOf(Deno.UnsafePointer.of(arr)), true);
      dv.setUint32(PV.listCount, value.length, true);
      break;
    }
    default:
      if (gpacSymbols().gf_props_type_is_enum(type)) {
        dv.setUint32(o, u32(value), true);
        break;
      }
      throw new GpacError(GF_BAD_PARAM, `cannot write property ${pname} of type ${type}`);
  }
  dv.setUint32(PV.type, wtype, true);
  return { bytes, keep };
}

/**
 * Resolves a property name to `(4cc, type)` and encodes `value`: the type of a built-in
 * property comes from GPAC; a user-defined property uses `type` or one inferred from the value.
 */
export function encodeNamedProp(
  name: string,
  value: PropValue,
  type?: number,
): { p4cc: number; prop: EncodedProp } {
  const p4cc = propId(name);
  const t = p4cc ? propTypeOf(p4cc) : type ?? inferPropType(value);
  return { p4cc, prop: encodeProp(name, t, value) };
}

// ---------------------------------------------------------------------------------------------
// GPAC's own text forms

/**
 * @internal Parses `text` with GPAC's option parser into a native `GF_PropertyValue` (24
 * bytes). Free it with {@link freeNativeProp}.
 */
export function parseNativeProp(type: number, text: string, enumValues?: string): Uint8Array {
  return requireSymbol("gf_props_parse_value")(
    type,
    cstr("value"),
    cstr(text),
    enumValues ? cstr(enumValues) : null,
    ",".charCodeAt(0),
  );
}

/** @internal Releases what a native property value owns (strings, lists, data). */
export function freeNativeProp(bytes: Uint8Array): void {
  const reset = gpacSymbols().gf_props_reset_single;
  if (reset) reset(bytes as Uint8Array<ArrayBuffer>);
}

/**
 * Parses `text` the way GPAC parses filter options (`"30000/1001"`, `"T00:01:00"`, `"2M"`,
 * `"1,2,3"` …) into a value of property type `type`.
 */
export function parseProp(type: number, text: string): PropValue | null {
  const native = parseNativeProp(type, text);
  try {
    return readProp(Deno.UnsafePointer.of(native as Uint8Array<ArrayBuffer>));
  } finally {
    freeNativeProp(native);
  }
}

/** Formats `value` as property type `type` the way GPAC prints it (e.g. in `inspect`). */
export function dumpProp(type: number, value: PropValue): string {
  const enc = encodeProp("", type, value);
  const out = u8(100); // GF_PROP_DUMP_ARG_SIZE
  const r = gpacSymbols().gf_props_dump_val(enc.bytes, out, 0, null);
  const text = readCString(r) ?? "";
  keepAlive(enc.keep);
  return text;
}

/** @internal True if GPAC considers the two native property values equal. */
export function nativePropsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return requireSymbol("gf_props_equal")(
    a as Uint8Array<ArrayBuffer>,
    b as Uint8Array<ArrayBuffer>,
  ) !== 0;
}

// ---------------------------------------------------------------------------------------------
// reading property maps (PIDs, packets, filters): one implementation for every owner

type Handle = NonNullable<Deno.PointerValue>;

/** @internal Reads property `name` through the by-4CC or by-name getter of its owner. */
export function getNamedProp(
  h: Handle,
  name: string,
  by4cc: (h: Handle, p4cc: number) => Deno.PointerValue,
  byName: (h: Handle, name: Uint8Array<ArrayBuffer>) => Deno.PointerValue,
): PropValue | null {
  const p4cc = propId(name);
  return readProp(p4cc ? by4cc(h, p4cc) : byName(h, cstr(name)), name);
}

/** @internal Reads info property `name`, releasing the entry GPAC lends for it. */
export function getNamedInfo(
  h: Handle,
  name: string,
  by4cc: (h: Handle, p4cc: number, entry: BigUint64Array<ArrayBuffer>) => Deno.PointerValue,
  byName: (
    h: Handle,
    name: Uint8Array<ArrayBuffer>,
    entry: BigUint64Array<ArrayBuffer>,
  ) => Deno.PointerValue,
): PropValue | null {
  const entry = new OutPtr();
  const p4cc = propId(name);
  const p = p4cc ? by4cc(h, p4cc, entry.buf) : byName(h, cstr(name), entry.buf);
  try {
    return readProp(p, name);
  } finally {
    if (entry.value) gpacSymbols().gf_filter_release_property(entry.pointer);
  }
}

/** @internal Enumerates every property of an owner with its `*_enum_properties` function. */
export function enumNamedProps(
  h: Handle,
  next: (
    h: Handle,
    idx: Uint32Array<ArrayBuffer>,
    p4cc: Uint32Array<ArrayBuffer>,
    pname: BigUint64Array<ArrayBuffer>,
  ) => Deno.PointerValue,
): Map<string, PropValue | null> {
  const idx = u32s(1);
  const p4cc = u32s(1);
  const pname = u64s(1);
  const out = new Map<string, PropValue | null>();
  for (;;) {
    const p = next(h, idx, p4cc, pname);
    if (!p) break;
    const name = p4cc[0]
      ? propName(p4cc[0])
      : readCString(Deno.UnsafePointer.create(pname[0])) ?? "";
    out.set(name, readProp(p, name));
  }
  return out;
}
