/**
 * Error types of deno-gpac.
 *
 * @module
 */

/** Names of GPAC's `GF_Err` codes, filled in by the constants module at load time. */
const NAMES = new Map<number, string>();

/** Registers the code-to-name table (called once by the constants module). */
export function registerErrorNames(table: Readonly<Record<number, string>>): void {
  for (const [k, v] of Object.entries(table)) NAMES.set(Number(k), v);
}

/** Returns GPAC's C name for an error code (`-12` → `"GF_URL_ERROR"`), or `GF_ERR_<code>`. */
export function errorName(code: number): string {
  return NAMES.get(code) ?? `GF_ERR_${code}`;
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
