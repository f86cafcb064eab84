/**
 * DASH/HLS test fixtures: a 3-quality presentation generated with avgen + ffenc + dasher, served
 * by `httpout` in the same session (observed through a request hook), played by `dashin` into a
 * TypeScript sink that ends the session once every stream is done. With a GPAC whose httpout
 * hooks deno-gpac refuses (2.4), a `Deno.serve` file server in a Worker serves the folder
 * instead, and reports the requests it received the same way.
 *
 * @module
 */

import {
  type DASHAlgorithm,
  type DASHAlgorithmSource,
  type Filter,
  FilterCustom,
  FilterEvent,
  type FilterPid,
  FilterSession,
  GF_CAPS_INPUT,
  GF_EOS,
  GF_FEVT_PLAY,
  gpacSupports,
  httpOutCompleted,
  HTTPOutRequest,
  useDashAlgorithm,
} from "../mod.ts";
import { tmpPath } from "./helpers.ts";
import type { FileServerStart } from "./dash_file_server.ts";

/** Declared bandwidths of the three qualities, low to high. */
export const RATES = [100_000, 300_000, 900_000];
/** Frame sizes of the three qualities. */
export const SIZES = ["160x90", "320x180", "640x360"];
/** Seconds of content, in 1 s segments at 25 fps. */
export const DURATION = 4;
/** Number of media segments per quality. */
export const NB_SEGMENTS = 4;
/** Frames per second. */
export const FPS = 25;

const made = new Map<string, string>();

/**
 * Generates (once per process) the presentation in a folder and returns it; the manifest is
 * `x.mpd` (DASH) or `x.m3u8` (HLS master playlist).
 */
export function makePresentation(kind: "dash" | "hls"): string {
  const done = made.get(kind);
  if (done) return done;
  const dir = tmpPath(`pres_${kind}`);
  Deno.mkdirSync(dir, { recursive: true });
  using fs = new FilterSession();
  fs.loadSrc(
    `avgen:type=v:dur=${DURATION}:fps=${FPS}:sizes=${SIZES.join(",")}:rates=${
      RATES.map((r) => `${r / 1000}k`).join(",")
    }`,
  );
  fs.load("ffenc:c=avc:fintra=1:clone"); // one encoder per size, IDR every second
  fs.loadDst(`${dir}/x.${kind === "dash" ? "mpd" : "m3u8"}:segdur=1`);
  fs.run();
  made.set(kind, dir);
  return dir;
}

/** One request the server received. */
export interface SeenRequest {
  method: string;
  /** Path without the leading `/`. */
  path: string;
  /** True once GPAC finished answering it (false: aborted or still running at the end). */
  completed: boolean;
  /** Bytes GPAC reported as sent when the request closed (from `throttle`), if known. */
  bytesDone: number;
}

/** Records every request and optionally slows the transfers down. */
class Recorder extends HTTPOutRequest {
  static log: SeenRequest[] = [];
  static throttleUs = 0;
  #entry: SeenRequest | null = null;
  override onRequest(method: string, url: string): void {
    this.#entry = { method, path: url.replace(/^\//, ""), completed: false, bytesDone: 0 };
    Recorder.log.push(this.#entry);
    this.send();
  }
  override throttle(done: number): number {
    if (this.#entry) this.#entry.bytesDone = done;
    return Recorder.throttleUs;
  }
  override close(reason: number): void {
    if (this.#entry) this.#entry.completed = httpOutCompleted(reason);
  }
}

/** A sink for the played video: counts frames, ends the session when all inputs are done. */
export class EndingSink extends FilterCustom {
  packets = 0;
  eos = false;
  constructor(fs: FilterSession) {
    super(fs, "dash_sink");
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT);
  }
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (!isRemove && !this.ipids.includes(pid)) pid.sendEvent(new FilterEvent(GF_FEVT_PLAY));
    return 0;
  }
  override process(): number {
    if (this.ipids.length === 0) return GF_EOS;
    let allEos = true;
    for (const pid of this.ipids) {
      for (let p = pid.getPacket(); p; p = pid.getPacket()) {
        this.packets++;
        pid.dropPacket();
      }
      if (!pid.eos) allEos = false;
    }
    if (allEos && !this.eos) {
      this.eos = true;
      this.session.abort(); // the HTTP server would keep the session alive
    }
    return 0;
  }
}

/** A free TCP port on the loopback interface. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Options of {@link play}. */
export interface PlayOptions {
  /** The algorithm, bound with `useDashAlgorithm` (default) or from `onFilterNew`. */
  algo?: DASHAlgorithmSource;
  /** `"filter.bind"`: bind with `filter.bind(algo)` from `onFilterNew`. */
  bindWith?: "use" | "filter.bind";
  /** Microseconds the server waits between blocks of 10 kB. */
  throttleUs?: number;
  /** Extra options of dashin, e.g. `:start_with=min_bw`. */
  dashinOptions?: string;
  /** Session options. */
  threads?: number;
  /** Give up after this many ms (the session is aborted and `timedOut` set). */
  timeoutMs?: number;
}

/** What {@link play} observed. */
export interface PlayResult {
  /** Requests received by the server, in order. */
  requests: SeenRequest[];
  /** Frames that reached the sink. */
  packets: number;
  /** True when the sink saw the end of every stream. */
  eos: boolean;
  /** The dashin filters the session created. */
  dashin: Filter[];
  /** True when the session was stopped by the time limit. */
  timedOut: boolean;
}

/** Where the session reads the presentation from, and what its server saw. */
interface Served {
  /** Base URL of the folder, ending with `/`. */
  base: string;
  /** The requests received so far. */
  requests(): SeenRequest[];
  /** Stops the server. */
  stop(): void;
}

/** Serves `dir` with httpout in the session, requests observed with a request hook. */
function serveWithHttpout(fs: FilterSession, dir: string, throttleUs: number): Served {
  Recorder.log = [];
  Recorder.throttleUs = throttleUs;
  const port = freePort();
  // SID: the server takes no input PID (else it would also grab the PIDs of the client)
  const server = fs.load(`httpout:port=${port}:rdirs=${dir}:SID=no_input`);
  server.bind(new Recorder());
  return { base: `http://127.0.0.1:${port}/`, requests: () => Recorder.log, stop() {} };
}

const SHARED_BYTES = 1 << 20;
const LOG_OFFSET = 16;

/**
 * Serves `dir` from a Worker (`dash_file_server.ts`): it answers while this thread is blocked in
 * `run()`, and its request log is read from shared memory. Waits at most 20 s for it to listen.
 */
function serveFromWorker(dir: string, throttleUs: number): Served {
  const shared = new SharedArrayBuffer(SHARED_BYTES);
  const slots = new Int32Array(shared);
  const worker = new Worker(new URL("./dash_file_server.ts", import.meta.url), { type: "module" });
  const readLog = (): string => {
    for (;;) {
      const seq = Atomics.load(slots, 2);
      if (seq & 1) continue; // being written
      const text = new TextDecoder().decode(
        new Uint8Array(shared, LOG_OFFSET, Atomics.load(slots, 3)).slice(),
      );
      if (Atomics.load(slots, 2) === seq) return text;
    }
  };
  const start: FileServerStart = { shared, dir, throttleUs, block: 10_000, logOffset: LOG_OFFSET };
  worker.postMessage(start);
  const deadline = performance.now() + 20_000;
  while (Atomics.load(slots, 0) === 0 && performance.now() < deadline) {
    Atomics.wait(slots, 0, 0, 1000);
  }
  const state = Atomics.load(slots, 0);
  if (state !== 1) {
    worker.terminate();
    throw new Error(
      state === 2 ? `the file server failed: ${readLog()}` : "the file server did not start",
    );
  }
  return {
    base: `http://127.0.0.1:${Atomics.load(slots, 1)}/`,
    requests: () => {
      const text = readLog();
      return text ? JSON.parse(text) as SeenRequest[] : [];
    },
    stop: () => worker.terminate(),
  };
}

/**
 * Serves `dir` on a free port (httpout, or a Worker's file server where httpout hooks are
 * refused) and plays `manifest` from it with `dashin`.
 */
export function play(dir: string, manifest: string, opts: PlayOptions = {}): PlayResult {
  const dashin: Filter[] = [];
  const algo = opts.algo;
  class Session extends FilterSession {
    override onFilterNew(f: Filter): void {
      if (f.name !== "dashin") return;
      dashin.push(f);
      if (algo && opts.bindWith === "filter.bind") f.bind(algo as DASHAlgorithm);
    }
  }
  using fs = new Session({ threads: opts.threads ?? 0 });
  using _use = algo && opts.bindWith !== "filter.bind" ? useDashAlgorithm(fs, algo) : null;
  const throttleUs = opts.throttleUs ?? 0;
  // DENO_GPAC_DASH_SERVER=worker: the Worker's server on any release (to compare with httpout)
  const served = gpacSupports("httpout") && Deno.env.get("DENO_GPAC_DASH_SERVER") !== "worker"
    ? serveWithHttpout(fs, dir, throttleUs)
    : serveFromWorker(dir, throttleUs);
  try {
    fs.loadSrc(`${served.base}${manifest}${opts.dashinOptions ?? ""}`);
    const sink = new EndingSink(fs);
    let timedOut = false;
    const start = Date.now();
    const limit = opts.timeoutMs ?? 20_000;
    fs.post(() => {
      if (sink.eos) return -1;
      if (Date.now() - start > limit) {
        timedOut = true;
        fs.abort();
        return -1;
      }
      return 50;
    });
    fs.run();
    return {
      requests: served.requests(),
      packets: sink.packets,
      eos: sink.eos,
      dashin,
      timedOut,
    };
  } finally {
    served.stop();
  }
}

/** Media segment requests (`videoQ_dashN_repQ.m4s`, same names for HLS): quality, number. */
export function mediaSegments(requests: SeenRequest[]): { q: number; n: number; r: SeenRequest }[] {
  const out: { q: number; n: number; r: SeenRequest }[] = [];
  for (const r of requests) {
    const m = r.path.match(/^video(\d+)_dash(\d+)_rep\d+\.m4s$/);
    if (m && r.method === "GET") out.push({ q: Number(m[1]) - 1, n: Number(m[2]), r });
  }
  return out;
}
