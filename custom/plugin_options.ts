/**
 * Typed option declarations of plugin filters (what `deno task gpac` parses from
 * `plugin.ts:opt=value` and hands to the plugin's constructor).
 *
 * @module
 */

/** Declaration of one plugin option. */
export interface PluginOptionSpec {
  /**
   * Value type: `string`; `number` (any finite number); `integer`; `boolean` (`:opt` alone
   * means true, `:!opt` false, or `yes/no/true/false/1/0`); `enum` (one of `values`).
   */
  readonly type: "string" | "number" | "integer" | "boolean" | "enum";
  /** Help text shown by `-h plugin.ts`. */
  readonly help: string;
  /** Default value; an option without default and not `required` is `undefined` when unset. */
  readonly default?: string | number | boolean;
  /** Allowed values of an `enum` option. */
  readonly values?: readonly string[];
  /** Minimum of a `number`/`integer` option (inclusive). */
  readonly min?: number;
  /** Maximum of a `number`/`integer` option (inclusive). */
  readonly max?: number;
  /** The option must be given on the command line. */
  readonly required?: boolean;
}

/** The options a plugin declares, by name. */
export type PluginOptionSpecs = Readonly<Record<string, PluginOptionSpec>>;

/** The JS type of an option's value. */
export type PluginOptionValue<S extends PluginOptionSpec> = S["type"] extends "number" | "integer"
  ? number
  : S["type"] extends "boolean" ? boolean
  : S["type"] extends "enum" ? (S["values"] extends readonly (infer V)[] ? V : string)
  : string;

/**
 * The values a plugin's constructor receives for options `S`: options with a default or
 * `required: true` are always set, others may be `undefined`.
 */
export type PluginOptionValues<S extends PluginOptionSpecs> =
  & {
    -readonly [K in keyof S as S[K] extends { default: unknown } | { required: true } ? K : never]:
      PluginOptionValue<S[K]>;
  }
  & {
    -readonly [K in keyof S as S[K] extends { default: unknown } | { required: true } ? never : K]?:
      PluginOptionValue<S[K]>;
  };
