/**
 * `restamp`: rewrites packet timestamps. `speed=2` makes the stream play twice as fast (DTS,
 * CTS and durations divided by 2; the media is not resampled), `offset=10` shifts it by 10
 * seconds, `rebase` makes the first timestamp of each PID 0 before that. Payloads are not copied
 * (output packets reference the input ones).
 *
 * ```sh
 * deno task gpac -- -i in.mp4 filters/restamp.ts:speed=2:offset=1 -o fast.mp4
 * ```
 *
 * @module
 */

import { FilterCustom } from "../custom/filter.ts";
import type { FilterPid } from "../custom/pid.ts";
import type { FilterSession } from "../core/session.ts";
import { GF_CAPS_INPUT_OUTPUT } from "../ffi/constants.ts";
import { Fraction64 } from "../core/props.ts";
import type { PluginOptionSpecs, PluginOptionValues } from "../custom/plugin_options.ts";

const options = {
  speed: {
    type: "number",
    default: 1,
    min: 0.001,
    max: 1000,
    help: "playback speed factor: timestamps and durations are divided by it",
  },
  offset: {
    type: "number",
    default: 0,
    help: "seconds added to every timestamp (after the speed change)",
  },
  rebase: {
    type: "boolean",
    default: false,
    help: "start every PID at timestamp 0 (before the offset)",
  },
} as const satisfies PluginOptionSpecs;

interface PidState {
  /** First DTS (or CTS) of the PID, subtracted when rebasing. */
  origin: number | null;
  /** Offset in output timescale units. */
  offset: number;
  /** Output timescale / input timescale (finer output timescale: no rounding collisions). */
  scale: number;
}

/** Timestamp restamper (see the module documentation). */
export default class Restamp extends FilterCustom {
  /** Options accepted on the command line. */
  static readonly options: PluginOptionSpecs = options;
  /** One-line description for `-h`. */
  static readonly description =
    "Rewrites timestamps: speed factor, offset in seconds, optional rebase to 0.";

  readonly #opts: PluginOptionValues<typeof options>;
  /** Packets restamped so far. */
  count = 0;

  /**
   * Creates the filter.
   * @param fs The session.
   * @param opts Options (see {@link Restamp.options}).
   */
  constructor(fs: FilterSession, opts: Partial<PluginOptionValues<typeof options>> = {}) {
    super(fs, "restamp");
    this.#opts = { speed: 1, offset: 0, rebase: false, ...opts };
    if (!(this.#opts.speed > 0)) throw new RangeError(`speed must be > 0, got ${opts.speed}`);
    for (const t of ["Visual", "Audio", "Text"]) {
      this.pushCap("StreamType", t, GF_CAPS_INPUT_OUTPUT);
    }
  }

  /** GPAC callback: an input PID was connected, reconfigured or removed. */
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) {
      pid.opid?.remove();
      return 0;
    }
    const opid = this.mirrorPid(pid);
    const dur = pid.getProp("Duration");
    if (dur instanceof Fraction64 && this.#opts.speed !== 1) {
      opid.setProp(
        "Duration",
        new Fraction64(Math.round(Number(dur.num) / this.#opts.speed), dur.den),
      );
    }
    // divided timestamps must stay distinct: use a 1000 times finer timescale when it fits
    const ts = pid.timescale;
    const scale = this.#opts.speed !== 1 && ts * 1000 <= 0xffffffff ? 1000 : 1;
    if (scale !== 1) opid.setProp("Timescale", ts * scale);
    const prev = pid.udta as PidState | undefined;
    pid.udta = {
      origin: prev?.origin ?? null,
      offset: Math.round(this.#opts.offset * ts * scale),
      scale,
    } satisfies PidState;
    return 0;
  }

  #map(ts: number | bigint | null, st: PidState): number | null {
    if (ts === null) return null;
    const t = Number(ts) - (this.#opts.rebase ? st.origin ?? 0 : 0);
    return Math.max(0, Math.round((t * st.scale) / this.#opts.speed) + st.offset);
  }

  /** GPAC callback: processes the packets queued on the input PIDs. */
  override process(): number {
    for (const pid of this.ipids) {
      const opid = pid.opid!;
      const st = pid.udta as PidState;
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        if (st.origin === null) st.origin = Number(pck.dts ?? pck.cts ?? 0);
        const out = opid.newPckRef(pck);
        out.copyProps(pck);
        out.dts = this.#map(pck.dts, st);
        out.cts = this.#map(pck.cts, st);
        out.dur = Math.round((pck.dur * st.scale) / this.#opts.speed);
        out.send();
        this.count++;
        pid.dropPacket();
      }
      if (pid.eos) opid.eos = true;
    }
    return 0;
  }
}
