/**
 * Plays a DASH (or HLS) presentation with an adaptation algorithm loaded from its own module, and
 * shows which segment was fetched in which quality.
 *
 * Everything happens in one process and one session: the presentation is generated first (GPAC's
 * `avgen` test pattern encoded at three bitrates and segmented with the `dasher`), then one
 * session runs GPAC's HTTP server (`httpout`, with a request hook that notes every URL served)
 * next to the DASH client (`dashin`) that plays from it into a small TypeScript sink.
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/dash_demo.ts
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/dash_demo.ts \
 *   --algo examples/dash_throughput.ts --hls --rate 400
 * ```
 *
 * `--algo` is the algorithm module (default: `dash_bola.ts` next to this file), loaded with
 * `loadDashAlgorithm`; `--hls` plays the HLS playlist instead of the MPD; `--rate` caps the
 * server at that many kbit/s (default 600), so that a sensible algorithm cannot fetch the top
 * quality all the time.
 *
 * The helpers are exported for the algorithm examples (`dash_throughput.ts`, `dash_bola.ts`).
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  type DASHAlgorithm,
  DASHAlgorithmBinding,
  FilterCustom,
  FilterEvent,
  type FilterPid,
  FilterSession,
  GF_CAPS_INPUT,
  GF_EOS,
  GF_FEVT_PLAY,
  GpacError,
  gpacSupports,
  HTTPOutRequest,
  loadDashAlgorithm,
  useDashAlgorithm,
  version,
} from "../mod.ts";

/** Bitrates (kbit/s) and frame sizes of the generated qualities, low to high. */
export const LADDER = [
  { kbps: 150, size: "320x180" },
  { kbps: 400, size: "640x360" },
  { kbps: 1000, size: "960x540" },
];

/**
 * Generates a presentation of `seconds` seconds in 1 s segments into a new temporary folder and
 * returns the folder; the manifests are `live.mpd` and `live.m3u8`.
 */
export function makePresentation(seconds = 6): string {
  const dir = Deno.makeTempDirSync({ prefix: "deno-gpac-dash-" });
  for (const manifest of ["live.mpd", "live.m3u8"]) {
    using fs = new FilterSession();
    fs.loadSrc(
      `avgen:type=v:dur=${seconds}:fps=25:sizes=${LADDER.map((l) => l.size).join(",")}` +
        `:rates=${LADDER.map((l) => `${l.kbps}k`).join(",")}`,
    );
    fs.load("ffenc:c=avc:fintra=1:clone"); // one H.264 encoder per size, an IDR every second
    fs.loadDst(`${dir}/${manifest}:segdur=1`);
    fs.run();
  }
  return dir;
}

/** A request served by the demo server. */
export interface Served {
  /** Path of the file. */
  path: string;
  /** Milliseconds since the session started. */
  atMs: number;
}

/** What {@link playWith} observed. */
export interface DemoResult {
  /** Every URL served, in order. */
  served: Served[];
  /** Frames played. */
  frames: number;
  /** The binding of the algorithm (its call counts). */
  binding: DASHAlgorithmBinding | null;
}

class Logger extends HTTPOutRequest {
  static served: Served[] = [];
  static start = 0;
  static kbps = 0;
  #t0 = 0;
  override onRequest(_method: string, url: string): void {
    Logger.served.push({ path: url.slice(1), atMs: Date.now() - Logger.start });
    this.send(); // let GPAC serve the file from rdirs
  }
  override throttle(done: number): number {
    // pace the transfer: wait until `done` bytes are due at the capped rate
    const now = performance.now() * 1000;
    this.#t0 ||= now;
    const dueUs = (done * 8 * 1000) / Logger.kbps;
    return Math.max(0, Math.round(dueUs - (now - this.#t0)));
  }
}

class Sink extends FilterCustom {
  frames = 0;
  done = false;
  constructor(fs: FilterSession) {
    super(fs, "demo_sink");
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT);
  }
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (!isRemove && !this.ipids.includes(pid)) pid.sendEvent(new FilterEvent(GF_FEVT_PLAY));
    return 0;
  }
  override process(): number {
    if (this.ipids.length === 0) return GF_EOS;
    for (const pid of this.ipids) {
      for (let p = pid.getPacket(); p; p = pid.getPacket()) {
        this.frames++;
        pid.dropPacket();
      }
    }
    if (!this.done && this.ipids.every((p) => p.eos)) {
      this.done = true;
      this.session.abort(); // the HTTP server alone would run forever
    }
    return 0;
  }
}

/**
 * The algorithm as bound where httpout request hooks are refused (GPAC 2.4): each decision
 * notes the segment just downloaded, as the client saw it (its quality is the statistics'
 * `activeQualityIdx`), under the name the dasher gave it.
 */
function notingSegments(algo: DASHAlgorithm): DASHAlgorithm {
  let n = 0;
  const a = algo as unknown as Record<string, unknown>;
  const w: Record<string, unknown> = {};
  for (const m of ["onPeriodReset", "onNewGroup", "onDownloadMonitor"]) {
    if (typeof a[m] === "function") w[m] = (a[m] as (...x: unknown[]) => unknown).bind(algo);
  }
  w.onRateAdaptation = (...args: Parameters<DASHAlgorithm["onRateAdaptation"]>) => {
    const q = args[3].activeQualityIdx + 1;
    Logger.served.push({
      path: `video${q}_dash${++n}_rep${q}.m4s`,
      atMs: Date.now() - Logger.start,
    });
    return algo.onRateAdaptation(...args);
  };
  return w as unknown as DASHAlgorithm;
}

/**
 * Serves `dir` with httpout (capped at `kbps`) and plays `manifest` from it with `algo` bound to
 * the DASH client (with `useDashAlgorithm`), into a sink consuming frames as fast as possible.
 * One session (`session`, which then binds the algorithm itself, or a new one), `threads: 0`.
 * Where deno-gpac refuses httpout request hooks (GPAC 2.4), httpout serves the folder on its
 * own, uncapped, and the segments are noted by the client.
 */
export function playWith(
  algo: DASHAlgorithm | null,
  dir: string,
  manifest: string,
  kbps = 600,
  session?: FilterSession,
): DemoResult {
  Logger.served = [];
  Logger.start = Date.now();
  Logger.kbps = kbps;
  const hooks = gpacSupports("httpout");
  if (!hooks) {
    console.log(
      `(GPAC ${version()}: no httpout request hooks, so the rate is not capped and the ` +
        "segments are listed as the DASH client saw them)",
    );
  }
  using fs = session ?? new FilterSession();
  const bound = algo && !hooks ? notingSegments(algo) : algo;
  using use = bound ? useDashAlgorithm(fs, bound) : null;
  let port = 0;
  for (let attempt = 0; !port; attempt++) {
    const p = 20000 + Math.floor(Math.random() * 20000);
    try {
      // SID: the server takes no input PID, it only serves files of rdirs
      const server = fs.load(`httpout:port=${p}:rdirs=${dir}:SID=no_input`);
      if (hooks) server.bind(new Logger());
      port = p;
    } catch (e) {
      if (!(e instanceof GpacError) || attempt > 5) throw e; // port taken: try another one
    }
  }
  fs.loadSrc(`http://127.0.0.1:${port}/${manifest}`);
  const sink = new Sink(fs);
  fs.run();
  const dashin = fs.filters.find((f) => f.name === "dashin");
  const binding = use?.bindings[0] ?? (dashin ? DASHAlgorithmBinding.of(dashin) : null);
  return { served: Logger.served, frames: sink.frames, binding };
}

/** Prints the media segments served, one line each, with the quality they belong to. */
export function printServed(r: DemoResult): void {
  for (const s of r.served) {
    const m = s.path.match(/^video(\d+)_dash(\d+)_rep\d+\.m4s$/);
    if (!m) continue;
    const q = Number(m[1]) - 1;
    console.log(
      `  ${String(s.atMs).padStart(5)} ms  segment ${m[2]}  quality ${q} ` +
        `(${LADDER[q].size}, ${LADDER[q].kbps} kbit/s)`,
    );
  }
  console.log(
    `${r.frames} frames played; algorithm calls: ${JSON.stringify(r.binding?.callCounts)}`,
  );
}

if (import.meta.main) {
  const { values: opts } = parseArgs({
    args: Deno.args,
    options: {
      algo: { type: "string", default: new URL("./dash_bola.ts", import.meta.url).href },
      hls: { type: "boolean", default: false },
      rate: { type: "string", default: "600" },
    },
  });
  const kbps = Number(opts.rate);
  if (!(kbps > 0)) throw new Error(`--rate must be a positive number of kbit/s, got ${opts.rate}`);
  const algo = await loadDashAlgorithm(opts.algo!);
  console.log(`algorithm: ${algo.constructor.name} from ${opts.algo}`);
  const dir = makePresentation();
  try {
    const manifest = opts.hls ? "live.m3u8" : "live.mpd";
    console.log(`playing ${manifest} served at ${kbps} kbit/s:`);
    printServed(playWith(algo, dir, manifest, kbps));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}
