/**
 * Help texts of the runtime CLI: usage, a GPAC filter's options (`-h FILTER`) and a plugin's
 * declared options (`-h path/to/plugin.ts`).
 *
 * @module
 */

import { gpacSymbols, SUPPORTED_GPAC } from "../ffi/library.ts";
import { readCString } from "../ffi/buffers.ts";
import { FilterArgsLayout } from "../ffi/layouts.ts";
import { GF_FILTER_NOT_FOUND, GF_FS_ARG_HINT_HIDE } from "../ffi/constants.ts";
import { abi, ensureInit } from "../core/gpac.ts";
import { GpacError } from "../core/errors.ts";
import { FilterSession } from "../core/session.ts";
import type { FilterArg } from "../core/filter.ts";
import { propTypeName } from "../core/props.ts";
import {
  coreHelpText,
  enterHelpMode,
  filterHelpText,
  filterListText,
  gpacHelpAvailable,
  HELP_SESSION_FLAGS,
  type HelpModeValue,
  NO_GRAPH_CACHE,
} from "../ffi/gpac_help.ts";

/** Usage of the CLI. */
export const USAGE = `Usage: gpac [options] FILTER [LINK] FILTER [...]

Runs a GPAC pipeline, with TypeScript filters (plugins) anywhere in the chain.

Filters:
  -i URL, -src URL, src=URL   a source (file, URL, or a source filter such as avgen:dur=2)
  -o URL, -dst URL, dst=URL   a destination (file or URL)
  NAME[:opt=val...]           a GPAC filter with options, e.g. ffenc:c=avc:b=2M or c=avc
  PATH.ts[:opt=val...]        a plugin: a .ts/.js module default-exporting a FilterCustom
                              subclass (use -i/-o for MPEG-TS files named *.ts)
Links (before a filter; the filter then only accepts inputs from the designated one):
  @  @N                       the previous filter / the Nth filter before it
  @@N                         the Nth filter of the command line (from 0)
  @#Prop=val, @N#Prop=val     only PIDs matching the property (e.g. @#PID=1, @1#video)
Options:
  -h [FILTER|PLUGIN.ts]       this help, or the options of a filter or plugin; also
                              -h filters, -h core, -h log, -h FILTER.option; -ha/-hx/-hh
                              for advanced/expert/all options (GPAC's own help texts)
  -logs=SPEC                  GPAC logs, e.g. -logs=filter@info:all@warning
  -threads=N                  extra GPAC threads (default 0; TS filters stay on the JS thread)
  -graph                      print the resolved filter graph at the end
  -stats                      print per-filter statistics at the end
  -quiet                      no progress line
  -cl                         complete linking instead of GPAC's implicit linking
  --dash-algo=PATH            bind the module's default export to every dashin filter
  --http-hook=PATH            bind the module's default export to every httpout filter
  -OPTION[=VALUE]             any other option is a libgpac global option (see gpac -h core)

Progress is shown on a terminal. Ctrl-C stops the session and finalizes the outputs (exit
code 130); a second Ctrl-C exits at once.`;

/** Formats filter options (`Filter.allArgs()`), skipping hidden ones. */
export function formatArgs(name: string, description: string | null, args: FilterArg[]): string {
  const lines = [name + (description ? `: ${description}` : ""), "", "Options:"];
  let n = 0;
  for (const a of args) {
    if (!a.name || a.flags & GF_FS_ARG_HINT_HIDE) continue;
    n++;
    const extra = [
      a.type,
      a.minMaxEnum ? `${a.minMaxEnum.includes("|") ? "values" : "range"} ${a.minMaxEnum}` : "",
      a.default !== null && a.default !== "" ? `default ${a.default}` : "",
    ].filter(Boolean).join(", ");
    lines.push(`  ${a.name} (${extra}): ${a.description}`);
  }
  if (!n) lines.push("  (none)");
  return lines.join("\n");
}

// GF_FilterRegister, LP64, measured with offsetof against the headers of GPAC 2.4 (ABI 12.14),
// 26.02 (16.5) and 26.07 (16.21), same in the three: name at 0, args at 40 (a GF_FilterArgs
// array ending with a NULL name), description at 160 (builds without GPAC_DISABLE_DOC).
const REGISTER_NAME = 0;
const REGISTER_ARGS = 40;
const REGISTER_DESCRIPTION = 160;

/** Reads a filter's options from its register (filters that cannot load without a URL). */
function registerArgs(name: string): { description: string | null; args: FilterArg[] } | null {
  const a = abi();
  if (!SUPPORTED_GPAC.tested.includes(`${a.major}.${a.minor}`)) return null;
  using fs = new FilterSession();
  const s = gpacSymbols();
  const n = s.gf_fs_filters_registers_count(fs.handle);
  const L = FilterArgsLayout.fields;
  for (let i = 0; i < n; i++) {
    const reg = s.gf_fs_get_filter_register(fs.handle, i);
    if (!reg) continue;
    const v = new Deno.UnsafePointerView(reg);
    if (readCString(v.getPointer(REGISTER_NAME)) !== name) continue;
    const args: FilterArg[] = [];
    const argsPtr = v.getPointer(REGISTER_ARGS);
    for (let k = 0; argsPtr; k++) {
      const av = new Deno.UnsafePointerView(argsPtr);
      const base = k * FilterArgsLayout.size;
      const argName = readCString(av.getPointer(base + L.argName.offset));
      if (!argName) break;
      args.push({
        name: argName,
        type: propTypeName(av.getUint32(base + L.argType.offset)),
        description: readCString(av.getPointer(base + L.argDesc.offset)) ?? "",
        default: readCString(av.getPointer(base + L.argDefaultVal.offset)),
        minMaxEnum: readCString(av.getPointer(base + L.minMaxEnum.offset)),
        flags: av.getUint32(base + L.flags.offset),
        value: null,
      });
    }
    return { description: readCString(v.getPointer(REGISTER_DESCRIPTION)), args };
  }
  return null;
}

/**
 * GPAC's own help for `-h NAME` as `gpac` prints it (through libgpac's help formatter):
 * `core`, `log`, `filters`, a built-in or JavaScript filter (`avgen`), or `FILTER.option`.
 * `mode` is 0 for `-h`, 1 for `-ha`, 2 for `-hx`, 3 for `-hh`. Returns null when this libgpac
 * lacks what is needed (older ABIs); throws `GF_FILTER_NOT_FOUND` for an unknown name.
 */
export function gpacHelp(name: string, mode: HelpModeValue): string | null {
  if (name === "core" || name === "log") {
    return gpacSymbols().gf_sys_print_core_help ? coreHelpText(mode, name === "log") : null;
  }
  if (!gpacHelpAvailable()) return null;
  ensureInit(); // GPAC's config exists from gf_sys_init on: set the help keys after it
  const restore = enterHelpMode(mode, ["h", "ha", "hx", "hh"][mode]);
  try {
    // gpac -h filters lists the registers without meta filters (no GF_FS_FLAG_LOAD_META)
    using fs = new FilterSession({
      flags: name === "filters" ? NO_GRAPH_CACHE : HELP_SESSION_FLAGS,
    });
    const session = {
      handle: fs.handle,
      loadFilter(n: string): Deno.PointerValue {
        try {
          return fs.load(n).handle;
        } catch {
          return null;
        }
      },
    };
    if (name === "filters") return filterListText(session);
    const text = filterHelpText(session, name, mode);
    if (text === null) throw new GpacError(GF_FILTER_NOT_FOUND, `No such filter ${name}`);
    return text;
  } finally {
    restore();
  }
}

/**
 * Help on GPAC filter `name`: its options, read from a loaded instance (or, for filters that
 * refuse to load without a URL such as `fin`, from the filter register). Throws
 * `GF_FILTER_NOT_FOUND` for an unknown filter.
 */
export function filterHelp(name: string): string {
  {
    using fs = new FilterSession();
    if (!fs.filterExists(name)) {
      throw new GpacError(GF_FILTER_NOT_FOUND, `no filter named "${name}" in this GPAC build`);
    }
    try {
      const f = fs.load(name);
      return formatArgs(f.name, null, f.allArgs({ values: false }));
    } catch (e) {
      const reg = registerArgs(name);
      if (!reg) {
        throw new GpacError(
          GF_FILTER_NOT_FOUND,
          `filter "${name}" cannot be loaded on its own to list its options (try gpac -h ${name})`,
          { cause: e },
        );
      }
      return formatArgs(name, reg.description, reg.args);
    }
  }
}
