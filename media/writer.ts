/**
 * `MediaWriter`: encode frames made in TypeScript (typed arrays) into a file, a URL or a
 * `WritableStream`, chunk by chunk, with back-pressure.
 *
 * @module
 */

import {
  FileIO,
  type Filter,
  FilterSession,
  GF_BAD_PARAM,
  GF_IO_ERR,
  GF_NOT_SUPPORTED,
  GpacError,
} from "../mod.ts";
import {
  audioBytes,
  audioFormat,
  audioSampleBytes,
  isPlanar,
  needsEvenSize,
  type SampleArray,
  show,
  videoBytes,
  videoFormat,
  videoFrameSize,
} from "./formats.ts";
import {
  checkEncoder,
  type Container,
  containerOf,
  formatNames,
  rawExtension,
} from "./encoders.ts";
import type { SourceFrame } from "./source.ts";
import { SessionDriver } from "./drive.ts";
import { StreamSink } from "./stream_sink.ts";
import {
  AUDIO_PACKET,
  audioChain,
  audioSource,
  type AudioStream,
  type AudioStreamOptions,
  extensionOf,
  FLUSH_TIMEOUT_MS,
  fpsFraction,
  type MediaDestination,
  type MediaWriterOptions,
  optionString,
  positiveInt,
  type Stream,
  TB16_CODECS,
  videoChain,
  videoSource,
  type VideoStream,
  type VideoStreamOptions,
} from "./streams.ts";

/**
 * Writes raw video and audio, given as typed arrays, to an encoded file, URL or stream: the
 * TypeScript counterpart of torio's `StreamingMediaEncoder` and of PyAV's output containers.
 *
 * Declare the streams, then write chunks (one or several frames per call) and close. Each
 * write resolves once the pipeline took the frames (they are copied into GPAC packets), so a
 * producer that awaits its writes uses bounded memory. The session runs while a write or
 * `close()` is awaited; conversions (pixel format, scaling, resampling) use GPAC's own
 * filters, encoding GPAC's `ffenc`.
 *
 * @example
 * ```ts
 * import { MediaWriter } from "@deno-gpac/gpac/media";
 * await using w = new MediaWriter("out.mp4");
 * const v = w.addVideoStream({ fps: 25, width: 320, height: 240 }); // rgb24, H.264
 * const frame = new Uint8Array(320 * 240 * 3);
 * for (let i = 0; i < 50; i++) {
 *   frame.fill(i * 5);
 *   await w.writeVideoChunk(v, frame);
 * }
 * ```
 */
export class MediaWriter implements AsyncDisposable {
  readonly #dst: MediaDestination;
  readonly #container: Container;
  readonly #live: boolean;
  readonly #url: string | null;
  readonly #createdPath: string | null;
  readonly #streams: Stream[] = [];
  #fs: FilterSession | null = null;
  #driver: SessionDriver | null = null;
  #fio: FileIO | null = null;
  #factory: StreamSink | null = null;
  #closing: Promise<void> | null = null;
  #error: { error: unknown } | null = null;
  #stall = { at: 0, activity: -1 };

  /**
   * Creates a writer. Nothing is written until the first chunk (or `close()`).
   * @param dst A path (its folder is created), a URL (`http(s)://` PUT, `rtmp://` in FLV,
   * `udp://` in MPEG-2 TS, ... as this GPAC build supports), or a `WritableStream`.
   * @param options Container format and live mode.
   * @throws GpacError (`GF_IO_ERR`) if a local path cannot be written; `GF_NOT_SUPPORTED`
   * for an unknown format.
   */
  constructor(dst: MediaDestination, options: MediaWriterOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`MediaWriter options: expected an object, got ${show(options)}`);
    }
    const { format, live = false } = options;
    if (format !== undefined && typeof format !== "string") {
      throw new TypeError(`format: expected a string, got ${show(format)}`);
    }
    this.#live = live === true;
    let ext: string | null = null;
    let url: string | null = null;
    let path: string | null = null;
    if (dst instanceof WritableStream) {
      if (dst.locked) throw new TypeError("MediaWriter: the WritableStream is locked");
    } else if (dst instanceof URL || typeof dst === "string") {
      const s = String(dst);
      if (s === "") throw new TypeError("MediaWriter: empty destination");
      if (s.startsWith("file://")) path = decodeURIComponent(new URL(s).pathname);
      else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) url = s;
      else path = s;
      ext = extensionOf(path ?? url!);
    } else {
      throw new TypeError(
        `MediaWriter: dst must be a path, a URL or a WritableStream, got ${show(dst)}`,
      );
    }
    const fmt = format ?? (dst instanceof WritableStream ? "fmp4" : null);
    let c = containerOf(fmt, ext);
    if (!c && fmt) {
      throw new GpacError(
        GF_NOT_SUPPORTED,
        `unknown format "${fmt}"; expected one of ${formatNames().join(", ")}`,
      );
    }
    // a URL without extension: FLV for RTMP, else MPEG-2 TS (udp://, ...)
    if (!c && url) c = containerOf(/^rtmp/i.test(url) ? "flv" : "ts", null);
    if (!c) {
      throw new GpacError(
        GF_NOT_SUPPORTED,
        `no container for "${String(dst)}": give a known extension or options.format (${
          formatNames().join(", ")
        })`,
      );
    }
    // streams cannot seek back to write an MP4 index at the end: fragment it
    if (dst instanceof WritableStream && c.name === "mp4") c = containerOf("fmp4", null)!;
    this.#container = c;
    this.#dst = dst;
    this.#url = url;
    this.#createdPath = path ? MediaWriter.#checkWritable(path) : null;
  }

  static #checkWritable(path: string): string {
    try {
      const dir = path.replace(/[\\/][^\\/]*$/, "");
      if (dir !== path && dir !== "") Deno.mkdirSync(dir, { recursive: true });
      Deno.openSync(path, { write: true, create: true, truncate: true }).close();
    } catch (e) {
      throw new GpacError(
        GF_IO_ERR,
        `cannot write to "${path}": ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    return path;
  }

  /** The container format being written (`mp4`, `fmp4`, `ts`, ...). */
  get format(): string {
    return this.#container.name;
  }

  /** Number of streams declared. */
  get nbStreams(): number {
    return this.#streams.length;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closing !== null;
  }

  #checkAdd(): void {
    if (this.#closing) throw new GpacError(GF_BAD_PARAM, "MediaWriter is closed");
    if (this.#fs) {
      throw new GpacError(
        GF_BAD_PARAM,
        "cannot add a stream after the first write: declare every stream first",
      );
    }
    if (this.#container.name === "raw" && this.#streams.length > 0) {
      throw new GpacError(GF_BAD_PARAM, "format raw holds a single stream");
    }
  }

  /**
   * Declares a raw video input stream.
   * @returns The stream index, for {@link MediaWriter.writeVideoChunk}.
   */
  addVideoStream(options: VideoStreamOptions): number {
    this.#checkAdd();
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`addVideoStream: expected options, got ${show(options)}`);
    }
    const format = videoFormat(options.format ?? "rgb24", "addVideoStream format");
    const width = positiveInt(options.width, "addVideoStream width");
    const height = positiveInt(options.height, "addVideoStream height");
    if (needsEvenSize(format) && (width % 2 || height % 2)) {
      throw new RangeError(
        `${format} frames need an even width and height, got ${width}x${height}`,
      );
    }
    const fps = options.fps;
    if (typeof fps !== "number" || !(fps > 0 && fps <= 1000)) {
      throw new RangeError(`addVideoStream fps: expected a number in (0, 1000], got ${show(fps)}`);
    }
    for (const k of ["encoderWidth", "encoderHeight", "gop"] as const) {
      if (options[k] !== undefined) positiveInt(options[k], `addVideoStream ${k}`, 1 << 16);
    }
    if (
      options.encoderFormat !== undefined && !/^[a-z0-9_]+$/.test(String(options.encoderFormat))
    ) {
      throw new TypeError(
        `encoderFormat: expected a pixel format name, got ${show(options.encoderFormat)}`,
      );
    }
    optionString(options.encoderOptions, "encoderOptions");
    const encoder = checkEncoder(options.encoder ?? this.#container.video, "video");
    const [num, den] = fpsFraction(fps);
    // about 90 kHz; MPEG-4 part 2 codes the time base on 16 bits (< 65536)
    const k = TB16_CODECS.has(encoder)
      ? Math.max(1, Math.floor(65535 / num))
      : Math.ceil(90000 / num);
    this.#streams.push({
      kind: "video",
      opts: { ...options, fps, width, height, format },
      encoder,
      frameBytes: videoFrameSize(format, width, height),
      timescale: num * k,
      frameDur: den * k,
      next: 0,
      queued: 0,
      src: null,
    });
    return this.#streams.length - 1;
  }

  /**
   * Declares a raw audio input stream.
   * @returns The stream index, for {@link MediaWriter.writeAudioChunk}.
   */
  addAudioStream(options: AudioStreamOptions): number {
    this.#checkAdd();
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`addAudioStream: expected options, got ${show(options)}`);
    }
    const format = audioFormat(options.format ?? "flt", "addAudioStream format");
    const sampleRate = positiveInt(options.sampleRate, "addAudioStream sampleRate", 768000);
    const channels = positiveInt(options.channels, "addAudioStream channels", 64);
    if (options.encoderSampleRate !== undefined) {
      positiveInt(options.encoderSampleRate, "addAudioStream encoderSampleRate", 768000);
    }
    if (options.encoderChannels !== undefined) {
      positiveInt(options.encoderChannels, "addAudioStream encoderChannels", 64);
    }
    optionString(options.encoderOptions, "encoderOptions");
    const encoder = checkEncoder(options.encoder ?? this.#container.audio, "audio");
    this.#streams.push({
      kind: "audio",
      opts: { ...options, sampleRate, channels, format },
      encoder,
      sampleBytes: audioSampleBytes(format),
      next: 0,
      queued: 0,
      src: null,
    });
    return this.#streams.length - 1;
  }

  #stream(i: unknown, kind: "video" | "audio"): Stream {
    if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= this.#streams.length) {
      const n = this.#streams.length;
      throw new RangeError(
        `unknown stream index ${show(i)}: this writer has ${
          n ? `streams 0..${n - 1}` : "no stream (call addVideoStream/addAudioStream first)"
        }`,
      );
    }
    const s = this.#streams[i];
    if (s.kind !== kind) {
      throw new TypeError(`stream ${i} is a ${s.kind} stream, not ${kind}`);
    }
    return s;
  }

  #checkWrite(): void {
    if (this.#error) throw this.#error.error;
    if (this.#closing) throw new GpacError(GF_BAD_PARAM, "MediaWriter is closed");
  }

  /** Times (timescale units) of `n` frames starting at `next`, or from `pts` (seconds). */
  #times(
    n: number,
    pts: number | readonly number[] | undefined,
    scale: number,
    step: number,
    s: Stream,
  ): number[] {
    const out = new Array<number>(n);
    if (pts === undefined) {
      for (let k = 0; k < n; k++) out[k] = s.next + k * step;
    } else if (typeof pts === "number") {
      if (!Number.isFinite(pts) || pts < 0) {
        throw new RangeError(`pts: expected seconds >= 0, got ${show(pts)}`);
      }
      const t0 = Math.round(pts * scale);
      for (let k = 0; k < n; k++) out[k] = t0 + k * step;
    } else if (Array.isArray(pts)) {
      if (pts.length !== n) {
        throw new RangeError(`pts: expected ${n} timestamps (one per frame), got ${pts.length}`);
      }
      for (let k = 0; k < n; k++) {
        const p = pts[k];
        if (typeof p !== "number" || !Number.isFinite(p) || p < 0) {
          throw new RangeError(`pts[${k}]: expected seconds >= 0, got ${show(p)}`);
        }
        out[k] = Math.round(p * scale);
        if (k && out[k] <= out[k - 1]) {
          throw new RangeError(`pts[${k}] = ${p} is not after pts[${k - 1}] = ${pts[k - 1]}`);
        }
      }
    } else {
      throw new TypeError(`pts: expected seconds or an array of seconds, got ${show(pts)}`);
    }
    s.next = out[n - 1] + step;
    return out;
  }

  /**
   * Writes one or several video frames, packed one after the other in `frames`.
   * @param index The stream index from {@link MediaWriter.addVideoStream}.
   * @param frames Frame bytes (`Uint8Array` or `Uint8ClampedArray`), a multiple of the frame
   * size of the stream's format.
   * @param pts Presentation time in seconds of the first frame (the others follow at the
   * frame rate), or one time per frame; default: following the previous frame. Kept exactly
   * where the container allows (1/90000 s in MP4/MOV/TS, 1 ms in MKV/WebM), off the 1/fps
   * grid too, except with MPEG-1/2 video and H.263 encoders (rounded to the grid).
   * @returns Resolves once the pipeline took the frames (`frames` may then be reused).
   */
  async writeVideoChunk(
    index: number,
    frames: Uint8Array | Uint8ClampedArray,
    pts?: number | readonly number[],
  ): Promise<void> {
    this.#checkWrite();
    const s = this.#stream(index, "video") as VideoStream;
    const bytes = videoBytes(frames, `writeVideoChunk(${index})`);
    const fb = s.frameBytes;
    if (bytes.byteLength === 0 || bytes.byteLength % fb !== 0) {
      const { width, height, format } = s.opts;
      throw new RangeError(
        `writeVideoChunk(${index}): a ${width}x${height} ${format} frame is ${fb} bytes; ` +
          `expected a non-zero multiple of ${fb} bytes, received ${bytes.byteLength}`,
      );
    }
    const n = bytes.byteLength / fb;
    const times = this.#times(n, pts, s.timescale, s.frameDur, s);
    const list: SourceFrame[] = new Array(n);
    for (let k = 0; k < n; k++) {
      list[k] = { data: bytes.subarray(k * fb, (k + 1) * fb), cts: times[k], dur: s.frameDur };
    }
    await this.#push(s, list);
  }

  /**
   * Writes audio samples.
   * @param index The stream index from {@link MediaWriter.addAudioStream}.
   * @param samples Samples in the stream's format and typed array (`Float32Array` for `flt`,
   * `Int16Array` for `s16`, ...; or their bytes as a `Uint8Array`): interleaved, or for
   * planar formats all samples of channel 0, then channel 1, ...
   * @param pts Presentation time in seconds of the first sample (default: following the
   * previous chunk).
   * @returns Resolves once the pipeline took the samples.
   */
  async writeAudioChunk(index: number, samples: SampleArray, pts?: number): Promise<void> {
    this.#checkWrite();
    const s = this.#stream(index, "audio") as AudioStream;
    const bytes = audioBytes(s.opts.format, samples, `writeAudioChunk(${index})`);
    const per = s.sampleBytes * s.opts.channels;
    if (bytes.byteLength === 0 || bytes.byteLength % per !== 0) {
      throw new RangeError(
        `writeAudioChunk(${index}): ${s.opts.channels} channel(s) of ${s.opts.format} take ` +
          `${per} bytes per sample; expected a non-zero multiple of ${per} bytes, received ` +
          `${bytes.byteLength}`,
      );
    }
    if (pts !== undefined && typeof pts !== "number") {
      throw new TypeError(`pts: expected seconds, got ${show(pts)}`);
    }
    const n = bytes.byteLength / per;
    const [t] = this.#times(1, pts, s.opts.sampleRate, n, s);
    // GPAC's ffenc encodes one encoder frame per input packet and drops what it still holds
    // beyond one frame at the end of stream: send packets shorter than any encoder frame
    const list: SourceFrame[] = [];
    const planes = isPlanar(s.opts.format) ? s.opts.channels : 1;
    const plane = bytes.byteLength / planes;
    for (let at = 0; at < n; at += AUDIO_PACKET) {
      const m = Math.min(AUDIO_PACKET, n - at);
      let data: Uint8Array;
      if (planes === 1) {
        data = bytes.subarray(at * per, (at + m) * per);
      } else {
        const b = s.sampleBytes;
        data = new Uint8Array(m * per);
        for (let c = 0; c < planes; c++) {
          data.set(bytes.subarray(c * plane + at * b, c * plane + (at + m) * b), c * m * b);
        }
      }
      list.push({ data, cts: t + at, dur: m });
    }
    await this.#push(s, list);
  }

  async #push(s: Stream, frames: SourceFrame[]): Promise<void> {
    this.#start();
    const src = s.src!;
    const target = (s.queued += frames.length);
    const accepted = src.enqueue(frames);
    accepted.catch(() => {}); // reported through the driver below
    this.#stall = { at: performance.now(), activity: -1 };
    let early = false;
    try {
      const ok = await this.#driver!.until(() => {
        if (this.#factory?.error) return true;
        if (src.sent >= target) return true;
        return (early = this.#starving(s));
      });
      if (!ok) throw new GpacError(GF_IO_ERR, "the pipeline ended before taking the frames");
      if (this.#factory?.error) this.#streamFailed(this.#factory.error.error);
    } catch (e) {
      this.#fail(e);
      throw this.#error!.error;
    }
    if (early && src.sent < target) src.detachPending();
    await accepted;
  }

  /**
   * True when the pipeline waits for another stream of this writer: some other source has
   * nothing queued and no filter moved a packet for 10 ms. A muxer waiting for the first
   * frames of a video encoder (which buffers dozens of frames) blocks the audio input
   * meanwhile: holding the audio write would then deadlock the producer. The frames are
   * then kept (copied) in the source's queue, bounded by the encoder delay.
   */
  #starving(s: Stream): boolean {
    const now = performance.now();
    if (now - this.#stall.at < 10) return false;
    if (!this.#streams.some((o) => o !== s && o.src?.idle)) return false;
    let activity = 0;
    for (const st of this.#fs!.stats()) {
      activity += Number(st.nbPckProcessed) + Number(st.nbPckSent);
    }
    const stalled = activity === this.#stall.activity;
    this.#stall = { at: now, activity };
    return stalled;
  }

  #fail(e: unknown): void {
    if (!this.#error) {
      const err = e instanceof GpacError || e instanceof TypeError || e instanceof RangeError
        ? e
        : new GpacError(GF_IO_ERR, `writing ${this.#describe()} failed`, { cause: e });
      this.#error = { error: err };
    }
    for (const s of this.#streams) s.src?.fail(this.#error.error);
  }

  /** Throws the error of the destination stream, as a GpacError whose cause it is. */
  #streamFailed(error: unknown): never {
    throw new GpacError(GF_IO_ERR, `the destination WritableStream failed`, { cause: error });
  }

  /** True once every filter with inputs saw the end of all of them (encoders, muxer, file). */
  #drained(): boolean {
    const stats = this.#fs!.stats();
    return stats.every((st) => st.nbPidIn === 0 || st.inEos);
  }

  #describe(): string {
    return this.#dst instanceof WritableStream ? "the WritableStream" : `"${String(this.#dst)}"`;
  }

  #destination(): string {
    const c = this.#container;
    let opts = c.opts;
    if (this.#live && c.filter === "mp4mx") opts = ":store=frag:cdur=1";
    if (this.#dst instanceof WritableStream) {
      const stream = this.#dst;
      this.#factory = new StreamSink(stream);
      const ext = c.name === "raw" ? this.#rawExt() : c.extensions[0] ?? "mp4";
      this.#fio = new FileIO(`media.${ext}`, this.#factory);
      return `${this.#fio.url}${opts}`;
    }
    const url = this.#url;
    const target = url ?? this.#createdPath!;
    const ext = extensionOf(target);
    const wanted = c.name === "raw" ? this.#rawExt() : c.extensions[0] ?? "mp4";
    if (!c.extensions.includes(ext ?? "") && !(c.name === "fmp4" && ext === "mp4")) {
      if (c.name !== "raw" || ext !== wanted) opts += `:ext=${wanted}`;
    }
    if (!url) return `${target}${opts}`;
    // without hmode=push, GPAC's httpout would serve the file on that port instead of sending
    // it with PUT; FFmpeg's muxer needs its format name for a URL
    if (/^https?:/i.test(url)) opts += ":hmode=push";
    if (c.filter === "ffmx") opts += `:ffmt=${c.name === "mkv" ? "matroska" : c.name}`;
    if (/^srt:/i.test(url)) {
      // GPAC has no SRT output of its own: FFmpeg's (ffmx), muxing MPEG-2 TS itself; linger
      // lets libsrt deliver the tail of the stream before the socket closes
      if (c.name !== "ts") {
        throw new GpacError(GF_NOT_SUPPORTED, `srt:// carries MPEG-2 TS, not format "${c.name}"`);
      }
      const u = /[?&]linger=/.test(url) ? url : `${url}${url.includes("?") ? "&" : "?"}linger=5`;
      return `${u}:gpac:ffmt=mpegts`;
    }
    // `:gpac:` ends the URL (whose host part has colons) before GPAC's options
    return opts ? `${url}:gpac${opts}` : url;
  }

  #rawExt(): string {
    const s = this.#streams[0];
    const ext = s ? rawExtension(s.encoder) : null;
    if (!ext) {
      throw new GpacError(
        GF_NOT_SUPPORTED,
        `format raw: no elementary stream format for encoder "${s?.encoder}"`,
      );
    }
    return ext;
  }

  /** Builds the session on the first write. */
  #start(): void {
    if (this.#fs) return;
    if (this.#streams.length === 0) {
      throw new GpacError(GF_BAD_PARAM, "no stream: call addVideoStream/addAudioStream first");
    }
    const fs = new FilterSession({ nonBlocking: true });
    this.#fs = fs;
    this.#driver = new SessionDriver(fs);
    try {
      const dst = fs.loadDst(this.#destination());
      this.#streams.forEach((s, i) => {
        const src = s.kind === "video" ? videoSource(fs, s, i) : audioSource(fs, s, i);
        s.src = src;
        let prev: Filter = src;
        const chain = s.kind === "video" ? videoChain(s, this.#live) : audioChain(s);
        for (const d of chain) {
          const f = fs.load(d);
          f.setSource(prev);
          prev = f;
        }
        dst.setSource(prev);
      });
    } catch (e) {
      this.#fail(e);
      throw this.#error!.error;
    }
  }

  /**
   * Flushes every encoder, finalizes the container and releases the session. Every frame
   * written is in the output. Rejects if the pipeline failed (the partial local file is then
   * removed). Calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    try {
      if (!this.#error && this.#streams.length) {
        this.#start();
        for (const s of this.#streams) s.src!.end();
        // keep the session from reading as finished while encoders drain after the end of
        // stream: GPAC can report "last task" while an encoder waits for its own threads, and
        // would then stop the muxer before the last frames (or the index) are written
        const fs = this.#fs!;
        const deadline = performance.now() + FLUSH_TIMEOUT_MS;
        fs.post(() => (this.#drained() || performance.now() > deadline ? -1 : 1), "media_flush");
        await this.#driver!.until(() =>
          this.#factory?.error !== undefined && this.#factory.error !== null
        );
        if (this.#factory?.error) this.#streamFailed(this.#factory.error.error);
        if (!this.#drained()) {
          throw new GpacError(
            GF_IO_ERR,
            `the pipeline ended before every frame reached ${this.#describe()}`,
          );
        }
      }
    } catch (e) {
      this.#fail(e);
    }
    try {
      this.#fs?.close();
    } catch (e) {
      this.#fail(e);
    }
    this.#fio?.close();
    if (this.#factory) {
      const failed = await this.#factory.settled();
      if (failed) {
        try {
          this.#streamFailed(failed.error);
        } catch (e) {
          this.#fail(e);
        }
      }
    }
    if (this.#error) {
      if (this.#createdPath) {
        try {
          Deno.removeSync(this.#createdPath);
        } catch { /* not there */ }
      }
      throw this.#error.error;
    }
  }

  /** Same as {@link MediaWriter.close} (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
