/**
 * The streams of a {@link MediaWriter}: the options a user declares, the checked records the
 * writer keeps, and the GPAC filters each stream becomes (frame source, scaler or resampler,
 * encoder), with the codec rules those filters need.
 *
 * @module
 */

import { type FilterSession, Fraction, type PropValue } from "../mod.ts";
import {
  type AudioFormat,
  gpacAudioFormat,
  gpacPixelFormat,
  show,
  type VideoFormat,
} from "./formats.ts";
import { FrameSource } from "./source.ts";

/** Where a {@link MediaWriter} writes: a path, a URL GPAC can write, or a Web stream. */
export type MediaDestination = string | URL | WritableStream<Uint8Array>;

/** Options of {@link MediaWriter}. */
export interface MediaWriterOptions {
  /**
   * Container format, overriding the one chosen from the extension: `mp4`, `fmp4`
   * (fragmented MP4), `mov`, `ts`, `mkv`, `webm`, `flv`, `raw` (one elementary stream).
   * Without an extension, a `WritableStream` defaults to `fmp4`, an `rtmp://` URL to `flv`,
   * other URLs to `ts`.
   */
  format?: string;
  /**
   * Live output: fragmented MP4 (one fragment per second), and encoders in low-delay mode
   * (`ffenc`'s `low_delay`: no B-frames, x264 `ultrafast`/`zerolatency`).
   */
  live?: boolean;
}

/** Encoder options: FFmpeg/`ffenc` options such as `{ preset: "ultrafast", b: 2_000_000 }`. */
export type EncoderOptions = Record<string, string | number | boolean>;

/** A raw video input stream of a {@link MediaWriter}. */
export interface VideoStreamOptions {
  /** Frames per second (e.g. 25, 29.97). */
  fps: number;
  /** Width of the frames written, in pixels. */
  width: number;
  /** Height of the frames written, in pixels. */
  height: number;
  /** Pixel format of the frames written (default `rgb24`). */
  format?: VideoFormat;
  /** Encoder: a GPAC codec name (`avc`, `hevc`, `vp9`, ...) or an FFmpeg encoder name. */
  encoder?: string;
  /** Encoder options (FFmpeg/`ffenc` names). */
  encoderOptions?: EncoderOptions;
  /** Pixel format given to the encoder (GPAC or FFmpeg name, e.g. `yuv420`, `yuv444`). */
  encoderFormat?: string;
  /** Encoded width (scaled by GPAC's `ffsws`). */
  encoderWidth?: number;
  /** Encoded height. */
  encoderHeight?: number;
  /** Keyframe interval, in frames. */
  gop?: number;
}

/** A raw audio input stream of a {@link MediaWriter}. */
export interface AudioStreamOptions {
  /** Sample rate of the samples written, in Hz. */
  sampleRate: number;
  /** Channels of the samples written. */
  channels: number;
  /**
   * Sample format (default `flt`): interleaved (`u8`, `s16`, `s32`, `flt`, `dbl`) or planar
   * (`fltp`, ...: a chunk holds all samples of channel 0, then of channel 1, ...).
   */
  format?: AudioFormat;
  /** Encoder: a GPAC codec name (`aac`, `opus`, `mp3`, `flac`, ...) or an FFmpeg name. */
  encoder?: string;
  /** Encoder options. */
  encoderOptions?: EncoderOptions;
  /** Encoded sample rate (resampled by GPAC's `resample`). */
  encoderSampleRate?: number;
  /** Encoded channels. */
  encoderChannels?: number;
}

/** A declared video stream, its options checked. */
export interface VideoStream {
  kind: "video";
  opts:
    & Required<Pick<VideoStreamOptions, "fps" | "width" | "height" | "format">>
    & VideoStreamOptions;
  encoder: string;
  frameBytes: number;
  timescale: number;
  frameDur: number;
  /** Next timestamp without pts, in timescale units. */
  next: number;
  queued: number;
  src: FrameSource | null;
}

/** A declared audio stream, its options checked. */
export interface AudioStream {
  kind: "audio";
  opts:
    & Required<Pick<AudioStreamOptions, "sampleRate" | "channels" | "format">>
    & AudioStreamOptions;
  encoder: string;
  sampleBytes: number;
  next: number;
  queued: number;
  src: FrameSource | null;
}

/** A declared stream. */
export type Stream = VideoStream | AudioStream;

export function positiveInt(v: unknown, what: string, max = 1 << 16): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0 || v > max) {
    throw new RangeError(`${what}: expected an integer in 1..${max}, got ${show(v)}`);
  }
  return v;
}

/** How long close() waits for the encoders and the muxer to drain. */
export const FLUSH_TIMEOUT_MS = 60_000;

/**
 * Encoders whose time base must be 1/fps (MPEG-1/2 video and H.263 only code standard rates):
 * their pts are rounded to the 1/fps grid.
 */
export const CFR_CODECS = new Set(["m1v", "m2v", "m2vs", "mpeg1video", "mpeg2video", "h263"]);

/** Encoders whose time base denominator must fit 16 bits (MPEG-4 part 2). */
export const TB16_CODECS = new Set(["m4v", "m4ve", "cmp", "mpeg4", "libxvid"]);

/** Encoders given 4:2:0 input unless `encoderFormat` says otherwise. */
const YUV420_CODECS = new Set([
  "avc",
  "hevc",
  "vp8",
  "vp9",
  "av1",
  "libx264",
  "libx265",
  "libvpx",
  "libvpx-vp9",
]);

/** Samples per audio packet sent to GPAC (below every audio encoder's frame size). */
export const AUDIO_PACKET = 256;

/** fps as a fraction: integers, NTSC rates (n×1000/1001), else millihertz. */
export function fpsFraction(fps: number): [number, number] {
  if (Number.isInteger(fps)) return [fps, 1];
  const ntsc = (fps * 1001) / 1000;
  if (Math.abs(ntsc - Math.round(ntsc)) < 1e-3) return [Math.round(ntsc) * 1000, 1001];
  return [Math.round(fps * 1000), 1000];
}

export function optionString(opts: EncoderOptions | undefined, what: string): string {
  if (opts === undefined) return "";
  if (typeof opts !== "object" || opts === null) {
    throw new TypeError(`${what}: expected an object of options, got ${show(opts)}`);
  }
  let s = "";
  for (const [k, v] of Object.entries(opts)) {
    if (!/^[A-Za-z0-9_-]+$/.test(k)) throw new TypeError(`${what}: invalid option name "${k}"`);
    if (!["string", "number", "boolean"].includes(typeof v) || /[:=]/.test(String(v))) {
      throw new TypeError(`${what}.${k}: expected a value without ':' or '=', got ${show(v)}`);
    }
    s += v === true ? `:${k}` : `:${k}=${v}`;
  }
  return s;
}

export function extensionOf(path: string): string | null {
  const m = /\.([A-Za-z0-9]+)$/.exec(path.replace(/[?#].*$/, ""));
  return m ? m[1].toLowerCase() : null;
}

/** The frame source of a video stream: raw frames with its properties. */
export function videoSource(fs: FilterSession, s: VideoStream, i: number): FrameSource {
  const props: [string, PropValue][] = [
    ["StreamType", "Visual"],
    ["CodecID", "raw"],
    ["Width", s.opts.width],
    ["Height", s.opts.height],
    ["PixelFormat", gpacPixelFormat(s.opts.format)],
    ["Timescale", s.timescale],
    ["ID", i + 1],
  ];
  // no "FPS" unless the codec needs it: given a frame rate, ffenc sets the encoder's time
  // base to 1/fps for H.264, HEVC, MPEG-1/2 and VVC (and for other codecs whenever the
  // timescale is a multiple of the rate), which rounds every pts to that grid. Without it,
  // the time base is this timescale and per-frame pts reach the muxer unchanged; the
  // keyframe interval ffenc derived from the rate is given explicitly (see videoChain)
  if (CFR_CODECS.has(s.encoder)) {
    const [num, den] = fpsFraction(s.opts.fps);
    props.push(["FPS", new Fraction(num, den)]);
  }
  return new FrameSource(fs, `mw_video${i}`, props, 0);
}

/** The frame source of an audio stream. */
export function audioSource(fs: FilterSession, s: AudioStream, i: number): FrameSource {
  return new FrameSource(fs, `mw_audio${i}`, [
    ["StreamType", "Audio"],
    ["CodecID", "raw"],
    ["SampleRate", s.opts.sampleRate],
    ["NumChannels", s.opts.channels],
    ["AudioFormat", gpacAudioFormat(s.opts.format)],
    ["Timescale", s.opts.sampleRate],
    ["ID", i + 1],
  ], 0);
}

/** The filters between a video stream's source and the muxer (scaler, encoder). */
export function videoChain(s: VideoStream, live: boolean): string[] {
  const o = s.opts;
  const chain: string[] = [];
  if (o.encoderWidth !== undefined || o.encoderHeight !== undefined) {
    chain.push(`ffsws:osize=${o.encoderWidth ?? 0}x${o.encoderHeight ?? 0}`);
  }
  let enc = `ffenc:c=${s.encoder}`;
  // players expect 4:2:0: without it, gray or RGB input would make 4:0:0 / 4:4:4 streams
  const pfmt = o.encoderFormat ?? (YUV420_CODECS.has(s.encoder) ? "yuv420" : null);
  if (pfmt) enc += `:pfmt=${pfmt}`;
  // ffenc's default with a frame rate: one keyframe per second (fps.num / fps.den frames)
  const [num, den] = fpsFraction(o.fps);
  enc += `:g=${o.gop ?? Math.max(1, Math.floor(num / den))}`;
  if (live) enc += ":low_delay";
  chain.push(enc + optionString(o.encoderOptions, "encoderOptions"));
  return chain;
}

/** The filters between an audio stream's source and the muxer (resampler, encoder). */
export function audioChain(s: AudioStream): string[] {
  const o = s.opts;
  const chain: string[] = [];
  if (o.encoderSampleRate !== undefined || o.encoderChannels !== undefined) {
    chain.push(`resample:osr=${o.encoderSampleRate ?? 0}:och=${o.encoderChannels ?? 0}`);
  }
  chain.push(`ffenc:c=${s.encoder}${optionString(o.encoderOptions, "encoderOptions")}`);
  return chain;
}
