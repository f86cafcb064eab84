/**
 * The server side of `deno task bench --sections 5`, one process per measured run (so that the
 * RSS and CPU time of one run do not carry over to the next): an `httpout` filter serving a
 * folder, driven by `runAsync()`, with or without a TS hook adding a header.
 *
 * `deno run --allow-ffi --allow-env --allow-read --allow-net=127.0.0.1 bench/httpout_server.ts
 *   --port P --dir D [--hook] [--maxp N] [--slice-ms MS]`
 *
 * Prints `ready` once the filter listens, then serves until its stdin closes, and prints one
 * JSON line: RSS, CPU time (user+system, µs) since the last `mark` line read on stdin (since
 * `ready` without one: the parent marks the end of its warm-up load), the requests the hook saw
 * (0 without a hook), and the session's outcome. Each `mark` is answered with `marked`.
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { FilterSession, HTTPOutRequest, setLogs } from "../mod.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    port: { type: "string" },
    dir: { type: "string" },
    hook: { type: "boolean", default: false },
    maxp: { type: "string" },
    "slice-ms": { type: "string", default: "4" },
  },
});

let seen = 0;

/** The measured hook: one header added, GPAC serves the file. */
class AddHeader extends HTTPOutRequest {
  override onRequest(): void {
    seen++;
    this.headersOut.set("X-Bench", "1");
    this.send();
  }
}

// httpout warns about each connection it refuses beyond maxp: the bench counts them
setLogs("all@error");
using fs = new FilterSession();
const maxp = args.values.maxp === undefined ? "" : `:maxp=${args.values.maxp}`;
const f = fs.load(`httpout:port=${args.values.port}:rdirs=${args.values.dir}${maxp}`);
if (args.values.hook) f.bind(AddHeader);
const ac = new AbortController();
const run = fs.runAsync({ signal: ac.signal, sliceMs: Number(args.values["slice-ms"]) }).then(
  () => "done",
  (e) => (e === ac.signal.reason ? "aborted" : `failed: ${e}`),
);
let cpu0 = process.cpuUsage();
console.log("ready");
// `mark` lines restart the CPU count; stop when the parent closes our stdin
(async () => {
  for await (const line of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    if (line.includes("mark")) {
      cpu0 = process.cpuUsage();
      console.log("marked");
    }
  }
  ac.abort();
})();
const outcome = await run;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({
  rss: Deno.memoryUsage().rss,
  cpuUs: cpu.user + cpu.system,
  seen,
  outcome,
}));
