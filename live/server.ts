/**
 * The HTTP side of a live stream, on `Deno.serve`: the output folder under `/media/` (MIME types,
 * cache headers, LL-HLS blocking playlist reload), `GET /markers?since=T`, `GET /info`, and the
 * player page with hls.js taken from the npm package at run time.
 *
 * @module
 */

import pageHtml from "./page/index.html" with { type: "text" };
import playerJs from "./page/player.js" with { type: "text" };
import type { MarkerStore } from "./markers.ts";

/** Where a {@link LiveServer} listens. */
export interface LiveServerOptions {
  /** TCP port (0 or absent: a free port). */
  port?: number;
  /** Interface (default `127.0.0.1`). */
  host?: string;
}

/** What the server publishes besides the folder. */
export interface LiveServerConfig extends LiveServerOptions {
  /** HLS master playlist name in the folder, or null. */
  hls: string | null;
  /** DASH manifest name in the folder, or null. */
  dash: string | null;
  /** Stream description for `/info`. */
  info: () => Record<string, unknown>;
}

const MIME: Record<string, string> = {
  m3u8: "application/vnd.apple.mpegurl",
  mpd: "application/dash+xml",
  m4s: "video/iso.segment",
  mp4: "video/mp4",
  m4v: "video/mp4",
  ts: "video/mp2t",
  json: "application/json",
};

let hlsJs: Promise<string> | undefined;

const COMMON = { "access-control-allow-origin": "*" };

/** True when a manifest file read while GPAC may be rewriting it looks complete. */
function complete(name: string, text: string): boolean {
  if (name.endsWith(".m3u8")) return text.startsWith("#EXTM3U") && text.endsWith("\n");
  if (name.endsWith(".mpd")) return text.trimEnd().endsWith("</MPD>");
  return true;
}

/** Last complete media sequence number and the number of parts listed after it. */
function playlistState(text: string): { msn: number; parts: number } {
  const seq = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? 0);
  const lines = text.split("\n");
  let segs = 0;
  let parts = 0;
  for (const l of lines) {
    if (l.startsWith("#EXT-X-PART:")) parts++;
    else if (l.startsWith("#EXTINF:")) segs++;
    else if (l && !l.startsWith("#") && segs > 0) parts = 0;
  }
  return { msn: seq + segs - 1, parts };
}

/** Serves a live stream's folder, markers, info and player page. */
export class LiveServer {
  readonly #dir: string;
  readonly #store: MarkerStore;
  readonly #cfg: LiveServerConfig;
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #abort = new AbortController();
  #closed = false;
  /** Requests answered, by path prefix (for tests and benches). */
  readonly hits: Map<string, number> = new Map();

  /** Starts listening at once. */
  constructor(dir: string, store: MarkerStore, cfg: LiveServerConfig) {
    const port = cfg.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(`serve.port must be an integer in 0..65535, got ${port}`);
    }
    this.#dir = dir;
    this.#store = store;
    this.#cfg = cfg;
    this.#server = Deno.serve({
      port,
      hostname: cfg.host ?? "127.0.0.1",
      signal: this.#abort.signal,
      onListen: () => {},
    }, (req) => this.#handle(req));
  }

  /** Base URL (`http://host:port`). */
  get origin(): string {
    const a = this.#server.addr;
    const host = a.hostname.includes(":") ? `[${a.hostname}]` : a.hostname;
    return `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${a.port}`;
  }

  /** The page, manifests and markers URLs. */
  get urls(): { page: string; hls: string | null; dash: string | null; markers: string } {
    const o = this.origin;
    return {
      page: `${o}/`,
      hls: this.#cfg.hls ? `${o}/media/${this.#cfg.hls}` : null,
      dash: this.#cfg.dash ? `${o}/media/${this.#cfg.dash}` : null,
      markers: `${o}/markers`,
    };
  }

  async #handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const path = decodeURIComponent(url.pathname);
    const key = path.split("/")[1] || "/";
    this.hits.set(key, (this.hits.get(key) ?? 0) + 1);
    if (req.method === "OPTIONS") {
      return new Response(null, {
        status: 204,
        headers: { ...COMMON, "access-control-allow-methods": "GET, HEAD" },
      });
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return new Response("method not allowed", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    try {
      if (path === "/" || path === "/index.html") {
        return text(pageHtml, "text/html; charset=utf-8", "no-cache");
      }
      if (path === "/player.js") return text(playerJs, "text/javascript", "no-cache");
      if (path === "/vendor/hls.min.js") {
        // the player from the npm package (Deno's npm cache), loaded on first request
        hlsJs ??= import("hls.js/dist/hls.min.js", { with: { type: "text" } }).then((m) =>
          m.default as string
        );
        return text(await hlsJs, "text/javascript", "public, max-age=86400");
      }
      if (path === "/favicon.ico") return new Response(null, { status: 204, headers: COMMON });
      if (path === "/markers") return await this.#markers(url);
      if (path === "/info") return json(this.#cfg.info());
      if (path.startsWith("/media/")) return await this.#file(path.slice(7), url, req.method);
      return new Response("not found", { status: 404, headers: COMMON });
    } catch (e) {
      return new Response(`error: ${(e as Error)?.message ?? e}`, { status: 500, headers: COMMON });
    }
  }

  async #markers(url: URL): Promise<Response> {
    const s = url.searchParams.get("since");
    const since = s === null || s === "" ? -Infinity : Number(s);
    if (Number.isNaN(since)) {
      return json({ error: `since must be a number of seconds, got "${s}"` }, 400);
    }
    const l = url.searchParams.get("limit");
    const limit = l === null ? 10_000 : Number(l);
    if (!Number.isInteger(limit) || limit < 1) {
      return json({ error: `limit must be a positive integer, got "${l}"` }, 400);
    }
    const markers = await this.#store.since(since, limit);
    return json({ epoch: this.#cfg.info().epoch, markers });
  }

  async #file(rel: string, url: URL, method: string): Promise<Response> {
    if (rel === "" || rel.split("/").some((p) => p === ".." || p === "") || rel.includes("\\")) {
      return new Response("bad path", { status: 400, headers: COMMON });
    }
    // LL-HLS parts are "<segment>.m4s.<n>"
    const base = rel.replace(/\.m4s\.\d+$/, ".m4s");
    const ext = base.slice(base.lastIndexOf(".") + 1).toLowerCase();
    const full = `${this.#dir}/${rel}`;
    const manifest = ext === "m3u8" || ext === "mpd";
    if (manifest) {
      const msn = url.searchParams.get("_HLS_msn");
      let body = await this.#readManifest(full, rel);
      if (body !== null && ext === "m3u8" && msn !== null) {
        // LL-HLS blocking reload: hold the request until the segment/part asked for is listed
        const want = Number(msn);
        const wantPart = url.searchParams.get("_HLS_part");
        const deadline = performance.now() + 3000 * (this.#cfg.info().segmentDuration as number);
        for (;;) {
          const st = playlistState(body!);
          const ok = wantPart === null
            ? st.msn >= want
            : st.msn >= want || (st.msn + 1 === want && st.parts > Number(wantPart));
          if (ok || performance.now() > deadline || this.#closed || /#EXT-X-ENDLIST/.test(body!)) {
            break;
          }
          await new Promise((r) => setTimeout(r, 20));
          body = (await this.#readManifest(full, rel)) ?? body;
        }
      }
      if (body === null) return new Response("not found", { status: 404, headers: COMMON });
      if (ext === "m3u8" && !body.includes("CAN-BLOCK-RELOAD")) {
        // this server implements blocking playlist reload (above): tell LL-HLS clients
        body = body.replace(
          "#EXT-X-SERVER-CONTROL:",
          "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,",
        );
      }
      return new Response(method === "HEAD" ? null : body, {
        headers: { ...COMMON, "content-type": MIME[ext], "cache-control": "no-cache" },
      });
    }
    if (this.#cfg.hls && /\.m4s(\.\d+)?$/.test(rel)) {
      // LL-HLS: a part or segment announced by a preload hint (or not listed yet) may still be
      // being written: answer once a playlist lists it complete (blocking preload)
      const name = rel.slice(rel.lastIndexOf("/") + 1);
      const deadline = performance.now() + 3000 * (this.#cfg.info().segmentDuration as number);
      while (!(await this.#listed(name)) && performance.now() < deadline && !this.#closed) {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    let data: Uint8Array;
    try {
      data = await Deno.readFile(full);
      // an ISOBMFF segment or part still being flushed to disk ends inside a box: read again
      for (let i = 0; i < 50 && ext === "m4s" && !boxesComplete(data); i++) {
        await new Promise((r) => setTimeout(r, 5));
        data = await Deno.readFile(full);
      }
    } catch {
      return new Response("not found", { status: 404, headers: COMMON });
    }
    const maxAge = Math.max(1, Math.round(this.#cfg.info().window as number));
    return new Response(method === "HEAD" ? null : data as Uint8Array<ArrayBuffer>, {
      headers: {
        ...COMMON,
        "content-type": MIME[ext] ?? "application/octet-stream",
        "cache-control": `public, max-age=${maxAge}`,
      },
    });
  }

  #variants: { at: number; text: string; any: boolean } = { at: -1, text: "", any: false };

  /** True if `name` appears in a media playlist as a complete segment or part. */
  async #listed(name: string): Promise<boolean> {
    const now = performance.now();
    if (now - this.#variants.at > 10) {
      let text = "";
      let any = false;
      for await (const e of Deno.readDir(this.#dir)) {
        if (e.isFile && e.name.endsWith(".m3u8") && e.name !== this.#cfg.hls) {
          any = true;
          // a playlist being rewritten reads incomplete: keep what was read before
          text += (await this.#readManifest(`${this.#dir}/${e.name}`, e.name)) ?? "";
        }
      }
      if (!any || text) this.#variants = { at: now, text, any };
    }
    const { text: t, any } = this.#variants;
    if (!any) return true; // no HLS playlist (yet): nothing to wait for
    // listed as a segment line, or as an EXT-X-PART URI (a preload hint does not count)
    return t.includes(`\n${name}\n`) || t.includes(`#EXT-X-PART:`) && t.includes(`URI="${name}"`) &&
        !t.includes(`PRELOAD-HINT:TYPE=PART,URI="${name}"`);
  }

  async #readManifest(full: string, rel: string): Promise<string | null> {
    for (let i = 0; i < 20; i++) {
      let t: string;
      try {
        t = await Deno.readTextFile(full);
      } catch {
        return null;
      }
      if (complete(rel, t)) return t;
      await new Promise((r) => setTimeout(r, 5)); // GPAC is rewriting it
    }
    return null;
  }

  /** Stops listening (open requests are answered first). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    await this.#server.finished;
  }
}

/** True if `data` is a whole number of ISOBMFF boxes. */
function boxesComplete(data: Uint8Array): boolean {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let o = 0;
  while (o + 8 <= data.length) {
    let size = dv.getUint32(o);
    if (size === 1) {
      if (o + 16 > data.length) return false;
      size = Number(dv.getBigUint64(o + 8));
    } else if (size === 0) return true; // to the end of the file
    if (size < 8) return false;
    o += size;
  }
  return o === data.length && data.length > 0;
}

function text(body: string, type: string, cache: string): Response {
  return new Response(body, {
    headers: { ...COMMON, "content-type": type, "cache-control": cache },
  });
}

function json(v: unknown, status = 200): Response {
  return new Response(JSON.stringify(v), {
    status,
    headers: { ...COMMON, "content-type": "application/json", "cache-control": "no-cache" },
  });
}
