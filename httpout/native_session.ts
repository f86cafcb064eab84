/**
 * Writes into libgpac's private `GF_HTTPOutSession` (layout measured in
 * `ffi/layouts.ts`) what its hook API cannot say: the length of a body, the headers of the
 * answer to an upload. Every write first checks that the struct holds the request it expects.
 *
 * @module
 */

import { gpacSupports, gpacSymbols, loadGpac } from "../ffi/library.ts";
import { httpOutSessionLayout } from "../ffi/layouts.ts";
import { addressOf, cstr, toNativeMemory } from "../ffi/buffers.ts";
import type { RequestState } from "./state.ts";

/** True when the private httpout session layout of the loaded libgpac was measured. */
export function canPatchSession(): boolean {
  return gpacSupports("httpoutUploadLength");
}

/** The measured private session layout (only called after canPatchSession()). */
function sessionLayout(): NonNullable<ReturnType<typeof httpOutSessionLayout>> {
  const { major, minor } = loadGpac().abi;
  return httpOutSessionLayout(major, minor)!;
}

/** Copies a string into GPAC's heap (GPAC frees it). */
function gpacString(str: string): NonNullable<Deno.PointerValue> {
  return toNativeMemory(cstr(str), gpacSymbols().gf_malloc);
}

/**
 * Queues headers GPAC adds to the answer it sends when an accepted upload ends: see
 * the measured `HTTPOutSessionLayout` (ffi/layouts.ts).
 */
export function queueFinalHeaders(st: RequestState, pairs: [string, string][]): void {
  if (!canPatchSession()) return;
  const HTTPOutSessionLayout = sessionLayout();
  const L = HTTPOutSessionLayout.fields;
  const dv = new DataView(
    Deno.UnsafePointerView.getArrayBuffer(st.sess, HTTPOutSessionLayout.size),
  );
  if (dv.getBigUint64(L.rtUdta.offset, true) !== BigInt(st.id)) return;
  if (dv.getBigUint64(L.headers.offset, true) !== 0n) return;
  const s = gpacSymbols();
  // GPAC only adds them when the session has no local path (see clearPath)
  clearPath(dv);
  const list = s.gf_list_new();
  if (!list) return;
  for (const [k, v] of pairs) {
    s.gf_list_add(list, gpacString(k));
    s.gf_list_add(list, gpacString(v));
  }
  dv.setBigUint64(L.headers.offset, addressOf(list), true);
}

/**
 * Tells GPAC the length of the body it receives (upload) or sends (read callback): see
 * the measured `HTTPOutSessionLayout` (ffi/layouts.ts). Writes only when the session struct holds what
 * `gf_httpout_send_request` just stored (our request id and its pending state).
 */
export function patchSession(st: RequestState, bytes: number, chunked: boolean): void {
  const HTTPOutSessionLayout = sessionLayout();
  const L = HTTPOutSessionLayout.fields;
  const size = HTTPOutSessionLayout.size;
  const dv = new DataView(Deno.UnsafePointerView.getArrayBuffer(st.sess, size));
  const udta = dv.getBigUint64(L.rtUdta.offset, true);
  const pending = dv.getUint32(L.asyncPending.offset, true);
  if (udta !== BigInt(st.id) || (pending !== 2 && pending !== 3)) return;
  dv.setBigUint64(L.contentLength.offset, BigInt(bytes), true);
  dv.setUint32(L.useChunkTransfer.offset, chunked ? 1 : 0, true);
  clearPath(dv);
}

/**
 * Forgets the local file a previous request on the same connection left in the session: GPAC
 * would otherwise send that file instead of what `read()` produces.
 */
function clearPath(dv: DataView): void {
  const off = sessionLayout().fields.path.offset;
  const path = Deno.UnsafePointer.create(dv.getBigUint64(off, true));
  if (!path) return;
  dv.setBigUint64(off, 0n, true);
  gpacSymbols().gf_free(path);
}
