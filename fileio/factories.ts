/**
 * Ready-made {@link FileIOFactory} implementations: the Deno file system, in-memory files (a
 * `Map` of `Uint8Array`s), and Web streams.
 *
 * @module
 */

import { GF_BAD_PARAM, GF_IO_ERR } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import { requireFeature } from "../ffi/library.ts";
import type { FileIOFactory, SeekWhence } from "./fileio.ts";

/** True for `fopen` modes that write (`w`, `a`, or `+`). */
function writes(mode: string): boolean {
  return /[wa+]/.test(mode);
}

function newPosition(pos: number, size: number, offset: number, whence: SeekWhence): number {
  const base = whence === 0 ? 0 : whence === 1 ? pos : size;
  return base + offset;
}

// ---------------------------------------------------------------------------------------------

/** Options of {@link FsFileFactory}. */
export interface FsFileFactoryOptions {
  /** Create missing parent folders of files opened for writing (default true, as GPAC does). */
  mkdirs?: boolean;
}

/**
 * Files on the Deno file system (`Deno.openSync`), opened with the URL GPAC asks for. Mostly
 * useful as a base class (override `open` to rename or log, `write` to observe) and to check
 * what the other factories produce against GPAC's own file output.
 *
 * Needs `--allow-read` (and `--allow-write` for outputs).
 */
export class FsFileFactory implements FileIOFactory {
  /** Options shared by all clones. */
  readonly options: Readonly<FsFileFactoryOptions>;
  #file: Deno.FsFile | null = null;
  #eof = false;

  /** Creates the factory. */
  constructor(options: FsFileFactoryOptions = {}) {
    this.options = options;
  }

  /** A new factory with the same options, for another file. */
  clone(): FsFileFactory {
    return new FsFileFactory(this.options);
  }

  /** Opens `url` as a file path; `false` when it cannot be opened (e.g. missing for reading). */
  open(url: string, mode: string): boolean {
    const path = url.startsWith("file://") ? new URL(url).pathname : url;
    const m = mode.replace(/[bt]/g, "");
    const opts: Deno.OpenOptions = m.startsWith("r")
      ? { read: true, write: m.includes("+") }
      : m.startsWith("w")
      ? { write: true, create: true, truncate: true, read: m.includes("+") }
      : m.startsWith("a")
      ? { append: true, create: true, read: m.includes("+") }
      : { read: true };
    if (opts.write || opts.append) {
      const dir = path.replace(/[\\/][^\\/]*$/, "");
      if (dir !== path && dir !== "" && this.options.mkdirs !== false) {
        Deno.mkdirSync(dir, { recursive: true });
      }
    }
    try {
      this.#file = Deno.openSync(path, opts);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false;
      throw e;
    }
    this.#eof = false;
    return true;
  }

  /** Closes the file. */
  close(): void {
    this.#file?.close();
    this.#file = null;
  }

  /** Reads into `buf`. */
  read(buf: Uint8Array): number {
    let done = 0;
    while (done < buf.length) {
      const n = this.#file!.readSync(done ? buf.subarray(done) : buf);
      if (n === null || n === 0) break;
      done += n;
    }
    if (done < buf.length) this.#eof = true;
    return done;
  }

  /** Writes `buf`. */
  write(buf: Uint8Array): number {
    let done = 0;
    while (done < buf.length) done += this.#file!.writeSync(done ? buf.subarray(done) : buf);
    return done;
  }

  /** Seeks. */
  seek(offset: number, whence: SeekWhence): boolean {
    this.#file!.seekSync(offset, whence as Deno.SeekMode);
    this.#eof = false;
    return true;
  }

  /** Current position. */
  tell(): number {
    return this.#file!.seekSync(0, Deno.SeekMode.Current);
  }

  /** True once a read reached the end. */
  eof(): boolean {
    return this.#eof;
  }

  /** True if `url` is an existing file. */
  exists(url: string): boolean {
    try {
      return Deno.statSync(url.startsWith("file://") ? new URL(url).pathname : url).isFile;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false;
      throw e;
    }
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Files kept in memory, in a `Map` from URL (as GPAC opens it) to content. Outputs appear in
 * the map as they are written (each write replaces the entry by a view on the grown content),
 * so a server can serve segments while they are produced; inputs are read from the map.
 *
 * @example
 * ```ts
 * import { FileIO, FilterSession, MemoryFileFactory } from "@deno-gpac/gpac";
 * const files = new Map<string, Uint8Array>();
 * using fio = new FileIO("dash/live.mpd", new MemoryFileFactory(files));
 * using fs = new FilterSession();
 * fs.loadSrc("avgen:dur=2");
 * fs.load("ffenc:c=avc");
 * fs.loadDst(fio.url + ":segdur=1");
 * fs.run();
 * console.log([...files.keys()]); // dash/live.mpd, dash/audio_dash_track1_init.mp4, ...
 * ```
 */
export class MemoryFileFactory implements FileIOFactory {
  /** The files, shared by all clones. */
  readonly files: Map<string, Uint8Array>;
  #url = "";
  #buf: Uint8Array = new Uint8Array(0);
  #size = 0;
  #pos = 0;
  #writable = false;
  #append = false;
  /** True when `#buf` was allocated by this clone (content from the map is copied on write). */
  #own = false;
  #eof = false;

  /**
   * Creates the factory.
   * @param files The map to read from and write to (a new one if omitted).
   */
  constructor(files: Map<string, Uint8Array> = new Map()) {
    this.files = files;
  }

  /** A new factory on the same map, for another file. */
  clone(): MemoryFileFactory {
    return new MemoryFileFactory(this.files);
  }

  /** Opens `url`: `false` when reading a file that is not in the map. */
  open(url: string, mode: string): boolean {
    const existing = this.files.get(url);
    this.#url = url;
    this.#pos = 0;
    this.#eof = false;
    this.#writable = writes(mode);
    this.#append = mode.startsWith("a");
    if (mode.startsWith("w") || (!existing && this.#append)) {
      this.#buf = new Uint8Array(new ArrayBuffer(64 * 1024));
      this.#own = true;
      this.#size = 0;
      this.#commit();
      return true;
    }
    if (!existing) return false;
    this.#buf = existing;
    this.#own = false;
    this.#size = existing.length;
    if (this.#append) this.#pos = this.#size;
    return true;
  }

  #commit(): void {
    this.files.set(this.#url, this.#buf.subarray(0, this.#size));
  }

  /** Closes the file (its content stays in the map). */
  close(): void {
    if (this.#writable) this.#commit();
    this.#buf = new Uint8Array(0);
  }

  /** Reads from the current position. */
  read(buf: Uint8Array): number {
    const n = Math.max(0, Math.min(buf.length, this.#size - this.#pos));
    if (n) buf.set(this.#buf.subarray(this.#pos, this.#pos + n));
    this.#pos += n;
    if (n < buf.length) this.#eof = true;
    return n;
  }

  /** Writes at the current position (at the end in append mode), growing the file. */
  write(buf: Uint8Array): number {
    if (!this.#writable) {
      throw new GpacError(GF_BAD_PARAM, `"${this.#url}" is not open for writing`);
    }
    if (this.#append) this.#pos = this.#size;
    const end = this.#pos + buf.length;
    if (!this.#own || end > this.#buf.length) this.#grow(end);
    this.#buf.set(buf, this.#pos);
    this.#pos = end;
    if (end > this.#size) this.#size = end;
    this.#commit();
    return buf.length;
  }

  /** Moves the content to a buffer of this clone (copy on first write, doubling capacity). */
  #grow(min: number): void {
    let cap = Math.max(64 * 1024, this.#buf.length);
    while (cap < min) cap *= 2;
    const next = new Uint8Array(new ArrayBuffer(cap));
    next.set(this.#buf.subarray(0, this.#size));
    this.#buf = next;
    this.#own = true;
  }

  /** Seeks (positions past the end are allowed, as with files: the gap reads as zeros). */
  seek(offset: number, whence: SeekWhence): boolean {
    const p = newPosition(this.#pos, this.#size, offset, whence);
    if (p < 0 || !Number.isSafeInteger(p)) return false;
    this.#pos = p;
    this.#eof = false;
    return true;
  }

  /** Current position. */
  tell(): number {
    return this.#pos;
  }

  /** True once a read reached the end. */
  eof(): boolean {
    return this.#eof;
  }

  /** True if `url` is in the map. */
  exists(url: string): boolean {
    return this.files.has(url);
  }
}

// ---------------------------------------------------------------------------------------------

/** What the clones of a stream factory share: pending operations and the first failure. */
interface StreamShared {
  pending: Set<Promise<unknown>>;
  error: unknown;
  failed: boolean;
}

function track(shared: StreamShared, p: Promise<unknown>): void {
  const q = p.then(
    () => {
      shared.pending.delete(q);
    },
    (e) => {
      shared.pending.delete(q);
      if (!shared.failed) {
        shared.failed = true;
        shared.error = e;
      }
    },
  );
  shared.pending.add(q);
}

async function settle(shared: StreamShared): Promise<void> {
  while (shared.pending.size) await Promise.all([...shared.pending]);
  if (shared.failed) throw shared.error;
}

/**
 * Outputs written to Web `WritableStream`s, one per file GPAC opens (write-only: GPAC cannot
 * open these files for reading). Each GPAC write is copied and queued with `writer.write()`
 * without waiting, so the stream's backpressure is not applied while a blocking `run()` goes
 * on: chunks queue up until JS gets control back (step a non-blocking session from async code
 * to let the stream drain while GPAC works). Seeking is limited to the current position, so
 * use formats written in one pass (MPEG-2 TS, fragmented MP4, DASH/HLS segments, raw streams).
 *
 * A stream that errors makes the next write throw (stopping the session); call
 * {@link WritableStreamFileFactory.settled} after the session to wait until every chunk was
 * accepted and every stream closed.
 *
 * @example
 * ```ts
 * import { FileIO, FilterSession, WritableStreamFileFactory } from "@deno-gpac/gpac";
 * const out = await Deno.open("out.ts", { write: true, create: true, truncate: true });
 * const factory = new WritableStreamFileFactory(() => out.writable);
 * using fio = new FileIO("out.ts", factory);
 * using fs = new FilterSession();
 * fs.loadSrc("avgen:dur=1");
 * fs.load("ffenc:c=avc");
 * fs.loadDst(fio.url);
 * fs.run();
 * fs.close(); // GPAC closes its files: the streams are closed
 * await factory.settled();
 * ```
 */
export class WritableStreamFileFactory implements FileIOFactory {
  /** Returns the stream for a file GPAC opens, or null to refuse it. */
  readonly openStream: (url: string, mode: string) => WritableStream<Uint8Array> | null;
  #shared: StreamShared;
  #writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  #url = "";
  #pos = 0;

  /**
   * Creates the factory.
   * @param openStream Called for each file GPAC opens (the output itself, segments, ...).
   */
  constructor(openStream: (url: string, mode: string) => WritableStream<Uint8Array> | null) {
    this.openStream = openStream;
    this.#shared = { pending: new Set(), error: undefined, failed: false };
  }

  /** A factory for another file, sharing the stream callback and the pending operations. */
  clone(): WritableStreamFileFactory {
    const c = new WritableStreamFileFactory(this.openStream);
    c.#shared = this.#shared;
    return c;
  }

  /** Gets the stream for `url`; `false` if `openStream` returned null. */
  open(url: string, mode: string): boolean {
    const stream = this.openStream(url, mode);
    if (!stream) return false;
    if (stream.locked) {
      throw new GpacError(GF_BAD_PARAM, `the stream returned for "${url}" is already in use`);
    }
    this.#writer = stream.getWriter();
    this.#url = url;
    this.#pos = 0;
    return true;
  }

  /** Closes the stream (asynchronously; see {@link WritableStreamFileFactory.settled}). */
  close(): void {
    const w = this.#writer;
    this.#writer = null;
    if (w) track(this.#shared, w.close());
  }

  /** Queues a copy of `buf`; throws if a previous write or close of any file failed. */
  write(buf: Uint8Array): number {
    const s = this.#shared;
    if (s.failed) {
      throw new GpacError(GF_IO_ERR, `stream of "${this.#url}" failed`, { cause: s.error });
    }
    const w = this.#writer!;
    // an errored stream reports it synchronously through desiredSize (its reason comes later)
    if (w.desiredSize === null) {
      throw new GpacError(GF_IO_ERR, `stream of "${this.#url}" is errored`, { cause: s.error });
    }
    track(s, w.write(buf.slice()));
    this.#pos += buf.length;
    return buf.length;
  }

  /** Only "seeks" to the current position succeed (streams cannot go back). */
  seek(offset: number, whence: SeekWhence): boolean {
    return newPosition(this.#pos, this.#pos, offset, whence) === this.#pos;
  }

  /** Bytes written so far. */
  tell(): number {
    return this.#pos;
  }

  /** Always false (write-only). */
  eof(): boolean {
    return false;
  }

  /**
   * Resolves once every queued write and close of this factory and its clones is done;
   * rejects with the first stream error.
   */
  settled(): Promise<void> {
    return settle(this.#shared);
  }
}

/** Options of {@link ReadableStreamFileFactory}. */
export interface ReadableStreamFileFactoryOptions {
  /**
   * How long (ms) a read may find no data while the JS event loop does not run before it fails
   * (default 1000): a blocking `run()` keeps the stream from ever delivering.
   */
  stallTimeout?: number;
  /**
   * How many bytes before the read position are kept so that GPAC can seek back (default
   * 1 MiB): GPAC reads the start of a file to probe its format, then seeks back to 0.
   */
  rewind?: number;
  /**
   * Total length of each stream in bytes, when known (e.g. a `Content-Length`): GPAC then
   * knows the file size from the start. Required on GPAC 2.4 and 26.02, whose `fin` never sees
   * the end of a file of unknown length (see `gpacSupports("fileioUnknownLength")`).
   */
  size?: number;
}

/**
 * Inputs read from Web `ReadableStream`s, one per file GPAC opens (read-only). Chunks are
 * pulled by an async loop, so data only arrives while the JS event loop runs: drive the session
 * in non-blocking mode from async code (`while (!fs.lastTask) { fs.run(); await tick(); }`),
 * or GPAC finds no data. A read that finds no data returns 0 bytes without signalling the end
 * of the file, and GPAC retries; if the event loop did not run for `stallTimeout` ms meanwhile
 * (a blocking `run()`), the read fails with a `GF_IO_ERR` {@link GpacError} instead of hanging.
 *
 * GPAC may open a URL more than once (to probe it): `openStream` should return a new stream
 * each time, or null to refuse (a stream already being read is refused). The size is unknown
 * until the stream ends, and seeking back is limited to the `rewind` bytes kept, so use formats
 * GPAC reads in one pass (MPEG-2 TS, MP4 with the index first, raw streams).
 *
 * @example
 * ```ts
 * import { FileIO, FilterSession, GF_FS_FLAG_NON_BLOCKING, ReadableStreamFileFactory } from "@deno-gpac/gpac";
 * const factory = new ReadableStreamFileFactory(() => Deno.openSync("in.ts").readable);
 * using fio = new FileIO("in.ts", factory);
 * using fs = new FilterSession({ flags: GF_FS_FLAG_NON_BLOCKING });
 * fs.loadSrc(fio.url);
 * fs.load("inspect:deep");
 * while (!fs.lastTask) {
 *   fs.run();
 *   await new Promise((r) => setTimeout(r, 0));
 * }
 * ```
 */
export class ReadableStreamFileFactory implements FileIOFactory {
  /** Returns the stream for a file GPAC opens, or null if there is none. */
  readonly openStream: (url: string) => ReadableStream<Uint8Array> | null;
  /** Options shared by all clones. */
  readonly options: Readonly<ReadableStreamFileFactoryOptions>;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #url = "";
  /** Received chunks still kept, the first one starting at offset `#base` of the stream. */
  #chunks: Uint8Array[] = [];
  #base = 0;
  /** Offset after the last byte received. */
  #end = 0;
  #pos = 0;
  #done = false;
  #error: unknown = undefined;
  #failed = false;
  #starvedSince = 0;
  #loopRan = false;

  /**
   * Creates the factory.
   * @param openStream Called for each file GPAC opens.
   * @param options Stall detection and rewind size.
   */
  constructor(
    openStream: (url: string) => ReadableStream<Uint8Array> | null,
    options: ReadableStreamFileFactoryOptions = {},
  ) {
    this.openStream = openStream;
    this.options = options;
  }

  /** A factory for another file, with the same stream callback. */
  clone(): ReadableStreamFileFactory {
    return new ReadableStreamFileFactory(this.openStream, this.options);
  }

  /** Gets the stream for `url` and starts pulling it; `false` for write modes or no stream. */
  open(url: string, mode: string): boolean {
    if (writes(mode)) return false;
    const size = this.options.size;
    if (size !== undefined && !(Number.isSafeInteger(size) && size >= 0)) {
      throw new RangeError(`options.size must be a byte count >= 0, got ${size}`);
    }
    if (size === undefined) {
      requireFeature(
        "fileioUnknownLength",
        `GPAC's fin would never see the end of "${url}": pass the stream length as options.size`,
      );
    }
    const stream = this.openStream(url);
    if (!stream || stream.locked) return false;
    this.#reader = stream.getReader();
    this.#url = url;
    this.#pump(this.#reader);
    return true;
  }

  async #pump(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || this.#reader !== reader) break;
        if (value?.length) {
          this.#chunks.push(value);
          this.#end += value.length;
          this.#starvedSince = 0;
        }
      }
    } catch (e) {
      if (this.#reader === reader) {
        this.#failed = true;
        this.#error = e;
      }
    }
    this.#done = true;
  }

  /** Cancels the stream if it was not read to the end. */
  close(): void {
    const r = this.#reader;
    this.#reader = null;
    this.#chunks = [];
    if (r && !this.#done) r.cancel().catch(() => {});
  }

  /** Copies received data into `buf` (0 bytes: nothing received yet, or the end). */
  read(buf: Uint8Array): number {
    if (this.#failed) {
      throw new GpacError(GF_IO_ERR, `stream of "${this.#url}" failed`, { cause: this.#error });
    }
    let n = 0;
    let start = this.#base; // offset of chunk i
    for (let i = 0; i < this.#chunks.length && n < buf.length; i++) {
      const c = this.#chunks[i];
      const at = this.#pos + n - start;
      if (at < c.length) {
        const k = Math.min(buf.length - n, c.length - at);
        buf.set(c.subarray(at, at + k), n);
        n += k;
      }
      start += c.length;
    }
    this.#pos += n;
    this.#trim();
    if (n === 0 && !this.#done) this.#starving();
    return n;
  }

  /** Drops chunks entirely more than `rewind` bytes behind the read position. */
  #trim(): void {
    const keep = this.options.rewind ?? 1 << 20;
    while (this.#chunks.length && this.#base + this.#chunks[0].length < this.#pos - keep) {
      this.#base += this.#chunks.shift()!.length;
    }
  }

  #starving(): void {
    const now = performance.now();
    if (!this.#starvedSince || this.#loopRan) {
      // first empty read, or the event loop ran since: the stream is just slow, watch again
      this.#starvedSince = now;
      this.#loopRan = false;
      setTimeout(() => this.#loopRan = true, 0);
      return;
    }
    const limit = this.options.stallTimeout ?? 1000;
    if (now - this.#starvedSince > limit) {
      throw new GpacError(
        GF_IO_ERR,
        `no data from the stream of "${this.#url}" for ${limit} ms while the JS event loop ` +
          `was blocked: read ReadableStreams from a non-blocking session stepped by async code`,
      );
    }
  }

  /**
   * Seeks within the data kept (`rewind` bytes back) and received so far; from the end only
   * once the stream is over.
   */
  seek(offset: number, whence: SeekWhence): boolean {
    const known = this.options.size;
    if (whence === 2 && !this.#done && known === undefined) return false;
    const end = this.#done || known === undefined ? this.#end : known;
    const p = newPosition(this.#pos, end, offset, whence);
    // with a known size, GPAC may go to the end (to learn the size) before the data is there
    if (p < this.#base || (p > this.#end && p !== end)) return false;
    this.#pos = p;
    return true;
  }

  /** Read position. */
  tell(): number {
    return this.#pos;
  }

  /** True once the stream ended and its data was read. */
  eof(): boolean {
    return this.#done && this.#pos >= this.#end;
  }
}
