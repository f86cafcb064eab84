/**
 * GPAC's filter creation/destruction notices: one native callback for the whole process,
 * dispatching on the session id given to libgpac as `udta`.
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { addressOf } from "../ffi/buffers.ts";
import type { SessionInternals } from "./internal.ts";

const sessionsById = new Map<number, SessionInternals>();
let nextSessionId = 1;
let filterCallback:
  | Deno.UnsafeCallback<{
    readonly parameters: readonly ["pointer", "pointer", "u32"];
    readonly result: "void";
  }>
  | undefined;

function filterNotice(udta: Deno.PointerValue, f: Deno.PointerValue, isDestroy: number): void {
  const session = sessionsById.get(Number(addressOf(udta)));
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
  const id = nextSessionId++;
  sessionsById.set(id, session);
  gpacSymbols().gf_fs_set_filter_creation_callback(
    ptr,
    filterCallback.pointer,
    Deno.UnsafePointer.create(BigInt(id)),
    1,
  );
  return id;
}

/** Forgets a session (after `gf_fs_del`). */
export function stopListening(id: number): void {
  sessionsById.delete(id);
}
