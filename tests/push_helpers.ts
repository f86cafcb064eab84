/**
 * Helpers of the push/loop tests: free loopback ports, receivers started as child processes
 * (killed in `finally`), and the packets of a received file read back with ffprobe.
 *
 * @module
 */

import { makeMedia } from "./helpers.ts";

/** A free TCP port on 127.0.0.1 (also used for UDP-based SRT: nothing else binds it here). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** True if `bin` runs. */
export function hasBinary(bin: string): boolean {
  try {
    new Deno.Command(bin, { args: ["-version"], stdout: "null", stderr: "null" }).outputSync();
    return true;
  } catch {
    return false;
  }
}

/** Protocols of the installed ffmpeg (input side), or an empty set without ffmpeg. */
export function ffmpegProtocols(): Set<string> {
  if (!hasBinary("ffmpeg")) return new Set();
  const out = new Deno.Command("ffmpeg", { args: ["-hide_banner", "-protocols"], stdout: "piped" })
    .outputSync();
  const text = new TextDecoder().decode(out.stdout);
  const input = text.split("Output:")[0];
  return new Set(input.split(/\s+/).filter((w) => /^[a-z0-9]+$/.test(w)));
}

/** A receiver child process; `stop()` kills it if still running, `exited` its status. */
export interface Receiver {
  child: Deno.ChildProcess;
  exited: Promise<Deno.CommandStatus>;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Starts `ffmpeg args` (time-bounded by `timeoutS`), capturing stderr. */
export function startFfmpeg(args: string[], timeoutS = 30): Receiver {
  const child = new Deno.Command("timeout", {
    args: [String(timeoutS), "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", ...args],
    stdout: "null",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  let err = "";
  const dec = new TextDecoder();
  const reading = (async () => {
    for await (const c of child.stderr) err += dec.decode(c);
  })();
  const exited = child.status.then(async (s) => {
    await reading;
    return s;
  });
  return {
    child,
    exited,
    stderr: () => err,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already exited */ }
      await exited;
    },
  };
}

/**
 * An ffmpeg RTMP server (`-listen 1`) on `port`, copying what it receives into `out`, ended
 * after `timeoutS`.
 */
export function rtmpReceiver(port: number, out: string, timeoutS = 30): Receiver & { url: string } {
  const url = `rtmp://127.0.0.1:${port}/app/key`;
  return { ...startFfmpeg(["-listen", "1", "-i", url, "-c", "copy", out], timeoutS), url };
}

/** An ffmpeg SRT listener on `port`, copying what it receives into `out`, ended after `timeoutS`. */
export function srtReceiver(port: number, out: string, timeoutS = 30): Receiver & { url: string } {
  const listen = `srt://127.0.0.1:${port}?mode=listener`;
  const rx = startFfmpeg(["-i", listen, "-c", "copy", out], timeoutS);
  return { ...rx, url: `srt://127.0.0.1:${port}` };
}

/** Waits (at most `ms`) for a receiver to end on its own once its sender is done. */
export async function settled(rx: Receiver, ms = 10_000): Promise<void> {
  await Promise.race([rx.exited, new Promise((r) => setTimeout(r, ms))]);
}

/** Waits until something listens on TCP `port` (ffmpeg's RTMP server), at most `ms`. */
export async function waitTcp(port: number, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      // `ss` avoids connecting (an RTMP listener that accepts a probe connection exits)
      const out = new Deno.Command("ss", { args: ["-ltn"], stdout: "piped" }).outputSync();
      if (new TextDecoder().decode(out.stdout).includes(`127.0.0.1:${port} `)) return;
    } catch {
      /* no ss: fall back to a delay */
      await new Promise((r) => setTimeout(r, 500));
      return;
    }
    if (Date.now() > end) throw new Error(`nothing listens on port ${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A packet of a received file. */
export interface RxPacket {
  /** `"video"` or `"audio"`. */
  type: string;
  /** Decode time, seconds. */
  dts: number;
  /** Presentation time, seconds. */
  pts: number;
}

/** Packets per stream type of a media file, in file order, read with ffprobe. */
export function probePackets(path: string): Map<string, RxPacket[]> {
  const st = new Deno.Command("ffprobe", {
    args: ["-v", "error", "-show_entries", "stream=index,codec_type", "-of", "csv=p=0", path],
    stdout: "piped",
  }).outputSync();
  const types = new Map<string, string>();
  for (const l of new TextDecoder().decode(st.stdout).trim().split("\n")) {
    const [i, t] = l.split(",");
    if (i) types.set(i, t);
  }
  const out = new Deno.Command("ffprobe", {
    args: [
      "-v",
      "error",
      "-show_entries",
      "packet=stream_index,pts_time,dts_time",
      "-of",
      "csv=p=0",
      path,
    ],
    stdout: "piped",
  }).outputSync();
  const res = new Map<string, RxPacket[]>();
  for (const l of new TextDecoder().decode(out.stdout).trim().split("\n")) {
    const [i, pts, dts] = l.split(",");
    const type = types.get(i);
    if (!type) continue;
    if (!res.has(type)) res.set(type, []);
    res.get(type)!.push({ type, pts: Number(pts), dts: Number(dts === "N/A" ? pts : dts) });
  }
  return res;
}

/** The test clip: 2 s of avgen, AVC (keyframe every second) + AAC, 50 + 88 frames. */
export function avClip(): string {
  return makeMedia("push_clip.mp4", 2, ["ffenc:c=avc:fintra=1", "ffenc:c=aac"]);
}

/** Asserts `xs` is strictly increasing; returns the first offending index or -1. */
export function firstNonIncreasing(xs: number[]): number {
  for (let i = 1; i < xs.length; i++) if (!(xs[i] > xs[i - 1])) return i;
  return -1;
}
