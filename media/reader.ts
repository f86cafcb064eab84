/**
 * `MediaReader`: decoded frames (or compressed packets) of a file, URL or `ReadableStream`, as
 * typed arrays, with `for await`.
 *
 * @module
 */

import {
  FileIO,
  type FilterPacket,
  type FilterPid,
  FilterSession,
  GF_BAD_PARAM,
  GF_NOT_SUPPORTED,
  GpacError,
  MemoryFileFactory,
} from "../mod.ts";
import {
  audioFormat,
  audioSampleBytes,
  audioView,
  gpacAudioFormat,
  gpacPixelFormat,
  show,
  type VideoFormat,
  videoFormat,
  videoFrameSize,
} from "./formats.ts";
import { SessionDriver } from "./drive.ts";
import { FrameSink, type PidState, type Want } from "./frame_sink.ts";
import type {
  AudioFrame,
  AudioReadOptions,
  EncodedPacket,
  MediaFrame,
  MediaReaderOptions,
  MediaSource,
  StreamInfo,
  VideoFrame,
  VideoReadOptions,
} from "./frames.ts";

/**
 * Reads a file, a URL or a `ReadableStream` as decoded frames (or compressed packets): the
 * TypeScript counterpart of PyAV's `container.decode()` and torio's `StreamingMediaDecoder`.
 *
 * Frames are pulled: the GPAC session only runs while the next frame is awaited, and stops
 * when the loop ends (`break` included), releasing everything. **Zero-copy contract**: a
 * frame's `data` is a view on GPAC's memory that stays valid until the next frame is
 * requested, then becomes empty; call `frame.clone()` to keep a frame.
 *
 * @example
 * ```ts
 * import { MediaReader } from "@deno-gpac/gpac/media";
 * const reader = new MediaReader("in.mp4");
 * console.log(reader.streams);
 * for await (const f of reader.video({ format: "rgb24", width: 320, height: 180 })) {
 *   console.log(f.pts, f.data.length);
 * }
 * ```
 */
export class MediaReader implements AsyncDisposable {
  readonly #src: MediaSource;
  readonly #opts: Required<MediaReaderOptions>;
  #streams: StreamInfo[] | null = null;
  #ids = new Map<number, number>();
  #stream: ReadableStream<Uint8Array> | null = null;
  #bytes: Uint8Array | null = null;
  #active: { close(): void } | null = null;
  #closed = false;
  #seekTo: number | null = null;

  /**
   * Creates a reader (nothing is opened until `streams` is read or frames are requested).
   * @param src A path, a URL (`http(s)://`, DASH/HLS manifests, `rtsp://`, ... as GPAC reads
   * them) or a `ReadableStream` of the file's bytes (read into memory by `open()`: GPAC
   * probes and seeks in its inputs).
   * @param options Decoding mode and default formats.
   */
  constructor(src: MediaSource, options: MediaReaderOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`MediaReader options: expected an object, got ${show(options)}`);
    }
    if (src instanceof ReadableStream) {
      if (src.locked) throw new TypeError("MediaReader: the ReadableStream is locked");
      this.#stream = src;
    } else if (!(src instanceof URL) && (typeof src !== "string" || src === "")) {
      throw new TypeError(
        `MediaReader: src must be a path, a URL or a ReadableStream, got ${show(src)}`,
      );
    }
    this.#src = src;
    this.#opts = {
      decode: options.decode !== false,
      videoFormat: videoFormat(options.videoFormat ?? "rgb24", "videoFormat"),
      audioFormat: audioFormat(options.audioFormat ?? "flt", "audioFormat"),
    };
  }

  #url(fios: FileIO[]): string {
    if (this.#bytes) {
      // GPAC opens the input several times (probing, then demuxing) and seeks in it: serve the
      // bytes read from the ReadableStream from memory
      const fio = new FileIO("input", new MemoryFileFactory(new Map([["input", this.#bytes]])));
      fios.push(fio);
      return fio.url;
    }
    const s = String(this.#src);
    return s.startsWith("file://") ? decodeURIComponent(new URL(s).pathname) : s;
  }

  /**
   * The streams of the source. Reading it the first time opens the source synchronously
   * (paths and URLs); for a `ReadableStream` source, `await reader.open()` first.
   */
  get streams(): StreamInfo[] {
    if (!this.#streams) {
      if (this.#src instanceof ReadableStream) {
        throw new GpacError(
          GF_BAD_PARAM,
          "the streams of a ReadableStream source are known after `await reader.open()`",
        );
      }
      this.#probe(true);
    }
    return this.#streams!.map((s) => ({ ...s }));
  }

  /** Opens the source and lists its streams (needed first for `ReadableStream` sources). */
  async open(): Promise<StreamInfo[]> {
    await this.#load();
    if (!this.#streams) await this.#probe(false);
    return this.streams;
  }

  /** Reads a ReadableStream source into memory (once). */
  async #load(): Promise<void> {
    const stream = this.#stream;
    if (!stream || this.#bytes) return;
    this.#checkOpen();
    this.#stream = null;
    this.#bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }

  #probe(sync: true): void;
  #probe(sync: false): Promise<void>;
  #probe(sync: boolean): void | Promise<void> {
    this.#checkOpen();
    const fios: FileIO[] = [];
    const fs = new FilterSession({ nonBlocking: true });
    const want: Want = { video: null, audio: null, only: null, decode: true };
    let sink: FrameSink;
    const finish = () => {
      this.#streams = sink.infos;
      this.#ids = sink.idMap;
      fs.close();
      for (const f of fios) f.close();
    };
    try {
      fs.loadSrc(this.#url(fios));
      sink = new FrameSink(fs, want, null, true);
      const driver = new SessionDriver(fs);
      // every PID is declared once the demuxer produced its first packets
      let seen = -1;
      let stable = 0;
      const ready = () => {
        if (sink.configured > 0 && sink.configured === seen) stable++;
        else stable = 0;
        seen = sink.configured;
        return stable > 20;
      };
      if (sync) {
        driver.untilSync(ready);
        finish();
        return;
      }
      return driver.until(ready).then(finish, (e) => {
        finish();
        throw e;
      });
    } catch (e) {
      fs.close();
      for (const f of fios) f.close();
      throw e;
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new GpacError(GF_BAD_PARAM, "MediaReader is closed");
    if (this.#active) {
      throw new GpacError(
        GF_BAD_PARAM,
        "MediaReader is already being read: finish (or break) the current loop first",
      );
    }
  }

  /**
   * Seeks: the next frame requested is the first at or after `seconds` (decoded frames), or
   * the keyframe before it (`decode: false`).
   */
  seek(seconds: number): void {
    if (typeof seconds !== "number" || !(seconds >= 0) || !Number.isFinite(seconds)) {
      throw new RangeError(`seek: expected seconds >= 0, got ${show(seconds)}`);
    }
    this.#seekTo = seconds;
  }

  /** Every stream, decoded to the reader's default formats (or packets with `decode: false`). */
  [Symbol.asyncIterator](): AsyncIterableIterator<MediaFrame> {
    this.#checkOpen();
    const o = this.#opts;
    return this.#read({
      video: { format: o.videoFormat },
      audio: { format: o.audioFormat },
      only: null,
      decode: o.decode,
    }, undefined);
  }

  /** One video stream, converted (pixel format, size) by GPAC, optionally re-timed to `fps`. */
  video(options: VideoReadOptions = {}): AsyncIterableIterator<VideoFrame> {
    this.#checkOpen();
    const format = videoFormat(options.format ?? "rgb24", "video format");
    for (const k of ["width", "height"] as const) {
      const v = options[k];
      if (v !== undefined && (!Number.isInteger(v) || v <= 0 || v > 1 << 16)) {
        throw new RangeError(`video ${k}: expected a positive integer, got ${show(v)}`);
      }
    }
    if (options.fps !== undefined && !(options.fps > 0 && options.fps <= 1000)) {
      throw new RangeError(`video fps: expected a number in (0, 1000], got ${show(options.fps)}`);
    }
    const only = this.#pick("video", options.stream);
    return this.#read(
      {
        video: { format, width: options.width, height: options.height },
        audio: null,
        only,
        decode: true,
      },
      options.fps,
    ) as AsyncIterableIterator<VideoFrame>;
  }

  /** One audio stream, converted (sample format, rate, channels) by GPAC. */
  audio(options: AudioReadOptions = {}): AsyncIterableIterator<AudioFrame> {
    this.#checkOpen();
    const format = audioFormat(options.format ?? "flt", "audio format");
    for (const k of ["sampleRate", "channels"] as const) {
      const v = options[k];
      if (v !== undefined && (!Number.isInteger(v) || v <= 0 || v > 768000)) {
        throw new RangeError(`audio ${k}: expected a positive integer, got ${show(v)}`);
      }
    }
    const only = this.#pick("audio", options.stream);
    return this.#read(
      {
        video: null,
        audio: { format, sampleRate: options.sampleRate, channels: options.channels },
        only,
        decode: true,
      },
      undefined,
    ) as AsyncIterableIterator<AudioFrame>;
  }

  /** The frames of `for await (... of reader)` as a `ReadableStream` (cancel it to stop). */
  frames(): ReadableStream<MediaFrame> {
    const it = this[Symbol.asyncIterator]();
    return new ReadableStream<MediaFrame>({
      async pull(ctl) {
        const r = await it.next();
        if (r.done) ctl.close();
        else ctl.enqueue(r.value.clone());
      },
      async cancel() {
        await it.return?.();
      },
    }, { highWaterMark: 0 });
  }

  #pick(kind: "video" | "audio", stream: number | undefined): number | null {
    if (this.#src instanceof ReadableStream && !this.#streams) {
      if (stream !== undefined) {
        throw new GpacError(GF_BAD_PARAM, "choose a stream of a ReadableStream after open()");
      }
      return null;
    }
    const list = this.streams;
    if (stream !== undefined) {
      const s = list[stream];
      if (!Number.isInteger(stream) || !s) {
        throw new RangeError(`unknown stream index ${show(stream)} (${list.length} streams)`);
      }
      if (s.type !== kind) throw new TypeError(`stream ${stream} is ${s.type}, not ${kind}`);
      return stream;
    }
    const s = list.find((x) => x.type === kind);
    if (!s) throw new GpacError(GF_NOT_SUPPORTED, `the source has no ${kind} stream`);
    return s.index;
  }

  async *#read(want: Want, fps: number | undefined): AsyncGenerator<MediaFrame> {
    this.#checkOpen();
    if (!this.#streams) {
      await this.#load();
      this.#probe(true);
    }
    // the probe numbered the PIDs; the reading session sees the same PID IDs
    const ids = new Map<number, number>();
    const fios: FileIO[] = [];
    const fs = new FilterSession({ nonBlocking: true });
    const release = () => {
      sink?.release();
      fs.close();
      for (const f of fios) f.close();
    };
    let sink: FrameSink | null = null;
    this.#active = { close: release };
    try {
      fs.loadSrc(this.#url(fios));
      for (const [k, v] of this.#ids) ids.set(k, v);
      sink = new FrameSink(fs, want, ids, false);
      const driver = new SessionDriver(fs);
      const s = sink;
      let held: FilterPid | null = null;
      let grid = -1; // next output time index for fps
      let lastVideo: VideoFrame | null = null;
      for (;;) {
        if (held) {
          held.dropPacket();
          held = null;
        }
        if (this.#seekTo !== null) {
          const t = this.#seekTo;
          this.#seekTo = null;
          s.seek(t);
          this.#skipBefore = want.decode ? t : -1;
          grid = -1;
          lastVideo = null;
        }
        // step the session only when no packet is waiting (no promise nor closure per frame
        // while the decoder is ahead)
        let pid = this.#head(s, false);
        if (!pid) {
          let extra = 0;
          await driver.until(() => this.#head(s, extra++ > 8) !== null);
          pid = this.#head(s, true);
        }
        if (!pid) break; // every stream ended
        const st = s.states.get(pid)!;
        const pck = pid.getPacket()!;
        held = pid;
        const frame = this.#frame(pid, st, pck, want);
        if (!frame || frame.pts < this.#skipBefore - 1e-6) continue;
        if (fps && frame.type === "video") {
          // repeat or drop frames so that timestamps fall on the 1/fps grid
          if (grid < 0) grid = Math.ceil(frame.pts * fps - 1e-6);
          const end = frame.pts + frame.duration;
          while ((grid / fps) < end - 1e-6) {
            lastVideo = { ...frame, pts: grid / fps, duration: 1 / fps };
            grid++;
            yield lastVideo;
          }
          continue;
        }
        yield frame;
      }
    } finally {
      this.#active = null;
      this.#skipBefore = -1;
      release();
    }
  }

  #skipBefore = -1;

  /**
   * The PID whose head packet comes first in time, or null. Unless `any`, waits until every
   * playing PID has a packet or ended (interleaving); `any` takes what is there.
   */
  #head(sink: FrameSink, any: boolean): FilterPid | null {
    let best: FilterPid | null = null;
    let bestT = Infinity;
    let missing = false;
    for (const [pid, st] of sink.states) {
      if (!st.playing || !pid.alive) continue;
      const pck = pid.getPacket();
      if (!pck) {
        if (!pid.eos) missing = true;
        continue;
      }
      const ts = pck.cts ?? pck.dts;
      const t = ts === null ? -Infinity : Number(ts) / (pck.timescale || 1);
      if (t < bestT || best === null) {
        best = pid;
        bestT = t;
      }
    }
    if (missing && !any) return null;
    return best;
  }

  #frame(pid: FilterPid, st: PidState, pck: FilterPacket, want: Want): MediaFrame | null {
    const scale = pck.timescale || pid.timescale || 1;
    const cts = pck.cts ?? pck.dts ?? 0;
    const pp = st.props;
    // "Delay": shift from composition to presentation time (edit list of B-frame streams)
    const delay = pp.delay;
    const pts = (Number(cts) + delay) / scale;
    const duration = pck.dur / scale;
    if (!want.decode) {
      const data = pck.data;
      const dts = (Number(pck.dts ?? cts) + delay) / scale;
      const p: EncodedPacket = {
        type: "packet",
        stream: st.index,
        pts,
        dts,
        duration,
        data,
        keyframe: pck.sap !== 0,
        codec: pp.codec,
        clone: () => ({ ...p, data: data.slice(), clone: p.clone }),
      };
      return p;
    }
    let bytes: Uint8Array;
    if (pck.frameIfce) {
      st.cache = pck.clone(st.cache ?? undefined);
      bytes = st.cache.data;
    } else {
      bytes = pck.data;
    }
    if (st.kind === "video" && want.video) {
      const format = want.video.format;
      if (pp.pixelFormat !== gpacPixelFormat(format)) return null;
      const { width, height } = pp;
      const size = videoFrameSize(format, width, height);
      if (bytes.byteLength !== size) bytes = this.#repack(st, bytes, format, width, height);
      const f: VideoFrame = {
        type: "video",
        stream: st.index,
        pts,
        duration,
        data: bytes,
        width,
        height,
        format,
        clone: () => {
          const c = { ...f, data: f.data.slice() };
          c.clone = () => ({ ...c, data: c.data.slice() });
          return c;
        },
      };
      return f;
    }
    if (st.kind === "audio" && want.audio) {
      const format = want.audio.format;
      if (pp.audioFormat !== gpacAudioFormat(format)) return null;
      const { sampleRate, channels } = pp;
      const bps = audioSampleBytes(format);
      if (bytes.byteOffset % bps) bytes = bytes.slice();
      const data = audioView(format, bytes);
      const f: AudioFrame = {
        type: "audio",
        stream: st.index,
        pts,
        duration,
        data,
        sampleRate,
        channels,
        samples: bytes.byteLength / (bps * channels),
        format,
        clone: () => {
          const c = { ...f, data: f.data.slice() };
          c.clone = () => ({ ...c, data: c.data.slice() });
          return c;
        },
      };
      return f;
    }
    return null;
  }

  /** Removes row padding (`Stride`) into a buffer reused for this PID. */
  #repack(
    st: PidState,
    src: Uint8Array,
    format: VideoFormat,
    width: number,
    height: number,
  ): Uint8Array {
    const size = videoFrameSize(format, width, height);
    const out = st.repack?.byteLength === size ? st.repack : (st.repack = new Uint8Array(size));
    const bpp = format === "rgb24" ? 3 : format === "gray" || format === "yuv420p" ||
        format === "nv12"
      ? 1
      : 4;
    const stride = st.props.stride || width * bpp;
    let o = 0;
    let i = 0;
    const rows = (n: number, rowBytes: number, srcStride: number) => {
      for (let r = 0; r < n; r++) {
        out.set(src.subarray(i + r * srcStride, i + r * srcStride + rowBytes), o);
        o += rowBytes;
      }
      i += n * srcStride;
    };
    rows(height, width * bpp, stride);
    if (format === "yuv420p" || format === "nv12") {
      const uv = st.props.strideUV || (format === "nv12" ? stride : stride / 2);
      const planes = format === "nv12" ? 1 : 2;
      const rowBytes = format === "nv12" ? width : width / 2;
      for (let p = 0; p < planes; p++) rows(height / 2, rowBytes, uv);
    }
    if (o !== size) {
      throw new GpacError(GF_BAD_PARAM, `unexpected ${format} frame layout (${src.byteLength} B)`);
    }
    return out;
  }

  /** Stops a loop in progress (its session is closed) and forbids further reads. */
  close(): void {
    this.#closed = true;
    const a = this.#active;
    this.#active = null;
    a?.close();
    this.#stream?.cancel().catch(() => {});
    this.#stream = null;
  }

  /** Same as {@link MediaReader.close} (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}
