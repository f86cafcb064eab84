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
  /**
   * Streams to wait for before sending anything (default 1): a muxer that sees one stream's
   * packets before the others are connected (GPAC's ffmx) computes wrong time offsets.
   */
  streams?: number;
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
  #started = false;
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
  /** `performance.now()` when the held packet is due (when `waitingClock`). */
  dueAt = 0;
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
    // a pacing filter holds packets back on the wall clock: no upstream read-ahead
    super(fs, "pushmeter", { inputBuffer: 0 });
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
    if (!this.#started) {
      const want = this.#opts.streams ?? 1;
      const ready = this.ipids.filter((p) => p.opid && (p.nbPckQueued > 0 || p.eos)).length;
      if (ready < want) {
        this.reschedule(2);
        return 0;
      }
      this.#started = true;
    }
    const now = performance.now() / 1000;
    const windowS = this.#opts.window / 1000;
    let wait = Infinity;
    // forward in decode order across streams, counting each PID's Delay (muxers without
    // interleaving, such as ffmx with ileave=0, need the earliest packet first): always the
    // earliest head packet, and only while every stream that has not ended has one (unless
    // one stream piles up, so that its source never blocks)
    for (;;) {
      let best: FilterPid | null = null;
      let bestT = Infinity;
      let missing = false;
      let piled = false;
      for (const pid of this.ipids) {
        if (!pid.opid) continue;
        const pck = pid.getPacket();
        if (!pck) {
          if (!pid.eos) missing = true;
          continue;
        }
        if (this.#limited) {
          pid.dropPacket();
          continue;
        }
        if (pid.nbPckQueued > 16) piled = true;
        const ts = pck.dts ?? pck.cts;
        const delay = Number(pid.getProp("Delay") ?? 0);
        const t = ts === null ? -Infinity : (Number(ts) + delay) / (pid.timescale || 1);
        if (best === null || t < bestT) {
          best = pid;
          bestT = t;
        }
      }
      if (!best || this.#limited || (missing && !piled)) break;
      const pck = best.getPacket()!;
      const st = best.udta as PidState;
      const ts = pck.dts ?? pck.cts;
      if (ts !== null) {
        const tt = Number(ts) / (best.timescale || 1);
        if (this.#t0Media === null) {
          this.#t0Media = tt;
          this.#t0Wall = now;
        }
        const rel = tt - this.#t0Media;
        if (rel >= this.#opts.duration) {
          best.dropPacket();
          this.#endAll();
          break;
        }
        const lead = rel - (now - this.#t0Wall);
        if (this.#opts.realtime && lead > windowS) {
          wait = lead - windowS;
          break; // keep the packet: sent when the clock catches up
        }
        if (lead > this.maxLead) this.maxLead = lead;
        if (now - this.#t0Wall > 1 && lead < this.minLead) this.minLead = lead;
        const end = rel + pck.dur / (best.timescale || 1);
        if (end > this.mediaTime) this.mediaTime = end;
      }
      this.lastProgress = performance.now();
      this.bytesSent += pck.size;
      this.framesSent++;
      st.frames++;
      best.opid!.forward(pck);
      best.dropPacket();
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
    if (this.waitingClock) this.dueAt = performance.now() + wait * 1000;
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
