/**
 * `inspect_hash`: a frame inspector for any audio, video or text stream. Forwards every packet
 * unchanged (or ends the chain with `:sink`) and computes, per PID, the number of frames, bytes,
 * a 32-bit FNV-1a hash of each payload and a hash of the whole stream: run it at the same place
 * of two pipelines to see whether they produce the same media.
 *
 * As a CLI plugin:
 *
 * ```sh
 * deno task gpac -- -i in.mp4 filters/inspect_hash.ts:log=frames -o out.mp4
 * deno task gpac -- -i avgen:dur=2 filters/inspect_hash.ts:sink:out=hashes.txt
 * ```
 *
 * Directly:
 *
 * ```ts
 * import { FilterSession } from "@deno-gpac/gpac";
 * import InspectHash from "@deno-gpac/gpac/filters/inspect_hash.ts";
 * using fs = new FilterSession();
 * const h = new InspectHash(fs, { sink: true, log: "none" });
 * h.setSource(fs.loadSrc("avgen:dur=1"));
 * fs.run();
 * console.log(h.summaries());
 * ```
 *
 * @module
 */

import { FilterCustom } from "../custom/filter.ts";
import type { FilterPid } from "../custom/pid.ts";
import type { FilterSession } from "../core/session.ts";
import { GF_CAPS_INPUT, GF_CAPS_INPUT_OUTPUT, GF_FEVT_PLAY } from "../ffi/constants.ts";
import { FilterEvent } from "../core/event.ts";
import type { PluginOptionSpecs, PluginOptionValues } from "../custom/plugin_options.ts";

const options = {
  log: {
    type: "enum",
    values: ["none", "summary", "frames"],
    default: "summary",
    help: "what to print: nothing, one summary line per PID at the end, or also one line per frame",
  },
  out: {
    type: "string",
    help: "write the lines to this file instead of stdout",
  },
  sink: {
    type: "boolean",
    default: false,
    help: "end the chain here (consume packets) instead of forwarding them",
  },
} as const satisfies PluginOptionSpecs;

/** What {@link InspectHash} measured on one PID. */
export interface StreamHash {
  /** PID name. */
  pid: string;
  /** Stream type, e.g. `Visual`. */
  streamType: string;
  /** Codec, e.g. `raw` or `avc`. */
  codec: string;
  /** Packets seen. */
  frames: number;
  /** Payload bytes seen. */
  bytes: number;
  /** FNV-1a (32-bit) of each payload, in order. */
  frameHashes: number[];
  /** FNV-1a over the sequence of frame hashes: one number for the whole stream. */
  streamHash: number;
}

/** 32-bit FNV-1a of `data`, continuing from `h`. */
export function fnv1a(data: Uint8Array, h = 0x811c9dc5): number {
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i], 0x01000193);
  return h >>> 0;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;

/** Frame inspector and hasher (see the module documentation). */
export default class InspectHash extends FilterCustom {
  /** Options accepted on the command line. */
  static readonly options: PluginOptionSpecs = options;
  /** One-line description for `-h`. */
  static readonly description =
    "Counts and hashes the frames of every stream (FNV-1a), forwarding them unchanged.";

  readonly #opts: PluginOptionValues<typeof options>;
  readonly #streams = new Map<FilterPid, StreamHash>();
  readonly #finished = new Set<FilterPid>();
  readonly #lines: string[] = [];
  #reported = false;

  /**
   * Creates the filter.
   * @param fs The session.
   * @param opts Options (see {@link InspectHash.options}).
   */
  constructor(fs: FilterSession, opts: Partial<PluginOptionValues<typeof options>> = {}) {
    super(fs, "inspect_hash");
    this.#opts = { log: "summary", sink: false, ...opts };
    const flags = this.#opts.sink ? GF_CAPS_INPUT : GF_CAPS_INPUT_OUTPUT;
    for (const t of ["Visual", "Audio", "Text"]) this.pushCap("StreamType", t, flags);
  }

  /** Per-PID results so far. */
  summaries(): StreamHash[] {
    return [...this.#streams.values()];
  }

  /** GPAC callback: an input PID was connected, reconfigured or removed. */
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) {
      this.#finish(pid);
      pid.opid?.remove();
      return 0;
    }
    if (!this.#streams.has(pid)) {
      this.#streams.set(pid, {
        pid: pid.name,
        streamType: String(pid.getProp("StreamType")),
        codec: String(pid.getProp("CodecID")),
        frames: 0,
        bytes: 0,
        frameHashes: [],
        streamHash: 0x811c9dc5,
      });
    }
    if (!this.#opts.sink) this.mirrorPid(pid);
    else if (!this.ipids.includes(pid)) pid.sendEvent(new FilterEvent(GF_FEVT_PLAY)); // sinks start sources
    return 0;
  }

  /** GPAC callback: processes the packets queued on the input PIDs. */
  override process(): number {
    for (const pid of this.ipids) {
      const st = this.#streams.get(pid)!;
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        // frames in decoder memory have no readable payload: hash a copy of them
        let data = pck.data;
        let copy = null;
        if (data.length === 0 && pck.frameIfce) {
          copy = pck.clone();
          data = copy.data;
        }
        const h = fnv1a(data);
        st.frames++;
        st.bytes += data.length;
        st.frameHashes.push(h);
        st.streamHash = Math.imul(st.streamHash ^ h, 0x01000193) >>> 0;
        if (this.#opts.log === "frames") {
          this.#emit(
            `${st.pid} #${st.frames} cts=${pck.cts} dts=${pck.dts} sap=${pck.sap} ` +
              `size=${data.length} hash=${hex(h)}`,
          );
        }
        copy?.discard();
        if (pid.opid) pid.opid.forward(pck);
        pid.dropPacket();
      }
      if (pid.eos) {
        if (pid.opid) pid.opid.eos = true;
        this.#finish(pid);
      }
    }
    if (this.ipids.length && this.ipids.every((p) => p.eos)) this.#flush();
    return 0;
  }

  #finish(pid: FilterPid): void {
    const st = this.#streams.get(pid);
    if (!st || this.#finished.has(pid)) return;
    this.#finished.add(pid);
    if (this.#opts.log !== "none") {
      this.#emit(
        `${st.pid} (${st.streamType} ${st.codec}): ${st.frames} frames, ${st.bytes} bytes, ` +
          `stream hash ${hex(st.streamHash)}`,
      );
    }
  }

  #emit(line: string): void {
    if (this.#opts.out) this.#lines.push(line);
    else console.log(`[inspect_hash] ${line}`);
  }

  #flush(): void {
    if (this.#reported || !this.#opts.out) return;
    this.#reported = true;
    Deno.writeTextFileSync(this.#opts.out, this.#lines.join("\n") + "\n");
  }
}
