/**
 * The package imported the way JSR users get it: from an `http(s):` URL, not from files.
 * The repository is served on 127.0.0.1 and a child `deno` imports the public API from there
 * (no config, an empty module cache), then runs sessions, logs, a custom filter, the raw
 * subpath, a bundled plugin and the CLI.
 */
import assert from "node:assert/strict";
import { runDenoBounded, serveRepo } from "./child_helpers.ts";

const CHILD = (base: string, out: string) => `
import * as gpac from "${base}/mod.ts";
import { GF_LOG_FILTER } from "${base}/raw.ts";
import { runCli } from "${base}/cli.ts";
const results = {};

results.version = gpac.version();
results.rawTool = GF_LOG_FILTER;

// logs through the worker (the part that broke when served over https)
const logs = [];
await gpac.setLogCallback((e) => logs.push(e));
gpac.setLogs("filter@info");

// a session with a sink written in TypeScript
class Count extends gpac.FilterCustom {
  packets = 0;
  constructor(fs) {
    super(fs, "remote_count");
    this.pushCap("StreamType", "Visual", gpac.GF_CAPS_INPUT);
  }
  configurePid(pid, isRemove) {
    if (!isRemove) pid.sendEvent(new gpac.FilterEvent(gpac.GF_FEVT_PLAY));
    return gpac.GF_OK;
  }
  process() {
    if (this.ipids.length === 0) return gpac.GF_EOS;
    for (const pid of this.ipids) {
      while (pid.getPacket()) {
        this.packets++;
        pid.dropPacket();
      }
    }
    return gpac.GF_OK;
  }
}
{
  using fs = new gpac.FilterSession();
  fs.loadSrc("avgen:dur=0.4:v=1:a=0");
  const sink = new Count(fs);
  fs.run();
  results.packets = sink.packets;
}
{
  using fs = new gpac.FilterSession({ flags: gpac.GF_FS_FLAG_NON_BLOCKING });
  fs.loadSrc("avgen:dur=0.2");
  fs.loadDst("${out}");
  await fs.runAsync();
}
gpac.flushLogs();
results.logLines = logs.length;
results.logSample = logs.slice(0, 3);
await gpac.setLogCallback(null);

// the CLI with a bundled plugin given by URL
let cliOut = "";
const io = { out: (t) => cliOut += t, err: (t) => cliOut += t, isTerminal: false };
results.cliCode = await runCli(
  ["-i", "avgen:dur=0.2", "${base}/filters/inspect_hash.ts:sink:out=${out}.txt"],
  io,
);
results.cliOut = cliOut;
console.log(JSON.stringify(results));
`;

Deno.test("jsr import: the public API works when imported from an HTTP server", async () => {
  const { server, base } = serveRepo();
  const dir = await Deno.makeTempDir({ prefix: "deno-gpac-jsr-" });
  try {
    const out = `${dir}/out.mp4`;
    await Deno.writeTextFile(`${dir}/child.js`, CHILD(base, out));
    const host = base.replace("http://", "");
    const r = await runDenoBounded([
      "run",
      "--no-config",
      "--no-lock",
      `--allow-import=${host}`,
      "--allow-ffi",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      `${dir}/child.js`,
    ], { timeoutMs: 120_000, cwd: dir, env: { DENO_DIR: `${dir}/deno_dir` } });
    assert.ok(!r.timedOut, `child timed out; stderr:\n${r.stderr}`);
    assert.equal(r.code, 0, `child failed (rc ${r.code}):\n${r.stderr}\n${r.stdout}`);
    const line = r.stdout.trim().split("\n").at(-1)!;
    const res = JSON.parse(line);
    assert.match(res.version, /^\d+\.\d+/);
    assert.equal(typeof res.rawTool, "number");
    assert.ok(res.packets >= 9, `the TS sink counted ${res.packets} video frames of 0.4 s`);
    assert.ok(res.logLines > 0, "setLogCallback delivered GPAC's log lines");
    for (const e of res.logSample) assert.equal(typeof e.message, "string");
    assert.ok((await Deno.stat(out)).size > 1000, "runAsync wrote the MP4");
    assert.equal(res.cliCode, 0, res.cliOut);
    const hashes = await Deno.readTextFile(`${out}.txt`);
    assert.match(hashes, /Visual/, `the remote plugin wrote its summary: ${hashes}`);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
