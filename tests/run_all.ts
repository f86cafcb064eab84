/**
 * Runs every `tests/*_test.ts` file in its own `deno test` process and prints the totals.
 *
 * Why not one `deno test tests/`: deno runs each test file on a different OS thread of the same
 * process, while libgpac keeps one JavaScript runtime (for its JS filters such as `avgen`) that
 * only works on the thread that started it. One process per file gives each file a fresh libgpac.
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
const dir = new URL(".", import.meta.url);
const only = Deno.args[0];
const files = [...Deno.readDirSync(dir)]
  .filter((e) => e.isFile && e.name.endsWith("_test.ts") && (!only || e.name.includes(only)))
  .map((e) => e.name)
  .sort();

// a test file still running after this is killed and counted as failed: a hang never blocks CI
const FILE_TIMEOUT_MS = (() => {
  try {
    return Number(Deno.env.get("DENO_GPAC_FILE_TIMEOUT_MS")) || 600_000;
  } catch {
    return 600_000; // no --allow-env
  }
})();

// every temporary file of the run lives under one folder, removed at the end
const tmp = await Deno.makeTempDir({ prefix: "deno-gpac-tests-" });

let passed = 0;
let failed = 0;
const failedFiles: string[] = [];
for (const f of files) {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["test", ...PERMS, new URL(f, dir).pathname],
    stdout: "piped",
    stderr: "inherit",
    env: { NO_COLOR: "1", TMPDIR: tmp },
  });
  const child = cmd.spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    console.error(`\n!! ${f}: still running after ${FILE_TIMEOUT_MS} ms, killed`);
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, FILE_TIMEOUT_MS);
  const chunks: Uint8Array[] = [];
  for await (const c of child.stdout) {
    chunks.push(c);
    await Deno.stdout.write(c);
  }
  const { code } = await child.status;
  clearTimeout(timer);
  // deno prints e.g. "ok | 12 passed | 0 failed (3s)"
  const out = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
  const m = out.match(/(\d+) passed \| (\d+) failed/g)?.at(-1)?.match(
    /(\d+) passed \| (\d+) failed/,
  );
  const p = m ? Number(m[1]) : 0;
  let fl = m ? Number(m[2]) : 0;
  if ((code !== 0 || timedOut) && fl === 0) fl = 1; // crashed, hung or failed to load
  passed += p;
  failed += fl;
  if (code !== 0 || timedOut) failedFiles.push(f);
}
console.log(
  `\n${files.length} test files${failedFiles.length ? `, failing: ${failedFiles.join(", ")}` : ""}`,
);
console.log(`${failed ? "FAILED" : "ok"} | ${passed} passed | ${failed} failed`);
Deno.exit(failed ? 1 : 0);
