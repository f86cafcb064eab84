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
import { flushLogs, type LogEntry, setLogCallback } from "../core/logs.ts";
import { FilterSession } from "../core/session.ts";
import type { Filter } from "../core/filter.ts";
import type { FilterCustom } from "../custom/filter.ts";
import { type ChainItem, type CliPlan, parseCommandLine } from "./args.ts";
import type { Plugin } from "./plugin.ts";
import { isGpacArg, unknownOptionMessage, unusedArgMessages } from "../ffi/gpac_help.ts";
import { formatGraph, formatProgress, formatStats, ProgressTracker } from "./report.ts";

/** The plugin machinery (and through it custom filters), loaded only by runs that use it. */
let pluginModule: typeof import("./plugin.ts") | null = null;

async function pluginTools(): Promise<typeof import("./plugin.ts")> {
  return pluginModule ??= await import("./plugin.ts");
}

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

/** A GPAC log message colored as GPAC's console does (errors red, warnings yellow, info green). */
function colorLog(e: LogEntry): string {
  if (Deno.noColor) return e.message;
  const c = e.level === "error" ? 31 : e.level === "warning" ? 33 : e.level === "info" ? 32 : 0;
  return c ? `\x1b[${c}m${e.message}\x1b[0m` : e.message;
}

/** Names the module (plugin or bound module) an error comes from, with file:line:column. */
function blame(error: unknown, modules: { path: string; url: string }[]): string | null {
  // modules are only listed once the plugin machinery was loaded for them
  for (const m of modules) {
    const where = pluginModule?.locateInModule(error, m.url) ?? null;
    if (where) return where;
  }
  return null;
}

function describeError(error: unknown, modules: { path: string; url: string }[]): string {
  const where = blame(error, modules);
  const e = error instanceof Error ? error : new Error(String(error));
  const head = where ? `error in ${where}: ${e.message}` : `error: ${e.message}`;
  // show the stack of errors raised by JS code (plugins, bound modules), not of GpacErrors
  // raised by the binding itself, whose message says it all
  // (nor of a library that could not be loaded: its message already lists what was tried)
  const ours = e instanceof GpacError || e instanceof GpacLoadError;
  const stack = !ours && e.stack ? `\n${e.stack}` : "";
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
        const where = pluginModule?.locateInModule(e, p.url) ?? item.path;
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

/** Local file paths the `-o`/`dst=` outputs of the chain write to (URLs other than file:// skipped). */
export function outputPaths(plan: CliPlan): string[] {
  const out: string[] = [];
  for (const item of plan.chain) {
    if (item.kind !== "dst") continue;
    const url = item.url;
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
    if (scheme && scheme[1].toLowerCase() !== "file") continue;
    // GPAC options follow the path after ':' (file:// URLs keep theirs after the path too)
    const path = (scheme ? url.slice("file://".length) : url).split(":")[0];
    if (path && path !== "null" && path !== "-") out.push(path);
  }
  return out;
}

/**
 * libgpac writes through FFI, which Deno's permission system does not see: without
 * `--allow-write` (for these paths) the CLI refuses to write them itself.
 */
export function checkOutputPermissions(plan: CliPlan): void {
  for (const path of outputPaths(plan)) {
    const st = Deno.permissions.querySync({ name: "write", path });
    if (st.state !== "granted") {
      throw new GpacError(
        GF_BAD_PARAM,
        `writing "${path}" needs --allow-write (or --allow-write=<its folder>): libgpac writes ` +
          `through FFI, so deno-gpac checks write permission for its outputs itself`,
      );
    }
  }
}

/** `-h`: usage, a filter's or a plugin's help. Returns the exit code. */
async function showHelp(plan: CliPlan, io: CliIo): Promise<number> {
  // the help texts are loaded only for -h (start-up of a run stays small)
  const { filterHelp, gpacHelp, USAGE } = await import("./help.ts");
  const { loadPlugin, pluginHelp, pluginUrl } = await pluginTools();
  if (plan.help === null || plan.help === true) {
    io.out(USAGE + "\n");
    return plan.help === null ? 2 : 0;
  }
  try {
    if (/\.(m?ts|tsx|m?js)$/i.test(plan.help)) {
      io.out(pluginHelp(await loadPlugin(plan.help)) + "\n");
    } else {
      const text = gpacHelp(plan.help, plan.helpMode);
      // GPAC's text ends with its own blank line; older libgpac: our summary of the options
      if (text !== null) io.out(text);
      else io.out(filterHelp(plan.help) + "\n");
    }
    return 0;
  } catch (e) {
    io.err(describeError(e, [{ path: plan.help, url: pluginUrl(plan.help) }]));
    return 1;
  }
}

/** Plugins, their option values, bound modules: loaded before libgpac does anything. */
interface CliModules {
  plugins: Map<string, Plugin>;
  pluginOptions: Map<ChainItem, Record<string, unknown>>;
  bindings: Binding[];
  /** Every module, to name the one an error comes from. */
  modules: { path: string; url: string }[];
}

async function loadPlugins(plan: CliPlan, m: CliModules): Promise<void> {
  for (const item of plan.chain) {
    if (item.kind !== "plugin") continue;
    const { loadPlugin, parsePluginOptions } = await pluginTools();
    let p = m.plugins.get(item.path);
    if (!p) {
      p = await loadPlugin(item.path);
      m.plugins.set(item.path, p);
      m.modules.push(p);
    }
    m.pluginOptions.set(
      item,
      parsePluginOptions(item.path, p.filterClass.options ?? {}, item.options),
    );
  }
}

async function loadBoundModules(plan: CliPlan, m: CliModules): Promise<void> {
  const flags = [
    ["--dash-algo", "dashin", plan.dashAlgo, "DASH algorithm"],
    ["--http-hook", "httpout", plan.httpHook, "HTTP hook"],
  ] as const;
  for (const [flag, filterName, path, what] of flags) {
    if (!path) continue;
    // registers the dashin / httpout binder (Filter.bind), loaded only when asked for
    if (flag === "--dash-algo") await import("../dash/binding.ts");
    else await import("../httpout/binding.ts");
    const { importModule, pluginUrl } = await pluginTools();
    const value = await importModule(path, what);
    const b: Binding = { flag, filterName, path, url: pluginUrl(path), value, bound: 0 };
    if (typeof value !== "function" && (value === null || typeof value !== "object")) {
      instantiate(b); // throws the typed error
    }
    m.bindings.push(b);
    m.modules.push(b);
  }
  if (m.bindings.length && plan.threads !== 0) {
    // bound objects are called by dashin/httpout, which GPAC may run on a worker thread:
    // JS callbacks from another thread would stall the session (and can deadlock it)
    const flagsUsed = m.bindings.map((b) => b.flag).join(" and ");
    throw new GpacError(
      GF_BAD_PARAM,
      `${flagsUsed} ${m.bindings.length > 1 ? "need" : "needs"} a single-threaded session: ` +
        `remove -threads=${plan.threads}`,
    );
  }
}

/** Ctrl-C: the first aborts with flush, the second exits. Returns the remover. */
function handleInterrupts(io: CliIo, ac: AbortController): () => void {
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
  if (io.onInterrupt) return io.onInterrupt(onInterrupt);
  Deno.addSignalListener("SIGINT", onInterrupt);
  return () => Deno.removeSignalListener("SIGINT", onInterrupt);
}

/** Loads the chain's filters in order, tagging and linking them as `gpac` does. */
function buildChain(fs: FilterSession, plan: CliPlan, m: CliModules): void {
  const loaded: Filter[] = [];
  const tagger = plan.completeLinking ? null : new ImplicitTagger();
  for (const item of plan.chain) {
    let f: Filter;
    try {
      f = loadItem(fs, item, m.plugins, m.pluginOptions);
    } catch (e) {
      if (e instanceof GpacError && !(e.cause instanceof Error)) {
        const msg = `${e.message.replace(/ \[GF_\w+\]$/, "")} (in "${item.raw}")`;
        throw new GpacError(e.code, msg, { cause: e });
      }
      throw e;
    }
    tagger?.tag(f);
    resolveLinks(item, f, loaded);
    loaded.push(f);
  }
}

/** The progress line on a terminal, refreshed every 100 ms while the session runs. */
class ProgressLine {
  readonly tracker: ProgressTracker;
  #timer: ReturnType<typeof setInterval> | undefined;
  #last = "";
  #routedLogs = false;
  shown = false;

  constructor(fs: FilterSession, readonly io: CliIo, readonly enabled: boolean) {
    this.tracker = new ProgressTracker(fs);
  }

  /** Starts the refreshes; GPAC's log lines are routed above the line while it is shown. */
  async start(): Promise<void> {
    if (!this.enabled) return;
    // each log line clears the progress line, prints, and the progress is redrawn below it
    await setLogCallback((e) => {
      this.io.err(`${this.shown ? "\r\x1b[K" : ""}${colorLog(e)}\n${this.#last}`);
    });
    this.#routedLogs = true;
    this.#timer = setInterval(() => {
      try {
        this.#last = formatProgress(this.tracker.sample());
        this.io.err(`\r${this.#last}\x1b[K`);
        this.shown = true;
      } catch { /* a filter went away between two samples: skip this refresh */ }
    }, 100);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#routedLogs) {
      try {
        flushLogs();
      } catch { /* the callback above does not throw */ }
    }
  }

  /** Back to GPAC's own console output. */
  async release(): Promise<void> {
    if (this.#routedLogs) await setLogCallback(null);
    this.#routedLogs = false;
  }

  /** Final state, also for sessions shorter than one refresh period. */
  finish(ok: boolean): void {
    if (!this.enabled || !(this.shown || ok)) return;
    try {
      this.io.err(`\r${formatProgress(this.tracker.sample(ok))}\x1b[K\n`);
    } catch { /* nothing to add */ }
  }
}

/** Builds and runs the session; returns the exit code (the progress line is left to finish). */
async function runSession(
  fs: FilterSession,
  plan: CliPlan,
  m: CliModules,
  io: CliIo,
): Promise<{ code: number; progress: ProgressLine | null }> {
  const ac = new AbortController();
  const removeInterrupt = handleInterrupts(io, ac);
  let progress: ProgressLine | null = null;
  try {
    buildChain(fs, plan, m);
    if (ac.signal.aborted) throw ac.signal.reason;
    progress = new ProgressLine(fs, io, io.isTerminal && !plan.quiet);
    await progress.start();
    // 20 ms slices: Ctrl-C and the progress line stay responsive, with fewer event-loop turns
    await fs.runAsync({ signal: ac.signal, sliceMs: 20 });
    return { code: 0, progress };
  } catch (e) {
    if (e instanceof Interrupted) return { code: EXIT_INTERRUPTED, progress };
    if (progress?.shown) io.err("\n");
    if (progress) progress.shown = false;
    io.err(describeError(e, m.modules));
    return { code: 1, progress };
  } finally {
    progress?.stop();
    removeInterrupt();
  }
}

/** Graph, statistics and unused-module warnings after the run; closes the session. */
function report(fs: FilterSession, plan: CliPlan, m: CliModules, io: CliIo, code: number): number {
  try {
    // options no filter used (e.g. reframer:bogus=1), reported with GPAC's wording
    if (code !== EXIT_INTERRUPTED) {
      const alive = fs.filters.filter((f) => f.alive).map((f) => f.name);
      for (const msg of unusedArgMessages(fs.handle, alive)) io.err(msg + "\n");
    }
    if (plan.graph) io.out(`Filter graph:\n${formatGraph(fs.graph())}\n`);
    if (plan.stats) io.out(`Filter statistics:\n${formatStats(fs.stats())}\n`);
    for (const b of m.bindings) {
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
      io.err(describeError(e, m.modules));
      if (code === 0) code = 1;
    }
  }
  return code;
}

/**
 * Runs the CLI with `args` (without the program name). Returns the exit code: 0 on success,
 * 1 on a failure, 2 on a command-line error (including an output path without write
 * permission), {@link EXIT_INTERRUPTED} after Ctrl-C.
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
  if (plan.help !== null || plan.chain.length === 0) return await showHelp(plan, io);

  // global options: what libgpac does not know is refused, as gpac does
  try {
    for (const a of plan.gpacArgs) {
      if (!isGpacArg(a)) {
        io.err(unknownOptionMessage(a) + "\n");
        return 1;
      }
    }
  } catch (e) {
    io.err(describeError(e, []));
    return 1;
  }

  const m: CliModules = { plugins: new Map(), pluginOptions: new Map(), bindings: [], modules: [] };
  try {
    checkOutputPermissions(plan);
    await loadPlugins(plan, m);
    await loadBoundModules(plan, m);
    if (plan.gpacArgs.length) setArgs(plan.gpacArgs);
    if (plan.logs) setLogs(plan.logs);
  } catch (e) {
    io.err(describeError(e, m.modules));
    return e instanceof GpacError && e.codeName === "GF_BAD_PARAM" ? 2 : 1;
  }

  let fs: CliSession;
  try {
    fs = new CliSession(plan, m.bindings);
  } catch (e) {
    io.err(describeError(e, m.modules));
    return 1;
  }
  const { code: ran, progress } = await runSession(fs, plan, m, io);
  progress?.finish(ran === 0);
  await progress?.release();
  const code = report(fs, plan, m, io, ran);
  if (code === EXIT_INTERRUPTED) io.err("session aborted, outputs finalized\n");
  return code;
}
