/**
 * The test runner reads results from deno's JUnit reports (`tests/run_all.ts`).
 *
 * @module
 */

import assert from "node:assert/strict";
import { junitCounts } from "./run_all.ts";
import { tmpPath } from "./helpers.ts";

Deno.test("runner: counts come from a real JUnit report (pass, fail, skip)", async () => {
  const file = tmpPath("sample_test.ts");
  const junit = tmpPath("sample.xml");
  Deno.writeTextFileSync(
    file,
    `Deno.test("passes", () => {});\n` +
      `Deno.test("also passes", () => {});\n` +
      `Deno.test("fails", () => { throw new Error("expected"); });\n` +
      `Deno.test({ name: "skipped", ignore: true, fn() {} });\n`,
  );
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["test", "--no-check", `--junit-path=${junit}`, file],
    stdout: "null",
    stderr: "null",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assert.notEqual(out.code, 0);
  assert.deepEqual(junitCounts(Deno.readTextFileSync(junit)), { passed: 2, failed: 1 });
  assert.deepEqual(junitCounts(""), { passed: 0, failed: 0 });
});
