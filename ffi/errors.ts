/**
 * Error types of deno-gpac, at the bottom layer so that every layer (the FFI loader included)
 * can throw them. The code-to-name table is GPAC's own (`GF_ERROR_NAMES` of the constants
 * module), read directly: nothing has to be registered at start-up.
 *
 * @module
 */

import { GF_ERROR_NAMES } from "./constants.ts";

/** Returns GPAC's C name for an error code (`-12` → `"GF_URL_ERROR"`), or `GF_ERR_<code>`. */
export function errorName(code: number): string {
  return GF_ERROR_NAMES[code] ?? `GF_ERR_${code}`;
}

/**
 * An error reported by libgpac, or a misuse detected by the binding before calling libgpac.
 *
 * `code` is GPAC's `GF_Err` value (negative), `codeName` its C name such as `GF_URL_ERROR`.
 *
 * @example
 * ```ts
 * import { FilterSession, GpacError } from "@deno-gpac/gpac";
 * using fs = new FilterSession();
 * try {
 *   fs.loadSrc("no-such-file.mp4");
 * } catch (e) {
 *   if (e instanceof GpacError) console.log(e.codeName); // GF_URL_ERROR
 * }
 * ```
 */
export class GpacError extends Error {
  /** GPAC error code (`GF_Err`), negative. */
  readonly code: number;
  /** C name of the code, e.g. `GF_URL_ERROR`. */
  readonly codeName: string;
  /** Always `"GpacError"`. */
  override name = "GpacError";

  /**
   * Creates an error for GPAC error `code`.
   * @param code GPAC error code.
   * @param message What failed, including the offending value.
   * @param options Standard error options (`cause`).
   */
  constructor(code: number, message: string, options?: ErrorOptions) {
    super(`${message} [${errorName(code)}]`, options);
    this.code = code;
    this.codeName = errorName(code);
  }
}

/** Thrown when libgpac cannot be found or loaded; the message says what was tried. */
export class GpacLoadError extends Error {
  /** Always `"GpacLoadError"`. */
  override name = "GpacLoadError";
}
