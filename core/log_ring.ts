/**
 * Single-producer / single-consumer ring buffer of log records in a SharedArrayBuffer.
 *
 * Layout: 16-byte header of Int32 slots (write offset, read offset, dropped records), then
 * {@link RING_CAPACITY} bytes of records `[u32 length][u32 level | tool << 8][bytes][pad to 4]`.
 * A length of `0xffffffff` means "wrap to offset 0". The producer never blocks: when the ring
 * is full, the record is counted as dropped.
 *
 * @module
 */

/** Bytes of record storage. */
export const RING_CAPACITY = 1 << 20;
/** Bytes of the ring header. */
export const RING_HEADER = 16;
const HEADER = RING_HEADER;
/** Record length meaning "wrap to offset 0". */
export const RING_WRAP = 0xffffffff;
const WRAP = RING_WRAP;

/** Allocates a ring. */
export function ringCreate(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + RING_CAPACITY);
}

/** Appends one record (producer side). Returns false when it was dropped. */
export function ringWrite(
  sab: SharedArrayBuffer,
  level: number,
  tool: number,
  msg: Uint8Array,
): boolean {
  const hdr = new Int32Array(sab, 0, 4);
  const data = new Uint8Array(sab, HEADER);
  const dv = new DataView(sab, HEADER);
  const need = 8 + ((msg.length + 3) & ~3);
  let head = Atomics.load(hdr, 0);
  const tail = Atomics.load(hdr, 1);
  const free = (tail - head - 4 + RING_CAPACITY) % RING_CAPACITY;
  const toEnd = RING_CAPACITY - head;
  if (toEnd < need + 4) {
    if (free < toEnd + need) {
      Atomics.add(hdr, 2, 1);
      return false;
    }
    dv.setUint32(head, WRAP, true);
    head = 0;
  } else if (free < need) {
    Atomics.add(hdr, 2, 1);
    return false;
  }
  dv.setUint32(head, msg.length, true);
  dv.setUint32(head + 4, (level & 0xff) | (tool << 8), true);
  data.set(msg, head + 8);
  Atomics.store(hdr, 0, head + need);
  return true;
}

/** Reads every pending record (consumer side) and returns how many were dropped meanwhile. */
export function ringDrain(
  sab: SharedArrayBuffer,
  onRecord: (level: number, tool: number, msg: Uint8Array) => void,
): number {
  const hdr = new Int32Array(sab, 0, 4);
  const data = new Uint8Array(sab, HEADER);
  const dv = new DataView(sab, HEADER);
  let tail = Atomics.load(hdr, 1);
  const head = Atomics.load(hdr, 0);
  while (tail !== head) {
    const len = dv.getUint32(tail, true);
    if (len === WRAP) {
      tail = 0;
      continue;
    }
    const lt = dv.getUint32(tail + 4, true);
    const msg = data.slice(tail + 8, tail + 8 + len);
    tail += 8 + ((len + 3) & ~3);
    Atomics.store(hdr, 1, tail);
    onRecord(lt & 0xff, lt >>> 8, msg);
  }
  return Atomics.exchange(hdr, 2, 0);
}
