/**
 * Seamless loops of a compressed file, without decoding: GPAC's `flist` replays the file
 * (`floop`), and {@link LoopStamper} rewrites the timestamps of every replay so that the
 * timeline stays continuous and audio/video stay aligned forever.
 *
 * What `flist` alone gets wrong: it starts every replay at the previous replay's end rounded to
 * each stream's timescale, so the rounding error accumulates (a 2 s clip with 25 fps video and
 * AAC drifts by 3.4 ms per loop: 0.34 s after 100 loops). {@link LoopStamper} computes the
 * loop period once, exactly (the longest stream's decode duration), and starts replay `k` of
 * each stream on that stream's frame grid nearest to `k × period`, never before the end of the
 * previous replay: no overlap, at most one frame of gap on the shorter streams, and audio and
 * video within half a frame of each other at every seam, however many loops.
 *
 * @module
 */

import {
  codecName,
  type Filter,
  FilterCustom,
  type FilterPid,
  FilterSession,
  Fraction64,
  GF_BAD_PARAM,
  GF_CAPS_INPUT_OUTPUT,
  GpacError,
} from "../mod.ts";

/** One stream of a probed clip. */
export interface ClipTrack {
  /** Track/stream ID (`ID` property), or null. */
  id: number | null;
  /** `"Visual"`, `"Audio"`, ... */
  streamType: string;
  /** Codec name, upper case (`"AVC"`, `"HEVC"`, `"AAC"`, ...). */
  codec: string;
  /** Number of frames (samples) in the clip, or null when the container does not say. */
  frames: number | null;
  /** Timescale of the stream. */
  timescale: number;
  /** Presentation duration in seconds, or null. */
  duration: number | null;
}

/** What {@link probeClip} learned about a file. */
export interface ClipInfo {
  /** The file. */
  path: string;
  /** Its streams. */
  tracks: ClipTrack[];
}

/** Codec name whether GPAC gives the codec ID as a number or a name. */
function codecLabel(v: unknown): string {
  const n = (typeof v === "number" ? codecName(v) : String(v)).toUpperCase();
  return ({ "264": "AVC", H264: "AVC", "265": "HEVC", H265: "HEVC" } as Record<string, string>)[
    n
  ] ??
    n;
}

function toNum(v: unknown): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return null;
}

/**
 * Reads the streams of a media file without decoding (codec, frame count, timescale,
 * duration). Only the headers are read for MP4 files.
 * @param path Local file or URL.
 */
export function probeClip(path: string): ClipInfo {
  if (typeof path !== "string" || path.length === 0) {
    throw new TypeError(`probeClip: expected a file path, got ${String(path)}`);
  }
  using fs = new FilterSession({ nonBlocking: true });
  const src = fs.loadSrc(path);
  const sink = fs.load("inspect:deep=0:log=null:analyze=off");
  sink.setSource(src);
  let dmx: Filter | undefined;
  for (let i = 0; i < 500; i++) {
    let err = 0;
    try {
      err = fs.run();
    } catch (e) {
      throw new GpacError(GF_BAD_PARAM, `cannot probe ${path}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    dmx = fs.filters.find((f) => f.alive && f !== src && f !== sink && f.nbOpid > 0);
    if (dmx && dmx.opidProp(0, "StreamType") !== null && sink.nbIpid >= dmx.nbOpid) break;
    if (err !== 0) break;
  }
  if (!dmx || dmx.nbOpid === 0) {
    throw new GpacError(GF_BAD_PARAM, `cannot probe ${path}: no stream found`);
  }
  const tracks: ClipTrack[] = [];
  for (let i = 0; i < dmx.nbOpid; i++) {
    const dur = dmx.opidProp(i, "Duration");
    tracks.push({
      id: toNum(dmx.opidProp(i, "ID")),
      streamType: String(dmx.opidProp(i, "StreamType")),
      codec: codecLabel(dmx.opidProp(i, "CodecID")),
      frames: toNum(dmx.opidProp(i, "NumFrames")),
      timescale: toNum(dmx.opidProp(i, "Timescale")) ?? 1000,
      duration: dur instanceof Fraction64 && Number(dur.den) > 0
        ? Number(dur.num) / Number(dur.den)
        : null,
    });
  }
  return { path, tracks };
}

interface StampState {
  /** Frames per replay, or null (pass through unchanged). */
  frames: number | null;
  /** Packets seen. */
  n: number;
  /** First decode timestamp of replay 0 (ticks). */
  origin: number;
  /** End of replay 0 (last DTS + duration, ticks). */
  end0: number;
  /** Duration of one frame (ticks), from the packets of replay 0. */
  frameDur: number;
  /** First input DTS of the current replay, as flist stamped it. */
  loopStartIn: number;
  /** Output start of the current replay, relative to origin (ticks). */
  loopStartOut: number;
  /** Current replay index. */
  k: number;
}

/**
 * Pass-through filter placed after `flist:floop=N`: rewrites the timestamps of each replay on
 * a drift-free timeline (see the module documentation). Streams whose frame count is unknown
 * pass through with `flist`'s own timestamps.
 */
export class LoopStamper extends FilterCustom {
  readonly #frames: Map<string, number | null>;
  #period: number | null = null;
  /** Loop period in seconds, known once replay 0 of every stream went through. */
  get period(): number | null {
    return this.#period;
  }
  /** Highest replay index seen so far (0-based). */
  loop = 0;

  /**
   * Creates the stamper.
   * @param fs The session.
   * @param clip The probed clip (frames per replay of each stream).
   */
  constructor(fs: FilterSession, clip: ClipInfo) {
    // live pushes pace right after the stamper: it asks upstream for no read-ahead either
    super(fs, "loopstamp", { inputBuffer: 0 });
    this.#frames = new Map();
    for (const t of clip.tracks) this.#frames.set(LoopStamper.#key(t.id, t.streamType), t.frames);
    for (const t of ["Visual", "Audio", "Text"]) {
      this.pushCap("StreamType", t, GF_CAPS_INPUT_OUTPUT);
    }
  }

  static #key(id: number | null, streamType: string): string {
    return `${id ?? "-"}|${streamType}`;
  }

  /** Mirrors each input PID to an output PID. */
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) {
      pid.opid?.remove();
      return 0;
    }
    // flist reconfigures its PIDs at every replay: pass that on only when the decoder
    // configuration changed, so that the muxer does not restart the stream at each seam
    const cfg = pid.getProp("DecoderConfig");
    const key = cfg instanceof Uint8Array ? cfg.join(",") : String(cfg);
    const st0 = pid.udta as (StampState & { cfg?: string }) | undefined;
    if (!pid.opid || !st0 || st0.cfg !== key) this.mirrorPid(pid);
    if (st0) st0.cfg = key;
    if (!pid.udta) {
      const key = LoopStamper.#key(toNum(pid.getProp("ID")), String(pid.getProp("StreamType")));
      const frames = this.#frames.get(key) ?? null;
      pid.udta = {
        frames: frames && frames > 0 ? frames : null,
        n: 0,
        origin: 0,
        end0: 0,
        frameDur: 0,
        loopStartIn: 0,
        loopStartOut: 0,
        k: 0,
        cfg: key,
      } satisfies StampState & { cfg: string };
    }
    return 0;
  }

  /** The period, once every stamped stream finished replay 0. */
  #computePeriod(): number | null {
    if (this.#period !== null) return this.#period;
    let p = 0;
    for (const pid of this.ipids) {
      const st = pid.udta as StampState | undefined;
      if (!st || st.frames === null) continue;
      if (st.n < st.frames) return null;
      p = Math.max(p, (st.end0 - st.origin) / (pid.timescale || 1));
    }
    this.#period = p;
    return p;
  }

  /** Forwards the queued packets (see the class documentation). */
  override process(): number {
    for (const pid of this.ipids) {
      const opid = pid.opid;
      const st = pid.udta as StampState | undefined;
      if (!opid || !st) continue;
      const scale = pid.timescale || 1;
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        if (st.frames === null) {
          opid.forward(pck);
          pid.dropPacket();
          continue;
        }
        const k = Math.floor(st.n / st.frames);
        const dts = Number(pck.dts ?? pck.cts ?? 0);
        const cts = pck.cts === null ? null : Number(pck.cts);
        if (k === 0) {
          if (st.n === 0) st.origin = dts;
          st.end0 = Math.max(st.end0, dts + pck.dur);
          if (pck.dur > 0) st.frameDur = pck.dur;
          st.n++;
          opid.forward(pck);
          pid.dropPacket();
          continue;
        }
        const period = this.#computePeriod();
        if (period === null) {
          // another stream is still in replay 0: come back once it went through
          this.reschedule(1);
          break;
        }
        if (k !== st.k) {
          // first packet of replay k: place it on this stream's frame grid nearest k × period,
          // never before the end of the previous replay
          const len = st.end0 - st.origin;
          const fd = st.frameDur > 0 ? st.frameDur : len / st.frames;
          const ideal = Math.round((k * period * scale) / fd) * fd;
          st.loopStartOut = Math.max(Math.round(ideal), st.loopStartOut + len);
          st.loopStartIn = dts;
          st.k = k;
          if (k > this.loop) this.loop = k;
        }
        const shift = st.origin + st.loopStartOut - st.loopStartIn;
        const out = opid.newPckRef(pck);
        out.copyProps(pck);
        out.dts = pck.dts === null ? null : dts + shift;
        out.cts = cts === null ? null : cts + shift;
        out.dur = pck.dur;
        out.send();
        st.n++;
        pid.dropPacket();
      }
      if (pid.eos) opid.eos = true;
    }
    return 0;
  }
}

/** Options of {@link loopSource}. */
export interface LoopOptions {
  /** Plays in all (1 = once, `Infinity` = forever). Default 1. */
  loops?: number;
  /** The probed clip, when already known. */
  clip?: ClipInfo;
}

/**
 * Loads `path` into `fs` so that it plays `loops` times with continuous timestamps, without
 * decoding. Returns the filter to link downstream filters to (`dst.setSource(returned)`).
 * @param fs The session.
 * @param path A local media file (no `:` in the name).
 * @param options Loop count.
 */
export function loopSource(fs: FilterSession, path: string, options: LoopOptions = {}): Filter {
  const loops = options.loops ?? 1;
  checkLoops(loops);
  if (typeof path !== "string" || path.length === 0) {
    throw new TypeError(`loopSource: expected a file path, got ${String(path)}`);
  }
  if (loops === 1) return fs.loadSrc(path);
  if (path.includes(":") || path.includes(",")) {
    throw new GpacError(
      GF_BAD_PARAM,
      `loopSource: cannot loop "${path}": flist takes a local path without ':' or ','`,
    );
  }
  const clip = options.clip ?? probeClip(path);
  const floop = loops === Infinity ? -1 : loops - 1;
  const list = fs.load(`flist:srcs=${path}:floop=${floop}`);
  const stamp = new LoopStamper(fs, clip);
  stamp.setSource(list);
  return stamp;
}

/** Validates a loop count: an integer ≥ 1, or Infinity. */
export function checkLoops(loops: unknown): asserts loops is number {
  if (
    typeof loops !== "number" || !(loops === Infinity || (Number.isInteger(loops) && loops >= 1))
  ) {
    throw new RangeError(`loop: expected an integer >= 1 or Infinity, got ${String(loops)}`);
  }
}
