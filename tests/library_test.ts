import assert from "node:assert/strict";
import * as gpac from "../mod.ts";
import { runDeno, tmpPath } from "./helpers.ts";

Deno.test("library: version, ABI and path of the loaded libgpac", () => {
  const v = gpac.version();
  assert.match(v, /^\d+\.\d+/);
  const abi = gpac.abi();
  assert.ok(abi.major >= 12, `ABI major ${abi.major}`);
  assert.ok(Number.isInteger(abi.minor));
  assert.match(gpac.libraryPath(), /libgpac/);
  assert.ok(gpac.sysClock() >= 0);
  const hr = gpac.sysClockHighRes();
  assert.ok(typeof hr === "number" && hr >= 0);
  assert.match(gpac.copyright(), /GPAC/i);
});

Deno.test("library: e2s and errorName map GPAC error codes", () => {
  assert.equal(gpac.errorName(gpac.GF_URL_ERROR), "GF_URL_ERROR");
  assert.equal(gpac.errorName(gpac.GF_BAD_PARAM), "GF_BAD_PARAM");
  assert.match(gpac.e2s(gpac.GF_URL_ERROR), /URL/i);
  assert.equal(gpac.e2s(gpac.GF_OK), "No Error");
});

Deno.test("library: a bogus GPAC_LIB gives an error naming what was tried and how to install GPAC", async () => {
  const script = tmpPath("load_fail.ts");
  Deno.writeTextFileSync(
    script,
    `import { FilterSession } from "${new URL("../mod.ts", import.meta.url).href}";
try { new FilterSession(); console.log("LOADED"); } catch (e) { console.log(e.name + ": " + e.message); }`,
  );
  const r = await runDeno(["run", "--allow-ffi", "--allow-env", "--allow-read", script], {
    GPAC_LIB: "/nonexistent/gpac-lib-dir",
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /GpacLoadError: libgpac was not found/);
  assert.match(r.stdout, /\/nonexistent\/gpac-lib-dir\/libgpac/);
  assert.match(r.stdout, /brew install gpac/);
  assert.match(r.stdout, /GPAC_LIB=/);
});

Deno.test("library: GPAC_LIB pointing at a file that is not a library fails clearly", async () => {
  const bogus = tmpPath("libgpac.so.fake");
  Deno.writeTextFileSync(bogus, "not a library");
  const script = tmpPath("load_fail2.ts");
  Deno.writeTextFileSync(
    script,
    `import { version } from "${new URL("../mod.ts", import.meta.url).href}";
try { version(); console.log("LOADED"); } catch (e) { console.log(e.name + ": " + e.message); }`,
  );
  const r = await runDeno(["run", "--allow-ffi", "--allow-env", "--allow-read", script], {
    GPAC_LIB: bogus,
  });
  assert.match(r.stdout, /GpacLoadError: libgpac was not found/);
  assert.ok(r.stdout.includes(bogus));
});

Deno.test("library: missing --allow-ffi is reported as such", async () => {
  const script = tmpPath("noffi.ts");
  Deno.writeTextFileSync(
    script,
    `import { version } from "${new URL("../mod.ts", import.meta.url).href}";
try { version(); console.log("LOADED"); } catch (e) { console.log(e.name + ": " + e.message); }`,
  );
  const r = await runDeno(["run", "--allow-env", "--allow-read", script]);
  assert.match(r.stdout, /GpacLoadError: .*--allow-ffi/);
});

Deno.test("library: GPAC_LIB as a folder is used", async () => {
  const script = tmpPath("folder.ts");
  Deno.writeTextFileSync(
    script,
    `import { libraryPath } from "${new URL("../mod.ts", import.meta.url).href}";
console.log(libraryPath());`,
  );
  const dir = gpac.libraryPath().replace(/\/[^/]+$/, "");
  const r = await runDeno(["run", "--allow-ffi", "--allow-env", "--allow-read", script], {
    GPAC_LIB: dir,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.trim().startsWith(dir + "/libgpac"), r.stdout);
});

Deno.test("library: setLogs and getLogs", () => {
  gpac.setLogs("filter@debug", false);
  assert.match(gpac.getLogs(), /filter@debug/);
  assert.throws(() => gpac.setLogs("nosuchtool@loud"), gpac.GpacError);
  gpac.setLogs("all@warning", true);
});

Deno.test("library: setArgs applies global options (in its own process: they are process-wide)", async () => {
  const script = tmpPath("setargs.ts");
  Deno.writeTextFileSync(
    script,
    `import * as gpac from "${new URL("../mod.ts", import.meta.url).href}";
gpac.setArgs(["-logs=filter@info:container@debug"]);
console.log(gpac.getLogs());
using fs = new gpac.FilterSession();
fs.loadSrc("avgen:dur=0.2");
fs.load("inspect:deep=0:log=null");
fs.run();
console.log("RAN");
try { gpac.setArgs([42 as unknown as string]); } catch (e) { console.log(e.name); }`,
  );
  const r = await runDeno(["run", "--allow-ffi", "--allow-env", "--allow-read", script]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /filter(:\w+)*@info/);
  assert.match(r.stdout, /container@debug/);
  assert.match(r.stdout, /RAN/);
  assert.match(r.stdout, /GpacError/);
});
