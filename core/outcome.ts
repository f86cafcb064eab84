/**
 * How a finished run is judged: links that never connected, destinations left empty.
 *
 * @module
 */

import { GF_FILTER_NOT_FOUND } from "../ffi/constants.ts";
import { GpacError } from "./errors.ts";
import type { Filter } from "./filter.ts";

/** A destination loaded with `FilterSession.loadDst`, checked when the run ends. */
export interface Destination {
  /** The destination filter. */
  filter: Filter;
  /** The URL it was loaded with. */
  url: string;
}

/** Reports filters given link arguments through which no PID ever connected. */
export function checkLinks(filters: Iterable<Filter>): void {
  for (const f of filters) {
    if (!f.alive || f.pendingLinkArgs.length === 0 || f.nbIpid > 0) continue;
    throw new GpacError(
      GF_FILTER_NOT_FOUND,
      `no PID connected to ${f} through link "${f.pendingLinkArgs.join('", "')}"`,
    );
  }
}

/** Reports destinations the session ended without writing to. */
export function checkDestinations(destinations: Iterable<Destination>): void {
  for (const { filter, url } of destinations) {
    if (!filter.alive) continue;
    if (filter.nbIpid === 0) {
      throw new GpacError(
        GF_FILTER_NOT_FOUND,
        `nothing was written to "${url}": no filter chain connects the session's streams ` +
          `to this destination (GPAC: "Filters not connected: ${filter.name}")`,
      );
    }
    const st = filter.getStatistics();
    if (st.nbPckProcessed === 0 && st.nbBytesProcessed === 0) {
      const ups = [];
      for (let i = 0; i < filter.nbIpid; i++) {
        const src = filter.ipidSource(i);
        if (src) ups.push(`${src.name}${src.status ? ` (${src.status})` : ""}`);
      }
      throw new GpacError(
        GF_FILTER_NOT_FOUND,
        `nothing was written to "${url}": the session ended before ${
          ups.join(", ") || "its input"
        } ` +
          `sent it any data (GPAC logs the reason, e.g. "No filter chain found for PID" or ` +
          `"Session aborted before writing to file")`,
      );
    }
  }
}
