/**
 * Memory crossing the FFI boundary: C strings, typed arrays allocated outside the JS heap,
 * out-parameters and copies into libgpac's heap.
 *
 * @module
 */

import { checkString } from "./checks.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Copies `bytes` into memory allocated with `alloc` (libgpac's `gf_malloc`): for data native
 * code keeps after the call returns. JS buffers may be moved by the garbage collector (small
 * typed arrays live inside the JS heap), so their addresses must not outlive a call.
 */
export function toNativeMemory(
  bytes: Uint8Array,
  alloc: (size: bigint) => Deno.PointerValue,
): NonNullable<Deno.PointerValue> {
  const p = alloc(BigInt(Math.max(1, bytes.length)));
  if (!p) throw new Error("out of native memory");
  new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(p, Math.max(1, bytes.length))).set(bytes);
  return p;
}

/**
 * Typed arrays passed to native code are always created over an explicit `ArrayBuffer`: V8 keeps
 * small typed arrays made from a length inside the JS heap, where the garbage collector may move
 * them, e.g. while native code runs a JS callback and still holds the address.
 */
export function u8(n: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(new ArrayBuffer(n));
}
/** A `u32` array outside the JS heap (see {@link u8}). */
export function u32s(n: number): Uint32Array<ArrayBuffer> {
  return new Uint32Array(new ArrayBuffer(n * 4));
}
/** An `i32` array outside the JS heap (see {@link u8}). */
export function i32s(n: number): Int32Array<ArrayBuffer> {
  return new Int32Array(new ArrayBuffer(n * 4));
}
/** A `u64` array outside the JS heap (see {@link u8}). */
export function u64s(n: number): BigUint64Array<ArrayBuffer> {
  return new BigUint64Array(new ArrayBuffer(n * 8));
}
/** An `i64` array outside the JS heap (see {@link u8}). */
export function i64s(n: number): BigInt64Array<ArrayBuffer> {
  return new BigInt64Array(new ArrayBuffer(n * 8));
}

/**
 * Encodes a JS string as a NUL-terminated UTF-8 buffer for a `const char*` parameter. Throws a
 * `TypeError` naming `what` for anything but a string: libgpac would read past the end of any
 * other buffer.
 */
export function cstr(s: string, what = "string argument"): Uint8Array<ArrayBuffer> {
  if (typeof s !== "string") checkString(what, s);
  const out = u8(s.length * 3 + 1);
  const { written } = encoder.encodeInto(s, out);
  return out.subarray(0, written + 1) as Uint8Array<ArrayBuffer>;
}

/** Like {@link cstr} but maps `null`/`undefined` to a NULL pointer. */
export function cstrOrNull(
  s: string | null | undefined,
  what = "string argument",
): Uint8Array<ArrayBuffer> | null {
  return s === null || s === undefined ? null : cstr(s, what);
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
 * points to, valid for the duration of one call (use native memory for longer).
 */
export class CStringArray {
  /** The `char**` table (pass it as a `"buffer"` parameter). */
  readonly table: BigUint64Array<ArrayBuffer>;
  /** The NUL-terminated strings the table points to (kept alive here). */
  readonly strings: Uint8Array<ArrayBuffer>[];

  /** Packs `items` (a NULL entry follows the last one). */
  constructor(items: readonly string[]) {
    this.strings = items.map((s, i) => cstr(s, `string ${i} of a list`));
    this.table = u64s(items.length + 1);
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
  readonly buf: Uint32Array<ArrayBuffer> = u32s(1);
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
  readonly buf: BigUint64Array<ArrayBuffer> = u64s(1);
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

/** Buffers a native call reads through raw addresses (see {@link pin}). */
let pinned: unknown[] = [];

/**
 * Keeps `buffers` referenced until {@link unpin}: an encoded property value holds raw
 * addresses of buffers that nothing else references, and a module-level reference cannot be
 * optimised away while the native call that reads them runs.
 */
export function pin(buffers: unknown[]): void {
  pinned = buffers;
}

/** Ends the {@link pin} of the current call. */
export function unpin(): void {
  pinned = [];
}

/** Buffers pinned at the moment (empty between calls; for tests). */
export function pinnedCount(): number {
  return pinned.length;
}

/**
 * Reusable native memory for the strings of one call and their `char*` table: encoding a few
 * strings with {@link cstr} or {@link CStringArray} allocates one `ArrayBuffer` each (about a
 * microsecond apiece, plus external memory the garbage collector reclaims late), too much for a
 * per-request path. One scratch holds the strings of the current call only: every
 * {@link CStringScratch.pack} reuses the memory, so the callee must copy what it keeps (as
 * `gf_httpout_send_request` does), and nothing may pack again until the call returned.
 */
export class CStringScratch {
  #buf: Uint8Array<ArrayBuffer> = u8(0);
  #words: Uint32Array<ArrayBuffer> = new Uint32Array(this.#buf.buffer);
  /** Base address of #buf, as two 32-bit halves. */
  #lo = 0;
  #hi = 0;
  /** Start of each packed string in #buf (-1 for null). */
  readonly #starts: number[] = [];
  /** End of the strings (where the table goes, 8-aligned). */
  #end = 0;

  #reserve(bytes: number): void {
    if (bytes <= this.#buf.length) return;
    const size = Math.max(1024, 2 ** Math.ceil(Math.log2(bytes)));
    this.#buf = u8(size);
    this.#words = new Uint32Array(this.#buf.buffer);
    const base = addressOf(Deno.UnsafePointer.of(this.#buf));
    this.#lo = Number(base & 0xffffffffn);
    this.#hi = Number(base >> 32n);
  }

  /**
   * Encodes `items` (UTF-8, NUL-terminated; null stays null) into the scratch memory, replacing
   * what the previous call packed. Read them with {@link CStringScratch.string} and
   * {@link CStringScratch.table}.
   */
  pack(items: readonly (string | null)[]): this {
    let need = 8;
    for (let i = 0; i < items.length; i++) {
      const s = items[i];
      if (s !== null && typeof s !== "string") checkString(`string ${i} of a list`, s);
      need += s === null ? 0 : s.length * 3 + 1;
    }
    need += 8 * (items.length + 1) + 8;
    this.#reserve(need);
    const buf = this.#buf;
    let off = 0;
    this.#starts.length = items.length;
    for (let i = 0; i < items.length; i++) {
      const s = items[i];
      if (s === null) {
        this.#starts[i] = -1;
        continue;
      }
      this.#starts[i] = off;
      let j = 0;
      for (; j < s.length; j++) {
        const c = s.charCodeAt(j);
        if (c === 0 || c > 0x7f) break;
        buf[off + j] = c;
      }
      // NUL or non-ASCII: the encoder writes the rest (a NUL ends the C string, as with cstr)
      if (j < s.length) j += encoder.encodeInto(s.slice(j), buf.subarray(off + j)).written;
      buf[off + j] = 0;
      off += j + 1;
    }
    this.#end = Math.ceil(off / 8) * 8;
    return this;
  }

  /**
   * Lets go of the memory beyond `max` bytes once the call is done (a large string body must
   * not stay allocated for the life of the process); the next pack allocates again.
   */
  trim(max = 65536): void {
    if (this.#buf.length > max) {
      this.#buf = u8(0);
      this.#words = new Uint32Array(this.#buf.buffer);
    }
  }

  /** The i-th packed string, for a `const char*` parameter (null for a null item). */
  string(i: number): Uint8Array<ArrayBuffer> | null {
    const start = this.#starts[i];
    return start < 0 ? null : this.#buf.subarray(start, this.#buf.length);
  }

  /**
   * A NULL-terminated `char**` table of the packed strings `from` to `from + count - 1`, for a
   * `const char**` parameter (null when `count` is 0). Call it once per pack.
   */
  table(from: number, count: number): Uint8Array<ArrayBuffer> | null {
    if (count === 0) return null;
    const w = this.#words;
    let slot = this.#end / 4;
    for (let i = from; i < from + count; i++, slot += 2) {
      const start = this.#starts[i];
      if (start < 0) {
        w[slot] = 0;
        w[slot + 1] = 0;
        continue;
      }
      const lo = this.#lo + start;
      w[slot] = lo >>> 0;
      w[slot + 1] = this.#hi + (lo > 0xffffffff ? 1 : 0);
    }
    w[slot] = 0;
    w[slot + 1] = 0;
    return this.#buf.subarray(this.#end, this.#buf.length);
  }
}

/**
 * The libgpac functions {@link CStringReader} reads native memory with, all V8 fast calls
 * (nothing here calls back into JS): addresses and sizes go as bigints, which keeps the calls on
 * the fast path (a number given for a 64-bit parameter takes Deno's slow path).
 */
export interface NativeReadSymbols {
  /** `gf_strlcpy(dst, src, size)`: copies the C string at address `src`, returns its length. */
  gf_strlcpy(dst: Uint8Array<ArrayBuffer>, src: bigint, size: bigint): number;
  /** `gf_bs_new(buffer, size, GF_BITSTREAM_READ)`: a read bitstream over memory. */
  gf_bs_new(buffer: bigint, size: bigint, mode: number): Deno.PointerValue;
  /** `gf_bs_read_data(bs, data, n)`: copies `n` bytes (a `memcpy`), returns `n` or 0. */
  gf_bs_read_data(bs: Deno.PointerValue, data: Uint8Array<ArrayBuffer>, n: number): number;
  /** `gf_bs_del(bs)`. */
  gf_bs_del(bs: Deno.PointerValue): void;
}

/** Longest ASCII string decoded by `String.fromCharCode` (longer ones go to the TextDecoder). */
const SHORT_ASCII = 256;

/**
 * Reads C strings and `const char*` tables from addresses received as integers (callback
 * parameters declared `usize`, which spares the pointer object Deno makes for each `pointer`
 * parameter), for per-request paths. It uses no Deno op: ops (`getCString`, `copyInto`,
 * `UnsafePointer.create`) cost microseconds each when they run between two stretches of libgpac
 * work (cold caches: about 7 µs for the two of a table read inside an httpout request callback),
 * while V8 fast calls into libgpac stay cheap. Each string is copied by `gf_strlcpy` into a
 * buffer this reader owns and decoded in JS; a table's entries are copied in one
 * `gf_bs_read_data` from a read bitstream made over the table for that read.
 */
export class CStringReader {
  readonly #sym: NativeReadSymbols;
  #buf: Uint8Array<ArrayBuffer> = u8(1024);
  #size = 1024n;
  #table: BigUint64Array<ArrayBuffer> = u64s(64);
  #tableBytes: Uint8Array<ArrayBuffer> = new Uint8Array(this.#table.buffer);

  /**
   * @param sym libgpac's functions (the symbol table itself: its entries are looked up at each
   * call, so that the bound functions are used once libgpac bound them).
   */
  constructor(sym: NativeReadSymbols) {
    this.#sym = sym;
  }

  /** The NUL-terminated UTF-8 string at `address` (null for 0). */
  string(address: number | bigint): string | null {
    if (!address) return null;
    const src = BigInt(address);
    let n = this.#sym.gf_strlcpy(this.#buf, src, this.#size);
    if (n >= this.#buf.length) {
      this.#buf = u8(2 ** Math.ceil(Math.log2(n + 1)));
      this.#size = BigInt(this.#buf.length);
      n = this.#sym.gf_strlcpy(this.#buf, src, this.#size);
    }
    const b = this.#buf;
    if (n <= SHORT_ASCII) {
      let out = "";
      let i = 0;
      for (; i < n; i++) {
        const c = b[i];
        if (c > 0x7f) break;
        out += String.fromCharCode(c);
      }
      if (i === n) return out;
    }
    return decoder.decode(b.subarray(0, n));
  }

  /**
   * Reads the `n` strings of the `char*` table at `address` into `out` (a NULL entry reads as
   * ""). Returns `out`.
   */
  table(address: number | bigint, n: number, out: string[]): string[] {
    out.length = 0;
    if (n <= 0 || !address) return out;
    if (n > this.#table.length) {
      this.#table = u64s(2 ** Math.ceil(Math.log2(n)));
      this.#tableBytes = new Uint8Array(this.#table.buffer);
    }
    const s = this.#sym;
    const bytes = n * 8;
    const bs = s.gf_bs_new(BigInt(address), BigInt(bytes), 0);
    if (!bs) throw new Error("out of native memory");
    const read = s.gf_bs_read_data(bs, this.#tableBytes, bytes);
    s.gf_bs_del(bs);
    if (read !== bytes) throw new Error(`cannot read a table of ${n} strings`);
    const t = this.#table;
    for (let i = 0; i < n; i++) out[i] = this.string(t[i]) ?? "";
    return out;
  }
}
