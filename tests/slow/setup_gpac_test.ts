/**
 * Opt-in slow test of `deno task setup-gpac` (`deno task test:setup`, not part of
 * `deno task test`): builds GPAC from a local source tarball into a temporary cache folder,
 * then checks that deno-gpac finds that build by itself and runs a session on it.
 *
 * The tarball: env `GPAC_SETUP_TARBALL`, or one made from a GPAC git directory (env
 * `GPAC_GIT_DIR`, default `/work/.mirror/gpac+gpac/repo`) with
 * `git archive --prefix=gpac-<version>/ v<version> | gzip`. Takes ~10 min on 2 cores.
 *
 * @module
 */

import assert from "node:assert/strict";
import { SETUP_GPAC_VERSION } from "../../mod.ts";
import { runDeno } from "../helpers.ts";

const SETUP = new URL("../../setup/setup_gpac.ts", import.meta.url).pathname;
const MOD = new URL("../../mod.ts", import.meta.url).href;

async function tarball(dir: string): Promise<string | null> {
  const given = Deno.env.get("GPAC_SETUP_TARBALL");
  if (given) return given;
  const git = Deno.env.get("GPAC_GIT_DIR") ?? "/work/.mirror/gpac+gpac/repo";
  try {
    Deno.statSync(git);
  } catch {
    return null;
  }
  const out = `${dir}/gpac-${SETUP_GPAC_VERSION}.tgz`;
  const sh = `git -C '${git}' archive --prefix=gpac-${SETUP_GPAC_VERSION}/ ` +
    `v${SETUP_GPAC_VERSION} | gzip > '${out}'`;
  const r = await new Deno.Command("sh", { args: ["-c", sh] }).output();
  return r.success ? out : null;
}

Deno.test({
  name: "setup-gpac: builds GPAC from a local tarball into the cache, where deno-gpac finds it",
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "deno-gpac-setup-test-" });
    try {
      const tgz = await tarball(dir);
      if (!tgz) {
        console.log("skipped: no GPAC_SETUP_TARBALL and no GPAC git directory (GPAC_GIT_DIR)");
        return;
      }
      const cache = `${dir}/cache`;
      // no GPAC_LIB: the library must find the build through its own search order
      // (Deno's own cache stays where it is: XDG_CACHE_HOME would move it too)
      const home = Deno.env.get("HOME") ?? "/tmp";
      const denoDir = Deno.env.get("DENO_DIR") ??
        `${Deno.env.get("XDG_CACHE_HOME") ?? `${home}/.cache`}/deno`;
      const env = { XDG_CACHE_HOME: cache, GPAC_LIB: "", DENO_DIR: denoDir };
      const build = await runDeno(
        ["run", "--allow-all", SETUP, "--source", tgz],
        env,
        45 * 60_000,
      );
      assert.equal(build.code, 0, `setup-gpac failed:\n${build.stdout}\n${build.stderr}`);
      assert.match(build.stdout, /checking build prerequisites/);
      const prefix = `${cache}/deno-gpac/gpac-${SETUP_GPAC_VERSION}`;
      assert.match(build.stdout, new RegExp(`installed in ${prefix}`));
      const script = `${dir}/use.ts`;
      Deno.writeTextFileSync(
        script,
        `import * as gpac from "${MOD}";
using fs = new gpac.FilterSession();
fs.loadSrc("avgen:dur=0.2");
fs.load("inspect:deep=0:log=null");
fs.run();
console.log(gpac.libraryPath(), gpac.version());`,
      );
      const use = await runDeno(["run", "--allow-all", script], env, 120_000);
      assert.equal(use.code, 0, use.stderr);
      assert.ok(use.stdout.startsWith(`${prefix}/lib/libgpac`), use.stdout);
      assert.match(use.stdout, /26\.07/);
      // a second run finds the build and does not rebuild it
      const again = await runDeno(["run", "--allow-all", SETUP, "--source", tgz], env, 120_000);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /already built/);
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
