/**
 * What is bound to an `httpout` filter: a maker of request objects, and the place for state
 * shared by all requests.
 *
 * @module
 */

import { GF_BAD_PARAM } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import { HTTPOutRequest, stateOf } from "./request.ts";

/** A class of request objects (constructible without arguments). */
export type HTTPOutRequestClass = new () => HTTPOutRequest;

function isRequestClass(f: unknown): f is HTTPOutRequestClass {
  return typeof f === "function" &&
    (f === HTTPOutRequest || f.prototype instanceof HTTPOutRequest);
}

/**
 * The handler bound to an `httpout` filter: it makes one {@link HTTPOutRequest} per request.
 * Subclass it to hold state shared by the requests (they reach it through `request.root`), or
 * give it the request class or a factory.
 *
 * @example
 * ```ts
 * import { FilterSession, HTTPOutHandler, HTTPOutRequest } from "@deno-gpac/gpac";
 *
 * class Counted extends HTTPOutRequest {
 *   override onRequest(): void {
 *     (this.root as Counter).count++;
 *     this.send();
 *   }
 * }
 * class Counter extends HTTPOutHandler {
 *   count = 0;
 * }
 * using fs = new FilterSession();
 * fs.load("httpout:port=8080:rdirs=media").bind(new Counter(Counted));
 * ```
 */
export class HTTPOutHandler {
  readonly #make: () => HTTPOutRequest;

  /**
   * Creates a handler.
   * @param make The request class (`new make()` per request), or a function returning a fresh
   * request object.
   */
  constructor(make: HTTPOutRequestClass | (() => HTTPOutRequest)) {
    if (typeof make !== "function") {
      throw new TypeError(
        `HTTPOutHandler needs an HTTPOutRequest class or a factory function, got ${typeof make}`,
      );
    }
    this.#make = isRequestClass(make) ? () => new make() : make as () => HTTPOutRequest;
  }

  /** Makes the request object of one new request (checked by the binding). */
  newRequest(): HTTPOutRequest {
    return this.#make();
  }
}

/** What `filter.bind()` accepts for an `httpout` filter, as a root object and a request maker. */
export function handlerOf(bound: unknown): { root: object; make: () => HTTPOutRequest } {
  if (bound instanceof HTTPOutHandler) return { root: bound, make: () => bound.newRequest() };
  if (isRequestClass(bound)) {
    const h = new HTTPOutHandler(bound);
    return { root: h, make: () => h.newRequest() };
  }
  if (bound instanceof HTTPOutRequest) {
    if (stateOf(bound)) {
      throw new GpacError(GF_BAD_PARAM, "a request object cannot be bound as a handler");
    }
    return { root: bound, make: () => bound.newRequest() };
  }
  throw new GpacError(
    GF_BAD_PARAM,
    `httpout filters bind an HTTPOutHandler, an HTTPOutRequest class or an HTTPOutRequest ` +
      `object, got ${Object.prototype.toString.call(bound)}`,
  );
}

/** Checks what a handler's `newRequest()` returned. */
export function checkNewRequest(req: unknown): HTTPOutRequest {
  if (!(req instanceof HTTPOutRequest)) {
    throw new GpacError(
      GF_BAD_PARAM,
      `newRequest() must return an HTTPOutRequest, got ${Object.prototype.toString.call(req)}`,
    );
  }
  if (stateOf(req)) {
    throw new GpacError(GF_BAD_PARAM, "newRequest() returned an object already in use");
  }
  return req;
}
