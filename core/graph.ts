/**
 * The connection graph of a session, as data (`FilterSession.graph()`).
 *
 * @module
 */

import type { Filter } from "./filter.ts";

/** A PID connection in a {@link SessionGraph}. */
export interface GraphLink {
  /** Index of the PID on this filter's side (input index in `inputs`, output index in `outputs`). */
  pid: number;
  /** Name of the PID. */
  pidName: string;
  /** Index (in {@link SessionGraph.filters}) of the filter at the other end. */
  filter: number;
}

/** One filter in a {@link SessionGraph}. */
export interface GraphNode {
  /** Index of the filter in the session. */
  index: number;
  /** Register name, e.g. `mp4mx`. */
  name: string;
  /** Filter ID, if any. */
  id: string | null;
  /** Input PIDs and the filters they come from. */
  inputs: GraphLink[];
  /** Output PIDs and the filters they feed. */
  outputs: GraphLink[];
}

/** The connection graph of a session, as data. */
export interface SessionGraph {
  /** All filters in the session. */
  filters: GraphNode[];
}

/** Builds the graph of `filters` (all the filters of one session, in session order). */
export function buildGraph(filters: readonly Filter[]): SessionGraph {
  const index = new Map<Filter, number>(filters.map((f, i) => [f, i]));
  const nodes: GraphNode[] = filters.map((f, i) => ({
    index: i,
    name: f.name,
    id: f.id,
    inputs: [],
    outputs: [],
  }));
  filters.forEach((f, i) => {
    for (let p = 0; p < f.nbOpid; p++) {
      const pidName = f.opidName(p);
      for (const sink of f.opidSinks(p)) {
        const j = index.get(sink);
        if (j !== undefined) nodes[i].outputs.push({ pid: p, pidName, filter: j });
      }
    }
    for (let p = 0; p < f.nbIpid; p++) {
      const src = f.ipidSource(p);
      const j = src ? index.get(src) : undefined;
      if (j !== undefined) nodes[i].inputs.push({ pid: p, pidName: f.ipidName(p), filter: j });
    }
  });
  return { filters: nodes };
}
