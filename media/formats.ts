/**
 * Raw sample formats of {@link MediaWriter} and {@link MediaReader}: pixel and audio sample
 * formats by their common (FFmpeg/PyAV) names, with GPAC's name, the typed array holding the
 * samples and the frame size.
 *
 * @module
 */

/** Pixel formats accepted for raw video frames. */
export type VideoFormat = "rgb24" | "rgba" | "bgra" | "gray" | "yuv420p" | "nv12";

/** Interleaved audio sample formats. */
export type InterleavedAudioFormat = "u8" | "s16" | "s32" | "flt" | "dbl";
/** Planar audio sample formats (one plane per channel, one after the other). */
export type PlanarAudioFormat = "u8p" | "s16p" | "s32p" | "fltp" | "dblp";
/** Audio sample formats accepted for raw audio. */
export type AudioFormat = InterleavedAudioFormat | PlanarAudioFormat;

/** Typed arrays holding raw samples. */
export type SampleArray =
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** The typed array used for each audio format. */
export interface AudioArrayOf {
  /** Unsigned 8-bit samples. */
  u8: Uint8Array;
  /** Planar unsigned 8-bit samples. */
  u8p: Uint8Array;
  /** Signed 16-bit samples. */
  s16: Int16Array;
  /** Planar signed 16-bit samples. */
  s16p: Int16Array;
  /** Signed 32-bit samples. */
  s32: Int32Array;
  /** Planar signed 32-bit samples. */
  s32p: Int32Array;
  /** 32-bit float samples. */
  flt: Float32Array;
  /** Planar 32-bit float samples. */
  fltp: Float32Array;
  /** 64-bit float samples. */
  dbl: Float64Array;
  /** Planar 64-bit float samples. */
  dblp: Float64Array;
}

type ArrayCtor =
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

interface VideoInfo {
  gpac: string;
  /** Frame size in bytes. */
  size(w: number, h: number): number;
  /** Subsampled chroma: width and height must be even. */
  even: boolean;
}

const VIDEO: Record<VideoFormat, VideoInfo> = {
  rgb24: { gpac: "rgb", size: (w, h) => w * h * 3, even: false },
  rgba: { gpac: "rgba", size: (w, h) => w * h * 4, even: false },
  bgra: { gpac: "bgra", size: (w, h) => w * h * 4, even: false },
  gray: { gpac: "grey", size: (w, h) => w * h, even: false },
  yuv420p: { gpac: "yuv420", size: (w, h) => (w * h * 3) / 2, even: true },
  nv12: { gpac: "nv12", size: (w, h) => (w * h * 3) / 2, even: true },
};

interface AudioInfo {
  gpac: string;
  bytes: number;
  planar: boolean;
  array: ArrayCtor;
}

const AUDIO: Record<AudioFormat, AudioInfo> = {
  u8: { gpac: "u8", bytes: 1, planar: false, array: Uint8Array },
  s16: { gpac: "s16", bytes: 2, planar: false, array: Int16Array },
  s32: { gpac: "s32", bytes: 4, planar: false, array: Int32Array },
  flt: { gpac: "flt", bytes: 4, planar: false, array: Float32Array },
  dbl: { gpac: "dbl", bytes: 8, planar: false, array: Float64Array },
  u8p: { gpac: "u8p", bytes: 1, planar: true, array: Uint8Array },
  s16p: { gpac: "s16p", bytes: 2, planar: true, array: Int16Array },
  s32p: { gpac: "s32p", bytes: 4, planar: true, array: Int32Array },
  fltp: { gpac: "fltp", bytes: 4, planar: true, array: Float32Array },
  dblp: { gpac: "dblp", bytes: 8, planar: true, array: Float64Array },
};

/** Every pixel format name accepted. */
export const VIDEO_FORMATS: readonly VideoFormat[] = Object.keys(VIDEO) as VideoFormat[];
/** Every audio sample format name accepted. */
export const AUDIO_FORMATS: readonly AudioFormat[] = Object.keys(AUDIO) as AudioFormat[];

/** @ignore Checks a pixel format name; throws a TypeError listing the accepted ones. */
export function videoFormat(f: unknown, what = "format"): VideoFormat {
  if (typeof f !== "string" || !(f in VIDEO)) {
    throw new TypeError(`${what}: expected one of ${VIDEO_FORMATS.join(", ")}, got ${show(f)}`);
  }
  return f as VideoFormat;
}

/** @ignore Checks an audio format name; throws a TypeError listing the accepted ones. */
export function audioFormat(f: unknown, what = "format"): AudioFormat {
  if (typeof f !== "string" || !(f in AUDIO)) {
    throw new TypeError(`${what}: expected one of ${AUDIO_FORMATS.join(", ")}, got ${show(f)}`);
  }
  return f as AudioFormat;
}

/** GPAC's name of a pixel format (`rgb24` → `rgb`). */
export function gpacPixelFormat(f: VideoFormat): string {
  return VIDEO[f].gpac;
}

/** GPAC's name of an audio format. */
export function gpacAudioFormat(f: AudioFormat): string {
  return AUDIO[f].gpac;
}

/** Size in bytes of one frame of `width`×`height` pixels in format `f`. */
export function videoFrameSize(f: VideoFormat, width: number, height: number): number {
  return VIDEO[f].size(width, height);
}

/** True if `f` subsamples chroma (width and height must then be even). */
export function needsEvenSize(f: VideoFormat): boolean {
  return VIDEO[f].even;
}

/** Bytes per audio sample (one channel) in format `f`. */
export function audioSampleBytes(f: AudioFormat): number {
  return AUDIO[f].bytes;
}

/** True for planar audio formats. */
export function isPlanar(f: AudioFormat): boolean {
  return AUDIO[f].planar;
}

/** Name of the typed array holding samples of audio format `f` (`Float32Array` ...). */
export function audioArrayName(f: AudioFormat): string {
  return AUDIO[f].array.name;
}

/** @ignore A typed array of audio format `f` over `bytes` (no copy; `bytes` must be aligned). */
export function audioView<F extends AudioFormat>(f: F, bytes: Uint8Array): AudioArrayOf[F] {
  const A = AUDIO[f].array;
  return new A(
    bytes.buffer as ArrayBuffer,
    bytes.byteOffset,
    bytes.byteLength / A.BYTES_PER_ELEMENT,
  ) as AudioArrayOf[F];
}

/**
 * @ignore The bytes of `data`, checking that its type suits audio format `f` (`Uint8Array` for
 * `u8`, `Int16Array` for `s16`, ...; a `Uint8Array` of raw bytes is also accepted).
 */
export function audioBytes(f: AudioFormat, data: unknown, what: string): Uint8Array {
  const A = AUDIO[f].array;
  if (data instanceof A || data instanceof Uint8Array) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  throw new TypeError(
    `${what}: format ${f} takes a ${A.name} (or its bytes as a Uint8Array), got ${show(data)}`,
  );
}

/** @ignore The bytes of a video frame buffer (`Uint8Array` or `Uint8ClampedArray`). */
export function videoBytes(data: unknown, what: string): Uint8Array {
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  throw new TypeError(`${what}: video frames are a Uint8Array, got ${show(data)}`);
}

/** @ignore A short description of a value for error messages. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.byteLength} bytes)`;
  if (typeof v === "object") return v.constructor?.name ?? "object";
  return `${typeof v} ${String(v)}`;
}
