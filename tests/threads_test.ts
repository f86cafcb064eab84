/**
 * TypeScript filters in multi-threaded sessions (`threads: N`): packet counts, callbacks on the
 * JS thread, exceptions, `runAsync()`, an encode pipeline. Each scenario runs in a child process
 * (tests/threads_scenarios.ts) killed after a time bound.
 *
 * @module
 */

import assert from "node:assert/strict";
import { runDenoBounded } from "./child_helpers.ts";
import {
  FilterSession,
  GF_FS_SCHEDULER_DIRECT,
  GF_FS_SCHEDULER_LOCK,
  GF_FS_SCHEDULER_LOCK_FREE,
  GpacError,
  version,
} from "../mod.ts";
import { resolveOptions } from "../core/session_options.ts";

const SCRIPT = new URL("./threads_scenarios.ts", import.meta.url).pathname;

/** Runs one scenario; its JSON result. */
async function scenario(name: string, timeoutMs = 120_000) {
  const r = await runDenoBounded(["run", "-A", SCRIPT, name], { timeoutMs });
  assert.equal(r.timedOut, false, `scenario ${name} still running after ${timeoutMs} ms`);
  assert.equal(r.code, 0, `scenario ${name} failed:\n${r.stderr.slice(-3000)}`);
  const line = r.stdout.trim().split("\n").at(-1) ?? "";
  const out = JSON.parse(line);
  // every TS callback ran on the JS thread, GPAC's main thread in these sessions
  assert.ok(out.callbackThreads.length > 0, "callbacks ran");
  assert.deepEqual(out.callbackThreads, [out.jsThread], "callbacks on the JS thread only");
  return out;
}

Deno.test("threads: a TS pass-through in threads: 2 delivers every packet, batched or not", async () => {
  const { ref, threaded, threadedPerPacket } = await scenario("counts");
  for (const t of ["Audio", "Visual"]) {
    assert.ok(ref.seen[t].dts.length > 20, `${t}: ${ref.seen[t].dts.length} packets`);
    assert.deepEqual(threaded.seen[t].dts, ref.seen[t].dts, `${t} DTS, threads: 2`);
    assert.deepEqual(threadedPerPacket.seen[t].dts, ref.seen[t].dts, `${t} DTS, inputBuffer: 0`);
    assert.equal(threaded.seen[t].eos, true);
  }
  assert.equal(threaded.count, ref.count);
  assert.equal(threadedPerPacket.count, ref.count);
  // single-threaded, the default input buffer hands process() the packets queued meanwhile
  assert.ok(ref.calls * 3 < ref.count, `${ref.calls} process() calls for ${ref.count} packets`);
});

Deno.test("threads: an exception in process() in threads: 2 stops run() with its stack", async () => {
  const { error, count, ms } = await scenario("throw");
  assert.ok(error, "run() threw");
  assert.equal(error.message, "boom at packet 20");
  assert.match(error.stack, /explodeInProcess/);
  assert.match(error.stack, /threads_scenarios\.ts/);
  assert.equal(count, 20);
  assert.ok(ms < 60_000, `${ms} ms`);
});

Deno.test("threads: runAsync() runs a default threads: 2 session with a TS filter", async () => {
  const { ref, stepped, byDefault, refusal } = await scenario("async");
  assert.ok(ref.video > 20 && ref.audio > 20, JSON.stringify(ref));
  // timers run between slices, threaded or not (the deepEqual below holds the others to it):
  // runAsync() turns the event loop at least every 25 ms, so a 1 ms timer must have run in any
  // run longer than that
  for (const r of [ref, stepped, byDefault]) {
    assert.ok(r.ms > 50, `a run of ${r.ms} ms cannot tell whether timers ran`);
  }
  const counts = ({ ms: _ms, ...r }: { ms: number }) => r;
  assert.ok(ref.timerRan, "a 1 ms timer never ran during runAsync()");
  assert.deepEqual(counts(stepped), counts(ref));
  assert.deepEqual(counts(byDefault), counts(ref));
  // libgpac's blocking loop cannot be run in slices: said, with the way out
  assert.match(refusal, /blocking: true .*set it to false/);
});

Deno.test("threads: 720p frames drawn in TS then encoded, threads: 2 and 0 alike", async () => {
  const { mono, threaded } = await scenario("encode", 240_000);
  assert.ok(mono.drawn >= 20, JSON.stringify(mono));
  assert.deepEqual(threaded, mono);
  assert.equal(threaded.written, threaded.drawn);
});

Deno.test("threads: newPckShared() packets released on a worker thread do not deadlock", async () => {
  const { mono, threaded } = await scenario("shared", 120_000);
  assert.ok(mono.sent >= 20, JSON.stringify(mono));
  assert.deepEqual(mono, { sent: mono.sent, released: mono.sent, pending: 0 });
  assert.deepEqual(threaded, mono);
});

Deno.test("threads: a threaded session never ends before its filters are done (libgpac 26.07 did)", async () => {
  const { total, got } = await scenario("eos", 180_000);
  for (const [mode, counts] of Object.entries(got as Record<string, number[]>)) {
    assert.deepEqual(counts, counts.map(() => total), `${mode}: samples per run`);
  }
});

Deno.test("threads: 150 runAsync() sessions split between a TS sink and mp4mx lose nothing", async () => {
  const { runs, failures } = await scenario("split", 240_000);
  assert.equal(runs, 150);
  assert.deepEqual(failures, [], `${failures.length} of ${runs} sessions lost output`);
});

Deno.test("threads: the direct scheduler is refused on libgpac 26.07, said", () => {
  if (/^(2\.|26\.0[0-6])/.test(version())) {
    using fs = new FilterSession({ scheduler: GF_FS_SCHEDULER_DIRECT });
    assert.ok(fs.handle);
    return;
  }
  assert.throws(
    () => new FilterSession({ scheduler: GF_FS_SCHEDULER_DIRECT }),
    (e: unknown) => e instanceof GpacError && /direct scheduler .* ends sessions/.test(e.message),
  );
});

Deno.test("threads: sessions with worker threads use the lock scheduler unless told otherwise", () => {
  // libgpac's lock-free queues recycle nodes without ABA protection (see FilterSessionOptions)
  assert.equal(resolveOptions({}).scheduler, GF_FS_SCHEDULER_LOCK_FREE);
  assert.equal(resolveOptions({ threads: 2 }).scheduler, GF_FS_SCHEDULER_LOCK);
  assert.equal(resolveOptions({ threads: -1 }).scheduler, GF_FS_SCHEDULER_LOCK);
  assert.equal(
    resolveOptions({ threads: 2, scheduler: GF_FS_SCHEDULER_LOCK_FREE }).scheduler,
    GF_FS_SCHEDULER_LOCK_FREE,
  );
  assert.throws(() => resolveOptions({ threads: 2, scheduler: 1.5 }), TypeError);
});
