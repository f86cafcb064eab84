/**
 * Session misuse that must never take the process down, each case in its own child process (a
 * crash in one cannot hide the others): re-entrant close, wrong argument types and ranges,
 * half-registered tasks, task delays GPAC cannot take, destinations left empty.
 *
 * @module
 */

import assert from "node:assert/strict";
import { runDeno, tmpPath } from "./helpers.ts";

const MOD = new URL("../mod.ts", import.meta.url).href;
let scripts = 0;

/** Runs `body` (a module importing `MOD`) in a child process; it must print `ok` and exit 0. */
async function child(body: string): Promise<string> {
  const path = tmpPath(`safety_${scripts++}.ts`);
  Deno.writeTextFileSync(path, body.replaceAll("MOD", MOD));
  const r = await runDeno(
    ["run", "--allow-ffi", "--allow-env", "--allow-read", "--allow-write", path],
    { NO_COLOR: "1" },
  );
  assert.equal(r.code, 0, `child exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^ok$/m, r.stdout + r.stderr);
  return r.stdout;
}

Deno.test("safety: close() re-entered from onFilterDel while the session closes", async () => {
  await child(`
import { FilterSession } from "MOD";
let dels = 0;
let closing = "";
class S extends FilterSession {
  override onFilterDel() {
    dels++;
    this.close(); // no-op while closing: no double free
    try { this.nbFilters; } catch (e) { closing = (e as Error).message; }
  }
}
const fs = new S();
fs.loadSrc("avgen:dur=0.2");
fs.load("inspect:deep:log=null");
fs.run();
fs.close();
fs.close();
if (dels < 2) throw new Error("onFilterDel ran " + dels + " times");
if (!/closing/.test(closing)) throw new Error("session calls during close: " + closing);
if (fs.state !== "closed") throw new Error(fs.state);
console.log("ok");
`);
});

Deno.test("safety: misuse of session methods says what was expected and what was given", async () => {
  await child(`
import { FilterSession, GF_FS_FLUSH_ALL } from "MOD";
const fs = new FilterSession();
const cases: [() => unknown, RegExp, Function][] = [
  [() => fs.loadSrc(undefined as never), /source URL must be a string, got undefined/, TypeError],
  [() => fs.loadSrc({} as never), /source URL must be a string, got \\[object Object\\]/, TypeError],
  [() => fs.loadDst(123 as never), /destination URL must be a string, got number 123/, TypeError],
  [() => fs.load(null as never), /filter description must be a string, got null/, TypeError],
  [() => fs.loadSrc("avgen", 5 as never), /parentUrl must be a string, got number 5/, TypeError],
  [() => fs.getFilter(-1), /expected an integer index in 0\\.\\.-1, got number -1/, RangeError],
  [() => fs.getFilter(0.5), /got number 0\\.5/, RangeError],
  [() => fs.getFilter("0" as never), /got "0"/, RangeError],
  [() => fs.post(123 as never), /expected a FilterTask or a function, got number 123/, TypeError],
  [() => fs.post(() => -1, 42 as never), /task name must be a string, got number 42/, TypeError],
  [() => fs.fireEvent({} as never), /expected a FilterEvent/, TypeError],
  [() => fs.abort(7), /GF_FS_FLUSH_NONE \\(0\\).*got number 7/, RangeError],
  [() => { fs.httpMaxBitrate = -1; }, /integer in 0\\.\\.2\\^32-1, got number -1/, RangeError],
  [() => fs.isSupportedMime(5 as never), /MIME type must be a string/, TypeError],
  [() => fs.filterExists(undefined as never), /filter name must be a string/, TypeError],
  [() => new FilterSession(null as never), /options must be an object, got null/, TypeError],
  [() => fs.runAsync({ sliceMs: Infinity }), /invalid sliceMs Infinity/, RangeError],
];
for (const [f, re, type] of cases) {
  let err: unknown = null;
  try {
    const r = f();
    if (r instanceof Promise) await r;
  } catch (e) {
    err = e;
  }
  if (!(err instanceof type) || !re.test((err as Error).message)) {
    throw new Error("case " + f + ": got " + err);
  }
}
// the refused post() left nothing behind: the session still runs and closes cleanly
fs.loadSrc("avgen:dur=0.2");
fs.load("inspect:deep:log=null");
fs.run();
fs.abort(GF_FS_FLUSH_ALL);
fs.close();
console.log("ok");
`);
});

Deno.test("safety: a task returning Infinity, NaN or a non-number stops the session", async () => {
  await child(`
import { FilterSession } from "MOD";
for (const [value, type, re] of [
  [Infinity, RangeError, /returned Infinity: expected a delay in ms from 0 to 4294967295/],
  [NaN, RangeError, /returned NaN/],
  [2 ** 40, RangeError, /returned 1099511627776/],
  ["10", TypeError, /returned "10": expected a number of ms/],
] as const) {
  const fs = new FilterSession();
  fs.loadSrc("avgen:dur=600"); // would run for 10 minutes if the error did not stop it
  fs.load("inspect:deep:log=null");
  fs.post(() => value as never, "bad");
  let err: unknown = null;
  try {
    fs.run();
  } catch (e) {
    err = e;
  }
  if (!(err instanceof type) || !re.test((err as Error).message)) throw new Error(String(err));
  fs.close();
}
console.log("ok");
`);
});

Deno.test("safety: a destination the session ends without writing makes run()/runAsync() throw", async () => {
  const png = tmpPath("never.png");
  const mp4 = tmpPath("passthrough.mp4");
  await child(`
import { FilterCustom, type FilterPid, FilterSession, GF_CAPS_INPUT_OUTPUT, GpacError } from "MOD";
// audio only, to a PNG: no filter chain connects them
for (const mode of ["run", "runAsync"]) {
  const fs = new FilterSession();
  fs.loadSrc("avgen:dur=0.3:type=a");
  fs.loadDst(${JSON.stringify(png)});
  let err: unknown = null;
  try {
    if (mode === "run") fs.run();
    else await fs.runAsync({ signal: AbortSignal.timeout(60_000) });
  } catch (e) {
    err = e;
  }
  fs.close();
  if (!(err instanceof GpacError) || err.codeName !== "GF_FILTER_NOT_FOUND" ||
      !/nothing was written to ".*never\\.png"/.test(err.message)) {
    throw new Error(mode + ": " + err);
  }
}
// the README's pass-through wired as a newcomer would: either the MP4 is written, or run() says
// why not; never a normal return without output
class PassThrough extends FilterCustom {
  constructor(fs: FilterSession) {
    super(fs, "passthrough");
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
  }
  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (!isRemove) this.mirrorPid(pid);
    return 0;
  }
  override process(): number {
    for (const pid of this.ipids) {
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        pid.opid!.forward(pck);
        pid.dropPacket();
      }
      if (pid.eos) pid.opid!.eos = true;
    }
    return 0;
  }
}
const fs = new FilterSession();
fs.loadSrc("avgen:dur=0.5");
new PassThrough(fs);
fs.load("ffenc:c=avc");
fs.loadDst(${JSON.stringify(mp4)});
let written = false;
try {
  fs.run();
  written = Deno.statSync(${JSON.stringify(mp4)}).size > 0;
  if (!written) throw new Error("run() returned normally and wrote nothing");
} catch (e) {
  if (!(e instanceof GpacError) || !/nothing was written/.test(e.message)) throw e;
}
fs.close();
console.log("ok");
`);
});
