/**
 * Parsing of the runtime CLI's command line: GPAC's pipeline syntax for the common cases
 * (`-i URL`, `-o URL`, `src=`/`dst=`, filter descriptions with options, `@` link directives),
 * the global options the CLI handles itself, and TypeScript plugins in the chain.
 *
 * Parsing only builds a plan; nothing touches libgpac here, so every syntax error is reported
 * before a session exists.
 *
 * @module
 */

import { GF_BAD_PARAM } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import { splitOptions } from "../core/filter_options.ts";

/**
 * A link directive (`@`, `@N`, `@@N`, each optionally followed by `#Prop=value…`): the next
 * filter of the chain accepts input only from the designated earlier filter.
 */
export interface LinkDirective {
  /** The directive as written, for error messages. */
  raw: string;
  /**
   * Index of the source filter: counted back from the latest filter (0 = the previous one)
   * when `absolute` is false, from the first filter of the chain (0) when true.
   */
  index: number;
  /** True for `@@N` (index from the start of the chain). */
  absolute: boolean;
  /** Link arguments after `#` (e.g. `PID=1` or `StreamType=Visual`), or null. */
  linkArgs: string | null;
}

/** One filter of the chain, in command-line order. */
export type ChainItem =
  & {
    /** Link directives written just before this filter. */
    links: LinkDirective[];
    /** The command-line token(s) that declared the filter, for error messages. */
    raw: string;
  }
  & (
    /** A source (`-i URL`, `-src URL`, `src=URL`). */
    | { kind: "src"; url: string }
    /** A destination (`-o URL`, `-dst URL`, `dst=URL`). */
    | { kind: "dst"; url: string }
    /** A GPAC filter with options, e.g. `ffenc:c=avc:b=2M` or `c=avc`. */
    | { kind: "filter"; description: string }
    /** A TypeScript/JavaScript plugin module with `:opt=value` options. */
    | { kind: "plugin"; path: string; options: [string, string | null][] }
  );

/** What the command line asks for. */
export interface CliPlan {
  /** Filters in declaration order. */
  chain: ChainItem[];
  /** `-logs=SPEC`. */
  logs: string | null;
  /** `-threads=N` (default 0: everything on the JS thread). */
  threads: number;
  /** `-graph`: print the resolved graph at the end. */
  graph: boolean;
  /** `-stats`: print per-filter statistics at the end. */
  stats: boolean;
  /** `-quiet`: no progress line (also passed to libgpac). */
  quiet: boolean;
  /** `-cl`: complete linking mode instead of GPAC's implicit mode. */
  completeLinking: boolean;
  /** `-h` alone (true), `-h NAME` (the name or plugin path), or null. */
  help: string | true | null;
  /** How much help: 0 for `-h`, 1 for `-ha`, 2 for `-hx`, 3 for `-hh` (as gpac). */
  helpMode: 0 | 1 | 2 | 3;
  /** `--dash-algo=PATH`. */
  dashAlgo: string | null;
  /** `--http-hook=PATH`. */
  httpHook: string | null;
  /** Every other `-option[=value]`, handed to libgpac as global arguments. */
  gpacArgs: string[];
}

/** File extensions that make a chain element a plugin module rather than a GPAC filter. */
export const PLUGIN_EXTENSIONS: readonly string[] = [".ts", ".mts", ".tsx", ".js", ".mjs"];

const URL_PLUGIN = /^((?:https?|file):\/\/.*?\.(?:m?ts|tsx|m?js))(?=:|$)/i;

/**
 * Splits a plugin token into its module path and `:opt=value` options. A URL
 * (`https://host:port/x.ts:opt=1`) keeps its own colons: the path ends at the first module
 * extension.
 */
function splitPluginToken(token: string): { path: string; options: [string, string | null][] } {
  const m = token.match(URL_PLUGIN);
  if (m) {
    const rest = token.slice(m[1].length);
    return { path: m[1], options: rest ? splitOptions(rest, true) : [] };
  }
  const parts = splitOptions(token, false);
  return { path: parts[0][0], options: parts.slice(1) };
}

/** True if the first `:`-separated part of `token` (or its URL) is a path to a TS/JS module. */
export function isPluginToken(token: string): boolean {
  const path = splitPluginToken(token).path;
  return PLUGIN_EXTENSIONS.some((ext) => path.toLowerCase().endsWith(ext));
}

function bad(message: string): GpacError {
  return new GpacError(GF_BAD_PARAM, message);
}

/** Parses one `@…` token. */
export function parseLinkDirective(token: string): LinkDirective {
  const hash = token.indexOf("#");
  const head = hash < 0 ? token : token.slice(0, hash);
  const linkArgs = hash < 0 ? null : token.slice(hash + 1) || null;
  const absolute = head.startsWith("@@");
  const digits = head.slice(absolute ? 2 : 1);
  if (digits !== "" && !/^\d+$/.test(digits)) {
    throw bad(
      `invalid link directive "${token}": expected @, @N or @@N with N a filter index, ` +
        `optionally followed by #Property=value`,
    );
  }
  return { raw: token, index: digits === "" ? 0 : Number(digits), absolute, linkArgs };
}

/** The help options, as gpac: `-h`/`-help` basic, `-ha` advanced, `-hx` expert, `-hh` all. */
const HELP_MODES: Readonly<Record<string, 0 | 1 | 2 | 3>> = {
  "-h": 0,
  "-help": 0,
  "--help": 0,
  "-ha": 1,
  "-hx": 2,
  "-hh": 3,
};

/** Options of the CLI that take a value in the next argument or after `=`. */
const VALUE_OPTIONS = new Set(["--dash-algo", "--http-hook"]);

/**
 * Parses the CLI's arguments (without the program name) into a {@link CliPlan}. Throws a
 * `GF_BAD_PARAM` {@link GpacError} naming the offending argument.
 */
export function parseCommandLine(args: readonly string[]): CliPlan {
  const plan: CliPlan = {
    chain: [],
    logs: null,
    threads: 0,
    graph: false,
    stats: false,
    quiet: false,
    completeLinking: false,
    help: null,
    helpMode: 0,
    dashAlgo: null,
    httpHook: null,
    gpacArgs: [],
  };
  let links: LinkDirective[] = [];
  const list = args[0] === "--" ? args.slice(1) : args; // `deno task gpac -- …`
  const need = (i: number, opt: string): string => {
    const v = list[i + 1];
    if (v === undefined || v === "") throw bad(`option ${opt} needs a value`);
    return v;
  };
  for (let i = 0; i < list.length; i++) {
    const arg = list[i];
    if (arg === "") continue;
    if (arg === "-i" || arg === "-src" || arg === "-o" || arg === "-dst") {
      const url = need(i, arg);
      i++;
      const kind = arg === "-i" || arg === "-src" ? "src" : "dst";
      plan.chain.push({ kind, url, links, raw: `${arg} ${url}` });
      links = [];
      continue;
    }
    const helpMode = Object.hasOwn(HELP_MODES, arg) ? HELP_MODES[arg] : undefined;
    if (helpMode !== undefined) {
      plan.helpMode = helpMode;
      const next = list[i + 1];
      if (next !== undefined && !next.startsWith("-")) {
        plan.help = next;
        i++;
      } else {
        plan.help = true;
      }
      continue;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg : arg.slice(0, eq);
      if (!VALUE_OPTIONS.has(name)) {
        throw bad(`unknown option "${arg}" (CLI options: ${[...VALUE_OPTIONS].join(", ")})`);
      }
      let value: string;
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        value = need(i, name);
        i++;
      }
      if (!value) throw bad(`option ${name} needs a module path`);
      if (name === "--dash-algo") plan.dashAlgo = value;
      else plan.httpHook = value;
      continue;
    }
    if (arg.startsWith("-")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg : arg.slice(0, eq);
      const value = eq < 0 ? null : arg.slice(eq + 1);
      switch (name) {
        case "-logs":
          if (!value) throw bad(`option -logs needs a value, e.g. -logs=filter@info`);
          plan.logs = value;
          continue;
        case "-threads": {
          const n = value === null ? NaN : Number(value);
          if (!Number.isInteger(n) || n < -1) {
            throw bad(`invalid value "${value}" for -threads (expected an integer >= -1)`);
          }
          plan.threads = n;
          continue;
        }
        case "-graph":
          plan.graph = true;
          continue;
        case "-stats":
          plan.stats = true;
          continue;
        case "-cl":
          plan.completeLinking = true;
          continue;
        case "-quiet":
          plan.quiet = true;
          plan.gpacArgs.push(arg);
          continue;
        default:
          plan.gpacArgs.push(arg);
          continue;
      }
    }
    if (arg.startsWith("@")) {
      links.push(parseLinkDirective(arg));
      continue;
    }
    if (arg.startsWith("src=")) {
      plan.chain.push({ kind: "src", url: arg.slice(4), links, raw: arg });
    } else if (arg.startsWith("dst=")) {
      plan.chain.push({ kind: "dst", url: arg.slice(4), links, raw: arg });
    } else if (isPluginToken(arg)) {
      const { path, options } = splitPluginToken(arg);
      plan.chain.push({
        kind: "plugin",
        path,
        options: options.filter(([k]) => k !== ""),
        links,
        raw: arg,
      });
    } else {
      plan.chain.push({ kind: "filter", description: arg, links, raw: arg });
    }
    links = [];
  }
  if (links.length) {
    throw bad(
      `link directive${links.length > 1 ? "s" : ""} ${
        links.map((l) => `"${l.raw}"`).join(", ")
      } not followed by a filter`,
    );
  }
  return plan;
}
