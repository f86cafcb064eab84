/**
 * Web streams as GPAC outputs and inputs.
 *
 * 1. GPAC writes an MPEG-2 TS into a `WritableStream`: here a `TransformStream` whose readable
 *    side is piped to a file while a SHA-256 of the bytes is computed. GPAC's writes are
 *    synchronous, so the chunks are queued while `run()` blocks and flow once it returns;
 *    `factory.settled()` waits until the stream took everything.
 * 2. A non-blocking session reads that file back through a `ReadableStream` (any byte stream
 *    would do: a `fetch()` body, a socket...). Stream data arrives on the event loop, so the
 *    session is stepped from async code, yielding now and then.
 *
 * Run it with:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/fileio_streams.ts
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/fileio_streams.ts --dur 4
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  FileIO,
  FilterSession,
  GF_FS_FLAG_NON_BLOCKING,
  ReadableStreamFileFactory,
  WritableStreamFileFactory,
} from "../mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: { dur: { type: "string", default: "2" } },
});

const tmp = await Deno.makeTempDir({ prefix: "deno-gpac-streams-" });
const path = `${tmp}/stream.ts`;

// 1. avgen -> encoders -> TS muxer -> WritableStream -> file
const chunks: Uint8Array[] = [];
const pipe = new TransformStream<Uint8Array, Uint8Array>({
  transform(chunk, ctl) {
    chunks.push(chunk);
    ctl.enqueue(chunk);
  },
});
const file = await Deno.open(path, { write: true, create: true, truncate: true });
const piped = pipe.readable.pipeTo(file.writable);
const out = new WritableStreamFileFactory(() => pipe.writable);
{
  using fio = new FileIO("live.ts", out);
  using fs = new FilterSession();
  fs.loadSrc(`avgen:dur=${opts.dur}`);
  fs.load("ffenc:c=avc");
  fs.load("ffenc:c=aac");
  fs.loadDst(fio.url);
  fs.run();
} // closing the session closes GPAC's output file, which closes the stream
await out.settled();
await piped;
const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
chunks.reduce((at, c) => (all.set(c, at), at + c.length), 0);
const sha = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", all)))
  .map((b) => b.toString(16).padStart(2, "0")).join("");
console.log(`wrote ${all.length} bytes in ${chunks.length} chunks to ${path}`);
console.log(`sha256 ${sha}`);

// 2. file -> ReadableStream -> TS demuxer -> inspector, in a non-blocking session
// the length is known here: passing it lets GPAC know the file size from the start (GPAC 2.4
// and 26.02 need it to see the end of a stream; 26.07 also reads streams of unknown length)
const input = new ReadableStreamFileFactory(() => Deno.openSync(path).readable, {
  size: all.length,
});
{
  using fio = new FileIO("replay.ts", input);
  using fs = new FilterSession({ flags: GF_FS_FLAG_NON_BLOCKING });
  fs.loadSrc(fio.url);
  const inspect = fs.load("inspect:deep:log=null");
  let steps = 0;
  while (!fs.lastTask) {
    fs.run();
    if (++steps % 32 === 0) await new Promise((r) => setTimeout(r, 0)); // let the stream deliver
  }
  const s = fs.stats().find((s) => s.filter === inspect)!;
  console.log(
    `read back through a ReadableStream: ${s.nbPckProcessed} packets on ${s.nbPidIn} PIDs`,
  );
}
