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
  assert.match(r.stdout, /setup-gpac/);
  assert.match(r.stdout, /brew install gpac/);
  assert.match(r.stdout, /GPAC_LIB=/);
  assert.ok(r.stdout.includes(gpac.SUPPORTED_GPAC.text), r.stdout);
});

Deno.test("library: a file that is not a library is found but unusable, and said so once", async () => {
  const bogus = tmpPath("libgpac.so.fake");
  Deno.writeTextFileSync(bogus, "not a library");
  const script = tmpPath("load_fail2.ts");
  Deno.writeTextFileSync(
    script,
    `import { version } from "${new URL("../mod.ts", import.meta.url).href}";
let first: unknown;
try { version(); console.log("LOADED"); } catch (e) { first = e; console.log(e.name + ": " + e.message); }
try { version(); } catch (e) { console.log("SAME " + (e === first)); }`,
  );
  const r = await runDeno(["run", "--allow-ffi", "--allow-env", "--allow-read", script], {
    GPAC_LIB: bogus,
  });
  assert.match(r.stdout, /GpacLoadError: libgpac was found but cannot be used/);
  assert.match(r.stdout, /not a loadable libgpac/);
  assert.doesNotMatch(r.stdout, /was not found|brew install/);
  assert.ok(r.stdout.includes(bogus));
  assert.match(r.stdout, /SAME true/);
  assert.equal(r.stderr.match(/cannot be used/g), null, "printed nothing itself");
});

Deno.test("library: the loaded GPAC is inside the supported range, with no warning for tested ABIs", () => {
  const a = gpac.abi();
  const min = gpac.SUPPORTED_GPAC.minAbi;
  assert.ok(
    a.major > min.major || (a.major === min.major && a.minor >= min.minor),
    `${a.major}.${a.minor}`,
  );
  assert.match(gpac.SUPPORTED_GPAC.text, /2\.4/);
});

Deno.test("library: gpacSupports and requireFeature agree, and refusals name the feature and the release", () => {
  const features: gpac.GpacFeature[] = [
    "dash",
    "httpout",
    "httpoutUploadLength",
    "fileioUnknownLength",
    "parseProp",
    "propsEqual",
    "packetClone",
    "delayedTask",
    "remoteMonitoring",
    "dashInbandEvents",
  ];
  for (const f of features) {
    if (gpac.gpacSupports(f)) {
      gpac.requireFeature(f);
      continue;
    }
    assert.throws(() => gpac.requireFeature(f), (e: unknown) => {
      assert.ok(e instanceof gpac.GpacError);
      assert.equal(e.code, gpac.GF_NOT_SUPPORTED);
      assert.match(e.message, /needs GPAC >= \d/);
      assert.ok(e.message.includes(gpac.version()), e.message);
      return true;
    });
  }
  // what every supported release has, and what 2.4 lacks
  assert.equal(gpac.gpacSupports("dash"), true);
  assert.equal(gpac.gpacSupports("httpout"), gpac.abi().major >= 16);
  assert.equal(gpac.gpacSupports("remoteMonitoring"), gpac.abi().major >= 16);
  // 26.07 has everything
  if (gpac.abi().major === 16 && gpac.abi().minor >= 21) {
    for (const f of features) assert.ok(gpac.gpacSupports(f), f);
  }
  assert.throws(() => gpac.gpacSupports("bogus" as gpac.GpacFeature), TypeError);
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

Deno.test("library: the CLI prints the missing-library message once, without a stack", async () => {
  const cli = new URL("../cli.ts", import.meta.url).pathname;
  const r = await runDeno(
    ["run", "--allow-ffi", "--allow-env", "--allow-read", "--allow-write", cli, "-i", "avgen"],
    { GPAC_LIB: "/nonexistent/gpac-lib-dir" },
  );
  assert.equal(r.code, 1, r.stderr);
  const all = r.stdout + r.stderr;
  assert.equal(all.match(/libgpac was not found/g)?.length, 1, all);
  assert.doesNotMatch(all, /\n\s+at /);
  assert.ok(all.trim().split("\n").length < 15, all);
});
