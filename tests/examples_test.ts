import assert from "node:assert/strict";
import { runDeno } from "./helpers.ts";

const PERMS = ["--allow-ffi", "--allow-env", "--allow-read", "--allow-write"];
const examples = [...Deno.readDirSync(new URL("../examples/", import.meta.url))]
  .filter((e) => e.isFile && e.name.endsWith(".ts"))
  .map((e) => e.name)
  .sort();

for (const name of examples) {
  Deno.test(`examples: ${name} runs to completion on avgen`, async () => {
    const path = new URL(`../examples/${name}`, import.meta.url).pathname;
    // the httpout examples run an HTTP server and its client on loopback
    const perms = name.startsWith("httpout_") ? [...PERMS, "--allow-net"] : PERMS;
    const r = await runDeno(["run", ...perms, path]);
    assert.equal(r.code, 0, `${name} failed:\n${r.stdout}\n${r.stderr}`);
    assert.ok(r.stdout.trim().length > 0, `${name} printed nothing`);
  });
}
