/**
 * What libgpac says about the qualities of a DASH/HLS group (a leaf module: the group and the
 * algorithm types both use it).
 *
 * @module
 */

import type { Fraction } from "../core/props.ts";

/** A spatial relationship description (SRD) of a group: where its tile sits in the full frame. */
export interface DASHSRD {
  /** SRD source ID. */
  readonly id: number;
  /** Horizontal position of the tile. */
  readonly x: number;
  /** Vertical position of the tile. */
  readonly y: number;
  /** Width of the tile. */
  readonly w: number;
  /** Height of the tile. */
  readonly h: number;
  /** Width of the full frame, in the same unit as `x`/`w`. */
  readonly fullWidth: number;
  /** Height of the full frame, in the same unit as `y`/`h`. */
  readonly fullHeight: number;
}

/**
 * One quality (DASH Representation, HLS variant) of a DASH group, as libgpac describes
 * it (`GF_DASHQualityInfo`). A snapshot: read it again from the group for fresh values of
 * `disabled` and `isSelected`.
 */
export interface DASHQualityInfo {
  /** Index of this quality in its group (qualities are sorted by increasing bandwidth). */
  readonly index: number;
  /** Declared bandwidth in bits per second. */
  readonly bandwidth: number;
  /** Representation ID, or null. */
  readonly id: string | null;
  /** MIME type, e.g. `video/mp4`, or null. */
  readonly mime: string | null;
  /** RFC 6381 codec string, e.g. `avc1.64001E`, or null. */
  readonly codec: string | null;
  /** Video width (0 for audio). */
  readonly width: number;
  /** Video height (0 for audio). */
  readonly height: number;
  /** True for interlaced video. */
  readonly interlaced: boolean;
  /** Frame rate, or null when not declared. */
  readonly fps: Fraction | null;
  /** Sample aspect ratio, or null when not declared. */
  readonly sar: Fraction | null;
  /** Audio sample rate (0 for video). */
  readonly sampleRate: number;
  /** Audio channel count (0 for video). */
  readonly nbChannels: number;
  /** True when the client disabled this quality. */
  readonly disabled: boolean;
  /** True when this is the quality currently fetched for the group. */
  readonly isSelected: boolean;
  /** Availability time offset in seconds (low-latency DASH), 0 if none. */
  readonly astOffset: number;
  /** Average segment duration as declared in the manifest (in its timescale), 0 if unknown. */
  readonly averageDuration: number;
  /**
   * URL of the HLS variant playlist of this quality, or null (DASH; and GPAC 2.4, whose
   * quality info has no such field).
   */
  readonly hlsVariantUrl: string | null;
  /**
   * Number of segments in a sequence for segment-sequence representations (SSR), else 0 (always
   * 0 with GPAC 2.4, whose quality info has no such field).
   */
  readonly ssr: number;
  /**
   * Sizes in bytes of the segments, when the manifest lists byte ranges (e.g. an on-demand
   * profile with a segment index); null otherwise.
   */
  readonly segmentSizes: readonly number[] | null;
}
