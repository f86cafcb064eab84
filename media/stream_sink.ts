/**
 * A FileIO factory writing into one `WritableStream`, for {@link MediaWriter}: it never throws
 * from GPAC's callbacks (an errored stream makes writes short, GPAC stops, and the writer
 * reports the stream's error from JS).
 *
 * @module
 */

import type { FileIOFactory, SeekWhence } from "../mod.ts";

/** @ignore State shared by the factory clones GPAC makes. */
interface Shared {
  stream: WritableStream<Uint8Array>;
  writer: WritableStreamDefaultWriter<Uint8Array> | null;
  pending: Set<Promise<unknown>>;
  error: { error: unknown } | null;
}

/** @ignore Serves the output file GPAC opens with the writer's stream. */
export class StreamSink implements FileIOFactory {
  #s: Shared;
  #pos = 0;

  /** Writes into `stream`. */
  constructor(stream: WritableStream<Uint8Array>) {
    this.#s = { stream, writer: null, pending: new Set(), error: null };
  }

  /** The stream's error, once it failed. */
  get error(): { error: unknown } | null {
    return this.#s.error;
  }

  /** Clones share the stream. */
  clone(): StreamSink {
    const c = new StreamSink(this.#s.stream);
    c.#s = this.#s;
    return c;
  }

  #track(p: Promise<unknown>): void {
    const s = this.#s;
    const t = p.catch((e) => {
      s.error ??= { error: e };
    }).finally(() => s.pending.delete(t));
    s.pending.add(t);
  }

  /** Opens the stream for writing (one file: the output). */
  open(_url: string, mode: string): boolean {
    const s = this.#s;
    if (!/[wa]/.test(mode) || s.writer || s.stream.locked) return false;
    s.writer = s.stream.getWriter();
    this.#pos = 0;
    return true;
  }

  /** Closes the stream. */
  close(): void {
    const w = this.#s.writer;
    if (w && !this.#s.error) this.#track(w.close());
  }

  /** Queues a copy; a short write (0) once the stream failed. */
  write(buf: Uint8Array): number {
    const s = this.#s;
    const w = s.writer;
    if (!w || s.error || w.desiredSize === null) {
      s.error ??= { error: new Error("the WritableStream is errored") };
      return 0;
    }
    this.#track(w.write(buf.slice()));
    this.#pos += buf.length;
    return buf.length;
  }

  /** Only the current position. */
  seek(offset: number, whence: SeekWhence): boolean {
    const to = whence === 0 ? offset : this.#pos + offset;
    return whence !== 2 && to === this.#pos;
  }

  /** Bytes written. */
  tell(): number {
    return this.#pos;
  }

  /** Write-only. */
  eof(): boolean {
    return false;
  }

  /** Waits for every write and the close; resolves to the stream's error, if any. */
  async settled(): Promise<{ error: unknown } | null> {
    while (this.#s.pending.size) await Promise.all([...this.#s.pending]);
    return this.#s.error;
  }
}
