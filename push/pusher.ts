/**
 * `pushStream(src, dst, opts)`: sends a file, a looped clip or frames drawn in TypeScript to a
 * streaming destination (RTMP, SRT, UDP, RTP, GPAC's own RTSP server, or a file), paced on the
 * wall clock, with live statistics, clear errors and a clean abort.
 *
 * @module
 */

import {
  type Filter,
  FilterSession,
  GF_BAD_PARAM,
  GF_IP_CONNECTION_FAILURE,
  GF_NOT_SUPPORTED,
  GpacError,
} from "../mod.ts";
import { PushError, UnsupportedProtocolError } from "./errors.ts";
import { FrameQueue } from "./frames.ts";
import { checkLoops, type ClipInfo, loopSource, LoopStamper, probeClip } from "./loop.ts";
import { PushMeter, type PushStats } from "./stats.ts";

/** Options of {@link pushStream}. */
export interface PushOptions {
  /**
   * Send the compressed streams as they are (`true`), re-encode (`false`), or copy when the
   * codecs fit the destination's container (`"auto"`, default). Raw sources are always encoded.
   */
  copy?: boolean | "auto";
  /** Video codec when encoding (GPAC's `ffenc:c=` name). Default `"avc"`. */
  videoCodec?: string;
  /** Audio codec when encoding. Default `"aac"`. */
  audioCodec?: string;
  /** Video bitrate when encoding, bits per second. */
  bitrate?: number;
  /** Keyframe interval when encoding, in frames. */
  gop?: number;
  /**
   * Encode with low latency (`ffenc`'s `low_delay`: no look-ahead, for AVC baseline /
   * ultrafast / zerolatency). Default: same as `realtime`.
   */
  lowDelay?: boolean;
  /**
   * Send by timestamps, never more than `window` ms ahead of the wall clock. Default: true for
   * network destinations, false for files.
   */
  realtime?: boolean;
  /** Allowed lead over the wall clock in ms when `realtime` (default 500, 0..60000). */
  window?: number;
  /** Plays of the source in all: 1 (default), N, or `Infinity` (forever; see `duration`). */
  loop?: number;
  /** Stop after this much media time, in seconds (default: the end of the source). */
  duration?: number;
  /** Ends the push cleanly (outputs are flushed, `done` resolves with `endedBy: "abort"`). */
  signal?: AbortSignal;
  /** Connection attempts after the first failure (default 0), with exponential back-off. */
  retries?: number;
  /** First back-off delay in ms (default 500, doubled each retry, capped at 10 s). */
  retryDelay?: number;
  /**
   * Fail with a {@link PushError} when the output takes nothing for this long (ms) while data
   * waits for it (default 5000; not for `rtsp://`, which waits for clients).
   */
  stallTimeout?: number;
  /** Statistics sampling interval in ms (default 250, 10..10000). */
  statsInterval?: number;
  /** `rtsp://` destinations: `"serve"` (default) runs GPAC's RTSP server (`rtspout`) that
   * clients pull from; `"announce"` would push to a server with ANNOUNCE/RECORD, which this
   * binding's GPAC does not offer (throws {@link UnsupportedProtocolError}). */
  rtsp?: "serve" | "announce";
  /**
   * Run the session with a blocking `run()` instead of `runAsync()`: the event loop is frozen
   * until the push ends (no live statistics, no abort but `duration`; frame sources cannot be
   * used). Not needed for any destination (`rtmp://` included); it saves the event-loop turns
   * of a long push in a process that has nothing else to do. Default false.
   */
  blocking?: boolean;
  /** Raw frames format, required when `src` is an async iterable of frames. */
  frameFormat?: ConstructorParameters<typeof FrameQueue>[0];
}

/** How a push ended, what `await pusher.done` gives. */
export interface PushSummary {
  /** `"eos"`: the source ended; `"duration"`: the duration limit; `"abort"`: aborted. */
  endedBy: "eos" | "duration" | "abort";
  /** Statistics at the end. */
  stats: PushStats;
  /** Number of connection attempts that were made. */
  attempts: number;
}

type Sink = { kind: "file" | "ffmx" | "gpac"; url: string; desc: string; fits: Set<string> };

const FLV_CODECS = new Set(["AVC", "AAC", "MP3"]);
const TS_CODECS = new Set(["AVC", "HEVC", "AAC", "MP3", "AC3", "EAC3", "MPEG2V", "Opus"]);
const ANY = new Set<string>();

/** Resolves `dst` to the GPAC output to load, or throws a typed error naming the reason. */
function resolveSink(dst: string, opts: PushOptions): Sink {
  if (typeof dst !== "string" || dst.length === 0) {
    throw new TypeError(`pushStream: dst must be a URL or file path, got ${String(dst)}`);
  }
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(dst);
  if (!m) return { kind: "file", url: dst, desc: dst, fits: ANY };
  const scheme = m[1].toLowerCase();
  let parsed: URL;
  try {
    parsed = new URL(dst);
  } catch (e) {
    throw new PushError(GF_BAD_PARAM, dst, "not a valid URL", { cause: e });
  }
  const needPort = () => {
    if (!parsed.port) throw new PushError(GF_BAD_PARAM, dst, `a ${scheme}:// URL needs a port`);
  };
  switch (scheme) {
    case "file":
      return { kind: "file", url: dst, desc: decodeURIComponent(parsed.pathname), fits: ANY };
    case "rtmp":
    case "rtmps":
    case "rtmpt":
    case "rtmpts":
    case "rtmpe":
    case "rtmpte":
      // ffmx interleaves (ileave=0 is no way out: FFmpeg's FLV muxer then refuses the first
      // audio packet); a stepped session keeps it scheduled (core/stepper.ts, StallGuard)
      return {
        kind: "ffmx",
        url: dst,
        desc: `${dst}:gpac:ffmt=flv`,
        fits: FLV_CODECS,
      };
    case "srt": {
      needPort();
      // linger: let libsrt deliver the tail of the stream before the socket closes
      const url = /[?&]linger=/.test(dst) ? dst : `${dst}${dst.includes("?") ? "&" : "?"}linger=5`;
      return { kind: "ffmx", url: dst, desc: `${url}:gpac:ffmt=mpegts:ileave=0`, fits: TS_CODECS };
    }
    case "udp":
      needPort();
      return { kind: "gpac", url: dst, desc: `${dst}:gpac:ext=ts`, fits: TS_CODECS };
    case "rtp":
      needPort();
      return { kind: "gpac", url: dst, desc: dst, fits: ANY };
    case "rtsp":
      if ((opts.rtsp ?? "serve") === "announce") {
        throw new UnsupportedProtocolError(
          "rtsp",
          dst,
          "pushing with ANNOUNCE/RECORD is not available: GPAC's rtspout is a server only, and " +
            "FFmpeg's rtsp muxer behind GPAC's ffmx fails to write the session header " +
            '(use rtsp: "serve" and let clients pull, or push over rtmp:// or srt://)',
        );
      }
      needPort();
      return { kind: "gpac", url: dst, desc: dst, fits: ANY };
    default:
      throw new UnsupportedProtocolError(
        scheme,
        dst,
        "pushStream handles file paths, rtmp(s)://, srt://, udp://, rtp:// and rtsp://",
      );
  }
}

function checkOptions(opts: PushOptions): void {
  if (opts === null || typeof opts !== "object") {
    throw new TypeError(`pushStream: opts must be an object, got ${String(opts)}`);
  }
  const num = (name: keyof PushOptions, min: number, max: number, int = false) => {
    const v = opts[name];
    if (v === undefined) return;
    if (typeof v !== "number" || !(v >= min && v <= max) || (int && !Number.isInteger(v))) {
      throw new RangeError(
        `pushStream: ${name} must be ${int ? "an integer" : "a number"} in ${min}..${max}, got ${
          String(v)
        }`,
      );
    }
  };
  num("window", 0, 60000);
  num("retries", 0, 100, true);
  num("retryDelay", 0, 60000);
  num("statsInterval", 10, 10000);
  num("stallTimeout", 100, 600000);
  num("bitrate", 1000, 1e9, true);
  num("gop", 1, 10000, true);
  if (opts.duration !== undefined) num("duration", 0.001, Infinity);
  if (opts.loop !== undefined) checkLoops(opts.loop);
  if (
    opts.copy !== undefined && opts.copy !== true && opts.copy !== false && opts.copy !== "auto"
  ) {
    throw new TypeError(`pushStream: copy must be true, false or "auto", got ${String(opts.copy)}`);
  }
  if (opts.blocking !== undefined && typeof opts.blocking !== "boolean") {
    throw new TypeError(`pushStream: blocking must be a boolean, got ${String(opts.blocking)}`);
  }
  if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) {
    throw new TypeError("pushStream: signal must be an AbortSignal");
  }
  for (const k of ["videoCodec", "audioCodec"] as const) {
    const v = opts[k];
    if (v !== undefined && (typeof v !== "string" || !/^[a-zA-Z0-9_.-]+$/.test(v))) {
      throw new TypeError(`pushStream: ${k} must be a codec name such as "avc", got ${String(v)}`);
    }
  }
}

/** Source types accepted by {@link pushStream}. */
export type PushSource = string | FrameQueue | AsyncIterable<Uint8Array>;

/**
 * A running push, returned by {@link pushStream}. Iterate it (`for await (const s of pusher)`)
 * for live statistics every `statsInterval` ms; `await pusher.done` for the end.
 */
export class Pusher implements AsyncIterable<PushStats> {
  /** Resolves when the push ended (source end, duration, abort); rejects with the error. */
  readonly done: Promise<PushSummary>;
  /** Destination URL or path. */
  readonly dst: string;
  readonly #ctl = new AbortController();
  readonly #listeners = new Set<(s: PushStats | null, err?: unknown) => void>();
  #meter: PushMeter | null = null;
  #stamp: LoopStamper | null = null;
  #queue: FrameQueue | null = null;
  #last: PushStats = emptyStats();
  #lastBytes = 0;
  #lastT = 0;
  #finished = false;
  #error: unknown = null;
  #endedBy: PushSummary["endedBy"] = "eos";

  /** @internal Use {@link pushStream}. */
  constructor(src: PushSource, dst: string, opts: PushOptions) {
    this.dst = dst;
    this.done = this.#run(src, dst, opts);
    this.done.catch(() => {}); // surfaced through `done` / the iterator, never unhandled
  }

  /** The latest statistics sample. */
  get stats(): PushStats {
    return this.#finished ? this.#last : this.#sample();
  }

  /** Ends the push: outputs are flushed, `done` resolves with `endedBy: "abort"`. */
  abort(): void {
    if (this.#finished) return;
    this.#endedBy = "abort";
    this.#ctl.abort(new DOMException("push aborted", "AbortError"));
  }

  #sample(): PushStats {
    const m = this.#meter;
    if (!m) return this.#last;
    const now = performance.now();
    const dt = (now - this.#lastT) / 1000;
    const rate = this.#lastT && dt > 0 ? (m.bytesSent - this.#lastBytes) / dt : 0;
    if (dt >= 0.05 || !this.#lastT) {
      this.#lastT = now;
      this.#lastBytes = m.bytesSent;
    }
    const wall = m.wallTime();
    this.#last = {
      mediaTime: m.mediaTime,
      wallTime: wall,
      lead: m.mediaTime - wall,
      maxLead: m.maxLead === -Infinity ? 0 : m.maxLead,
      minLead: m.minLead === Infinity ? 0 : m.minLead,
      bytesPerSecond: rate || this.#last.bytesPerSecond,
      bytesSent: m.bytesSent,
      framesSent: m.framesSent,
      framesDropped: this.#queue?.framesDropped ?? 0,
      loop: this.#stamp?.loop ?? 0,
    };
    return this.#last;
  }

  async #run(src: PushSource, dst: string, opts: PushOptions): Promise<PushSummary> {
    await Promise.resolve(); // `done` exists before any work starts
    const sink = resolveSink(dst, opts);
    const signal = opts.signal;
    const onAbort = () => this.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    let pump: Promise<void> | null = null;
    let queue: FrameQueue | null = null;
    if (src instanceof FrameQueue) queue = src;
    else if (typeof src !== "string") {
      if (!src || typeof (src as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== "function") {
        throw new TypeError(
          "pushStream: src must be a path/URL, a FrameQueue or an async iterable of frames",
        );
      }
      if (!opts.frameFormat) {
        throw new TypeError("pushStream: an async iterable src needs opts.frameFormat");
      }
      queue = new FrameQueue(opts.frameFormat);
      const it = src;
      const q = queue;
      pump = (async () => {
        try {
          for await (const f of it) {
            if (this.#ctl.signal.aborted) break;
            await q.write(f);
          }
        } catch (e) {
          if (!this.#finished) this.#fail(e);
        } finally {
          if (!q.ended) q.end();
        }
      })();
    }
    this.#queue = queue;
    const realtime = opts.realtime ?? sink.kind !== "file";
    const window = opts.window ?? 500;
    const interval = opts.statsInterval ?? 250;
    let clip: ClipInfo | null = null;
    if (typeof src === "string" && !/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(src)) {
      clip = probeClip(src);
    }
    const copy = queue ? false : opts.copy ?? "auto";
    const encode = copy === false ||
      (copy === "auto" && clip !== null && sink.fits !== ANY &&
        clip.tracks.some((t) => !sink.fits.has(t.codec)));

    const retries = opts.retries ?? 0;
    let delay = opts.retryDelay ?? 500;
    let attempts = 0;
    let timer: ReturnType<typeof setInterval> | undefined;
    try {
      for (;;) {
        attempts++;
        if (signal?.aborted) this.abort();
        if (this.#ctl.signal.aborted) {
          this.#finished = true;
          return { endedBy: "abort", stats: this.#last, attempts };
        }
        using fs = new FilterSession(opts.blocking ? { blocking: true } : { nonBlocking: true });
        let out: Filter;
        try {
          out = fs.loadDst(sink.desc);
        } catch (e) {
          const err = this.#sinkError(sink, e);
          if (err instanceof UnsupportedProtocolError || attempts > retries) throw err;
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, 10_000);
          continue;
        }
        this.#build(fs, src, queue, clip, encode, opts, out, realtime, window);
        timer = setInterval(() => this.#emit(this.#sample()), interval);
        try {
          if (opts.blocking) {
            this.#blockingFs = fs;
            this.#ctl.signal.addEventListener("abort", () => fs.abort(), { once: true });
            fs.run();
            this.#blockingFs = null;
          } else await fs.runAsync({ signal: this.#ctl.signal });
        } catch (e) {
          if (!this.#ctl.signal.aborted || this.#endedBy === "eos") throw this.#runError(sink, e);
        }
        if (this.#error !== null) throw this.#error;
        const failed = fs.filters.find((f) =>
          f.alive && f === out && /error|fail/i.test(f.status ?? "")
        );
        if (failed) {
          throw new PushError(GF_IP_CONNECTION_FAILURE, dst, `output failed: ${failed.status}`);
        }
        break;
      }
      clearInterval(timer);
      const stats = this.#sample();
      this.#finished = true;
      this.#emit(stats);
      this.#emit(null);
      queue?.fail(new TypeError("FrameQueue.write: the push ended"));
      await pump;
      return { endedBy: this.#endedBy, stats, attempts };
    } catch (e) {
      clearInterval(timer);
      this.#finished = true;
      queue?.fail(e);
      this.#emit(null, e);
      await pump;
      throw e;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  #fail(e: unknown): void {
    if (this.#error === null) this.#error = e;
    this.#endedBy = "eos";
    this.#ctl.abort(e);
  }

  /** A blocking session does not watch the abort signal: abort it from its task. */
  #blockingFs: FilterSession | null = null;

  #build(
    fs: FilterSession,
    src: PushSource,
    queue: FrameQueue | null,
    clip: ClipInfo | null,
    encode: boolean,
    opts: PushOptions,
    out: Filter,
    realtime: boolean,
    window: number,
  ): void {
    let head: Filter;
    this.#stamp = null;
    if (queue) head = queue.createFilter(fs);
    else {
      const loops = opts.loop ?? 1;
      const path = src as string;
      if (loops !== 1 && clip === null) {
        throw new PushError(
          GF_NOT_SUPPORTED,
          this.dst,
          `loop needs a local file source, got ${path}`,
        );
      }
      head = loops === 1 ? fs.loadSrc(path) : loopSource(fs, path, { loops, clip: clip! });
      if (head instanceof LoopStamper) this.#stamp = head;
    }
    const meter = new PushMeter(fs, {
      realtime,
      window,
      duration: opts.duration ?? Infinity,
      streams: queue ? 1 : clip ? clip.tracks.filter((t) => t.streamType !== "Unknown").length : 1,
      onLimit: () => {
        this.#endedBy = "duration";
        this.#ctl.abort(new DOMException("duration reached", "AbortError"));
      },
    });
    this.#meter = meter;
    // keep-alive: runAsync() ends a session whose only queued task is a filter's timed
    // reschedule, which is how the meter waits for the clock; a second task prevents that
    // (and a little longer, so that the output takes the last packets before the session
    // is told to stop)
    let grace = 3;
    const stallMs = opts.stallTimeout ?? 5000;
    const serving = this.dst.startsWith("rtsp://"); // a server waits for its clients
    fs.post(() => {
      if (this.#ctl.signal.aborted && this.#blockingFs) {
        this.#blockingFs.abort();
        return -1;
      }
      if (meter.finished) return --grace < 0 ? -1 : 100;
      // data waits but the output takes nothing: it failed, or its server left
      if (
        !serving && meter.lastProgress > 0 &&
        (!meter.waitingClock || performance.now() > meter.dueAt + stallMs) &&
        (meter.pending > 0 || (queue ? queue.queued > 0 : true)) &&
        performance.now() - meter.lastProgress > stallMs
      ) {
        this.#fail(
          new PushError(
            GF_IP_CONNECTION_FAILURE,
            this.dst,
            `the output took no data for ${stallMs} ms (server gone, or the output failed: ` +
              "see GPAC's log)",
          ),
        );
        return -1;
      }
      return meter.waitingClock ? 20 : 50;
    });
    // what feeds the output: the source itself, or its encoders
    const feeds: Filter[] = [];
    if (encode) {
      const b = opts.bitrate ? `:b=${opts.bitrate}` : "";
      const g = opts.gop ? `::g=${opts.gop}` : "";
      const ld = (opts.lowDelay ?? realtime) ? ":low_delay" : "";
      const venc = fs.load(`ffenc:c=${opts.videoCodec ?? "avc"}${b}${ld}${g}`);
      venc.setSource(head, "#StreamType=Visual");
      feeds.push(venc);
      const hasAudio = clip ? clip.tracks.some((t) => t.streamType === "Audio") : !queue;
      if (hasAudio) {
        const aenc = fs.load(`ffenc:c=${opts.audioCodec ?? "aac"}`);
        aenc.setSource(head, "#StreamType=Audio");
        feeds.push(aenc);
      }
    } else feeds.push(head);
    for (const f of feeds) meter.setSource(f);
    out.setSource(meter);
  }

  #sinkError(sink: Sink, e: unknown): PushError {
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(sink.url)?.[1]?.toLowerCase();
    if (e instanceof GpacError && e.code === GF_NOT_SUPPORTED && scheme) {
      return new UnsupportedProtocolError(
        scheme,
        sink.url,
        `this libgpac build cannot open ${scheme}:// outputs (FFmpeg's libavformat behind ` +
          `GPAC's ffmx has no "${scheme}" protocol)`,
        { cause: e },
      );
    }
    const why = sink.kind === "file"
      ? "cannot create the output file"
      : "cannot connect (server unreachable, refusing the connection, or not answering)";
    return new PushError(
      e instanceof GpacError ? e.code : GF_IP_CONNECTION_FAILURE,
      sink.url,
      `${why}: ${(e as Error)?.message ?? String(e)}`,
      { cause: e },
    );
  }

  #runError(sink: Sink, e: unknown): unknown {
    if (e instanceof PushError) return e;
    if (this.#error !== null) return this.#error;
    return new PushError(
      e instanceof GpacError ? e.code : GF_IP_CONNECTION_FAILURE,
      sink.url,
      `the stream stopped: ${(e as Error)?.message ?? String(e)}`,
      { cause: e },
    );
  }

  #emit(s: PushStats | null, err?: unknown): void {
    for (const l of this.#listeners) l(s, err);
  }

  /** Live statistics every `statsInterval` ms until the end (throws the push's error). */
  async *[Symbol.asyncIterator](): AsyncGenerator<PushStats, void, undefined> {
    const buf: (PushStats | null)[] = [];
    let err: unknown = undefined;
    let wake: (() => void) | null = null;
    const l = (s: PushStats | null, e?: unknown) => {
      buf.push(s);
      if (e !== undefined) err = e;
      wake?.();
    };
    if (this.#finished) {
      yield this.#last;
      return;
    }
    this.#listeners.add(l);
    try {
      for (;;) {
        while (buf.length === 0) await new Promise<void>((r) => (wake = r));
        wake = null;
        const s = buf.shift()!;
        if (s === null) {
          if (err !== undefined) throw err;
          return;
        }
        // a slow consumer gets the latest sample, not a backlog
        if (buf.length > 1 && buf.at(-1) !== null) continue;
        yield s;
      }
    } finally {
      this.#listeners.delete(l);
    }
  }
}

function emptyStats(): PushStats {
  return {
    mediaTime: 0,
    wallTime: 0,
    lead: 0,
    maxLead: 0,
    minLead: 0,
    bytesPerSecond: 0,
    bytesSent: 0,
    framesSent: 0,
    framesDropped: 0,
    loop: 0,
  };
}

/**
 * Starts pushing `src` to `dst` and returns the running {@link Pusher}.
 *
 * - `src`: a media file or URL (a local file can be looped: `loop: 3`, `loop: Infinity`), a
 *   {@link FrameQueue} of raw frames drawn in TypeScript, or an async iterable of such frames
 *   (with `opts.frameFormat`).
 * - `dst`: `rtmp://host:port/app/key` (FLV), `srt://host:port` (MPEG-TS), `udp://host:port`
 *   (MPEG-TS), `rtp://host:port`, `rtsp://host:port/name` (GPAC's RTSP server, clients pull),
 *   or a file path.
 *
 * Errors (through `done`): {@link UnsupportedProtocolError} for a protocol this build lacks,
 * {@link PushError} naming the URL when the server cannot be reached or the stream breaks.
 * Argument errors throw at once.
 *
 * @example
 * ```ts
 * import { pushStream } from "@deno-gpac/gpac/push";
 * const pusher = pushStream("clip.mp4", "rtmp://127.0.0.1:1935/live/key", { loop: 3 });
 * for await (const s of pusher) console.log(s.mediaTime.toFixed(2), s.lead.toFixed(3));
 * console.log(await pusher.done);
 * ```
 * @param src Source (see above).
 * @param dst Destination URL or file path.
 * @param opts Options.
 */
export function pushStream(src: PushSource, dst: string, opts: PushOptions = {}): Pusher {
  checkOptions(opts);
  resolveSink(dst, opts); // bad URLs and unknown protocols throw at once
  if (opts.blocking && typeof src !== "string") {
    throw new TypeError("pushStream: blocking: true needs a file/URL source, not frames");
  }
  if (typeof src === "string" && src.length === 0) {
    throw new TypeError("pushStream: src must not be empty");
  }
  return new Pusher(src, dst, opts);
}
