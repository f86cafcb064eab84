/**
 * FileIO wrapping: GPAC reads its input and writes its output through a TypeScript object.
 *
 * `CountingFile` is a factory in the style of the Python guide's FileIO section: it opens,
 * reads, writes, seeks and closes files with Deno's file API, and counts what GPAC asks of it.
 * Two `FileIO` wrappers are made from it, one for the source and one for the destination;
 * GPAC only sees their `gfio://` URLs. For every file GPAC opens, the factory is cloned (here
 * with its `clone()` method) and the clone serves that one file; the clones share the
 * statistics object of the template.
 *
 * Run it with:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/fileio_wrap.ts
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/fileio_wrap.ts \
 *   --input movie.mp4 --output /tmp/movie.ts
 * ```
 *
 * Without `--input`, a 2 s MP4 is first generated from `avgen` (plain file output). `--output`
 * defaults to `wrapped.ts` (MPEG-2 TS) in a temporary folder.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { FileIO, type FileIOFactory, FilterSession, type SeekWhence } from "../mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: { input: { type: "string" }, output: { type: "string" } },
});

/** What GPAC did through the wrappers, per file. */
type Stats = Map<string, { mode: string; calls: number; bytes: number }>;

/** A file-system factory that counts calls and bytes. */
class CountingFile implements FileIOFactory {
  #file: Deno.FsFile | null = null;
  #url = "";
  #eof = false;

  constructor(readonly stats: Stats) {}

  clone(): CountingFile {
    return new CountingFile(this.stats); // one clone per opened file, same statistics
  }

  #count(bytes = 0): void {
    const s = this.stats.get(this.#url)!;
    s.calls++;
    s.bytes += bytes;
  }

  open(url: string, mode: string): boolean {
    const reading = mode.startsWith("r");
    try {
      this.#file = Deno.openSync(url, {
        read: reading || mode.includes("+"),
        write: !reading,
        create: !reading,
        truncate: mode.startsWith("w"),
      });
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false; // GPAC gets GF_URL_ERROR
      throw e; // any other failure stops the session; run() rethrows it
    }
    this.#url = url;
    if (!this.stats.has(url)) this.stats.set(url, { mode, calls: 0, bytes: 0 });
    return true;
  }

  close(): void {
    this.#file?.close();
    this.#file = null;
  }

  read(buf: Uint8Array): number {
    const n = this.#file!.readSync(buf) ?? 0; // buf is GPAC's memory, lent for this call
    if (n < buf.length) this.#eof = true;
    this.#count(n);
    return n;
  }

  write(buf: Uint8Array): number {
    let done = 0;
    while (done < buf.length) done += this.#file!.writeSync(buf.subarray(done));
    this.#count(done);
    return done;
  }

  seek(offset: number, whence: SeekWhence): boolean {
    this.#file!.seekSync(offset, whence as Deno.SeekMode);
    this.#eof = false;
    this.#count();
    return true;
  }

  tell(): number {
    return this.#file!.seekSync(0, Deno.SeekMode.Current);
  }

  eof(): boolean {
    return this.#eof;
  }

  exists(url: string): boolean {
    try {
      return Deno.statSync(url).isFile;
    } catch {
      return false;
    }
  }
}

const tmp = await Deno.makeTempDir({ prefix: "deno-gpac-fileio-" });
let input = opts.input;
if (!input) {
  input = `${tmp}/source.mp4`;
  using gen = new FilterSession();
  gen.loadSrc("avgen:dur=2");
  gen.load("ffenc:c=avc");
  gen.load("ffenc:c=aac");
  gen.loadDst(input);
  gen.run();
}
const output = opts.output ?? `${tmp}/wrapped.ts`;

const stats: Stats = new Map();
const factory = new CountingFile(stats);
{
  using srcWrap = new FileIO(input, factory);
  using dstWrap = new FileIO(output, factory);
  console.log(`source      ${srcWrap.resourceUrl} as ${srcWrap.url}`);
  console.log(`destination ${dstWrap.resourceUrl} as ${dstWrap.url}`);
  using fs = new FilterSession();
  fs.loadSrc(srcWrap.url);
  fs.loadDst(dstWrap.url);
  fs.run();
} // sessions and wrappers closed here: GPAC closed its files

for (const [url, s] of stats) {
  console.log(`${url} (${s.mode}): ${s.calls} calls, ${(s.bytes / 1024).toFixed(1)} KiB`);
}
console.log(`output on disk: ${(Deno.statSync(output).size / 1024).toFixed(1)} KiB`);
