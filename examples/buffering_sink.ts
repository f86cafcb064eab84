/**
 * A player-like sink with buffering control, without a display: it consumes frames at real-time
 * pace and reports how full its input buffers are.
 *
 * When an input PID is configured, `BufferedPlayer` sends two events upstream on it:
 *
 * 1. `GF_FEVT_BUFFER_REQ`, filling `evt.bufferReq`: `maxBufferUs` is how much media GPAC may
 *    queue for this sink (the source is blocked beyond that), `maxPlayoutUs` and `minPlayoutUs`
 *    are the start and restart thresholds this player uses (only informative for GPAC, which
 *    passes them on, e.g. to a DASH client's adaptation logic). GPAC applies the request on the
 *    first PID up the chain that feeds a decoder (or on a raw media source).
 * 2. `GF_FEVT_PLAY`, since nothing flows until a sink asks for it.
 *
 * `process()` then behaves like a player's clock: it waits until every input holds `--play`
 * ms of media, starts a wall clock, and only drops the packets whose composition time is due by
 * that clock. Packets that are not due yet stay queued, so the chain stays filled up to `--max`,
 * and the filter asks to be called back when the next one is due (`this.reschedule(ms)`). If an
 * input falls under `--rebuffer` ms, playback pauses until it holds `--play` ms again, unless
 * GPAC reports that the end of the stream was already seen upstream (`pid.hasSeenEos`). Every
 * `--every` ms it prints one line per input: `pid.buffer`, the media queued along the whole chain
 * up to the source (what the thresholds are checked against), `pid.bufferOccupancy` (packets
 * and duration queued on this PID alone, against their limits: here the decoder's output) and
 * `pid.nbPckQueued`.
 *
 * Without `--input`, a clip is first encoded from GPAC's `avgen` generator (AVC + AAC, in a
 * temporary folder) and played through GPAC's demuxer and decoders, as a player would.
 * (`avgen`'s raw video cannot be buffered ahead: it reuses one frame buffer and waits until the
 * sink releases it.) A local file is read much faster than real time: the buffers fill at once,
 * stay at the maximum while playing, and drain at the end; GPAC also sees the end of a local file
 * early, so playback never pauses. The start and pause thresholds matter for sources that arrive
 * at network pace, such as HTTP or DASH URLs given with `--input`.
 *
 * Run it with:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/buffering_sink.ts
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/buffering_sink.ts \
 *   --dur 5 --max 3000 --play 1500 --every 500
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/buffering_sink.ts \
 *   --input movie.mp4
 * ```
 *
 * `--input` replaces the generated clip with a file or URL (its streams are decoded by GPAC: the
 * sink takes raw audio and video; libgpac does its own networking, Deno's `--allow-net` is not
 * involved), `--dur` is the length of the clip (default 2 s; playback is real time, so
 * this is also roughly the run time), `--max`, `--play` and `--rebuffer` are the buffer levels in
 * milliseconds (defaults 1000, 500 and 100), `--every` the report period in milliseconds
 * (default 250).
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  FilterCustom,
  FilterEvent,
  type FilterPid,
  FilterSession,
  GF_CAPS_INPUT,
  GF_EOS,
  GF_FEVT_BUFFER_REQ,
  GF_FEVT_PLAY,
} from "../mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    input: { type: "string" },
    dur: { type: "string", default: "2" },
    max: { type: "string", default: "1000" },
    play: { type: "string", default: "500" },
    rebuffer: { type: "string", default: "100" },
    every: { type: "string", default: "250" },
  },
});

/** Reads a numeric option, in range. */
function num(name: keyof typeof opts, min: number): number {
  const v = Number(opts[name]);
  if (!(v >= min)) throw new Error(`--${name} must be a number >= ${min}, got "${opts[name]}"`);
  return v;
}
const dur = num("dur", 0.01);
const maxMs = num("max", 1);
const playMs = num("play", 0);
const rebufferMs = num("rebuffer", 0);
const everyMs = num("every", 1);
if (playMs > maxMs) throw new Error("--play cannot exceed --max");
let input = opts.input;
if (!input) {
  // a player reads coded media: encode a clip from avgen first (avgen's raw video could not be
  // buffered ahead anyway, it reuses one frame buffer and waits until the sink releases it)
  input = `${await Deno.makeTempDir({ prefix: "deno-gpac-buffering-" })}/clip.mp4`;
  using enc = new FilterSession();
  enc.loadSrc(`avgen:dur=${dur}`);
  enc.load("ffenc:c=avc");
  enc.load("ffenc:c=aac");
  enc.loadDst(input);
  enc.run();
  console.log(`encoded avgen:dur=${dur} to ${input}`);
}

/**
 * Packets due within this many seconds are played now: GPAC's scheduler counts in whole
 * milliseconds and runs a task whose time is less than 1 ms away at once, so waiting for
 * shorter delays would only spin.
 */
const EARLY = 0.002;

/** Per-input counters. */
interface Track {
  label: string;
  played: number;
  /** Largest buffered duration seen, in microseconds. */
  peakUs: number;
}

class BufferedPlayer extends FilterCustom {
  readonly tracks = new Map<FilterPid, Track>();
  /** Waiting for the buffers to fill (at start, or after running low). */
  buffering = true;
  stalls = 0;
  reports = 0;
  /** Calls to process(). */
  calls = 0;
  /** Media time (seconds) shown at wall time `clockStart` (ms); null before playback. */
  #mediaOrigin: number | null = null;
  #clockStart = 0;
  #pausedAt: number | null = null;
  #lastReport = -Infinity;
  #t0 = performance.now();
  #finished = false;

  constructor(fs: FilterSession) {
    super(fs, "buffered_player");
    // one bundle: (Visual or Audio) and raw
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT);
    this.pushCap("StreamType", "Audio", GF_CAPS_INPUT);
    this.pushCap("CodecID", "raw", GF_CAPS_INPUT);
  }

  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) return 0;
    if (this.ipids.includes(pid)) return 0; // reconfiguration: nothing to redo
    this.tracks.set(pid, { label: pid.name, played: 0, peakUs: 0 });

    const req = new FilterEvent(GF_FEVT_BUFFER_REQ);
    req.bufferReq.maxBufferUs = maxMs * 1000;
    req.bufferReq.maxPlayoutUs = playMs * 1000;
    req.bufferReq.minPlayoutUs = rebufferMs * 1000;
    pid.sendEvent(req);
    pid.sendEvent(new FilterEvent(GF_FEVT_PLAY));
    console.log(`${pid.name}: buffer request sent (max ${maxMs} ms), playing`);
    return 0;
  }

  /**
   * Lowest buffer level among inputs still receiving data, in microseconds. `pid.buffer` counts
   * the media queued along the whole chain up to the source (decoder input included). Infinity
   * when one input holds the maximum: a source feeding several inputs may then be blocked, and
   * waiting for the others would never end.
   */
  #level(): number {
    let low = Infinity;
    let full = false;
    for (const pid of this.ipids) {
      const t = this.tracks.get(pid)!;
      const us = pid.buffer;
      t.peakUs = Math.max(t.peakUs, us);
      full ||= us >= maxMs * 1000;
      if (!pid.hasSeenEos) low = Math.min(low, us); // nothing more to wait for once EOS is seen
    }
    return full ? Infinity : low;
  }

  #clock(now: number): string {
    return `t=${((now - this.#t0) / 1000).toFixed(2)}s`;
  }

  override process(): number {
    this.calls++;
    const now = performance.now();
    // not connected (yet): GPAC keeps calling a filter without PIDs that returns GF_OK, as it
    // would a source, so a sink whose source failed would spin forever
    if (this.ipids.length === 0) return GF_EOS;
    if (this.#finished) return 0;
    if (this.ipids.every((p) => p.eos)) {
      this.#finished = true;
      this.#report(now, "end of streams");
      return 0;
    }

    const level = this.#level();
    if (this.buffering) {
      if (level < playMs * 1000) {
        const pc = Math.min(100, (100 * level) / (playMs * 1000 || 1));
        this.#report(now, `buffering ${pc.toFixed(0)} %`);
        this.reschedule(10);
        return 0;
      }
      this.buffering = false;
      if (this.#mediaOrigin === null) {
        this.#mediaOrigin = this.#firstCts();
        this.#clockStart = now;
        console.log(`${this.#clock(now)} buffer ready: playback starts`);
      } else {
        this.#clockStart += now - (this.#pausedAt ?? now); // the media clock stood still
        this.#pausedAt = null;
        console.log(`${this.#clock(now)} buffer refilled: playback resumes`);
      }
    } else if (level < rebufferMs * 1000) {
      this.buffering = true;
      this.#pausedAt = now;
      this.stalls++;
      console.log(`${this.#clock(now)} buffer under ${rebufferMs} ms: pausing`);
      this.reschedule(10);
      return 0;
    }

    // drop what is due by the wall clock, keep the rest queued
    const mediaNow = this.#mediaOrigin! + (now - this.#clockStart) / 1000;
    let nextDue = Infinity;
    for (const pid of this.ipids) {
      const t = this.tracks.get(pid)!;
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        const ts = pck.cts ?? pck.dts;
        const at = ts === null ? mediaNow : Number(ts) / pck.timescale;
        if (at > mediaNow + EARLY) {
          nextDue = Math.min(nextDue, at);
          break;
        }
        t.played++;
        pid.dropPacket();
      }
    }
    this.#report(now, `playing, media time ${mediaNow.toFixed(2)}s`);
    // come back when the next packet is due (new packets also wake the filter up)
    this.reschedule(nextDue === Infinity ? 10 : (nextDue - mediaNow) * 1000);
    return 0;
  }

  /** Earliest composition time (seconds) among the packets at the head of the inputs. */
  #firstCts(): number {
    let first = Infinity;
    for (const pid of this.ipids) {
      const pck = pid.getPacket();
      const ts = pck && (pck.cts ?? pck.dts);
      if (pck && ts !== null) first = Math.min(first, Number(ts) / pck.timescale);
    }
    return first === Infinity ? 0 : first;
  }

  #report(now: number, state: string): void {
    if (now - this.#lastReport < everyMs && !this.#finished) return;
    this.#lastReport = now;
    this.reports++;
    console.log(`${this.#clock(now)} ${state}`);
    for (const pid of this.ipids) {
      const occ = pid.bufferOccupancy;
      console.log(
        `  ${pid.name.padEnd(6)} buffer ${(pid.buffer / 1000).toFixed(0).padStart(5)} ms` +
          ` | occupancy ${occ.nbPck}/${occ.maxUnits} pck,` +
          ` ${(occ.duration / 1000).toFixed(0)}/${(occ.maxDuration / 1000).toFixed(0)} ms` +
          ` | queued ${pid.nbPckQueued} | played ${this.tracks.get(pid)!.played}` +
          (pid.hasSeenEos ? " | eos seen" : ""),
      );
    }
  }
}

console.log(
  `${input}: max buffer ${maxMs} ms, start at ${playMs} ms, pause under ${rebufferMs} ms\n`,
);
const t0 = performance.now();
using fs = new FilterSession();
fs.loadSrc(input);
const player = new BufferedPlayer(fs);
fs.run();
const wall = (performance.now() - t0) / 1000;

console.log(
  `\ndone in ${wall.toFixed(2)} s wall clock, ${player.stalls} stall(s), ` +
    `${player.calls} process() calls`,
);
for (const t of player.tracks.values()) {
  console.log(
    `  ${t.label}: ${t.played} packets played, peak buffer ${(t.peakUs / 1000).toFixed(0)} ms`,
  );
}
if (player.tracks.size === 0) Deno.exit(1);
