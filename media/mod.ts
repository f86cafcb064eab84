/**
 * Media I/O for application code: {@link MediaWriter} encodes frames given as typed arrays, {@link MediaReader} decodes files to frames (`for await`). Entry point `@deno-gpac/gpac/media`.
 *
 * @module
 */

export {
  type AudioStreamOptions,
  type EncoderOptions,
  type MediaDestination,
  MediaWriter,
  type MediaWriterOptions,
  type VideoStreamOptions,
} from "./writer.ts";
export {
  type AudioFrame,
  type AudioReadOptions,
  type EncodedPacket,
  type FrameBase,
  type MediaFrame,
  MediaReader,
  type MediaReaderOptions,
  type MediaSource,
  type StreamInfo,
  type VideoFrame,
  type VideoReadOptions,
} from "./reader.ts";
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
