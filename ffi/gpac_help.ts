/**
 * GPAC's own help texts, produced the way the `gpac` program does: a port of the parts of
 * `applications/gpac/gpac_help.c` (GPAC 26.07) the runtime CLI needs — filter help
 * (`print_filter`, `print_filter_arg`, `dump_caps`), the filter list, core/log options and the check of
 * arguments set but not used (`gpac_check_session_args`) — writing through libgpac's
 * `gf_sys_format_help` / `gf_sys_print_core_help`, so the formatting (highlights, colors, line
 * layout) is GPAC's.
 *
 * The filter register is read with offsets measured with `offsetof` against the 26.07, 26.02
 * and 2.4 headers (ABIs 16.21, 16.5, 12.14); other ABIs fall back to what a loaded filter
 * instance reports (`registerLayout()` returns null for them).
 *
 * @module
 */

import { gpacSymbols } from "./library.ts";
import type { GpacSymbols } from "./symbols.ts";
import { cstr, readCString } from "./buffers.ts";
import { FilterArgsLayout } from "./layouts.ts";
import { GF_FS_ARG_HINT_HIDE, GF_PROP_UINT } from "./constants.ts";

// GF_SysPrintArgFlags (main.h)
const HIGHLIGHT_FIRST = 1;
const OPT_DESC = 1 << 2;

/** GF_SysArgMode (main.h): how much `-h` shows. */
export const HelpMode = Object.freeze({ BASE: 0, ADVANCED: 1, EXPERT: 2, ALL: 3 });
/** One of {@link HelpMode}'s values. */
export type HelpModeValue = 0 | 1 | 2 | 3;

// GF_FSArgumentFlags used by print_filter
const ARG_UPDATE = 1 << 4;
const ARG_HINT_ADVANCED = 1 << 1;
const ARG_HINT_EXPERT = 1 << 2;
const ARG_META_ARRAY = 1 << 9;
// GF_FSRegisterFlags
const REG_MAIN_THREAD = 1 << 1;
const REG_CONFIGURE_MAIN_THREAD = 1 << 2;
const REG_EXPLICIT_ONLY = 1 << 3;
const REG_HIDE_WEIGHT = 1 << 4;
const REG_ALLOW_CYCLIC = 1 << 6;
const REG_SCRIPT = 1 << 8;
const REG_REQUIRES_RESOLVER = 1 << 11;
// GF_ARG_SUBSYS_* (main.h)
const SUBSYS_LOG = 1 << 6;
const SUBSYS_FILTERS = 1 << 7;
/** GF_FS_FLAG_NO_GRAPH_CACHE. */
export const NO_GRAPH_CACHE = 8;
/** GF_FS_FLAG_LOAD_META | GF_FS_FLAG_NO_GRAPH_CACHE: the session `gpac -h NAME` uses. */
export const HELP_SESSION_FLAGS: number = 2 | NO_GRAPH_CACHE;

/** Offsets in GF_FilterRegister (LP64). */
interface RegisterLayout {
  name: number;
  caps: number;
  nbCaps: number;
  maxExtraPids: number;
  flags: number;
  args: number;
  reconfigureOutput: number;
  probeUrl: number;
  probeData: number;
  priority: number;
  version: number;
  description: number;
  author: number;
  help: number;
}

// Measured with offsetof against the headers of libgpac 26.07 (ABI 16.21), 26.02 (16.5) and
// 2.4 (12.14): identical in the three (LP64). GF_FilterArgs is identical too.
const REGISTER_LP64: RegisterLayout = {
  name: 0,
  caps: 24,
  nbCaps: 32,
  maxExtraPids: 12,
  flags: 16,
  args: 40,
  reconfigureOutput: 96,
  probeUrl: 104,
  probeData: 112,
  priority: 120,
  version: 152,
  description: 160,
  author: 168,
  help: 176,
};

const MEASURED = new Set(["16.21", "16.5", "12.14"]);

/** The register layout for the loaded ABI, or null when it was not measured. */
export function registerLayout(s: GpacSymbols = gpacSymbols()): RegisterLayout | null {
  return MEASURED.has(`${s.gf_gpac_abi_major()}.${s.gf_gpac_abi_minor()}`) ? REGISTER_LP64 : null;
}

/** True when this libgpac has what the GPAC-formatted help needs. */
export function gpacHelpAvailable(): boolean {
  const s = gpacSymbols();
  return registerLayout(s) !== null && !!s.gf_fopen && !!s.gf_fclose &&
    !!s.gf_sys_format_help && !!s.gf_filter_get_register && !!s.gf_filter_get_args;
}

/** One GF_FilterArgs entry. */
interface ArgInfo {
  name: string;
  desc: string | null;
  type: number;
  def: string | null;
  mme: string | null;
  flags: number;
}

function readArgs(ptr: Deno.PointerValue): ArgInfo[] {
  const out: ArgInfo[] = [];
  if (!ptr) return out;
  const L = FilterArgsLayout.fields;
  const v = new Deno.UnsafePointerView(ptr);
  for (let k = 0;; k++) {
    const base = k * FilterArgsLayout.size;
    const name = readCString(v.getPointer(base + L.argName.offset));
    if (!name) break;
    out.push({
      name,
      desc: readCString(v.getPointer(base + L.argDesc.offset)),
      type: v.getUint32(base + L.argType.offset),
      def: readCString(v.getPointer(base + L.argDefaultVal.offset)),
      mme: readCString(v.getPointer(base + L.minMaxEnum.offset)),
      flags: v.getUint32(base + L.flags.offset),
    });
  }
  return out;
}

/** Collects help text written by libgpac into a `FILE*` (a temporary file), as a string. */
class HelpOut {
  readonly #s: GpacSymbols;
  readonly #path: string;
  #file: Deno.PointerValue;

  constructor(s: GpacSymbols) {
    this.#s = s;
    this.#path = Deno.makeTempFileSync({ prefix: "deno-gpac-help-" });
    this.#file = s.gf_fopen!(cstr(this.#path), cstr("w"));
    if (!this.#file) {
      Deno.removeSync(this.#path);
      throw new Error(`cannot open ${this.#path} to collect GPAC's help`);
    }
  }

  /** `gf_sys_format_help(file, flags, "%s", text)`, without varargs (`%` escaped). */
  fmt(flags: number, text: string): void {
    this.#s.gf_sys_format_help!(this.#file, flags, cstr(text.replaceAll("%", "%%")));
  }

  core(mode: number, mask: number): void {
    this.#s.gf_sys_print_core_help!(this.#file, 0, mode, mask >>> 0);
  }

  finish(): string {
    if (this.#file) this.#s.gf_fclose!(this.#file);
    this.#file = null;
    try {
      return Deno.readTextFileSync(this.#path);
    } finally {
      Deno.removeSync(this.#path);
    }
  }
}

/** Runs `fn` with a fresh {@link HelpOut} and returns what it wrote (the file is always closed). */
function collect(s: GpacSymbols, fn: (out: HelpOut) => void): string {
  const out = new HelpOut(s);
  try {
    fn(out);
  } catch (e) {
    try {
      out.finish();
    } catch { /* keep the first error */ }
    throw e;
  }
  return out.finish();
}

function typeName(s: GpacSymbols, type: number): string {
  return readCString(s.gf_props_get_type_name(type)) ?? "(null)";
}

/** print_filter_arg() of gpac_help.c (gen_doc = 0). */
function printArg(s: GpacSymbols, out: HelpOut, a: ArgInfo): void {
  const isEnum = a.type === GF_PROP_UINT && !!a.mme && a.mme.includes("|");
  out.fmt(
    HIGHLIGHT_FIRST,
    `${a.name} (${isEnum ? "enum" : typeName(s, a.type)}${
      a.flags & ARG_META_ARRAY ? " array" : ""
    }`,
  );
  if (a.def !== null) {
    if (a.def === "2147483647") out.fmt(0, ", default: __+I__");
    else if (a.def === "-2147483648") out.fmt(0, ", default: __-I__");
    else out.fmt(0, `, default: __${a.def}__`);
  }
  if (a.mme && !isEnum) {
    const kind = a.mme.includes("|") ? "Enum" : "minmax";
    out.fmt(0, a.mme === "-2147483648-I" ? `, ${kind}: -I-I` : `, ${kind}: ${a.mme}`);
  }
  if (a.flags & ARG_UPDATE) out.fmt(0, ", updatable");
  const desc = a.desc ?? "(null)";
  if (isEnum && a.desc && !a.desc.includes("\n")) out.fmt(OPT_DESC, `): ${desc} (${a.mme})\n`);
  else out.fmt(OPT_DESC, `): ${desc}\n`);
  if (a.mme && a.mme.includes("|")) out.fmt(0, "\n");
  else if (!a.mme && a.desc && a.desc.includes("\n- ")) out.fmt(0, "\n");
}

/** What print_filter() shows, from a register or from a loaded (JS) filter. */
interface FilterDoc {
  name: string;
  description: string | null;
  version: string | null;
  author: string | null;
  help: string | null;
  args: ArgInfo[];
  /** The GF_FilterCapability array and its length (printed by `-hh`). */
  caps: { ptr: Deno.PointerValue; count: number };
  /** From a register (not a JS filter instance). */
  reg: {
    flags: number;
    maxExtraPids: number;
    priority: number;
    probeUrl: boolean;
    probeData: boolean;
    reconfigure: boolean;
  } | null;
}

function readRegister(reg: NonNullable<Deno.PointerValue>, L: RegisterLayout): FilterDoc {
  const v = new Deno.UnsafePointerView(reg);
  return {
    name: readCString(v.getPointer(L.name)) ?? "",
    description: readCString(v.getPointer(L.description)),
    version: readCString(v.getPointer(L.version)),
    author: readCString(v.getPointer(L.author)),
    help: readCString(v.getPointer(L.help)),
    args: readArgs(v.getPointer(L.args)),
    caps: { ptr: v.getPointer(L.caps), count: v.getUint32(L.nbCaps) },
    reg: {
      flags: v.getUint32(L.flags),
      maxExtraPids: v.getUint32(L.maxExtraPids),
      priority: v.getUint8(L.priority),
      probeUrl: v.getPointer(L.probeUrl) !== null,
      probeData: v.getPointer(L.probeData) !== null,
      reconfigure: v.getPointer(L.reconfigureOutput) !== null,
    },
  };
}

/** print_filter() of gpac_help.c (gen_doc = 0). */
function printFilter(s: GpacSymbols, out: HelpOut, d: FilterDoc, mode: number): void {
  out.fmt(0, `# ${d.name}\n`);
  out.fmt(0, `Description: ${d.description ?? "No description available"}\n`);
  if (d.reg === null) {
    if (d.version) out.fmt(0, `Version: ${d.version}\n`);
    if (d.author) {
      out.fmt(0, `${d.author[0] === "-" ? "Configuration" : "Author"}: ${d.author}\n`);
    }
  } else {
    if (d.version) {
      if (d.version.startsWith("! ")) out.fmt(0, `${d.version.slice(2)}\n`);
      else out.fmt(0, `Version: ${d.version}\n`);
    }
    if (d.author) {
      out.fmt(0, `${d.author[0] === "-" ? "Configuration" : "Author"}: ${d.author}\n`);
    }
  }
  if (d.help) out.fmt(0, `\n${d.help}\n\n`);

  if (d.reg && mode === HelpMode.EXPERT) {
    const r = d.reg;
    out.fmt(
      0,
      r.maxExtraPids === 0xffffffff
        ? "Max Input PIDs: any\n"
        : `Max Input PIDs: ${(1 + r.maxExtraPids) | 0}\n`,
    );
    out.fmt(0, "Flags:");
    if (r.flags & REG_EXPLICIT_ONLY) out.fmt(0, " ExplicitOnly");
    if (r.flags & REG_MAIN_THREAD) out.fmt(0, " MainThread");
    if (r.flags & REG_CONFIGURE_MAIN_THREAD) out.fmt(0, " ConfigureMainThread");
    if (r.flags & REG_HIDE_WEIGHT) out.fmt(0, " HideWeight");
    if (r.flags & REG_REQUIRES_RESOLVER) out.fmt(0, " RequireResolver");
    if (r.flags & REG_ALLOW_CYCLIC) out.fmt(0, " CyclicAllowed");
    if (r.probeUrl) out.fmt(0, " URLMimeProber");
    if (r.probeData) out.fmt(0, " DataProber");
    if (r.reconfigure) out.fmt(0, " ReconfigurableOutput");
    out.fmt(0, `\nPriority ${r.priority}`);
    out.fmt(0, "\n");
  }

  const shown = d.args.filter((a) => !(a.flags & GF_FS_ARG_HINT_HIDE));
  if (shown.length) {
    out.fmt(
      0,
      mode >= HelpMode.EXPERT
        ? "# Options (expert):\n"
        : mode === HelpMode.ADVANCED
        ? "# Options (advanced):\n"
        : "# Options (basic):\n",
    );
    for (const a of shown) {
      if (mode === HelpMode.ADVANCED && a.flags & ARG_HINT_EXPERT) continue;
      if (mode === HelpMode.BASE && a.flags & (ARG_HINT_EXPERT | ARG_HINT_ADVANCED)) continue;
      printArg(s, out, a);
    }
  } else {
    out.fmt(0, "No options\n");
  }
  if (mode === HelpMode.ALL) dumpCaps(s, out, d.caps);
  out.fmt(0, "\n");
}

function instanceCaps(
  s: GpacSymbols,
  f: NonNullable<Deno.PointerValue>,
): { ptr: Deno.PointerValue; count: number } {
  if (!s.gf_filter_get_caps) return { ptr: null, count: 0 };
  const n = new Uint32Array(1);
  const ptr = s.gf_filter_get_caps(f, n);
  return { ptr, count: ptr ? n[0] : 0 };
}

// GF_FilterCapability (LP64, same in 2.4, 26.02, 26.07): code u32 @0, GF_PropertyValue @8
// (24 bytes, value union @8 in it), name @32, flags u32 @40, priority u8 @44; 48 bytes.
const CAP_SIZE = 48;
const CAP_FLAG_IN_BUNDLE = 1;
const CAP_FLAG_INPUT = 2;
const CAP_FLAG_OUTPUT = 4;
const CAP_FLAG_EXCLUDED = 8;
const CAP_FLAG_LOADED_FILTER = 16;
const CAP_FLAG_RECONFIG = 256;
const PID_STREAM_TYPE = 0x504d5354; // 'PMST'
const PID_CODECID = 0x504f5449; // 'POTI'
const dumpBuf = new Uint8Array(100); // GF_PROP_DUMP_ARG_SIZE

function blankBeforeCaps(s: GpacSymbols): boolean {
  const major = s.gf_gpac_abi_major();
  return major > 16 || (major === 16 && s.gf_gpac_abi_minor() >= 21);
}

/** dump_caps() of gpac_help.c (`-hh`). */
function dumpCaps(
  s: GpacSymbols,
  out: HelpOut,
  caps: { ptr: Deno.PointerValue; count: number },
): void {
  if (!caps.ptr || !caps.count) return;
  const v = new Deno.UnsafePointerView(caps.ptr);
  for (let i = 0; i < caps.count; i++) {
    const base = i * CAP_SIZE;
    const flags = v.getUint32(base + 40);
    if (!(flags & CAP_FLAG_IN_BUNDLE) && i + 1 === caps.count) break;
    if (flags & CAP_FLAG_RECONFIG) break;
    // gpac 26.07 puts a blank line before the first bundle, 26.02 and 2.4 do not
    if (!i) out.fmt(0, `${blankBeforeCaps(s) ? "\n" : ""}Capabilities Bundle:\n`);
    else if (!(flags & CAP_FLAG_IN_BUNDLE)) {
      out.fmt(0, "Capabilities Bundle:\n");
      continue;
    }
    const code = v.getUint32(base);
    const name = readCString(v.getPointer(base + 32)) ??
      readCString(s.gf_props_4cc_get_name(code)) ?? readCString(s.gf_4cc_to_str(code)) ?? "";
    out.fmt(0, "\t Flags:");
    if (flags & CAP_FLAG_INPUT) out.fmt(0, " Input");
    if (flags & CAP_FLAG_OUTPUT) out.fmt(0, " Output");
    if (flags & CAP_FLAG_EXCLUDED) out.fmt(0, " Exclude");
    if (flags & CAP_FLAG_LOADED_FILTER) out.fmt(0, " LoadedFilterOnly");
    const uint = v.getUint32(base + 16);
    let val: string | null;
    if (code === PID_STREAM_TYPE) val = readCString(s.gf_stream_type_name(uint));
    else if (code === PID_CODECID) val = readCString(s.gf_codecid_name(uint));
    else {
      // a shallow copy of the GF_PropertyValue (its pointers stay GPAC's)
      const prop = new Uint8Array(24);
      v.copyInto(prop, base + 8);
      val = readCString(s.gf_props_dump_val(prop, dumpBuf, 0, null));
    }
    out.fmt(0, ` ${name}="${val ?? "(null)"}"`);
    const priority = v.getUint8(base + 44);
    if (priority) out.fmt(0, `, priority=${priority}`);
    out.fmt(0, "\n");
  }
}

/** Sets (or with null, removes) a key of GPAC's `temp` config section. */
function setTemp(s: GpacSymbols, key: string, value: string | null): void {
  s.gf_opts_set_key?.(cstr("temp"), cstr(key), value === null ? null : cstr(value));
}

/** A session handle and a filter loader, as given by the caller (core/session.ts). */
export interface HelpSession {
  /** The session handle (created with {@link HELP_SESSION_FLAGS}). */
  handle: Deno.PointerValue;
  /** Loads a filter by name or path; returns its handle or null when it cannot be loaded. */
  loadFilter(name: string): Deno.PointerValue;
}

/**
 * Prepares GPAC's config for a help session (`temp:helponly`, `temp:helpexpert`, as `gpac -h`
 * does before creating its session); returns a function restoring it.
 */
export function enterHelpMode(mode: number, flag: string): () => void {
  const s = gpacSymbols();
  setTemp(s, "gpac-help", flag);
  setTemp(s, "helponly", "yes");
  if (mode >= HelpMode.EXPERT) setTemp(s, "helpexpert", "yes");
  return () => {
    setTemp(s, "gpac-help", null);
    setTemp(s, "helponly", null);
    setTemp(s, "helpexpert", null);
  };
}

function registers(s: GpacSymbols, fs: HelpSession): NonNullable<Deno.PointerValue>[] {
  const out: NonNullable<Deno.PointerValue>[] = [];
  const n = s.gf_fs_filters_registers_count(fs.handle);
  for (let i = 0; i < n; i++) {
    const reg = s.gf_fs_get_filter_register(fs.handle, i);
    if (reg) out.push(reg);
  }
  return out;
}

function basenameNoExt(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}

function docOfInstance(s: GpacSymbols, f: NonNullable<Deno.PointerValue>, name: string): FilterDoc {
  return {
    name,
    description: readCString(s.gf_filter_get_description!(f)),
    version: readCString(s.gf_filter_get_version!(f)),
    author: readCString(s.gf_filter_get_author!(f)),
    help: readCString(s.gf_filter_get_help!(f)),
    args: readArgs(s.gf_filter_get_args!(f)),
    caps: instanceCaps(s, f),
    reg: null,
  };
}

/**
 * `gpac -h NAME` / `-ha` / `-hx` / `-hh`: the help of a GPAC filter (built-in or JavaScript,
 * e.g. `avgen`), or of one of its options with `NAME.option`. Returns null when no filter has
 * that name.
 */
export function filterHelpText(fs: HelpSession, arg: string, mode: number): string | null {
  const s = gpacSymbols();
  const L = registerLayout(s)!;
  // NAME.opt (but keep FILE.js paths)
  let name = arg;
  let optname: string | null = null;
  const base = arg.slice(arg.lastIndexOf("/") + 1);
  const dot = base.indexOf(".");
  if (dot >= 0 && !base.endsWith(".js")) {
    name = arg.slice(0, arg.length - base.length + dot);
    optname = base.slice(dot + 1);
  }
  let doc: FilterDoc | null = null;
  for (const reg of registers(s, fs)) {
    const d = readRegister(reg, L);
    if (d.name === name) {
      doc = d;
      break;
    }
  }
  if (!doc) {
    // not a register: try it as a JavaScript filter (avgen, or a path to a .js filter)
    const f = fs.loadFilter(name);
    const reg = f ? s.gf_filter_get_register!(f) : null;
    if (!f || !reg) return null;
    const flags = new Deno.UnsafePointerView(reg).getUint32(L.flags);
    if (!(flags & REG_SCRIPT)) return null;
    doc = docOfInstance(s, f, basenameNoExt(name));
  }
  const d = doc;
  return collect(s, (out) => {
    if (optname !== null) {
      const all = optname === "*" || optname === "@";
      const hits = d.args.filter((a) => all || a.name === optname);
      for (const a of hits) printArg(s, out, a);
      if (!hits.length) out.fmt(0, `No such option ${optname} for filter ${d.name}\n`);
    } else {
      printFilter(s, out, d, mode);
    }
  });
}

/** The shared folder of GPAC (`share/gpac`), or null. */
function sharedDirectory(s: GpacSymbols): string | null {
  if (!s.gf_opts_default_shared_directory) return null;
  const buf = new Uint8Array(4096);
  if (!s.gf_opts_default_shared_directory(buf)) return null;
  const end = buf.indexOf(0);
  return new TextDecoder().decode(buf.subarray(0, end < 0 ? buf.length : end));
}

/**
 * `gpac -h filters`: every registered filter and every JavaScript filter of GPAC's `jsf`
 * folder, one `name: description` line each (listed in folder order, like gpac).
 */
export function filterListText(fs: HelpSession): string {
  const s = gpacSymbols();
  const L = registerLayout(s)!;
  const regs = registers(s, fs);
  return collect(s, (out) => {
    out.fmt(0, `Listing ${regs.length} supported filters:\n`);
    for (const reg of regs) {
      const d = readRegister(reg, L);
      out.fmt(HIGHLIGHT_FIRST, `${d.name}: ${d.description ?? "(null)"}\n`);
    }
    const shared = sharedDirectory(s);
    if (shared) {
      const dir = `${shared}/scripts/jsf/`;
      s.gf_log_set_tools_levels(cstr("console@error"), 0);
      let entries: Deno.DirEntry[] = [];
      try {
        entries = [...Deno.readDirSync(dir)];
      } catch { /* no JS filters installed */ }
      const show = (path: string, name: string) => {
        const f = fs.loadFilter(path);
        if (!f) return;
        out.fmt(
          HIGHLIGHT_FIRST,
          `${name}: ${readCString(s.gf_filter_get_description!(f)) ?? "(null)"}\n`,
        );
      };
      for (const e of entries) {
        if (e.isFile && e.name.endsWith(".js")) show(dir + e.name, basenameNoExt(e.name));
      }
      for (const e of entries) {
        if (!e.isDirectory) continue;
        try {
          Deno.statSync(`${dir}${e.name}/init.js`);
        } catch {
          continue;
        }
        show(`${dir}${e.name}/init.js`, e.name);
      }
    }
  });
}

/** `gpac -h core` (or `-h log` with `forLogs`): libgpac's own options. */
export function coreHelpText(mode: number, forLogs: boolean): string {
  const s = gpacSymbols();
  return collect(s, (out) => {
    out.fmt(0, `# libgpac ${forLogs ? "logs" : "core"} options:\n`);
    out.core(forLogs ? HelpMode.ALL : mode, forLogs ? SUBSYS_LOG : ~(SUBSYS_LOG | SUBSYS_FILTERS));
  });
}

/** True if `arg` (`-name[=value]`) is an option libgpac knows. */
export function isGpacArg(arg: string): boolean {
  const s = gpacSymbols();
  if (!s.gf_sys_is_gpac_arg) return true; // cannot tell: let libgpac have it
  return s.gf_sys_is_gpac_arg(cstr(arg)) !== 0;
}

function wordMatch(s: GpacSymbols, a: string, b: string): boolean {
  return !!s.gf_sys_word_match && s.gf_sys_word_match(cstr(a), cstr(b)) !== 0;
}

/**
 * `gpac_check_session_args()` of gpac: the messages for options set on the command line (or on
 * filters, e.g. `reframer:bogus=1`) that no filter used, with GPAC's suggestions.
 * `filterNames` are the register names of the session's filters.
 */
export function unusedArgMessages(session: Deno.PointerValue, filterNames: string[]): string[] {
  const s = gpacSymbols();
  if (!s.gf_fs_enum_unmapped_options || !session) return [];
  const msgs: string[] = [];
  const idx = new Uint32Array(1);
  const name = new BigUint64Array(1);
  const type = new Uint32Array(1);
  const metaName = new BigUint64Array(1);
  const metaOpt = new BigUint64Array(1);
  const str = (v: bigint) => readCString(Deno.UnsafePointer.create(v));
  let opts: Deno.PointerValue = null;
  try {
    while (s.gf_fs_enum_unmapped_options(session, idx, name, type, metaName, metaOpt)) {
      const argname = str(name[0]) ?? "";
      const atype = type[0];
      const mName = str(metaName[0]);
      const mOpt = str(metaOpt[0]);
      if (mName && atype !== 1) {
        msgs.push(
          mOpt
            ? `Filter ${mName}:${mOpt} value "${argname}" set but not used`
            : `Filter ${mName}:${argname} option set but not used`,
        );
        continue;
      }
      if (!opts && s.gf_opts_get_filename && s.gf_cfg_new) {
        const cfg = readCString(s.gf_opts_get_filename());
        if (cfg) {
          const dir = cfg.slice(0, cfg.lastIndexOf("/") + 1);
          opts = s.gf_cfg_new(null, cstr(`${dir}all_opts.txt`));
        }
      }
      if (!opts) {
        msgs.push(`Argument "${argname}" was set but not used by any filter`);
        continue;
      }
      suggest(s, opts, argname, atype, filterNames, msgs);
    }
  } finally {
    if (opts) s.gf_cfg_del!(opts);
  }
  return msgs;
}

/** gpac_suggest_filter_arg() of gpac_help.c, with ":" as the option separator. */
function suggest(
  s: GpacSymbols,
  opts: NonNullable<Deno.PointerValue>,
  argname: string,
  atype: number,
  filterNames: string[],
  msgs: string[],
): void {
  if (s.gf_opts_get_bool?.(cstr("core"), cstr("no-argchk"))) return;
  const prefix = atype === 2 ? "-+" : atype ? "--" : ":";
  const sec = cstr("allopts");
  const key = (k: string) => readCString(s.gf_cfg_get_key!(opts, sec, cstr(k)));
  if (key(`-${atype === 2 ? "+" : "-"}${argname}`) !== null) {
    msgs.push(`Argument "${prefix}${argname}" was set but not used by any filter`);
    return;
  }
  let found = false;
  const head = () => {
    if (!found) {
      msgs.push(
        `Unknown argument "${prefix}${argname}" set but not used by any filter - possible matches`,
      );
      found = true;
    }
  };
  const count = s.gf_cfg_get_key_count!(opts, sec);
  for (let i = 0; i < count; i++) {
    const full = readCString(s.gf_cfg_get_key_name!(opts, sec, i));
    if (!full) continue;
    const aval = key(full) ?? "";
    if (full[1] === "+" && atype !== 2) continue;
    if (full[1] === "-" && atype === 2) continue;
    let arg = full.slice(2);
    const at = arg.indexOf("@");
    if (at >= 0) {
      const enumVals = arg.slice(at + 1);
      arg = arg.slice(0, at);
      if (arg === argname) {
        msgs.push(`Argument "${prefix}${argname}" was set but not used by any filter`);
        return;
      }
      if (enumVals.includes(argname)) {
        head();
        msgs.push(`- ${arg} (${enumVals}) in filters ${aval}`);
        continue;
      }
    }
    if (arg.length > 2 * argname.length) continue;
    if (!filterNames.some((n) => aval.includes(n))) continue;
    if (wordMatch(s, argname, arg)) {
      head();
      msgs.push(`- ${arg} in filters ${aval}`);
    }
  }
  if (!found) {
    msgs.push(
      `Unknown argument "${prefix}${argname}" set but not used by any filter - no matching argument found`,
    );
  }
}

/**
 * gpac_suggest_arg() of gpac: the message for an unknown global option, with the libgpac
 * options that look like it.
 */
export function unknownOptionMessage(arg: string): string {
  return `Unrecognized option "${arg}", check usage "gpac -h"`;
}
