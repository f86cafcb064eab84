/**
 * Routing GPAC's logs to JavaScript.
 *
 * @module
 */

import type { Worker } from "node:worker_threads";
import { gpacSymbols, loadGpac } from "../ffi/library.ts";
import { decodeUtf8, readCString } from "../ffi/buffers.ts";
import { ringCreate, ringDrain } from "./log_ring.ts";
import { logWorkerUrl } from "./log_worker.ts";

/** One GPAC log message. */
export interface LogEntry {
  /** Severity. */
  level: "error" | "warning" | "info" | "debug";
  /** GPAC log tool, e.g. `filter`, `container`, `network`. */
  tool: string;
  /** The message, without its trailing newline. */
  message: string;
}

/** Receives log messages; see {@link setLogCallback}. */
export type LogCallback = (entry: LogEntry) => void;

const LEVELS = ["quiet", "error", "warning", "info", "debug"] as const;

interface LogRoute {
  sab: SharedArrayBuffer;
  pointer: Deno.PointerValue;
  worker: Worker;
}

let route: Promise<LogRoute> | undefined;
let ready: LogRoute | undefined;
let userCallback: LogCallback | null = null;
let previous: Deno.PointerValue = null;
let installed = false;
let timer: ReturnType<typeof setInterval> | undefined;
const toolNames = new Map<number, string>();
let partial = "";
let pendingError: { error: unknown } | null = null;

/** Timer-driven delivery: an exception of the callback is kept for the next explicit flush. */
function flushFromTimer(): void {
  if (pendingError) return;
  try {
    flushLogs();
  } catch (e) {
    pendingError = { error: e };
  }
}

async function startWorker(): Promise<LogRoute> {
  loadGpac();
  const sab = ringCreate();
  // node:worker_threads costs ~10 ms to load: only when logs are routed
  const { Worker } = await import("node:worker_threads");
  const worker = new Worker(logWorkerUrl(), { workerData: { sab } });
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (m: { pointer: bigint }) => {
      worker.unref(); // stay referenced until ready, then never keep the process alive
      resolve({ sab, pointer: Deno.UnsafePointer.create(m.pointer), worker });
    });
  });
}

function toolName(tool: number): string {
  let n = toolNames.get(tool);
  if (n === undefined) {
    n = readCString(gpacSymbols().gf_log_tool_name(tool)) ?? String(tool);
    toolNames.set(tool, n);
  }
  return n;
}

/**
 * Delivers the log messages received so far to the callback set with {@link setLogCallback}.
 * deno-gpac calls it when `run()` returns and when a session closes, and every 50 ms while the
 * event loop is free; call it yourself to get messages at a precise point. Rethrows what the
 * callback threw (also an exception raised during a timer-driven delivery).
 */
export function flushLogs(): void {
  if (pendingError) {
    const e = pendingError.error;
    pendingError = null;
    throw e;
  }
  if (!ready) return;
  const cb = userCallback;
  const dropped = ringDrain(ready.sab, (level, tool, bytes) => {
    if (!cb) return;
    // GPAC may split one line over several calls: join until the newline.
    const text = partial + decodeUtf8(bytes);
    if (!text.endsWith("\n")) {
      partial = text;
      return;
    }
    partial = "";
    cb({
      level: LEVELS[level] === "quiet" ? "error" : LEVELS[level] ?? "debug",
      tool: toolName(tool),
      message: text.replace(/\r?\n$/, ""),
    });
  });
  if (dropped && cb) {
    cb({
      level: "warning",
      tool: "core",
      message: `deno-gpac: ${dropped} log messages dropped (log ring full)`,
    });
  }
}

/**
 * Routes GPAC's log messages to `callback` (or back to stderr with `null`).
 *
 * Messages from every GPAC thread are collected without ever blocking GPAC, and delivered on the
 * JS thread in order: after `FilterSession.run()` returns (or between steps of a non-blocking
 * session), and every 50 ms while the event loop is free. Resolves once the route is installed.
 *
 * @example
 * ```ts
 * import { setLogCallback, setLogs } from "@deno-gpac/gpac";
 * await setLogCallback((e) => console.log(`[${e.tool}] ${e.level}: ${e.message}`));
 * setLogs("filter@info");
 * ```
 */
export async function setLogCallback(callback: LogCallback | null): Promise<void> {
  const s = gpacSymbols();
  if (!callback) {
    try {
      flushLogs();
    } catch { /* the callback is being removed: drop its last failure */ }
    pendingError = null;
    userCallback = null;
    if (installed) s.gf_log_set_callback(null, previous);
    installed = false;
    previous = null;
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    return;
  }
  route ??= startWorker().catch((e) => {
    route = undefined; // let a later call try again
    throw e;
  });
  ready = await route;
  userCallback = callback;
  if (!installed) {
    previous = s.gf_log_set_callback(null, ready.pointer);
    installed = true;
  }
  if (timer === undefined) {
    const t = setInterval(flushFromTimer, 50);
    Deno.unrefTimer(t as unknown as number);
    timer = t;
  }
}
