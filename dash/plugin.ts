/**
 * Loading DASH adaptation algorithms from their own modules ("plugins").
 *
 * @module
 */

import { GF_BAD_PARAM, GF_URL_ERROR } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import { checkDashAlgorithm } from "./binding.ts";
import type { DASHAlgorithm } from "./types.ts";

/** Turns a path (absolute, or relative to the working directory) or URL into a module URL. */
function moduleUrl(path: string | URL): URL {
  if (path instanceof URL) return path;
  if (/^(file|https?|data|jsr|npm):/i.test(path)) return new URL(path);
  const isAbsolute = path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path);
  const abs = isAbsolute ? path : `${Deno.cwd().replace(/[\\/]+$/, "")}/${path}`;
  const url = new URL("file://");
  url.pathname = abs.replace(/\\/g, "/").replace(/^(?=[A-Za-z]:)/, "/");
  return url;
}

function isClass(fn: unknown): fn is new (...args: unknown[]) => unknown {
  return typeof fn === "function" && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/**
 * Loads a DASH adaptation algorithm from a module whose default export is a class (instantiated
 * with `args`) or an object implementing {@link DASHAlgorithm}. Errors name the file: a module
 * that cannot be imported gives `GF_URL_ERROR`, a default export that is not an algorithm
 * `GF_BAD_PARAM`.
 *
 * Loading a local file needs `--allow-read` for it.
 *
 * @param path Module path (relative to the working directory) or URL.
 * @param args Arguments for the class constructor.
 *
 * @example
 * ```ts
 * import { FilterSession, loadDashAlgorithm, useDashAlgorithm } from "@deno-gpac/gpac";
 * const algo = await loadDashAlgorithm("./my_algo.ts");
 * using fs = new FilterSession();
 * using _use = useDashAlgorithm(fs, algo);
 * ```
 */
export async function loadDashAlgorithm(
  path: string | URL,
  ...args: unknown[]
): Promise<DASHAlgorithm> {
  const url = moduleUrl(path);
  const name = url.protocol === "file:" ? decodeURIComponent(url.pathname) : url.href;
  let mod: Record<string, unknown>;
  try {
    mod = await import(url.href);
  } catch (e) {
    throw new GpacError(
      GF_URL_ERROR,
      `cannot load DASH algorithm module ${name}: ${(e as Error)?.message ?? e}`,
      { cause: e },
    );
  }
  const def = mod.default;
  if (def === undefined) {
    throw new GpacError(
      GF_BAD_PARAM,
      `DASH algorithm module ${name} has no default export (exports: ${
        Object.keys(mod).join(", ") || "none"
      })`,
    );
  }
  let algo: unknown = def;
  if (isClass(def)) {
    try {
      algo = new def(...args);
    } catch (e) {
      throw new GpacError(
        GF_BAD_PARAM,
        `constructor of the DASH algorithm ${def.name || "class"} in ${name} failed: ${
          (e as Error)?.message ?? e
        }`,
        { cause: e },
      );
    }
  } else if (typeof def === "function") {
    throw new GpacError(
      GF_BAD_PARAM,
      `default export of ${name} is a function, not a class or an algorithm object`,
    );
  }
  return checkDashAlgorithm(algo, `default export of ${name}`);
}
