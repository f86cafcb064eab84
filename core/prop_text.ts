/**
 * GPAC's own text forms of property values (option parser and dump), for tools and tests.
 *
 * @module
 */

import { gpacSymbols, requireSymbol } from "../ffi/library.ts";
import { cstr, pin, readCString, u8, unpin } from "../ffi/buffers.ts";
import type { PropValue } from "./prop_values.ts";
import { readProp } from "./prop_read.ts";
import { encodeProp } from "./prop_encode.ts";

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
  pin(enc.keep);
  try {
    return readCString(gpacSymbols().gf_props_dump_val(enc.bytes, out, 0, null)) ?? "";
  } finally {
    unpin();
  }
}

/** @internal True if GPAC considers the two native property values equal. */
export function nativePropsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return requireSymbol("gf_props_equal")(
    a as Uint8Array<ArrayBuffer>,
    b as Uint8Array<ArrayBuffer>,
  ) !== 0;
}
