/**
 * Errors of the push/loop module: every one names the destination URL and the reason.
 *
 * @module
 */

import { GF_NOT_SUPPORTED, GpacError } from "../mod.ts";

/** A push could not start or stopped: the message names the destination and the reason. */
export class PushError extends GpacError {
  /** Destination URL (or file path) of the push. */
  readonly url: string;
  /** Why the push failed, in words. */
  readonly reason: string;
  /** Always `"PushError"` (or the subclass name). */
  override name = "PushError";

  /**
   * Creates the error.
   * @param code GPAC error code (`GF_IP_CONNECTION_FAILURE`, `GF_NOT_SUPPORTED`, ...).
   * @param url Destination URL.
   * @param reason What went wrong.
   * @param options Standard error options (`cause`: the underlying GPAC error).
   */
  constructor(code: number, url: string, reason: string, options?: ErrorOptions) {
    super(code, `push to ${url} failed: ${reason}`, options);
    this.url = url;
    this.reason = reason;
  }
}

/**
 * The destination's protocol is not handled by this libgpac / FFmpeg build (or not at all):
 * `protocol` names it, e.g. `"rtmpe"`.
 */
export class UnsupportedProtocolError extends PushError {
  /** URL scheme without `://`, e.g. `"rtmpe"`. */
  readonly protocol: string;
  /** Always `"UnsupportedProtocolError"`. */
  override name = "UnsupportedProtocolError";

  /**
   * Creates the error.
   * @param protocol The URL scheme.
   * @param url Destination URL.
   * @param reason Why it is not supported.
   * @param options Standard error options.
   */
  constructor(protocol: string, url: string, reason: string, options?: ErrorOptions) {
    super(GF_NOT_SUPPORTED, url, `protocol "${protocol}" is not supported: ${reason}`, options);
    this.protocol = protocol;
  }
}
