/**
 * The sink filter behind {@link MediaReader}: it records the source's PIDs, negotiates the
 * wanted formats, sends PLAY, and keeps a task pending while the reader pulls packets.
 *
 * @module
 */

import {
  codecName,
  FilterCustom,
  FilterEvent,
  type FilterPacket,
  type FilterPid,
  type FilterSession,
  fourccToString,
  GF_CAPS_INPUT,
  GF_EOS,
  GF_FEVT_PLAY,
  GF_FEVT_STOP,
  GF_OK,
  type PropValue,
} from "../mod.ts";
import { type AudioFormat, gpacAudioFormat, gpacPixelFormat, type VideoFormat } from "./formats.ts";
import type { StreamInfo } from "./frames.ts";

export interface Want {
  video: { format: VideoFormat; width?: number; height?: number } | null;
  audio: { format: AudioFormat; sampleRate?: number; channels?: number } | null;
  /** Stream indexes to play (null: every stream of the wanted kinds). */
  only: number | null;
  decode: boolean;
}

export interface PidState {
  index: number;
  kind: "video" | "audio" | "other";
  playing: boolean;
  cache: FilterPacket | null;
  repack: Uint8Array | null;
  /**
   * The PID's properties a frame needs, read at each (re)configuration rather than per packet
   * (GPAC calls configurePid from getPacket() before handing out a packet with new ones).
   */
  props: PidProps;
}

interface PidProps {
  pixelFormat: string;
  audioFormat: string;
  width: number;
  height: number;
  stride: number;
  strideUV: number;
  sampleRate: number;
  channels: number;
  /** "Delay" (composition to presentation shift), in the PID timescale. */
  delay: number;
  codec: string;
}

function pidProps(pid: FilterPid): PidProps {
  return {
    pixelFormat: name(pid.getProp("PixelFormat")),
    audioFormat: name(pid.getProp("AudioFormat")),
    width: num(pid.getProp("Width")) ?? 0,
    height: num(pid.getProp("Height")) ?? 0,
    stride: num(pid.getProp("Stride")) ?? 0,
    strideUV: num(pid.getProp("StrideUV")) ?? 0,
    sampleRate: num(pid.getProp("SampleRate")) ?? 0,
    channels: num(pid.getProp("NumChannels")) ?? 0,
    delay: num(pid.getProp("Delay")) ?? 0,
    codec: codecOf(pid.getProp("CodecID")),
  };
}

function num(v: PropValue | null): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v && typeof v === "object" && "num" in v && "den" in v) {
    const d = Number(v.den);
    return d ? Number(v.num) / d : undefined;
  }
  return undefined;
}

function kindOf(v: PropValue | null): "video" | "audio" | "other" {
  return v === "Visual" ? "video" : v === "Audio" ? "audio" : "other";
}

function name(v: PropValue | null): string {
  return typeof v === "number" ? fourccToString(v) : String(v);
}

/** GPAC's short names that differ from the encoder names (`264` is AVC). */
const CODEC_ALIASES: Record<string, string> = { "264": "avc", "265": "hevc", hvc: "hevc" };

function codecOf(v: PropValue | null): string {
  const n = typeof v === "number" ? codecName(v) : String(v);
  return CODEC_ALIASES[n] ?? n;
}

/** The sink: records PIDs, asks for formats, sends PLAY; packets are read by the reader. */
export class FrameSink extends FilterCustom {
  readonly states = new Map<FilterPid, PidState>();
  infos: StreamInfo[] = [];
  /** PID ID → stream index, as numbered by a probe. */
  readonly idMap = new Map<number, number>();
  readonly #want: Want;
  readonly #ids: Map<number, number> | null;
  configured = 0;

  constructor(fs: FilterSession, want: Want, ids: Map<number, number> | null, probe: boolean) {
    super(fs, "media_reader");
    this.#want = want;
    this.#ids = ids;
    if (probe || !want.decode) {
      this.pushCap("StreamType", "Visual", GF_CAPS_INPUT);
      this.pushCap("StreamType", "Audio", GF_CAPS_INPUT);
      if (probe) this.pushCap("StreamType", "Text", GF_CAPS_INPUT);
    } else {
      if (want.video) this.pushCap("StreamType", "Visual", GF_CAPS_INPUT);
      if (want.audio) this.pushCap("StreamType", "Audio", GF_CAPS_INPUT);
      this.pushCap("CodecID", "raw", GF_CAPS_INPUT);
    }
  }

  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) {
      this.states.get(pid)?.cache?.discard();
      this.states.delete(pid);
      return GF_OK;
    }
    let st = this.states.get(pid);
    if (!st) {
      const id = num(pid.getProp("ID")) ?? this.states.size + 1;
      const index = this.#ids ? this.#ids.get(id) ?? -1 : this.infos.length;
      st = {
        index,
        kind: kindOf(pid.getProp("StreamType")),
        playing: false,
        cache: null,
        repack: null,
        props: pidProps(pid),
      };
      this.states.set(pid, st);
      this.configured++;
      if (!this.#ids) {
        this.idMap.set(id, index);
        this.infos.push(this.#info(pid, index, st.kind));
      }
    } else {
      st.props = pidProps(pid);
    }
    const w = this.#want;
    if (w.only !== null && st.index !== w.only) return GF_OK;
    if (w.decode && !this.#ids) return GF_OK; // probing
    if (w.decode && st.kind === "video" && w.video) {
      const v = w.video;
      const pf = gpacPixelFormat(v.format);
      if (name(pid.getProp("PixelFormat")) !== pf) pid.negotiateCap("PixelFormat", pf);
      if (v.width && pid.getProp("Width") !== v.width) pid.negotiateCap("Width", v.width);
      if (v.height && pid.getProp("Height") !== v.height) pid.negotiateCap("Height", v.height);
    } else if (w.decode && st.kind === "audio" && w.audio) {
      const a = w.audio;
      const af = gpacAudioFormat(a.format);
      if (name(pid.getProp("AudioFormat")) !== af) pid.negotiateCap("AudioFormat", af);
      if (a.sampleRate && pid.getProp("SampleRate") !== a.sampleRate) {
        pid.negotiateCap("SampleRate", a.sampleRate);
      }
      if (a.channels && pid.getProp("NumChannels") !== a.channels) {
        pid.negotiateCap("NumChannels", a.channels);
      }
    } else if (w.decode) {
      return GF_OK;
    }
    if (!st.playing) {
      st.playing = true;
      pid.sendEvent(new FilterEvent(GF_FEVT_PLAY));
    }
    return GF_OK;
  }

  #info(pid: FilterPid, index: number, type: StreamInfo["type"]): StreamInfo {
    const info: StreamInfo = { index, type, codec: codecOf(pid.getProp("CodecID")) };
    const dur = num(pid.getProp("Duration"));
    if (dur !== undefined) info.duration = dur;
    const nf = num(pid.getProp("NumFrames"));
    if (nf) info.frames = nf;
    if (type === "video") {
      info.width = num(pid.getProp("Width"));
      info.height = num(pid.getProp("Height"));
      const fps = num(pid.getProp("FPS"));
      if (fps) info.fps = fps;
    } else if (type === "audio") {
      info.sampleRate = num(pid.getProp("SampleRate"));
      info.channels = num(pid.getProp("NumChannels"));
    }
    return info;
  }

  /** Seeks every playing PID to `t` seconds. */
  seek(t: number): void {
    for (const [pid, st] of this.states) {
      if (!st.playing) continue;
      pid.sendEvent(new FilterEvent(GF_FEVT_STOP));
      const play = new FilterEvent(GF_FEVT_PLAY);
      play.play.startRange = t;
      pid.sendEvent(play);
    }
  }

  override process(): number {
    let active = false;
    for (const [pid, st] of this.states) if (st.playing && !pid.eos) active = true;
    if (this.states.size && !active) return GF_EOS;
    // keep a task pending while packets wait for the reader, so that the session is not
    // taken for finished when every filter is blocked on this sink. Immediate: the session
    // is only stepped while the reader waits for a frame (a delayed task would make GPAC
    // sleep between steps)
    this.reschedule(0);
    return GF_OK;
  }

  release(): void {
    for (const st of this.states.values()) {
      st.cache?.discard();
      st.cache = null;
    }
  }
}
