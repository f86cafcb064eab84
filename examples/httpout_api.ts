/**
 * HTTP server hooks, part 2: TypeScript answers requests itself next to GPAC-served files.
 *
 * - `GET /api/status`: a JSON body built in TS (`reply` + `body`).
 * - `GET /api/random?size=N`: a body produced block by block by `read()` (chunked transfer).
 * - `PUT|POST /api/upload/NAME`: the upload is received block by block by `write()` and kept in
 *   memory; GPAC answers `201 Created`. Uploads need `Authorization: Bearer demo`, others get
 *   401 (no credentials) or 403 (wrong ones).
 * - `GET /api/later`: answered 200 ms later from a timer (`send()` outside `onRequest`).
 * - anything else: GPAC serves the files of the folder (`reply = 0`).
 *
 * The session is non-blocking and stepped from the event loop, so the `fetch` client below runs
 * in this process.
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write --allow-net examples/httpout_api.ts
 * ```
 *
 * `--port N` picks the port, `--serve` keeps serving until Ctrl+C, e.g.
 * `curl -T file -H "Authorization: Bearer demo" http://127.0.0.1:N/api/upload/file`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { FilterSession, GF_FS_FLAG_NON_BLOCKING, HTTPOutRequest } from "../mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: { port: { type: "string" }, serve: { type: "boolean", default: false } },
});

const uploads = new Map<string, Uint8Array>();
let served = 0;

class Api extends HTTPOutRequest {
  #parts: Uint8Array[] = [];
  #left = 0;

  override onRequest(method: string, url: string, _authCode: number, headers: Headers): void {
    served++;
    const path = url.split("?")[0];
    if (path === "/api/status") {
      this.reply = 200;
      this.headersOut.set("Content-Type", "application/json");
      this.body = JSON.stringify({ served, uploads: [...uploads.keys()] });
    } else if (path === "/api/random") {
      this.reply = 200;
      this.headersOut.set("Content-Type", "application/octet-stream");
      this.#left = Number(new URLSearchParams(url.split("?")[1]).get("size") ?? 100000);
    } else if (path.startsWith("/api/upload/")) {
      const auth = headers.get("authorization");
      if (method !== "PUT" && method !== "POST") {
        this.reply = 405;
        this.body = "use PUT or POST";
      } else if (!auth) this.reply = 401;
      else if (auth !== "Bearer demo") this.reply = 403;
      else {
        this.reply = 200; // accepted: the body goes to write()
        this.headersOut.set("Location", path);
      }
    } else if (path === "/api/later") {
      setTimeout(() => {
        this.reply = 200;
        this.body = "answered from a timer";
        this.send();
      }, 200);
      return; // no send() now: the request waits
    }
    this.send();
  }

  override read(buf: Uint8Array): number {
    const n = Math.min(buf.length, this.#left);
    crypto.getRandomValues(buf.subarray(0, Math.min(n, 65536)));
    this.#left -= n;
    return n; // 0 ends the body
  }

  override write(buf: Uint8Array | null): void {
    if (buf) {
      this.#parts.push(buf.slice()); // buf is only valid during the call
      return;
    }
    const all = new Uint8Array(this.#parts.reduce((n, p) => n + p.length, 0));
    this.#parts.reduce((o, p) => (all.set(p, o), o + p.length), 0);
    uploads.set(this.url, all);
  }
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const dir = Deno.makeTempDirSync({ prefix: "httpout-api-" });
Deno.writeTextFileSync(`${dir}/index.html`, "<h1>served by GPAC</h1>\n");
const port = opts.port ? Number(opts.port) : freePort();
using fs = new FilterSession({ flags: GF_FS_FLAG_NON_BLOCKING });
fs.load(`httpout:ip=127.0.0.1:port=${port}:rdirs=${dir}`).bind(new Api());

let stop = false;
const stepping = (async () => {
  while (!stop) {
    fs.run();
    await new Promise((r) => setTimeout(r, 0));
  }
})();

const base = `http://127.0.0.1:${port}`;
if (opts.serve) {
  console.log(`serving on ${base}/ (Ctrl+C to stop)`);
  await stepping;
}

const show = async (label: string, p: Promise<Response>) => {
  const r = await p;
  const body = new Uint8Array(await r.arrayBuffer());
  const text = r.headers.get("content-type")?.startsWith("application/octet")
    ? `${body.length} bytes`
    : JSON.stringify(new TextDecoder().decode(body));
  console.log(`${label}: ${r.status} ${text}`);
};
const file = new Uint8Array(50000).map((_, i) => i % 251);
await show("GET /index.html", fetch(`${base}/index.html`));
await show("GET /api/random?size=70000", fetch(`${base}/api/random?size=70000`));
await show(
  "PUT without credentials",
  fetch(`${base}/api/upload/a.bin`, { method: "PUT", body: file }),
);
await show(
  "PUT with wrong credentials",
  fetch(`${base}/api/upload/a.bin`, {
    method: "PUT",
    body: file,
    headers: { Authorization: "Bearer nope" },
  }),
);
await show(
  "PUT with credentials",
  fetch(`${base}/api/upload/a.bin`, {
    method: "PUT",
    body: file,
    headers: { Authorization: "Bearer demo" },
  }),
);
await show("GET /api/later", fetch(`${base}/api/later`));
await show("GET /api/status", fetch(`${base}/api/status`));
const got = uploads.get("/api/upload/a.bin");
console.log(
  `upload kept in TS: ${got?.length} bytes, intact: ${got?.every((v, i) => v === file[i])}`,
);

stop = true;
await stepping;
fs.close();
Deno.removeSync(dir, { recursive: true });
