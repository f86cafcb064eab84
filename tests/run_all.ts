/**
 * Runs every `tests/*_test.ts` file in its own `deno test` process and prints the totals.
 *
 * Why not one `deno test tests/`: deno runs each test file on a different OS thread of the same
 * process, while libgpac keeps one JavaScript runtime (for its JS filters such as `avgen`) that
 * only works on the thread that started it. One process per file gives each file a fresh libgpac.
 *
 * Counts come from each file's JUnit report (`deno test --junit-path`), not from its text
 * output. A file that runs longer than the time bound (env `DENO_GPAC_TEST_TIMEOUT_S`, default
 * 600 s) is killed and counted as one more failure, as is a file that crashes or exits non-zero
 * without reporting a failed test. The last line is `ok | N passed | M failed` or
 * `FAILED | N passed | M failed` (what `.ci/run` reads).
 *
 * Usage: `deno task test [-- filter]` (an optional substring selects test files).
 *
 * @module
 */

const PERMS = [
  "--allow-ffi",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-run",
  "--allow-net",
];

/** Passed/failed counts of one JUnit XML report. */
export interface JUnitCounts {
  /** Test cases without a failure or error element. */
  passed: number;
  /** Test cases with a failure or error element. */
  failed: number;
}

/**
 * Counts the test cases of a JUnit report: each `<testcase>` with a `<failure>` or `<error>`
 * child failed, the others passed (`<skipped>` ones are not counted).
 */
export function junitCounts(xml: string): JUnitCounts {
  let passed = 0;
  let failed = 0;
  const re = /<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const m of xml.matchAll(re)) {
    const body = m[2] ?? "";
    if (/<(failure|error)\b/.test(body)) failed++;
    else if (!/<skipped\b/.test(body)) passed++;
  }
  return { passed, failed };
}

function timeoutMs(): number {
  let env: string | undefined;
  try {
    env = Deno.env.get("DENO_GPAC_TEST_TIMEOUT_S");
  } catch { /* no --allow-env: the default */ }
  const v = Number(env ?? "600");
  return (Number.isFinite(v) && v > 0 ? v : 600) * 1000;
}

/** Runs one test file; returns its counts and whether it ended cleanly. */
async function runFile(
  file: URL,
  tmp: string,
  limitMs: number,
): Promise<JUnitCounts & { clean: boolean; note: string }> {
  const junit = `${tmp}/junit-${crypto.randomUUID()}.xml`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", ...PERMS, `--junit-path=${junit}`, file.pathname],
    stdout: "inherit",
    stderr: "inherit",
    env: { NO_COLOR: "1", TMPDIR: tmp },
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, limitMs);
  const { code, signal } = await child.status;
  clearTimeout(timer);
  let counts: JUnitCounts = { passed: 0, failed: 0 };
  try {
    counts = junitCounts(await Deno.readTextFile(junit));
  } catch { /* no report: the process crashed or was killed */ }
  let { passed, failed } = counts;
  let note = "";
  if (timedOut) {
    failed++;
    note = `killed after ${limitMs / 1000} s`;
  } else if (code !== 0 && failed === 0) {
    failed++;
    note = signal ? `died with ${signal}` : `exit code ${code} without a failed test`;
  }
  return { passed, failed, clean: !timedOut && code === 0, note };
}

if (import.meta.main) {
  const dir = new URL(".", import.meta.url);
  const only = Deno.args[0];
  const files = [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && e.name.endsWith("_test.ts") && (!only || e.name.includes(only)))
    .map((e) => e.name)
    .sort();
  // every temporary file of the run lives under one folder, removed at the end
  const tmp = await Deno.makeTempDir({ prefix: "deno-gpac-tests-" });
  const limit = timeoutMs();
  let passed = 0;
  let failed = 0;
  const failedFiles: string[] = [];
  try {
    for (const f of files) {
      const r = await runFile(new URL(f, dir), tmp, limit);
      passed += r.passed;
      failed += r.failed;
      if (!r.clean || r.failed) failedFiles.push(r.note ? `${f} (${r.note})` : f);
    }
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
  console.log(
    `\n${files.length} test files${
      failedFiles.length ? `, failing: ${failedFiles.join(", ")}` : ""
    }`,
  );
  console.log(`${failed ? "FAILED" : "ok"} | ${passed} passed | ${failed} failed`);
  Deno.exit(failed ? 1 : 0);
}
