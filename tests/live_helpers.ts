/**
 * Helpers of the live-stream tests: decoding a presentation with GPAC and reading the frame
 * counters burned into the checkerboard, free ports, and services started on loopback.
 *
 * @module
 */

import {
  FilterCustom,
  FilterEvent,
  type FilterPid,
  FilterSession,
  fourccToString,
  GF_CAPS_INPUT,
  GF_EOS,
  GF_FEVT_PLAY,
} from "../mod.ts";
import { readFrameCounter } from "../live/checkerboard.ts";

/** One decoded frame: its presentation time (s) and the counter read from its pixels. */
export interface DecodedFrame {
  time: number;
  counter: number;
}

/** A sink reading the counter blocks of each decoded YUV frame. */
class CounterSink extends FilterCustom {
  readonly frames: DecodedFrame[] = [];
  #geo: { w: number; h: number; stride: number; ts: number } | null = null;
  constructor(fs: FilterSession) {
    super(fs, "counter_sink");
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT);
    this.pushCap("CodecID", "raw", GF_CAPS_INPUT);
  }
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) return 0;
    const pf = pid.getProp("PixelFormat");
    const name = typeof pf === "number" ? fourccToString(pf) : String(pf);
    if (name !== "yuv420" && name !== "YU12") {
      pid.negotiateCap("PixelFormat", "yuv420");
      return 0;
    }
    const w = pid.getProp("Width") as number;
    this.#geo = {
      w,
      h: pid.getProp("Height") as number,
      stride: (pid.getProp("Stride") as number) || w,
      ts: pid.timescale,
    };
    if (!this.ipids.includes(pid)) pid.sendEvent(new FilterEvent(GF_FEVT_PLAY));
    return 0;
  }
  override process(): number {
    if (this.ipids.length === 0) return GF_EOS;
    for (const pid of this.ipids) {
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        const g = this.#geo;
        if (g) {
          const clone = pck.frameIfce ? pck.clone() : null;
          const data = clone ? clone.data : pck.data;
          this.frames.push({
            time: Number(pck.cts) / g.ts,
            counter: readFrameCounter(data, g.stride, g.w, g.h),
          });
          clone?.discard();
        }
        pid.dropPacket();
      }
    }
    return 0;
  }
}

/** Decodes the video of `url` (an HLS playlist or DASH manifest) with GPAC (dashin + ffdec). */
export function decodeCounters(url: string): DecodedFrame[] {
  using fs = new FilterSession();
  const src = fs.loadSrc(url);
  const sink = new CounterSink(fs);
  sink.setSource(src);
  fs.run();
  return sink.frames;
}

/** A free TCP port on loopback. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** True if `name` is an executable on PATH (or an absolute path that exists). */
export function hasBinary(name: string): boolean {
  const dirs = name.startsWith("/") ? [""] : (Deno.env.get("PATH") ?? "").split(":");
  for (const d of dirs) {
    try {
      const st = Deno.statSync(d ? `${d}/${name}` : name);
      if (st.isFile) return true;
    } catch { /* next */ }
  }
  return false;
}

/** Polls `check` every `ms` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs: number,
  ms = 100,
): Promise<NonNullable<T>> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (performance.now() > end) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, ms));
  }
}

/** A `redis-server` on a free loopback port, stopped by `close()`. */
export async function startRedis(): Promise<{ url: string; close(): Promise<void> }> {
  const port = freePort();
  const child = new Deno.Command("redis-server", {
    args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = child.stdout.getReader();
  const dec = new TextDecoder();
  let text = "";
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  while (!/Ready to accept connections/i.test(text)) {
    const r = await out.read();
    if (r.done) throw new Error(`redis-server exited: ${text}`);
    text += dec.decode(r.value);
  }
  clearTimeout(timer);
  // keep draining so that redis never blocks on a full pipe
  (async () => {
    try {
      while (!(await out.read()).done) { /* drop */ }
    } catch { /* closed */ }
  })();
  child.stderr.cancel();
  return {
    url: `redis://127.0.0.1:${port}`,
    async close() {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      await child.status;
    },
  };
}
