/**
 * Error types of deno-gpac (defined in the FFI layer, re-exported here for the other modules).
 *
 * @module
 */

export { errorName, GpacError, GpacLoadError } from "../ffi/errors.ts";
