/**
 * A source filter fed from JavaScript with back-pressure: the frame-input core of
 * {@link MediaWriter}, reusable by other modules that push raw (or coded) frames into GPAC.
 *
 * @module
 */

import {
  FilterCustom,
  type FilterPid,
  type FilterSession,
  GF_CAPS_OUTPUT,
  GF_EOS,
  GF_OK,
  type PropValue,
} from "../mod.ts";

/** One frame queued on a {@link FrameSource}. */
export interface SourceFrame {
  /** The payload; copied into a GPAC packet when the frame is sent. */
  data: Uint8Array;
  /** Composition (and decoding) time, in the PID timescale. */
  cts: number;
  /** Duration, in the PID timescale. */
  dur: number;
  /** Stream access point (default true: raw frames are all independent). */
  sap?: boolean;
}

interface Batch {
  frames: SourceFrame[];
  next: number;
  resolve(): void;
  reject(e: unknown): void;
}

/**
 * A `FilterCustom` with one output PID, fed by {@link FrameSource.enqueue}. Frames are copied
 * into GPAC packets inside `process()` while the output PID does not block; the promise of a
 * batch resolves once its last frame was sent, so a producer awaiting it cannot run ahead of
 * the pipeline by more than the PID buffer. {@link FrameSource.end} sends the end of stream
 * once the queue is drained.
 *
 * The session must be stepped for frames to flow (e.g. `fs.run()` on a non-blocking session,
 * or `runAsync()`); {@link FrameSource.idle} tells a stepping loop whether this source waits
 * for data. While idle, the filter asks GPAC to call it back every `idleMs` ms (so a session
 * driven by `runAsync()` neither spins nor ends).
 */
export class FrameSource extends FilterCustom {
  readonly #props: ReadonlyArray<readonly [string, PropValue]>;
  readonly #queue: Batch[] = [];
  readonly #idleMs: number;
  #opid: FilterPid | null = null;
  #ending = false;
  #eosSent = false;
  #failure: { error: unknown } | null = null;
  /** Frames sent so far. */
  sent = 0;

  /**
   * Creates the source in `session`.
   * @param session The session (single-threaded: the filter runs on the JS thread).
   * @param name Filter name.
   * @param props Output PID properties, e.g. `[["StreamType", "Visual"], ["CodecID", "raw"]]`.
   * @param idleMs Callback period while no frame is queued (default 2 ms). 0 calls back at
   * once: right for sessions stepped only while frames are awaited (as {@link MediaWriter}
   * does), a busy loop under `runAsync()`.
   */
  constructor(
    session: FilterSession,
    name: string,
    props: ReadonlyArray<readonly [string, PropValue]>,
    idleMs = 2,
  ) {
    super(session, name);
    this.#props = props;
    // GPAC resolves adapter chains (pixel format, resampling) from the source's output caps
    for (const [k, v] of props) {
      if (k === "StreamType" || k === "CodecID") this.pushCap(k, v, GF_CAPS_OUTPUT);
    }
    this.#idleMs = idleMs;
  }

  /** The output PID (created on the first `process()` call), or null before. */
  get opid(): FilterPid | null {
    return this.#opid;
  }

  /** True when nothing is queued and the end of stream was not requested. */
  get idle(): boolean {
    return this.#queue.length === 0 && !this.#ending;
  }

  /** True once the end of stream was sent. */
  get done(): boolean {
    return this.#eosSent;
  }

  /** Frames queued and not sent yet. */
  get pending(): number {
    let n = 0;
    for (const b of this.#queue) n += b.frames.length - b.next;
    return n;
  }

  /**
   * Queues frames; resolves when the last one was handed to GPAC, rejects if the source
   * failed or ended first.
   */
  enqueue(frames: SourceFrame[]): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure.error);
    if (this.#ending) return Promise.reject(new TypeError("frame source already ended"));
    if (frames.length === 0) return Promise.resolve();
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.#queue.push({ frames, next: 0, resolve, reject });
    if (this.alive && this.#queue.length === 1) this.reschedule(0);
    return promise;
  }

  /** Sends the end of stream once every queued frame was sent. */
  end(): void {
    if (this.#ending) return;
    this.#ending = true;
    if (this.alive) this.reschedule(0);
  }

  /**
   * Copies the data of every frame still queued (so that the caller may reuse its buffers)
   * and resolves their batches now: used when the pipeline waits for another stream.
   */
  detachPending(): void {
    for (const b of this.#queue) {
      for (let k = b.next; k < b.frames.length; k++) {
        const f = b.frames[k];
        b.frames[k] = { ...f, data: f.data.slice() };
      }
      b.resolve();
    }
  }

  /** Rejects every pending batch with `error` (the pipeline failed). */
  fail(error: unknown): void {
    this.#failure ??= { error };
    for (const b of this.#queue.splice(0)) b.reject(error);
  }

  /** @ignore Sends queued frames while the output PID accepts them. */
  override process(): number {
    if (this.#eosSent) return GF_EOS;
    let opid = this.#opid;
    if (!opid) {
      opid = this.#opid = this.newPid();
      for (const [k, v] of this.#props) opid.setProp(k, v);
    }
    while (this.#queue.length && !opid.wouldBlock) {
      const b = this.#queue[0];
      const f = b.frames[b.next++];
      const pck = opid.newPck(f.data.byteLength);
      pck.data.set(f.data);
      pck.cts = f.cts;
      pck.dts = f.cts;
      pck.dur = f.dur;
      pck.sap = f.sap === false ? 0 : 1;
      pck.send();
      this.sent++;
      if (b.next === b.frames.length) {
        this.#queue.shift();
        b.resolve();
      }
    }
    // the end of stream waits until the frames were taken downstream: sent while GPAC still
    // inserts a converter (renegotiation after the first frame), it can be lost
    if (this.#queue.length === 0 && this.#ending && opid.isPlaying && opid.nbPckQueued === 0) {
      opid.eos = true;
      this.#eosSent = true;
      return GF_EOS;
    }
    // nothing to send, or blocked: come back later rather than spin, and keep a task pending
    // so that a session waiting on this source is not taken for finished
    this.reschedule(this.#idleMs);
    return GF_OK;
  }
}
