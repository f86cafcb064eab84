/**
 * A session that does not freeze the event loop: `runAsync()` + Ctrl-C.
 *
 * Encodes `avgen` to MP4 with `runAsync()`. While GPAC works, the event loop stays alive:
 * a timer prints progress (media time written, packets) every 250 ms, and with `--port` a
 * `Deno.serve` endpoint answers `GET /status` with the same numbers as JSON. The first Ctrl-C
 * aborts the session with flush, so the MP4 is finalized and playable; a second Ctrl-C quits
 * at once.
 *
 * ```sh
 * deno run --allow-ffi --allow-env --allow-read --allow-write examples/async_session.ts
 * deno run --allow-ffi --allow-env --allow-read --allow-write --allow-net \
 *   examples/async_session.ts --dur 600 --port 8000 --output /tmp/long.mp4
 * # then: curl http://127.0.0.1:8000/status, and Ctrl-C to stop early
 * ```
 *
 * Options: `--dur` seconds to generate (default 3), `--output` (default: a temporary file),
 * `--port` to serve `/status`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { FilterSession, interruptSignal } from "../mod.ts";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    dur: { type: "string", default: "3" },
    output: { type: "string" },
    port: { type: "string" },
  },
});
const output = opts.output ?? `${Deno.makeTempDirSync({ prefix: "async-session-" })}/out.mp4`;

using fs = new FilterSession({ nonBlocking: true });
fs.loadSrc(`avgen:dur=${opts.dur}`);
const enc = fs.load("ffenc:c=avc");
const mux = fs.loadDst(output);

/** What the progress line and the status endpoint report, from the encoder's statistics. */
function status() {
  const s = enc.alive ? enc.getStatistics() : null;
  return {
    videoFramesEncoded: Number(s?.nbPckSent ?? 0),
    bytesEncoded: Number(s?.nbBytesSent ?? 0),
    muxer: mux.alive ? mux.status : "done",
  };
}

const server = opts.port
  ? Deno.serve(
    { port: Number(opts.port), hostname: "127.0.0.1" },
    (req) =>
      new URL(req.url).pathname === "/status"
        ? Response.json(status())
        : new Response(null, { status: 404 }),
  )
  : null;

const t0 = performance.now();
const progress = setInterval(() => {
  const st = status();
  console.log(
    `${((performance.now() - t0) / 1000).toFixed(2)} s: ${st.videoFramesEncoded} frames encoded, ` +
      `${st.bytesEncoded} bytes, muxer: ${st.muxer || "-"}`,
  );
}, 250);

using ctrlC = interruptSignal(() => console.error("\ninterrupted: finalizing the output…"));
try {
  await fs.runAsync({ signal: ctrlC.signal });
  console.log(`done: ${output}`);
} catch (e) {
  if (!ctrlC.signal.aborted) throw e;
  console.log(`stopped early, finalized: ${output}`);
} finally {
  clearInterval(progress);
  await server?.shutdown();
}
console.log(
  `${status().videoFramesEncoded} video frames in ${
    ((performance.now() - t0) / 1000).toFixed(2)
  } s`,
);
