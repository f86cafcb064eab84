/**
 * Seeded misuse fuzzer: `deno task fuzz --seed N --seconds S`.
 *
 * Draws random API call sequences (wrong argument types and values, hostile property values,
 * packet sizes and flags, packets used after release, calls from inside `process()` and after
 * `close()`), runs each in its own `deno` child (`fuzz/child.ts`) against the real libgpac, and
 * stops at the first scenario that crashes the process, hangs, or leaks an internal error
 * message. It then shrinks the scenario to a minimal call sequence and prints it with the seed
 * that reproduces it (`--replay file.json` runs a printed scenario again). Exit code 0: no
 * failure within the time budget.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { genScenario, type Scenario } from "./ops.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    seconds: { type: "string", default: "60" },
    replay: { type: "string" },
    quiet: { type: "boolean", default: false },
  },
});
const SEED = Number(args.values.seed);
const SECONDS = Number(args.values.seconds);
const CHILD = new URL("./child.ts", import.meta.url).pathname;
const CHILD_TIMEOUT_MS = 30_000;
const SHRINK_BUDGET_MS = 180_000;

/** What happened to one scenario. */
interface Outcome {
  ok: boolean;
  kind: "ok" | "crash" | "leak" | "hang";
  detail: string;
}

async function runScenario(sc: Scenario): Promise<Outcome> {
  const file = await Deno.makeTempFile({ prefix: "deno-gpac-fuzz-", suffix: ".json" });
  await Deno.writeTextFile(file, JSON.stringify(sc));
  try {
    const { code, signal, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-check", CHILD, file],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(CHILD_TIMEOUT_MS),
      env: { NO_COLOR: "1" },
    }).output();
    const out = new TextDecoder().decode(stdout);
    const err = new TextDecoder().decode(stderr);
    if (code === 0 && out.includes("SCENARIO-OK")) return { ok: true, kind: "ok", detail: "" };
    if (code === 3) {
      return {
        ok: false,
        kind: "leak",
        detail: out.split("\n").find((l) => l.startsWith("LEAK")) ?? out,
      };
    }
    const hang = signal === "SIGTERM" || signal === "SIGKILL";
    return {
      ok: false,
      kind: hang ? "hang" : "crash",
      detail: `exit code ${code}, signal ${signal}\n${err.slice(-2000)}`,
    };
  } finally {
    await Deno.remove(file);
  }
}

/** Removes calls one at a time while the failure (same kind) remains. */
async function shrink(sc: Scenario, kind: Outcome["kind"]): Promise<Scenario> {
  let cur = sc;
  const stop = Date.now() + SHRINK_BUDGET_MS; // a bounded search: report what it reached
  for (let i = cur.ops.length - 1; i >= 0 && Date.now() < stop; i--) {
    const cand: Scenario = { ...cur, ops: cur.ops.filter((_, k) => k !== i) };
    const r = await runScenario(cand);
    if (!r.ok && r.kind === kind) cur = cand;
  }
  if (cur.async) {
    const cand = { ...cur, async: false };
    const r = await runScenario(cand);
    if (!r.ok && r.kind === kind) cur = cand;
  }
  return cur;
}

async function main(): Promise<number> {
  if (args.values.replay) {
    const sc: Scenario = JSON.parse(await Deno.readTextFile(args.values.replay));
    const r = await runScenario(sc);
    console.log(r.ok ? "replay: ok" : `replay: ${r.kind}\n${r.detail}`);
    return r.ok ? 0 : 1;
  }
  const end = Date.now() + SECONDS * 1000;
  let n = 0;
  console.log(`fuzz: seed ${SEED}, ${SECONDS} s`);
  while (Date.now() < end) {
    const scenarioSeed = (SEED * 1_000_003 + n) >>> 0;
    const sc = genScenario(scenarioSeed);
    const r = await runScenario(sc);
    n++;
    if (!args.values.quiet) {
      console.log(`  #${n} (scenario seed ${scenarioSeed}, ${sc.ops.length} calls): ${r.kind}`);
    }
    if (!r.ok) {
      console.log(
        `FAILURE (${r.kind}) at scenario #${n}, seed ${SEED}, scenario seed ${scenarioSeed}`,
      );
      console.log(r.detail);
      const min = await shrink(sc, r.kind);
      console.log("minimal call sequence (replay: save as file.json, --replay file.json):");
      console.log(JSON.stringify(min, null, 1));
      return 1;
    }
  }
  console.log(`fuzz: ${n} scenarios, no crash, hang or leaked internal error (seed ${SEED})`);
  return 0;
}

Deno.exit(await main());
