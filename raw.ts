/**
 * The raw layer of deno-gpac: every GPAC constant mirrored from the C headers (`GF_*`, using
 * GPAC's own names) and the memory layouts of the C structs the FFI layer reads.
 *
 * The main module (`@deno-gpac/gpac`) re-exports the constants used every day (error codes,
 * session flags, filter event types, stream and property types, capabilities); import this
 * subpath for the rest, e.g. log tools, register flags, UI event codes or audio formats.
 *
 * @example
 * ```ts
 * import { GF_LOG_FILTER } from "@deno-gpac/gpac/raw";
 * console.log(GF_LOG_FILTER);
 * ```
 *
 * @module
 */

export * from "./ffi/constants.ts";
export type { FieldValue, StructValues, StructView } from "./ffi/struct.ts";
export * from "./ffi/layouts.ts";
