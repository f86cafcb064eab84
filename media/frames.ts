/**
 * The public types of {@link MediaReader}'s results and options: stream descriptions, read
 * options and the frames it yields.
 *
 * @module
 */

import type { AudioFormat, SampleArray, VideoFormat } from "./formats.ts";
/** Where a {@link MediaReader} reads from. */
export type MediaSource = string | URL | ReadableStream<Uint8Array>;

/** A stream of the source, as listed by {@link MediaReader.streams}. */
export interface StreamInfo {
  /** Index of the stream (the `stream` of its frames). */
  index: number;
  /** Kind of stream. */
  type: "video" | "audio" | "other";
  /** GPAC codec name (`avc`, `aac`, `raw`, ...). */
  codec: string;
  /** Width in pixels (video). */
  width?: number;
  /** Height in pixels (video). */
  height?: number;
  /** Frames per second (video), when known. */
  fps?: number;
  /** Sample rate in Hz (audio). */
  sampleRate?: number;
  /** Channels (audio). */
  channels?: number;
  /** Duration in seconds, when known. */
  duration?: number;
  /** Number of frames, when the container tells. */
  frames?: number;
}

/** Options of {@link MediaReader}. */
export interface MediaReaderOptions {
  /** false: yield compressed packets instead of decoded frames (default true). */
  decode?: boolean;
  /** Pixel format of the video frames of `for await (... of reader)` (default `rgb24`). */
  videoFormat?: VideoFormat;
  /** Sample format of its audio frames (default `flt`). */
  audioFormat?: AudioFormat;
}

/** Options of {@link MediaReader.video}. */
export interface VideoReadOptions {
  /** Pixel format of `data` (default `rgb24`). */
  format?: VideoFormat;
  /** Scaled width (GPAC's `ffsws`). */
  width?: number;
  /** Scaled height. */
  height?: number;
  /** Output frame rate: frames are repeated or dropped to fit it (timestamps on the grid). */
  fps?: number;
  /** Which video stream (its index in `streams`; default: the first video stream). */
  stream?: number;
}

/** Options of {@link MediaReader.audio}. */
export interface AudioReadOptions {
  /** Sample format of `data` (default `flt`). */
  format?: AudioFormat;
  /** Resampled rate (GPAC's `resample`). */
  sampleRate?: number;
  /** Remixed channel count. */
  channels?: number;
  /** Which audio stream (default: the first audio stream). */
  stream?: number;
}

/** What every frame and packet of a {@link MediaReader} carries. */
export interface FrameBase {
  /** Index of the stream in {@link MediaReader.streams}. */
  stream: number;
  /** Presentation time in seconds. */
  pts: number;
  /** Duration in seconds. */
  duration: number;
}

/**
 * A decoded video frame. `data` is only valid until the next frame is requested (it then
 * becomes empty): call `clone()` to keep the frame.
 */
export interface VideoFrame extends FrameBase {
  /** Kind of frame. */
  type: "video";
  /** The pixels, packed (no row padding), in `format`. */
  data: Uint8Array;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Pixel format. */
  format: VideoFormat;
  /** A copy that stays valid. */
  clone(): VideoFrame;
}

/** A decoded audio frame (same validity rule as {@link VideoFrame}). */
export interface AudioFrame extends FrameBase {
  /** Kind of frame. */
  type: "audio";
  /** The samples, in the typed array of `format` (interleaved, or planes one after another). */
  data: SampleArray;
  /** Sample rate in Hz. */
  sampleRate: number;
  /** Channels. */
  channels: number;
  /** Samples per channel. */
  samples: number;
  /** Sample format. */
  format: AudioFormat;
  /** A copy that stays valid. */
  clone(): AudioFrame;
}

/** A compressed packet (`{ decode: false }`; same validity rule as {@link VideoFrame}). */
export interface EncodedPacket extends FrameBase {
  /** Kind of frame. */
  type: "packet";
  /** The coded bytes. */
  data: Uint8Array;
  /** Decoding time in seconds. */
  dts: number;
  /** True for a random access point (keyframe). */
  keyframe: boolean;
  /** GPAC codec name. */
  codec: string;
  /** A copy that stays valid. */
  clone(): EncodedPacket;
}

/** What a reader yields. */
export type MediaFrame = VideoFrame | AudioFrame | EncodedPacket;
