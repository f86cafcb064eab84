/**
 * Reading `GF_PropertyValue`s into JS values, and property maps of PIDs, packets and filters.
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { cstr, OutPtr, readCString, toNumberIfSafe, u32s, u64s } from "../ffi/buffers.ts";
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
import { Fraction, Fraction64, type PropValue, Vec2, Vec3, Vec4 } from "./prop_values.ts";
import { codecName, fourccToString, propId, propName } from "./prop_names.ts";

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
