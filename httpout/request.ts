/**
 * Request hooks for GPAC's HTTP server filter (`httpout`): watch, rewrite, reject, throttle or
 * fully serve HTTP requests from TypeScript, while GPAC keeps serving files, DASH/HLS sessions
 * and uploads.
 *
 * Subclass {@link HTTPOutRequest} and bind an instance to an `httpout` filter with
 * `filter.bind(handler)`. Each request gets its own request object (made by
 * {@link HTTPOutRequest.newRequest}, by default `new YourClass()`), whose `onRequest` runs on the
 * JS thread; the answer leaves with `send()`, right away or later.
 *
 * @module
 */

import {
  gpacSupports,
  gpacSymbols,
  loadGpac,
  requireFeature,
  requireSymbol,
} from "../ffi/library.ts";
import { httpOutSessionLayout } from "../ffi/layouts.ts";
import { addressOf, cstr, CStringArray, readCString, toNativeMemory } from "../ffi/cstring.ts";
import {
  GF_BAD_PARAM,
  GF_EOS,
  GF_IP_UDP_TIMEOUT,
  GF_NOT_SUPPORTED,
  GF_URL_ERROR,
} from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import { type Filter, registerBinder } from "../core/filter.ts";
import { SESSION } from "../core/internal.ts";

const CB_REQUEST = {
  // void *udta, GF_HTTPOutSession *sess, const char *method, const char *url, u32 auth_code,
  // u32 nb_hdrs, const char **hdrs
  parameters: ["pointer", "pointer", "pointer", "pointer", "u32", "u32", "pointer"],
  result: "i32",
} as const;
const CB_THROTTLE = { parameters: ["pointer", "u64", "u64"], result: "u32" } as const;
const CB_READ = { parameters: ["pointer", "pointer", "u32"], result: "i32" } as const;
const CB_WRITE = { parameters: ["pointer", "pointer", "u32"], result: "u32" } as const;
const CB_CLOSE = { parameters: ["pointer", "i32"], result: "void" } as const;

/** Life stage of an {@link HTTPOutRequest}. */
export type HTTPOutRequestState =
  /** The object is a bound handler (or not bound yet), not a request. */
  | "unbound"
  /** `onRequest` was called; GPAC waits for `send()`. */
  | "pending"
  /** `send()` was called; GPAC is answering. */
  | "sent"
  /** GPAC is done with the request (`close()` was called, or it was dropped). */
  | "closed";

/** Bookkeeping of one bound `httpout` filter. */
interface Binding {
  filter: Filter;
  handler: HTTPOutRequest;
  /** Requests GPAC may still call back, by id (the `udta` given to GPAC). */
  requests: Map<number, HTTPOutRequest>;
  request: Deno.UnsafeCallback<typeof CB_REQUEST>;
  throttle: Deno.UnsafeCallback<typeof CB_THROTTLE>;
  read: Deno.UnsafeCallback<typeof CB_READ>;
  write: Deno.UnsafeCallback<typeof CB_WRITE>;
  close: Deno.UnsafeCallback<typeof CB_CLOSE>;
}

/** Internal state of a request object, set by the binding. */
interface RequestState {
  binding: Binding;
  id: number;
  sess: NonNullable<Deno.PointerValue>;
  state: HTTPOutRequestState;
  /** `gf_sys_clock()` when onRequest was called (GPAC drops pending requests after `timeout`). */
  since: number;
  method: string;
  url: string;
  authCode: number;
  rawHeaders: [string, string][];
  headers: Headers;
  /** Bytes of a `Uint8Array` body, served through the read callback. */
  bytes: Uint8Array | null;
  offset: number;
  closeReason: number | null;
  /** Headers for the answer GPAC sends when an accepted upload is complete. */
  finalHeaders: [string, string][] | null;
}

const bindings = new WeakMap<Filter, Binding>();
let nextRequestId = 1;

const proto = () => HTTPOutRequest.prototype;

/**
 * An HTTP request received by GPAC's `httpout` filter, and the handler of such requests.
 *
 * Subclass it, override {@link HTTPOutRequest.onRequest} (and, as needed, `throttle`, `read`,
 * `write`, `close`), and bind one instance to the filter: `filter.bind(new MyHandler())`. For each
 * request, the bound instance makes a fresh request object with
 * {@link HTTPOutRequest.newRequest} (by default `new MyHandler()`, so give your class a
 * constructor without required arguments or override `newRequest`), and calls its `onRequest`.
 * The request object reaches the bound handler (for shared state) through
 * {@link HTTPOutRequest.root}.
 *
 * Answering: set {@link HTTPOutRequest.reply} (0: GPAC serves the resource as usual, e.g. a file
 * of `rdirs`, with your extra {@link HTTPOutRequest.headersOut}; otherwise the HTTP status code
 * you answer with), then call {@link HTTPOutRequest.send}, in `onRequest` or later (from a
 * session task, a timer between the steps of a non-blocking session, ...). A request whose
 * `onRequest` returns without `send()` waits; GPAC drops it after the filter's `timeout` option
 * (30 s by default) and `send()` then throws.
 *
 * All callbacks run on the JS thread: binding pins the `httpout` filter to the thread running
 * the session, also in sessions with worker threads. An exception thrown by a callback answers
 * the request with 500 (when still possible), stops the session and is rethrown by `run()`.
 *
 * @example
 * ```ts
 * import { FilterSession, HTTPOutRequest } from "@deno-gpac/gpac";
 *
 * class AddHeaders extends HTTPOutRequest {
 *   override onRequest(method: string, url: string, authCode: number, headers: Headers): void {
 *     console.log(method, url, headers.get("user-agent"));
 *     this.headersOut.set("X-Served-By", "deno-gpac");
 *     this.reply = 0; // GPAC serves the file
 *     this.send();
 *   }
 * }
 * using fs = new FilterSession();
 * const server = fs.load("httpout:port=8080:rdirs=media");
 * server.bind(new AddHeaders());
 * fs.run();
 * ```
 */
export class HTTPOutRequest {
  /**
   * Reply code: 0 lets GPAC serve the request as usual (the URL resolved in `rdirs`, or
   * {@link HTTPOutRequest.file}); otherwise the HTTP status code to answer with (100-599), with
   * {@link HTTPOutRequest.body} or the data of {@link HTTPOutRequest.read} as body, or, for an
   * accepted PUT/POST (status below 400), with the upload handed to
   * {@link HTTPOutRequest.write}.
   */
  reply = 0;

  /**
   * Body of a reply with a non-zero {@link HTTPOutRequest.reply}: a string (sent as UTF-8; it
   * cannot contain NUL characters) or bytes, both sent with their `Content-Length`. For bodies
   * built on the fly, leave it null and override {@link HTTPOutRequest.read}. Not sent for HEAD.
   */
  body: string | Uint8Array | null = null;

  /**
   * With `reply = 0`: a local file GPAC serves instead of resolving the URL (GPAC still handles
   * ranges, `ETag`, `HEAD`, ...). `send()` throws `GF_URL_ERROR` if it does not exist.
   */
  file: string | null = null;

  #headersOut = new Headers();

  /**
   * Headers added to the answer, including answers GPAC serves itself (`reply = 0`). Assigning
   * any `HeadersInit` (object, pairs, `Headers`) replaces them; invalid names or values throw a
   * `GF_BAD_PARAM` {@link GpacError}. They add to GPAC's headers but do not replace those GPAC
   * sets itself (e.g. `Content-Type` of a served file, `WWW-Authenticate: Basic` on a 401). For
   * an accepted PUT/POST upload, they go with the `201` GPAC sends once the upload is received
   * (libgpac 26.07).
   */
  get headersOut(): Headers {
    return this.#headersOut;
  }
  set headersOut(init: HeadersInit) {
    try {
      this.#headersOut = init instanceof Headers ? init : new Headers(init);
    } catch (e) {
      throw new GpacError(GF_BAD_PARAM, `invalid headersOut: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  #st: RequestState | null = null;

  /** Creates a handler or request object (no required arguments, see {@link newRequest}). */
  constructor() {}

  /**
   * Makes the request object for one new request; called on the bound handler. Defaults to
   * `new (this.constructor)()`; override it when your constructor takes arguments.
   */
  newRequest(): HTTPOutRequest {
    const Ctor = this.constructor as new () => HTTPOutRequest;
    return new Ctor();
  }

  // ---- callbacks to override ------------------------------------------------------------

  /**
   * Called for each request. The default sends the request back to GPAC (`reply = 0`).
   * Return without calling `send()` to answer later. May be `async`: a rejection stops the
   * session like a thrown exception.
   * @param method HTTP method (`GET`, `HEAD`, `PUT`, `POST`, `DELETE`, `OPTIONS`).
   * @param url Path of the request, percent-decoded, with its query (e.g. `/live/seg_3.m4s`).
   * @param authCode What GPAC's own credential check concluded for the directory the URL falls
   * in (`rdirs`/`wdir` rules, see `gpac -h creds`): 200 identified or no rule, 401 no
   * credentials given, 403 wrong credentials.
   * @param headers The request headers.
   */
  onRequest(
    _method: string,
    _url: string,
    _authCode: number,
    _headers: Headers,
  ): void | Promise<void> {
    this.send();
  }

  /**
   * Override to pace the transfer: GPAC calls it before each round of sending (as many 10 kB
   * blocks as the socket takes at once, option `block_size`) or receiving, with the bytes done so
   * far and the total size (0 when unknown). Return the number of microseconds to wait before the
   * next round, 0 to go on at once. Not used unless overridden.
   */
  throttle(_done: number, _total: number): number {
    return 0;
  }

  /**
   * Override to produce the body of a GET reply with a non-zero {@link HTTPOutRequest.reply} and
   * no {@link HTTPOutRequest.body}. Fill `buf` (on GPAC's memory, valid during the call only) and
   * return the number of bytes written; return 0 at the end of the body, or a negative number
   * when no data is ready yet (GPAC asks again about 1 ms later). The reply uses chunked transfer
   * encoding, unless `headersOut` has a `Content-Length` (then produce exactly that many bytes;
   * libgpac 26.07). Not used unless overridden.
   */
  read(_buf: Uint8Array): number {
    return 0;
  }

  /**
   * Override to receive the body of a PUT or POST accepted with a reply code below 400: called
   * for each block received (`buf` is on GPAC's memory, valid during the call only: copy what you
   * keep), then once with `null` at the end of the body. GPAC then answers `201 Created` (with
   * {@link HTTPOutRequest.headersOut}). Required to accept uploads (`send()` throws otherwise).
   * Uploads with a `Content-Length` need libgpac 26.07 (deno-gpac tells GPAC the length, which
   * GPAC's hook API omits); chunked uploads work with any version.
   */
  write(_buf: Uint8Array | null): void {}

  /**
   * Override to learn that GPAC is done with the request. `reason` is `GF_EOS` (1) or `GF_OK`
   * (0) when the request completed, a negative `GF_Err` (e.g. `GF_IP_CONNECTION_CLOSED`) when the
   * client went away or the transfer failed.
   */
  close(_reason: number): void {}

  // ---- request information --------------------------------------------------------------

  /** Life stage: `unbound` for a handler, then `pending`, `sent`, `closed` for a request. */
  get state(): HTTPOutRequestState {
    return this.#st?.state ?? "unbound";
  }

  /** The handler bound to the filter (for state shared by all requests). */
  get root(): HTTPOutRequest {
    return this.#st?.binding.handler ?? this;
  }

  /** The `httpout` filter that received the request, or null for a handler. */
  get filter(): Filter | null {
    return this.#st?.binding.filter ?? null;
  }

  /** HTTP method of the request (empty for a handler). */
  get method(): string {
    return this.#st?.method ?? "";
  }

  /** URL path of the request, percent-decoded (empty for a handler). */
  get url(): string {
    return this.#st?.url ?? "";
  }

  /** GPAC's credential check result (200, 401 or 403; 0 for a handler). */
  get authCode(): number {
    return this.#st?.authCode ?? 0;
  }

  /** The request headers (empty for a handler). */
  get headers(): Headers {
    return this.#st?.headers ?? new Headers();
  }

  /** The request headers exactly as received, in order, with duplicates. */
  get rawHeaders(): readonly (readonly [string, string])[] {
    return this.#st?.rawHeaders ?? [];
  }

  /** The `reason` GPAC closed the request with, or null while it is open. */
  get closeReason(): number | null {
    return this.#st?.closeReason ?? null;
  }

  // ---- answering ------------------------------------------------------------------------

  /**
   * Sends the answer described by {@link HTTPOutRequest.reply}, {@link HTTPOutRequest.body} /
   * {@link HTTPOutRequest.file} and {@link HTTPOutRequest.headersOut}. Call it once per request,
   * from `onRequest` or later. Throws a {@link GpacError}: `GF_BAD_PARAM` for an invalid answer,
   * a second call or a handler object; `GF_IP_UDP_TIMEOUT` when GPAC already dropped the pending
   * request (filter `timeout`); `GF_URL_ERROR` when `file` does not exist.
   */
  send(): void {
    const st = this.#st;
    if (!st) {
      throw new GpacError(
        GF_BAD_PARAM,
        "send() called on an object that is not a request (the bound handler, or not bound)",
      );
    }
    if (st.state !== "pending") {
      throw new GpacError(
        GF_BAD_PARAM,
        `send() called on a request that is already ${st.state}: ${st.method} ${st.url}`,
      );
    }
    const b = st.binding;
    if (!b.filter.alive) {
      this.#drop();
      throw new GpacError(
        GF_BAD_PARAM,
        `send() after the httpout filter was destroyed: ${st.method} ${st.url}`,
      );
    }
    this.#checkTimeout(st);

    const reply = this.reply;
    if (!Number.isInteger(reply) || (reply !== 0 && (reply < 100 || reply > 599))) {
      throw new GpacError(
        GF_BAD_PARAM,
        `invalid reply code ${reply} for ${st.method} ${st.url} (0 or 100-599)`,
      );
    }
    const upload = st.method === "PUT" || st.method === "POST";
    const overrides = {
      throttle: this.throttle !== proto().throttle,
      read: this.read !== proto().read,
      write: this.write !== proto().write,
    };
    let body: string | null = null;
    let bytes: Uint8Array | null = null;
    if (reply === 0) {
      if (this.body !== null && this.body !== undefined) {
        throw new GpacError(
          GF_BAD_PARAM,
          `body needs a reply code (reply is 0, GPAC serves the resource): ${st.method} ${st.url}`,
        );
      }
      if (this.file !== null && this.file !== undefined) {
        const f = String(this.file);
        if (f.includes("\0") || !fileExists(f)) {
          throw new GpacError(GF_URL_ERROR, `file to serve not found: "${f}"`);
        }
        body = f;
      }
    } else {
      if (this.file !== null && this.file !== undefined) {
        throw new GpacError(
          GF_BAD_PARAM,
          `file is only served with reply 0 (reply is ${reply}): ${st.method} ${st.url}`,
        );
      }
      const bd = this.body;
      if (typeof bd === "string") {
        if (bd.includes("\0")) {
          throw new GpacError(
            GF_BAD_PARAM,
            `string body contains a NUL character: use a Uint8Array (${st.method} ${st.url})`,
          );
        }
        body = bd;
      } else if (bd instanceof Uint8Array) {
        bytes = bd;
      } else if (bd !== null && bd !== undefined) {
        throw new GpacError(
          GF_BAD_PARAM,
          `body must be a string or a Uint8Array, got ${typeof bd} (${st.method} ${st.url})`,
        );
      }
      if (upload && reply < 400 && !overrides.write) {
        throw new GpacError(
          GF_BAD_PARAM,
          `accepting ${st.method} ${st.url} with reply ${reply} needs a write() override to ` +
            `receive the upload (or use reply 0 to let GPAC store it in wdir)`,
        );
      }
    }
    const useRead = reply !== 0 && st.method === "GET" &&
      (bytes !== null || (overrides.read && body === null));
    const useWrite = reply !== 0 && upload; // GPAC refuses PUT/POST replies without one
    const receive = useWrite && reply < 400 && overrides.write;
    // without a body, GPAC would send no Content-Length: clients would wait for the connection
    // to close (and GPAC insists on a body or a read callback for GET)
    if (reply !== 0 && body === null && !useRead) body = "";
    const headers = new Headers(this.#headersOut);
    // a refused upload is not read: the connection cannot carry another request
    if (upload && reply >= 400) headers.set("connection", "close");
    // the length GPAC must know: of the upload it receives, or of the reply read() produces
    let length: { bytes: number; chunked: boolean } | null = null;
    if (receive) {
      const te = st.headers.get("transfer-encoding") ?? "";
      length = {
        bytes: declaredLength(st.headers.get("content-length")),
        chunked: /chunked/i.test(te),
      };
      if (!length.chunked && length.bytes > 0 && !canPatchSession()) {
        requireFeature(
          "httpoutUploadLength",
          `this GPAC would never see the end of ${st.method} ${st.url}`,
        );
      }
    } else if (useRead) {
      if (bytes) headers.set("content-length", String(bytes.length));
      const n = declaredLength(headers.get("content-length"));
      if (n > 0 && canPatchSession()) length = { bytes: n, chunked: false };
      else {
        headers.delete("content-length"); // GPAC sends read() data chunked
        length = { bytes: 0, chunked: true };
      }
    }
    // for an accepted upload, GPAC answers once it is received: headers go with that answer
    const pairs = receive ? [] : [...headers];
    st.finalHeaders = receive ? [...headers] : null;

    st.bytes = bytes;
    st.offset = 0;
    const table = new CStringArray(pairs.flat());
    const e = requireSymbol("gf_httpout_send_request")(
      st.sess,
      Deno.UnsafePointer.create(BigInt(st.id)),
      reply,
      body === null ? null : cstr(body),
      pairs.length * 2,
      pairs.length ? new Uint8Array(table.table.buffer) : null,
      overrides.throttle ? b.throttle.pointer : null,
      useRead ? b.read.pointer : null,
      useWrite ? b.write.pointer : null,
      b.close.pointer,
    );
    st.state = "sent";
    if (e < 0) {
      // GPAC answers 500 and will call close()
      throw new GpacError(e, `httpout refused the answer to ${st.method} ${st.url}`);
    }
    if (length && canPatchSession()) patchSession(st, length.bytes, length.chunked);
  }

  #checkTimeout(st: RequestState): void {
    const elapsed = (gpacSymbols().gf_sys_clock() - st.since) >>> 0;
    if (elapsed < 1000) return;
    // GPAC closes connections idle for more than `timeout` seconds, pending requests included
    // (without telling the request): refuse to touch it past that point
    const t = st.binding.filter.getArgValue("timeout");
    const timeout = typeof t === "number" ? t : 30;
    if (timeout > 0 && elapsed >= timeout * 1000) {
      this.#drop();
      throw new GpacError(
        GF_IP_UDP_TIMEOUT,
        `send() ${elapsed} ms after ${st.method} ${st.url} arrived: httpout drops pending ` +
          `requests after its timeout option (${timeout} s)`,
      );
    }
  }

  #drop(): void {
    const st = this.#st!;
    st.state = "closed";
    st.binding.requests.delete(st.id);
  }

  /** @ignore Reads (or first sets) the internal state of a request (binding use only). */
  static [SESSION](req: HTTPOutRequest, st?: unknown): unknown {
    if (st) req.#st = st as RequestState;
    return req.#st;
  }
}

function stateOf(req: HTTPOutRequest): RequestState | null {
  return HTTPOutRequest[SESSION](req) as RequestState | null;
}

function fileExists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    return true; // no read permission: let GPAC decide
  }
}

/** A `Content-Length` value as a number (0 when absent or invalid). */
function declaredLength(v: string | null): number {
  if (v === null || !/^\s*\d+\s*$/.test(v)) return 0;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : 0;
}

/** True when the private httpout session layout of the loaded libgpac was measured. */
function canPatchSession(): boolean {
  return gpacSupports("httpoutUploadLength");
}

/** The measured private session layout (only called after canPatchSession()). */
function sessionLayout(): NonNullable<ReturnType<typeof httpOutSessionLayout>> {
  const { major, minor } = loadGpac().abi;
  return httpOutSessionLayout(major, minor)!;
}

/** Copies a string into GPAC's heap (GPAC frees it). */
function gpacString(str: string): NonNullable<Deno.PointerValue> {
  return toNativeMemory(cstr(str), gpacSymbols().gf_malloc);
}

/**
 * Queues headers GPAC adds to the answer it sends when an accepted upload ends: see
 * the measured `HTTPOutSessionLayout` (ffi/layouts.ts).
 */
function queueFinalHeaders(st: RequestState, pairs: [string, string][]): void {
  if (!canPatchSession()) return;
  const HTTPOutSessionLayout = sessionLayout();
  const L = HTTPOutSessionLayout.fields;
  const dv = new DataView(
    Deno.UnsafePointerView.getArrayBuffer(st.sess, HTTPOutSessionLayout.size),
  );
  if (dv.getBigUint64(L.rtUdta.offset, true) !== BigInt(st.id)) return;
  if (dv.getBigUint64(L.headers.offset, true) !== 0n) return;
  const s = gpacSymbols();
  // GPAC only adds them when the session has no local path (see clearPath)
  clearPath(dv);
  const list = s.gf_list_new();
  if (!list) return;
  for (const [k, v] of pairs) {
    s.gf_list_add(list, gpacString(k));
    s.gf_list_add(list, gpacString(v));
  }
  dv.setBigUint64(L.headers.offset, addressOf(list), true);
}

/**
 * Tells GPAC the length of the body it receives (upload) or sends (read callback): see
 * the measured `HTTPOutSessionLayout` (ffi/layouts.ts). Writes only when the session struct holds what
 * `gf_httpout_send_request` just stored (our request id and its pending state).
 */
function patchSession(st: RequestState, bytes: number, chunked: boolean): void {
  const HTTPOutSessionLayout = sessionLayout();
  const L = HTTPOutSessionLayout.fields;
  const size = HTTPOutSessionLayout.size;
  const dv = new DataView(Deno.UnsafePointerView.getArrayBuffer(st.sess, size));
  const udta = dv.getBigUint64(L.rtUdta.offset, true);
  const pending = dv.getUint32(L.asyncPending.offset, true);
  if (udta !== BigInt(st.id) || (pending !== 2 && pending !== 3)) return;
  dv.setBigUint64(L.contentLength.offset, BigInt(bytes), true);
  dv.setUint32(L.useChunkTransfer.offset, chunked ? 1 : 0, true);
  clearPath(dv);
}

/**
 * Forgets the local file a previous request on the same connection left in the session: GPAC
 * would otherwise send that file instead of what `read()` produces.
 */
function clearPath(dv: DataView): void {
  const off = sessionLayout().fields.path.offset;
  const path = Deno.UnsafePointer.create(dv.getBigUint64(off, true));
  if (!path) return;
  dv.setBigUint64(off, 0n, true);
  gpacSymbols().gf_free(path);
}

// ---------------------------------------------------------------------------------------------
// binding

function fail(b: Binding, e: unknown): void {
  b.filter.session[SESSION].fail(e);
}

function byUdta(b: Binding, udta: Deno.PointerValue): HTTPOutRequest | undefined {
  if (!udta) return undefined;
  return b.requests.get(Number(Deno.UnsafePointer.value(udta)));
}

function newBinding(filter: Filter, handler: HTTPOutRequest): Binding {
  const b = { filter, handler, requests: new Map() } as unknown as Binding;

  b.request = new Deno.UnsafeCallback(
    CB_REQUEST,
    (_udta, sess, method, url, authCode, nbHdrs, hdrs) => {
      if (!sess || !filter.alive) return 503;
      const raw: [string, string][] = [];
      if (hdrs && nbHdrs) {
        const v = new Deno.UnsafePointerView(hdrs);
        for (let i = 0; i + 1 < nbHdrs; i += 2) {
          raw.push([
            readCString(v.getPointer(i * 8)) ?? "",
            readCString(v.getPointer((i + 1) * 8)) ?? "",
          ]);
        }
      }
      const headers = new Headers();
      for (const [k, val] of raw) {
        try {
          headers.append(k, val);
        } catch { /* a name or value Headers rejects: still in rawHeaders */ }
      }
      const st: RequestState = {
        binding: b,
        id: nextRequestId++,
        sess,
        state: "pending",
        since: gpacSymbols().gf_sys_clock(),
        method: readCString(method) ?? "",
        url: readCString(url) ?? "",
        authCode,
        rawHeaders: raw,
        headers,
        bytes: null,
        offset: 0,
        closeReason: null,
        finalHeaders: null,
      };
      let req: HTTPOutRequest;
      try {
        req = b.handler.newRequest();
        if (!(req instanceof HTTPOutRequest)) {
          throw new GpacError(
            GF_BAD_PARAM,
            `newRequest() must return an HTTPOutRequest, got ${
              Object.prototype.toString.call(req)
            }`,
          );
        }
        if (stateOf(req)) {
          throw new GpacError(GF_BAD_PARAM, "newRequest() returned an object already in use");
        }
      } catch (e) {
        fail(b, e);
        return 500;
      }
      HTTPOutRequest[SESSION](req, st);
      b.requests.set(st.id, req);
      try {
        const r = req.onRequest(st.method, st.url, authCode, headers);
        if (r && typeof (r as Promise<void>).then === "function") {
          (r as Promise<void>).then(undefined, (e) => {
            fail(b, e);
            // still pending: nobody will answer it, let GPAC drop it with the session
          });
        }
      } catch (e) {
        fail(b, e);
        if (st.state === "pending") {
          st.state = "closed";
          b.requests.delete(st.id);
          return 500;
        }
      }
      return 0;
    },
  );

  b.throttle = new Deno.UnsafeCallback(CB_THROTTLE, (udta, done, total) => {
    const req = byUdta(b, udta);
    if (!req) return 0;
    try {
      const us = Number(req.throttle(Number(done), Number(total)));
      if (!(us > 0)) return 0;
      return Math.min(Math.round(us), 0x7fffffff);
    } catch (e) {
      fail(b, e);
      return 0;
    }
  });

  b.read = new Deno.UnsafeCallback(CB_READ, (udta, buf, size) => {
    const req = byUdta(b, udta);
    if (!req || !buf || !size) return 0;
    const st = stateOf(req)!;
    const view = new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(buf, size));
    try {
      if (st.bytes) {
        const n = Math.min(size, st.bytes.length - st.offset);
        view.set(st.bytes.subarray(st.offset, st.offset + n));
        st.offset += n;
        return n;
      }
      const n = req.read(view);
      if (typeof n !== "number" || Number.isNaN(n) || n > size) {
        throw new GpacError(
          GF_BAD_PARAM,
          `read() must return a byte count up to ${size} (or 0 at the end, < 0 when no data ` +
            `is ready), got ${String(n)} for ${st.method} ${st.url}`,
        );
      }
      return n < 0 ? -1 : Math.floor(n);
    } catch (e) {
      fail(b, e);
      return 0;
    } finally {
      view.buffer.transfer(0); // the view must not outlive GPAC's buffer
    }
  });

  b.write = new Deno.UnsafeCallback(CB_WRITE, (udta, buf, size) => {
    const req = byUdta(b, udta);
    if (!req) return 0;
    const overridden = req.write !== proto().write;
    if (!overridden) return 0; // refused upload: GPAC does not read it
    if (!buf) {
      const st = stateOf(req)!;
      try {
        req.write(null);
      } catch (e) {
        fail(b, e);
      }
      // GPAC answers 201 right after this call: make that answer complete
      queueFinalHeaders(st, [["Content-Length", "0"], ...(st.finalHeaders ?? [])]);
      return 0;
    }
    const view = new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(buf, size));
    try {
      req.write(view);
    } catch (e) {
      fail(b, e);
    } finally {
      view.buffer.transfer(0);
    }
    return 0;
  });

  b.close = new Deno.UnsafeCallback(CB_CLOSE, (udta, reason) => {
    const req = byUdta(b, udta);
    if (!req) return; // GPAC may report the end of a connection again later: already closed
    const st = stateOf(req)!;
    st.state = "closed";
    st.closeReason = reason;
    st.bytes = null;
    b.requests.delete(st.id);
    if (req.close === proto().close) return;
    try {
      req.close(reason);
    } catch (e) {
      fail(b, e);
    }
  });

  // GPAC may call these until the session is deleted: close them only then
  filter.session[SESSION].deferClose([b.request, b.throttle, b.read, b.write, b.close]);
  return b;
}

/**
 * Binds `handler` to an `httpout` filter (what `filter.bind(handler)` does for `httpout`).
 * Binding again replaces the handler for new requests; requests already received keep theirs.
 */
export function bindHTTPOut(filter: Filter, handler: object): void {
  if (!(handler instanceof HTTPOutRequest)) {
    throw new GpacError(
      GF_BAD_PARAM,
      `httpout filters bind HTTPOutRequest objects, got ${Object.prototype.toString.call(handler)}`,
    );
  }
  if (stateOf(handler)) {
    throw new GpacError(GF_BAD_PARAM, "a request object cannot be bound as a handler");
  }
  requireFeature("httpout");
  const bindFn = requireSymbol("gf_filter_bind_httpout_callbacks");
  const h = filter.handle;
  let b = bindings.get(filter);
  if (b) {
    b.handler = handler;
    return;
  }
  // callbacks are plain JS callbacks: they must run on the thread running the session
  const force = gpacSymbols().gf_filter_force_main_thread;
  if (!force) {
    throw new GpacError(
      GF_NOT_SUPPORTED,
      "this libgpac cannot pin httpout to the JS thread (gf_filter_force_main_thread missing)",
    );
  }
  force(h, 1);
  b = newBinding(filter, handler);
  const e = bindFn(h, null, b.request.pointer);
  if (e < 0) throw new GpacError(e, `cannot bind a request handler to ${filter}`);
  bindings.set(filter, b);
}

/** The handler bound to an `httpout` filter, or null. */
export function boundHTTPOutHandler(filter: Filter): HTTPOutRequest | null {
  return bindings.get(filter)?.handler ?? null;
}

/** `reason` values of {@link HTTPOutRequest.close} meaning the request completed. */
export function httpOutCompleted(reason: number): boolean {
  return reason === 0 || reason === GF_EOS;
}

registerBinder("httpout", bindHTTPOut);
