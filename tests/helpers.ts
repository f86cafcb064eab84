/**
 * Shared test helpers: temporary folders and media generated on the fly with GPAC's `avgen`.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  FilterSession,
  GF_NOT_SUPPORTED,
  GpacError,
  type GpacFeature,
  gpacSupports,
  requireFeature,
  version,
} from "../mod.ts";

/**
 * First line of a test of `feature`, which some GPAC releases lack: where the loaded GPAC has
 * it, returns false and the test goes on; otherwise asserts that the feature is refused with a
 * `GF_NOT_SUPPORTED` GpacError naming it, the release it needs and the loaded one, and returns
 * true (the test ends there, having checked the refusal).
 */
export function refused(feature: GpacFeature): boolean {
  if (gpacSupports(feature)) return false;
  assert.throws(() => requireFeature(feature), (e: unknown) => {
    assert.ok(e instanceof GpacError, String(e));
    assert.equal(e.code, GF_NOT_SUPPORTED);
    assert.match(e.message, /needs GPAC >= \d/);
    assert.ok(e.message.includes(version()), e.message);
    return true;
  });
  return true;
}

let root: string | undefined;

/** A fresh temporary folder for this test process (removed at exit). */
export function tmpDir(): string {
  if (!root) {
    root = Deno.makeTempDirSync({ prefix: "deno-gpac-test-" });
    globalThis.addEventListener("unload", () => {
      try {
        Deno.removeSync(root!, { recursive: true });
      } catch { /* already gone */ }
    });
  }
  return root;
}

/** A path inside the test folder. */
export function tmpPath(name: string): string {
  return `${tmpDir()}/${name}`;
}

const made = new Map<string, string>();

/**
 * Generates (once per process) a media file from `avgen` with the given duration and
 * encoders, e.g. `makeMedia("clip.mp4", 2, ["ffenc:c=avc"])`.
 */
export function makeMedia(name: string, dur = 2, chain: string[] = ["ffenc:c=avc"]): string {
  const key = `${name}|${dur}|${chain.join(",")}`;
  const done = made.get(key);
  if (done) return done;
  const out = tmpPath(name);
  using fs = new FilterSession();
  fs.loadSrc(`avgen:dur=${dur}`);
  for (const f of chain) fs.load(f);
  fs.loadDst(out);
  fs.run();
  made.set(key, out);
  return out;
}

/** Opens the MP4 at `path` and returns the number of frames of each track, by stream type. */
export function frames(path: string): Map<string, number> {
  using fs = new FilterSession();
  fs.loadSrc(path);
  fs.load("inspect:deep=0:log=null");
  fs.run();
  const dmx = fs.filters.find((f) => f.name === "mp4dmx");
  if (!dmx) throw new Error(`no MP4 demuxer for ${path}: ${fs.filters.map(String)}`);
  const out = new Map<string, number>();
  for (let i = 0; i < dmx.nbOpid; i++) {
    out.set(String(dmx.opidProp(i, "StreamType")), dmx.opidProp(i, "NumFrames") as number);
  }
  return out;
}

/**
 * Runs `deno` with `args` and returns its exit code and outputs. The child is killed after
 * `timeoutMs` (default 180 s, or env `DENO_GPAC_TEST_TIMEOUT_MS`): a hang then fails the test
 * (code 124 and a note on stderr) instead of blocking the suite.
 */
export async function runDeno(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = Number(Deno.env.get("DENO_GPAC_TEST_TIMEOUT_MS")) || 300_000,
): Promise<{ code: number; stdout: string; stderr: string; timedOut: boolean }> {
  const signal = AbortSignal.timeout(timeoutMs);
  const cmd = new Deno.Command(Deno.execPath(), {
    args,
    env,
    stdout: "piped",
    stderr: "piped",
    signal,
  });
  const r = await cmd.output();
  const dec = new TextDecoder();
  const timedOut = signal.aborted;
  return {
    code: timedOut ? 124 : r.code,
    stdout: dec.decode(r.stdout),
    stderr: dec.decode(r.stderr) +
      (timedOut ? `\n[killed: still running after ${timeoutMs} ms]` : ""),
    timedOut,
  };
}

/** GPAC's httpout run by this project's CLI in a child process, its log collected. */
export interface HttpoutProcess {
  /** Everything the server printed so far. */
  log(): string;
  /** Waits until the log matches `re`; throws with the log after `ms`. */
  until(what: string, re: RegExp, ms: number): Promise<void>;
  /** Kills the server and stops reading its pipes. */
  stop(): Promise<void>;
}

/**
 * Starts `httpout:<options>` (e.g. `port=P:wdir=D:reqlog=*`) through `cli.ts` in a child process,
 * killed after `timeoutMs`, and waits until it listens.
 */
export async function startHttpout(options: string, timeoutMs: number): Promise<HttpoutProcess> {
  const server = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../cli.ts", import.meta.url).pathname, `httpout:${options}`],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).spawn();
  let log = "";
  const dec = new TextDecoder();
  const readers = [server.stdout.getReader(), server.stderr.getReader()];
  const collect = async (r: ReadableStreamDefaultReader<Uint8Array>) => {
    for (;;) {
      const { done, value } = await r.read();
      if (done) return;
      log += dec.decode(value);
    }
  };
  const done = Promise.all(readers.map(collect)).catch(() => {});
  const until = async (what: string, re: RegExp, ms: number) => {
    const end = Date.now() + ms;
    while (!re.test(log)) {
      if (Date.now() > end) {
        throw new Error(`${what}: not seen after ${ms} ms; server log:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    try {
      server.kill("SIGKILL"); // GPAC 2.4's CLI does not stop on SIGTERM
    } catch { /* exited */ }
    await server.status;
    // with GPAC 2.4 the pipes sometimes stay open after the server exited: stop reading them
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([done, new Promise((r) => timer = setTimeout(r, 2000))]);
    clearTimeout(timer);
    await Promise.all(readers.map((r) => r.cancel().catch(() => {})));
  };
  try {
    await until("the server", /Server running on port/, Math.min(30_000, timeoutMs));
  } catch (e) {
    await stop();
    throw e;
  }
  return { log: () => log, until, stop };
}
