/**
 * GPAC's filter creation/destruction notices: one native callback for the whole process,
 * dispatching on the session id given to libgpac as `udta`.
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { UdtaTable } from "../ffi/udta.ts";
import type { SessionInternals } from "./internal.ts";

const sessions = new UdtaTable<SessionInternals>();
let filterCallback:
  | Deno.UnsafeCallback<{
    readonly parameters: readonly ["pointer", "pointer", "u32"];
    readonly result: "void";
  }>
  | undefined;

function filterNotice(udta: Deno.PointerValue, f: Deno.PointerValue, isDestroy: number): void {
  const session = sessions.get(udta);
  if (session && f) session.filterEvent(f, isDestroy !== 0);
}

/**
 * Sends the filter notices of the session `ptr` to `session.filterEvent`, with filter setup
 * and user tasks forced on the main (JS) thread. Returns the id to give {@link stopListening}.
 */
export function listenToFilters(
  ptr: NonNullable<Deno.PointerValue>,
  session: SessionInternals,
): number {
  filterCallback ??= new Deno.UnsafeCallback(
    { parameters: ["pointer", "pointer", "u32"], result: "void" } as const,
    filterNotice,
  );
  const { id, udta } = sessions.add(session);
  gpacSymbols().gf_fs_set_filter_creation_callback(ptr, filterCallback.pointer, udta, 1);
  return id;
}

/** Forgets a session (after `gf_fs_del`). */
export function stopListening(id: number): void {
  sessions.delete(id);
}
