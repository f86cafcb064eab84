/**
 * ID3 timed metadata for markers: an ID3v2.4 tag with one `TXXX` frame, in a version 1 `emsg`
 * box of scheme `https://aomedia.org/emsg/ID3` (what hls.js turns into metadata cues and DASH
 * players read as an inband event), handed to GPAC's ISOBMFF muxer through the `grp_EMSG`
 * packet property.
 *
 * @module
 */

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The emsg scheme GPAC writes for ID3 tags (and hls.js turns into metadata cues). */
export const ID3_SCHEME = "https://aomedia.org/emsg/ID3";

/** Description of the TXXX frame that carries a marker. */
export const ID3_MARKER_KEY = "deno-gpac-marker";

function syncsafe(n: number): number[] {
  return [(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f];
}

/** An ID3v2.4 tag holding one TXXX frame (UTF-8): `description` = `key`, value = `value`. */
export function id3Txxx(key: string, value: string): Uint8Array {
  const body = [0x03, ...enc.encode(key), 0, ...enc.encode(value)];
  const frame = [..."TXXX"].map((c) => c.charCodeAt(0)).concat(syncsafe(body.length), [0, 0], body);
  const tag = [0x49, 0x44, 0x33, 4, 0, 0, ...syncsafe(frame.length), ...frame];
  return new Uint8Array(tag);
}

/** Reads back the TXXX frames of an ID3v2.4 tag as `[description, value]` pairs. */
export function readId3Txxx(tag: Uint8Array): [string, string][] {
  const out: [string, string][] = [];
  if (tag.length < 10 || dec.decode(tag.subarray(0, 3)) !== "ID3") return out;
  const ss = (o: number) => (tag[o] << 21) | (tag[o + 1] << 14) | (tag[o + 2] << 7) | tag[o + 3];
  const end = Math.min(tag.length, 10 + ss(6));
  for (let o = 10; o + 10 <= end;) {
    const id = dec.decode(tag.subarray(o, o + 4));
    const size = ss(o + 4);
    const body = tag.subarray(o + 10, o + 10 + size);
    if (id === "TXXX" && body.length > 1) {
      const zero = body.indexOf(0, 1);
      if (zero > 0) {
        out.push([dec.decode(body.subarray(1, zero)), dec.decode(body.subarray(zero + 1))]);
      }
    }
    if (size === 0) break;
    o += 10 + size;
  }
  return out;
}

/**
 * A version 1 `emsg` box (ISO/IEC 23009-1) for GPAC's `grp_EMSG` packet property: the ISOBMFF
 * muxer writes it in front of the fragment that starts with the packet (starting a new fragment
 * when needed).
 * @param timescale Ticks per second of `time` and `duration`.
 * @param time Presentation time of the event.
 * @param id Event id.
 * @param message Payload (an ID3 tag for {@link ID3_SCHEME}).
 * @param duration Event duration (default 0xFFFFFFFF: unknown).
 */
export function emsgBox(
  timescale: number,
  time: number,
  id: number,
  message: Uint8Array,
  duration = 0xffffffff,
  scheme = ID3_SCHEME,
  value = ID3_SCHEME,
): Uint8Array {
  const s = enc.encode(scheme + "\0");
  const v = enc.encode(value + "\0");
  const size = 8 + 4 + 4 + 8 + 4 + 4 + s.length + v.length + message.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, size);
  out.set([0x65, 0x6d, 0x73, 0x67], 4); // "emsg"
  dv.setUint32(8, 1 << 24); // version 1, flags 0
  dv.setUint32(12, timescale);
  dv.setBigUint64(16, BigInt(time));
  dv.setUint32(24, duration >>> 0);
  dv.setUint32(28, id >>> 0);
  out.set(s, 32);
  out.set(v, 32 + s.length);
  out.set(message, 32 + s.length + v.length);
  return out;
}

/** An `emsg` box found in an ISOBMFF segment. */
export interface EmsgBox {
  /** Box version (0 or 1). */
  version: number;
  /** Event scheme. */
  scheme: string;
  /** Event value. */
  value: string;
  /** Timescale of the times. */
  timescale: number;
  /** Presentation time (version 1) or delta from the segment start (version 0). */
  time: number;
  /** Event id. */
  id: number;
  /** Message payload. */
  data: Uint8Array;
}

/** Lists the top-level `emsg` boxes of an ISOBMFF segment. */
export function findEmsg(seg: Uint8Array): EmsgBox[] {
  const dv = new DataView(seg.buffer, seg.byteOffset, seg.byteLength);
  const out: EmsgBox[] = [];
  for (let o = 0; o + 8 <= seg.length;) {
    let size = dv.getUint32(o);
    const type = dec.decode(seg.subarray(o + 4, o + 8));
    let hdr = 8;
    if (size === 1) {
      size = Number(dv.getBigUint64(o + 8));
      hdr = 16;
    } else if (size === 0) size = seg.length - o;
    if (size < hdr || o + size > seg.length) break;
    if (type === "emsg") {
      const b = seg.subarray(o + hdr, o + size);
      const bv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const version = b[0];
      let p = 4;
      const str = () => {
        const z = b.indexOf(0, p);
        const s = dec.decode(b.subarray(p, z));
        p = z + 1;
        return s;
      };
      if (version === 1) {
        const timescale = bv.getUint32(p);
        const time = Number(bv.getBigUint64(p + 4));
        const id = bv.getUint32(p + 16);
        p += 20;
        const scheme = str();
        const value = str();
        out.push({ version, scheme, value, timescale, time, id, data: b.slice(p) });
      } else {
        const scheme = str();
        const value = str();
        const timescale = bv.getUint32(p);
        const time = bv.getUint32(p + 4);
        const id = bv.getUint32(p + 12);
        out.push({ version, scheme, value, timescale, time, id, data: b.slice(p + 16) });
      }
    }
    o += size;
  }
  return out;
}
