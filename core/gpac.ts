/**
 * Library-wide functions: version, initialization, global arguments, logs, clock.
 *
 * @module
 */

import { type GpacAbi, gpacSymbols, loadGpac } from "../ffi/library.ts";
import { addressOf, cstr, readCString, toNativeMemory, toNumberIfSafe } from "../ffi/buffers.ts";
import { GF_BAD_PARAM } from "../ffi/constants.ts";
import { GpacError } from "./errors.ts";

/** Options of {@link init}. */
export interface InitOptions {
  /** Memory tracking: `"none"` (default), `"simple"` or `"backtrace"` (needs a GPAC build with memory tracking). */
  memTracking?: "none" | "simple" | "backtrace";
  /** GPAC profile name (configuration directory); `"0"` runs without any configuration file. */
  profile?: string;
}

let initialized = false;
let userInit = false;
let closedForGood = false;
let memTracking = 0;
const nativeArgs: Deno.PointerValue[] = [];

/** Version string of the loaded libgpac, e.g. `"26.07-rev0-g..."`. */
export function version(): string {
  return loadGpac().version;
}

/** ABI numbers of the loaded libgpac. */
export function abi(): GpacAbi {
  return { ...loadGpac().abi };
}

/** Path libgpac was loaded from. */
export function libraryPath(): string {
  return loadGpac().path;
}

/** GPAC's copyright string. */
export function copyright(): string {
  return readCString(gpacSymbols().gf_gpac_copyright()) ?? "";
}

/**
 * @internal Initializes libgpac with defaults unless {@link init} already did. Unless
 * `forArgs` (setArgs passes the arguments itself), also applies a pending module folder fix
 * (see {@link checkModuleDir}).
 */
export function ensureInit(forArgs = false): void {
  if (!initialized) {
    if (closedForGood) {
      throw new GpacError(GF_BAD_PARAM, "libgpac was closed with close(); restart the process");
    }
    const e = gpacSymbols().gf_sys_init(0, null);
    if (e < 0) throw new GpacError(e, "failed to initialize libgpac");
    initialized = true;
    initThread = gpacSymbols().gf_th_id();
    checkModuleDir();
  }
  if (!forArgs && pendingModDir !== null) setArgs([]);
}

/** Module folder to hand to GPAC with the first `gf_sys_set_args` (see checkModuleDir). */
let pendingModDir: string | null = null;

/**
 * GPAC keeps in the user's configuration (`~/.gpac/GPAC.cfg`, shared by every GPAC install)
 * the `module-dir` of the install that wrote it first, and on Linux never corrects it: a second
 * GPAC release then loads the first one's modules (`gm_*.so`, linked to another libgpac) and
 * crashes, e.g. GPAC 2.4 with 26.07's FreeType module when `avgen` draws text. When the
 * configured folder is not the loaded library's own `<libdir>/gpac`, this points GPAC at the
 * right one for this process only: the `temp` section (never saved) overrides `core` keys, and
 * the `-mod-dirs` argument of the first `gf_sys_set_args` makes GPAC re-read its module folders.
 */
function checkModuleDir(): void {
  const g = loadGpac();
  if (!/[\\/]/.test(g.path)) return; // found through the system search path: leave it to GPAC
  let dir: string;
  try {
    dir = Deno.realPathSync(g.path).replace(/[\\/][^\\/]+$/, "") + "/gpac";
    if (!Deno.statSync(dir).isDirectory) return;
  } catch {
    return; // no read permission or no module folder (static build): nothing to fix
  }
  const s = g.symbols;
  const cur = readCString(s.gf_opts_get_key(cstr("core"), cstr("module-dir")));
  if (cur === null) return;
  let real = cur;
  try {
    real = Deno.realPathSync(cur);
  } catch { /* a folder that no longer exists: replace it */ }
  if (real.replace(/[\\/]+$/, "") === dir) return;
  s.gf_opts_set_key(cstr("temp"), cstr("module-dir"), cstr(dir));
  pendingModDir = dir;
}

let initThread: number | bigint = 0;
let threadWarned = false;

/**
 * @internal Warns once when libgpac is used from another OS thread than the one that
 * initialized it: GPAC's JavaScript filters (`avgen`, ...) then fail to start. This happens when
 * one process hosts several isolates, e.g. `deno test` with several files.
 */
export function checkThread(): void {
  if (threadWarned || !initialized) return;
  if (gpacSymbols().gf_th_id() !== initThread) {
    threadWarned = true;
    console.warn(
      "deno-gpac: libgpac is used from another thread than the one that initialized it; " +
        "GPAC's JS filters (avgen, ...) may fail to load. Use libgpac from one thread per process " +
        "(e.g. run test files in separate processes).",
    );
  }
}

/**
 * Initializes libgpac explicitly. Optional: the first session initializes it with defaults.
 * Must come before any session is created (and may come after {@link setArgs}).
 */
export function init(options: InitOptions = {}): void {
  const modes = { none: 0, simple: 1, backtrace: 2 } as const;
  const mode = modes[options.memTracking ?? "none"];
  if (mode === undefined) {
    throw new GpacError(GF_BAD_PARAM, `unknown memTracking mode "${options.memTracking}"`);
  }
  if (userInit) {
    throw new GpacError(GF_BAD_PARAM, "init() was already called");
  }
  const s = gpacSymbols();
  if (initialized) s.gf_sys_close();
  const e = s.gf_sys_init(mode, options.profile === undefined ? null : cstr(options.profile));
  if (e < 0) {
    initialized = false;
    throw new GpacError(e, `failed to initialize libgpac with profile "${options.profile}"`);
  }
  initialized = true;
  initThread = s.gf_th_id();
  checkModuleDir();
  userInit = true;
  memTracking = mode;
}

/**
 * Sets libgpac's global options, as on the `gpac` command line, e.g.
 * `setArgs(["-threads=2", "-logs=filter@info"])`. Unlike libgpac.py, the list holds only
 * options (no program name first).
 */
export function setArgs(args: readonly string[]): void {
  for (const a of args) {
    if (typeof a !== "string") throw new GpacError(GF_BAD_PARAM, `argument ${a} is not a string`);
  }
  ensureInit(true);
  // libgpac keeps argv and reads it later (e.g. from its JS filters), so it must live in
  // native memory: JS buffers can be moved by the garbage collector.
  const s = gpacSymbols();
  const fix = pendingModDir === null ? [] : [`-mod-dirs=${pendingModDir}`];
  pendingModDir = null;
  const all = ["deno-gpac", ...fix, ...args];
  const table = new BigUint64Array(all.length + 1);
  all.forEach((a, i) => (table[i] = addressOf(toNativeMemory(cstr(a), s.gf_malloc))));
  const argv = toNativeMemory(new Uint8Array(table.buffer), s.gf_malloc);
  const e = s.gf_sys_set_args(all.length, argv);
  if (e < 0) throw new GpacError(e, `invalid global arguments ${JSON.stringify(args)}`);
  nativeArgs.push(argv); // never freed while libgpac may still read it
}

/**
 * Sets log tools and levels, e.g. `setLogs("all@warning:filter@info")`.
 * @param spec GPAC log specification (`tool[:tool]@level`, tools `all`, `filter`, `mmio`, ...).
 * @param reset Reset all tools to `quiet` first.
 */
export function setLogs(spec: string, reset = false): void {
  ensureInit(); // gf_sys_init resets log levels: initialize first so these stick
  const e = gpacSymbols().gf_log_set_tools_levels(cstr(spec), reset ? 1 : 0);
  if (e < 0) throw new GpacError(e, `invalid log specification "${spec}"`);
}

/** Current log tools and levels, as accepted by {@link setLogs}. */
export function getLogs(): string {
  ensureInit();
  const s = gpacSymbols();
  const p = s.gf_log_get_tools_levels();
  const r = readCString(p) ?? "";
  if (p) s.gf_free(p);
  return r;
}

/** Message of a GPAC error code, e.g. `e2s(-12)` → `"Requested URL is not valid or cannot be found"`. */
export function e2s(code: number): string {
  return readCString(gpacSymbols().gf_error_to_string(code)) ?? `error ${code}`;
}

/** Milliseconds since libgpac started (32-bit, wraps). */
export function sysClock(): number {
  return gpacSymbols().gf_sys_clock();
}

/** Microseconds since libgpac started. */
export function sysClockHighRes(): number | bigint {
  return toNumberIfSafe(gpacSymbols().gf_sys_clock_high_res());
}

/** Result of {@link close}. */
export interface CloseReport {
  /** Bytes still allocated by libgpac (only known with memory tracking). */
  leakedBytes: number;
  /** File handles still open (only known with memory tracking). */
  openFiles: number;
}

/**
 * Shuts libgpac down (`gf_sys_close`). Close every session first. With memory tracking on,
 * reports (and prints) what is still allocated. libgpac cannot be used again afterwards.
 */
export function close(): CloseReport {
  const s = gpacSymbols();
  const report: CloseReport = { leakedBytes: 0, openFiles: 0 };
  if (!initialized) return report;
  s.gf_sys_close();
  initialized = false;
  closedForGood = true;
  if (memTracking && s.gf_memory_size) {
    report.leakedBytes = Number(s.gf_memory_size());
    report.openFiles = s.gf_file_handles_count ? s.gf_file_handles_count() : 0;
    if ((report.leakedBytes || report.openFiles) && s.gf_memory_print) {
      setLogs("mem@info");
      s.gf_memory_print();
    }
  }
  return report;
}
