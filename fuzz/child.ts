/**
 * Runs one fuzz scenario (a JSON file written by `fuzz/main.ts`) against the real libgpac.
 *
 * Every call may throw, but only a `TypeError`, `RangeError` or `GpacError` that says what was
 * expected: an error that leaks an internal message (`Cannot read properties…`, `expected
 * external`, `Invalid FFI…`) is reported on stdout as `LEAK {json}` and ends the process with
 * exit code 3. A crash ends it with a signal or GPAC's own exit code; the parent tells them
 * apart.
 *
 * @module
 */

import * as gpac from "../mod.ts";
import type { Op, Scenario, ValueSpec } from "./ops.ts";

const INTERNAL =
  /Cannot read properties|is not a function|expected external|Invalid FFI|is not iterable|Cannot convert|undefined \(reading|Maximum call stack|out of memory/i;

const leaks: { op: string; error: string }[] = [];

/** How long a scenario's session may run before it is stopped (not a failure). */
const RUN_BUDGET_MS = 5_000;

/** Records `e` as a leak unless it is a proper, explicit error. */
function check(op: string, e: unknown): void {
  const ok = (e instanceof TypeError || e instanceof RangeError || e instanceof gpac.GpacError ||
    (e instanceof Error && e.message.startsWith("fuzz:"))) && !INTERNAL.test(e.message);
  if (!ok) leaks.push({ op, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
}

function decode(v: ValueSpec): unknown {
  switch (v.t) {
    case "num":
      return v.v;
    case "nan":
      return NaN;
    case "inf":
      return v.neg ? -Infinity : Infinity;
    case "big":
      return BigInt(v.v);
    case "str":
      return v.v;
    case "bool":
      return v.v;
    case "null":
      return null;
    case "undef":
      return undefined;
    case "obj":
      return { a: 1 };
    case "arr":
      return v.items.map(decode);
    case "u8":
      return new Uint8Array(v.n);
    case "sym":
      return Symbol("fuzz");
    case "fn":
      return () => 1;
    case "frac":
      return new gpac.Fraction(v.n, v.d);
    case "vec2":
      return new gpac.Vec2(v.x, v.y);
  }
}

interface Ctx {
  fs: gpac.FilterSession;
  src: gpac.Filter;
  f: FuzzFilter;
  pid: gpac.FilterPid | null;
  pck: gpac.FilterPacket | null;
  extraPid: gpac.FilterPid | null;
  kept: gpac.FilterPacket[];
}

type Exec = (ctx: Ctx, a: unknown[]) => unknown;

const out = (ctx: Ctx) => ctx.extraPid ?? ctx.pid?.opid ?? null;
const lastKept = (ctx: Ctx) => ctx.kept[ctx.kept.length - 1] ?? ctx.pck;
const asAny = (x: unknown) => x as never;

const EXEC: Record<string, Exec> = {
  load: (c, a) => c.fs.load(asAny(a[0])),
  loadSrc: (c, a) => c.fs.loadSrc(asAny(a[0])),
  loadDst: (c, a) => c.fs.loadDst(asAny(a[0])),
  opidProp: (c, a) => c.src.opidProp(asAny(a[0]), asAny(a[1])),
  ipidProp: (c, a) => c.f.ipidProp(asAny(a[0]), asAny(a[1])),
  opidName: (c, a) => c.src.opidName(asAny(a[0])),
  opidStats: (c, a) => c.src.opidStats(asAny(a[0])),
  opidSinks: (c, a) => c.src.opidSinks(asAny(a[0])),
  update: (c, a) => c.f.update(asAny(a[0]), asAny(a[1])),
  reconnect: (c, a) => c.src.reconnect(asAny(a[0])),
  pushCap: (c, a) => c.f.pushCap(asAny(a[0]), asAny(a[1]), asAny(a[2])),
  reschedule: (c, a) => {
    // a valid long delay is honoured by GPAC even while the session closes (close() waits
    // for it): not a misuse, so the fuzzer only sends the short ones and the invalid ones
    if (typeof a[0] === "number" && a[0] > 1000 && Number.isFinite(a[0])) return;
    c.f.reschedule(asAny(a[0]));
  },
  updateStatus: (c, a) => c.f.updateStatus(asAny(a[0]), asAny(a[1])),
  setMaxPids: (c, a) => c.f.setMaxPids(asAny(a[0])),
  close: (c) => c.fs.close(),
  setPckField: (c, a) => {
    const p = lastKept(c);
    if (p) (p as unknown as Record<string, unknown>)[String(a[0])] = a[1];
  },
  getPckField: (c, a) => (lastKept(c) as unknown as Record<string, unknown> | null)?.[String(a[0])],
  setPidProp: (c, a) => out(c)?.setProp(asAny(a[0]), asAny(a[1])),
  setPidInfo: (c, a) => out(c)?.setInfo(asAny(a[0]), asAny(a[1])),
  getPidProp: (c, a) => c.pid?.getProp(asAny(a[0])),
  setPckProp: (c, a) => lastKept(c)?.setProp(asAny(a[0]), asAny(a[1])),
  newPck: (c, a) => {
    const o = out(c);
    if (o) c.kept.push(o.newPck(asAny(a[0])));
  },
  newPckRef: (c, a) => {
    const o = out(c);
    if (o && c.pck) c.kept.push(o.newPckRef(c.pck, asAny(a[0]), asAny(a[1] ?? 0)));
  },
  newPckShared: (c, a) => {
    const o = out(c);
    if (o) c.kept.push(o.newPckShared(asAny(a[0])));
  },
  truncate: (c, a) => lastKept(c)?.truncate(asAny(a[0])),
  keepRef: (c) => c.pck && c.kept.push(c.pck.ref()),
  keepClone: (c) => c.pck && c.kept.push(c.pck.clone()),
  keepInput: (c) => c.pck && c.kept.push(c.pck),
  useKept: (c, a) => (c.kept[0] as unknown as Record<string, unknown> | undefined)?.[String(a[0])],
  sendKept: (c) => c.kept.shift()?.send(),
  discardKept: (c) => c.kept.shift()?.discard(),
  unrefKept: (c) => c.kept.shift()?.unref(),
  forward: (c, a) => out(c)?.forward(a[0] === 0 ? c.pck! : asAny(a[0])),
  setEos: (c, a) => {
    const o = out(c);
    if (o) o.eos = asAny(a[0]);
  },
  newPid: (c) => (c.extraPid = c.f.newPid()),
  removeOpid: (c) => {
    c.extraPid?.remove();
    c.extraPid = null;
  },
  sendEvent: (c, a) => c.pid?.sendEvent(asAny(a[0])),
  // never generated: lets tests check that the harness reports a real crash (reads address 8)
  selfTestSegv: () => new Deno.UnsafePointerView(Deno.UnsafePointer.create(8n)!).getUint8(),
  throwInProcess: () => {
    throw new Error("fuzz: thrown by process()");
  },
};

function runOps(ctx: Ctx, ops: Op[]): void {
  for (const o of ops) {
    try {
      const args = o.args.map(decode);
      EXEC[o.op](ctx, args);
    } catch (e) {
      if (o.op === "throwInProcess") throw e;
      check(o.op, e);
    }
  }
}

class FuzzFilter extends gpac.FilterCustom {
  ctx!: Ctx;
  ops: Op[] = [];
  calls = 0;
  constructor(fs: gpac.FilterSession) {
    super(fs, "fuzz");
    this.pushCap("StreamType", "Audio", gpac.GF_CAPS_INPUT_OUTPUT);
    this.pushCap("StreamType", "Visual", gpac.GF_CAPS_INPUT_OUTPUT);
  }
  override configurePid(pid: gpac.FilterPid, isRemove: boolean): number {
    if (!isRemove) this.mirrorPid(pid);
    return 0;
  }
  override process(): number {
    for (const pid of this.ipids) {
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        this.ctx.pid = pid;
        this.ctx.pck = pck;
        // the calls run on the first and the fourth packet
        if (this.calls === 0 || this.calls === 3) runOps(this.ctx, this.ops);
        this.calls++;
        if (pck.valid && pid.opid?.alive) pid.opid.forward(pck);
        if (pid.alive) pid.dropPacket();
      }
      if (pid.alive && pid.eos && pid.opid?.alive) pid.opid.eos = true;
    }
    return 0;
  }
}

async function main(): Promise<void> {
  const sc: Scenario = JSON.parse(await Deno.readTextFile(Deno.args[0]));
  // always non-blocking, so that a scenario that never ends (an output PID left without end
  // of stream is a legitimate way to keep a session alive) is stopped at a deadline
  const fs = new gpac.FilterSession({ nonBlocking: true });
  const src = fs.loadSrc(
    sc.source === "audio" ? "avgen:type=a:dur=0.2" : "avgen:type=v:sizes=64x48:dur=0.2",
  );
  const f = new FuzzFilter(fs);
  fs.load("inspect:deep=0:log=null");
  const ctx: Ctx = { fs, src, f, pid: null, pck: null, extraPid: null, kept: [] };
  f.ctx = ctx;
  f.ops = sc.ops.filter((o) => o.phase === "process");
  runOps(ctx, sc.ops.filter((o) => o.phase === "setup"));
  const deadline = AbortSignal.timeout(RUN_BUDGET_MS);
  try {
    if (sc.async) {
      await fs.runAsync({ signal: deadline });
    } else {
      const end = Date.now() + RUN_BUDGET_MS; // timers do not fire in this synchronous loop
      while (Date.now() < end && !fs.lastTask) fs.run();
    }
  } catch (e) {
    if (!deadline.aborted) check("run", e);
  }
  ctx.pck = null;
  runOps(ctx, sc.ops.filter((o) => o.phase === "after"));
  try {
    fs.close();
  } catch (e) {
    check("close", e);
  }
  if (leaks.length) {
    console.log(`LEAK ${JSON.stringify(leaks)}`);
    Deno.exit(3);
  }
  console.log("SCENARIO-OK");
}

await main();
