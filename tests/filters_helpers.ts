/**
 * TypeScript filters shared by the custom-filter tests.
 *
 * @module
 */

import {
  FilterCustom,
  FilterEvent,
  type FilterPacket,
  type FilterPid,
  type FilterSession,
  GF_CAPS_INPUT,
  GF_CAPS_INPUT_OUTPUT,
  GF_FEVT_PLAY,
} from "../mod.ts";

/** What a sink saw on one input PID. */
export interface SeenPid {
  streamType: string;
  dts: (number | bigint | null)[];
  cts: (number | bigint | null)[];
  sizes: number[];
  sums: number[];
  eos: boolean;
}

/** A sink accepting audio and video: sends PLAY, records timestamps, sizes and checksums. */
export class RecordingSink extends FilterCustom {
  readonly seen = new Map<FilterPid, SeenPid>();
  onPacket?: (pid: FilterPid, pck: FilterPacket) => void;
  playSent = 0;

  constructor(fs: FilterSession, types: string[] = ["Audio", "Visual"], name = "recsink") {
    super(fs, name);
    for (const t of types) this.pushCap("StreamType", t, GF_CAPS_INPUT);
  }

  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) return 0;
    if (!this.ipids.includes(pid)) {
      this.seen.set(pid, {
        streamType: String(pid.getProp("StreamType")),
        dts: [],
        cts: [],
        sizes: [],
        sums: [],
        eos: false,
      });
      pid.sendEvent(new FilterEvent(GF_FEVT_PLAY));
      this.playSent++;
    }
    return 0;
  }

  override process(): number {
    for (const pid of this.ipids) {
      const rec = this.seen.get(pid)!;
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        rec.dts.push(pck.dts);
        rec.cts.push(pck.cts);
        rec.sizes.push(pck.size);
        rec.sums.push(checksum(pck.data));
        this.onPacket?.(pid, pck);
        pid.dropPacket();
      }
      if (pid.eos) rec.eos = true;
    }
    return 0;
  }
}

/** A cheap order-sensitive checksum of a byte array. */
export function checksum(d: Uint8Array): number {
  let h = 2166136261;
  for (let i = 0; i < d.length; i += 97) h = Math.imul(h ^ d[i], 16777619);
  return (h ^ d.length) >>> 0;
}

/** A filter forwarding every packet of audio and video PIDs unchanged. */
export class PassThrough extends FilterCustom {
  count = 0;
  /** Checksums of the input payloads, by stream type (avgen's content differs run to run). */
  readonly inSums: Record<string, number[]> = {};
  constructor(fs: FilterSession, name = "tspass") {
    super(fs, name);
    this.pushCap("StreamType", "Audio", GF_CAPS_INPUT_OUTPUT);
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
  }
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (!isRemove) this.mirrorPid(pid);
    return 0;
  }
  override process(): number {
    for (const pid of this.ipids) {
      const opid = pid.opid!;
      const type = String(pid.getProp("StreamType"));
      const sums = (this.inSums[type] ??= []);
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        sums.push(checksum(pck.data));
        opid.forward(pck);
        pid.dropPacket();
        this.count++;
      }
      if (pid.eos) opid.eos = true;
    }
    return 0;
  }
}
