/**
 * Filters of a session, seen from outside: linking, options, PIDs and statistics.
 *
 * @module
 */

import { gpacSymbols, requireSymbol } from "../ffi/library.ts";
import { cstr, cstrOrNull, OutPtr, readCString, toNumberIfSafe, u8 } from "../ffi/buffers.ts";
import { checkIndex, checkU32, describe } from "../ffi/checks.ts";
import { GF_BAD_PARAM, GF_NOT_SUPPORTED, GF_STATS_LOCAL } from "../ffi/constants.ts";
import { FilterArgsLayout, PropertyValueLayout } from "../ffi/layouts.ts";
import { GpacError } from "./errors.ts";
import {
  enumNamedProps,
  getNamedInfo,
  getNamedProp,
  propTypeName,
  type PropValue,
  readProp,
} from "./props.ts";
import { type FilterInternals, SESSION } from "./internal.ts";
import { type FilterStatsOf, type PidStatistics, readFilterStats, readPidStats } from "./stats.ts";
import type { FilterSession } from "./session.ts";

/** Description of one filter option, with its current value (see {@link Filter.allArgs}). */
export interface FilterArg {
  /** Option name, e.g. `dur`. */
  name: string;
  /** GPAC type name, e.g. `frac`, `uint`, `str`. */
  type: string;
  /** Help text. */
  description: string;
  /** Default value as GPAC writes it, or null. */
  default: string | null;
  /** Range or enumeration, e.g. `0-100` or `a|b|c`, or null. */
  minMaxEnum: string | null;
  /** `GF_FS_ARG_*` flags. */
  flags: number;
  /** Current value (null when unset or not readable). */
  value: PropValue | null;
}

/** Strips the `#` that GPAC's documentation and `gpac` command line put before link args. */
export function normalizeLinkArgs(linkArgs: string | undefined): string | null {
  if (linkArgs === undefined || linkArgs === "") return null;
  return linkArgs.startsWith("#") ? linkArgs.slice(1) : linkArgs;
}

/** Statistics of one filter (`GF_FilterStats`): see {@link FilterStatsOf} for the fields. */
export type FilterStats = FilterStatsOf<Filter>;

/**
 * A filter in a session (`GF_Filter`). Obtained from {@link FilterSession} methods; the same
 * native filter is always the same object. Methods throw once GPAC destroyed the filter or
 * the session was closed.
 */
export class Filter {
  #ptr: Deno.PointerValue;
  readonly #session: FilterSession;
  #dead = false;
  /** Link arguments set by {@link Filter.setSource}, checked when the session ends. */
  #linkArgs: string[] = [];

  /** @ignore Internal hooks used by the session. */
  readonly [SESSION]: FilterInternals;

  /**
   * @internal Use the session's methods to get filters.
   * @param onGone Called once when GPAC destroyed the filter or the session closed (custom
   * filters release their PIDs and packets there).
   */
  protected constructor(
    session: FilterSession,
    ptr: NonNullable<Deno.PointerValue>,
    onGone?: () => void,
  ) {
    this.#session = session;
    this.#ptr = ptr;
    this[SESSION] = {
      invalidate: () => {
        if (this.#dead) return;
        this.#dead = true;
        this.#ptr = null;
        onGone?.();
      },
    };
  }

  /** @ignore Creates the wrapper of a native filter (session use only). */
  static [SESSION](session: FilterSession, ptr: NonNullable<Deno.PointerValue>): Filter {
    return new Filter(session, ptr);
  }

  /** The raw `GF_Filter*`; throws if the filter is gone. */
  get handle(): NonNullable<Deno.PointerValue> {
    if (this.#dead || this.#session[SESSION].isClosed()) {
      throw new GpacError(GF_BAD_PARAM, "filter was destroyed or its session closed");
    }
    return this.#ptr!;
  }

  /** The session this filter belongs to. */
  get session(): FilterSession {
    return this.#session;
  }

  /** False once GPAC destroyed the filter or the session was closed. */
  get alive(): boolean {
    return !this.#dead && !this.#session[SESSION].isClosed();
  }

  /** Register name (`mp4mx`, `avgen`, ...). */
  get name(): string {
    return readCString(gpacSymbols().gf_filter_get_name(this.handle)) ?? "";
  }

  /** Filter ID (the `FID` option), or null. */
  get id(): string | null {
    return readCString(gpacSymbols().gf_filter_get_id(this.handle));
  }

  /** Number of input PIDs. */
  get nbIpid(): number {
    return gpacSymbols().gf_filter_get_ipid_count(this.handle);
  }

  /** Number of output PIDs. */
  get nbOpid(): number {
    return gpacSymbols().gf_filter_get_opid_count(this.handle);
  }

  /**
   * Current status text, e.g. `"mux 50%"`; empty if none. (GPAC 2.4 has no
   * `gf_filter_get_status`: read from the filter statistics there.)
   */
  get status(): string {
    const get = gpacSymbols().gf_filter_get_status;
    if (!get) return this.getStatistics().status ?? "";
    return readCString(get(this.handle)) ?? "";
  }

  /**
   * Bytes processed so far (the filter's `nb_bytes_processed`; on GPAC 2.4, which lacks
   * `gf_filter_get_bytes_done`, read from the filter statistics).
   */
  get bytesDone(): number | bigint {
    const get = gpacSymbols().gf_filter_get_bytes_done;
    if (!get) return this.getStatistics().nbBytesProcessed;
    return toNumberIfSafe(get(this.handle));
  }

  /** `name` (and ID if any), for logs. */
  toString(): string {
    if (!this.alive) return "Filter(destroyed)";
    const id = this.id;
    return id ? `${this.name}#${id}` : this.name;
  }

  /**
   * Makes `source` an input of this filter.
   * @param source The upstream filter.
   * @param linkArgs Restrictions on the link, e.g. `"#PID=1"` or `"PID=1"` (both accepted) or
   * `"#StreamType=Visual"`. When the session ends with no PID connected through such a link,
   * `run()` reports it.
   */
  setSource(source: Filter, linkArgs?: string): void {
    const src = filterArg("setSource(source)", source).handle;
    const la = normalizeLinkArgs(linkArgs);
    const e = gpacSymbols().gf_filter_set_source(this.handle, src, cstrOrNull(la, "linkArgs"));
    if (e < 0) throw new GpacError(e, `cannot link ${source} -> ${this} with "${linkArgs}"`);
    if (la) this.#linkArgs.push(la);
  }

  /**
   * Like {@link Filter.setSource}, and this filter accepts inputs only from `source`.
   * @param source The upstream filter.
   * @param linkArgs Link restrictions, as in `setSource`.
   */
  setSourceRestricted(source: Filter, linkArgs?: string): void {
    const src = filterArg("setSourceRestricted(source)", source).handle;
    const la = normalizeLinkArgs(linkArgs);
    const e = gpacSymbols().gf_filter_set_source_restricted(
      this.handle,
      src,
      cstrOrNull(la, "linkArgs"),
    );
    if (e < 0) throw new GpacError(e, `cannot link ${source} -> ${this} with "${linkArgs}"`);
    if (la) this.#linkArgs.push(la);
  }

  /** @internal Link arguments whose effect the session verifies after a run. */
  get pendingLinkArgs(): readonly string[] {
    return this.#linkArgs;
  }

  /** Output PID `index`, checked against the current count (`what` names the caller). */
  #opid(what: string, index: number): NonNullable<Deno.PointerValue> {
    const h = this.handle;
    const s = gpacSymbols();
    checkIndex(`${what}: output PID of ${this}`, index, s.gf_filter_get_opid_count(h));
    const p = s.gf_filter_get_opid(h, index);
    if (!p) throw new GpacError(GF_BAD_PARAM, `${what}: no output PID ${index} in ${this}`);
    return p;
  }

  /** Like {@link Filter.#opid}, with -1 meaning every output (NULL). */
  #opidOrAll(what: string, index: number): NonNullable<Deno.PointerValue> | null {
    return index === -1 ? null : this.#opid(what, index);
  }

  #ipid(what: string, index: number): NonNullable<Deno.PointerValue> {
    const h = this.handle;
    const s = gpacSymbols();
    checkIndex(`${what}: input PID of ${this}`, index, s.gf_filter_get_ipid_count(h));
    const p = s.gf_filter_get_ipid(h, index);
    if (!p) throw new GpacError(GF_BAD_PARAM, `${what}: no input PID ${index} in ${this}`);
    return p;
  }

  /**
   * Inserts `filter` after this one: `filter` takes this filter as source and the outputs are
   * reconnected through it.
   * @param filter The filter to insert.
   * @param opid Output PID index to reconnect (-1: all).
   * @param linkArgs Link restrictions for the new link.
   */
  insert(filter: Filter, opid = -1, linkArgs?: string): void {
    filterArg("insert(filter)", filter);
    const pid = this.#opidOrAll("insert()", opid);
    filter.setSource(this, linkArgs);
    const e = gpacSymbols().gf_filter_reconnect_output(this.handle, pid);
    if (e < 0) throw new GpacError(e, `cannot insert ${filter} after ${this}`);
  }

  /**
   * Asks GPAC to resolve the links of this filter's outputs again.
   * @param opid Output PID index (-1: all).
   */
  reconnect(opid = -1): void {
    const pid = this.#opidOrAll("reconnect()", opid);
    const e = gpacSymbols().gf_filter_reconnect_output(this.handle, pid);
    if (e < 0) throw new GpacError(e, `cannot reconnect outputs of ${this}`);
  }

  /** Removes the filter (and the chain that only feeds it) from the session. */
  remove(): void {
    gpacSymbols().gf_filter_remove(this.handle);
  }

  /**
   * Updates an option of the running filter, e.g. `update("b", "2M")`.
   * @param name Option name.
   * @param value New value, as text.
   * @param propagate `GF_FILTER_UPDATE_DOWNSTREAM` / `_UPSTREAM` mask (0: this filter only).
   */
  update(name: string, value: string | number | boolean, propagate = 0): void {
    if (!["string", "number", "boolean"].includes(typeof value)) {
      throw new TypeError(
        `Filter.update(${String(name)}): expected a string, number or boolean value, got ${
          describe(value)
        }`,
      );
    }
    gpacSymbols().gf_fs_send_update(
      null,
      null,
      this.handle,
      cstr(name, "Filter.update(name)"),
      cstr(String(value)),
      checkU32("Filter.update(propagate)", propagate),
    );
  }

  #pidProp(pid: NonNullable<Deno.PointerValue>, name: string): PropValue | null {
    const s = gpacSymbols();
    return getNamedProp(pid, name, s.gf_filter_pid_get_property, s.gf_filter_pid_get_property_str);
  }

  #pidProps(pid: NonNullable<Deno.PointerValue>): Map<string, PropValue | null> {
    const s = gpacSymbols();
    // an input PID of GPAC 2.4/26.02 enumerates nothing until a property was read (see
    // FilterPid.enumProps); on an output PID the read is harmless
    s.gf_filter_pid_get_property(pid, 0);
    return enumNamedProps(pid, s.gf_filter_pid_enum_properties);
  }

  /** Value of property `name` (e.g. `"Width"`) on input PID `index`, or null. */
  ipidProp(index: number, name: string): PropValue | null {
    return this.#pidProp(this.#ipid("ipidProp()", index), name);
  }

  /** Value of property `name` on output PID `index`, or null. */
  opidProp(index: number, name: string): PropValue | null {
    return this.#pidProp(this.#opid("opidProp()", index), name);
  }

  /** All properties of input PID `index`, by name. */
  ipidEnumProps(index: number): Map<string, PropValue | null> {
    return this.#pidProps(this.#ipid("ipidEnumProps()", index));
  }

  /** All properties of output PID `index`, by name. */
  opidEnumProps(index: number): Map<string, PropValue | null> {
    return this.#pidProps(this.#opid("opidEnumProps()", index));
  }

  /** Name of input PID `index`. */
  ipidName(index: number): string {
    return readCString(gpacSymbols().gf_filter_pid_get_name(this.#ipid("ipidName()", index))) ?? "";
  }

  /** Name of output PID `index`. */
  opidName(index: number): string {
    return readCString(gpacSymbols().gf_filter_pid_get_name(this.#opid("opidName()", index))) ?? "";
  }

  /**
   * Statistics of input PID `index`.
   * @param location `GF_STATS_*` location (default `GF_STATS_LOCAL`).
   */
  ipidStats(index: number, location: number = GF_STATS_LOCAL): PidStatistics {
    const pid = this.#ipid("ipidStats()", index);
    return readPidStats((buf) => gpacSymbols().gf_filter_pid_get_statistics(pid, buf, location));
  }

  /**
   * Statistics of output PID `index`.
   * @param location `GF_STATS_*` location (default `GF_STATS_LOCAL`).
   */
  opidStats(index: number, location: number = GF_STATS_LOCAL): PidStatistics {
    const pid = this.#opid("opidStats()", index);
    return readPidStats((buf) => gpacSymbols().gf_filter_pid_get_statistics(pid, buf, location));
  }

  /** The filter that produces input PID `index`, or null. */
  ipidSource(index: number): Filter | null {
    const f = gpacSymbols().gf_filter_pid_get_source_filter(this.#ipid("ipidSource()", index));
    return f ? this.#session[SESSION].wrap(f) : null;
  }

  /** The filters consuming output PID `index`. */
  opidSinks(index: number): Filter[] {
    const s = gpacSymbols();
    const pid = this.#opid("opidSinks()", index);
    const out: Filter[] = [];
    for (let i = 0;; i++) {
      const f = s.gf_filter_pid_enum_destinations(pid, i);
      if (!f) break;
      out.push(this.#session[SESSION].wrap(f));
    }
    return out;
  }

  /**
   * Every option of the filter with its description and current value.
   * @param options `values: false` skips reading the current values.
   */
  allArgs(options: { values?: boolean } = {}): FilterArg[] {
    const withValues = options.values ?? true;
    const s = gpacSymbols();
    const L = FilterArgsLayout.fields;
    const out: FilterArg[] = [];
    for (let i = 0;; i++) {
      const a = s.gf_filter_enumerate_args(this.handle, i);
      if (!a) break;
      const v = new Deno.UnsafePointerView(a);
      const name = readCString(v.getPointer(L.argName.offset)) ?? "";
      const arg: FilterArg = {
        name,
        type: propTypeName(v.getUint32(L.argType.offset)),
        description: readCString(v.getPointer(L.argDesc.offset)) ?? "",
        default: readCString(v.getPointer(L.argDefaultVal.offset)),
        minMaxEnum: readCString(v.getPointer(L.minMaxEnum.offset)),
        flags: v.getUint32(L.flags.offset),
        value: null,
      };
      if (withValues && name) arg.value = this.#argValue(name, arg.minMaxEnum);
      out.push(arg);
    }
    return out;
  }

  #argValue(name: string, minMaxEnum: string | null): PropValue | null {
    const pv = u8(PropertyValueLayout.size);
    const ok = gpacSymbols().gf_filter_get_arg(this.handle, cstr(name), pv);
    if (!ok) return null;
    const v = readProp(Deno.UnsafePointer.of(pv), name);
    // choice options (`a|b|c`) are stored as an index: report the choice's name
    if (typeof v === "number" && minMaxEnum?.includes("|")) {
      return minMaxEnum.split("|")[v] ?? v;
    }
    return v;
  }

  /**
   * Current value of option `name`, or null if unset or unknown. Choice options read as the
   * name of the choice (`"inter"`), not its index.
   */
  getArgValue(name: string): PropValue | null {
    const def = this.allArgs({ values: false }).find((a) => a.name === name);
    return this.#argValue(name, def?.minMaxEnum ?? null);
  }

  /** Value of info property `name` on the filter (searched on its PIDs), or null. */
  getInfo(name: string): PropValue | null {
    const s = gpacSymbols();
    return getNamedInfo(this.handle, name, s.gf_filter_get_info, s.gf_filter_get_info_str);
  }

  /** Statistics of this filter. */
  getStatistics(): FilterStats {
    const h = this.handle;
    return readFilterStats(
      (buf) => gpacSymbols().gf_filter_get_stats(h, buf),
      (f) => (f ? this.#session[SESSION].wrap(f) : null),
    );
  }

  /**
   * Filter chains GPAC would load to connect output PID `opid` to a filter named `name`
   * (GPAC ≥ 2.4), or null if none.
   */
  probeLink(opid: number, name: string): string[] | null {
    const out = new OutPtr();
    this.#opid("probeLink()", opid);
    const fn = requireSymbol("gf_filter_probe_link");
    const e = fn(this.handle, opid, cstr(name, "probeLink(name)"), out.buf);
    return takeList(e, out);
  }

  /**
   * Binds a callback object to this filter: a DASH adaptation algorithm to a `dashin` filter,
   * a request handler to an `httpout` filter. Which objects a filter accepts depends on the
   * modules that registered a binder for its name (see {@link registerBinder}); `mod.ts`
   * registers all of deno-gpac's. Throws `GF_NOT_SUPPORTED` for other filters.
   */
  bind(object: object): void {
    const binder = binders.get(this.name);
    if (!binder) {
      throw new GpacError(
        GF_NOT_SUPPORTED,
        `no binding available for filter "${this.name}" (bindable: ${
          [...binders.keys()].join(", ") || "none loaded"
        })`,
      );
    }
    binder(this, object);
  }

  /** Filter registers that could consume output PID `opid` (-1: any), GPAC ≥ 2.4. */
  getDestinations(opid = -1): string[] | null {
    this.#opidOrAll("getDestinations()", opid);
    const out = new OutPtr();
    const e = requireSymbol("gf_filter_get_possible_destinations")(this.handle, opid, out.buf);
    return takeList(e, out);
  }
}

/** Checks that `v` is a {@link Filter} (for methods taking one). */
export function filterArg(what: string, v: unknown): Filter {
  if (!(v instanceof Filter)) throw new TypeError(`${what}: expected a Filter, got ${describe(v)}`);
  return v;
}

/** Function attaching a callback object to a filter, see {@link Filter.bind}. */
export type FilterBinder = (filter: Filter, object: object) => void;

const binders = new Map<string, FilterBinder>();

/**
 * Registers how {@link Filter.bind} attaches objects to filters named `filterName`
 * (e.g. `dashin`, `httpout`). Used by deno-gpac's own modules and open to extensions.
 */
export function registerBinder(filterName: string, binder: FilterBinder): void {
  binders.set(filterName, binder);
}

function takeList(err: number, out: OutPtr): string[] | null {
  const p = out.pointer;
  if (!p) return null;
  const s = readCString(p) ?? "";
  gpacSymbols().gf_free(p);
  if (err < 0) return null;
  return s ? s.split(",") : [];
}
