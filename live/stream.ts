/**
 * Live HLS/DASH from frames made in TypeScript: {@link LiveStream} encodes the frames pushed to it
 * (paced by their timestamps), segments them with GPAC's dasher into a live HLS and/or DASH
 * presentation (sliding window, optional LL-HLS parts), carries timeline markers in-band (ID3 in
 * `emsg` boxes) and out-of-band (`/markers`), and can serve everything with a player page.
 *
 * @module
 */

import { FilterSession, GF_FS_FLUSH_NONE, GpacError, gpacSupports } from "../mod.ts";
import { emsgBox, ID3_MARKER_KEY, ID3_SCHEME, id3Txxx } from "./id3.ts";
import { type Marker, type MarkerStore, openMarkerStore } from "./markers.ts";
import { concat, FrameSource, PIXEL_FORMATS } from "./source.ts";
import type { LiveServerOptions } from "./server.ts";
import type { FromServerWorker, ToServerWorker } from "./server_worker.ts";

/** Output formats of a {@link LiveStream}. */
export type LiveOutput = "hls" | "dash";

/** Options of {@link LiveStream}. */
export interface LiveStreamOptions {
  /** Frame width in pixels. */
  width: number;
  /** Frame height in pixels. */
  height: number;
  /** Nominal frame rate (frames may still carry any increasing timestamps). */
  fps: number;
  /** Pixel format of the frames pushed: `rgb24` (default), `bgr24`, `rgba`, `yuv420`, `nv12`, `grey`. */
  format?: string;
  /**
   * Encoder filter, in GPAC's syntax (default `ffenc:c=avc` with x264 `ultrafast`/`zerolatency`).
   * Key frames are forced at every segment boundary (`fintra`) unless the string sets `fintra`.
   */
  encoder?: string;
  /** Target bitrate in bits/s (default: about 0.1 bit per pixel per frame, at least 300 kb/s). */
  bitrate?: number;
  /** Segment duration in seconds (default 2). */
  segmentDuration?: number;
  /** Seconds kept in the playlists; older segments are deleted (default 60). */
  window?: number;
  /** LL-HLS parts (separate files) and DASH chunks of `partDuration` (default false). */
  lowLatency?: boolean;
  /** Duration of a low-latency part/chunk in seconds (default: segmentDuration / 4). */
  partDuration?: number;
  /** Presentations to produce (default both). */
  outputs?: LiveOutput[];
  /** Output folder (default: a new temporary folder, removed by `close()`). */
  dir?: string;
  /** Serves the output, `/markers` and the player page (`port: 0` picks a free port). */
  serve?: LiveServerOptions | false;
  /** Where markers are kept: `"memory"` (default), a `redis://host:port` URL, or a store. */
  markers?: string | MarkerStore;
  /** Redis key of the markers (default `deno-gpac:live:markers`). */
  markersKey?: string;
  /**
   * Pushes segments and playlists by HTTP PUT (and DELETE past the window) to this base URL
   * (ending with `/`) instead of writing them to `dir`. No local server then serves the media.
   */
  origin?: string;
  /** Frames queued before `pushFrame` waits for the encoder (default 8). */
  maxQueue?: number;
  /** Base name of the manifests (default `live`). */
  name?: string;
  /**
   * Length in ms of the GPAC steps run between two turns of this thread's event loop (default
   * 4). Shorter makes this thread's own I/O (a Redis marker store, the caller's sockets) more
   * responsive and costs more CPU while idle; the HTTP server runs in a worker either way.
   */
  sliceMs?: number;
}

/** A frame for {@link LiveStream.writable} and {@link LiveStream.pipeFrom}. */
export interface LiveFrame {
  /** Pixels in the stream's format. */
  data: Uint8Array;
  /** Timestamp in seconds in the generator's clock (default: wall clock since start). */
  pts?: number;
}

/** URLs of a served {@link LiveStream}. */
export interface LiveUrls {
  /** The player page. */
  page: string;
  /** HLS master playlist (if HLS is produced). */
  hls: string | null;
  /** DASH manifest (if DASH is produced). */
  dash: string | null;
  /** Markers API (`?since=T`). */
  markers: string;
}

const TIMESCALE = 90_000;

function positive(name: string, v: unknown, integer = false): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new RangeError(
      `${name} must be a positive ${integer ? "integer" : "number"}, got ${String(v)}`,
    );
  }
  return v;
}

/**
 * A live HLS/DASH stream fed with frames from TypeScript.
 *
 * @example
 * ```ts
 * import { LiveStream } from "@deno-gpac/gpac/live";
 * await using live = new LiveStream({ width: 320, height: 180, fps: 25, serve: { port: 0 } });
 * await live.ready;
 * console.log(live.urls.page);
 * const frame = new Uint8Array(320 * 180 * 3);
 * for (let i = 0; i < 50; i++) {
 *   frame.fill(i * 5);
 *   await live.pushFrame(frame, i / 25); // waits until 40 ms after the previous frame
 *   if (i === 25) await live.marker("half-way", i / 25);
 * }
 * ```
 */
export class LiveStream {
  readonly #opts: Required<
    Pick<
      LiveStreamOptions,
      | "width"
      | "height"
      | "fps"
      | "format"
      | "segmentDuration"
      | "window"
      | "lowLatency"
      | "partDuration"
      | "outputs"
      | "maxQueue"
      | "name"
    >
  >;
  readonly #frameSize: number;
  readonly #fs: FilterSession;
  readonly #src: FrameSource;
  readonly #run: Promise<void>;
  readonly #dir: string;
  readonly #ownDir: boolean;
  readonly #origin: string | null;
  #worker: Worker | null = null;
  #urls: LiveUrls | null = null;
  #workerClosed: Promise<void> | null = null;
  #store: MarkerStore | null = null;
  readonly #ready: Promise<void>;
  #failure: unknown = null;
  #closing: Promise<void> | null = null;
  #closed = false;
  // clocks: generator pts of media time 0, and the performance.now() of that frame
  #originPts: number | null = null;
  #wallStart = 0;
  #epochMs = 0;
  #epochKnown = false;
  #lastTicks = -1;
  #lastPts = 0;
  readonly #pool: Uint8Array[] = [];
  #waiters: (() => void)[] = [];
  /** Markers waiting for a frame at or after their time. */
  #pendingEmsg: { ticks: number; box: Uint8Array }[] = [];

  /** Creates the stream; the encoder starts at once, the server when `ready` resolves. */
  constructor(options: LiveStreamOptions) {
    if (!options || typeof options !== "object") {
      throw new TypeError(`LiveStream options must be an object, got ${String(options)}`);
    }
    const width = positive("width", options.width, true);
    const height = positive("height", options.height, true);
    if (width % 2 || height % 2) {
      throw new RangeError(`width and height must be even for H.264, got ${width}x${height}`);
    }
    const fps = positive("fps", options.fps);
    const format = options.format ?? "rgb24";
    if (!(format in PIXEL_FORMATS)) {
      throw new RangeError(
        `format must be one of ${Object.keys(PIXEL_FORMATS).join(", ")}, got ${format}`,
      );
    }
    const segmentDuration = positive("segmentDuration", options.segmentDuration ?? 2);
    const window = positive("window", options.window ?? 60);
    if (window < 2 * segmentDuration) {
      throw new RangeError(
        `window (${window} s) must hold at least two segments of ${segmentDuration} s`,
      );
    }
    const lowLatency = !!options.lowLatency;
    const partDuration = positive("partDuration", options.partDuration ?? segmentDuration / 4);
    if (partDuration >= segmentDuration) {
      throw new RangeError(
        `partDuration (${partDuration}) must be shorter than segmentDuration (${segmentDuration})`,
      );
    }
    const outputs = options.outputs ?? ["hls", "dash"];
    if (
      !Array.isArray(outputs) || outputs.length === 0 ||
      outputs.some((o) => o !== "hls" && o !== "dash")
    ) {
      throw new TypeError(`outputs must be a non-empty list of "hls"/"dash", got ${outputs}`);
    }
    const maxQueue = positive("maxQueue", options.maxQueue ?? 8, true);
    const sliceMs = positive("sliceMs", options.sliceMs ?? 4);
    if (sliceMs > 100) throw new RangeError(`sliceMs must be at most 100, got ${sliceMs}`);
    const name = options.name ?? "live";
    if (!/^[\w.-]+$/.test(name)) throw new TypeError(`name must be a plain file name, got ${name}`);
    const bitrate = options.bitrate ??
      Math.max(300_000, Math.round(width * height * fps * 0.1));
    positive("bitrate", bitrate, true);
    if (options.origin !== undefined) {
      if (typeof options.origin !== "string" || !/^https?:\/\/.+\/$/.test(options.origin)) {
        throw new TypeError(`origin must be an http(s) URL ending with "/", got ${options.origin}`);
      }
      if (options.serve) throw new TypeError("origin and serve cannot be used together");
    }
    if (options.encoder !== undefined && typeof options.encoder !== "string") {
      throw new TypeError(`encoder must be a GPAC filter string, got ${String(options.encoder)}`);
    }
    this.#opts = {
      width,
      height,
      fps,
      format,
      segmentDuration,
      window,
      lowLatency,
      partDuration,
      outputs: [...new Set(outputs)],
      maxQueue,
      name,
    };
    this.#frameSize = PIXEL_FORMATS[format].size(width, height);
    this.#origin = options.origin ?? null;
    this.#ownDir = options.dir === undefined;
    this.#dir = options.dir ?? Deno.makeTempDirSync({ prefix: "deno-gpac-live-" });
    if (!this.#origin) Deno.mkdirSync(this.#dir, { recursive: true });

    this.#fs = new FilterSession({ nonBlocking: true });
    try {
      this.#src = new FrameSource(this.#fs, {
        width,
        height,
        fps,
        format,
        timescale: TIMESCALE,
      });
      this.#src.onSent = () => this.#wake();
      this.#src.onRelease = (d) => {
        if (d.byteLength === this.#frameSize && this.#pool.length < maxQueue + 2) {
          this.#pool.push(d);
        }
      };
      const enc = this.#fs.load(this.#encoderDesc(options.encoder, bitrate));
      enc.setSource(this.#src);
      const dst = this.#fs.loadDst(this.#destination());
      dst.setSource(enc);
    } catch (e) {
      this.#fs.close();
      throw e;
    }
    this.#run = this.#fs.runAsync({ sliceMs: options.sliceMs ?? 4 }).catch((e) => {
      this.#failure ??= e;
      this.#wake();
    });
    this.#ready = this.#init(options);
    this.#ready.catch(() => {}); // reported by pushFrame/close
  }

  async #init(options: LiveStreamOptions): Promise<void> {
    try {
      this.#store = await openMarkerStore(options.markers, options.markersKey);
      await this.#store.clear();
      if (options.serve && !this.#origin) {
        await this.#startServer(options.serve, options.markers, options.markersKey);
      }
    } catch (e) {
      this.#failure ??= e;
      throw e;
    }
  }

  /**
   * Starts the server in a Web Worker: its requests are answered on their own event loop, never
   * waiting for the GPAC steps of this thread.
   */
  async #startServer(
    serve: LiveServerOptions,
    markers: string | MarkerStore | undefined,
    key: string | undefined,
  ): Promise<void> {
    const port = serve.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(`serve.port must be an integer in 0..65535, got ${port}`);
    }
    const w = this.#worker = new Worker(new URL("./server_worker.ts", import.meta.url), {
      type: "module",
    });
    let closed!: () => void;
    this.#workerClosed = new Promise((r) => (closed = r));
    const ready = new Promise<void>((resolve, reject) => {
      w.onmessage = (e: MessageEvent<FromServerWorker>) => {
        const m = e.data;
        if (m.type === "ready") {
          this.#urls = m.urls;
          resolve();
        } else if (m.type === "error") {
          const err = new Error(`live server: ${m.message}`);
          reject(err);
          if (this.#urls) this.#failure ??= err;
        } else if (m.type === "closed") closed();
      };
      w.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`live server worker: ${e.message}`));
        closed();
      };
    });
    this.#toWorker({
      type: "init",
      dir: this.#dir,
      port,
      host: serve.host ?? "127.0.0.1",
      hls: this.#opts.outputs.includes("hls") ? this.#masterName : null,
      dash: this.#opts.outputs.includes("dash") ? `${this.#opts.name}.mpd` : null,
      info: this.info,
      redis: typeof markers === "string" && markers !== "memory" ? markers : null,
      key,
    });
    try {
      await ready;
    } catch (e) {
      w.terminate();
      this.#worker = null;
      throw e;
    }
  }

  #toWorker(m: ToServerWorker): void {
    this.#worker?.postMessage(m);
  }

  /** File name of the HLS master playlist. */
  get #masterName(): string {
    return `${this.#opts.name}.m3u8`;
  }

  #encoderDesc(encoder: string | undefined, bitrate: number): string {
    const seg = this.#opts.segmentDuration;
    const base = encoder ?? `ffenc:c=avc:b=${bitrate}::preset=ultrafast::tune=zerolatency`;
    const parts = [base];
    if (!/(^|:)fintra=/.test(base)) parts.push(`fintra=${seg}`);
    if (encoder && !/(^|:)b=/.test(base)) parts.push(`b=${bitrate}`);
    return parts.join(":");
  }

  #destination(): string {
    const o = this.#opts;
    const both = o.outputs.length === 2;
    const main = o.outputs.includes("dash") ? `${o.name}.mpd` : `${o.name}.m3u8`;
    const args = [
      // ":gpac:" ends a URL that has colons of its own
      this.#origin ? `${this.#origin}${main}:gpac` : `${this.#dir}/${main}`,
      ...(both ? ["dual"] : []),
      `segdur=${o.segmentDuration}`,
      "dmode=dynauto",
      "profile=live",
      `tsb=${o.window}`,
      "hlsc",
      `template=${o.name}_$Number$`,
    ];
    if (o.lowLatency) {
      args.push(
        `cdur=${o.partDuration}`,
        "llhls=sf",
        `asto=${Math.max(0, o.segmentDuration - o.partDuration)}`,
      );
    }
    if (this.#origin) args.push("hmode=push");
    // "::" keeps the colons of the URIs inside the last option's value (a flag goes before it,
    // so that the "::" is not read as part of a value)
    args.push("cmpd");
    // the MPD declares the markers' event stream where GPAC can (26.07+); older dashers still
    // write the emsg boxes into the segments, the MPD just does not announce them
    if (!gpacSupports("dashInbandEvents")) return args.join(":");
    return `${args.join(":")}::inband_event=${ID3_SCHEME}@${ID3_SCHEME}@video`;
  }

  /** Resolves once the marker store is open and the server (if any) listens. */
  get ready(): Promise<void> {
    return this.#ready;
  }

  /** The output folder (segments, playlists, manifests). */
  get dir(): string {
    return this.#dir;
  }

  /** Media time (seconds) of the last frame pushed, or -1 before the first. */
  get currentTime(): number {
    return this.#lastTicks < 0 ? -1 : this.#lastTicks / TIMESCALE;
  }

  /**
   * Wall clock (ms since 1970) of media time 0, or 0 before the first frame: the MPD's
   * `availabilityStartTime` and the first segment's `EXT-X-PROGRAM-DATE-TIME` once GPAC wrote
   * them, an estimate before.
   */
  get epoch(): number {
    return this.#epochMs;
  }

  /** Stream description served at `/info`. */
  get info(): Record<string, unknown> {
    const o = this.#opts;
    return {
      epoch: this.#epochMs,
      width: o.width,
      height: o.height,
      fps: o.fps,
      segmentDuration: o.segmentDuration,
      partDuration: o.lowLatency ? o.partDuration : null,
      window: o.window,
      lowLatency: o.lowLatency,
      hls: o.outputs.includes("hls") ? this.#masterName : null,
      dash: o.outputs.includes("dash") ? `${o.name}.mpd` : null,
    };
  }

  /** URLs of the page, manifests and markers API (needs `serve` and `await ready`). */
  get urls(): LiveUrls {
    if (!this.#urls) {
      throw new GpacError(
        -1,
        this.#origin
          ? "this stream pushes to an origin and serves nothing"
          : "no server: pass serve: { port } and await live.ready first",
      );
    }
    return this.#urls;
  }

  /** Paths of the manifests written (in `dir`). */
  get files(): { hls: string | null; hlsVariant: string | null; dash: string | null } {
    const o = this.#opts;
    const hls = o.outputs.includes("hls");
    const dash = o.outputs.includes("dash");
    return {
      hls: hls ? `${this.#dir}/${this.#masterName}` : null,
      hlsVariant: hls ? `${this.#dir}/${o.name}_1.m3u8` : null,
      dash: dash ? `${this.#dir}/${o.name}.mpd` : null,
    };
  }

  /** The marker store (after `ready`). */
  get markers(): MarkerStore {
    if (!this.#store) throw new GpacError(-1, "marker store not open yet: await live.ready");
    return this.#store;
  }

  /** Reads the wall clock of media time 0 from the first manifest GPAC writes. */
  #watchEpoch(): void {
    if (this.#origin) return;
    const f = this.files;
    const tick = async () => {
      if (this.#closing || this.#epochKnown) return;
      const ms = await readEpoch(f.dash, f.hlsVariant);
      if (ms !== null) {
        this.#epochMs = ms;
        this.#epochKnown = true;
        this.#toWorker({ type: "info", info: this.info });
      } else setTimeout(tick, 50);
    };
    setTimeout(tick, 50);
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  #throwIfFailed(): void {
    if (this.#failure) {
      throw new GpacError(-1, `live stream failed: ${(this.#failure as Error)?.message}`, {
        cause: this.#failure,
      });
    }
    if (this.#closing) throw new GpacError(-1, "live stream is closed");
  }

  /**
   * Pushes one frame. `pts` is in seconds in the generator's clock (the first frame's `pts` is
   * media time 0); without it, the wall clock since the first frame is used. Resolves once the
   * frame is queued: not before its time (`pts` relative to the first frame, in real time), and
   * not while the encoder is `maxQueue` frames behind. The bytes are copied.
   */
  async pushFrame(data: Uint8Array, pts?: number): Promise<void> {
    await this.#ready;
    this.#throwIfFailed();
    if (!(data instanceof Uint8Array)) {
      throw new TypeError(
        `frame must be a Uint8Array, got ${Object.prototype.toString.call(data)}`,
      );
    }
    if (data.byteLength !== this.#frameSize) {
      throw new RangeError(
        `frame must be ${this.#frameSize} bytes (${this.#opts.width}x${this.#opts.height} ${this.#opts.format}), got ${data.byteLength}`,
      );
    }
    if (pts !== undefined && (typeof pts !== "number" || !Number.isFinite(pts))) {
      throw new TypeError(`pts must be a finite number of seconds, got ${String(pts)}`);
    }
    const now = performance.now();
    if (this.#originPts === null) {
      this.#originPts = pts ?? 0;
      this.#wallStart = now;
      this.#epochMs = Date.now(); // estimate until the manifest gives GPAC's own anchor
      this.#toWorker({ type: "info", info: this.info });
      this.#watchEpoch();
    }
    let t = pts ?? this.#originPts + (now - this.#wallStart) / 1000;
    let ticks = Math.round((t - this.#originPts) * TIMESCALE);
    if (pts === undefined && ticks <= this.#lastTicks) {
      // wall-clock stamp not after the last frame (a timer fires a fraction of a ms early, or
      // frames come faster than the clock ticks): the next frame slot
      ticks = this.#lastTicks + Math.max(1, Math.round(TIMESCALE / this.#opts.fps));
      t = this.#originPts + ticks / TIMESCALE;
    }
    if (ticks <= this.#lastTicks) {
      throw new RangeError(
        `pts must increase: ${t} s is not after the previous frame (${this.#lastPts} s)`,
      );
    }
    this.#lastTicks = ticks;
    this.#lastPts = t;
    // pacing: sleep (never spin) until the frame's time has come
    const wait = this.#wallStart + (ticks / TIMESCALE) * 1000 - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // back-pressure: the encoder is behind
    while (this.#src.queued >= this.#opts.maxQueue) {
      this.#throwIfFailed();
      await new Promise<void>((r) => this.#waiters.push(r));
    }
    this.#throwIfFailed();
    const copy = this.#pool.pop() ?? new Uint8Array(this.#frameSize);
    copy.set(data);
    let emsg: Uint8Array | undefined;
    if (this.#pendingEmsg.length) {
      const due = this.#pendingEmsg.filter((p) => p.ticks <= ticks);
      if (due.length) {
        this.#pendingEmsg = this.#pendingEmsg.filter((p) => p.ticks > ticks);
        emsg = concat(due.map((d) => d.box));
      }
    }
    this.#src.enqueue({ data: copy, ticks, emsg });
  }

  /**
   * A `WritableStream` of frames (`Uint8Array`s or `{ data, pts }`); closing it closes the
   * stream (playlists finalized, server stopped).
   */
  get writable(): WritableStream<Uint8Array | LiveFrame> {
    return new WritableStream({
      write: (f) => f instanceof Uint8Array ? this.pushFrame(f) : this.pushFrame(f.data, f.pts),
      close: () => this.close(),
      abort: () => this.close(),
    }, { highWaterMark: 1 });
  }

  /** Pushes every frame of an (async) iterable; resolves when it is exhausted. */
  async pipeFrom(
    frames: AsyncIterable<Uint8Array | LiveFrame> | Iterable<Uint8Array | LiveFrame>,
  ): Promise<void> {
    for await (const f of frames) {
      if (f instanceof Uint8Array) await this.pushFrame(f);
      else await this.pushFrame(f.data, f.pts);
    }
  }

  /**
   * Adds a timeline marker at `pts` (generator clock, default: the last frame pushed). Its
   * `time` is in the stream's media clock. The marker is stored (and served at `/markers`) and
   * carried in-band as an ID3 tag (`emsg`, scheme `https://aomedia.org/emsg/ID3`) on the first
   * frame at or after its time that has not yet been sent to the encoder. The DASH manifest
   * announces that event stream (`InbandEventStream`) only with GPAC >= 26.07 (see
   * `gpacSupports("dashInbandEvents")`); the segments carry the tags with every release.
   */
  async marker(text: string, pts?: number, data?: unknown): Promise<Marker> {
    await this.#ready;
    this.#throwIfFailed();
    if (typeof text !== "string") throw new TypeError(`marker text must be a string, got ${text}`);
    if (pts !== undefined && (typeof pts !== "number" || !Number.isFinite(pts))) {
      throw new TypeError(`marker pts must be a finite number of seconds, got ${String(pts)}`);
    }
    if (this.#originPts === null) {
      throw new GpacError(-1, "marker() before the first frame: push a frame first");
    }
    const t = pts ?? this.#lastPts;
    const ticks = Math.max(0, Math.round((t - this.#originPts) * TIMESCALE));
    const time = ticks / TIMESCALE;
    if (data !== undefined) JSON.stringify(data); // throws on values that are not JSON
    const m = await this.#store!.add({ text, time, ...(data === undefined ? {} : { data }) });
    this.#toWorker({ type: "marker", marker: m });
    const payload = JSON.stringify(m);
    const box = emsgBox(TIMESCALE, ticks, m.id, id3Txxx(ID3_MARKER_KEY, payload));
    if (!this.#src.attachToQueued(box, ticks)) {
      // not queued yet (future frame), or already sent (then on the next frame, with its time)
      this.#pendingEmsg.push({ ticks: ticks > this.#lastTicks ? ticks : -1, box });
    }
    return m;
  }

  /**
   * Ends the stream: the frames queued are encoded, the playlists and manifest are finalized
   * (`EXT-X-ENDLIST`, static MPD), the server stops and the marker store is closed. A temporary
   * output folder is removed unless `keepDir`.
   */
  close(keepDir = false): Promise<void> {
    this.#closing ??= this.#close(keepDir);
    return this.#closing;
  }

  async #close(keepDir: boolean): Promise<void> {
    await this.#ready.catch(() => {});
    if (this.#originPts === null && !this.#failure) {
      // nothing was ever pushed: there is no presentation to finalize
      try {
        this.#fs.abort(GF_FS_FLUSH_NONE);
      } catch { /* done already */ }
      await this.#run;
      this.#failure = null;
    }
    this.#src.end();
    this.#wake();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#run,
      new Promise((r) => (timer = setTimeout(() => r(timedOut = true), 15_000))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      try {
        this.#fs.abort();
      } catch { /* already done */ }
      await this.#run;
    }
    try {
      this.#fs.close();
    } catch { /* already closed */ }
    if (this.#worker) {
      this.#toWorker({ type: "close" });
      let t: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.#workerClosed, new Promise((r) => (t = setTimeout(r, 5000)))]);
      clearTimeout(t);
      this.#worker.terminate();
      this.#worker = null;
    }
    await this.#store?.close();
    this.#closed = true;
    if (this.#ownDir && !keepDir) {
      await Deno.remove(this.#dir, { recursive: true }).catch(() => {});
    }
    if (this.#failure) {
      throw new GpacError(-1, `live stream failed: ${(this.#failure as Error)?.message}`, {
        cause: this.#failure,
      });
    }
  }

  /** True once `close()` completed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** `await using live = new LiveStream(...)` closes it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** AST of the MPD, or the PDT of the first HLS segment (media time 0), or null if not written yet. */
async function readEpoch(mpd: string | null, variant: string | null): Promise<number | null> {
  if (mpd) {
    const t = await Deno.readTextFile(mpd).catch(() => "");
    const ast = /availabilityStartTime="([^"]+)"/.exec(t)?.[1];
    if (ast) return Date.parse(ast);
  } else if (variant) {
    const t = await Deno.readTextFile(variant).catch(() => "");
    const pdt = /#EXT-X-PROGRAM-DATE-TIME:(\S+)/.exec(t)?.[1];
    if (pdt && /#EXT-X-MEDIA-SEQUENCE:1\b/.test(t)) return Date.parse(pdt);
  }
  return null;
}
