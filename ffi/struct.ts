/**
 * Typed access to C structs described by the layouts of `layouts.ts`.
 *
 * @module
 */

import type { FieldLayout, FieldType, StructLayout } from "./layouts.ts";
import { addressOf, cstr, readCString, toNumberIfSafe } from "./buffers.ts";
import { checkInt, checkU64, describe } from "./checks.ts";

/** JS type of a field of a given {@link FieldType}. */
export type FieldValue<T extends FieldType> = T extends "u64" | "i64" ? number | bigint
  : T extends "bool32" ? boolean
  : T extends "pointer" ? Deno.PointerValue
  : number;

/** Plain-object form of a struct layout: one property per field. */
export type StructValues<L extends StructLayout> = {
  -readonly [K in keyof L["fields"]]: FieldValue<L["fields"][K]["type"]>;
};

/** Reads one field at `base + field.offset`. */
export function getField(
  dv: DataView,
  base: number,
  f: FieldLayout,
): number | bigint | boolean | Deno.PointerValue {
  const o = base + f.offset;
  switch (f.type) {
    case "u8":
      return dv.getUint8(o);
    case "i8":
      return dv.getInt8(o);
    case "u16":
      return dv.getUint16(o, true);
    case "i16":
      return dv.getInt16(o, true);
    case "u32":
      return dv.getUint32(o, true);
    case "i32":
      return dv.getInt32(o, true);
    case "u64":
      return toNumberIfSafe(dv.getBigUint64(o, true));
    case "i64":
      return toNumberIfSafe(dv.getBigInt64(o, true));
    case "f32":
      return dv.getFloat32(o, true);
    case "f64":
      return dv.getFloat64(o, true);
    case "bool32":
      return dv.getUint32(o, true) !== 0;
    case "pointer":
      return Deno.UnsafePointer.create(dv.getBigUint64(o, true));
  }
}

/** Writes one field at `base + field.offset`. */
export function setField(
  dv: DataView,
  base: number,
  f: FieldLayout,
  v: number | bigint | boolean | Deno.PointerValue,
): void {
  const o = base + f.offset;
  const n = typeof v === "boolean" ? (v ? 1 : 0) : v;
  switch (f.type) {
    case "u8":
      return dv.setUint8(o, Number(n));
    case "i8":
      return dv.setInt8(o, Number(n));
    case "u16":
      return dv.setUint16(o, Number(n), true);
    case "i16":
      return dv.setInt16(o, Number(n), true);
    case "u32":
    case "bool32":
      return dv.setUint32(o, Number(n) >>> 0, true);
    case "i32":
      return dv.setInt32(o, Number(n), true);
    case "u64":
      return dv.setBigUint64(o, BigInt(n as number | bigint), true);
    case "i64":
      return dv.setBigInt64(o, BigInt(n as number | bigint), true);
    case "f32":
      return dv.setFloat32(o, Number(n), true);
    case "f64":
      return dv.setFloat64(o, Number(n), true);
    case "pointer":
      return dv.setBigUint64(
        o,
        typeof n === "bigint" ? n : addressOf(n as Deno.PointerValue),
        true,
      );
  }
}

const INT_RANGES: Partial<Record<FieldLayout["type"], [number, number]>> = {
  u8: [0, 0xff],
  i8: [-0x80, 0x7f],
  u16: [0, 0xffff],
  i16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
};

/**
 * Checks a value a user writes into a struct field (a `TypeError` or `RangeError` naming the
 * field and the value instead of a silently wrapped number).
 */
function checkFieldValue(
  name: string,
  f: FieldLayout,
  v: unknown,
): number | bigint | boolean | Deno.PointerValue {
  const range = INT_RANGES[f.type];
  if (range) return checkInt(`field ${name}`, v, range[0], range[1]);
  switch (f.type) {
    case "bool32":
      if (typeof v === "boolean") return v;
      return checkInt(`field ${name}`, v, 0, 1);
    case "u64":
      return checkU64(`field ${name}`, v);
    case "i64":
      if (typeof v === "bigint" && v >= -(2n ** 63n) && v < 2n ** 63n) return v;
      if (typeof v === "number" && Number.isSafeInteger(v)) return v;
      throw new (typeof v === "number" || typeof v === "bigint" ? RangeError : TypeError)(
        `field ${name}: expected a signed 64-bit integer, got ${describe(v)}`,
      );
    case "f32":
    case "f64":
      if (typeof v !== "number") {
        throw new TypeError(`field ${name}: expected a number, got ${describe(v)}`);
      }
      return v;
    default: // pointer: null or a pointer object only
      if (v === null || (typeof v === "object" && Object.getPrototypeOf(v) === null)) {
        return v as Deno.PointerValue;
      }
      throw new TypeError(`field ${name}: expected a Deno pointer or null, got ${describe(v)}`);
  }
}

/** Copies every field of a struct into a plain object. */
export function readStruct<L extends StructLayout>(
  layout: L,
  dv: DataView,
  base = 0,
): StructValues<L> {
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(layout.fields)) out[k] = getField(dv, base, f);
  return out as StructValues<L>;
}

/**
 * A live view on a struct inside a byte buffer: one getter/setter per field, defined once per
 * layout on a shared prototype. Fields named in `strings` are C strings: they read as `string`
 * and accept a `string` (kept alive by the owner through `keep`).
 */
export type StructView<L extends StructLayout, S extends string = never> =
  & { -readonly [K in Exclude<keyof L["fields"], S>]: FieldValue<L["fields"][K]["type"]> }
  & { -readonly [K in Extract<keyof L["fields"], S>]: string | null };

interface ViewState {
  dv: DataView;
  base: number;
  keep: Map<string, Uint8Array>;
}
const STATE = Symbol("state");
const protos = new WeakMap<StructLayout, object>();

/** Creates a {@link StructView} of `layout` at `base` in `dv`. */
export function structView<L extends StructLayout, S extends string = never>(
  layout: L,
  dv: DataView,
  base: number,
  keep: Map<string, Uint8Array>,
  strings: readonly S[] = [],
): StructView<L, S> {
  let proto = protos.get(layout);
  if (!proto) {
    proto = {};
    const strs = new Set<string>(strings);
    for (const [k, f] of Object.entries(layout.fields)) {
      const isStr = strs.has(k) && f.type === "pointer";
      Object.defineProperty(proto, k, {
        enumerable: true,
        get(this: { [STATE]: ViewState }) {
          const st = this[STATE];
          const v = getField(st.dv, st.base, f);
          return isStr ? readCString(v as Deno.PointerValue) : v;
        },
        set(this: { [STATE]: ViewState }, v: unknown) {
          const st = this[STATE];
          if (isStr) {
            if (v === null || v === undefined) {
              st.keep.delete(k);
              setField(st.dv, st.base, f, null);
              return;
            }
            const b = cstr(String(v));
            st.keep.set(k, b); // keep the C string alive as long as the event
            setField(st.dv, st.base, f, Deno.UnsafePointer.of(b));
            return;
          }
          setField(st.dv, st.base, f, checkFieldValue(k, f, v));
        },
      });
    }
    protos.set(layout, proto);
  }
  const view = Object.create(proto) as { [STATE]: ViewState };
  Object.defineProperty(view, STATE, { value: { dv, base, keep }, enumerable: false });
  return view as unknown as StructView<L, S>;
}
