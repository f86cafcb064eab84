/**
 * Crash tests: each case is a tiny script run in its own `deno` child process, so that one
 * crash (SIGSEGV, abort, GPAC's "Fatal error … exiting") cannot hide the others. A case passes
 * when its child exits with code 0 after printing `CASE-OK` (its own assertions check the
 * error class and message of every misuse); a signal, another exit code or a timeout fails it.
 *
 * @module
 */

import assert from "node:assert/strict";

const MOD = new URL("../mod.ts", import.meta.url).href;
const TIMEOUT_MS = 90_000;

const PRELUDE = `
import * as gpac from "${MOD}";
import assert from "node:assert/strict";
const { FilterSession, FilterCustom, GF_CAPS_INPUT, GF_CAPS_INPUT_OUTPUT, GF_CAPS_OUTPUT } = gpac;
type FilterPid = gpac.FilterPid;
type FilterPacket = gpac.FilterPacket;
/** A sink asks its input PIDs to play, once. */
function play(pid: FilterPid, rm: boolean) {
  if (!rm && pid.udta === undefined) {
    pid.udta = "playing";
    pid.sendEvent(new gpac.FilterEvent(gpac.GF_FEVT_PLAY));
  }
}
/** A sink taking audio and video, running \`onPacket\` on each input packet. */
class Sink extends FilterCustom {
  n = 0;
  constructor(fs: gpac.FilterSession, public onPacket: (pid: FilterPid, pck: FilterPacket, self: Sink) => void = () => {}) {
    super(fs, "sink");
    this.pushCap("StreamType", "Audio", GF_CAPS_INPUT);
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT);
  }
  override configurePid(pid: FilterPid, rm: boolean) { play(pid, rm); return 0; }
  override process() {
    for (const pid of this.ipids) {
      for (let p = pid.getPacket(); p; p = pid.getPacket()) {
        this.n++;
        this.onPacket(pid, p, this);
        if (p.valid) pid.dropPacket();
      }
    }
    return 0;
  }
}
void Sink;
`;

/** Writes `body` after the prelude into a script, runs it and checks it ended cleanly. */
async function runCase(name: string, body: string, v8Flags: string[] = []): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "deno-gpac-crash-" });
  const script = `${dir}/case.ts`;
  await Deno.writeTextFile(script, `${PRELUDE}\n${body}\nconsole.log("CASE-OK");\n`);
  try {
    const flags = v8Flags.length ? [`--v8-flags=${v8Flags.join(",")}`] : [];
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-check", ...flags, script],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(TIMEOUT_MS),
      env: { NO_COLOR: "1" },
    }).spawn();
    const { code, signal, stdout, stderr } = await child.output();
    const out = new TextDecoder().decode(stdout);
    const err = new TextDecoder().decode(stderr);
    const why = `case "${name}": exit code ${code}, signal ${signal}\n--- stdout\n${
      out.slice(-3000)
    }\n--- stderr\n${err.slice(-3000)}`;
    assert.equal(signal, null, why);
    assert.equal(code, 0, why);
    assert.match(out, /CASE-OK/, why);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("crash: a non-string where a C string is expected throws a TypeError", async () => {
  await runCase(
    "cstring",
    `
const fs = new FilterSession();
for (const v of [{}, 123, undefined, null, Symbol("s"), ["a"]]) {
  for (const load of [(x: never) => fs.load(x), (x: never) => fs.loadSrc(x), (x: never) => fs.loadDst(x)]) {
    assert.throws(() => load(v as never), TypeError);
  }
}
assert.throws(() => new FilterCustom(fs, 123 as never), /FilterCustom name: expected a string, got 123/);
assert.throws(() => new FilterCustom(fs, {} as never), /FilterCustom name: expected a string, got object/);
assert.throws(() => new FilterCustom({} as never, "x"), /expected a FilterSession, got object/);
const f = new FilterCustom(fs, "ok");
assert.throws(() => f.pushCap(7 as never, "Visual", GF_CAPS_INPUT), /pushCap\\(name\\): expected a string, got 7/);
assert.throws(() => f.updateStatus(10, 5 as never), /updateStatus\\(status\\): expected a string, got 5/);
assert.throws(() => f.reschedule(Infinity), /reschedule\\(ms\\): expected a finite delay.*Infinity/);
assert.throws(() => f.reschedule(-1), RangeError);
assert.throws(() => f.setMaxPids(-1), /setMaxPids\\(n\\): expected an integer in \\[0, 4294967295\\], got -1/);
fs.close();
`,
  );
});

Deno.test("crash: negative or out-of-range PID indexes throw a RangeError", async () => {
  await runCase(
    "pid-index",
    `
const fs = new FilterSession();
const src = fs.loadSrc("avgen:type=a:dur=0.2");
const sink = new Sink(fs);
const calls: [string, (i: never) => unknown][] = [
  ["opidProp", (i) => src.opidProp(i, "Width")],
  ["opidEnumProps", (i) => src.opidEnumProps(i)],
  ["opidName", (i) => src.opidName(i)],
  ["opidStats", (i) => src.opidStats(i)],
  ["opidSinks", (i) => src.opidSinks(i)],
  ["ipidProp", (i) => sink.ipidProp(i, "Width")],
  ["ipidEnumProps", (i) => sink.ipidEnumProps(i)],
  ["ipidName", (i) => sink.ipidName(i)],
  ["ipidStats", (i) => sink.ipidStats(i)],
  ["ipidSource", (i) => sink.ipidSource(i)],
];
const check = () => {
  for (const [name, call] of calls) {
    for (const bad of [-1, -2, 99, 0.5, 2 ** 40]) {
      assert.throws(() => call(bad as never), (e: unknown) =>
        e instanceof RangeError && e.message.includes(name) && e.message.includes(String(bad)), name + " " + bad);
    }
    assert.throws(() => call("0" as never), TypeError, name);
  }
};
check(); // before the run: no PID at all
fs.run();
assert.ok(sink.n > 0);
check(); // after: one PID each, index 1 and above are still out of range
assert.throws(() => src.reconnect(-2), RangeError);
assert.throws(() => src.insert({} as never), /insert\\(filter\\): expected a Filter, got object/);
fs.close();
`,
  );
});

Deno.test("crash: an output PID whose first property is refused does not end the process", async () => {
  await runCase(
    "first-prop",
    `
class Src extends FilterCustom {
  // subclass fields named like the framework's state must not break it
  opids = new Map();
  ipids = "mine";
  session = null;
  tries = 0;
  constructor(fs: gpac.FilterSession) {
    super(fs, "src");
    this.pushCap("StreamType", "Visual", GF_CAPS_OUTPUT);
  }
  override process() {
    if (this.tries++ === 0) {
      const pid = this.newPid();
      assert.throws(() => pid.setProp("CodecID", "nosuchcodec"), /unknown value "nosuchcodec" for property CodecID/);
      assert.throws(() => pid.setProp("MyThing", { a: 1 } as never), (e: unknown) =>
        e instanceof TypeError && /expected .* got object \\{a\\}/.test(e.message));
      assert.throws(() => pid.setProp("Width", "wide"), /property Width expects a number, got "wide"/);
      pid.eos = true;
    }
    return this.tries > 3 ? gpac.GF_EOS : 0;
  }
}
const fs = new FilterSession();
new Src(fs);
fs.load("inspect:deep=0:log=null");
try { fs.run(); } catch (e) { assert.ok(e instanceof gpac.GpacError, String(e)); }
fs.close();
`,
  );
});

Deno.test("crash: packets and PIDs kept after their session closed throw", async () => {
  await runCase(
    "outlive-session",
    `
let ref: FilterPacket | undefined, out: FilterPacket | undefined, clone: FilterPacket | undefined;
let data: Uint8Array | undefined, inPid: FilterPid | undefined, outPid: FilterPid | undefined;
class Keep extends FilterCustom {
  constructor(fs: gpac.FilterSession) {
    super(fs, "keep");
    this.pushCap("StreamType", "Audio", GF_CAPS_INPUT_OUTPUT);
  }
  override configurePid(pid: FilterPid, rm: boolean) { if (!rm) this.mirrorPid(pid); return 0; }
  override process() {
    for (const pid of this.ipids) {
      for (let p = pid.getPacket(); p; p = pid.getPacket()) {
        if (!ref) {
          ref = p.ref();
          data = ref.data;
          if (gpac.gpacSupports("packetClone")) clone = p.clone();
          else assert.throws(() => p.clone(), /FilterPacket\\.clone\\(\\) needs GPAC >= 26\\.02/);
          out = pid.opid!.newPck(16);
          inPid = pid;
          outPid = pid.opid!;
        }
        pid.opid!.forward(p);
        pid.dropPacket();
      }
      if (pid.eos) pid.opid!.eos = true;
    }
    return 0;
  }
}
const fs = new FilterSession();
fs.loadSrc("avgen:type=a:dur=0.3");
new Keep(fs);
new Sink(fs);
fs.run();
assert.ok(ref && out && data && inPid && outPid);
assert.ok(ref.valid && out.valid && data.byteLength > 0);
const clones = clone ? [clone] : []; // none where GPAC lacks packetClone (refusal asserted)
assert.equal(clones.length, gpac.gpacSupports("packetClone") ? 1 : 0);
assert.ok(clones.every((c) => c.valid));
fs.close();
const gone = /used after it was released \\(its filter or session is gone\\)/;
for (const p of [ref, out, ...clones]) {
  assert.equal(p.valid, false);
  assert.throws(() => p.cts, gone);
  assert.throws(() => p.data, gone);
  assert.throws(() => p.size, gone);
}
assert.equal(data.byteLength, 0, "data views on a released packet are emptied");
assert.throws(() => ref!.unref(), gone);
assert.throws(() => out!.send(), gone);
assert.throws(() => out!.discard(), gone);
for (const c of clones) assert.throws(() => c.discard(), gone);
assert.throws(() => inPid!.getPacket(), /PID used after it was removed or its session closed/);
assert.throws(() => outPid!.newPck(4), /PID used after/);
assert.throws(() => outPid!.setProp("Width", 2), /PID used after/);
`,
  );
});

Deno.test("crash: a stale packet object throws instead of reading the next packet", async () => {
  await runCase(
    "stale-packet",
    `
const fs = new FilterSession();
fs.loadSrc("avgen:type=a:dur=0.3");
let checked = 0;
let last: FilterPacket | null = null;
let lastCts: unknown = null;
class S extends FilterCustom {
  constructor(fs: gpac.FilterSession) { super(fs, "s"); this.pushCap("StreamType", "Audio", GF_CAPS_INPUT); }
  override configurePid(pid: FilterPid, rm: boolean) { play(pid, rm); return 0; }
  override process() {
    for (const pid of this.ipids) {
      const cur = pid.getPacket();
      if (!cur) continue;
      assert.equal(pid.getPacket(), cur, "same head packet, same object");
      if (last) {
        assert.notEqual(cur, last, "a new packet is a new object");
        assert.notEqual(cur.cts, lastCts);
        assert.throws(() => last!.cts, /input packet used after it was dropped/);
        checked++;
      }
      last = cur;
      lastCts = cur.cts;
      pid.dropPacket();
      assert.equal(cur.valid, false);
      assert.throws(() => cur.cts, /input packet used after it was dropped/);
      assert.throws(() => (cur.dur = 3), /used after it was dropped/);
    }
    return 0;
  }
}
new S(fs);
fs.run();
assert.ok(checked > 3, "checked " + checked);
fs.close();
`,
  );
});

Deno.test("crash: packet setters refuse wrong types and out-of-range values", async () => {
  await runCase(
    "setters",
    `
const fs = new FilterSession();
fs.loadSrc("avgen:type=a:dur=0.1");
let done = false;
class P extends FilterCustom {
  constructor(fs: gpac.FilterSession) { super(fs, "p"); this.pushCap("StreamType", "Audio", GF_CAPS_INPUT_OUTPUT); }
  override configurePid(pid: FilterPid, rm: boolean) { if (!rm) this.mirrorPid(pid); return 0; }
  override process() {
    for (const pid of this.ipids) {
      for (let p = pid.getPacket(); p; p = pid.getPacket()) {
        if (!done) {
          done = true;
          const o = pid.opid!.newPckClone(p);
          const range: [string, unknown][] = [["dur", -1], ["dur", 2 ** 33], ["dur", 1.5], ["seqnum", -1],
            ["seqnum", 2 ** 32], ["sap", 9], ["roll", 40000], ["crypt", 4], ["clock", 3], ["carousel", 256],
            ["deps", -1], ["interlaced", 3], ["dts", -5], ["cts", 1.5], ["dts", 0xffffffffffffffffn], ["byteOffset", -1]];
          for (const [k, v] of range) {
            assert.throws(() => (o as unknown as Record<string, unknown>)[k] = v, (e: unknown) =>
              e instanceof RangeError && e.message.includes("FilterPacket." + k) && e.message.includes(String(v)), k + "=" + v);
          }
          const types: [string, unknown][] = [["dur", "x"], ["seqnum", null], ["sap", {}], ["dts", "1"], ["seek", "yes"],
            ["start", 1], ["corrupted", undefined]];
          for (const [k, v] of types) {
            assert.throws(() => (o as unknown as Record<string, unknown>)[k] = v, (e: unknown) =>
              e instanceof TypeError && e.message.includes("FilterPacket." + k), k + "=" + String(v));
          }
          o.dur = 0xffffffff;
          assert.equal(o.dur, 0xffffffff);
          o.dts = 2n ** 60n;
          assert.equal(o.dts, 2n ** 60n);
          assert.throws(() => o.truncate(-1), RangeError);
          assert.throws(() => pid.opid!.newPck(-1), /newPck\\(size\\): expected an integer/);
          assert.throws(() => pid.opid!.forward({} as never), /forward\\(\\): expected a FilterPacket, got object/);
          assert.throws(() => pid.opid!.newPckShared(new Uint8Array(0)), /non-empty Uint8Array/);
          o.discard();
        }
        pid.opid!.forward(p);
        pid.dropPacket();
      }
      if (pid.eos) pid.opid!.eos = true;
    }
    return 0;
  }
}
new P(fs);
new Sink(fs);
fs.run();
assert.ok(done);
fs.close();
`,
  );
});

Deno.test("crash: a callback returning a non-number or a promise stops the run with a TypeError", async () => {
  await runCase(
    "callback-result",
    `
const fs = new FilterSession();
fs.loadSrc("avgen:type=a:dur=0.1");
class A extends FilterCustom {
  constructor(fs: gpac.FilterSession) { super(fs, "a"); this.pushCap("StreamType", "Audio", GF_CAPS_INPUT); }
  override async process() { return 0; }
}
new A(fs);
assert.throws(() => fs.run(), /process\\(\\) must return a GF_Err number or nothing, got Promise object \\(callbacks cannot be async\\)/);
fs.close();
`,
  );
});

/** Deoptimises the caller of the native session step from inside a filter callback. */
const DEOPT_CASE = (mode: "run" | "async") => `
const deopt = new Function("f", "%DeoptimizeFunction(f)") as (f: unknown) => void;
class P extends FilterCustom {
  n = 0;
  constructor(fs: gpac.FilterSession) { super(fs, "p"); this.pushCap("StreamType", "Audio", GF_CAPS_INPUT_OUTPUT); }
  override configurePid(pid: FilterPid, rm: boolean) { if (!rm) this.mirrorPid(pid); return 0; }
  override process() {
    for (const pid of this.ipids) {
      for (let k = pid.getPacket(); k; k = pid.getPacket()) {
        pid.opid!.forward(k);
        pid.dropPacket();
        if (++this.n % 50 === 0) {
          deopt(gpac.FilterSession.prototype.run);
          deopt(gpac.FilterSession.prototype.runAsync);
          deopt(loop);
        }
      }
      if (pid.eos) pid.opid!.eos = true;
    }
    return 0;
  }
}
const fs = new FilterSession({ nonBlocking: true });
fs.loadSrc("avgen:type=a:dur=60");
const p = new P(fs);
new Sink(fs);
function loop() { for (let i = 0; i < 1e7; i++) if (fs.run() !== 0) break; }
${mode === "run" ? "loop();" : "await fs.runAsync({ signal: AbortSignal.timeout(60_000) });"}
assert.ok(p.n > 2000, "packets " + p.n);
fs.close();
`;

Deno.test("crash: JS deoptimised inside a session step (run loop) does not abort V8", async () => {
  await runCase("deopt-run", DEOPT_CASE("run"), ["--allow-natives-syntax", "--no-maglev"]);
});

Deno.test("crash: JS deoptimised inside a session step (runAsync) does not abort V8", async () => {
  await runCase("deopt-async", DEOPT_CASE("async"), ["--allow-natives-syntax", "--no-maglev"]);
});

Deno.test("crash: forced GC inside process() under runAsync", async () => {
  await runCase(
    "gc-async",
    `
const gc = (globalThis as unknown as { gc: () => void }).gc;
let n = 0;
const fs = new FilterSession({ nonBlocking: true });
fs.loadSrc("avgen:type=a:dur=30");
new Sink(fs, () => { if (++n % 40 === 0) gc(); });
await fs.runAsync({ signal: AbortSignal.timeout(60_000) });
assert.ok(n > 1000, "packets " + n);
fs.close();
`,
    ["--expose-gc", "--no-maglev"],
  );
});

Deno.test("crash: event fields and event types are range- and type-checked", async () => {
  await runCase(
    "event-fields",
    `
assert.throws(() => new gpac.FilterEvent(0), /FilterEvent type .*expected an integer in \\[1, 4294967295\\], got 0/);
assert.throws(() => new gpac.FilterEvent("play" as never), TypeError);
assert.throws(() => new gpac.FilterEvent(gpac.GF_FEVT_PLAY, {} as never), /onPid: expected a FilterPid/);
const e = new gpac.FilterEvent(gpac.GF_FEVT_PLAY);
assert.throws(() => (e.play.startRange = "x" as never), /field startRange: expected a number, got "x"/);
assert.throws(() => (e.play.fromPck = -1), /field fromPck: expected an integer in \\[0, 4294967295\\], got -1/);
assert.throws(() => (e.play.hwBufferReset = 256), RangeError);
assert.throws(() => (e.play.hintFirstDts = -1n as never), RangeError);
assert.throws(() => (e.play.onPid = {} as never), /field onPid: expected a Deno pointer or null/);
assert.throws(() => (e.type = 0), RangeError);
e.play.speed = 2;
assert.equal(e.play.speed, 2);
`,
  );
});

Deno.test("crash: an output PID removed in the process() call that created it does not hang GPAC", async () => {
  await runCase(
    "remove-new-pid",
    `
let removed = 0;
class F extends FilterCustom {
  n = 0;
  constructor(fs: gpac.FilterSession) { super(fs, "f"); this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT); }
  override configurePid(pid: FilterPid, rm: boolean) { if (!rm) this.mirrorPid(pid); return 0; }
  override process() {
    for (const pid of this.ipids) {
      for (let p = pid.getPacket(); p; p = pid.getPacket()) {
        if (this.n++ < 3) {
          const extra = this.newPid();
          extra.remove();
          assert.equal(extra.alive, false);
          assert.throws(() => extra.newPck(1), /PID used after it was removed/);
          removed++;
        }
        pid.opid!.forward(p);
        pid.dropPacket();
      }
      if (pid.eos) pid.opid!.eos = true;
    }
    return 0;
  }
}
const fs = new FilterSession();
fs.loadSrc("avgen:type=v:sizes=64x48:dur=0.3");
new F(fs);
fs.load("inspect:deep=0:log=null");
fs.run(); // hung in GPAC's scheduler before the removal was deferred to the next callback
assert.equal(removed, 3);
fs.close();
`,
  );
});
