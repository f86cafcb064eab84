/**
 * One HTTP request received by GPAC's `httpout` filter, seen and answered from TypeScript.
 *
 * Subclass {@link HTTPOutRequest}, override `onRequest` (and `throttle`, `read`, `write`, `close`
 * as needed), and bind the class to an `httpout` filter: `filter.bind(MyRequest)`, or
 * `filter.bind(new HTTPOutHandler(() => new MyRequest(config)))` (see `handler.ts`). Each request
 * gets a fresh object whose `onRequest` runs on the JS thread; the answer leaves with `send()`,
 * right away or later.
 *
 * @module
 */

import { GF_BAD_PARAM } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import type { Filter } from "../core/filter.ts";
import { SESSION } from "../core/internal.ts";
import { headerListOf, type HTTPOutRequestState, type RequestState } from "./state.ts";
import { type AnswerInput, checkNotTimedOut, planAnswer, sendAnswer } from "./answer.ts";
import { AnswerHeaders } from "./headers.ts";

export type { HTTPOutRequestState } from "./state.ts";

/**
 * One HTTP request received by GPAC's `httpout` filter.
 *
 * Subclass it, override {@link HTTPOutRequest.onRequest} (and, as needed, `throttle`, `read`,
 * `write`, `close`), and bind the class to the filter: `filter.bind(MyRequest)`; each request then
 * gets a `new MyRequest()`. When requests need constructor arguments or shared state, bind an
 * {@link HTTPOutHandler} instead: `filter.bind(new HTTPOutHandler(() => new MyRequest(db)))`; the
 * request reaches it through {@link HTTPOutRequest.root}. (Binding a request instance,
 * `filter.bind(new MyRequest())`, still works: that instance is then a template whose
 * `newRequest()` makes each request, and stays `unbound` itself.)
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
 * server.bind(AddHeaders);
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

  /** Made on first use: most requests add no header. */
  #headersOut: Headers | null = null;

  /**
   * Headers added to the answer, including answers GPAC serves itself (`reply = 0`). Assigning
   * any `HeadersInit` (object, pairs, `Headers`) replaces them; invalid names or values throw a
   * `GF_BAD_PARAM` {@link GpacError}. They add to GPAC's headers but do not replace those GPAC
   * sets itself (e.g. `Content-Type` of a served file, `WWW-Authenticate: Basic` on a 401). For
   * an accepted PUT/POST upload, they go with the `201` GPAC sends once the upload is received
   * (libgpac 26.07).
   */
  get headersOut(): Headers {
    return this.#headersOut ??= new AnswerHeaders();
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

  /** Creates a request object; the binding hands it its request before `onRequest`. */
  constructor() {}

  /**
   * Only for a request instance bound as a template (`filter.bind(new MyRequest())`): makes the
   * object of each request. Defaults to `new (this.constructor)()`.
   */
  newRequest(): HTTPOutRequest {
    const Ctor = this.constructor as new () => HTTPOutRequest;
    return new Ctor();
  }

  // ---- callbacks to override ------------------------------------------------------------

  /**
   * Called for each request. The default sends the request back to GPAC (`reply = 0`).
   * Return without calling `send()` to answer later. May be `async` when the session runs with
   * `runAsync()` (or steps by hand): a rejection stops the session like a thrown exception. Under
   * the synchronous `run()` no promise can settle before `run()` returns, so an `async` hook
   * stops the session with a `GF_BAD_PARAM` error saying to use `runAsync()`.
   * @param method HTTP method (`GET`, `HEAD`, `PUT`, `POST`, `DELETE`, `OPTIONS`).
   * @param url The path GPAC serves, normalised (see {@link HTTPOutRequest.url}), with its query
   * (e.g. `/live/seg_3.m4s`).
   * @param authCode What GPAC's own credential check concluded for the directory the URL falls
   * in (`rdirs`/`wdir` rules, see `gpac -h creds`): 200 identified or no rule, 401 no
   * credentials given, 403 wrong credentials.
   * @param headers The request headers, filled on first use (most hooks never read them). Read
   * them here, or keep them by answering later or overriding `close` (see
   * {@link HTTPOutRequest.headers}).
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
   * client went away or the transfer failed. GPAC reports the end of a request only to a request
   * whose class overrides `close`, `throttle`, `read` or `write` (or that sends a `Uint8Array`
   * body): the others skip that call back into JS, and stay `sent` once sent.
   */
  close(_reason: number): void {}

  // ---- request information --------------------------------------------------------------

  /**
   * Life stage: `pending`, `sent`, `closed`; `unbound` for an object no binding handed out. A
   * request only turns `closed` after `send()` when GPAC reports its end, which it does for the
   * requests that override `close()` (see {@link HTTPOutRequest.close}).
   */
  get state(): HTTPOutRequestState {
    return this.#st?.state ?? "unbound";
  }

  /**
   * What was bound to the filter (an {@link HTTPOutHandler}, or the request object bound with
   * the older `bind(instance)` form), for state shared by all requests.
   */
  get root(): object {
    return this.#st?.binding.root ?? this;
  }

  /** The `httpout` filter that received the request, or null for an unbound object. */
  get filter(): Filter | null {
    return this.#st?.binding.filter ?? null;
  }

  /** HTTP method of the request (empty when unbound). */
  get method(): string {
    return this.#st?.method ?? "";
  }

  /**
   * The path GPAC serves for this request, with its query: percent-decoded, duplicate slashes
   * collapsed, `.` and `..` segments resolved (`/sub/../private/p.txt` reads `/private/p.txt`).
   * Judge access on this path, never on {@link HTTPOutRequest.rawUrl}.
   */
  get url(): string {
    return this.#st?.url ?? "";
  }

  /** The request target as GPAC received and percent-decoded it, before normalisation. */
  get rawUrl(): string {
    return this.#st?.rawUrl ?? "";
  }

  /** GPAC's credential check result (200, 401 or 403; 0 when unbound). */
  get authCode(): number {
    return this.#st?.authCode ?? 0;
  }

  /**
   * The request headers (empty when unbound), the same object `onRequest` received. GPAC only
   * lends them during its request callback: they are read on first use, and copied when
   * `onRequest` returns for a request that can still be looked at later (not yet sent, answered
   * from an `async` onRequest, or whose class overrides `close`, `throttle`, `read` or `write`).
   * A request answered during a synchronous `onRequest` that never read them keeps none:
   * reading them (or {@link HTTPOutRequest.rawHeaders}) afterwards throws a `GF_BAD_PARAM`
   * {@link GpacError}.
   */
  get headers(): Headers {
    return this.#st?.headers ?? new Headers();
  }

  /**
   * The request headers exactly as received, in order, with duplicates (kept as
   * {@link HTTPOutRequest.headers} are).
   */
  get rawHeaders(): readonly (readonly [string, string])[] {
    const st = this.#st;
    if (!st) return [];
    if (st.rawHeaders === null) {
      const list = headerListOf(st);
      const pairs: (readonly [string, string])[] = [];
      for (let i = 0; i + 1 < list.length; i += 2) pairs.push([list[i], list[i + 1]]);
      st.rawHeaders = pairs;
    }
    return st.rawHeaders;
  }

  /**
   * The `reason` GPAC closed the request with, or null while it is open (and for a request
   * GPAC does not report the end of, see {@link HTTPOutRequest.close}).
   */
  get closeReason(): number | null {
    return this.#st?.closeReason ?? null;
  }

  // ---- answering ------------------------------------------------------------------------

  /**
   * Sends the answer described by {@link HTTPOutRequest.reply}, {@link HTTPOutRequest.body} /
   * {@link HTTPOutRequest.file} and {@link HTTPOutRequest.headersOut}. Call it once per request,
   * from `onRequest` or later. Throws a {@link GpacError}: `GF_BAD_PARAM` for an invalid answer,
   * a second call or an object that is not a request; `GF_IP_UDP_TIMEOUT` when GPAC already
   * dropped the pending request (filter `timeout`); `GF_URL_ERROR` when `file` does not exist.
   */
  send(): void {
    const st = this.#st;
    if (!st) {
      throw new GpacError(
        GF_BAD_PARAM,
        "send() called on an object that is not a request (a bound template, or not bound)",
      );
    }
    if (st.state !== "pending") {
      throw new GpacError(
        GF_BAD_PARAM,
        `send() called on a request that is already ${st.state}: ${st.method} ${st.url}`,
      );
    }
    if (!st.binding.filter.alive) {
      this.#drop();
      throw new GpacError(
        GF_BAD_PARAM,
        `send() after the httpout filter was destroyed: ${st.method} ${st.url}`,
      );
    }
    try {
      // GPAC cannot drop a request while it waits for our onRequest
      if (!st.inHook) checkNotTimedOut(st);
    } catch (e) {
      this.#drop();
      throw e;
    }
    const overrides = overridesOf(this);
    const plan = planAnswer(st, {
      reply: this.reply,
      body: this.body,
      file: this.file,
      headers: this.#headersOut,
      overrides,
    });
    sendAnswer(this, st, plan, overrides);
  }

  #drop(): void {
    const st = this.#st!;
    st.state = "closed";
    st.binding.requests.delete(st.id);
  }

  /** @ignore Reads (or first sets) the internal state of a request (binding use only). */
  static [SESSION](req: HTTPOutRequest, st?: RequestState): RequestState | null {
    if (st) req.#st = st;
    return req.#st;
  }
}

const proto = HTTPOutRequest.prototype;

/** Which callbacks `req`'s class overrides (GPAC is only given those). */
export function overridesOf(req: HTTPOutRequest): AnswerInput["overrides"] {
  return {
    throttle: req.throttle !== proto.throttle,
    read: req.read !== proto.read,
    write: req.write !== proto.write,
    close: req.close !== proto.close,
  };
}

/** True when `req`'s class overrides any of `close`, `throttle`, `read`, `write`. */
export function overridesAny(req: HTTPOutRequest): boolean {
  return req.close !== proto.close || req.throttle !== proto.throttle ||
    req.read !== proto.read || req.write !== proto.write;
}

/** True when `req`'s class overrides `close()`. */
export function overridesClose(req: HTTPOutRequest): boolean {
  return req.close !== proto.close;
}

/** The internal state of a request object, or null for one no binding handed out. */
export function stateOf(req: HTTPOutRequest): RequestState | null {
  return HTTPOutRequest[SESSION](req);
}
