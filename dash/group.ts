/**
 * `DASHGroup`: a live, read-only view of one adaptation group of GPAC's DASH/HLS client.
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { readCString, u32s, u8 } from "../ffi/buffers.ts";
import type { DashLayoutSet } from "../ffi/layouts.ts";
import { readStruct } from "../ffi/struct.ts";
import { GF_BAD_PARAM } from "../ffi/constants.ts";
import { GpacError } from "../core/errors.ts";
import { Fraction } from "../core/props.ts";
import type { Filter } from "../core/filter.ts";
import type { DASHQualityInfo, DASHSRD } from "./quality.ts";

/** Bytes handed to `gf_dash_group_get_quality_info`, larger than any known `sizeof`. */
const QUALITY_BUF_SIZE = 512;

/** @internal What a group needs from the binding that created it. */
export interface GroupContext {
  /** The `GF_DashClient*`; throws when the binding or its filter is gone. */
  dash(): NonNullable<Deno.PointerValue>;
  /** Bumped by the binding on every callback: cached qualities older than this are re-read. */
  generation(): number;
  /** Struct layouts of the loaded ABI. */
  readonly layouts: DashLayoutSet;
  /** The dashin filter. */
  readonly filter: Filter;
}

/** @internal Symbol key of a group's internal hooks. */
export const GROUP: unique symbol = Symbol("deno-gpac.dash.group");

/**
 * One adaptation group of the DASH/HLS client (a DASH AdaptationSet or an HLS set of variant
 * streams) for the current period. Given to {@link DASHAlgorithm} callbacks; the same group is
 * always the same object, so it can be a `Map` key, and `udta` is free for your own state.
 *
 * Values are read from libgpac when you access them. The group becomes invalid when its period
 * ends (`onPeriodReset(DASH_PERIOD_END)`), when the algorithm is unbound or when the filter is
 * destroyed; using it afterwards throws a `GF_BAD_PARAM` {@link GpacError}.
 */
export class DASHGroup {
  /** 0-based index of the group in the DASH client (the `group_idx` of libgpac). */
  readonly idx: number;
  /** Free slot for the algorithm's per-group state. */
  udta: unknown = undefined;
  readonly #ctx: GroupContext;
  #valid = true;
  #cache: readonly DASHQualityInfo[] | null = null;
  #cacheGeneration = -1;

  /** @ignore Internal hooks of the binding. */
  readonly [GROUP]: { invalidate(): void };

  /** @internal Groups are created by the binding. */
  constructor(ctx: GroupContext, idx: number) {
    this.#ctx = ctx;
    this.idx = idx;
    this[GROUP] = {
      invalidate: () => {
        this.#valid = false;
        this.#cache = null;
      },
    };
  }

  #dash(): NonNullable<Deno.PointerValue> {
    if (!this.#valid) {
      throw new GpacError(
        GF_BAD_PARAM,
        `DASH group ${this.idx} is no longer valid (its period ended or the algorithm was unbound)`,
      );
    }
    return this.#ctx.dash();
  }

  /** False once the group's period ended, the algorithm was unbound or the filter destroyed. */
  get valid(): boolean {
    if (!this.#valid) return false;
    try {
      this.#ctx.dash();
      return true;
    } catch {
      return false;
    }
  }

  /** The `dashin` filter this group belongs to. */
  get filter(): Filter {
    return this.#ctx.filter;
  }

  /** Number of qualities in the group. */
  get nbQualities(): number {
    return gpacSymbols().gf_dash_group_get_num_qualities(this.#dash(), this.idx);
  }

  /**
   * The qualities of the group, sorted by increasing bandwidth: index `i` here is the quality
   * index `onRateAdaptation` returns. Read once per callback (or once per access outside of
   * callbacks) and then cached.
   */
  get qualities(): readonly DASHQualityInfo[] {
    const dash = this.#dash();
    const gen = this.#ctx.generation();
    if (this.#cache && this.#cacheGeneration === gen && gen >= 0) return this.#cache;
    const s = gpacSymbols();
    const n = s.gf_dash_group_get_num_qualities(dash, this.idx);
    const out: DASHQualityInfo[] = [];
    const buf = u8(QUALITY_BUF_SIZE);
    for (let q = 0; q < n; q++) {
      buf.fill(0);
      const e = s.gf_dash_group_get_quality_info(dash, this.idx, q, buf);
      if (e < 0) throw new GpacError(e, `cannot read quality ${q} of DASH group ${this.idx}`);
      out.push(Object.freeze(this.#readQuality(buf, q)));
    }
    this.#cache = Object.freeze(out);
    // outside of callbacks (generation -1) nothing tells when values change: never cache
    this.#cacheGeneration = gen;
    return this.#cache;
  }

  #readQuality(buf: Uint8Array<ArrayBuffer>, index: number): DASHQualityInfo {
    const L = this.#ctx.layouts;
    const v = readStruct(L.qualityInfo, new DataView(buf.buffer));
    return {
      index,
      bandwidth: v.bandwidth,
      id: readCString(v.id),
      mime: readCString(v.mime),
      codec: readCString(v.codec),
      width: v.width,
      height: v.height,
      interlaced: v.interlaced,
      fps: v.fpsNum ? new Fraction(v.fpsNum, v.fpsDen || 1) : null,
      sar: v.parNum && v.parDen ? new Fraction(v.parNum, v.parDen) : null,
      sampleRate: v.sampleRate,
      nbChannels: v.nbChannels,
      disabled: v.disabled,
      isSelected: v.isSelected,
      astOffset: v.astOffset,
      averageDuration: v.averageDuration,
      hlsVariantUrl: readCString(v.hlsVariantUrl),
      ssr: v.ssr,
      segmentSizes: this.#segmentSizes(v.segUrls),
    };
  }

  #segmentSizes(list: Deno.PointerValue): number[] | null {
    if (!list) return null;
    const s = gpacSymbols();
    const L = this.#ctx.layouts;
    const n = s.gf_list_count(list);
    const sizes: number[] = [];
    for (let i = 0; i < n; i++) {
      const item = s.gf_list_get(list, i);
      if (!item) return null;
      const range = new Deno.UnsafePointerView(item).getPointer(
        L.segmentUrl.fields.mediaRange.offset,
      );
      if (!range) return null; // a segment without byte range: sizes unknown
      const rv = new Deno.UnsafePointerView(range);
      const start = rv.getBigUint64(L.byteRange.fields.startRange.offset);
      const end = rv.getBigUint64(L.byteRange.fields.endRange.offset);
      sizes.push(Number(end - start + 1n));
    }
    return sizes;
  }

  /** Index of the quality currently fetched (live value). */
  get activeQuality(): number {
    return gpacSymbols().gf_dash_group_get_active_quality(this.#dash(), this.idx);
  }

  /** Duration of the current period in milliseconds (0 if unknown, e.g. live). */
  get duration(): number {
    return Number(gpacSymbols().gf_dash_get_period_duration(this.#dash()));
  }

  /** Average segment duration of the group in milliseconds (0 if unknown). */
  get segmentDuration(): number {
    const d = u32s(2);
    const e = gpacSymbols().gf_dash_group_get_segment_duration(
      this.#dash(),
      this.idx,
      d.subarray(0, 1),
      d.subarray(1, 2),
    );
    if (e < 0 || !d[1]) return 0;
    return (d[0] * 1000) / d[1];
  }

  /** The manifest's AdaptationSet ID, or -1 when it has none. */
  get asId(): number {
    return gpacSymbols().gf_dash_group_get_as_id(this.#dash(), this.idx);
  }

  /** Language of the group (e.g. `en`), or null. */
  get language(): string | null {
    return readCString(gpacSymbols().gf_dash_group_get_language(this.#dash(), this.idx));
  }

  /** The group's spatial relationship (tiled content), or null when it has none. */
  get srd(): DASHSRD | null {
    const o = u32s(7);
    const ok = gpacSymbols().gf_dash_group_get_srd_info(
      this.#dash(),
      this.idx,
      o.subarray(0, 1),
      o.subarray(1, 2),
      o.subarray(2, 3),
      o.subarray(3, 4),
      o.subarray(4, 5),
      o.subarray(5, 6),
      o.subarray(6, 7),
    );
    if (!ok || !o[5] || !o[6]) return null;
    return Object.freeze({
      id: o[0],
      x: o[1],
      y: o[2],
      w: o[3],
      h: o[4],
      fullWidth: o[5],
      fullHeight: o[6],
    });
  }

  /** True when the client plays an HLS playlist rather than a DASH manifest. */
  get isHls(): boolean {
    return gpacSymbols().gf_dash_is_m3u8(this.#dash()) !== 0;
  }

  /** True for a dynamic (live) presentation. */
  get isDynamic(): boolean {
    return gpacSymbols().gf_dash_is_dynamic_mpd(this.#dash()) !== 0;
  }

  /** Minimum buffer time announced by the manifest, in milliseconds. */
  get minBufferTime(): number {
    return gpacSymbols().gf_dash_get_min_buffer_time(this.#dash());
  }

  /** `DASHGroup(idx)`, for logs. */
  toString(): string {
    return `DASHGroup(${this.idx}${this.#valid ? "" : ", invalid"})`;
  }
}
