/**
 * Validation of filter option values.
 *
 * libgpac accepts a malformed option value (`avgen:dur=abc`) with only an error log and uses 0
 * instead, which silently changes what a pipeline does. deno-gpac checks the values of the
 * options a filter declares, once the filter is loaded, and reports bad ones as errors.
 *
 * @module
 */

import { GF_BAD_PARAM } from "../ffi/constants.ts";
import { GpacError } from "./errors.ts";
import type { FilterArg } from "./filter.ts";

/** Splits `name:opt=val:opt2=val2` (GPAC escapes `:` inside values as `::`). */
export function splitOptions(
  description: string,
  skipFirst: boolean,
): [string, string | null][] {
  const parts: string[] = [];
  let cur = "";
  for (let i = 0; i < description.length; i++) {
    const c = description[i];
    if (c === ":") {
      if (description[i + 1] === ":") {
        cur += ":";
        i++;
        continue;
      }
      parts.push(cur);
      cur = "";
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  const opts = parts.slice(skipFirst ? 1 : 0);
  return opts.map((o) => {
    const eq = o.indexOf("=");
    return eq < 0 ? [o, null] : [o.slice(0, eq), o.slice(eq + 1)];
  });
}

// What GPAC's own parser accepts (filter_props.c): a leading number as read by sscanf,
// `T…` times, `+I`/`-I` infinities, `0x` hex, 4CCs for unsigned ints.
const LEAD_NUM = /^\s*[-+]?(\d|\.\d)/;
const LEAD_FLOAT = /^\s*[-+]?(\d|\.\d|inf|nan)/i;
const SPECIAL = /^([tT].*|[-+]I)$/;
const BOOL = new Set(["yes", "true", "1", "no", "false", "0"]);

/** Returns why `value` would be rejected by GPAC for `arg`, or null if GPAC accepts it. */
export function checkArgValue(arg: FilterArg, value: string): string | null {
  const enumVals = arg.minMaxEnum && arg.minMaxEnum.includes("|")
    ? arg.minMaxEnum.split("|")
    : null;
  switch (arg.type) {
    case "bool":
      return BOOL.has(value) ? null : "expected true/false, yes/no or 1/0";
    case "sint":
    case "lsint":
    case "luint":
      return SPECIAL.test(value) || LEAD_NUM.test(value) ? null : "expected an integer";
    case "uint":
      if (enumVals) {
        return enumVals.includes(value) || value === "-1"
          ? null
          : `expected one of ${enumVals.join(", ")}`;
      }
      return SPECIAL.test(value) || LEAD_NUM.test(value) || /^0x[0-9a-f]/i.test(value) ||
          value.length === 4
        ? null
        : "expected a non-negative integer";
    case "4cc":
      return value.length === 4 ? null : "expected a four-character code";
    case "flt":
    case "dbl":
      return SPECIAL.test(value) || LEAD_FLOAT.test(value) ? null : "expected a number";
    case "frac":
    case "lfrac":
      return SPECIAL.test(value) || LEAD_NUM.test(value)
        ? null
        : "expected a fraction (num/den) or a number";
    default:
      return null;
  }
}

/**
 * Checks the options written in `description` against the options `args` declares; throws a
 * `GF_BAD_PARAM` {@link GpacError} naming the option, the value and what was expected.
 */
export function validateOptions(
  description: string,
  filterName: string,
  args: FilterArg[],
  skipFirst: boolean,
): void {
  const byName = new Map(args.map((a) => [a.name, a]));
  for (const [name, value] of splitOptions(description, skipFirst)) {
    const arg = byName.get(name);
    if (!arg || value === null || value.startsWith("$")) continue;
    const why = checkArgValue(arg, value);
    if (why) {
      throw new GpacError(
        GF_BAD_PARAM,
        `invalid value "${value}" for option ${name} of filter ${filterName} (${why}, type ${arg.type})`,
      );
    }
  }
}
