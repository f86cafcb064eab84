/**
 * Writing a plugin for the runtime CLI: this file is both a plugin module (its default export
 * is a `FilterCustom` subclass with declared options) and, when run directly, a script that
 * runs the CLI with itself in the chain.
 *
 * As a plugin, from the repository root:
 *
 * ```sh
 * deno task gpac -- -h examples/cli_plugin.ts
 * deno task gpac -- -i avgen:dur=2 examples/cli_plugin.ts:every=10 c=avc -o /tmp/out.mp4
 * ```
 *
 * Run directly (encodes 2 s of avgen to an MP4 in a temporary folder, with statistics):
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/cli_plugin.ts
 * ```
 *
 * @module
 */

import {
  FilterCustom,
  type FilterPid,
  type FilterSession,
  GF_CAPS_INPUT_OUTPUT,
  type PluginOptionSpecs,
  type PluginOptionValues,
  runCli,
} from "../mod.ts";

// The options the CLI accepts after the path: `cli_plugin.ts:every=10:label=mean`. They are
// checked (type, range), converted and given to the constructor; `-h cli_plugin.ts` prints them.
const options = {
  every: { type: "integer", default: 25, min: 1, help: "print the mean luma every N frames" },
  label: { type: "string", default: "luma", help: "text printed before the value" },
} as const satisfies PluginOptionSpecs;

/** Prints the mean luma of raw video frames every N frames and forwards them unchanged. */
export default class LumaMeter extends FilterCustom {
  static readonly options = options;
  static readonly description = "Prints the mean luma of raw video every N frames.";
  readonly #opts: PluginOptionValues<typeof options>;
  #frames = 0;

  constructor(fs: FilterSession, opts: PluginOptionValues<typeof options>) {
    super(fs, "luma_meter");
    this.#opts = opts;
    this.pushCap("StreamType", "Visual", GF_CAPS_INPUT_OUTPUT);
    this.pushCap("CodecID", "raw", GF_CAPS_INPUT_OUTPUT);
  }

  override configurePid(pid: FilterPid, isRemove: boolean): number {
    if (isRemove) pid.opid?.remove();
    else this.mirrorPid(pid);
    return 0;
  }

  override process(): number {
    for (const pid of this.ipids) {
      for (let pck = pid.getPacket(); pck; pck = pid.getPacket()) {
        if (this.#frames++ % this.#opts.every === 0) {
          const w = pid.getProp("Width") as number;
          const h = pid.getProp("Height") as number;
          const stride = (pid.getProp("Stride") as number | null) || w;
          const data = pck.data; // empty for frames in decoder memory
          let sum = 0;
          for (let y = 0; y < h && data.length; y += 8) {
            for (let x = 0; x < w; x += 8) sum += data[y * stride + x];
          }
          const n = Math.ceil(h / 8) * Math.ceil(w / 8);
          console.log(`${this.#opts.label} frame ${this.#frames}: ${(sum / n).toFixed(1)}`);
        }
        pid.opid!.forward(pck);
        pid.dropPacket();
      }
      if (pid.eos) pid.opid!.eos = true;
    }
    return 0;
  }
}

if (import.meta.main) {
  const out = `${await Deno.makeTempDir({ prefix: "deno-gpac-cli-" })}/cli_plugin.mp4`;
  const self = new URL(import.meta.url).pathname;
  // the same as: deno task gpac -- -i avgen:dur=2 examples/cli_plugin.ts:every=10 c=avc -o OUT -stats
  const code = await runCli([
    "-i",
    "avgen:dur=2",
    `${self}:every=10`,
    "c=avc",
    "-o",
    out,
    "-stats",
  ]);
  console.log(`exit code ${code}, output ${out} (${Deno.statSync(out).size} bytes)`);
  Deno.exit(code);
}
