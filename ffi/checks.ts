/**
 * Argument checks run before a value reaches a native call: each throws a `TypeError` or a
 * `RangeError` that says what was expected and what was given, instead of letting a wrong
 * value crash libgpac or come back as an internal FFI message.
 *
 * @module
 */

/** A short, safe description of any value for error messages (`object {a, b}`, `"x"`, …). */
export function describe(v: unknown): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "undefined":
      return "undefined";
    case "string":
      return JSON.stringify(v.length > 60 ? v.slice(0, 57) + "..." : v);
    case "number":
    case "boolean":
      return String(v);
    case "bigint":
      return `${v}n`;
    case "symbol":
      return v.toString();
    case "function":
      return `function ${v.name || "(anonymous)"}`;
  }
  if (Array.isArray(v)) return `array (length ${v.length})`;
  const ctor = (v as { constructor?: { name?: string } }).constructor?.name;
  if (ctor && ctor !== "Object") return `${ctor} object`;
  let keys: string[] = [];
  try {
    keys = Object.keys(v as object).slice(0, 4);
  } catch {
    // a revoked proxy or similar: no keys to show
  }
  return keys.length ? `object {${keys.join(", ")}}` : "object";
}

/** Throws a `TypeError` unless `v` is a string. */
export function checkString(what: string, v: unknown): string {
  if (typeof v !== "string") {
    throw new TypeError(`${what}: expected a string, got ${describe(v)}`);
  }
  return v;
}

/** Throws unless `v` is a boolean. */
export function checkBoolean(what: string, v: unknown): boolean {
  if (typeof v !== "boolean") {
    throw new TypeError(`${what}: expected a boolean, got ${describe(v)}`);
  }
  return v;
}

/**
 * Throws unless `v` is an integer number in `[lo, hi]` (a `TypeError` for a non-number, a
 * `RangeError` for a number out of range or not an integer).
 */
export function checkInt(what: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== "number") {
    throw new TypeError(`${what}: expected an integer in [${lo}, ${hi}], got ${describe(v)}`);
  }
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`${what}: expected an integer in [${lo}, ${hi}], got ${v}`);
  }
  return v;
}

/** {@link checkInt} for a `u8`. */
export function checkU8(what: string, v: unknown): number {
  return checkInt(what, v, 0, 0xff);
}

/** {@link checkInt} for a `u32`. */
export function checkU32(what: string, v: unknown): number {
  return checkInt(what, v, 0, 0xffffffff);
}

/** {@link checkInt} for an `s16`. */
export function checkI16(what: string, v: unknown): number {
  return checkInt(what, v, -0x8000, 0x7fff);
}

/** {@link checkInt} for an `s32`. */
export function checkI32(what: string, v: unknown): number {
  return checkInt(what, v, -0x80000000, 0x7fffffff);
}

const U64_MAX = 0xffffffffffffffffn;

/**
 * Throws unless `v` is a non-negative integer number or bigint that fits in a `u64` below
 * `max` (exclusive bound for sentinel values such as `GF_FILTER_NO_TS`).
 */
export function checkU64(what: string, v: unknown, max: bigint = U64_MAX + 1n): bigint {
  let b: bigint;
  if (typeof v === "bigint") b = v;
  else if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) {
      throw new RangeError(`${what}: expected a non-negative integer, got ${v}`);
    }
    b = BigInt(v);
  } else {
    throw new TypeError(`${what}: expected a non-negative integer or bigint, got ${describe(v)}`);
  }
  if (b < 0n || b >= max) {
    throw new RangeError(`${what}: expected an integer in [0, ${max - 1n}], got ${b}`);
  }
  return b;
}

/** Throws a `RangeError` unless `index` is an integer in `[0, count)`. */
export function checkIndex(what: string, index: unknown, count: number): number {
  if (typeof index !== "number") {
    throw new TypeError(`${what}: expected an index number, got ${describe(index)}`);
  }
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(
      `${what}: index ${index} out of range (${
        count === 0 ? "there are none" : `expected 0 to ${count - 1}`
      })`,
    );
  }
  return index;
}
