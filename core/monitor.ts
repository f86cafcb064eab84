/**
 * GPAC's remote monitoring: the WebSocket server of libgpac (`rmtws`, GPAC ≥ 26.02) and the
 * monitoring back end GPAC ships (`share/gpac/scripts/rmt/server.js`), which serves a session's
 * filters, statistics and logs to the monitoring UI (`share/gpac/scripts/rmt/index.html`) or to
 * any WebSocket client (messages `json:{"message":"get_all_filters"}`, `subscribe_session`, ...).
 *
 * @module
 */

import { gpacSymbols, requireFeature, requireSymbol } from "../ffi/library.ts";
import { cstr, readCString } from "../ffi/buffers.ts";
import { GF_BAD_PARAM } from "../ffi/constants.ts";
import { GpacError } from "./errors.ts";
import { ensureInit } from "./gpac.ts";
import type { FilterSession } from "./session.ts";

/** Options of {@link enableRemoteMonitoring}. */
export interface RemoteMonitoringOptions {
  /** TCP port of the WebSocket server (GPAC's `-rmt-port`), default 6363. */
  port?: number;
  /** Accept connections from localhost only (GPAC's `-rmt-localhost`), default true. */
  localhostOnly?: boolean;
}

/** GPAC's monitoring back end, loaded into the sessions given to `attach()`. */
export const MONITORING_SCRIPT = "$GSHARE/scripts/rmt/server.js";

let active: RemoteMonitoring | null = null;

/** Sets `core` options for the time of `fn` only (GPAC's config file stays as it was). */
function withCoreOptions(values: Record<string, string>, fn: () => number): number {
  const s = gpacSymbols();
  const set = requireSymbol("gf_opts_set_key");
  const get = requireSymbol("gf_opts_get_key");
  const saved = Object.keys(values).map((k) => [k, readCString(get(cstr("core"), cstr(k)))]);
  try {
    for (const [k, v] of Object.entries(values)) set(cstr("core"), cstr(k), cstr(v));
    return fn();
  } finally {
    for (const [k, v] of saved) {
      s.gf_opts_set_key!(cstr("core"), cstr(k!), v === null ? null : cstr(v));
    }
  }
}

/**
 * The running monitoring server; see {@link enableRemoteMonitoring}. `close()` (or `using`)
 * stops it.
 */
export class RemoteMonitoring {
  /** The TCP port the server listens on. */
  readonly port: number;
  #closed = false;

  /** @internal use {@link enableRemoteMonitoring} */
  constructor(port: number) {
    this.port = port;
  }

  /** False once closed. */
  get active(): boolean {
    return !this.#closed;
  }

  /**
   * Loads GPAC's monitoring back end into `session` (before it runs), so that the clients of
   * this server see its filters, statistics and logs. `script` replaces GPAC's back end.
   * The session must be single-threaded (`threads: 0`, the default), like any JS in GPAC.
   */
  attach(session: FilterSession, script: string = MONITORING_SCRIPT): void {
    if (this.#closed) throw new GpacError(GF_BAD_PARAM, "remote monitoring was closed");
    if (typeof script !== "string" || script === "") {
      throw new TypeError(`script must be a non-empty path, got ${String(script)}`);
    }
    const handle = session.handle;
    if (!handle) throw new GpacError(GF_BAD_PARAM, "the session is closed");
    const e = requireSymbol("gf_fs_load_script")(handle, cstr(script));
    if (e < 0) {
      throw new GpacError(
        e,
        `cannot load the monitoring script ${script} into the session` +
          (script === MONITORING_SCRIPT ? " (is GPAC's share/gpac folder installed?)" : ""),
      );
    }
  }

  /** Stops the WebSocket server (connected clients are disconnected). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (active === this) active = null;
    gpacSymbols().gf_sys_enable_rmtws?.(0);
  }

  /** Same as {@link RemoteMonitoring.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Starts GPAC's remote-monitoring WebSocket server (libgpac ≥ 26.02), as `gpac -rmt` does;
 * then `attach()` the sessions to monitor. One server per process: a second call while one runs
 * throws.
 *
 * @example
 * ```ts
 * import { enableRemoteMonitoring, FilterSession } from "@deno-gpac/gpac";
 * using monitor = enableRemoteMonitoring({ port: 6363 });
 * using fs = new FilterSession({ nonBlocking: true });
 * monitor.attach(fs);
 * fs.loadSrc("avgen:dur=1");
 * fs.loadDst("null");
 * await fs.runAsync(); // ws://127.0.0.1:6363 serves the session meanwhile
 * ```
 */
export function enableRemoteMonitoring(options: RemoteMonitoringOptions = {}): RemoteMonitoring {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`options must be an object, got ${String(options)}`);
  }
  const port = options.port ?? 6363;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`port must be an integer in 1..65535, got ${String(port)}`);
  }
  const localhostOnly = options.localhostOnly ?? true;
  if (typeof localhostOnly !== "boolean") {
    throw new TypeError(`localhostOnly must be a boolean, got ${String(localhostOnly)}`);
  }
  if (active) {
    throw new GpacError(
      GF_BAD_PARAM,
      `remote monitoring already runs on port ${active.port}: close() it first`,
    );
  }
  ensureInit();
  requireFeature("remoteMonitoring");
  const enable = requireSymbol("gf_sys_enable_rmtws");
  const e = withCoreOptions(
    { "rmt-port": String(port), "rmt-localhost": localhostOnly ? "yes" : "no" },
    () => enable(1),
  );
  if (e < 0) {
    throw new GpacError(e, `cannot start GPAC's monitoring server on port ${port}`);
  }
  active = new RemoteMonitoring(port);
  return active;
}
