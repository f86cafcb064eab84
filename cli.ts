#!/usr/bin/env -S deno run --allow-ffi --allow-env --allow-read --allow-write
/**
 * `gpac` for Deno: runs GPAC pipelines written with GPAC's command-line syntax, with
 * TypeScript filters (plugins) anywhere in the chain.
 *
 * ```sh
 * deno task gpac -- -i avgen:dur=2 c=avc ./filters/inspect_hash.ts -o out.mp4
 * deno install --global --name gpac-deno --allow-ffi --allow-env --allow-read --allow-write cli.ts
 * ```
 *
 * See `-h` for the syntax, `-h FILTER` and `-h plugin.ts` for options. Imported (e.g. as
 * `@deno-gpac/gpac/cli`), it exports {@link runCli} to run a command line in-process.
 *
 * @module
 */

import { runCli } from "./cli/run.ts";

export { type CliIo, EXIT_INTERRUPTED, runCli } from "./cli/run.ts";

if (import.meta.main) {
  // `deno task` runs in the folder of deno.json: go back to where the user typed the command
  const initCwd = Deno.env.get("INIT_CWD");
  if (initCwd) {
    try {
      Deno.chdir(initCwd);
    } catch { /* keep the current folder */ }
  }
  Deno.exit(await runCli(Deno.args));
}
