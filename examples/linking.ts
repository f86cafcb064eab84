/**
 * Linking filters by hand: split one source into two files with link arguments.
 *
 * By default GPAC connects every output PID to every filter that accepts it. Once a filter is
 * given an explicit source with `dst.setSource(src, linkArgs)`, it only takes PIDs from that
 * source, and only those matching the link arguments (`#PID=1`, `#StreamType=Visual`, ...),
 * which is how one source is routed to different destinations.
 *
 * Here `avgen`'s video goes `→ ffenc:c=avc → video.mp4` and its audio `→ audio.wav`:
 *
 * ```
 * avgen ──#StreamType=Visual──> ffenc:c=avc ──> video.mp4
 *   └─────#PID=1─────────────────────────────> audio.wav
 * ```
 *
 * The video link selects by stream type, the audio link by PID ID (`avgen`'s audio PID has ID
 * 1, like the first track of most files). Link arguments are checked against the PIDs that
 * finally reach the filter, so they also work when GPAC has to insert a demuxer, decoder or
 * muxer on the way. After the run, the script prints which PIDs each destination and the
 * filters before it received (`ipidProp(i, "StreamType")`, ...).
 *
 * Run it with:
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/linking.ts
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/linking.ts \
 *   --dur 3 --output /tmp/split
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/linking.ts \
 *   --input movie.mp4
 * ```
 *
 * `--input` replaces `avgen` (its video is re-encoded, its audio decoded to WAV), `--output` is
 * the folder receiving `video.mp4` and `audio.wav` (default: a new temporary folder), `--dur`
 * the generated length (default 2 s), `--audio-pid` the ID of the audio PID (default 1).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type Filter, FilterSession } from "../mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    input: { type: "string" },
    output: { type: "string" },
    dur: { type: "string", default: "2" },
    "audio-pid": { type: "string", default: "1" },
  },
});

const dur = Number(opts.dur);
if (!(dur > 0)) throw new Error(`--dur must be a positive number of seconds, got "${opts.dur}"`);
const dir = opts.output ?? await Deno.makeTempDir({ prefix: "deno-gpac-linking-" });
await Deno.mkdir(dir, { recursive: true });
const audioPid = Number(opts["audio-pid"]);
const videoOut = `${dir}/video.mp4`;
const audioOut = `${dir}/audio.wav`;

using fs = new FilterSession();
const src = fs.loadSrc(opts.input ?? `avgen:dur=${dur}`);

// Video: by stream type, through an encoder loaded (and linked) explicitly.
const enc = fs.load("ffenc:c=avc");
enc.setSource(src, "#StreamType=Visual");
const vdst = fs.loadDst(videoOut);
vdst.setSource(enc);

// Audio: by PID ID, straight from the source (through whatever GPAC needs to insert).
const adst = fs.loadDst(audioOut);
adst.setSource(src, `#PID=${audioPid}`);

// If a link matched no PID (say `--audio-pid 7`), run() throws GF_FILTER_NOT_FOUND.
fs.run();

console.log(`${src.name} has ${src.nbOpid} output PID(s):`);
for (let i = 0; i < src.nbOpid; i++) {
  const sinks = src.opidSinks(i).map((f) => f.name).join(", ");
  console.log(
    `  "${src.opidName(i)}" ID=${src.opidProp(i, "ID")} ` +
      `StreamType=${src.opidProp(i, "StreamType")} -> ${sinks}`,
  );
}

/** One input PID of `f`, described from its properties. */
function describeIpid(f: Filter, i: number): string {
  const codec = f.ipidProp(i, "CodecID");
  const type = `${f.ipidProp(i, "StreamType")}${codec ? `/${codec}` : ""}`;
  return `"${f.ipidName(i)}" ID=${f.ipidProp(i, "ID")} ${type} from ${f.ipidSource(i)?.name}`;
}

// setSource() gives filters without an ID a generated one (`avgen#_0x..._`): print names
// (`f.name`) rather than `String(f)`.
for (const [dst, path] of [[vdst, videoOut], [adst, audioOut]] as const) {
  const size = (Deno.statSync(path).size / 1024).toFixed(0);
  console.log(`
${path} (${size} KiB)`);
  // Walk up from the file writer to the source, through the filters GPAC inserted.
  const chain: Filter[] = [dst];
  for (let f: Filter | null = dst; f && f.nbIpid > 0;) {
    f = f.ipidSource(0);
    if (f) chain.unshift(f);
  }
  console.log(`  chain: ${chain.map((f) => f.name).join(" → ")}`);
  // Each filter after the source, with the PIDs it received: the file writer gets the muxed
  // stream, the muxer before it the media streams that ended up in the file.
  const width = Math.max(...chain.map((f) => f.name.length));
  for (const f of chain.slice(1)) {
    for (let i = 0; i < f.nbIpid; i++) {
      console.log(`  ${f.name.padEnd(width)} <- ${describeIpid(f, i)}`);
    }
  }
}
