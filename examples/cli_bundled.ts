/**
 * The plugins shipped in `filters/`, run through the CLI from a script with `runCli` (the
 * function behind `cli.ts`): a red box is drawn on GPAC's test pattern, the frames are hashed
 * before and after encoding, the timestamps are restamped to play twice as fast, and the
 * resolved graph is printed.
 *
 * The same from a shell, at the repository root:
 *
 * ```sh
 * deno task gpac -- -i avgen:dur=2 filters/overlay_box.ts:color=red:border=6 \
 *   filters/inspect_hash.ts c=avc filters/restamp.ts:speed=2 -o /tmp/boxed.mp4 -graph
 * ```
 *
 * Run it with:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/cli_bundled.ts
 * ```
 *
 * @module
 */

import { runCli } from "../mod.ts";

const filters = new URL("../filters/", import.meta.url).pathname;
const out = `${await Deno.makeTempDir({ prefix: "deno-gpac-cli-" })}/boxed.mp4`;
const code = await runCli([
  "-i",
  "avgen:dur=2",
  `${filters}overlay_box.ts:x=40:y=40:width=200:height=120:color=red:border=6`,
  `${filters}inspect_hash.ts`,
  "c=avc",
  `${filters}restamp.ts:speed=2`,
  "-o",
  out,
  "-graph",
]);
console.log(`exit code ${code}, output ${out} (${Deno.statSync(out).size} bytes)`);
Deno.exit(code);
