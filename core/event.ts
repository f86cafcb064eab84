/**
 * Filter events (`GF_FilterEvent`): PLAY, STOP, SEEK, buffer requirements, quality switches …
 *
 * @module
 */

import {
  type EventCharacterLayout,
  type EventKeyLayout,
  EventLayout,
  type EventMouseLayout,
  type EventMoveLayout,
  type EventMtouchLayout,
  type EventShowLayout,
  type EventSizeLayout,
  type FevtAttachSceneLayout,
  type FevtBufferRequirementLayout,
  type FevtDashQualitySelectionLayout,
  FevtEventLayout,
  type FevtFileDeleteLayout,
  type FevtFragmentSizeLayout,
  type FevtNetworkHintLayout,
  type FevtNtpRefLayout,
  type FevtPlayLayout,
  type FevtQualitySwitchLayout,
  type FevtSegmentSizeLayout,
  type FevtSourceSeekLayout,
  type FevtTransportHintsLayout,
  type FevtVisibilityHintLayout,
  FilterEventLayout,
} from "../ffi/layouts.ts";
import { GF_FEVT_NAMES, GF_NOT_SUPPORTED } from "../ffi/constants.ts";
import { addressOf, u8 } from "../ffi/buffers.ts";
import { checkInt, describe } from "../ffi/checks.ts";
import { type StructView, structView } from "../ffi/struct.ts";
import { loadGpac } from "../ffi/library.ts";
import { GpacError } from "./errors.ts";

type M = typeof FilterEventLayout.members;
type U = typeof EventLayout.members;

/** Typed view on the PLAY / SET_SPEED / STOP payload. */
export type PlayEvent = StructView<typeof FevtPlayLayout>;
/** Typed view on the SOURCE_SEEK / SOURCE_SWITCH payload. */
export type SeekEvent = StructView<typeof FevtSourceSeekLayout, "sourceSwitch">;
/** Typed view on the SEGMENT_SIZE payload (GPAC ≥ 26.02 layout). */
export type SegmentSizeEvent = StructView<typeof FevtSegmentSizeLayout, "segUrl" | "base64Version">;
/** Typed view on the FRAGMENT_SIZE payload. */
export type FragmentSizeEvent = StructView<typeof FevtFragmentSizeLayout>;
/** Typed view on the ATTACH_SCENE payload. */
export type AttachSceneEvent = StructView<typeof FevtAttachSceneLayout>;
/** Typed view on the QUALITY_SWITCH payload. */
export type QualitySwitchEvent = StructView<typeof FevtQualitySwitchLayout>;
/** Typed view on the VISIBILITY_HINT payload. */
export type VisibilityHintEvent = StructView<typeof FevtVisibilityHintLayout>;
/** Typed view on the BUFFER_REQ payload. */
export type BufferReqEvent = StructView<typeof FevtBufferRequirementLayout>;
/** Typed view on the FILE_DELETE payload. */
export type FileDeleteEvent = StructView<typeof FevtFileDeleteLayout, "url">;
/** Typed view on the NTP_REF payload. */
export type NtpRefEvent = StructView<typeof FevtNtpRefLayout>;
/** Typed view on the TRANSPORT_HINTS payload (GPAC ≥ 26.02 layout). */
export type TransportHintsEvent = StructView<typeof FevtTransportHintsLayout>;
/** Typed view on the DASH_QUALITY_SELECT payload (GPAC ≥ 26.02). */
export type DashQualitySelectEvent = StructView<
  typeof FevtDashQualitySelectionLayout,
  "periodId" | "repId"
>;
/** Typed view on the NETWORK_HINT payload (GPAC ≥ 26.02). */
export type NetworkHintEvent = StructView<typeof FevtNetworkHintLayout>;
/** Typed views on the UI event (`GF_Event`) carried by a GF_FEVT_USER event. */
export interface UserEvent {
  /** `GF_EVENT_*` type. */
  eventType: number;
  /** Mouse events. */
  mouse: StructView<typeof EventMouseLayout>;
  /** Multitouch events. */
  mtouch: StructView<typeof EventMtouchLayout>;
  /** Key events. */
  key: StructView<typeof EventKeyLayout>;
  /** Text input events. */
  character: StructView<typeof EventCharacterLayout>;
  /** Window size events. */
  size: StructView<typeof EventSizeLayout>;
  /** Show/hide events. */
  show: StructView<typeof EventShowLayout>;
  /** Window move events. */
  move: StructView<typeof EventMoveLayout>;
}

/**
 * A filter event, owning its 136-byte native form. Build one to send (`new FilterEvent(
 * GF_FEVT_PLAY)`), or receive one in a custom filter's `processEvent`.
 *
 * @example
 * ```ts
 * import { FilterEvent, GF_FEVT_PLAY } from "@deno-gpac/gpac";
 * const evt = new FilterEvent(GF_FEVT_PLAY);
 * evt.play.startRange = 2.0;
 * evt.play.speed = 1.0;
 * ```
 */
export class FilterEvent {
  /** The native `GF_FilterEvent` bytes (pass as a `"buffer"` parameter). */
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly #dv: DataView;
  readonly #keep = new Map<string, Uint8Array>();
  readonly #views = new Map<string, unknown>();

  /**
   * Creates a zeroed event of the given type.
   * @param type `GF_FEVT_*` event type.
   * @param onPid Target PID handle (raw pointer or a PID object exposing `handle`), or null.
   */
  constructor(type: number, onPid: Deno.PointerValue | { handle: Deno.PointerValue } = null) {
    checkInt("FilterEvent type (a GF_FEVT_* value)", type, 1, 0xffffffff);
    if (
      onPid !== null && (typeof onPid !== "object" ||
        (Object.getPrototypeOf(onPid) !== null && !("handle" in onPid)))
    ) {
      throw new TypeError(
        `FilterEvent onPid: expected a FilterPid, a PID pointer or null, got ${describe(onPid)}`,
      );
    }
    this.bytes = u8(FilterEventLayout.size);
    this.#dv = new DataView(this.bytes.buffer);
    this.type = type;
    this.onPid = onPid && typeof onPid === "object" && "handle" in onPid
      ? onPid.handle
      : onPid as Deno.PointerValue;
  }

  /** Copies the event at `ptr` (an event lent by libgpac). */
  static fromNative(ptr: NonNullable<Deno.PointerValue>): FilterEvent {
    const e = new FilterEvent(1);
    Deno.UnsafePointerView.copyInto(ptr, e.bytes);
    return e;
  }

  /** `GF_FEVT_*` type. */
  get type(): number {
    return this.#dv.getUint32(0, true);
  }
  set type(t: number) {
    this.#dv.setUint32(0, checkInt("FilterEvent.type", t, 1, 0xffffffff), true);
  }

  /** GPAC's C name of the type, e.g. `GF_FEVT_PLAY`. */
  get typeName(): string {
    return GF_FEVT_NAMES[this.type] ?? `GF_FEVT_${this.type}`;
  }

  /** Raw `GF_FilterPid*` the event targets, or null. */
  get onPid(): Deno.PointerValue {
    return Deno.UnsafePointer.create(this.#dv.getBigUint64(8, true));
  }
  set onPid(p: Deno.PointerValue) {
    this.#dv.setBigUint64(8, addressOf(p), true);
  }

  #view<T>(key: string, make: () => T): T {
    let v = this.#views.get(key) as T | undefined;
    if (!v) {
      v = make();
      this.#views.set(key, v);
    }
    return v;
  }

  #member<K extends keyof M, S extends string = never>(
    key: K,
    strings: readonly S[] = [],
    since?: "26.02",
  ): StructView<M[K], S> {
    if (since && loadGpac().abi.major < 16) {
      throw new GpacError(
        GF_NOT_SUPPORTED,
        `event payload "${String(key)}" needs GPAC >= ${since}`,
      );
    }
    return this.#view(
      String(key),
      () => structView(FilterEventLayout.members[key], this.#dv, 0, this.#keep, strings),
    );
  }

  /** PLAY / SET_SPEED / STOP / PLAY_HINT payload. */
  get play(): PlayEvent {
    return this.#member("play");
  }
  /** SOURCE_SEEK / SOURCE_SWITCH payload. */
  get seek(): SeekEvent {
    return this.#member("seek", ["sourceSwitch"]);
  }
  /** SEGMENT_SIZE payload (layout of GPAC ≥ 26.02). */
  get segSize(): SegmentSizeEvent {
    return this.#member("segSize", ["segUrl", "base64Version"], "26.02");
  }
  /** FRAGMENT_SIZE payload. */
  get fragSize(): FragmentSizeEvent {
    return this.#member("fragSize");
  }
  /** ATTACH_SCENE / RESET_SCENE payload. */
  get attachScene(): AttachSceneEvent {
    return this.#member("attachScene");
  }
  /** QUALITY_SWITCH payload. */
  get qualitySwitch(): QualitySwitchEvent {
    return this.#member("qualitySwitch");
  }
  /** VISIBILITY_HINT payload. */
  get visibilityHint(): VisibilityHintEvent {
    return this.#member("visibilityHint");
  }
  /** BUFFER_REQ payload. */
  get bufferReq(): BufferReqEvent {
    return this.#member("bufferReq");
  }
  /** FILE_DELETE payload. */
  get fileDel(): FileDeleteEvent {
    return this.#member("fileDel", ["url"]);
  }
  /** NTP_REF payload. */
  get ntp(): NtpRefEvent {
    return this.#member("ntp");
  }
  /** TRANSPORT_HINTS payload (layout of GPAC ≥ 26.02). */
  get transportHints(): TransportHintsEvent {
    return this.#member("transportHints", [], "26.02");
  }
  /** DASH_QUALITY_SELECT payload (GPAC ≥ 26.02). */
  get dashSelect(): DashQualitySelectEvent {
    return this.#member("dashSelect", ["periodId", "repId"], "26.02");
  }
  /** NETWORK_HINT payload (GPAC ≥ 26.02). */
  get netHint(): NetworkHintEvent {
    return this.#member("netHint", [], "26.02");
  }

  /** UI event (`GF_Event`) of a GF_FEVT_USER event. */
  get user(): UserEvent {
    return this.#view("user", () => {
      const base = FevtEventLayout.eventOffset;
      const dv = this.#dv;
      const keep = this.#keep;
      const mk = <L extends U[keyof U]>(l: L) => structView(l, dv, base, keep);
      return {
        get eventType(): number {
          return dv.getUint8(base);
        },
        set eventType(t: number) {
          dv.setUint8(base, t);
        },
        mouse: mk(EventLayout.members.mouse),
        mtouch: mk(EventLayout.members.mtouch),
        key: mk(EventLayout.members.key),
        character: mk(EventLayout.members.character),
        size: mk(EventLayout.members.size),
        show: mk(EventLayout.members.show),
        move: mk(EventLayout.members.move),
      };
    });
  }

  /** Short description for logs. */
  toString(): string {
    return `FilterEvent(${this.typeName})`;
  }
}
