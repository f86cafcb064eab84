import assert from "node:assert/strict";
import { type GpacFeature, gpacSupports, version } from "../mod.ts";
import { runDeno } from "./helpers.ts";

/** Examples using a feature some GPAC releases lack: there they must fail with a clear error. */
const NEEDS: [RegExp, GpacFeature][] = [
  [/^dash_/, "dash"],
  [/^httpout_/, "httpout"],
];

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
    const need = NEEDS.find(([re]) => re.test(name))?.[1];
    if (need && !gpacSupports(need)) {
      // refused, saying why and naming the loaded release (no hang, no crash)
      assert.notEqual(r.code, 0, `${name} ran on GPAC ${version()}, which lacks ${need}`);
      assert.ok(!r.timedOut, `${name} hung instead of refusing`);
      assert.match(r.stderr, /needs GPAC >= \d/, r.stderr);
      assert.ok(r.stderr.includes(version()), r.stderr);
      return;
    }
    assert.equal(r.code, 0, `${name} failed:\n${r.stdout}\n${r.stderr}`);
    assert.ok(r.stdout.trim().length > 0, `${name} printed nothing`);
  });
}
