/**
 * httpout request hooks against the real libgpac, with `fetch` on loopback as the client.
 *
 * The server session is non-blocking and stepped from the JS event loop (see `serve`), so the
 * client runs in the same process; one test uses a blocking multi-threaded session with `curl`
 * in a child process instead.
 */

import assert from "node:assert/strict";
import {
  boundHTTPOutHandler,
  FilterSession,
  GF_BAD_PARAM,
  GF_EOS,
  GF_FS_FLAG_NON_BLOCKING,
  GF_IP_UDP_TIMEOUT,
  GF_NOT_SUPPORTED,
  GF_URL_ERROR,
  GpacError,
  httpOutCompleted,
  HTTPOutHandler,
  HTTPOutRequest,
  normaliseRequestPath,
} from "../mod.ts";
import { gpacSymbols } from "../ffi/library.ts";
import { CStringReader } from "../ffi/buffers.ts";
import { makeMedia, refused, tmpDir, tmpPath } from "./helpers.ts";

/**
 * Spawn options for the native tools these tests start (curl): the parent's environment without
 * `LD_PRELOAD`. A run against the ASan build of libgpac preloads the ASan runtime (README,
 * Development), and curl started with it deadlocks in its first `setlocale()` (reproduced without
 * GPAC or Deno: `LD_PRELOAD=$(gcc -print-file-name=libasan.so) curl http://127.0.0.1:1/` never
 * returns).
 */
function toolEnv(): { clearEnv: true; env: Record<string, string> } {
  const env = Deno.env.toObject();
  delete env.LD_PRELOAD;
  return { clearEnv: true, env };
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

interface Server {
  fs: FilterSession;
  url: string;
  filter: ReturnType<FilterSession["load"]>;
}

/** A non-blocking session with an `httpout` server on a free loopback port. */
function server(options = "", dir = tmpDir()): Server {
  const port = freePort();
  const fs = new FilterSession({ flags: GF_FS_FLAG_NON_BLOCKING });
  const filter = fs.load(`httpout:ip=127.0.0.1:port=${port}:rdirs=${dir}${options}`);
  return { fs, filter, url: `http://127.0.0.1:${port}` };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/**
 * Steps the session on the event loop while `client` runs; returns what `client` returned.
 * An exception thrown by `run()` (e.g. from a request callback) rejects at once.
 */
async function serve<T>(fs: FilterSession, client: () => Promise<T>): Promise<T> {
  let done = false;
  const loop = (async () => {
    while (!done) {
      fs.run();
      await tick();
    }
  })();
  try {
    return await Promise.race([client(), loop.then(() => new Promise<never>(() => {}))]);
  } finally {
    done = true;
    await loop.catch(() => {});
  }
}

/** Steps the session until `cond()` holds (or fails after `ms`). */
async function until(fs: FilterSession, cond: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error("condition not reached in time");
    fs.run();
    await tick();
  }
}

function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
}

async function sha(b: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", b as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(d)].map((x) => x.toString(16).padStart(2, "0")).join("");
}

const clip = () => makeMedia("httpout_clip.mp4", 1);
const clipName = "httpout_clip.mp4";
const signal = () => AbortSignal.timeout(15000);

Deno.test("httpout: headers injected into GPAC-served files, request seen in TS", async () => {
  if (refused("httpout")) return;
  const file = Deno.readFileSync(clip());
  const seen: string[] = [];
  const closed: number[] = [];
  class Inject extends HTTPOutRequest {
    override onRequest(method: string, url: string, authCode: number, headers: Headers) {
      seen.push(`${method} ${url} ${authCode} ${headers.get("x-client")}`);
      assert.equal(this.state, "pending");
      assert.equal(this.root, handler);
      if (method === "GET") {
        assert.ok(this.rawHeaders.some(([k, v]) => k.toLowerCase() === "x-client" && v === "t1"));
      }
      this.headersOut.set("X-Deno-Gpac", "injected");
      this.headersOut.set("Cache-Control", "no-store");
      this.send();
      assert.equal(this.state, "sent");
    }
    override close(reason: number) {
      closed.push(reason);
    }
  }
  const handler = new Inject();
  const { fs, filter, url } = server();
  try {
    filter.bind(handler);
    assert.equal(handler.state, "unbound");
    const r = await serve(
      fs,
      () => fetch(`${url}/${clipName}`, { headers: { "X-Client": "t1" }, signal: signal() }),
    );
    const body = new Uint8Array(await serve(fs, () => r.arrayBuffer()));
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("x-deno-gpac"), "injected");
    assert.equal(r.headers.get("cache-control"), "no-store");
    assert.equal(r.headers.get("content-type"), "video/mp4");
    assert.equal(await sha(body), await sha(file));
    await until(fs, () => closed.length === 1);
    assert.deepEqual(seen, [`GET /${clipName} 200 t1`]);
    assert.ok(httpOutCompleted(closed[0]), `close reason ${closed[0]}`);
    // a HEAD on the same server gets the headers too
    const h = await serve(fs, () => fetch(`${url}/${clipName}`, { method: "HEAD" }));
    assert.equal(h.status, 200);
    assert.equal(h.headers.get("x-deno-gpac"), "injected");
    assert.equal(Number(h.headers.get("content-length")), file.length);
    assert.equal(seen[1], `HEAD /${clipName} 200 null`);
  } finally {
    fs.close();
  }
});

Deno.test("httpout: range requests on GPAC-served files still work through the hook", async () => {
  if (refused("httpout")) return;
  const file = Deno.readFileSync(clip());
  const urls: string[] = [];
  class Watch extends HTTPOutRequest {
    override onRequest(_m: string, url: string, _a: number, headers: Headers) {
      urls.push(`${url} ${headers.get("range")}`);
      this.headersOut.set("X-Range-Seen", headers.get("range") ?? "none");
      this.send();
    }
  }
  const { fs, filter, url } = server();
  try {
    filter.bind(new Watch());
    const get = (range: string) =>
      serve(fs, async () => {
        const r = await fetch(`${url}/${clipName}`, {
          headers: { Range: range },
          signal: signal(),
        });
        return { r, body: new Uint8Array(await r.arrayBuffer()) };
      });
    const a = await get("bytes=100-1099");
    assert.equal(a.r.status, 206);
    assert.equal(a.r.headers.get("content-range"), `bytes 100-1099/${file.length}`);
    assert.equal(a.r.headers.get("x-range-seen"), "bytes=100-1099");
    assert.deepEqual(a.body, file.subarray(100, 1100));
    const tail = await get("bytes=-500");
    assert.equal(tail.r.status, 206);
    assert.deepEqual(tail.body, file.subarray(file.length - 500));
    const open = await get(`bytes=${file.length - 10}-`);
    assert.deepEqual(open.body, file.subarray(file.length - 10));
    const bad = await get(`bytes=${file.length + 10}-${file.length + 20}`);
    assert.equal(bad.r.status, 416);
    assert.equal(urls.length, 4);
  } finally {
    fs.close();
  }
});

Deno.test("httpout: bodies served from TS (string, bytes, read() stream, local file)", async () => {
  if (refused("httpout")) return;
  const payload = randomBytes(123457); // several GPAC blocks (10000 bytes each)
  const reads: number[] = [];
  class Api extends HTTPOutRequest {
    override onRequest(method: string, url: string) {
      if (url === "/hello") {
        this.reply = 200;
        this.body = `hello ${method} ✓`;
        this.headersOut = { "Content-Type": "text/plain; charset=utf-8" };
      } else if (url === "/bytes") {
        this.reply = 200;
        this.body = payload.subarray(0, 5000);
        this.headersOut = [["Content-Type", "application/octet-stream"]];
      } else if (url === "/stream") {
        this.reply = 200; // read() below produces the body, sent chunked
      } else if (url === "/sized") {
        this.reply = 200; // read() with a known length: not chunked
        this.headersOut = { "Content-Length": String(payload.length) };
      } else if (url === "/alias.mp4") {
        this.file = clip(); // GPAC serves another file for this URL
      } else {
        this.reply = 404;
        this.body = "no such thing";
      }
      this.send();
    }
    #pos = 0;
    override read(buf: Uint8Array): number {
      reads.push(buf.length);
      const n = Math.min(buf.length, payload.length - this.#pos);
      buf.set(payload.subarray(this.#pos, this.#pos + n));
      this.#pos += n;
      return n;
    }
  }
  const { fs, filter, url } = server();
  try {
    filter.bind(new Api());
    const get = (path: string) =>
      serve(fs, async () => {
        const r = await fetch(url + path, { signal: signal() });
        return { r, body: new Uint8Array(await r.arrayBuffer()) };
      });
    const hello = await get("/hello");
    assert.equal(hello.r.status, 200);
    assert.equal(new TextDecoder().decode(hello.body), "hello GET ✓");
    assert.equal(hello.r.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.equal(Number(hello.r.headers.get("content-length")), hello.body.length);

    const bytes = await get("/bytes");
    assert.equal(bytes.r.status, 200);
    assert.deepEqual(bytes.body, payload.subarray(0, 5000));
    assert.equal(bytes.r.headers.get("content-length"), "5000");

    const stream = await get("/stream");
    assert.equal(stream.r.status, 200);
    assert.equal(stream.r.headers.get("content-length"), null);
    assert.equal(stream.r.headers.get("transfer-encoding"), "chunked");
    assert.equal(await sha(stream.body), await sha(payload));
    assert.ok(reads.length >= 13, `read() called ${reads.length} times`);

    const sized = await get("/sized");
    assert.equal(sized.r.status, 200);
    assert.equal(Number(sized.r.headers.get("content-length")), payload.length);
    assert.equal(sized.r.headers.get("transfer-encoding"), null);
    assert.equal(await sha(sized.body), await sha(payload));

    const alias = await get("/alias.mp4");
    assert.equal(alias.r.status, 200);
    assert.equal(await sha(alias.body), await sha(Deno.readFileSync(clip())));

    // read() right after a GPAC-served file on the same kept-alive connection
    reads.length = 0;
    const again = await get("/stream");
    assert.equal(await sha(again.body), await sha(payload));
    assert.ok(reads.length >= 13);
    // an upload refused (404 below) by a handler that overrides read(): complete answer, and
    // the connection is not reused (the upload was not read)
    const up = await serve(
      fs,
      () => fetch(`${url}/nothing`, { method: "PUT", body: "x".repeat(30000), signal: signal() }),
    );
    assert.equal(up.status, 404);
    assert.equal(up.headers.get("connection"), "close");
    assert.equal(await serve(fs, () => up.text()), "no such thing");

    const missing = await get("/nothing");
    assert.equal(missing.r.status, 404);
    assert.equal(new TextDecoder().decode(missing.body), "no such thing");
  } finally {
    fs.close();
  }
});

Deno.test("httpout: PUT/POST uploads received in TS", async () => {
  if (refused("httpout")) return;
  const upload = randomBytes(250001);
  const received = new Map<string, Uint8Array[]>();
  const ends: string[] = [];
  const closed: number[] = [];
  class Sink extends HTTPOutRequest {
    override onRequest(method: string, url: string) {
      if (method === "POST" || method === "PUT") {
        this.reply = 200;
        this.headersOut.set("X-Stored-As", url); // sent with GPAC's final 201
        received.set(`${method} ${url}`, []);
      }
      this.send();
    }
    override write(buf: Uint8Array | null): void {
      if (buf === null) ends.push(`${this.method} ${this.url}`);
      else received.get(`${this.method} ${this.url}`)!.push(buf.slice());
    }
    override close(reason: number) {
      closed.push(reason);
    }
  }
  const { fs, filter, url } = server();
  try {
    filter.bind(new Sink());
    const post = await serve(fs, async () => {
      const r = await fetch(`${url}/up/post.bin`, {
        method: "POST",
        body: upload,
        signal: signal(),
      });
      await r.arrayBuffer();
      return r;
    });
    assert.equal(post.status, 201);
    assert.equal(post.headers.get("x-stored-as"), "/up/post.bin");
    assert.equal(post.headers.get("content-length"), "0");
    const put = await serve(fs, async () => {
      const r = await fetch(`${url}/up/put.txt`, {
        method: "PUT",
        body: "small text upload",
        signal: signal(),
      });
      await r.arrayBuffer();
      return r;
    });
    assert.equal(put.status, 201);
    // a body of unknown length, sent with chunked transfer encoding
    const chunked = await serve(fs, async () => {
      const parts = [upload.subarray(0, 70000), upload.subarray(70000, 150000)];
      const r = await fetch(`${url}/up/chunked.bin`, {
        method: "POST",
        body: ReadableStream.from(parts),
        signal: signal(),
      });
      await r.arrayBuffer();
      return r;
    });
    assert.equal(chunked.status, 201);
    await until(fs, () => closed.length === 3);
    const got = (k: string) => {
      const parts = received.get(k)!;
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) out.set(p, (o += p.length) - p.length);
      return out;
    };
    assert.equal(await sha(got("POST /up/post.bin")), await sha(upload));
    assert.ok(received.get("POST /up/post.bin")!.length > 1, "upload arrived in several blocks");
    assert.equal(new TextDecoder().decode(got("PUT /up/put.txt")), "small text upload");
    assert.equal(await sha(got("POST /up/chunked.bin")), await sha(upload.slice(0, 150000)));
    assert.deepEqual(ends, ["POST /up/post.bin", "PUT /up/put.txt", "POST /up/chunked.bin"]);
    assert.ok(closed.every(httpOutCompleted), `close reasons ${closed}`);
  } finally {
    fs.close();
  }
});

Deno.test("httpout: requests rejected (401/403) from their headers", async () => {
  if (refused("httpout")) return;
  const seen: number[] = [];
  class Auth extends HTTPOutRequest {
    override onRequest(_m: string, _u: string, authCode: number, headers: Headers) {
      seen.push(authCode);
      const auth = headers.get("authorization");
      if (!auth) {
        this.reply = 401;
        this.headersOut.set("X-Auth-Hint", "use a bearer token");
        this.body = "credentials required";
      } else if (auth !== "Bearer s3cret") {
        this.reply = 403;
      }
      this.send();
    }
  }
  const { fs, filter, url } = server();
  try {
    filter.bind(new Auth());
    const get = (init: RequestInit = {}) =>
      serve(fs, async () => {
        const r = await fetch(`${url}/${clipName}`, { ...init, signal: signal() });
        return { r, body: new Uint8Array(await r.arrayBuffer()) };
      });
    const none = await get();
    assert.equal(none.r.status, 401);
    assert.equal(none.r.headers.get("x-auth-hint"), "use a bearer token");
    assert.equal(none.r.headers.get("www-authenticate"), "Basic"); // GPAC's own, kept
    assert.equal(new TextDecoder().decode(none.body), "credentials required");
    const wrong = await get({ headers: { Authorization: "Bearer nope" } });
    assert.equal(wrong.r.status, 403);
    assert.equal(wrong.body.length, 0);
    // an upload refused without reading it (no write() override needed to refuse)
    const up = await get({ method: "POST", body: "x".repeat(1000) });
    assert.equal(up.r.status, 401);
    const ok = await get({ headers: { Authorization: "Bearer s3cret" } });
    assert.equal(ok.r.status, 200);
    assert.equal(await sha(ok.body), await sha(Deno.readFileSync(clip())));
    assert.deepEqual(seen, [200, 200, 200, 200]); // no GPAC credential rules on this folder
  } finally {
    fs.close();
  }
});

Deno.test("httpout: throttle() paces a transfer", async () => {
  if (refused("httpout")) return;
  const dir = `${tmpDir()}/throttle`;
  Deno.mkdirSync(dir, { recursive: true });
  const data = randomBytes(400000);
  Deno.writeFileSync(`${dir}/slow.bin`, data);
  Deno.writeFileSync(`${dir}/fast.bin`, data);
  const calls: [number, number][] = [];
  class Slow extends HTTPOutRequest {
    override throttle(done: number, total: number): number {
      if (this.url !== "/slow.bin") return 0;
      calls.push([done, total]);
      return 40_000; // 40 ms between sending rounds
    }
  }
  const { fs, filter, url } = server("", dir);
  try {
    filter.bind(new Slow());
    const timed = async (name: string) => {
      const t0 = performance.now();
      const body = await serve(fs, async () => {
        const r = await fetch(`${url}/${name}`, { signal: signal() });
        return new Uint8Array(await r.arrayBuffer());
      });
      assert.equal(await sha(body), await sha(data));
      return performance.now() - t0;
    };
    const fast = await timed("fast.bin");
    const slow = await timed("slow.bin");
    // once the socket is full, each round waits 40 ms
    assert.ok(slow >= 300, `throttled transfer took ${slow.toFixed(0)} ms`);
    assert.ok(slow > fast * 2, `throttled ${slow.toFixed(0)} ms vs ${fast.toFixed(0)} ms`);
    assert.ok(calls.length >= 6, `throttle called ${calls.length} times`);
    assert.ok(calls.every(([, t]) => t === data.length), "total is the file size");
    for (let i = 1; i < calls.length; i++) assert.ok(calls[i][0] > calls[i - 1][0]);
  } finally {
    fs.close();
  }
});

Deno.test("httpout: server keeps serving while a client disconnects mid-transfer", async () => {
  if (refused("httpout")) return;
  const dir = `${tmpDir()}/disconnect`;
  Deno.mkdirSync(dir, { recursive: true });
  const data = randomBytes(400000);
  Deno.writeFileSync(`${dir}/long.bin`, data);
  Deno.copyFileSync(clip(), `${dir}/${clipName}`);
  const closes = new Map<string, number>();
  class Pace extends HTTPOutRequest {
    override throttle(): number {
      return this.url === "/long.bin" ? 20_000 : 0;
    }
    override close(reason: number) {
      closes.set(this.url + (closes.has(this.url) ? "#2" : ""), reason);
    }
  }
  const { fs, filter, url } = server("", dir);
  try {
    filter.bind(new Pace());
    const ac = new AbortController();
    const got = await serve(fs, async () => {
      const r = await fetch(`${url}/long.bin`, { signal: ac.signal });
      const reader = r.body!.getReader();
      const first = await reader.read();
      ac.abort(); // the client goes away after the first block
      await reader.cancel().catch(() => {});
      return first.value!.length;
    });
    assert.ok(got > 0 && got < data.length);
    // GPAC notices the closed connection while the next client is served
    const body = await serve(fs, async () => {
      const r = await fetch(`${url}/${clipName}`, { signal: signal() });
      return new Uint8Array(await r.arrayBuffer());
    });
    assert.equal(await sha(body), await sha(Deno.readFileSync(clip())));
    await until(fs, () => closes.has("/long.bin"));
    const reason = closes.get("/long.bin")!;
    assert.ok(reason < 0, `aborted transfer closed with ${reason}`);
    // and again, on a fresh connection
    const again = await serve(fs, async () => {
      const r = await fetch(`${url}/${clipName}`, { signal: signal() });
      await r.arrayBuffer();
      return r.status;
    });
    assert.equal(again, 200);
  } finally {
    fs.close();
  }
});

Deno.test("httpout: send() later, from a timer or a session task", async () => {
  if (refused("httpout")) return;
  const pending: HTTPOutRequest[] = [];
  class Later extends HTTPOutRequest {
    override onRequest() {
      pending.push(this); // answered later
    }
  }
  const { fs, filter, url } = server();
  try {
    filter.bind(new Later());
    const res = serve(fs, async () => {
      const r = await fetch(`${url}/${clipName}`, { signal: signal() });
      return { status: r.status, text: await r.text() };
    });
    await until(fs, () => pending.length === 1);
    assert.equal(pending[0].state, "pending");
    setTimeout(() => {
      pending[0].reply = 202;
      pending[0].body = "answered later";
      pending[0].send();
    }, 100);
    const t0 = performance.now();
    const r = await res;
    assert.ok(performance.now() - t0 >= 90);
    assert.deepEqual(r, { status: 202, text: "answered later" });
    // from a task posted to the session
    const res2 = serve(fs, async () => {
      const r2 = await fetch(`${url}/x`, { signal: signal() });
      return { status: r2.status, text: await r2.text() };
    });
    await until(fs, () => pending.length === 2);
    fs.post(() => {
      pending[1].reply = 200;
      pending[1].body = "from a task";
      pending[1].send();
      return -1;
    });
    assert.deepEqual(await res2, { status: 200, text: "from a task" });
    assert.throws(
      () => pending[1].send(),
      (e) => e instanceof GpacError && e.code === GF_BAD_PARAM,
    );
  } finally {
    fs.close();
  }
  // the filter is gone: a still-pending request cannot be answered
  assert.equal(pending.length, 2);
});

Deno.test("httpout: a pending request past the filter timeout cannot be sent", async () => {
  if (refused("httpout")) return;
  const pending: HTTPOutRequest[] = [];
  class Forget extends HTTPOutRequest {
    override onRequest() {
      pending.push(this);
    }
  }
  const { fs, filter, url } = server(":timeout=1");
  try {
    filter.bind(new Forget());
    const ac = new AbortController();
    const res = serve(fs, () => fetch(`${url}/${clipName}`, { signal: ac.signal }));
    await until(fs, () => pending.length === 1);
    await new Promise((r) => setTimeout(r, 1100));
    assert.throws(
      () => pending[0].send(),
      (e) => e instanceof GpacError && e.code === GF_IP_UDP_TIMEOUT && /timeout/.test(e.message),
    );
    assert.equal(pending[0].state, "closed");
    ac.abort();
    await res.catch(() => {});
  } finally {
    fs.close();
  }
});

Deno.test("httpout: an exception in onRequest answers 500, surfaces from run(), next session works", async () => {
  if (refused("httpout")) return;
  class Boom extends HTTPOutRequest {
    override onRequest(_m: string, url: string) {
      throw new Error(`handler failed on ${url}`);
    }
  }
  let { fs, filter, url } = server();
  try {
    filter.bind(new Boom());
    const res = fetch(`${url}/boom`, { signal: signal() });
    let err: unknown = null;
    try {
      await until(fs, () => false, 10000); // steps until run() throws
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Error && err.message === "handler failed on /boom", String(err));
    assert.match(err.stack ?? "", /onRequest/);
    const status = (await res).status; // the 500 left before the session stopped
    assert.equal(status, 500);
  } finally {
    fs.close();
  }
  // a new session serves again
  ({ fs, filter, url } = server());
  try {
    filter.bind(new HTTPOutRequest());
    const r = await serve(fs, () => fetch(`${url}/${clipName}`, { signal: signal() }));
    assert.equal(r.status, 200);
    await serve(fs, () => r.arrayBuffer());
  } finally {
    fs.close();
  }
});

Deno.test("httpout: invalid answers are GpacErrors naming the value", async () => {
  if (refused("httpout")) return;
  const errors: GpacError[] = [];
  class Bad extends HTTPOutRequest {
    override onRequest(method: string, url: string) {
      const tries: (() => void)[] = [
        () => {
          this.reply = 1000;
        },
        () => {
          this.reply = 200;
          this.body = "a\0b";
        },
        () => {
          this.body = "body without reply";
        },
        () => {
          this.file = tmpPath("missing.mp4");
        },
        () => {
          this.reply = 200;
          this.headersOut = [["Bad Name", "x"]];
        },
        () => {
          if (method === "POST") this.reply = 200; // accepting an upload without write()
          else this.reply = 1;
        },
      ];
      for (const t of tries) {
        this.reply = 0;
        this.body = null;
        this.file = null;
        this.headersOut = new Headers();
        try {
          t();
          this.send();
          assert.fail("send() accepted an invalid answer");
        } catch (e) {
          if (!(e instanceof GpacError)) throw e;
          errors.push(e);
        }
      }
      assert.equal(this.state, "pending");
      this.reply = 418;
      this.body = `still answered: ${url}`;
      this.send();
    }
  }
  const { fs, filter, url } = server();
  try {
    filter.bind(new Bad());
    const r = await serve(fs, async () => {
      const r = await fetch(`${url}/q`, { method: "POST", body: "data", signal: signal() });
      return { status: r.status, text: await r.text() };
    });
    assert.deepEqual(r, { status: 418, text: "still answered: /q" });
    assert.deepEqual(errors.map((e) => e.codeName), [
      "GF_BAD_PARAM",
      "GF_BAD_PARAM",
      "GF_BAD_PARAM",
      "GF_URL_ERROR",
      "GF_BAD_PARAM",
      "GF_BAD_PARAM",
    ]);
    assert.match(errors[0].message, /1000/);
    assert.match(errors[1].message, /NUL/);
    assert.match(errors[3].message, /missing\.mp4/);
    assert.match(errors[5].message, /write\(\)/);
    assert.equal(errors[3].code, GF_URL_ERROR);
  } finally {
    fs.close();
  }
});

Deno.test("httpout: bind() checks the filter and the object; handler objects cannot send", () => {
  if (refused("httpout")) return;
  using fs = new FilterSession();
  const http = fs.load(`httpout:ip=127.0.0.1:port=${freePort()}:rdirs=${tmpDir()}`);
  assert.throws(
    () => http.bind({ onRequest() {} }),
    (e) => e instanceof GpacError && e.code === GF_BAD_PARAM && /HTTPOutRequest/.test(e.message),
  );
  const other = fs.load("inspect:deep:log=null");
  assert.throws(
    () => other.bind(new HTTPOutRequest()),
    (e) => e instanceof GpacError && e.code === GF_NOT_SUPPORTED && /inspect/.test(e.message),
  );
  const h = new HTTPOutRequest();
  http.bind(h);
  http.bind(new HTTPOutRequest()); // rebinding replaces the handler
  assert.throws(() => h.send(), (e) => e instanceof GpacError && e.code === GF_BAD_PARAM);
  fs.close();
  assert.throws(() => http.bind(new HTTPOutRequest()), GpacError);
});

Deno.test("httpout: callbacks run on the JS thread in a multi-threaded blocking session", async () => {
  if (refused("httpout")) return;
  const port = freePort();
  const jsThread = gpacSymbols().gf_th_id();
  const threads = new Set<number | bigint>();
  const urls: string[] = [];
  class OnThread extends HTTPOutRequest {
    override onRequest(_m: string, url: string) {
      threads.add(gpacSymbols().gf_th_id());
      urls.push(url);
      this.reply = 200;
      this.body = `served ${url}`;
      this.send();
    }
    override close(reason: number) {
      threads.add(gpacSymbols().gf_th_id());
      assert.ok(httpOutCompleted(reason));
      if (urls.length >= 2) this.filter!.session.abort();
    }
  }
  using fs = new FilterSession({ threads: 2 });
  fs.load(`httpout:ip=127.0.0.1:port=${port}:rdirs=${tmpDir()}`).bind(new OnThread());
  // the client lives in another process: a blocking run() holds the JS thread
  const curl = new Deno.Command("curl", {
    args: [
      "-s",
      "--max-time",
      "10",
      "--retry",
      "20",
      "--retry-max-time",
      "20",
      "--retry-connrefused",
      "--retry-delay",
      "0",
      `http://127.0.0.1:${port}/one`,
      `http://127.0.0.1:${port}/two`,
    ],
    stdout: "piped",
    ...toolEnv(),
  }).spawn();
  // time bound: nothing in this process runs until run() returns, so a watchdog process sends
  // the two requests that end the session if curl has not after 60 s (the test then fails on
  // curl's output instead of hanging)
  const watchdog = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `await new Promise((r) => setTimeout(r, 60_000));
       for (const p of ["one", "two"]) {
         await fetch("http://127.0.0.1:${port}/" + p).then((r) => r.text(), () => {});
       }`,
    ],
    stdout: "null",
    stderr: "null",
    ...toolEnv(),
  }).spawn();
  let ret: number;
  try {
    ret = fs.run();
  } finally {
    try {
      watchdog.kill("SIGKILL");
    } catch { /* it already ran */ }
    await watchdog.status;
  }
  const out = new TextDecoder().decode((await curl.output()).stdout);
  assert.equal(ret, GF_EOS);
  assert.equal(out, "served /oneserved /two");
  assert.deepEqual(urls, ["/one", "/two"]);
  assert.deepEqual([...threads], [jsThread]);
});

/** Sends one raw HTTP/1.1 GET (no client-side normalisation) and returns the status and body. */
async function rawGet(port: number, target: string): Promise<{ status: number; text: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(
      new TextEncoder().encode(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      ),
    );
    // read the head, then Content-Length bytes (GPAC may keep the connection open)
    let text = "";
    const buf = new Uint8Array(65536);
    const dec = new TextDecoder();
    for (;;) {
      const end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        const len = Number(/content-length:\s*(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
        if (text.length - end - 4 >= len) break;
      }
      const n = await conn.read(buf);
      if (n === null) break;
      text += dec.decode(buf.subarray(0, n), { stream: true });
    }
    return { status: Number(text.split(" ")[1]), text };
  } finally {
    try {
      conn.close();
    } catch { /* already closed */ }
  }
}

Deno.test("httpout: hooks judge the path GPAC serves (no traversal past a 401 hook)", async () => {
  if (refused("httpout")) return;
  const dir = Deno.makeTempDirSync({ dir: tmpDir() });
  Deno.mkdirSync(`${dir}/private`);
  Deno.mkdirSync(`${dir}/sub`);
  Deno.writeTextFileSync(`${dir}/private/p.txt`, "secret");
  Deno.writeTextFileSync(`${dir}/public.txt`, "public");
  const seen: [string, string][] = [];
  class Guard extends HTTPOutRequest {
    override onRequest(_m: string, url: string) {
      seen.push([url, this.rawUrl]);
      if (url.startsWith("/private")) this.reply = 401;
      this.send();
    }
  }
  const port = freePort();
  using fs = new FilterSession();
  fs.load(`httpout:ip=127.0.0.1:port=${port}:rdirs=${dir}`).bind(Guard);
  const targets = [
    "/private/p.txt",
    "//private/p.txt",
    "/./private/p.txt",
    "/sub/../private/p.txt",
    "/sub/%2e%2e/private/p.txt",
    "/sub/%2E%2E//./private/p.txt?x=1",
  ];
  const ac = new AbortController();
  const run = fs.runAsync({ signal: ac.signal }).catch((e) => e);
  try {
    for (const t of targets) {
      const r = await rawGet(port, t);
      assert.equal(r.status, 401, `${t} -> ${r.status}`);
      assert.ok(!r.text.includes("secret"), t);
    }
    const ok = await rawGet(port, "/sub/../public.txt");
    assert.equal(ok.status, 200);
    assert.ok(ok.text.endsWith("public"));
  } finally {
    ac.abort();
    await run;
  }
  assert.deepEqual(seen.map(([u]) => u), [
    ...targets.slice(0, 5).map(() => "/private/p.txt"),
    "/private/p.txt?x=1",
    "/public.txt",
  ]);
  assert.equal(seen[3][1], "/sub/../private/p.txt");
  assert.equal(seen[4][1], "/sub/../private/p.txt"); // GPAC percent-decodes the target once
});

Deno.test("httpout: an async onRequest under the synchronous run() stops it with a clear error", async () => {
  if (refused("httpout")) return;
  class Later extends HTTPOutRequest {
    override async onRequest() {
      await new Promise((r) => setTimeout(r, 1));
      this.send();
    }
  }
  const port = freePort();
  using fs = new FilterSession();
  fs.load(`httpout:ip=127.0.0.1:port=${port}:rdirs=${tmpDir()}`).bind(Later);
  // a bound on the run: if the refusal did not happen, the session would serve forever
  fs.post(() => {
    if (performance.now() - t0 > 20_000) fs.abort();
    return 50;
  }, "deadline");
  const t0 = performance.now();
  const curl = new Deno.Command("curl", {
    args: [
      "-s",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code}",
      "--max-time",
      "5",
      "--retry-max-time",
      "5",
      "--retry",
      "20",
      "--retry-connrefused",
      "--retry-delay",
      "0",
      `http://127.0.0.1:${port}/x`,
    ],
    stdout: "piped",
    ...toolEnv(),
  }).spawn();
  assert.throws(() => fs.run(), (e: unknown) => {
    assert.ok(e instanceof GpacError, String(e));
    assert.equal(e.code, GF_BAD_PARAM);
    assert.match(e.message, /returned a Promise.*runAsync\(\)/);
    return true;
  });
  fs.close();
  // the 500 may not leave before the session stops: the client sees it or a closed connection
  const code = new TextDecoder().decode((await curl.output()).stdout);
  assert.ok(code === "500" || code === "000", code);
});

Deno.test("httpout: an HTTPOutHandler makes each request and holds shared state", async () => {
  if (refused("httpout")) return;
  class Counted extends HTTPOutRequest {
    constructor(readonly tag: string) {
      super();
    }
    override onRequest() {
      const h = this.root as Counter;
      h.count++;
      this.reply = 200;
      this.body = `${this.tag} ${h.count}`;
      this.send();
    }
  }
  class Counter extends HTTPOutHandler {
    count = 0;
  }
  const handler = new Counter(() => new Counted("n"));
  const { fs, filter, url } = server();
  try {
    filter.bind(handler);
    assert.equal(boundHTTPOutHandler(filter), handler);
    for (const n of [1, 2]) {
      const r = await serve(fs, () => fetch(`${url}/c`, { signal: signal() }));
      assert.equal(await serve(fs, () => r.text()), `n ${n}`);
    }
    assert.throws(() => new HTTPOutHandler(42 as never), TypeError);
    assert.throws(() => filter.bind({}), /HTTPOutHandler, an HTTPOutRequest class/);
  } finally {
    fs.close();
  }
});

Deno.test("httpout: normaliseRequestPath resolves what the file system would", () => {
  const cases: [string, string][] = [
    ["/a/b.txt", "/a/b.txt"],
    ["//a//b.txt", "/a/b.txt"],
    ["/./a/./b.txt", "/a/b.txt"],
    ["/x/../a/b.txt", "/a/b.txt"],
    ["/../../etc/passwd", "/etc/passwd"],
    ["/a/b/..", "/a/"],
    ["/a/", "/a/"],
    ["/", "/"],
    ["/a/../b?q=/../x", "/b?q=/../x"],
    ["/a/b?q=//x", "/a/b?q=//x"],
    ["/a/.b/c", "/a/.b/c"],
    ["a/b", "/a/b"],
    ["", "/"],
  ];
  for (const [raw, want] of cases) assert.equal(normaliseRequestPath(raw), want, raw);
});

/** Sends `head` (request line and headers, CRLF-separated, without the final blank line). */
async function rawRequest(port: number, head: Uint8Array): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const end = new TextEncoder().encode("\r\n\r\n");
    const req = new Uint8Array(head.length + end.length);
    req.set(head);
    req.set(end, head.length);
    await conn.write(req);
    let text = "";
    const buf = new Uint8Array(65536);
    const dec = new TextDecoder();
    for (;;) {
      const e = text.indexOf("\r\n\r\n");
      if (e >= 0) {
        const len = Number(/content-length:\s*(\d+)/i.exec(text.slice(0, e))?.[1] ?? 0);
        if (text.length - e - 4 >= len) break;
      }
      const n = await conn.read(buf);
      if (n === null) break;
      text += dec.decode(buf.subarray(0, n), { stream: true });
    }
    return text;
  } finally {
    try {
      conn.close();
    } catch { /* already closed */ }
  }
}

Deno.test("httpout: request strings read whole (UTF-8, many headers); close only when asked", async () => {
  if (refused("httpout")) return;
  const seen: { method: string; url: string; raw: (readonly [string, string])[]; h: Headers }[] =
    [];
  const answered: HTTPOutRequest[] = [];
  const closed: number[] = [];
  class Watch extends HTTPOutRequest {
    override onRequest(method: string, url: string, _a: number, headers: Headers) {
      seen.push({ method, url, raw: [...this.rawHeaders], h: headers });
      answered.push(this);
      this.reply = 200;
      this.body = "ok";
      this.send();
    }
  }
  class WatchClose extends Watch {
    override close(reason: number) {
      closed.push(reason);
    }
  }
  const { fs, filter, url } = server();
  const port = Number(new URL(url).port);
  try {
    filter.bind(Watch);
    const longPath = "/" + "p".repeat(300); // GPAC cuts longer targets and header lines
    const longValue = "v".repeat(900);
    const many = Array.from({ length: 20 }, (_, i) => `X-H${i}: value ${i}`);
    const head = new TextEncoder().encode(
      [
        `GET ${longPath}?q=1 HTTP/1.1`,
        "Host: 127.0.0.1",
        "Connection: close",
        "X-Name: café ∑",
        `X-Long: ${longValue}`,
        ...many,
      ].join("\r\n"),
    );
    const r1 = await serve(fs, () => rawRequest(port, head));
    assert.match(r1, /^HTTP\/1\.1 200/);
    const s = seen[0];
    assert.equal(s.method, "GET");
    assert.equal(s.url, `${longPath}?q=1`);
    const raw = new Map(s.raw.map(([k, v]) => [k.toLowerCase(), v]));
    assert.equal(raw.get("x-name"), "café ∑");
    assert.equal(raw.get("x-long"), longValue);
    assert.equal(s.h.get("x-long"), longValue);
    for (let i = 0; i < 20; i++) assert.equal(s.h.get(`x-h${i}`), `value ${i}`);
    // a request class that does not override close(): GPAC is not asked to report the end
    assert.equal(answered[0].state, "sent");
    assert.equal(answered[0].closeReason, null);
    filter.bind(WatchClose);
    const r2 = await serve(
      fs,
      () => fetch(`${url}/two`, { signal: signal() }).then((r) => r.text()),
    );
    assert.equal(r2, "ok");
    await until(fs, () => closed.length === 1);
    assert.equal(answered[1].state, "closed");
    assert.ok(httpOutCompleted(answered[1].closeReason!));
    // HEAD and other methods keep their names (read once per address)
    const r3 = await serve(fs, () => fetch(`${url}/three`, { method: "HEAD", signal: signal() }));
    assert.equal(r3.status, 200);
    assert.equal(seen[2].method, "HEAD");
  } finally {
    fs.close();
  }
});

Deno.test("httpout: the request string reader reads long, UTF-8 and NULL entries", () => {
  const s = gpacSymbols();
  const reader = new CStringReader(s);
  const enc = new TextEncoder();
  const texts = ["x".repeat(5000), "café ∑ 🎬", "", "Host"];
  const bufs = texts.map((t) => {
    const b = new Uint8Array(new ArrayBuffer(enc.encode(t).length + 1));
    b.set(enc.encode(t));
    return b;
  });
  const addr = (b: Uint8Array) => Deno.UnsafePointer.value(Deno.UnsafePointer.of(b));
  for (let i = 0; i < texts.length; i++) assert.equal(reader.string(addr(bufs[i])), texts[i]);
  assert.equal(reader.string(0), null);
  const table = new BigUint64Array(new ArrayBuffer(8 * (texts.length + 1)));
  texts.forEach((_, i) => table[i] = BigInt(addr(bufs[i])));
  table[texts.length] = 0n; // a NULL entry reads as ""
  const out = reader.table(addr(new Uint8Array(table.buffer)), texts.length + 1, []);
  assert.deepEqual(out, [...texts, ""]);
  assert.deepEqual(reader.table(0, 3, ["stale"]), []);
  bufs.length = 0; // kept alive until here
});

Deno.test("httpout: request headers read on first use; not kept for a request answered at once", async () => {
  if (refused("httpout")) return;
  const answered: { req: HTTPOutRequest; method: string; url: string }[] = [];
  const read: (string | null)[] = [];
  // answers during onRequest, never reads the headers, overrides no callback: none kept
  class AtOnce extends HTTPOutRequest {
    override onRequest(method: string, url: string) {
      answered.push({ req: this, method, url });
      this.reply = 200;
      this.body = "at once";
      this.send();
    }
  }
  // reads them through `this` only, during onRequest: they stay readable afterwards
  class ReadsThem extends HTTPOutRequest {
    override onRequest() {
      read.push(this.rawHeaders.find(([k]) => k.toLowerCase() === "x-test")?.[1] ?? null);
      answered.push({ req: this, method: this.method, url: this.url });
      this.reply = 200;
      this.body = "read";
      this.send();
    }
  }
  // answers later, from a timer: kept
  class Later extends HTTPOutRequest {
    override onRequest() {
      answered.push({ req: this, method: this.method, url: this.url });
      setTimeout(() => {
        read.push(this.headers.get("x-test"));
        this.reply = 200;
        this.body = "later";
        this.send();
      }, 20);
    }
  }
  const { fs, filter, url } = server();
  const get = (path: string) =>
    serve(
      fs,
      () =>
        fetch(`${url}${path}`, { headers: { "X-Test": path }, signal: signal() }).then((r) =>
          r.text()
        ),
    );
  try {
    filter.bind(AtOnce);
    assert.equal(await get("/a"), "at once");
    const a = answered[0];
    assert.equal(a.method, "GET");
    assert.equal(a.url, "/a");
    assert.equal(a.req.url, "/a");
    assert.equal(a.req.state, "sent");
    for (const late of [() => a.req.headers.get("x-test"), () => a.req.rawHeaders]) {
      assert.throws(
        late,
        (e) =>
          e instanceof GpacError && e.code === GF_BAD_PARAM &&
          /headers of GET \/a were not kept/.test(e.message),
      );
    }
    filter.bind(ReadsThem);
    assert.equal(await get("/b"), "read");
    assert.deepEqual(read, ["/b"]);
    assert.equal(answered[1].req.headers.get("x-test"), "/b");
    filter.bind(Later);
    assert.equal(await get("/c"), "later");
    assert.deepEqual(read, ["/b", "/c"]);
    assert.equal(answered[2].req.rawHeaders.find(([k]) => k.toLowerCase() === "x-test")?.[1], "/c");
  } finally {
    fs.close();
  }
});

Deno.test("httpout: headers a close() override never reads are kept; headersOut iterates", async () => {
  if (refused("httpout")) return;
  const file = Deno.readFileSync(clip());
  interface Seen {
    method: string;
    url: string;
    rawUrl: string;
    late?: { xTest: string | null; raw: (readonly [string, string])[]; all: [string, string][] };
  }
  const seen: Seen[] = [];
  class NeverReads extends HTTPOutRequest {
    override onRequest(method: string, url: string) {
      seen.push({ method, url, rawUrl: this.rawUrl });
      this.headersOut.set("X-One", "1");
      this.headersOut.append("x-many", "a");
      this.headersOut.append("X-Many", "b");
      // (GPAC keeps one line per name, gf_dm_sess_set_header_ex: no repeated set-cookie here)
      this.headersOut.append("Set-Cookie", "k1=v1");
      this.headersOut.set("X-One", "2"); // replaces
      this.send();
    }
    override close() {
      // after the request ended: the headers were copied while GPAC's callback ran
      seen[seen.length - 1].late = {
        xTest: this.headers.get("x-test"),
        raw: [...this.rawHeaders],
        all: [...this.headers],
      };
    }
  }
  const { fs, filter, url } = server();
  try {
    filter.bind(NeverReads);
    const r = await serve(fs, () =>
      fetch(`${url}/sub/../${clipName}?a=1`, {
        headers: { "X-Test": "lazy value", "X-Other": "o" },
        signal: signal(),
      }));
    const body = new Uint8Array(await serve(fs, () => r.arrayBuffer()));
    assert.equal(r.status, 200);
    assert.equal(await sha(body), await sha(file));
    assert.equal(r.headers.get("x-one"), "2");
    assert.equal(r.headers.get("x-many"), "a, b");
    assert.deepEqual(r.headers.getSetCookie(), ["k1=v1"]);
    await until(fs, () => seen[0]?.late !== undefined);
    const s = seen[0];
    assert.equal(s.method, "GET");
    assert.equal(s.url, `/${clipName}?a=1`); // fetch sends the path as written: normalised here
    assert.match(s.rawUrl, /^\/(sub\/\.\.\/)?httpout_clip\.mp4\?a=1$/);
    assert.equal(s.late!.xTest, "lazy value");
    const raw = new Map(s.late!.raw.map(([k, v]) => [k.toLowerCase(), v]));
    assert.equal(raw.get("x-test"), "lazy value");
    assert.equal(raw.get("x-other"), "o");
    assert.deepEqual(s.late!.all, [...new Headers(s.late!.raw as [string, string][])]);
  } finally {
    fs.close();
  }
});
