/**
 * The two `Headers` of an httpout request (httpout/headers.ts) against plain `Headers`: the
 * request headers filled on first use, and `headersOut` recording plain `set`/`append` calls.
 * Seeded random call sequences: each must give what a plain `Headers` gives (results, errors,
 * iteration, and the list handed to GPAC).
 */

import assert from "node:assert/strict";
import { answerHeaderList, AnswerHeaders, RequestHeaders } from "../httpout/headers.ts";

/** xorshift32: the same sequences on every run (the seed is printed on failure). */
function rng(seed: number): () => number {
  let x = Math.imul(seed, 0x9e3779b1) >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
  for (let i = 0; i < 8; i++) next(); // small seeds start with small numbers
  return next;
}

const NAMES = [
  "X-Bench",
  "x-bench",
  "Cache-Control",
  "Set-Cookie",
  "set-cookie",
  "Vary",
  "a",
  "Z-Last",
  "bad name", // not a token: Headers throws
  "x\u00e9", // not a token
  "",
];
const VALUES = [
  "1",
  "no-store",
  "",
  " padded ", // Headers trims it
  "a\tb",
  "\tlead",
  "x\ny", // Headers refuses it
  "caf\u00e9", // a ByteString, not ASCII
  "\u20ac", // not a ByteString: Headers throws
  "k=v; Path=/",
];

const TOKEN_NAMES = NAMES.slice(0, 8);
const PLAIN_VALUES = ["1", "no-store", "", "a\tb", "k=v; Path=/"];

type Op = [string, string?, string?];

function randomOps(next: () => number, n: number, writesOnly: boolean): Op[] {
  const pick = <T>(a: T[]) => a[Math.floor(next() * a.length)];
  const kinds = writesOnly
    ? ["set", "append"]
    : ["set", "append", "set", "append", "delete", "get", "has", "getSetCookie", "iterate"];
  const ops: Op[] = [];
  for (let i = 0; i < n; i++) {
    // the recording path mostly sees token names and printable values, with a rare other one
    const plain = writesOnly && next() < 0.9;
    const name = plain ? pick(TOKEN_NAMES) : pick(NAMES);
    const value = plain ? pick(PLAIN_VALUES) : pick(VALUES);
    ops.push([pick(kinds), name, value]);
  }
  return ops;
}

/** Runs `op` on `h`: its result, or the class of what it threw. */
function apply(h: Headers, [kind, name, value]: Op): unknown {
  try {
    switch (kind) {
      case "set":
        return h.set(name!, value!);
      case "append":
        return h.append(name!, value!);
      case "delete":
        return h.delete(name!);
      case "get":
        return h.get(name!);
      case "has":
        return h.has(name!);
      case "getSetCookie":
        return h.getSetCookie();
      default:
        return [...h];
    }
  } catch (e) {
    return `threw ${(e as Error).constructor.name}`;
  }
}

Deno.test("httpout headers: headersOut gives what a Headers gives (seeded call sequences)", () => {
  for (let seed = 1; seed <= 400; seed++) {
    const next = rng(seed);
    const writesOnly = seed % 2 === 0; // half the sequences stay on the recording path
    const ops = randomOps(next, 1 + Math.floor(next() * 8), writesOnly);
    const plain = new Headers();
    const answer = new AnswerHeaders();
    const msg = `seed ${seed}: ${JSON.stringify(ops)}`;
    for (const op of ops) assert.deepEqual(apply(answer, op), apply(plain, op), msg);
    const expected = [...plain].flat();
    const list: (string | null)[] = [];
    answerHeaderList(answer, list);
    assert.deepEqual(list, expected, msg);
    // and read back as a Headers afterwards (which fills it)
    assert.deepEqual([...answer].flat(), expected, msg);
    const again: (string | null)[] = [];
    answerHeaderList(answer, again);
    assert.deepEqual(again, expected, msg);
  }
});

Deno.test("httpout headers: recorded headersOut pairs, merged and sorted like a Headers", () => {
  const h = new AnswerHeaders();
  h.set("X-B", "1");
  h.append("x-a", "2");
  h.append("X-A", "3");
  h.append("Set-Cookie", "a=1");
  h.append("set-cookie", "b=2");
  h.set("x-b", "4"); // replaces the first X-B
  assert.deepEqual(AnswerHeaders.recorded(h), [
    "x-a",
    "2",
    "x-a",
    "3",
    "set-cookie",
    "a=1",
    "set-cookie",
    "b=2",
    "x-b",
    "4",
  ]);
  const list: (string | null)[] = [];
  answerHeaderList(h, list);
  assert.deepEqual(list, ["set-cookie", "a=1", "set-cookie", "b=2", "x-a", "2, 3", "x-b", "4"]);
  // a value Headers normalises goes to the Headers, with everything recorded before it
  h.set("X-C", " 5 ");
  assert.equal(AnswerHeaders.recorded(h), null);
  assert.equal(h.get("x-c"), "5");
  assert.equal(h.get("x-a"), "2, 3");
  assert.ok(h instanceof Headers);
  assert.match(Deno.inspect(h), /^Headers \{/);
  // plain Headers are not recorded ones
  assert.equal(AnswerHeaders.recorded(new Headers()), null);
  assert.deepEqual(AnswerHeaders.recorded(new AnswerHeaders()), []);
  assert.throws(() => new AnswerHeaders().set("bad name", "1"), TypeError);
});

Deno.test("httpout headers: request headers filled on first use equal a Headers made at once", () => {
  const lists = [
    [],
    ["Host", "127.0.0.1:8080"],
    ["Host", "h", "X-Dup", "1", "x-dup", "2", "Set-Cookie", "a", "Set-Cookie", "b"],
    ["X-Name", "caf\u00c3\u00a9", "bad name", "refused", "X-Ok", " trimmed "],
    ["Odd"], // a name without its value is ignored
  ];
  for (const list of lists) {
    const eager = new Headers();
    for (let i = 0; i + 1 < list.length; i += 2) {
      try {
        eager.append(list[i], list[i + 1]);
      } catch { /* refused, as the lazy one does */ }
    }
    const msg = JSON.stringify(list);
    // each way in fills it
    const reads: ((h: Headers) => unknown)[] = [
      (h) => [...h],
      (h) => [...h.entries()],
      (h) => [...h.keys()],
      (h) => [...h.values()],
      (h) => {
        const out: string[] = [];
        h.forEach((v, k) => out.push(k, v));
        return out;
      },
      (h) => h.get("x-dup"),
      (h) => h.has("host"),
      (h) => h.getSetCookie(),
      (h) => [...new Headers(h)],
      (h) => Object.fromEntries(h),
      (h) => Deno.inspect(h),
    ];
    for (const read of reads) {
      assert.deepEqual(read(new RequestHeaders(() => list)), read(eager), `${msg} ${read}`);
    }
    // writes apply on top of the received headers
    const lazy = new RequestHeaders(() => list);
    lazy.append("X-Dup", "3");
    lazy.delete("host");
    const copy = new Headers(eager);
    copy.append("X-Dup", "3");
    copy.delete("host");
    assert.deepEqual([...lazy], [...copy], msg);
  }
  // the source is read once, on first use; what it throws, the use throws (and it is asked again)
  let calls = 0;
  let fail = true;
  const h = new RequestHeaders(() => {
    calls++;
    if (fail) throw new RangeError("gone");
    return ["A", "1"];
  });
  assert.equal(calls, 0);
  assert.throws(() => h.get("a"), RangeError);
  fail = false;
  assert.equal(h.get("a"), "1");
  assert.deepEqual([...h], [["a", "1"]]);
  assert.equal(calls, 2);
});
