/**
 * A static file server run in a Worker by `dash_helpers.ts` for GPAC releases whose `httpout`
 * request hooks deno-gpac refuses (2.4): it serves the presentation folder on loopback while the
 * test's thread is blocked in a session, and publishes the requests it received in a
 * SharedArrayBuffer the test reads synchronously afterwards.
 *
 * Shared layout (Int32 slots): 0 state (0 starting, 1 listening, 2 failed), 1 port, 2 sequence
 * number (odd while the log is being written), 3 byte length of the log; the log (JSON of
 * `SeenRequest[]`, or the error message when failed) from byte `logOffset`.
 *
 * @module
 */

/// <reference lib="deno.worker" />

/** What the test sends to start the server. */
export interface FileServerStart {
  /** The shared buffer described in the module notes. */
  shared: SharedArrayBuffer;
  /** Folder served at `/`. */
  dir: string;
  /** Microseconds to wait before each block of `block` bytes (0: none). */
  throttleUs: number;
  /** Bytes per block of a response body. */
  block: number;
  /** Byte offset of the log in `shared` (after the four Int32 slots). */
  logOffset: number;
}

const TYPES: Record<string, string> = {
  mpd: "application/dash+xml",
  m3u8: "application/vnd.apple.mpegurl",
  m4s: "video/iso.segment",
  mp4: "video/mp4",
};

interface Entry {
  method: string;
  path: string;
  completed: boolean;
  bytesDone: number;
}

function publish(shared: SharedArrayBuffer, logOffset: number, text: string): void {
  const slots = new Int32Array(shared);
  const bytes = new TextEncoder().encode(text);
  const room = shared.byteLength - logOffset;
  Atomics.add(slots, 2, 1); // odd: writing
  new Uint8Array(shared, logOffset, Math.min(bytes.length, room)).set(bytes.subarray(0, room));
  Atomics.store(slots, 3, Math.min(bytes.length, room));
  Atomics.add(slots, 2, 1); // even: done
}

function start({ shared, dir, throttleUs, block, logOffset }: FileServerStart): void {
  const slots = new Int32Array(shared);
  const log: Entry[] = [];
  const update = () => publish(shared, logOffset, JSON.stringify(log));
  const delay = () => new Promise((r) => setTimeout(r, throttleUs / 1000));
  try {
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      async (req) => {
        const path = decodeURIComponent(new URL(req.url).pathname).replace(/^\/+/, "");
        const entry: Entry = { method: req.method, path, completed: false, bytesDone: 0 };
        log.push(entry);
        update();
        let data: Uint8Array;
        try {
          if (path.split("/").includes("..")) throw new Error("outside the folder");
          data = await Deno.readFile(`${dir}/${path}`);
        } catch {
          entry.completed = true;
          update();
          return new Response("not found", { status: 404 });
        }
        const headers = {
          "content-type": TYPES[path.split(".").pop() ?? ""] ?? "application/octet-stream",
          "content-length": String(data.length),
        };
        if (req.method === "HEAD") {
          entry.completed = true;
          update();
          return new Response(null, { headers });
        }
        let offset = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(ctl) {
            if (offset >= data.length) {
              entry.completed = true;
              update();
              ctl.close();
              return;
            }
            if (throttleUs > 0) await delay();
            const chunk = data.subarray(offset, offset + block);
            offset += chunk.length;
            entry.bytesDone = offset;
            update();
            ctl.enqueue(chunk);
          },
          cancel() {
            update(); // the client went away: not completed
          },
        });
        return new Response(body, { headers });
      },
    );
    Atomics.store(slots, 1, server.addr.port);
    Atomics.store(slots, 0, 1);
  } catch (e) {
    publish(shared, logOffset, String(e));
    Atomics.store(slots, 0, 2);
  }
  Atomics.notify(slots, 0);
}

self.onmessage = (e: MessageEvent<FileServerStart>) => start(e.data);
