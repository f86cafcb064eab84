/**
 * The runtime CLI: builds a GPAC session from a command line (see {@link parseCommandLine}),
 * loads TypeScript plugins into the chain, runs the session with
 * {@link FilterSession.runAsync} (progress line, Ctrl-C) and reports.
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { GF_BAD_PARAM, GF_FS_FLAG_NO_IMPLICIT } from "../ffi/constants.ts";
import { GpacError, GpacLoadError } from "../core/errors.ts";
import { setArgs, setLogs } from "../core/gpac.ts";
import { FilterSession } from "../core/session.ts";
import type { Filter } from "../core/filter.ts";
import type { FilterCustom } from "../filters/custom.ts";
import { type ChainItem, type CliPlan, parseCommandLine } from "./args.ts";
import {
  importModule,
  loadPlugin,
  locateInModule,
  parsePluginOptions,
  type Plugin,
  pluginHelp,
  pluginUrl,
} from "./plugin.ts";
import { filterHelp, USAGE } from "./help.ts";
// registers the dashin and httpout binders used by --dash-algo / --http-hook (Filter.bind)
import "../dash/binding.ts";
import "../httpout/request.ts";
import { formatGraph, formatProgress, formatStats, ProgressTracker } from "./report.ts";

/** Exit code after an interruption (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** Where the CLI writes, and whether it talks to a terminal. */
export interface CliIo {
  /** Normal output (help, graph, statistics). */
  out(text: string): void;
  /** Diagnostics and the progress line. */
  err(text: string): void;
  /** True when the progress line may be shown (stderr is a terminal). */
  isTerminal: boolean;
  /**
   * Registers the Ctrl-C handler; returns a function removing it. Defaults to
   * `Deno.addSignalListener("SIGINT", …)`.
   */
  onInterrupt?(handler: () => void): () => void;
  /** Exits the process now (second Ctrl-C). Defaults to `Deno.exit`. */
  exit?(code: number): never;
}

const encoder = new TextEncoder();

/** The process's stdout/stderr, terminal detection on stderr. */
export function processIo(): CliIo {
  return {
    out: (t) => Deno.stdout.writeSync(encoder.encode(t)),
    err: (t) => Deno.stderr.writeSync(encoder.encode(t)),
    isTerminal: Deno.stderr.isTerminal(),
  };
}

/** The reason given to the abort signal on Ctrl-C. */
class Interrupted extends Error {
  override name = "Interrupted";
}

/** A bound-object module (`--dash-algo`, `--http-hook`) and the filters it applies to. */
interface Binding {
  flag: string;
  filterName: string;
  path: string;
  url: string;
  /** The default export: a class (one instance per filter) or an object (shared). */
  value: unknown;
  bound: number;
}

function instantiate(b: Binding): object {
  const v = b.value;
  if (typeof v === "function") {
    try {
      return new (v as new () => object)();
    } catch (e) {
      if (e instanceof TypeError && /constructor/.test(e.message)) return v as object;
      throw e;
    }
  }
  if (v !== null && typeof v === "object") return v;
  throw new GpacError(
    GF_BAD_PARAM,
    `${b.flag} module ${b.path}: the default export must be a class or an object, got ${typeof v}`,
  );
}

/** The CLI's session: binds `--dash-algo` / `--http-hook` modules to new filters. */
class CliSession extends FilterSession {
  constructor(readonly plan: CliPlan, readonly bindings: Binding[]) {
    super({
      nonBlocking: true,
      threads: plan.threads,
      flags: plan.completeLinking ? GF_FS_FLAG_NO_IMPLICIT : 0,
    });
  }
  override onFilterNew(filter: Filter): void {
    for (const b of this.bindings) {
      if (filter.name !== b.filterName) continue;
      filter.bind(instantiate(b));
      b.bound++;
    }
  }
}

/** Names the module (plugin or bound module) an error comes from, with file:line:column. */
function blame(error: unknown, modules: { path: string; url: string }[]): string | null {
  for (const m of modules) {
    const where = locateInModule(error, m.url);
    if (where) return where;
  }
  return null;
}

function describeError(error: unknown, modules: { path: string; url: string }[]): string {
  const where = blame(error, modules);
  const e = error instanceof Error ? error : new Error(String(error));
  const head = where ? `error in ${where}: ${e.message}` : `error: ${e.message}`;
  // show the stack of errors raised by JS code (plugins, bound modules), not of GpacErrors
  // raised by the binding itself (nor of a load failure), whose message says it all
  const own = e instanceof GpacError || e instanceof GpacLoadError;
  const stack = !own && e.stack ? `\n${e.stack}` : "";
  // a GpacError wrapping an exception of user code (plugin constructor, import): its stack
  const c = e instanceof GpacError ? e.cause : null;
  const cause = c instanceof Error && !(c instanceof GpacError) && /\n\s+at /.test(c.stack ?? "")
    ? `\n${c.stack}`
    : "";
  return `${head}${stack}${cause}\n`;
}

/** Tags filters with GPAC's sub-session and source ids, as `gpac` does in implicit mode. */
class ImplicitTagger {
  #subsession = 0;
  #sourceId = 0;
  #prevSink = false;
  #prevNotSource = false;

  tag(f: Filter): void {
    const s = gpacSymbols();
    if (!s.gf_filter_tag_subsession || !s.gf_filter_is_source || !s.gf_filter_is_sink) return;
    const h = f.handle;
    s.gf_filter_tag_subsession(h, this.#subsession, this.#sourceId);
    const isSource = s.gf_filter_is_source(h) !== 0;
    const isSink = s.gf_filter_is_sink(h) !== 0;
    if (isSource) {
      // a source after other filters starts a new source group
      if (this.#prevNotSource) {
        this.#sourceId++;
        s.gf_filter_tag_subsession(h, this.#subsession, this.#sourceId);
      }
      this.#prevNotSource = false;
    } else {
      this.#prevNotSource = true;
    }
    if (isSink) {
      this.#prevSink = true;
    } else if (this.#prevSink && isSource) {
      // a source after a sink starts a new sub-session: `-i a -o x -i b -o y`
      this.#prevSink = false;
      this.#subsession++;
      this.#sourceId = 0;
      this.#prevNotSource = false;
      s.gf_filter_tag_subsession(h, this.#subsession, this.#sourceId);
    }
  }
}

function loadItem(
  fs: FilterSession,
  item: ChainItem,
  plugins: Map<string, Plugin>,
  pluginOptions: Map<ChainItem, Record<string, unknown>>,
): Filter {
  switch (item.kind) {
    case "src":
      return fs.loadSrc(item.url);
    case "dst":
      return fs.loadDst(item.url);
    case "filter":
      return fs.load(item.description);
    case "plugin": {
      const p = plugins.get(item.path)!;
      const values = pluginOptions.get(item)!;
      let f: FilterCustom;
      try {
        f = new p.filterClass(fs, values);
      } catch (e) {
        const where = locateInModule(e, p.url) ?? item.path;
        const msg = e instanceof Error ? e.message : String(e);
        throw new GpacError(GF_BAD_PARAM, `plugin ${where} failed to start: ${msg}`, {
          cause: e,
        });
      }
      return f;
    }
  }
}

function resolveLinks(item: ChainItem, filter: Filter, loaded: Filter[]): void {
  for (const l of item.links) {
    const idx = l.absolute ? l.index : loaded.length - 1 - l.index;
    const src = loaded[idx];
    if (!src || idx < 0) {
      throw new GpacError(
        GF_BAD_PARAM,
        `link directive "${l.raw}" before "${item.raw}" designates filter ${
          l.absolute ? `#${l.index}` : `${l.index} before the previous one`
        }, but only ${loaded.length} filter(s) precede it`,
      );
    }
    filter.setSource(src, l.linkArgs ?? undefined);
  }
}

/**
 * Runs the CLI with `args` (without the program name). Returns the exit code: 0 on success,
 * 1 on a failure, 2 on a command-line error, {@link EXIT_INTERRUPTED} after Ctrl-C.
 */
export async function runCli(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  let plan: CliPlan;
  try {
    plan = parseCommandLine(args);
  } catch (e) {
    io.err(describeError(e, []));
    io.err("run with -h for help\n");
    return 2;
  }

  // ---- help -----------------------------------------------------------------------------
  if (plan.help !== null || (plan.chain.length === 0)) {
    if (plan.help === null || plan.help === true) {
      io.out(USAGE + "\n");
      return plan.help === null ? 2 : 0;
    }
    try {
      if (/\.(m?ts|tsx|m?js)$/i.test(plan.help)) {
        io.out(pluginHelp(await loadPlugin(plan.help)) + "\n");
      } else {
        io.out(filterHelp(plan.help) + "\n");
      }
      return 0;
    } catch (e) {
      io.err(describeError(e, [{ path: plan.help, url: pluginUrl(plan.help) }]));
      return 1;
    }
  }

  // ---- modules: loaded before libgpac does anything ----------------------------------------
  const plugins = new Map<string, Plugin>();
  const pluginOptions = new Map<ChainItem, Record<string, unknown>>();
  const bindings: Binding[] = [];
  const modules: { path: string; url: string }[] = [];
  try {
    for (const item of plan.chain) {
      if (item.kind !== "plugin") continue;
      let p = plugins.get(item.path);
      if (!p) {
        p = await loadPlugin(item.path);
        plugins.set(item.path, p);
        modules.push(p);
      }
      pluginOptions.set(
        item,
        parsePluginOptions(item.path, p.filterClass.options ?? {}, item.options),
      );
    }
    for (
      const [flag, filterName, path] of [
        ["--dash-algo", "dashin", plan.dashAlgo],
        ["--http-hook", "httpout", plan.httpHook],
      ] as const
    ) {
      if (!path) continue;
      const what = flag === "--dash-algo" ? "DASH algorithm" : "HTTP hook";
      const value = await importModule(path, what);
      const b: Binding = { flag, filterName, path, url: pluginUrl(path), value, bound: 0 };
      if (typeof value !== "function" && (value === null || typeof value !== "object")) {
        instantiate(b); // throws the typed error
      }
      bindings.push(b);
      modules.push(b);
    }
    if (bindings.length && plan.threads !== 0) {
      // bound objects are called by dashin/httpout, which GPAC may run on a worker thread:
      // JS callbacks from another thread would stall the session (and can deadlock it)
      throw new GpacError(
        GF_BAD_PARAM,
        `${bindings.map((b) => b.flag).join(" and ")} ${
          bindings.length > 1 ? "need" : "needs"
        } a single-threaded session: ` +
          `remove -threads=${plan.threads}`,
      );
    }
    if (plan.gpacArgs.length) setArgs(plan.gpacArgs);
    if (plan.logs) setLogs(plan.logs);
  } catch (e) {
    io.err(describeError(e, modules));
    return e instanceof GpacError && e.codeName === "GF_BAD_PARAM" ? 2 : 1;
  }

  // ---- session ----------------------------------------------------------------------------
  let fs: CliSession;
  try {
    fs = new CliSession(plan, bindings);
  } catch (e) {
    io.err(describeError(e, modules));
    return 1;
  }
  let code = 0;
  const ac = new AbortController();
  let interrupts = 0;
  const exit = io.exit ?? ((c: number) => Deno.exit(c));
  const onInterrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      io.err("\ninterrupted: finalizing outputs (Ctrl-C again to exit now)\n");
      ac.abort(new Interrupted("interrupted by Ctrl-C"));
    } else {
      io.err("\ninterrupted twice: exiting without finalizing outputs\n");
      exit(EXIT_INTERRUPTED);
    }
  };
  const removeInterrupt = io.onInterrupt ? io.onInterrupt(onInterrupt) : (() => {
    Deno.addSignalListener("SIGINT", onInterrupt);
    return () => Deno.removeSignalListener("SIGINT", onInterrupt);
  })();
  let progressTimer: ReturnType<typeof setInterval> | undefined;
  let progressShown = false;
  let tracker: ProgressTracker | null = null;
  try {
    const loaded: Filter[] = [];
    const tagger = plan.completeLinking ? null : new ImplicitTagger();
    for (const item of plan.chain) {
      let f: Filter;
      try {
        f = loadItem(fs, item, plugins, pluginOptions);
      } catch (e) {
        if (e instanceof GpacError && !(e.cause instanceof Error)) {
          throw new GpacError(
            e.code,
            `${e.message.replace(/ \[GF_\w+\]$/, "")} (in "${item.raw}")`,
            {
              cause: e,
            },
          );
        }
        throw e;
      }
      tagger?.tag(f);
      resolveLinks(item, f, loaded);
      loaded.push(f);
    }
    if (ac.signal.aborted) throw ac.signal.reason;

    const t = tracker = new ProgressTracker(fs);
    if (io.isTerminal && !plan.quiet) {
      progressTimer = setInterval(() => {
        try {
          io.err(`\r${formatProgress(t.sample())}\x1b[K`);
          progressShown = true;
        } catch { /* a filter went away between two samples: skip this refresh */ }
      }, 100);
    }
    await fs.runAsync({ signal: ac.signal });
  } catch (e) {
    if (e instanceof Interrupted) {
      code = EXIT_INTERRUPTED;
    } else {
      if (progressShown) io.err("\n");
      progressShown = false;
      io.err(describeError(e, modules));
      code = 1;
    }
  } finally {
    if (progressTimer !== undefined) clearInterval(progressTimer);
    removeInterrupt();
  }
  // final state, also for sessions shorter than one refresh period
  if (tracker && io.isTerminal && !plan.quiet && (progressShown || code === 0)) {
    try {
      io.err(`\r${formatProgress(tracker.sample(code === 0))}\x1b[K\n`);
    } catch { /* nothing to add */ }
  }
  try {
    if (plan.graph) io.out(`Filter graph:\n${formatGraph(fs.graph())}\n`);
    if (plan.stats) io.out(`Filter statistics:\n${formatStats(fs.stats())}\n`);
    for (const b of bindings) {
      if (b.bound === 0 && code === 0) {
        io.err(
          `warning: ${b.flag}=${b.path} was not used: no ${b.filterName} filter was created\n`,
        );
      }
    }
  } finally {
    try {
      fs.close();
    } catch (e) {
      io.err(describeError(e, modules));
      if (code === 0) code = 1;
    }
  }
  if (code === EXIT_INTERRUPTED) io.err("session aborted, outputs finalized\n");
  return code;
}
