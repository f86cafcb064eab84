/**
 * Media I/O for application code: {@link MediaWriter} encodes frames given as typed arrays, {@link MediaReader} decodes files to frames (`for await`). Entry point `@deno-gpac/gpac/media`.
 *
 * @module
 */

export { MediaWriter } from "./writer.ts";
export type {
  AudioStreamOptions,
  EncoderOptions,
  MediaDestination,
  MediaWriterOptions,
  VideoStreamOptions,
} from "./streams.ts";
export { MediaReader } from "./reader.ts";
export type {
  AudioFrame,
  AudioReadOptions,
  EncodedPacket,
  FrameBase,
  MediaFrame,
  MediaReaderOptions,
  MediaSource,
  StreamInfo,
  VideoFrame,
  VideoReadOptions,
} from "./frames.ts";
export {
  type EncoderInfo,
  getAudioEncoders,
  getMuxers,
  getVideoEncoders,
  type MuxerInfo,
} from "./encoders.ts";
export {
  AUDIO_FORMATS,
  type AudioArrayOf,
  type AudioFormat,
  type InterleavedAudioFormat,
  type PlanarAudioFormat,
  type SampleArray,
  VIDEO_FORMATS,
  type VideoFormat,
} from "./formats.ts";
export { FrameSource, type SourceFrame } from "./source.ts";
