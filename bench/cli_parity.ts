/**
 * `deno task gpac` against the `gpac` program on the same job: a 720p avgen → H.264 → MP4
 * encode (10 s of media by default) and a start-up job (one frame), in alternating pairs so
 * both see the same machine load. Prints the medians and the ratios measured in this run.
 *
 * ```sh
 * deno run -A bench/cli_parity.ts [--pairs 5] [--dur 10] [--size 1280x720]
 * ```
 *
 * `gpac` is looked up next to the loaded libgpac (`lib/../bin/gpac`) or in `GPAC_BIN`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { libraryPath } from "../mod.ts";

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args, // `deno task bench:cli -- ...`
  options: {
    pairs: { type: "string", default: "5" },
    dur: { type: "string", default: "10" },
    size: { type: "string", default: "1280x720" },
  },
});
const pairs = Math.max(1, Number(values.pairs) | 0);
const lib = libraryPath().replace(/\/[^/]*$/, "");
const gpac = Deno.env.get("GPAC_BIN") ?? `${lib}/../bin/gpac`;
const cli = new URL("../cli.ts", import.meta.url).pathname;
const tmp = await Deno.makeTempDir({ prefix: "deno-gpac-bench-cli-" });

async function wall(cmd: string, args: string[]): Promise<number> {
  const t0 = performance.now();
  const child = new Deno.Command(cmd, {
    args,
    stdout: "null",
    stderr: "null",
    env: { LD_LIBRARY_PATH: lib, DYLD_LIBRARY_PATH: lib },
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
  const { code } = await child.status;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (rc ${code})`);
  return (performance.now() - t0) / 1000;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function compare(label: string, job: string[]): Promise<void> {
  const g: number[] = [];
  const d: number[] = [];
  const deno = [
    "run",
    "--allow-ffi",
    "--allow-env",
    "--allow-read",
    "--allow-write",
    cli,
    ...job,
    "-o",
    `${tmp}/deno.mp4`,
  ];
  const ref = [...job, "-o", `${tmp}/gpac.mp4`];
  await wall(Deno.execPath(), deno); // warm the module cache
  for (let i = 0; i < pairs; i++) {
    if (i % 2) {
      d.push(await wall(Deno.execPath(), deno));
      g.push(await wall(gpac, ref));
    } else {
      g.push(await wall(gpac, ref));
      d.push(await wall(Deno.execPath(), deno));
    }
  }
  const mg = median(g);
  const md = median(d);
  console.log(
    `${label}: gpac ${mg.toFixed(3)} s, deno-gpac ${md.toFixed(3)} s (medians of ${pairs}) ` +
      `-> ${(md / mg).toFixed(3)}x`,
  );
}

try {
  await compare("start-up (1 frame)", ["-i", "avgen:dur=0.04"]);
  await compare(`${values.dur} s ${values.size} avgen -> H.264 -> MP4`, [
    "-i",
    `avgen:dur=${values.dur}:sizes=${values.size}`,
    "c=avc",
  ]);
} finally {
  await Deno.remove(tmp, { recursive: true });
}
