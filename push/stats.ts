/**
 * Live statistics and real-time pacing of a push: {@link PushMeter} is a pass-through filter
 * that every packet crosses on its way to the output. It counts what is sent, holds packets
 * that would run ahead of the wall clock by more than the window (when pacing), and stops the
 * stream at a media-time limit.
 *
 * @module
 */

import { FilterCustom, type FilterPid, type FilterSession, GF_CAPS_INPUT_OUTPUT } from "../mod.ts";

/** A snapshot of a running push (all times in seconds). */
export interface PushStats {
  /** Media time sent so far: the latest timestamp forwarded, from the first one. */
  mediaTime: number;
  /** Wall-clock time since the first packet was sent. */
  wallTime: number;
  /** `mediaTime - wallTime`: positive when ahead of real time, negative when lagging. */
  lead: number;
  /** Largest lead seen when a packet was sent (≤ the window when pacing). */
  maxLead: number;
  /** Smallest lead seen when a packet was sent, after the first second (lag when negative). */
  minLead: number;
  /** Bytes per second over the last sampling interval. */
  bytesPerSecond: number;
  /** Bytes sent so far. */
  bytesSent: number;
  /** Packets (frames) sent so far, all streams together. */
  framesSent: number;
  /** Frames dropped before the output (a {@link FrameQueue} with `dropWhenFull`). */
  framesDropped: number;
  /** Loop iteration being sent (0-based), when looping. */
  loop: number;
}

interface PidState {
  frames: number;
}

/** Options of {@link PushMeter}. */
export interface PushMeterOptions {
  /** Hold packets that would be more than `window` ms ahead of the wall clock. */
  realtime: boolean;
  /** Allowed lead over the wall clock, in ms. */
  window: number;
  /** Stop after this much media time (seconds); `Infinity` for no limit. */
  duration: number;
  /** Called once when `duration` is reached (every output PID is then at end of stream). */
  onLimit?: () => void;
}

/**
 * Pass-through filter that measures (and optionally paces) what leaves for the output. Media
 * time is measured from the first timestamp forwarded, with one clock for all streams.
 */
export class PushMeter extends FilterCustom {
  readonly #opts: PushMeterOptions;
  #t0Media: number | null = null;
  #t0Wall = 0;
  #limited = false;
  /** Latest media time forwarded (seconds since the first timestamp). */
  mediaTime = 0;
  /** Bytes forwarded. */
  bytesSent = 0;
  /** Packets forwarded. */
  framesSent = 0;
  /** Largest lead over the wall clock when forwarding, in seconds. */
  maxLead: number = -Infinity;
  /** `performance.now()` when a packet was last forwarded (0: none yet). */
  lastProgress = 0;
  /** True while the meter holds a packet until the clock reaches it. */
  waitingClock = false;
  /** Smallest lead (after the first second), in seconds. */
  minLead: number = Infinity;
  /** Performance-clock time (ms) of the first packet forwarded, or null. */
  get startedAt(): number | null {
    return this.#t0Media === null ? null : this.#t0Wall * 1000;
  }
  /** True once the duration limit was reached. */
  get limited(): boolean {
    return this.#limited;
  }

  /**
   * Creates the meter in `fs`.
   * @param fs The session.
   * @param opts Pacing and limit options.
   */
  constructor(fs: FilterSession, opts: PushMeterOptions) {
    super(fs, "pushmeter");
    this.#opts = opts;
    for (const t of ["Visual", "Audio", "Text"]) {
      this.pushCap("StreamType", t, GF_CAPS_INPUT_OUTPUT);
    }
  }

  /** Mirrors each input PID to an output PID. */
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) {
      pid.opid?.remove();
      return 0;
    }
    this.mirrorPid(pid);
    pid.udta ??= { frames: 0 } satisfies PidState;
    return 0;
  }

  #finished = false;
  /** True once every input reached its end (or the duration limit) and all was forwarded. */
  get finished(): boolean {
    return this.#finished;
  }

  #endAll(): void {
    this.#limited = true;
    for (const p of this.ipids) if (p.opid?.alive) p.opid.eos = true;
    this.#opts.onLimit?.();
  }

  /** Forwards the queued packets (see the class documentation). */
  override process(): number {
    const now = performance.now() / 1000;
    const windowS = this.#opts.window / 1000;
    let wait = Infinity;
    for (const pid of this.ipids) {
      const opid = pid.opid;
      if (!opid) continue;
      const st = pid.udta as PidState;
      const scale = pid.timescale || 1;
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        if (this.#limited) {
          pid.dropPacket();
          continue;
        }
        const ts = pck.dts ?? pck.cts;
        if (ts !== null) {
          const t = Number(ts) / scale;
          if (this.#t0Media === null) {
            this.#t0Media = t;
            this.#t0Wall = now;
          }
          const rel = t - this.#t0Media;
          if (rel >= this.#opts.duration) {
            pid.dropPacket();
            this.#endAll();
            break;
          }
          const lead = rel - (now - this.#t0Wall);
          if (this.#opts.realtime && lead > windowS) {
            wait = Math.min(wait, lead - windowS);
            break; // keep the packet: sent when the clock catches up
          }
          if (lead > this.maxLead) this.maxLead = lead;
          if (now - this.#t0Wall > 1 && lead < this.minLead) this.minLead = lead;
          const end = rel + pck.dur / scale;
          if (end > this.mediaTime) this.mediaTime = end;
        }
        this.lastProgress = performance.now();
        this.bytesSent += pck.size;
        this.framesSent++;
        st.frames++;
        opid.forward(pck);
        pid.dropPacket();
      }
    }
    // end of stream on every output at once, when every input ended: some muxers (GPAC's
    // ffmx) close the output at the first end of stream and lose what other streams still send
    const ended = this.ipids.length > 0 && this.ipids.every((p) => p.eos);
    if (ended && !this.#limited && !this.#finished) {
      for (const p of this.ipids) if (p.opid?.alive) p.opid.eos = true;
      this.#finished = true;
    }
    if (this.#limited) this.#finished = true;
    this.waitingClock = wait !== Infinity;
    if (wait !== Infinity) this.reschedule(Math.max(1, Math.ceil(wait * 1000)));
    return 0;
  }

  /** Packets waiting on the inputs of the meter. */
  get pending(): number {
    let n = 0;
    for (const p of this.ipids) if (p.alive) n += p.nbPckQueued;
    return n;
  }

  /** Wall-clock seconds since the first packet (0 before it). */
  wallTime(): number {
    return this.#t0Media === null ? 0 : performance.now() / 1000 - this.#t0Wall;
  }
}
