/**
 * Every ```ts block of README.md runs, as a user would paste it into a file of a project that
 * imports `@deno-gpac/gpac` (resolved by the repository's deno.json to ./mod.ts), each in a child
 * deno process with a time bound and a fresh working folder.
 *
 * Markers, as HTML comments on the lines just above a block's fence:
 * - `<!-- readme-test: writes FILE -->`: the block must leave a non-empty FILE in its folder.
 * - `<!-- readme-test: prints TEXT -->`: the block's standard output must contain TEXT.
 * - `<!-- readme-test: no-run REASON -->`: the block is only type-checked, never run; the reason
 *   (at least a few words) says why. Use sparingly: it shows in the README, and here in the
 *   test's name.
 * - `<!-- readme-test: needs FEATURE -->`: the block uses a `GpacFeature` some GPAC releases
 *   lack; where the loaded GPAC lacks it, the block must fail with the library's refusal naming
 *   the release it needs and the loaded one (and its other markers are not checked).
 */
import assert from "node:assert/strict";
import { REPO_ROOT, runDenoBounded } from "./child_helpers.ts";
import { type GpacFeature, gpacSupports, version } from "../mod.ts";

/** One ```ts block of the README. */
interface Block {
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  writes: string[];
  prints: string[];
  noRun: string | null;
  needs: GpacFeature[];
}

const README = Deno.readTextFileSync(`${REPO_ROOT}/README.md`);
const TIMEOUT_MS = 90_000;
const PERMS = [
  "--allow-ffi",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-net=127.0.0.1",
];

function extractBlocks(text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^(\s*)```(\w*)\s*$/);
    if (!open) continue;
    const indent = open[1].length;
    const lang = open[2];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) j++;
    if (j >= lines.length) throw new Error(`README.md:${i + 1}: unclosed code fence`);
    if (lang === "ts" || lang === "typescript") {
      const body = lines.slice(i + 1, j).map((l) => l.slice(Math.min(indent, l.search(/\S|$/))));
      const writes: string[] = [];
      const prints: string[] = [];
      let noRun: string | null = null;
      const needs: GpacFeature[] = [];
      // markers: the comment lines right above the fence (blank lines allowed in between)
      for (let k = i - 1; k >= 0; k--) {
        const l = lines[k].trim();
        if (l === "") continue;
        const m = l.match(/^<!--\s*readme-test:\s*(.*?)\s*-->$/);
        if (!m) break;
        const [word, ...rest] = m[1].split(/\s+/);
        if (word === "writes") writes.push(...rest);
        else if (word === "prints") prints.push(rest.join(" "));
        else if (word === "no-run") noRun = rest.join(" ");
        else if (word === "needs") needs.push(...rest as GpacFeature[]);
        else throw new Error(`README.md:${k + 1}: unknown readme-test marker "${m[1]}"`);
      }
      blocks.push({ line: i + 1, code: body.join("\n") + "\n", writes, prints, noRun, needs });
    }
    i = j;
  }
  return blocks;
}

const blocks = extractBlocks(README);

Deno.test("readme: starts with the two commands and has its code blocks", () => {
  const head = README.split("\n").slice(0, 8).join("\n");
  assert.match(head, /deno task demo/);
  assert.match(head, /deno task test/);
  assert.ok(blocks.length >= 6, `found ${blocks.length} ts blocks`);
  for (const b of blocks) {
    // snippets import the package by name, as users will: no path into the repository
    assert.doesNotMatch(b.code, /from\s+"\.{1,2}\//, `README.md:${b.line} imports a relative path`);
    if (/\bimport\b/.test(b.code)) {
      assert.match(b.code, /from "@deno-gpac\/gpac(\/[\w./]+)?"/, `README.md:${b.line}`);
    }
    for (const f of b.needs) gpacSupports(f); // a misspelt feature throws a TypeError
    if (b.noRun !== null) {
      assert.ok(
        b.noRun.split(/\s+/).length >= 3,
        `README.md:${b.line}: a no-run marker needs a reason ("${b.noRun}")`,
      );
    }
  }
});

for (const b of blocks) {
  const what = b.noRun !== null ? `type-checks (no-run: ${b.noRun})` : "runs";
  Deno.test(`readme: the block at README.md:${b.line} ${what}`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "deno-gpac-readme-" });
    try {
      const file = `${dir}/block_${b.line}.ts`;
      await Deno.writeTextFile(file, b.code);
      const config = ["--config", `${REPO_ROOT}/deno.json`, "--no-lock"];
      const r = b.noRun !== null
        ? await runDenoBounded(["check", ...config, file], { timeoutMs: TIMEOUT_MS, cwd: dir })
        : await runDenoBounded(["run", ...config, ...PERMS, file], {
          timeoutMs: TIMEOUT_MS,
          cwd: dir,
        });
      const where = `README.md:${b.line} (${file})`;
      assert.ok(!r.timedOut, `${where} ran past ${TIMEOUT_MS / 1000} s:\n${r.stderr}`);
      const lacking = b.noRun === null ? b.needs.filter((f) => !gpacSupports(f)) : [];
      if (lacking.length) {
        // this GPAC lacks a feature the block uses: the library refuses it by name
        assert.notEqual(r.code, 0, `${where} should be refused (${lacking}):\n${r.stdout}`);
        assert.match(r.stderr, /GpacError: .* needs GPAC >= \d/, where);
        assert.ok(r.stderr.includes(version()), `${where}:\n${r.stderr}`);
        return;
      }
      assert.equal(r.code, 0, `${where} failed (rc ${r.code}):\n${r.stderr}\n${r.stdout}`);
      for (const p of b.prints) assert.ok(r.stdout.includes(p), `${where} printed:\n${r.stdout}`);
      for (const w of b.writes) {
        const st = await Deno.stat(`${dir}/${w}`).catch(() => null);
        assert.ok(st && st.size > 0, `${where} should have written ${w}`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  });
}
