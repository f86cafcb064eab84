/**
 * HTTP server hooks, part 1: GPAC serves the files, TypeScript watches every request, adds
 * response headers, paces the transfer and learns how each request ended.
 *
 * The script generates a 2 s MP4 with `avgen` + `ffenc`, serves its folder with GPAC's `httpout`
 * filter on a free loopback port, binds a request handler (`filter.bind(handler)`), then fetches
 * the clip (whole, then a byte range) with Deno's `fetch`. The session is non-blocking and
 * stepped from the event loop, so client and server share this process; with a blocking
 * `fs.run()` the clients would live elsewhere (a browser, `curl`, a DASH player).
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write --allow-net examples/httpout_headers.ts
 * ```
 *
 * `--port N` picks the port, `--serve` keeps serving until Ctrl+C (try
 * `curl -v http://127.0.0.1:N/clip.mp4`), `--rate KBPS` sets the throttled rate in kbit/s (default 8000).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { e2s, FilterSession, GF_FS_FLAG_NON_BLOCKING, HTTPOutRequest } from "../mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    port: { type: "string" },
    serve: { type: "boolean", default: false },
    rate: { type: "string", default: "8000" },
  },
});

// media to serve, generated on the fly
const dir = Deno.makeTempDirSync({ prefix: "httpout-example-" });
{
  using enc = new FilterSession();
  enc.loadSrc("avgen:dur=2");
  enc.load("ffenc:c=avc");
  enc.loadDst(`${dir}/clip.mp4`);
  enc.run();
}

const kbps = Number(opts.rate);

/** One object per request; the bound instance only creates them. */
class Monitor extends HTTPOutRequest {
  #start = 0;

  override onRequest(method: string, url: string, _authCode: number, headers: Headers): void {
    console.log(`-> ${method} ${url} (range: ${headers.get("range") ?? "none"})`);
    this.#start = performance.now();
    this.headersOut.set("X-Served-By", "deno-gpac");
    this.headersOut.set("Access-Control-Expose-Headers", "X-Served-By");
    this.reply = 0; // GPAC serves the file (ranges, ETag, MIME type, ...)
    this.send();
  }

  /** Keeps the rate near `kbps`: wait until the bytes sent match the elapsed time. */
  override throttle(done: number, _total: number): number {
    const due = (done * 8) / (kbps * 1000); // seconds the bytes sent so far should take
    const elapsed = (performance.now() - this.#start) / 1000;
    return due > elapsed ? Math.round((due - elapsed) * 1e6) : 0;
  }

  override close(reason: number): void {
    const ms = (performance.now() - this.#start).toFixed(0);
    console.log(`<- ${this.method} ${this.url} done in ${ms} ms (${e2s(reason)})`);
  }
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const port = opts.port ? Number(opts.port) : freePort();
using fs = new FilterSession({ flags: GF_FS_FLAG_NON_BLOCKING });
const server = fs.load(`httpout:ip=127.0.0.1:port=${port}:rdirs=${dir}`);
server.bind(new Monitor());

// step the session while the event loop runs the client
let stop = false;
const stepping = (async () => {
  while (!stop) {
    fs.run();
    await new Promise((r) => setTimeout(r, 0));
  }
})();

const base = `http://127.0.0.1:${port}`;
if (opts.serve) {
  console.log(`serving ${dir} on ${base}/ (Ctrl+C to stop)`);
  await stepping;
}

const whole = await fetch(`${base}/clip.mp4`);
const bytes = new Uint8Array(await whole.arrayBuffer());
console.log(
  `GET clip.mp4: ${whole.status} ${whole.headers.get("content-type")}, ${bytes.length} bytes, ` +
    `X-Served-By: ${whole.headers.get("x-served-by")}`,
);
const part = await fetch(`${base}/clip.mp4`, { headers: { Range: "bytes=0-1023" } });
const head = new Uint8Array(await part.arrayBuffer());
console.log(
  `GET clip.mp4 bytes 0-1023: ${part.status} ${part.headers.get("content-range")}, ` +
    `box "${new TextDecoder().decode(head.subarray(4, 8))}"`,
);

stop = true;
await stepping;
fs.close();
Deno.removeSync(dir, { recursive: true });
