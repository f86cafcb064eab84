/**
 * Binding request hooks to an `httpout` filter: the native callbacks GPAC calls for each
 * request (new request, pacing, body to send, body received, end), each guarded so that an
 * exception stops the session instead of unwinding into libgpac.
 *
 * @module
 */

import { gpacSymbols, requireFeature, requireSymbol } from "../ffi/library.ts";
import { CStringReader } from "../ffi/buffers.ts";
import { GF_BAD_PARAM, GF_EOS, GF_NOT_SUPPORTED } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import { type Filter, registerBinder } from "../core/filter.ts";
import { SESSION } from "../core/internal.ts";
import { type ErrorSink, guarded } from "../core/guard.ts";
import { SessionState } from "../core/session_options.ts";
import { type Binding, headerListOf, type RequestState } from "./state.ts";
import { HTTPOutRequest, overridesAny, overridesClose, overridesOf, stateOf } from "./request.ts";
import { checkNewRequest, handlerOf } from "./handler.ts";
import { normaliseRequestPath } from "./path.ts";
import { RequestHeaders } from "./headers.ts";
import { queueFinalHeaders } from "./native_session.ts";

const CB_REQUEST = {
  // void *udta, GF_HTTPOutSession *sess, const char *method, const char *url, u32 auth_code,
  // u32 nb_hdrs, const char **hdrs. The strings are read from their addresses (usize: no
  // pointer object per argument and request)
  parameters: ["usize", "pointer", "usize", "usize", "u32", "u32", "usize"],
  result: "i32",
} as const;
// the request's `udta` is our request id, given to GPAC as a pointer-sized integer (no pointer
// object to make or read per request)
const CB_THROTTLE = { parameters: ["usize", "u64", "u64"], result: "u32" } as const;
const CB_READ = { parameters: ["usize", "pointer", "u32"], result: "i32" } as const;
const CB_WRITE = { parameters: ["usize", "pointer", "u32"], result: "u32" } as const;
const CB_CLOSE = { parameters: ["usize", "i32"], result: "void" } as const;

/** A binding with what only this module needs: the request maker and the callbacks. */
interface BoundFilter extends Binding {
  make: () => HTTPOutRequest;
  sink: ErrorSink;
  /** The request callback's pointer (given to `gf_filter_bind_httpout_callbacks`). */
  onRequest: Deno.PointerValue;
  callbacks: { close(): void }[];
}

const bindings = new WeakMap<Filter, BoundFilter>();
let nextRequestId = 1;

function requestOf(b: BoundFilter, udta: number | bigint): HTTPOutRequest | undefined {
  if (!udta) return undefined;
  return b.requests.get(Number(udta)) as HTTPOutRequest | undefined;
}

/**
 * Method names by address: GPAC passes string literals (`get_method_name()` in out_http.c, 2.4
 * to 26.07), so each address always holds the same name; reading it once saves a native call per
 * request. At most a few entries: other addresses are read each time.
 */
const methodNames = new Map<number, string>();
function methodName(b: BoundFilter, address: number | bigint): string {
  const key = Number(address);
  let name = methodNames.get(key);
  if (name === undefined) {
    name = b.reader.string(address) ?? "";
    if (methodNames.size < 16) methodNames.set(key, name);
  }
  return name;
}

function newState(
  b: BoundFilter,
  sess: NonNullable<Deno.PointerValue>,
  method: number | bigint,
  url: number | bigint,
  authCode: number,
  nbHdrs: number,
  hdrs: number | bigint,
): RequestState {
  const rawUrl = b.reader.string(url) ?? "";
  const st: RequestState = {
    binding: b,
    id: nextRequestId++,
    sess,
    state: "pending",
    since: gpacSymbols().gf_sys_clock(),
    method: methodName(b, method),
    url: normaliseRequestPath(rawUrl),
    rawUrl,
    authCode,
    headerList: null,
    hdrs,
    nbHdrs,
    inCallback: true,
    rawHeaders: null,
    headers: null as unknown as Headers,
    bytes: null,
    offset: 0,
    closeReason: null,
    finalHeaders: null,
    inHook: false,
  };
  st.headers = new RequestHeaders(() => headerListOf(st));
  return st;
}

function isThenable(r: unknown): boolean {
  return !!r && typeof (r as Promise<void>).then === "function";
}

/**
 * An `async` onRequest under the synchronous `run()` can never settle before `run()` returns:
 * refuse it. Under `runAsync()` or a stepped session, a rejection stops the session.
 */
function watchPromise(b: BoundFilter, req: HTTPOutRequest, st: RequestState, r: unknown): boolean {
  if (!isThenable(r)) return true;
  const session = b.filter.session;
  (r as Promise<void>).then(undefined, (e) => b.sink.fail(e));
  if (session.state !== SessionState.Running || session.nonBlocking) return true;
  b.sink.fail(
    new GpacError(
      GF_BAD_PARAM,
      `${req.constructor.name}.onRequest returned a Promise for ${st.method} ${st.url}, but ` +
        `the session runs under the synchronous run(), where no promise settles before run() ` +
        `returns: run it with await fs.runAsync(), or make onRequest synchronous`,
    ),
  );
  return false;
}

/** One new request: its state, its object, its `onRequest`. Returns what GPAC answers. */
function newRequest(
  b: BoundFilter,
  sess: Deno.PointerValue,
  method: number | bigint,
  url: number | bigint,
  authCode: number,
  nbHdrs: number,
  hdrs: number | bigint,
): number {
  if (!sess || !b.filter.alive) return 503;
  const st = newState(b, sess, method, url, authCode, nbHdrs, hdrs);
  let ok = false;
  let later = false;
  try {
    const req = checkNewRequest(b.make());
    HTTPOutRequest[SESSION](req, st);
    st.inHook = true;
    try {
      const r = req.onRequest(st.method, st.url, authCode, st.headers);
      later = isThenable(r) || overridesAny(req);
      ok = watchPromise(b, req, st, r);
    } catch (e) {
      b.sink.fail(e);
    } finally {
      st.inHook = false;
    }
    // GPAC frees its header table when this callback returns: copy the headers of a request
    // the class may still look at (unless onRequest read them already)
    if (st.headerList === null && (later || st.state === "pending")) headerListOf(st);
  } finally {
    st.inCallback = false;
  }
  if (!ok && st.state === "pending") {
    st.state = "closed";
    return 500;
  }
  return 0;
}

/** The request callback (guarded like `guarded()` does, without its per-call argument array). */
function onNewRequest(b: BoundFilter) {
  return (
    _udta: number | bigint,
    sess: Deno.PointerValue,
    method: number | bigint,
    url: number | bigint,
    authCode: number,
    nbHdrs: number,
    hdrs: number | bigint,
  ): number => {
    try {
      return newRequest(b, sess, method, url, authCode, nbHdrs, hdrs);
    } catch (e) {
      b.sink.fail(e);
      return 500;
    }
  };
}

function onThrottle(b: BoundFilter) {
  return (udta: number | bigint, done: number | bigint, total: number | bigint): number => {
    const req = requestOf(b, udta);
    if (!req) return 0;
    const us = Number(req.throttle(Number(done), Number(total)));
    if (!(us > 0)) return 0;
    return Math.min(Math.round(us), 0x7fffffff);
  };
}

function onRead(b: BoundFilter) {
  return (udta: number | bigint, buf: Deno.PointerValue, size: number): number => {
    const req = requestOf(b, udta);
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
    } finally {
      view.buffer.transfer(0); // the view must not outlive GPAC's buffer
    }
  };
}

function onWrite(b: BoundFilter) {
  return (udta: number | bigint, buf: Deno.PointerValue, size: number): number => {
    const req = requestOf(b, udta);
    if (!req || !overridesOf(req).write) return 0; // refused upload: GPAC does not read it
    if (!buf) {
      const st = stateOf(req)!;
      try {
        req.write(null);
      } finally {
        // GPAC answers 201 right after this call: make that answer complete
        queueFinalHeaders(st, [["Content-Length", "0"], ...(st.finalHeaders ?? [])]);
      }
      return 0;
    }
    const view = new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(buf, size));
    try {
      req.write(view);
    } finally {
      view.buffer.transfer(0);
    }
    return 0;
  };
}

function onClose(b: BoundFilter) {
  return (udta: number | bigint, reason: number): void => {
    const req = requestOf(b, udta);
    if (!req) return; // GPAC may report the end of a connection again later: already closed
    const st = stateOf(req)!;
    st.state = "closed";
    st.closeReason = reason;
    st.bytes = null;
    b.requests.delete(st.id);
    if (overridesClose(req)) req.close(reason);
  };
}

function newBinding(filter: Filter, root: object, make: () => HTTPOutRequest): BoundFilter {
  const sink = filter.session[SESSION];
  const reader = new CStringReader(gpacSymbols());
  const b = { filter, root, make, sink, reader, requests: new Map() } as unknown as BoundFilter;
  const request = new Deno.UnsafeCallback(CB_REQUEST, onNewRequest(b));
  const throttle = new Deno.UnsafeCallback(CB_THROTTLE, guarded(sink, 0, onThrottle(b)));
  const read = new Deno.UnsafeCallback(CB_READ, guarded(sink, 0, onRead(b)));
  const write = new Deno.UnsafeCallback(CB_WRITE, guarded(sink, 0, onWrite(b)));
  const close = new Deno.UnsafeCallback(CB_CLOSE, guarded(sink, undefined, onClose(b)));
  b.onRequest = request.pointer;
  b.callbacks = [request, throttle, read, write, close];
  b.pointers = {
    throttle: throttle.pointer,
    read: read.pointer,
    write: write.pointer,
    close: close.pointer,
  };
  // GPAC may call these until the session is deleted: close them only then
  sink.deferClose(b.callbacks);
  return b;
}

/**
 * Binds request hooks to an `httpout` filter (what `filter.bind(handler)` does for `httpout`):
 * an {@link HTTPOutHandler}, an {@link HTTPOutRequest} class, or (older form) an
 * `HTTPOutRequest` object used as a template. Binding again replaces the handler for new
 * requests; requests already received keep theirs.
 */
export function bindHTTPOut(filter: Filter, handler: object): void {
  const { root, make } = handlerOf(handler);
  requireFeature("httpout");
  const bindFn = requireSymbol("gf_filter_bind_httpout_callbacks");
  const h = filter.handle;
  const existing = bindings.get(filter);
  if (existing) {
    existing.root = root;
    existing.make = make;
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
  const b = newBinding(filter, root, make);
  const e = bindFn(h, null, b.onRequest);
  if (e < 0) throw new GpacError(e, `cannot bind a request handler to ${filter}`);
  bindings.set(filter, b);
}

/** What is bound to an `httpout` filter (handler, class's handler or template), or null. */
export function boundHTTPOutHandler(filter: Filter): object | null {
  return bindings.get(filter)?.root ?? null;
}

/** `reason` values of {@link HTTPOutRequest.close} meaning the request completed. */
export function httpOutCompleted(reason: number): boolean {
  return reason === 0 || reason === GF_EOS;
}

registerBinder("httpout", bindHTTPOut);
