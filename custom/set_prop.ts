/**
 * Setting and removing named properties on output PIDs and packets: one implementation for
 * both owners (`FilterPid.setProp`/`setInfo`, `FilterPacket.setProp`).
 *
 * @module
 */

import { cstr, pin, unpin } from "../ffi/buffers.ts";
import { checkString } from "../ffi/checks.ts";
import { GpacError } from "../core/errors.ts";
import { encodeNamedProp, propId, type PropValue } from "../core/props.ts";

type Handle = NonNullable<Deno.PointerValue>;

/** The two native setters of one kind of property owner (by 4CC, by name). */
export interface PropertyTarget {
  /** What the properties are, for messages (`"PID property"`, `"packet property"`). */
  what: string;
  /** Sets (or, with `null`, removes) a built-in property. */
  set4cc(h: Handle, p4cc: number, value: Uint8Array<ArrayBuffer> | null): number;
  /** Sets (or, with `null`, removes) a user-defined property. */
  setName(h: Handle, name: Uint8Array<ArrayBuffer>, value: Uint8Array<ArrayBuffer> | null): number;
}

/**
 * Encodes `value` (checked completely before any native call) and sets it as property `name`.
 * @param type `GF_PROP_*` type for a user-defined property (else inferred from the value).
 */
export function setNamedProp(
  target: PropertyTarget,
  h: Handle,
  name: string,
  value: PropValue,
  type?: number,
): void {
  checkString(`${target.what} name`, name);
  const { p4cc, prop } = encodeNamedProp(name, value, type);
  const cname = p4cc ? null : cstr(name, `${target.what} name`);
  // `prop.bytes` holds raw addresses of the buffers in `prop.keep`: a module-level reference
  // keeps them alive for the whole call (GPAC copies the value before returning)
  pin(prop.keep);
  let e: number;
  try {
    e = cname ? target.setName(h, cname, prop.bytes) : target.set4cc(h, p4cc, prop.bytes);
  } finally {
    unpin();
  }
  if (e < 0) throw new GpacError(e, `cannot set ${target.what} ${name} = ${String(value)}`);
}

/** Removes property `name`. */
export function removeNamedProp(target: PropertyTarget, h: Handle, name: string): void {
  checkString(`${target.what} name`, name);
  const p4cc = propId(name);
  const e = p4cc
    ? target.set4cc(h, p4cc, null)
    : target.setName(h, cstr(name, `${target.what} name`), null);
  if (e < 0) throw new GpacError(e, `cannot remove ${target.what} ${name}`);
}
