/**
 * Plugins of the runtime CLI: TypeScript/JavaScript modules whose default export is a
 * {@link FilterCustom} subclass, placed in a GPAC chain like any filter
 * (`gpac -i in.mp4 ./myfilter.ts:level=3 -o out.mp4`).
 *
 * A plugin declares its options in a static `options` object (type, default, help text); the
 * CLI parses and checks `:opt=value` against it, converts the values and hands them to the
 * constructor, and prints them for `-h path/to/plugin.ts`.
 *
 * @example
 * ```ts
 * import {
 *   FilterCustom, type FilterPid, type FilterSession, GF_CAPS_INPUT_OUTPUT,
 *   type PluginOptionSpecs, type PluginOptionValues,
 * } from "@deno-gpac/gpac";
 *
 * export default class Decimate extends FilterCustom {
 *   static readonly options = {
 *     every: { type: "integer", default: 1, min: 1, help: "keep one frame out of N" },
 *   } as const satisfies PluginOptionSpecs;
 *   static readonly description = "Drops frames, keeping one out of N.";
 *   readonly every: number;
 *   constructor(fs: FilterSession, opts: PluginOptionValues<typeof Decimate.options>) {
 *     super(fs, "decimate");
 *     this.every = opts.every;
 *     this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
 *   }
 * }
 * ```
 *
 * @module
 */

import { GF_BAD_PARAM, GF_SCRIPT_ERROR, GF_URL_ERROR } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import type { FilterSession } from "../core/session.ts";
import { FilterCustom } from "../custom/filter.ts";

import type { PluginOptionSpec, PluginOptionSpecs } from "../custom/plugin_options.ts";
export type {
  PluginOptionSpec,
  PluginOptionSpecs,
  PluginOptionValue,
  PluginOptionValues,
} from "../custom/plugin_options.ts";

/** What the default export of a plugin module must be: a {@link FilterCustom} subclass. */
export interface PluginClass {
  /** Creates the filter in `session` with the parsed option values. */
  new (session: FilterSession, options: Record<string, unknown>): FilterCustom;
  /** Declared options (optional: a plugin without options accepts none). */
  readonly options?: PluginOptionSpecs;
  /** One-line description shown by `-h`. */
  readonly description?: string;
  /** Class name. */
  readonly name: string;
}

/** A loaded plugin module. */
export interface Plugin {
  /** The path as given on the command line. */
  path: string;
  /** The module's file URL. */
  url: string;
  /** The default-exported class. */
  filterClass: PluginClass;
}

/** Resolves a plugin path (relative to the current directory) to a module URL. */
export function pluginUrl(path: string): string {
  if (/^(file|https?|jsr|npm):/.test(path)) return path;
  const abs = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
  const url = new URL("file://");
  url.pathname = abs;
  return url.href;
}

/**
 * The `file:line:column` of the first stack frame of `error` located in the module at `url`,
 * or null. Used to point at the plugin line that threw.
 */
export function locateInModule(error: unknown, url: string): string | null {
  const stack = error instanceof Error ? error.stack ?? "" : "";
  for (const line of stack.split("\n")) {
    const i = line.indexOf(url);
    if (i < 0) continue;
    const m = line.slice(i + url.length).match(/^:(\d+):(\d+)/);
    if (m) return `${url.startsWith("file://") ? new URL(url).pathname : url}:${m[1]}:${m[2]}`;
  }
  // syntax errors report the location in the message instead of the stack
  const msg = error instanceof Error ? error.message : String(error);
  const i = msg.indexOf(url);
  if (i >= 0) {
    const m = msg.slice(i + url.length).match(/^:(\d+):(\d+)/);
    if (m) return `${new URL(url).pathname}:${m[1]}:${m[2]}`;
  }
  return null;
}

/** True if `cls` extends some class named `FilterCustom` that is not deno-gpac's own. */
function extendsForeignFilterCustom(cls: unknown): boolean {
  for (
    let p = Object.getPrototypeOf(cls);
    p && p !== Function.prototype;
    p = Object.getPrototypeOf(p)
  ) {
    if (p !== FilterCustom && p.name === "FilterCustom") return true;
  }
  return false;
}

/**
 * Imports the plugin module at `path` and checks its default export. Errors are
 * {@link GpacError}s naming the file (and the line for errors raised while importing), with
 * the original error as `cause`.
 * @param path Path (relative to the current directory) or file URL of the module.
 * @param what What the module is for, used in messages (`plugin`, `DASH algorithm`, ...).
 */
export async function importModule(path: string, what = "plugin"): Promise<unknown> {
  const url = pluginUrl(path);
  if (url.startsWith("file:")) {
    try {
      const st = await Deno.stat(new URL(url));
      if (!st.isFile) throw new Error("not a file");
    } catch (e) {
      throw new GpacError(GF_URL_ERROR, `${what} module not found: ${path}`, { cause: e });
    }
  }
  let mod: Record<string, unknown>;
  try {
    mod = await import(url);
  } catch (e) {
    const where = locateInModule(e, url) ?? path;
    const msg = e instanceof Error ? e.message : String(e);
    throw new GpacError(GF_SCRIPT_ERROR, `cannot load ${what} ${where}: ${msg}`, { cause: e });
  }
  if (!("default" in mod) || mod.default === undefined) {
    throw new GpacError(
      GF_BAD_PARAM,
      `${what} ${path} has no default export (exports: ${Object.keys(mod).join(", ") || "none"})`,
    );
  }
  return mod.default;
}

/** Loads a plugin module: its default export must be a {@link FilterCustom} subclass. */
export async function loadPlugin(path: string): Promise<Plugin> {
  const def = await importModule(path, "plugin");
  if (typeof def !== "function" || !(def.prototype instanceof FilterCustom)) {
    const hint = extendsForeignFilterCustom(def)
      ? " (it extends a FilterCustom from another copy of deno-gpac: import the same mod.ts as the CLI)"
      : "";
    throw new GpacError(
      GF_BAD_PARAM,
      `plugin ${path}: the default export must be a class extending FilterCustom, got ${
        typeof def === "function" ? `class/function ${def.name || "(anonymous)"}` : typeof def
      }${hint}`,
    );
  }
  const filterClass = def as unknown as PluginClass;
  checkSpecs(path, filterClass.options ?? {});
  return { path, url: pluginUrl(path), filterClass };
}

/** Checks that a plugin's option declarations are usable (a plugin bug, reported early). */
function checkSpecs(path: string, specs: PluginOptionSpecs): void {
  const types = ["string", "number", "integer", "boolean", "enum"];
  for (const [name, spec] of Object.entries(specs)) {
    const fail = (why: string) =>
      new GpacError(GF_BAD_PARAM, `plugin ${path}: option "${name}" ${why}`);
    if (!spec || !types.includes(spec.type)) {
      throw fail(`has an invalid type ${JSON.stringify(spec?.type)} (one of ${types.join(", ")})`);
    }
    if (spec.type === "enum" && !(Array.isArray(spec.values) && spec.values.length)) {
      throw fail("is an enum without values");
    }
    if (spec.default !== undefined) {
      const why = checkValue(spec, spec.default);
      if (why) throw fail(`has an invalid default ${JSON.stringify(spec.default)}: ${why}`);
    }
  }
}

const TRUE = new Set(["yes", "true", "1"]);
const FALSE = new Set(["no", "false", "0"]);

/** Returns why `v` (already converted) is not acceptable for `spec`, or null. */
function checkValue(spec: PluginOptionSpec, v: unknown): string | null {
  switch (spec.type) {
    case "string":
      return typeof v === "string" ? null : "expected a string";
    case "boolean":
      return typeof v === "boolean" ? null : "expected true/false, yes/no or 1/0";
    case "enum":
      return spec.values!.includes(v as string)
        ? null
        : `expected one of ${spec.values!.join(", ")}`;
    case "number":
    case "integer": {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        return spec.type === "integer" ? "expected an integer" : "expected a number";
      }
      if (spec.type === "integer" && !Number.isInteger(v)) return "expected an integer";
      if (spec.min !== undefined && v < spec.min) return `must be >= ${spec.min}`;
      if (spec.max !== undefined && v > spec.max) return `must be <= ${spec.max}`;
      return null;
    }
  }
}

function convert(spec: PluginOptionSpec, text: string): unknown {
  switch (spec.type) {
    case "boolean":
      return TRUE.has(text.toLowerCase()) ? true : FALSE.has(text.toLowerCase()) ? false : text;
    case "number":
    case "integer":
      return text.trim() === "" ? NaN : Number(text);
    default:
      return text;
  }
}

/**
 * Parses `:opt=value` options written after a plugin path into the values its constructor
 * receives: defaults applied, values converted and checked. Throws a `GF_BAD_PARAM`
 * {@link GpacError} naming the plugin, the option and the value.
 * @param path Plugin path, for messages.
 * @param specs The plugin's declared options.
 * @param given Options as `[name, value]` pairs; value null for `:opt` (and `:!opt`).
 */
export function parsePluginOptions(
  path: string,
  specs: PluginOptionSpecs,
  given: readonly (readonly [string, string | null])[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.default !== undefined) out[name] = spec.default;
  }
  const seen = new Set<string>();
  for (const [rawName, text] of given) {
    const negated = rawName.startsWith("!");
    const name = negated ? rawName.slice(1) : rawName;
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) {
      const known = Object.keys(specs);
      throw new GpacError(
        GF_BAD_PARAM,
        `unknown option "${name}" for plugin ${path} (${
          known.length ? `options: ${known.join(", ")}` : "it takes no options"
        })`,
      );
    }
    if (seen.has(name)) {
      throw new GpacError(GF_BAD_PARAM, `option "${name}" given twice for plugin ${path}`);
    }
    seen.add(name);
    let value: unknown;
    if (text === null) {
      if (spec.type !== "boolean") {
        throw new GpacError(
          GF_BAD_PARAM,
          `option "${name}" of plugin ${path} needs a value (${name}=…, type ${spec.type})`,
        );
      }
      value = !negated;
    } else {
      if (negated) {
        throw new GpacError(
          GF_BAD_PARAM,
          `"!${name}=${text}" for plugin ${path}: ! needs no value`,
        );
      }
      value = convert(spec, text);
    }
    const why = checkValue(spec, value);
    if (why) {
      throw new GpacError(
        GF_BAD_PARAM,
        `invalid value "${text}" for option ${name} of plugin ${path} (${why}, type ${spec.type})`,
      );
    }
    out[name] = value;
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.required && !seen.has(name)) {
      throw new GpacError(
        GF_BAD_PARAM,
        `plugin ${path} needs option "${name}" (${spec.help})`,
      );
    }
  }
  return out;
}

/** Help text for a plugin: description and options with types, defaults and help. */
export function pluginHelp(plugin: Plugin): string {
  const cls = plugin.filterClass;
  const lines = [`${plugin.path} (${cls.name})`];
  if (cls.description) lines.push(`  ${cls.description}`);
  const specs = Object.entries(cls.options ?? {});
  lines.push("", specs.length ? "Options:" : "No options.");
  for (const [name, s] of specs) {
    const type = s.type === "enum" ? s.values!.join("|") : s.type;
    const range = s.min !== undefined || s.max !== undefined
      ? ` [${s.min ?? "-∞"}..${s.max ?? "∞"}]`
      : "";
    const def = s.required
      ? " (required)"
      : s.default !== undefined
      ? ` (default ${s.default})`
      : "";
    lines.push(`  ${name} (${type}${range})${def}: ${s.help}`);
  }
  return lines.join("\n");
}
