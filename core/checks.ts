/**
 * Argument checks shared by the session modules: errors that say what was expected and what
 * was given.
 *
 * @module
 */

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return `"${v.length > 40 ? v.slice(0, 40) + "..." : v}"`;
  if (typeof v === "object") return Object.prototype.toString.call(v);
  if (typeof v === "function") return "a function";
  return `${typeof v} ${String(v)}`;
}

/** Returns `value` if it is a string; throws a `TypeError` naming `what` otherwise. */
export function requireString(value: unknown, what: string): string {
  if (typeof value !== "string") {
    throw new TypeError(`${what} must be a string, got ${describe(value)}`);
  }
  return value;
}

/** Like {@link requireString}, with `undefined` (or null) allowed. */
export function optionalString(value: unknown, what: string): string | undefined {
  return value === undefined || value === null ? undefined : requireString(value, what);
}
