/**
 * Finding, loading and identifying libgpac.
 *
 * Search order: env `GPAC_LIB` (a file, or a folder holding libgpac), then the usual install
 * prefixes, then the system library path. The library is opened on first use, so importing
 * deno-gpac never fails by itself.
 *
 * @module
 */

import { type GpacSymbols, openGpacLibrary, SINCE, type symbols } from "./symbols.ts";
import { GpacError, GpacLoadError } from "./errors.ts";
import { GF_NOT_SUPPORTED } from "./constants.ts";

/** ABI numbers of the loaded libgpac (`gf_gpac_abi_major/minor/micro`). */
export interface GpacAbi {
  /** Major ABI number (16 for GPAC 26.x, 12 for 2.x). */
  major: number;
  /** Minor ABI number (21 for GPAC 26.07). */
  minor: number;
  /** Micro ABI number. */
  micro: number;
}

/** Layout profile chosen from the ABI: which struct layouts and event payloads apply. */
export type AbiProfile = "12.10" | "12.14" | "16.5" | "16.21";

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

/** Installation help appended to every load failure. */
export const INSTALL_HELP = [
  "Install GPAC (with its shared library libgpac) and try again:",
  "  macOS: brew install gpac        Arch Linux: pacman -S gpac",
  "  Debian/Ubuntu: apt install gpac (needs GPAC >= 2.2; older distributions ship 1.x)",
  "  otherwise: GPAC's installers at https://gpac.io/downloads/ or its build guide",
  "  https://github.com/gpac/gpac/wiki/GPAC-Build-Guide-for-Linux (e.g. ./configure --prefix=/opt/gpac).",
  "Then point deno-gpac at it if it is not in a standard place: GPAC_LIB=/path/to/lib (a file or folder).",
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
  for (const dir of prefixes()) {
    for (const n of libNames()) out.push(`${dir}/${n}`);
  }
  out.push(...libNames()); // system search path (ld.so.cache, DYLD_*, PATH)
  return out;
}

function profileFor(abi: GpacAbi): { profile: AbiProfile; full: boolean } {
  const { major, minor } = abi;
  if (major === 16 && minor >= 14) return { profile: "16.21", full: minor === 21 };
  if (major === 16 || (major >= 13 && major <= 15)) return { profile: "16.5", full: minor === 5 };
  if (major === 12 && minor >= 14) return { profile: "12.14", full: false };
  if (major === 12) return { profile: "12.10", full: false };
  return { profile: "16.21", full: false };
}

let loaded: LoadedGpac | undefined;
let warned = false;

/**
 * Opens libgpac (once) and returns it. Throws {@link GpacLoadError} listing every path tried
 * and how to install GPAC when no usable library is found.
 */
export function loadGpac(): LoadedGpac {
  if (loaded) return loaded;
  const tried: string[] = [];
  let lib: Deno.DynamicLibrary<typeof symbols> | undefined;
  let path = "";
  for (const c of candidates()) {
    if (c.startsWith("/") && isFile(c) === false) {
      tried.push(`${c} (not found)`);
      continue;
    }
    try {
      lib = openGpacLibrary(c); // keeps symbols that call back into JS off V8 fast calls
      path = c;
      break;
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
        throw new GpacLoadError(
          "deno-gpac needs FFI permission to load libgpac: run with --allow-ffi " +
            "(and --allow-env --allow-read so it can find the library).",
          { cause: e },
        );
      }
      tried.push(`${c} (${(e as Error).message.split("\n")[0]})`);
    }
  }
  if (!lib) {
    throw new GpacLoadError(
      `libgpac was not found. Tried:\n  ${tried.join("\n  ")}\n${INSTALL_HELP}`,
    );
  }
  const s = lib.symbols;
  const abi: GpacAbi = {
    major: s.gf_gpac_abi_major(),
    minor: s.gf_gpac_abi_minor(),
    micro: s.gf_gpac_abi_micro(),
  };
  const version = Deno.UnsafePointerView.getCString(s.gf_gpac_version()!);
  const { profile, full } = profileFor(abi);
  loaded = { symbols: s, path, version, abi, profile, fullySupported: full };
  if (!full && !warned) {
    warned = true;
    console.warn(
      `deno-gpac: libgpac ${version} (ABI ${abi.major}.${abi.minor}) at ${path} is not the ` +
        `ABI this release is tested with (16.21, GPAC 26.07); using the ${profile} layouts. ` +
        `Functions this library lacks throw when called.`,
    );
  }
  return loaded;
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
