/**
 * Property names, 4CCs, types and codec/enum names, cached after the first lookup.
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { cstr, OutPtr, readCString } from "../ffi/buffers.ts";
import { GpacError } from "./errors.ts";
import { GF_BAD_PARAM, GF_PROP_4CC, GF_PROP_UINT } from "../ffi/constants.ts";

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

/** Parses the name form of an enum, codec, stream type or 4CC value for property `pname`. */
export function enumValueFromString(type: number, pname: string, v: string): number {
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
