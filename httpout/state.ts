/**
 * Internal state shared by the httpout modules: one bound filter ({@link Binding}) and one
 * request ({@link RequestState}). Leaf module: it names no class of the other modules.
 *
 * @module
 */

import type { Filter } from "../core/filter.ts";
import type { CStringReader } from "../ffi/buffers.ts";
import { GF_BAD_PARAM } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";

/** Life stage of an `HTTPOutRequest`. */
export type HTTPOutRequestState =
  /** A request object no binding handed out (a template bound with the older `bind(instance)`). */
  | "unbound"
  /** `onRequest` was called; GPAC waits for `send()`. */
  | "pending"
  /** `send()` was called; GPAC is answering. */
  | "sent"
  /**
   * GPAC is done with the request (`close()` was called, or it was dropped). Requests whose class
   * does not override `close()`, `throttle()`, `read()` or `write()` are not told: they stay
   * `sent`.
   */
  | "closed";

/** The native callbacks of one binding, as GPAC pointers. */
export interface BindingPointers {
  /** Transfer pacing. */
  throttle: Deno.PointerValue;
  /** Body producer. */
  read: Deno.PointerValue;
  /** Upload consumer. */
  write: Deno.PointerValue;
  /** End of request. */
  close: Deno.PointerValue;
}

/** Bookkeeping of one bound `httpout` filter. */
export interface Binding {
  /** The filter. */
  filter: Filter;
  /** What `request.root` returns: the bound object. */
  root: object;
  /**
   * Requests GPAC may still call back, by id (the `udta` given to GPAC): those sent with
   * callbacks, until GPAC reports their end. Pending requests are not kept here.
   */
  requests: Map<number, object>;
  /** Callback pointers handed to `gf_httpout_send_request`. */
  pointers: BindingPointers;
  /** Reads the strings GPAC hands the request callback. */
  reader: CStringReader;
}

/** Internal state of a request object, set by the binding. */
export interface RequestState {
  binding: Binding;
  id: number;
  sess: NonNullable<Deno.PointerValue>;
  state: HTTPOutRequestState;
  /** `gf_sys_clock()` when onRequest was called (GPAC drops pending requests after `timeout`). */
  since: number;
  method: string;
  /** The path GPAC serves (normalised), with the query. */
  url: string;
  /** The request target as GPAC decoded it, before normalisation. */
  rawUrl: string;
  authCode: number;
  /**
   * The request headers as received (name, value, name, value, ...), or null while not read:
   * see {@link headerListOf}.
   */
  headerList: readonly string[] | null;
  /** Address of GPAC's header table (`const char **`), valid while `inCallback`. */
  hdrs: number | bigint;
  /** Number of strings in that table. */
  nbHdrs: number;
  /** True while GPAC's request callback runs: its header table is valid until it returns. */
  inCallback: boolean;
  /** `headerList` as pairs, made on first use of `rawHeaders`. */
  rawHeaders: (readonly [string, string])[] | null;
  /** A `Headers` filled from `headerList` on first use (`RequestHeaders`). */
  headers: Headers;
  /** Bytes of a `Uint8Array` body, served through the read callback. */
  bytes: Uint8Array | null;
  offset: number;
  closeReason: number | null;
  /** Headers for the answer GPAC sends when an accepted upload is complete. */
  finalHeaders: [string, string][] | null;
  /** True while `onRequest` runs (GPAC waits for it: the request cannot time out). */
  inHook: boolean;
}

/**
 * The request headers as strings (name, value, ...). GPAC's header table is only valid while its
 * request callback runs, so they are read on first use during that callback; the binding copies
 * them when the callback ends for a request it may still hear about (pending, answered from an
 * `async` onRequest, or whose class overrides `close`/`throttle`/`read`/`write`). Otherwise a
 * request answered during `onRequest` without reading its headers has none kept: reading them
 * later throws a `GF_BAD_PARAM` {@link GpacError}.
 */
export function headerListOf(st: RequestState): readonly string[] {
  if (st.headerList !== null) return st.headerList;
  if (!st.inCallback) {
    throw new GpacError(
      GF_BAD_PARAM,
      `the headers of ${st.method} ${st.url} were not kept: it was answered during onRequest, ` +
        `which did not read them (read them in onRequest, or override close() to keep them)`,
    );
  }
  const list = st.nbHdrs < 2 ? [] : st.binding.reader.table(st.hdrs, st.nbHdrs & ~1, []);
  st.headerList = list;
  return list;
}
