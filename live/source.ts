/**
 * A raw video source filter fed from JavaScript: frames queued by {@link LiveStream} are sent to
 * GPAC with the timestamps they were given, never faster than GPAC's buffers accept them.
 *
 * Kept small on purpose (one PID, a FIFO, a drain notification) so that it can later be merged
 * with the media module's frame writer.
 *
 * @module
 */

import {
  FilterCustom,
  type FilterPid,
  type FilterSession,
  Fraction,
  GF_CAPS_OUTPUT,
  GF_EOS,
} from "../mod.ts";

/** Pixel formats accepted by {@link LiveStream}, with GPAC's name and the bytes per frame. */
export const PIXEL_FORMATS: Readonly<
  Record<string, { gpac: string; size: (w: number, h: number) => number }>
> = {
  rgb24: { gpac: "rgb", size: (w, h) => w * h * 3 },
  bgr24: { gpac: "bgr", size: (w, h) => w * h * 3 },
  rgba: { gpac: "rgba", size: (w, h) => w * h * 4 },
  yuv420: { gpac: "yuv420", size: (w, h) => w * h + 2 * (((w + 1) >> 1) * ((h + 1) >> 1)) },
  nv12: { gpac: "nv12", size: (w, h) => w * h + 2 * (((w + 1) >> 1) * ((h + 1) >> 1)) },
  grey: { gpac: "grey", size: (w, h) => w * h },
};

/** One frame waiting to enter GPAC. */
export interface QueuedFrame {
  /** Pixels (copied into a GPAC packet when sent). */
  data: Uint8Array;
  /** Presentation time in `timescale` units. */
  ticks: number;
  /** `emsg` boxes for GPAC's `grp_EMSG` packet property, if markers ride on this frame. */
  emsg?: Uint8Array;
}

/** Geometry and timing of the frames of a {@link FrameSource}. */
export interface FrameSourceConfig {
  /** Frame width in pixels. */
  width: number;
  /** Frame height in pixels. */
  height: number;
  /** Nominal frame rate (duration of the last frame, `FPS` property). */
  fps: number;
  /** Key of {@link PIXEL_FORMATS}. */
  format: string;
  /** Ticks per second of the timestamps. */
  timescale: number;
}

/**
 * Raw video source: `enqueue()` frames, `end()` to finish. `onSent` is called each time frames
 * left the queue (used for back-pressure), `onFrameSent` with each frame's timestamp.
 */
export class FrameSource extends FilterCustom {
  readonly #opid: FilterPid;
  readonly #queue: QueuedFrame[] = [];
  readonly #frameDur: number;
  #ended = false;
  #eosSent = false;
  /** Called after frames left the queue. */
  onSent: (() => void) | null = null;
  /** Called for each frame handed to GPAC, with its timestamp in ticks. */
  onFrameSent: ((ticks: number) => void) | null = null;
  /** Called with each frame's bytes once copied into GPAC (the buffer can be reused). */
  onRelease: ((data: Uint8Array) => void) | null = null;
  /** Number of frames handed to GPAC. */
  sent = 0;

  /** Creates the source in `fs` with one raw video output PID. */
  constructor(fs: FilterSession, cfg: FrameSourceConfig) {
    super(fs, "live_frames");
    const fmt = PIXEL_FORMATS[cfg.format];
    this.pushCap("StreamType", "Visual", GF_CAPS_OUTPUT);
    this.pushCap("CodecID", "raw", GF_CAPS_OUTPUT);
    const o = this.#opid = this.newPid();
    o.setProp("StreamType", "Visual");
    o.setProp("CodecID", "raw");
    o.setProp("Timescale", cfg.timescale);
    o.setProp("Width", cfg.width);
    o.setProp("Height", cfg.height);
    o.setProp("PixelFormat", fmt.gpac);
    o.setProp("FPS", fpsFraction(cfg.fps));
    o.name = "video";
    this.#frameDur = Math.max(1, Math.round(cfg.timescale / cfg.fps));
  }

  /** Frames waiting to be sent. */
  get queued(): number {
    return this.#queue.length;
  }

  /** True once `end()` was called. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Queues a frame (sent at the next `process()`). */
  enqueue(f: QueuedFrame): void {
    this.#queue.push(f);
    this.reschedule(0);
  }

  /**
   * Attaches `emsg` boxes to the first queued frame at or after `minTicks`; false if there is
   * none.
   */
  attachToQueued(emsg: Uint8Array, minTicks: number): boolean {
    const f = this.#queue.find((q) => q.ticks >= minTicks) ?? null;
    if (!f) return false;
    f.emsg = f.emsg ? concat([f.emsg, emsg]) : emsg;
    return true;
  }

  /** No more frames: EOS after the queue drained. */
  end(): void {
    this.#ended = true;
    this.reschedule(0);
  }

  override process(): number {
    if (this.#eosSent) return GF_EOS;
    const o = this.#opid;
    let n = 0;
    while (this.#queue.length && !o.wouldBlock) {
      const f = this.#queue.shift()!;
      const next = this.#queue[0];
      const pck = o.newPck(f.data.byteLength);
      pck.data.set(f.data);
      pck.cts = pck.dts = f.ticks;
      pck.dur = next ? Math.max(1, next.ticks - f.ticks) : this.#frameDur;
      pck.sap = 1;
      if (f.emsg) pck.setProp("grp_EMSG", f.emsg);
      pck.send();
      this.onRelease?.(f.data);
      this.sent++;
      n++;
      this.onFrameSent?.(f.ticks);
    }
    if (n) this.onSent?.();
    if (this.#ended && this.#queue.length === 0) {
      o.eos = true;
      this.#eosSent = true;
      return GF_EOS;
    }
    // nothing to do: come back later instead of being called in a busy loop; enqueue() and
    // end() ask for an immediate call
    this.reschedule(this.#queue.length ? 2 : 20);
    return 0;
  }
}

/** `fps` as a fraction GPAC accepts (e.g. 29.97 -> 30000/1001). */
function fpsFraction(fps: number): Fraction {
  if (Number.isInteger(fps)) return new Fraction(fps, 1);
  const num = Math.round(fps * 1001);
  if (Math.abs(num / 1001 - fps) < 1e-6 && num % 1000 === 0) return new Fraction(num, 1001);
  return new Fraction(Math.round(fps * 1000), 1000);
}

/** Concatenates byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}
