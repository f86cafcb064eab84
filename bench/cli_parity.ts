/**
 * `deno task gpac` against the `gpac` program on the same job: a 720p avgen → H.264 → MP4
 * encode (10 s of media by default) and a start-up job (one frame), in alternating pairs so
 * both see the same machine load. Prints, for wall time and for CPU time (user + system, with
 * GNU `time`), the medians and the median of the per-pair ratios measured in this run, with the
 * start-up floors a Deno process pays before any deno-gpac code runs (Deno itself, and loading
 * libgpac into it), and with the machine's load before and after.
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

/** `/usr/bin/time` (GNU) when present: the child's CPU time is measured along its wall time. */
const TIME = (() => {
  try {
    return Deno.statSync("/usr/bin/time").isFile ? "/usr/bin/time" : null;
  } catch {
    return null;
  }
})();

function loadAverage(): string {
  try {
    return Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  } catch {
    return "n/a (run with --allow-sys=loadavg)";
  }
}

/** Runs `cmd`; returns its wall time and (with GNU time) its user+system CPU time, in s. */
async function measure(cmd: string, args: string[]): Promise<{ wall: number; cpu: number }> {
  const t0 = performance.now();
  const child = new Deno.Command(TIME ?? cmd, {
    args: TIME ? ["-f", "@cpu %U %S", cmd, ...args] : args,
    stdout: "null",
    stderr: "piped",
    env: { LD_LIBRARY_PATH: lib, DYLD_LIBRARY_PATH: lib },
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
  const { code, stderr } = await child.output();
  clearTimeout(timer);
  const wall = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (rc ${code})`);
  const m = /@cpu ([\d.]+) ([\d.]+)\s*$/.exec(new TextDecoder().decode(stderr));
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : NaN };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function compare(label: string, job: string[]): Promise<void> {
  const g: { wall: number; cpu: number }[] = [];
  const d: { wall: number; cpu: number }[] = [];
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
  await measure(Deno.execPath(), deno); // warm the module cache
  await measure(gpac, ref);
  for (let i = 0; i < pairs; i++) {
    // alternating order: each pair's two runs see about the same load
    if (i % 2) {
      d.push(await measure(Deno.execPath(), deno));
      g.push(await measure(gpac, ref));
    } else {
      g.push(await measure(gpac, ref));
      d.push(await measure(Deno.execPath(), deno));
    }
  }
  const ratio = (key: "wall" | "cpu") => median(d.map((x, i) => x[key] / g[i][key]));
  const f = (key: "wall" | "cpu", v: typeof g) => median(v.map((x) => x[key])).toFixed(3);
  console.log(
    `${label}: gpac ${f("wall", g)} s, deno-gpac ${f("wall", d)} s wall -> ${
      ratio("wall").toFixed(3)
    }x; CPU gpac ${f("cpu", g)} s, deno-gpac ${f("cpu", d)} s -> ${
      ratio("cpu").toFixed(3)
    }x (medians of ${pairs} pairs and of their ratios)`,
  );
}

/**
 * What a Deno process pays before any deno-gpac code runs: Deno's own start-up, and loading
 * libgpac (with FFmpeg and its other dependencies) into it. The dynamic loader resolves each of
 * their symbol relocations through the `deno` executable's large symbol table first, which makes
 * the same `dlopen` several times slower than in `gpac`.
 */
async function floors(): Promise<void> {
  const dlopen = `Deno.dlopen(${JSON.stringify(libraryPath())}, ` +
    `{ gf_gpac_abi_major: { parameters: [], result: "u32" } })`;
  const bare: number[] = [];
  const loaded: number[] = [];
  await measure(Deno.execPath(), ["eval", dlopen]);
  for (let i = 0; i < pairs; i++) {
    bare.push((await measure(Deno.execPath(), ["eval", "0"])).wall);
    loaded.push((await measure(Deno.execPath(), ["eval", dlopen])).wall);
  }
  console.log(
    `start-up floors: an empty Deno process ${median(bare).toFixed(3)} s; the same loading ` +
      `libgpac ${median(loaded).toFixed(3)} s (medians of ${pairs})`,
  );
}

console.log(`${navigator.hardwareConcurrency} cores, load ${loadAverage()}`);
try {
  await compare("start-up (1 frame)", ["-i", "avgen:dur=0.04"]);
  await floors();
  await compare(`${values.dur} s ${values.size} avgen -> H.264 -> MP4`, [
    "-i",
    `avgen:dur=${values.dur}:sizes=${values.size}`,
    "c=avc",
  ]);
} finally {
  await Deno.remove(tmp, { recursive: true });
}
console.log(`load after: ${loadAverage()}`);
