/**
 * C string, out-parameter and raw-memory helpers shared by the whole binding.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes a JS string as a NUL-terminated UTF-8 buffer for a `const char*` parameter. */
export function cstr(s: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(s.length * 3 + 1);
  const { written } = encoder.encodeInto(s, out);
  return out.subarray(0, written + 1) as Uint8Array<ArrayBuffer>;
}

/** Like {@link cstr} but maps `null`/`undefined` to a NULL pointer. */
export function cstrOrNull(s: string | null | undefined): Uint8Array<ArrayBuffer> | null {
  return s === null || s === undefined ? null : cstr(s);
}

/** Reads a NUL-terminated UTF-8 string; `null` for a NULL pointer. */
export function readCString(ptr: Deno.PointerValue): string | null {
  return ptr === null ? null : Deno.UnsafePointerView.getCString(ptr);
}

/** Decodes UTF-8 bytes (for strings whose length is known). */
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Converts a u64/s64 from FFI to a number when it is exactly representable, else keeps it. */
export function toNumberIfSafe(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(v)
    : v;
}

/** The address of a pointer as a bigint (0n for NULL). */
export function addressOf(ptr: Deno.PointerValue): bigint {
  return ptr === null ? 0n : Deno.UnsafePointer.value(ptr) as bigint;
}

/**
 * A packed `char**` array: one buffer holding the pointer table, plus the string buffers it
 * points to. Keep the object alive for as long as native code may read the strings.
 */
export class CStringArray {
  /** The `char**` table (pass it as a `"buffer"` parameter). */
  readonly table: BigUint64Array<ArrayBuffer>;
  /** The NUL-terminated strings the table points to (kept alive here). */
  readonly strings: Uint8Array<ArrayBuffer>[];

  /** Packs `items` (a NULL entry follows the last one). */
  constructor(items: readonly string[]) {
    this.strings = items.map(cstr);
    this.table = new BigUint64Array(items.length + 1);
    this.strings.forEach((s, i) => {
      this.table[i] = addressOf(Deno.UnsafePointer.of(s));
    });
  }

  /** Number of strings. */
  get length(): number {
    return this.strings.length;
  }
}

/** A reusable one-slot out-parameter for `u32*` / `GF_Err*` / `Bool*`. */
export class OutU32 {
  /** Backing storage, passed as `"buffer"`. */
  readonly buf: Uint32Array<ArrayBuffer> = new Uint32Array(1);
  /** Value as unsigned. */
  get value(): number {
    return this.buf[0];
  }
  /** Value as signed 32-bit (for `GF_Err`). */
  get signed(): number {
    return this.buf[0] | 0;
  }
  /** Sets the slot (e.g. an enumeration index). */
  set(v: number): this {
    this.buf[0] = v;
    return this;
  }
}

/** A reusable one-slot out-parameter for `T**` / `u64*`. */
export class OutPtr {
  /** Backing storage, passed as `"buffer"`. */
  readonly buf: BigUint64Array<ArrayBuffer> = new BigUint64Array(1);
  /** The pointer written by C (null for NULL). */
  get pointer(): Deno.PointerValue {
    return Deno.UnsafePointer.create(this.buf[0]);
  }
  /** The raw 64-bit value. */
  get value(): bigint {
    return this.buf[0];
  }
  /** Clears the slot. */
  reset(): this {
    this.buf[0] = 0n;
    return this;
  }
}
