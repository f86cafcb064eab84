/**
 * A short run of the seeded misuse fuzzer (`deno task fuzz`), in a child process: random API
 * call sequences against the real libgpac must not crash, hang or leak internal errors.
 *
 * @module
 */

import assert from "node:assert/strict";

Deno.test("fuzz: 10 s of random misuse (seed 1) finds no crash, hang or leaked error", async () => {
  const main = new URL("../fuzz/main.ts", import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "--seed", "1", "--seconds", "10", "--quiet"],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(300_000), // 10 s of scenarios, plus shrinking if one fails
    env: { NO_COLOR: "1" },
  }).output();
  const out = new TextDecoder().decode(stdout);
  const why = `${out}\n${new TextDecoder().decode(stderr).slice(-2000)}`;
  assert.equal(code, 0, why);
  assert.match(out, /fuzz: [1-9]\d* scenarios, no crash/, why);
});

Deno.test("fuzz: a replayed scenario that crashes is reported as a crash", async () => {
  // `selfTestSegv` (never generated) reads address 8: a real SIGSEGV in the child
  const main = new URL("../fuzz/main.ts", import.meta.url).pathname;
  const file = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(
    file,
    JSON.stringify({
      source: "audio",
      async: false,
      ops: [{ phase: "setup", op: "selfTestSegv", args: [] }],
    }),
  );
  try {
    const { code, stdout } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", main, "--replay", file],
      stdout: "piped",
      stderr: "null",
      signal: AbortSignal.timeout(120_000),
      env: { NO_COLOR: "1" },
    }).output();
    const out = new TextDecoder().decode(stdout);
    assert.equal(code, 1, out);
    // under a libgpac built with AddressSanitizer (README, Development), ASan's SEGV handler
    // reports the fault and exits with code 1 instead of the signal
    assert.match(
      out,
      /replay: crash\nexit code (\d+, signal SIGSEGV|1, signal null\nAddressSanitizer:DEADLYSIGNAL)/,
      out,
    );
  } finally {
    await Deno.remove(file);
  }
});
