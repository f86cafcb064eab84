/**
 * Encoding JS values into `GF_PropertyValue`s (checked completely before any native call).
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { addressOf, cstr, i32s, u32s, u64s, u8 } from "../ffi/buffers.ts";
import { describe } from "../ffi/checks.ts";
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
import { Fraction, Fraction64, type PropValue, Vec2, Vec3, Vec4 } from "./prop_values.ts";
import {
  enumValueFromString,
  fourccParse,
  propId,
  propTypeName,
  propTypeOf,
} from "./prop_names.ts";

/**
 * A `GF_PropertyValue` built from a JS value, with the buffers it points to. GPAC copies
 * property values when they are set, so an `EncodedProp` only needs to live for the duration of
 * the call it is passed to; callers keep `keep` referenced across that call (`custom/set_prop.ts`
 * `pin`).
 */
export interface EncodedProp {
  /** The 24-byte `GF_PropertyValue`. */
  bytes: Uint8Array<ArrayBuffer>;
  /** Buffers the value points to. */
  keep: unknown[];
}

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
  if (value === null || isPointerObject(value)) return GF_PROP_POINTER;
  throw new TypeError(
    "property value: expected a number, bigint, boolean, string, Fraction, Fraction64, Vec2, " +
      `Vec3, Vec4, Uint8Array, an array of strings, numbers or Vec2, or a Deno pointer; got ${
        describe(value)
      }`,
  );
}

/** True for a `Deno.PointerObject` (what FFI returns for a non-NULL pointer). */
function isPointerObject(v: unknown): v is Deno.PointerObject {
  if (v === null || typeof v !== "object" || Object.getPrototypeOf(v) !== null) return false;
  try {
    Deno.UnsafePointer.value(v as Deno.PointerObject);
    return true;
  } catch {
    return false;
  }
}

function bad(pname: string, type: number, value: unknown): never {
  throw new GpacError(
    GF_BAD_PARAM,
    `invalid value ${describe(value)} for property ${pname || "(unnamed)"}: expected a ${
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
      if (value !== null && !isPointerObject(value)) bad(pname, type, value);
      dv.setBigUint64(o, addressOf(value as Deno.PointerValue), true);
      break;
    case GF_PROP_STRING_LIST:
    case GF_PROP_STRING_LIST_COPY: {
      if (!Array.isArray(value) || !value.every((x) => typeof x === "string")) {
        bad(pname, type, value);
      }
      const strs = (value as string[]).map((x) => cstr(x));
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
