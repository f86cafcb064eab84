/**
 * The two `Headers` of an httpout request, made cheap for the common cases: the request headers
 * a hook receives are filled on first use (most hooks never read them), and the answer's
 * `headersOut` keeps plain `set`/`append` calls in a list until something reads them. A
 * `Headers` checks and normalises each name and value, and iterating one sorts and merges its
 * entries: a few µs per request on a busy server, about a tenth of what a hook costs.
 *
 * @module
 */

/**
 * A `Headers` that holds part of its entries back until first use: each method but `append` and
 * `set` runs {@link HeldBackHeaders.complete} first (a subclass decides about those two).
 */
abstract class HeldBackHeaders extends Headers {
  /** Adds the entries held back, with {@link HeldBackHeaders.add}; cheap once done. */
  protected abstract complete(): void;

  /** `Headers`' own `append`, whatever a subclass overrides (for {@link complete}). */
  protected add(name: string, value: string): void {
    Headers.prototype.append.call(this, name, value);
  }

  override delete(name: string): void {
    this.complete();
    super.delete(name);
  }
  override get(name: string): string | null {
    this.complete();
    return super.get(name);
  }
  override getSetCookie(): string[] {
    this.complete();
    return super.getSetCookie();
  }
  override has(name: string): boolean {
    this.complete();
    return super.has(name);
  }
  override forEach(
    callback: (value: string, key: string, parent: this) => void,
    thisArg?: unknown,
  ): void {
    this.complete();
    super.forEach(callback, thisArg);
  }
  override entries(): ReturnType<Headers["entries"]> {
    this.complete();
    return super.entries();
  }
  override keys(): ReturnType<Headers["keys"]> {
    this.complete();
    return super.keys();
  }
  override values(): ReturnType<Headers["values"]> {
    this.complete();
    return super.values();
  }
  override [Symbol.iterator](): ReturnType<Headers["entries"]> {
    this.complete();
    return super[Symbol.iterator]();
  }
}

/**
 * A `Headers` holding the request headers, filled from their copied strings (name, value,
 * name, value, ...) the first time any of its methods runs: `get`, `has`, iteration,
 * `forEach`, `append`, `set`, `delete`, `getSetCookie`, and everything built on them
 * (`new Headers(h)`, `Object.fromEntries(h)`, `console.log(h)`). Entries a `Headers` refuses
 * (invalid names or values) are left out, as `new Headers()` would; `rawHeaders` keeps them.
 * The strings come from a source function (the binding's reads GPAC's header table while its
 * request callback runs, see `headerListOf` in state.ts). Its `name` is `Headers`, so that it prints as one.
 */
export class RequestHeaders extends HeldBackHeaders {
  /** Where the strings come from, until they were added (then null). */
  #source: (() => readonly string[]) | null;

  /**
   * @param source Returns the header names and values, alternating (called once, on first use;
   * what it throws, the first use throws, and the next use calls it again).
   */
  constructor(source: () => readonly string[]) {
    super();
    this.#source = source;
  }

  protected override complete(): void {
    const source = this.#source;
    if (source === null) return;
    const list = source();
    this.#source = null;
    for (let i = 0; i + 1 < list.length; i += 2) {
      try {
        this.add(list[i], list[i + 1]);
      } catch { /* a name or value Headers refuses: only in rawHeaders */ }
    }
  }

  override append(name: string, value: string): void {
    this.complete();
    super.append(name, value);
  }
  override set(name: string, value: string): void {
    this.complete();
    super.set(name, value);
  }
}

/** 1 for the characters of an HTTP token (header names: RFC 9110 `tchar`), by char code. */
const TOKEN = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TOKEN[c.charCodeAt(0)] = 1;
}

/** A header name `Headers` takes as is (a non-empty token). */
function simpleName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 0x7f || TOKEN[c] === 0) return false;
  }
  return true;
}

/**
 * A header value `Headers` takes unchanged: printable ASCII (spaces and tabs inside only), so
 * that neither its normalisation (trimming) nor its checks apply.
 */
function simpleValue(value: string): boolean {
  const n = value.length;
  if (n === 0) return true;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 9) || c > 0x7e) return false;
  }
  const first = value.charCodeAt(0), last = value.charCodeAt(n - 1);
  return first !== 0x20 && first !== 9 && last !== 0x20 && last !== 9;
}

/**
 * The `headersOut` of a request: a `Headers` whose `set` and `append` of a plain token name and
 * printable ASCII value (nearly every call) only record the pair; the first other call (a read,
 * an iteration, a `delete`, a value needing normalisation) adds the recorded pairs in order and
 * behaves as a `Headers` from then on. The answer reads the recorded pairs directly
 * ({@link answerHeaderList}), in the order and merged as iterating a `Headers` gives them.
 * Its `name` is `Headers`, so that it prints as one.
 */
export class AnswerHeaders extends HeldBackHeaders {
  /** Lowercase names and values set but not yet added to the `Headers` (null when none). */
  #pending: string[] | null = null;
  /** True once the pairs went to the `Headers` (every call goes there afterwards). */
  #filled = false;

  protected override complete(): void {
    if (this.#filled) return;
    this.#filled = true;
    const list = this.#pending;
    if (list === null) return;
    this.#pending = null;
    for (let i = 0; i < list.length; i += 2) this.add(list[i], list[i + 1]);
  }

  /** Records a pair on the fast path; false when it must go through the `Headers`. */
  #record(name: string, value: string, replace: boolean): boolean {
    if (
      this.#filled || typeof name !== "string" || typeof value !== "string" ||
      !simpleName(name) || !simpleValue(value)
    ) {
      return false;
    }
    const lower = name.toLowerCase();
    let list = this.#pending;
    if (list === null) list = this.#pending = [];
    else if (replace) {
      for (let i = list.length - 2; i >= 0; i -= 2) if (list[i] === lower) list.splice(i, 2);
    }
    list.push(lower, value);
    return true;
  }

  override append(name: string, value: string): void {
    if (this.#record(name, value, false)) return;
    this.complete();
    super.append(name, value);
  }
  override set(name: string, value: string): void {
    if (this.#record(name, value, true)) return;
    this.complete();
    super.set(name, value);
  }

  /**
   * The recorded pairs of `headers` (lowercase name, value, ...) when it is an
   * `AnswerHeaders` holding nothing else; null otherwise.
   */
  static recorded(headers: Headers): readonly string[] | null {
    if (!(#filled in headers) || headers.#filled) return null;
    return headers.#pending ?? [];
  }
}

/**
 * Appends the names and values of `headers` to `out` (name, value, ...), as iterating it gives
 * them: names lowercase and sorted, values of a repeated name joined with ", " (except
 * `set-cookie`). An {@link AnswerHeaders} still holding only recorded pairs is read without
 * being filled.
 */
export function answerHeaderList(headers: Headers, out: (string | null)[]): void {
  const list = AnswerHeaders.recorded(headers);
  if (list === null) {
    headers.forEach((value, name) => out.push(name, value));
    return;
  }
  if (list.length <= 2) {
    if (list.length === 2) out.push(list[0], list[1]);
    return;
  }
  // what Headers' iteration does: merge repeated names (not set-cookie), sort by name (stable)
  const entries: [string, string][] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i], value = list[i + 1];
    const at = name === "set-cookie" ? undefined : seen.get(name);
    if (at === undefined) {
      if (name !== "set-cookie") seen.set(name, entries.length);
      entries.push([name, value]);
    } else {
      const prev = entries[at][1];
      entries[at][1] = prev.length > 0 ? `${prev}, ${value}` : value;
    }
  }
  entries.sort((a, b) => (a[0] > b[0] ? 1 : a[0] < b[0] ? -1 : 0));
  for (const [name, value] of entries) out.push(name, value);
}

// printed as what they stand for (console.log shows the constructor's name)
for (const cls of [RequestHeaders, AnswerHeaders]) {
  Object.defineProperty(cls, "name", { value: "Headers" });
}
