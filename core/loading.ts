/**
 * The one load path of a session (`loadSrc`, `loadDst`, `load`): argument checks, the native
 * call, and the check of the option values written in the description.
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { cstr, cstrOrNull, OutU32 } from "../ffi/buffers.ts";
import { GF_BAD_PARAM, GF_NOT_SUPPORTED, GF_URL_ERROR } from "../ffi/constants.ts";
import { liveGfioUrls } from "./internal.ts";
import { GpacError } from "./errors.ts";
import type { Filter } from "./filter.ts";
import { validateOptions } from "./filter_options.ts";
import { optionalString, requireString } from "./checks.ts";

/** What is loaded: `gf_fs_load_source`, `gf_fs_load_destination` or `gf_fs_load_filter`. */
export type LoadKind = "source" | "destination" | "filter";

/** A checked load request. */
export interface LoadRequest {
  /** Which libgpac loader. */
  kind: LoadKind;
  /** URL or filter description. */
  desc: string;
  /** URL `desc` is relative to. */
  parentUrl: string | undefined;
}

/** Checks the arguments of a load call (types, emptiness, FileIO in threaded sessions). */
export function loadRequest(
  kind: LoadKind,
  what: unknown,
  parent: unknown,
  threads: number,
): LoadRequest {
  const label = kind === "filter" ? "filter description" : `${kind} URL`;
  const desc = requireString(what, label);
  const parentUrl = optionalString(parent, "parentUrl");
  if (desc === "") throw new GpacError(GF_BAD_PARAM, `empty ${label}`);
  if (threads !== 0 && `${desc} ${parentUrl ?? ""}`.includes("gfio://")) {
    // GPAC calls FileIO from the thread of whichever filter opens a related file (a DASH
    // segment, a manifest update...), which deadlocks a run on worker threads
    throw new GpacError(
      GF_NOT_SUPPORTED,
      `FileIO URLs need a session without worker threads (threads: 0), this one has ` +
        `threads: ${threads}; cannot load "${desc}"`,
    );
  }
  // a gfio:// URL whose FileIO is gone (or that was never one) points to freed memory: GPAC
  // before 26.02 would read it
  for (const m of `${desc} ${parentUrl ?? ""}`.matchAll(/gfio:\/\/[0-9a-fA-Fx]+(?:&\d+)?/g)) {
    if (!liveGfioUrls.has(m[0])) {
      throw new GpacError(
        GF_URL_ERROR,
        `"${m[0]}" is not the URL of an open FileIO (closed, or not made by new FileIO()); ` +
          `cannot load "${desc}"`,
      );
    }
  }
  return { kind, desc, parentUrl };
}

/** Calls libgpac's loader; throws a {@link GpacError} when it fails. */
export function loadNative(
  p: NonNullable<Deno.PointerValue>,
  req: LoadRequest,
): NonNullable<Deno.PointerValue> {
  const s = gpacSymbols();
  const err = new OutU32();
  const { desc, parentUrl } = req;
  const f = req.kind === "source"
    ? s.gf_fs_load_source(p, cstr(desc), null, cstrOrNull(parentUrl), err.buf)
    : req.kind === "destination"
    ? s.gf_fs_load_destination(p, cstr(desc), null, cstrOrNull(parentUrl), err.buf)
    : s.gf_fs_load_filter(p, cstr(desc), err.buf);
  if (!f || err.signed < 0) {
    throw new GpacError(err.signed || GF_BAD_PARAM, `failed to load ${req.kind} "${desc}"`);
  }
  return f;
}

/** Checks the option values written in the description against what the filter declares. */
export function checkLoadedOptions(req: LoadRequest, filter: Filter): void {
  if (!req.desc.includes("=")) return;
  validateOptions(req.desc, filter.name, filter.allArgs({ values: false }), req.kind !== "filter");
}
