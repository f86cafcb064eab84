/**
 * FileIO wrappers: let GPAC read and write "files" through TypeScript objects (`gfio://` URLs).
 *
 * A {@link FileIO} wraps one URL and a factory object. GPAC gets `fio.url` (a `gfio://...` URL)
 * and, whenever one of its filters opens that file, or a file next to it (the segments of a
 * DASH manifest, ...), the factory is cloned and the clone serves that one opened file.
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { addressOf, cstr, readCString } from "../ffi/buffers.ts";
import { GF_BAD_PARAM, GF_IO_ERR, GF_OK, GF_URL_ERROR } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import { ensureInit } from "../core/gpac.ts";
import { activeSession, liveGfioUrls } from "../core/internal.ts";

/** Origin of a {@link FileIOFactory.seek}: 0 start of file, 1 current position, 2 end of file (as `fseek`). */
export type SeekWhence = 0 | 1 | 2;

/**
 * What a {@link FileIO} needs: an object able to open, read and/or write, seek and close one
 * file. The object passed to `new FileIO()` is a template: for every file GPAC opens, it is
 * cloned (with its `clone()` method if it has one, else by a shallow copy keeping its
 * prototype) and `open()` is called on the clone, which then serves that file until `close()`.
 *
 * All methods are called synchronously on the JS thread while a session runs, and must not
 * block on promises. An exception thrown by a method stops the session: `run()` (or `close()`
 * of the session) throws it as a {@link GpacError} whose `cause` is the original exception.
 *
 * `read` or `write` may be left out for a read-only or write-only factory: GPAC then refuses
 * to open the file in the other direction.
 */
export interface FileIOFactory {
  /**
   * Opens `url` in `mode` (an `fopen` mode such as `"rb"`, `"w+b"`, `"a+b"`).
   * @returns `false` if the file cannot be opened (GPAC gets `GF_URL_ERROR`); anything else
   * means success.
   */
  open(url: string, mode: string): boolean | void;
  /** Closes the file (called once per successful `open`). */
  close(): void;
  /**
   * Reads up to `buf.length` bytes into `buf`, a view on GPAC's memory valid during this call
   * only (it is emptied afterwards).
   * @returns The number of bytes read (0 at the end of the file).
   */
  read?(buf: Uint8Array): number;
  /**
   * Writes `buf`, a view on GPAC's memory valid during this call only: copy what you keep.
   * @returns The number of bytes written (fewer than `buf.length` reports a write error).
   */
  write?(buf: Uint8Array): number;
  /**
   * Moves the position to `offset` from `whence` (offset may be negative for 1 and 2).
   * @returns `false` or a negative GPAC error code on failure; anything else means success.
   */
  seek(offset: number, whence: SeekWhence): boolean | number | void;
  /** Current position in bytes. */
  tell(): number | bigint;
  /** True once a read hit the end of the file. */
  eof(): boolean;
  /** Whether `url` exists (optional: without it, GPAC's existence probes succeed). */
  exists?(url: string): boolean;
  /** Returns a fresh object for another file (optional: a shallow copy is used otherwise). */
  clone?(): FileIOFactory;
}

// ---------------------------------------------------------------------------------------------
// One native GF_FileIO: the root of a FileIO, or one GPAC created for a related URL / a second
// concurrent opening. Callbacks are created once per process and find the node by address.

interface Node {
  readonly ptr: NonNullable<Deno.PointerValue>;
  readonly key: bigint;
  /** The `gfio://` URL of the native object. */
  readonly gfioUrl: string;
  readonly owner: FileIOState;
  readonly resUrl: string;
  readonly isRoot: boolean;
  /** The factory clone serving the open file, or null when the node is not open. */
  handler: FileIOFactory | null;
  /** Mode the handler was opened with. */
  mode: string;
  /** `ref` count GPAC holds on the node. */
  refs: number;
  /** A callback threw: further reads and writes fail without calling the handler. */
  failed: boolean;
}

interface FileIOState {
  readonly factory: FileIOFactory;
  readonly canRead: boolean;
  readonly canWrite: boolean;
  readonly nodes: Set<Node>;
  root: Node | null;
  closed: boolean;
  error: GpacError | null;
}

const nodesByAddress = new Map<bigint, Node>();

/** @internal Number of native `GF_FileIO` objects alive (for tests). */
export function liveNativeCount(): number {
  return nodesByAddress.size;
}

/** `fopen` modes that write. */
const WRITES = /[wa+]/;

const CB_OPEN = {
  parameters: ["pointer", "pointer", "pointer", "pointer"],
  result: "pointer",
} as const;
const CB_SEEK = { parameters: ["pointer", "i64", "i32"], result: "i32" } as const;
const CB_RW = { parameters: ["pointer", "pointer", "u32"], result: "u32" } as const;
const CB_TELL = { parameters: ["pointer"], result: "i64" } as const;
const CB_EOF = { parameters: ["pointer"], result: "u32" } as const;

interface Callbacks {
  open: Deno.UnsafeCallback<typeof CB_OPEN>;
  seek: Deno.UnsafeCallback<typeof CB_SEEK>;
  read: Deno.UnsafeCallback<typeof CB_RW>;
  write: Deno.UnsafeCallback<typeof CB_RW>;
  tell: Deno.UnsafeCallback<typeof CB_TELL>;
  eof: Deno.UnsafeCallback<typeof CB_EOF>;
}

let callbacks: Callbacks | undefined;

/** The native callbacks, shared by every FileIO of the process (never closed: GPAC may keep
 * `gfio://` URLs of a session alive for as long as the process lives). */
function nativeCallbacks(): Callbacks {
  if (!callbacks) {
    callbacks = {
      open: new Deno.UnsafeCallback(CB_OPEN, onOpen),
      seek: new Deno.UnsafeCallback(CB_SEEK, onSeek),
      read: new Deno.UnsafeCallback(CB_RW, onRead),
      write: new Deno.UnsafeCallback(CB_RW, onWrite),
      tell: new Deno.UnsafeCallback(CB_TELL, onTell),
      eof: new Deno.UnsafeCallback(CB_EOF, onEof),
    };
  }
  return callbacks;
}

function nodeOf(ptr: Deno.PointerValue): Node | undefined {
  return ptr ? nodesByAddress.get(addressOf(ptr)) : undefined;
}

function setErr(errPtr: Deno.PointerValue, code: number): void {
  if (errPtr) new Int32Array(Deno.UnsafePointerView.getArrayBuffer(errPtr, 4))[0] = code;
}

/** Records an exception raised by the user's object and stops the session running it. */
function report(node: Node, e: unknown, op: string, code: number = GF_IO_ERR): void {
  node.failed = true;
  const err = e instanceof GpacError ? e : new GpacError(
    code,
    `FileIO ${op} of "${node.resUrl}" threw: ${e instanceof Error ? e.message : String(e)}`,
    { cause: e },
  );
  if (!node.owner.error) node.owner.error = err;
  activeSession()?.fail(err);
}

function newNode(owner: FileIOState, resUrl: string, isRoot: boolean): Node {
  const cb = nativeCallbacks();
  const ptr = gpacSymbols().gf_fileio_new(
    cstr(resUrl),
    null,
    cb.open.pointer,
    cb.seek.pointer,
    owner.canRead ? cb.read.pointer : null,
    owner.canWrite ? cb.write.pointer : null,
    cb.tell.pointer,
    cb.eof.pointer,
    null, // printf takes a va_list: GPAC formats into a buffer and calls write instead
  );
  if (!ptr) throw new GpacError(GF_BAD_PARAM, `cannot create a FileIO for "${resUrl}"`);
  // filters given this URL run on the main (JS) thread, also in multi-threaded sessions
  gpacSymbols().gf_fileio_tag_main_thread(ptr);
  const node: Node = {
    ptr,
    key: addressOf(ptr),
    gfioUrl: readCString(gpacSymbols().gf_fileio_url(ptr)) ?? "",
    owner,
    resUrl,
    isRoot,
    handler: null,
    mode: "",
    refs: 0,
    failed: false,
  };
  nodesByAddress.set(node.key, node);
  owner.nodes.add(node);
  liveGfioUrls.add(node.gfioUrl);
  return node;
}

function freeNode(node: Node): void {
  nodesByAddress.delete(node.key);
  liveGfioUrls.delete(node.gfioUrl);
  node.owner.nodes.delete(node);
  if (node.owner.root === node) node.owner.root = null;
  gpacSymbols().gf_fileio_del(node.ptr);
}

/** Frees a node GPAC no longer uses, when it is not needed for later openings. */
function release(node: Node): void {
  if (node.handler || node.refs > 0) return;
  const owner = node.owner;
  if (!node.isRoot && !owner.closed) freeNode(node);
  else if (owner.closed) freeIdle(owner);
}

/** Frees every node of a closed FileIO that GPAC no longer uses. */
function freeIdle(owner: FileIOState): void {
  for (const n of [...owner.nodes]) {
    if (!n.handler && n.refs === 0) freeNode(n);
  }
}

function resolveUrl(parent: string, url: string): string {
  const p = gpacSymbols().gf_url_concatenate(cstr(parent), cstr(url));
  if (!p) return url;
  const s = readCString(p) ?? url;
  gpacSymbols().gf_free(p);
  return s;
}

function cloneFactory(factory: FileIOFactory): FileIOFactory {
  const c = typeof factory.clone === "function"
    ? factory.clone()
    : Object.assign(Object.create(Object.getPrototypeOf(factory)), factory) as FileIOFactory;
  if (!c || typeof c.open !== "function") {
    throw new GpacError(GF_BAD_PARAM, "FileIO factory clone() did not return a factory");
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// native callbacks

function onOpen(
  refPtr: Deno.PointerValue,
  urlPtr: Deno.PointerValue,
  modePtr: Deno.PointerValue,
  errPtr: Deno.PointerValue,
): Deno.PointerValue {
  const ref = nodeOf(refPtr);
  if (!ref) {
    setErr(errPtr, GF_BAD_PARAM);
    return null;
  }
  setErr(errPtr, GF_OK);
  const mode = readCString(modePtr) ?? "";
  const url = readCString(urlPtr);
  switch (mode) {
    case "ref":
      ref.refs++;
      return ref.ptr;
    case "unref":
      if (ref.refs > 0) ref.refs--;
      release(ref);
      return null;
    case "close": {
      const h = ref.handler;
      ref.handler = null;
      if (h) {
        try {
          h.close();
        } catch (e) {
          report(ref, e, "close");
          setErr(errPtr, GF_IO_ERR);
        }
      }
      release(ref);
      return null;
    }
    case "probe": {
      const target = url === null ? ref.resUrl : targetUrl(ref, url);
      const factory = ref.owner.factory;
      if (typeof factory.exists !== "function") return null;
      try {
        if (!factory.exists(target)) setErr(errPtr, GF_URL_ERROR);
      } catch (e) {
        report(ref, e, "exists", GF_URL_ERROR);
        setErr(errPtr, GF_URL_ERROR);
      }
      return null;
    }
    case "url": {
      if (url === null || ref.owner.closed) {
        setErr(errPtr, GF_BAD_PARAM);
        return null;
      }
      try {
        const target = url.startsWith("gfio://")
          ? targetUrl(ref, url)
          : resolveUrl(ref.resUrl, url);
        return newNode(ref.owner, target, false).ptr;
      } catch (e) {
        report(ref, e, "url", GF_BAD_PARAM);
        setErr(errPtr, GF_BAD_PARAM);
        return null;
      }
    }
  }
  if (url === null) {
    setErr(errPtr, GF_BAD_PARAM);
    return null;
  }
  return openFile(ref, url, mode, errPtr);
}

/**
 * The resource URL a GPAC `url` designates, seen from node `ref`: a `gfio://` URL stands for
 * its node's URL; the URL of a node GPAC registered before (mode "url", which is how GPAC
 * resolves names against a `gfio://` parent) or of `ref` itself is taken as is; any other URL
 * is relative to `ref`'s URL.
 */
function targetUrl(ref: Node, url: string): string {
  if (url.startsWith("gfio://")) {
    const n = nodesByUrl(url);
    return n ? n.resUrl : url;
  }
  if (url === ref.resUrl) return url;
  for (const n of ref.owner.nodes) if (n.resUrl === url) return url;
  return resolveUrl(ref.resUrl, url);
}

function nodesByUrl(gfioUrl: string): Node | undefined {
  const p = gpacSymbols().gf_fileio_from_url(cstr(gfioUrl));
  return nodeOf(p);
}

function openFile(
  ref: Node,
  url: string,
  mode: string,
  errPtr: Deno.PointerValue,
): Deno.PointerValue {
  const owner = ref.owner;
  const target = targetUrl(ref, url);
  if (owner.closed) {
    setErr(errPtr, GF_URL_ERROR);
    if (WRITES.test(mode)) {
      const root = owner.root?.resUrl ?? ref.resUrl;
      report(
        ref,
        new GpacError(GF_URL_ERROR, `cannot open "${target}": FileIO for "${root}" is closed`),
        "open",
      );
    }
    return null;
  }
  // the node for this URL: the one GPAC passed if it is free, else a free one for the same
  // URL, else a new one (a file may be open several times at once, each with its position)
  let node: Node | undefined;
  if (!ref.handler && ref.resUrl === target) node = ref;
  if (!node) {
    for (const n of owner.nodes) {
      if (!n.handler && n.resUrl === target) {
        node = n;
        break;
      }
    }
  }
  let created = false;
  if (!node) {
    try {
      node = newNode(owner, target, false);
    } catch (e) {
      report(ref, e, "open", GF_URL_ERROR);
      setErr(errPtr, GF_URL_ERROR);
      return null;
    }
    created = true;
  }
  let handler: FileIOFactory;
  let ok: boolean | void;
  try {
    handler = cloneFactory(owner.factory);
    ok = handler.open(target, mode);
  } catch (e) {
    report(node, e, `open(${JSON.stringify(mode)})`, GF_URL_ERROR);
    setErr(errPtr, GF_URL_ERROR);
    if (created) freeNode(node);
    return null;
  }
  if (ok === false) {
    setErr(errPtr, GF_URL_ERROR);
    // an output GPAC cannot open is lost: stop the session and say which one (GPAC would
    // retry the writer for a while, then fail with a bare GF_IO_ERR); reads are left to GPAC,
    // which probes some files that may legitimately be missing
    if (WRITES.test(mode)) {
      report(
        node,
        new GpacError(GF_URL_ERROR, `FileIO factory refused to open "${target}" in mode "${mode}"`),
        "open",
      );
    }
    if (created) freeNode(node);
    return null;
  }
  node.handler = handler;
  node.mode = mode;
  node.failed = false;
  return node.ptr;
}

function onRead(ptr: Deno.PointerValue, buf: Deno.PointerValue, size: number): number {
  const node = nodeOf(ptr);
  const h = node?.handler;
  if (!h || node.failed || !buf || size === 0) return 0;
  const ab = Deno.UnsafePointerView.getArrayBuffer(buf, size);
  try {
    const n = h.read!(new Uint8Array(ab));
    if (!Number.isInteger(n) || n < 0 || n > size) {
      throw new GpacError(
        GF_IO_ERR,
        `FileIO read of "${node.resUrl}" returned ${n} for ${size} bytes`,
      );
    }
    return n;
  } catch (e) {
    report(node, e, "read");
    return 0;
  } finally {
    ab.transfer(0); // the view handed out is emptied: GPAC's buffer is only lent for this call
  }
}

function onWrite(ptr: Deno.PointerValue, buf: Deno.PointerValue, size: number): number {
  const node = nodeOf(ptr);
  const h = node?.handler;
  if (!h || node.failed) return 0;
  if (!buf || size === 0) return 0; // fflush: nothing to hand over
  const ab = Deno.UnsafePointerView.getArrayBuffer(buf, size);
  try {
    const n = h.write!(new Uint8Array(ab));
    if (!Number.isInteger(n) || n < 0 || n > size) {
      throw new GpacError(
        GF_IO_ERR,
        `FileIO write of "${node.resUrl}" returned ${n} for ${size} bytes`,
      );
    }
    return n;
  } catch (e) {
    report(node, e, "write");
    return 0;
  } finally {
    ab.transfer(0);
  }
}

function onSeek(ptr: Deno.PointerValue, offset: number | bigint, whence: number): number {
  const node = nodeOf(ptr);
  const h = node?.handler;
  if (!h || node.failed) return GF_IO_ERR;
  try {
    const r = h.seek(Number(offset), whence as SeekWhence);
    if (r === false) return GF_IO_ERR;
    if (typeof r === "number" && r < 0) return r | 0;
    return GF_OK;
  } catch (e) {
    report(node, e, "seek");
    return GF_IO_ERR;
  }
}

function onTell(ptr: Deno.PointerValue): bigint {
  const node = nodeOf(ptr);
  const h = node?.handler;
  if (!h || node.failed) return -1n;
  try {
    const r = h.tell();
    return typeof r === "bigint" ? r : BigInt(Math.trunc(r));
  } catch (e) {
    report(node, e, "tell");
    return -1n;
  }
}

function onEof(ptr: Deno.PointerValue): number {
  const node = nodeOf(ptr);
  const h = node?.handler;
  if (!h || node.failed) return 1;
  try {
    return h.eof() ? 1 : 0;
  } catch (e) {
    report(node, e, "eof");
    return 1;
  }
}

// ---------------------------------------------------------------------------------------------

const REQUIRED = ["open", "close", "seek", "tell", "eof"] as const;

/**
 * A `gfio://` URL served by a TypeScript {@link FileIOFactory}: pass {@link FileIO.url} to
 * `loadSrc` / `loadDst` (options may follow, e.g. `fio.url + ":segdur=1"`).
 *
 * The factory is cloned for each file GPAC opens through this URL: the URL itself, and files
 * next to it that GPAC derives from it (a DASH or HLS manifest's segments and playlists are
 * opened with URLs resolved against {@link FileIO.resourceUrl}).
 *
 * Filters given a `gfio://` URL run on the JS thread, also in sessions with worker threads,
 * so the factory is always called on the JS thread.
 *
 * @example
 * ```ts
 * import { FileIO, FilterSession, MemoryFileFactory } from "@deno-gpac/gpac";
 * const files = new Map<string, Uint8Array>();
 * using fio = new FileIO("out.mp4", new MemoryFileFactory(files));
 * using fs = new FilterSession();
 * fs.loadSrc("avgen:dur=1");
 * fs.load("ffenc:c=avc");
 * fs.loadDst(fio.url);
 * fs.run();
 * console.log(files.get("out.mp4")?.length);
 * ```
 */
export class FileIO implements Disposable {
  readonly #state: FileIOState;
  readonly #url: string;
  readonly #resourceUrl: string;

  /**
   * Wraps `url` with `factory`. Throws a `GF_BAD_PARAM` {@link GpacError} if the factory lacks
   * a required method (`open`, `close`, `seek`, `tell`, `eof`, and `read` and/or `write`).
   * @param url The URL the wrapper stands for; GPAC uses its extension to pick filters, and
   * resolves related files (segments) against it.
   * @param factory The template object cloned for every opened file.
   */
  constructor(url: string, factory: FileIOFactory) {
    if (typeof url !== "string" || url === "") {
      throw new GpacError(GF_BAD_PARAM, `FileIO needs a non-empty URL, got ${JSON.stringify(url)}`);
    }
    if (factory === null || typeof factory !== "object") {
      throw new GpacError(GF_BAD_PARAM, `FileIO factory for "${url}" is not an object`);
    }
    const missing = REQUIRED.filter((m) => typeof factory[m] !== "function");
    const canRead = typeof factory.read === "function";
    const canWrite = typeof factory.write === "function";
    if (!canRead && !canWrite) missing.push("read or write" as never);
    if (missing.length) {
      throw new GpacError(
        GF_BAD_PARAM,
        `FileIO factory for "${url}" lacks ${missing.join(", ")}`,
      );
    }
    ensureInit();
    this.#state = {
      factory,
      canRead,
      canWrite,
      nodes: new Set(),
      root: null,
      closed: false,
      error: null,
    };
    const root = newNode(this.#state, url, true);
    this.#state.root = root;
    this.#url = readCString(gpacSymbols().gf_fileio_url(root.ptr)) ?? "";
    this.#resourceUrl = url;
  }

  #check(): void {
    if (this.#state.closed) {
      throw new GpacError(GF_BAD_PARAM, `FileIO for "${this.#resourceUrl}" is closed`);
    }
  }

  /** The `gfio://` URL to give GPAC. Throws once closed. */
  get url(): string {
    this.#check();
    return this.#url;
  }

  /** The URL this wrapper stands for (the one passed to the constructor). */
  get resourceUrl(): string {
    return this.#resourceUrl;
  }

  /** True once {@link FileIO.close} was called. */
  get closed(): boolean {
    return this.#state.closed;
  }

  /**
   * The first exception raised by the factory or one of its clones, as a {@link GpacError}
   * (the original is its `cause`), or null. The session running when it happened also
   * rethrows it from `run()`.
   */
  get error(): GpacError | null {
    return this.#state.error;
  }

  /** Resource URLs of the files currently open through this wrapper. */
  get openFiles(): string[] {
    return [...this.#state.nodes].filter((n) => n.handler).map((n) => n.resUrl);
  }

  /**
   * Releases the wrapper. The `gfio://` URL stops working for new openings at once; native
   * objects GPAC still uses (open files, filters holding a reference, until their session is
   * closed) are freed when GPAC lets go of them. Calling it twice is a no-op.
   */
  close(): void {
    if (this.#state.closed) return;
    this.#state.closed = true;
    freeIdle(this.#state);
  }

  /** Same as {@link FileIO.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
