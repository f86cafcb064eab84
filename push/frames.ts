/**
 * Frames drawn in TypeScript, pushed into a session with back-pressure: `await q.write(frame)`
 * resolves once GPAC took the frame (so a producer never runs ahead of the encoder, nor, when
 * the push is paced, of the wall clock by more than the window).
 *
 * @module
 */

import {
  FilterCustom,
  type FilterSession,
  Fraction,
  GF_CAPS_OUTPUT,
  GF_EOS,
  GF_FILTER_SAP_1,
} from "../mod.ts";

/** Raw video format of a {@link FrameQueue}. */
export interface FrameFormat {
  /** Width in pixels (even, 2..8192). */
  width: number;
  /** Height in pixels (even, 2..8192). */
  height: number;
  /** Frames per second (0 < fps ≤ 240). */
  fps: number;
  /** `"yuv420"` (planar I420, default) or `"rgb"` (packed 24-bit). */
  pixelFormat?: "yuv420" | "rgb";
}

/** Options of {@link FrameQueue}. */
export interface FrameQueueOptions {
  /** Frames waiting to be taken before `write()` waits (default 2). */
  maxQueued?: number;
  /**
   * When the queue is full, drop the oldest queued frame (its `write()` resolves `false`)
   * instead of waiting. Dropped frames are counted in `framesDropped`. Default false.
   */
  dropWhenFull?: boolean;
}

/** A frame waiting in a {@link FrameQueue}. */
export interface QueuedFrame {
  /** The frame bytes. */
  data: Uint8Array;
  /** Settles the frame's `write()`: true when taken, false when dropped. */
  resolve: (accepted: boolean) => void;
  /** Fails the frame's `write()`. */
  reject: (e: unknown) => void;
}

/**
 * A queue of raw video frames from TypeScript, the source of a push (`pushStream(queue, dst)`).
 * Frames are timestamped in write order at the format's frame rate.
 */
export class FrameQueue {
  /** The frame format. */
  readonly format: Readonly<Required<FrameFormat>>;
  /** Size in bytes of one frame. */
  readonly frameSize: number;
  readonly #max: number;
  readonly #drop: boolean;
  readonly #queue: QueuedFrame[] = [];
  readonly #waiters: (() => void)[] = [];
  #ended = false;
  #failed: unknown = null;
  /** Frames handed to GPAC. */
  framesAccepted = 0;
  /** Frames dropped because the queue was full (`dropWhenFull`). */
  framesDropped = 0;

  /**
   * Creates a queue.
   * @param format Frame size, rate and pixel format.
   * @param options Queue depth and drop policy.
   */
  constructor(format: FrameFormat, options: FrameQueueOptions = {}) {
    const { width, height, fps, pixelFormat = "yuv420" } = format ?? {} as FrameFormat;
    for (const [n, v] of [["width", width], ["height", height]] as const) {
      if (!Number.isInteger(v) || v < 2 || v > 8192 || v % 2) {
        throw new RangeError(`FrameQueue: ${n} must be an even integer in 2..8192, got ${v}`);
      }
    }
    if (typeof fps !== "number" || !(fps > 0 && fps <= 240)) {
      throw new RangeError(`FrameQueue: fps must be in (0, 240], got ${fps}`);
    }
    if (pixelFormat !== "yuv420" && pixelFormat !== "rgb") {
      throw new RangeError(`FrameQueue: pixelFormat must be "yuv420" or "rgb", got ${pixelFormat}`);
    }
    const max = options.maxQueued ?? 2;
    if (!Number.isInteger(max) || max < 1 || max > 1000) {
      throw new RangeError(`FrameQueue: maxQueued must be an integer in 1..1000, got ${max}`);
    }
    this.format = { width, height, fps, pixelFormat };
    this.frameSize = pixelFormat === "rgb" ? width * height * 3 : width * height * 3 / 2;
    this.#max = max;
    this.#drop = options.dropWhenFull ?? false;
  }

  /** Frames waiting to be taken by GPAC. */
  get queued(): number {
    return this.#queue.length;
  }

  /** True after {@link FrameQueue.end}. */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Queues one frame. Resolves `true` when GPAC took it, `false` if it was dropped
   * (`dropWhenFull`); waits while the queue is full. Rejects once the push ended or failed.
   * The bytes are copied when GPAC takes the frame: keep `frame` unchanged until then.
   * @param frame `frameSize` bytes.
   */
  async write(frame: Uint8Array): Promise<boolean> {
    if (!(frame instanceof Uint8Array)) {
      throw new TypeError(`FrameQueue.write: expected a Uint8Array, got ${typeof frame}`);
    }
    if (frame.byteLength !== this.frameSize) {
      throw new RangeError(
        `FrameQueue.write: expected ${this.frameSize} bytes (${this.format.width}x${this.format.height} ${this.format.pixelFormat}), got ${frame.byteLength}`,
      );
    }
    for (;;) {
      if (this.#failed !== null) throw this.#failed;
      if (this.#ended) throw new TypeError("FrameQueue.write: the queue was ended");
      if (this.#queue.length < this.#max) break;
      if (this.#drop) {
        this.#queue.shift()!.resolve(false);
        this.framesDropped++;
        break;
      }
      await new Promise<void>((r) => this.#waiters.push(r));
    }
    return new Promise<boolean>((resolve, reject) => {
      this.#queue.push({ data: frame, resolve, reject });
    });
  }

  /** No more frames: the stream ends once the queued ones are sent. */
  end(): void {
    this.#ended = true;
    this.#wake();
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** @internal Takes the next frame (the source filter calls this). */
  take(): QueuedFrame | undefined {
    const p = this.#queue.shift();
    if (p) this.#wake();
    return p;
  }

  /** @internal Fails every pending and future write (the push ended). */
  fail(reason: unknown): void {
    if (this.#failed === null) this.#failed = reason;
    for (const p of this.#queue.splice(0)) p.reject(reason);
    this.#wake();
  }

  /** @internal Creates the source filter of this queue in `fs`. */
  createFilter(fs: FilterSession): FilterCustom {
    return new FrameSourceFilter(fs, this);
  }
}

/** The GPAC side of a {@link FrameQueue}: one raw video output PID. */
class FrameSourceFilter extends FilterCustom {
  readonly #q: FrameQueue;
  readonly #dur: number;
  #n = 0;
  #done = false;

  constructor(fs: FilterSession, q: FrameQueue) {
    super(fs, "framequeue");
    this.#q = q;
    const { width, height, fps, pixelFormat } = q.format;
    this.pushCap("StreamType", "Visual", GF_CAPS_OUTPUT);
    const opid = this.newPid();
    // fps as a fraction with a 1000 timescale for non-integer rates
    const den = Number.isInteger(fps) ? 1 : 1000;
    const num = Math.round(fps * den);
    this.#dur = den;
    opid.setProp("StreamType", "Visual");
    opid.setProp("CodecID", "raw");
    opid.setProp("PixelFormat", pixelFormat);
    opid.setProp("Width", width);
    opid.setProp("Height", height);
    opid.setProp("Stride", pixelFormat === "rgb" ? width * 3 : width);
    opid.setProp("Timescale", num);
    opid.setProp("FPS", new Fraction(num, den));
    opid.name = "frames";
  }

  override process(): number {
    if (this.#done) return GF_EOS;
    const opid = this.opids[0];
    while (!opid.wouldBlock) {
      const f = this.#q.take();
      if (!f) break;
      const pck = opid.newPck(f.data.byteLength);
      pck.data.set(f.data);
      pck.dts = pck.cts = this.#n * this.#dur;
      pck.dur = this.#dur;
      pck.sap = GF_FILTER_SAP_1;
      pck.send();
      this.#n++;
      this.#q.framesAccepted++;
      f.resolve(true);
    }
    if (this.#q.ended && this.#q.queued === 0) {
      opid.eos = true;
      this.#done = true;
      return GF_EOS;
    }
    this.reschedule(this.#q.queued ? 2 : 5);
    return 0;
  }
}
