/**
 * Finding, loading and identifying libgpac.
 *
 * Search order: env `GPAC_LIB` (a file, or a folder holding libgpac; nothing else is tried
 * then), the build of `deno task setup-gpac` (`~/.cache/deno-gpac/gpac-<version>/lib`), the usual
 * install prefixes, then the system library path. A library that is found but is outside
 * {@link SUPPORTED_GPAC} or cannot be opened is skipped, and the error says why. The library is opened on first use, so importing
 * deno-gpac never fails by itself.
 *
 * @module
 */

import { bindGpacSymbols, type GpacSymbols, SINCE, symbols } from "./symbols.ts";
import { GpacError, GpacLoadError } from "./errors.ts";
import { GF_NOT_SUPPORTED } from "./constants.ts";
import { type AbiProfile, DashLayouts, httpOutSessionLayout } from "./layouts.ts";

export type { AbiProfile } from "./layouts.ts";

/** ABI numbers of the loaded libgpac (`gf_gpac_abi_major/minor/micro`). */
export interface GpacAbi {
  /** Major ABI number (16 for GPAC 26.x, 12 for 2.x). */
  major: number;
  /** Minor ABI number (21 for GPAC 26.07). */
  minor: number;
  /** Micro ABI number. */
  micro: number;
}

/** What was loaded, where from, and how well this binding supports it. */
export interface LoadedGpac {
  /** The FFI symbols. */
  symbols: GpacSymbols;
  /** Absolute or system path the library was opened from. */
  path: string;
  /** GPAC version string, e.g. `26.07-rev...`. */
  version: string;
  /** ABI numbers. */
  abi: GpacAbi;
  /** Layout profile in use. */
  profile: AbiProfile;
  /** True when the ABI is exactly one this binding is tested against. */
  fullySupported: boolean;
}

const LIB_NAMES: Record<string, string[]> = {
  linux: ["libgpac.so.16", "libgpac.so.12", "libgpac.so"],
  darwin: ["libgpac.dylib"],
  windows: ["libgpac.dll"],
};

function libNames(): string[] {
  return LIB_NAMES[Deno.build.os] ?? LIB_NAMES.linux;
}

function prefixes(): string[] {
  const base = ["/opt/gpac/lib", "/usr/local/lib"];
  if (Deno.build.os === "darwin") {
    return ["/opt/homebrew/lib", ...base, "/opt/local/lib"];
  }
  if (Deno.build.os === "windows") {
    return ["C:\\Program Files\\GPAC", "C:\\Program Files (x86)\\GPAC"];
  }
  const arch = Deno.build.arch === "aarch64" ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
  return [...base, `/usr/lib/${arch}`, "/usr/lib64", "/usr/lib"];
}

function tryEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined; // no --allow-env: behave as if unset
  }
}

function isFile(path: string): boolean | undefined {
  try {
    return Deno.statSync(path).isFile;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    return undefined; // no read permission: let dlopen decide
  }
}

/**
 * The GPAC releases deno-gpac supports, stated once: GPAC 2.4 (ABI 12.14) and newer. Older
 * libraries (2.2.x, ABI 12.10, what Ubuntu 24.04 ships) are refused at load with a
 * {@link GpacLoadError} saying so. Measured layouts exist for ABI 12.14 (GPAC 2.4), 16.5
 * (26.02) and 16.21 (26.07); other ABIs in the range load with a warning.
 */
export const SUPPORTED_GPAC: Readonly<{
  /** First supported GPAC release. */
  minVersion: string;
  /** ABI of that release (`gf_gpac_abi_major/minor`). */
  minAbi: Readonly<{ major: number; minor: number }>;
  /** ABIs whose struct layouts deno-gpac measured and tests against. */
  tested: readonly string[];
  /** The range in words, as used in messages and the README. */
  text: string;
}> = Object.freeze({
  minVersion: "2.4",
  minAbi: Object.freeze({ major: 12, minor: 14 }),
  tested: Object.freeze(["12.14", "16.5", "16.21"]),
  text: "GPAC 2.4 (ABI 12.14) or newer",
});

/** The GPAC release this deno-gpac builds with `deno task setup-gpac`. */
export const SETUP_GPAC_VERSION = "26.07.0";

/** Where `deno task setup-gpac` installs GPAC: `~/.cache/deno-gpac/gpac-<version>`. */
export function setupGpacPrefix(version: string = SETUP_GPAC_VERSION): string | undefined {
  const xdg = tryEnv("XDG_CACHE_HOME");
  const home = tryEnv("HOME") ?? tryEnv("USERPROFILE");
  const base = xdg ? xdg : home ? `${home}/.cache` : undefined;
  return base ? `${base}/deno-gpac/gpac-${version}` : undefined;
}

/** Installation help appended to "not found" errors (not to "found but unusable" ones). */
export const INSTALL_HELP = [
  `deno-gpac needs libgpac, the shared library of ${SUPPORTED_GPAC.text}.`,
  "  Any platform: deno task setup-gpac   (builds GPAC " + SETUP_GPAC_VERSION +
  " into ~/.cache/deno-gpac, found automatically)",
  "  macOS: brew install gpac          Arch Linux: pacman -S gpac",
  "  Debian 12 has no gpac package and Ubuntu 24.04 ships 2.2 (too old): use setup-gpac.",
  "Or point deno-gpac at a build: GPAC_LIB=/path/to/lib (a file or folder).",
].join("\n");

function candidates(): string[] {
  const out: string[] = [];
  const env = tryEnv("GPAC_LIB");
  if (env) {
    if (isFile(env) === false && !/\.(so|dylib|dll)(\.\d+)*$/.test(env)) {
      for (const n of libNames()) out.push(`${env.replace(/[\\/]+$/, "")}/${n}`);
    } else {
      out.push(env);
    }
    return out; // an explicit choice is not second-guessed
  }
  const cache = setupGpacPrefix();
  const dirs = cache ? [`${cache}/lib`, ...prefixes()] : prefixes();
  for (const dir of dirs) {
    for (const n of libNames()) out.push(`${dir}/${n}`);
  }
  out.push(...libNames()); // system search path (ld.so.cache, DYLD_*, PATH)
  return out;
}

function profileFor(abi: GpacAbi): { profile: AbiProfile; full: boolean } {
  const { major, minor } = abi;
  if (major === 16 && minor >= 14) return { profile: "16.21", full: minor === 21 };
  if (major === 16 || (major >= 13 && major <= 15)) return { profile: "16.5", full: minor === 5 };
  if (major === 12 && minor >= 14) return { profile: "12.14", full: minor === 14 };
  if (major === 12) return { profile: "12.10", full: false };
  return { profile: "16.21", full: false };
}

/** True when `abi` is inside {@link SUPPORTED_GPAC}. */
function inRange(abi: GpacAbi): boolean {
  const min = SUPPORTED_GPAC.minAbi;
  return abi.major > min.major || (abi.major === min.major && abi.minor >= min.minor);
}

const VERSION_SYMBOLS = {
  gf_gpac_version: symbols.gf_gpac_version,
  gf_gpac_abi_major: symbols.gf_gpac_abi_major,
  gf_gpac_abi_minor: symbols.gf_gpac_abi_minor,
  gf_gpac_abi_micro: symbols.gf_gpac_abi_micro,
} as const;

/**
 * Which symbols of the table the library exports, looked up as optional one-byte statics: a
 * plain symbol lookup each, where declaring them as functions would compile a trampoline per
 * symbol (and Deno 2.9 hands out a function even for an absent optional symbol whose result is
 * a struct). The byte read is the first byte of the function's code, which is never used.
 */
const PRESENCE = Object.fromEntries(
  Object.entries(symbols).map((
    [n, d],
  ) => [`has ${n}`, { name: (d as { name?: string }).name ?? n, type: "u8", optional: true }]),
) as Record<string, { name: string; type: "u8"; optional: true }>;

/** dlopen's answer for a name it could not find at all (as opposed to a file it could not use). */
function notFound(msg: string): boolean {
  return /No such file|cannot find|not found|image not found|The specified module could not/i
    .test(msg);
}

let loaded: LoadedGpac | undefined;
let failure: GpacLoadError | undefined;
let warned = false;

/**
 * Opens libgpac (once) and returns it. Throws {@link GpacLoadError}: "not found" with every path
 * tried and how to get GPAC, or "found but cannot be used" with the reason (too old, not a
 * library, a missing symbol). The same error object is thrown again on later calls.
 */
export function loadGpac(): LoadedGpac {
  if (loaded) return loaded;
  if (failure) throw failure;
  try {
    loaded = open();
  } catch (e) {
    if (e instanceof GpacLoadError) failure = e;
    throw e;
  }
  return loaded;
}

function permissionError(e: unknown): GpacLoadError | undefined {
  if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
    return new GpacLoadError(
      "deno-gpac needs FFI permission to load libgpac: run with --allow-ffi " +
        "(and --allow-env --allow-read so it can find the library).",
      { cause: e },
    );
  }
}

function open(): LoadedGpac {
  const tried: string[] = [];
  const unusable: string[] = [];
  for (const c of candidates()) {
    if (/[\\/]/.test(c) && isFile(c) === false) {
      tried.push(`${c} (not found)`);
      continue;
    }
    // step 1: the version functions, which every libgpac has, and which symbols it exports
    let probe: Deno.DynamicLibrary<typeof VERSION_SYMBOLS>;
    try {
      // (the PRESENCE statics are read below through their names)
      probe = Deno.dlopen(c, { ...VERSION_SYMBOLS, ...PRESENCE } as typeof VERSION_SYMBOLS);
    } catch (e) {
      const perm = permissionError(e);
      if (perm) throw perm;
      const msg = (e as Error).message.split("\n")[0];
      if (!/[\\/]/.test(c) && notFound(msg)) tried.push(`${c} (not found)`);
      else unusable.push(`${c}: not a loadable libgpac (${msg})`);
      continue;
    }
    const v = probe.symbols;
    const abi: GpacAbi = {
      major: v.gf_gpac_abi_major(),
      minor: v.gf_gpac_abi_minor(),
      micro: v.gf_gpac_abi_micro(),
    };
    const vp = v.gf_gpac_version();
    const version = vp ? Deno.UnsafePointerView.getCString(vp) : "?";
    const absent = new Set(
      Object.keys(symbols).filter((n) =>
        (v as unknown as Record<string, unknown>)[`has ${n}`] === null
      ),
    );
    const what = `libgpac ${version} (ABI ${abi.major}.${abi.minor}) at ${c}`;
    if (!inRange(abi)) {
      unusable.push(
        `${what} is too old: deno-gpac supports ${SUPPORTED_GPAC.text}`,
      );
      probe.close();
      continue;
    }
    // step 2: the whole symbol table (symbols some releases lack are optional)
    const missing = [...absent].filter((n) =>
      !(symbols[n as keyof typeof symbols] as { optional?: boolean }).optional
    );
    if (missing.length) {
      unusable.push(
        `${what} cannot be used: it does not export ${missing.join(", ")} ` +
          "(a build with some features disabled?)",
      );
      probe.close();
      continue;
    }
    // the probe stays open for the process: it keeps the library loaded for the symbols,
    // bound on first use, keeping symbols that call back into JS off V8 fast calls
    const syms = bindGpacSymbols(c, absent);
    const { profile, full } = profileFor(abi);
    const g = { symbols: syms, path: c, version, abi, profile, fullySupported: full };
    if (!full && !warned) {
      warned = true;
      console.warn(
        `deno-gpac: ${what} is in the supported range (${SUPPORTED_GPAC.text}) but its ABI ` +
          `is not one deno-gpac was tested with (${SUPPORTED_GPAC.tested.join(", ")}); ` +
          `using the ${profile} layouts.`,
      );
    }
    return g;
  }
  if (unusable.length) {
    const also = tried.length ? `\nAlso tried (not found):\n  ${tried.join("\n  ")}` : "";
    throw new GpacLoadError(
      `libgpac was found but cannot be used:\n  ${unusable.join("\n  ")}${also}\n` +
        `deno-gpac supports ${SUPPORTED_GPAC.text}: \`deno task setup-gpac\` builds one, ` +
        `GPAC_LIB=/path/to/lib selects it.`,
    );
  }
  throw new GpacLoadError(
    `libgpac was not found. Tried:\n  ${tried.join("\n  ")}\n${INSTALL_HELP}`,
  );
}

/** The symbols of the loaded libgpac (loading it on first use). */
export function gpacSymbols(): GpacSymbols {
  return (loaded ?? loadGpac()).symbols;
}

/**
 * Returns an optional symbol, or throws a `GF_NOT_SUPPORTED` {@link GpacError} saying which
 * GPAC release provides it.
 */
export function requireSymbol<K extends keyof GpacSymbols>(
  name: K,
): NonNullable<GpacSymbols[K]> {
  const g = loaded ?? loadGpac();
  const fn = g.symbols[name];
  if (fn === null || fn === undefined) {
    const since = SINCE[name as keyof typeof SINCE];
    throw new GpacError(
      GF_NOT_SUPPORTED,
      `${String(name)} needs GPAC >= ${since ?? "a newer release"}; loaded libgpac is ` +
        `${g.version} (ABI ${g.abi.major}.${g.abi.minor})`,
    );
  }
  return fn as NonNullable<GpacSymbols[K]>;
}

/**
 * Features that depend on the GPAC release, for {@link gpacSupports} / {@link requireFeature}:
 * - `"dash"`: custom DASH/HLS adaptation algorithms (`bindDashAlgorithm`);
 * - `"httpout"`: request handlers on GPAC's HTTP server (`bindHTTPOut`);
 * - `"httpoutUploadLength"`: handlers receiving an upload with a `Content-Length` (needs a
 *   measured private httpout layout);
 * - `"fileioUnknownLength"`: reading a FileIO input whose length is unknown when GPAC opens
 *   it (a `ReadableStream`): GPAC 2.4 and 26.02's `fin` never see the end of such a file;
 * - `"parseProp"`: `parseProp` (GPAC's option parser, `gf_props_parse_value`);
 * - `"propsEqual"`: comparing native property values (`gf_props_equal`);
 * - `"packetClone"`: `FilterPacket.clone()` (`gf_filter_pck_dangling_clone`);
 * - `"delayedTask"`: user tasks first run after a delay (`gf_fs_post_user_task_delay`);
 * - `"remoteMonitoring"`: GPAC's monitoring WebSocket server (`enableRemoteMonitoring`,
 *   `gf_sys_enable_rmtws`);
 * - `"dashInbandEvents"`: declaring the in-band event stream of a video stream in a DASH
 *   manifest (`InbandEventStream`, dasher's `inband_event` triplets): 26.02's option is a
 *   boolean that only declares it for audio, 2.4 has none (the `emsg` boxes are written anyway).
 */
export type GpacFeature =
  | "dash"
  | "httpout"
  | "httpoutUploadLength"
  | "fileioUnknownLength"
  | "parseProp"
  | "propsEqual"
  | "packetClone"
  | "delayedTask"
  | "remoteMonitoring"
  | "dashInbandEvents";

const FEATURES: Readonly<
  Record<GpacFeature, { what: string; since: string; ok: (g: LoadedGpac) => boolean }>
> = {
  dash: {
    what: "custom DASH algorithms",
    since: SUPPORTED_GPAC.minVersion,
    ok: (g) => DashLayouts[g.profile] !== undefined,
  },
  httpout: {
    // 2.4 exports the hooks, but requests handled in TS stall or lose their answers there
    // (8 of the 13 httpout tests fail): refused rather than half working
    what: "httpout request handlers",
    since: "26.02",
    ok: (g) =>
      g.abi.major >= 16 && !!g.symbols.gf_filter_bind_httpout_callbacks &&
      !!g.symbols.gf_httpout_send_request,
  },
  httpoutUploadLength: {
    what: "receiving an upload with a Content-Length in an httpout handler",
    since: "26.02",
    ok: (g) => httpOutSessionLayout(g.abi.major, g.abi.minor) !== undefined,
  },
  fileioUnknownLength: {
    what: "reading a FileIO input of unknown length (a stream)",
    since: "26.07",
    ok: (g) => g.abi.major > 16 || (g.abi.major === 16 && g.abi.minor >= 14),
  },
  parseProp: {
    what: "parsing values with GPAC's option parser (parseProp)",
    since: "26.02",
    ok: (g) => !!g.symbols.gf_props_parse_value,
  },
  propsEqual: {
    what: "comparing native property values (gf_props_equal)",
    since: "26.02",
    ok: (g) => !!g.symbols.gf_props_equal,
  },
  packetClone: {
    what: "FilterPacket.clone()",
    since: "26.02",
    ok: (g) => !!g.symbols.gf_filter_pck_dangling_clone,
  },
  delayedTask: {
    what: "user tasks with a first delay",
    since: "26.02",
    ok: (g) => !!g.symbols.gf_fs_post_user_task_delay,
  },
  remoteMonitoring: {
    what: "remote monitoring (GPAC's rmtws WebSocket server)",
    since: "26.02",
    ok: (g) => !!g.symbols.gf_sys_enable_rmtws,
  },
  dashInbandEvents: {
    what: "declaring a video stream's in-band events in a DASH manifest (InbandEventStream)",
    since: "26.07",
    ok: (g) => g.abi.major > 16 || (g.abi.major === 16 && g.abi.minor >= 14),
  },
};

/**
 * True when the loaded libgpac supports `feature` (loading libgpac if needed). Features a
 * release lacks throw a `GF_NOT_SUPPORTED` {@link GpacError} naming the release when used.
 *
 * @example
 * ```ts
 * import { gpacSupports } from "@deno-gpac/gpac";
 * if (!gpacSupports("dash")) console.log("this GPAC cannot run custom DASH algorithms");
 * ```
 */
export function gpacSupports(feature: GpacFeature): boolean {
  const f = FEATURES[feature];
  if (!f) throw new TypeError(`unknown GPAC feature ${JSON.stringify(feature)}`);
  return f.ok(loaded ?? loadGpac());
}

/**
 * Throws a `GF_NOT_SUPPORTED` {@link GpacError} naming the feature, the release it needs and the
 * loaded one when the loaded libgpac lacks `feature`.
 */
export function requireFeature(feature: GpacFeature, detail = ""): void {
  if (gpacSupports(feature)) return;
  const g = loaded!;
  const f = FEATURES[feature];
  throw new GpacError(
    GF_NOT_SUPPORTED,
    `${f.what} needs GPAC >= ${f.since}; the loaded libgpac is ${g.version} (ABI ` +
      `${g.abi.major}.${g.abi.minor})${detail ? `: ${detail}` : ""}`,
  );
}
