/**
 * Helpers for tests that run code in a child `deno` process with a time bound, and serve the
 * repository over HTTP the way JSR serves the package.
 *
 * @module
 */

/** What a bounded child process produced. */
export interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
  /** True when the child was killed for running past its time bound. */
  timedOut: boolean;
}

/** Runs `deno ...args`, killing it (and failing through `timedOut`) after `timeoutMs`. */
export async function runDenoBounded(
  args: string[],
  opts: { timeoutMs: number; cwd?: string; env?: Record<string, string> },
): Promise<ChildResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: opts.cwd,
    env: { NO_COLOR: "1", ...opts.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
  }, opts.timeoutMs);
  try {
    const r = await child.output();
    const dec = new TextDecoder();
    return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr), timedOut };
  } finally {
    clearTimeout(timer);
  }
}

/** The repository's root folder. */
export const REPO_ROOT: string = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/**
 * Serves the repository's files over HTTP on a free port of 127.0.0.1 (TypeScript with the
 * media type JSR uses). Close it with `await server.shutdown()`.
 */
export function serveRepo(): { server: Deno.HttpServer<Deno.NetAddr>; base: string } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    if (path.includes("..")) return new Response("bad path", { status: 400 });
    try {
      const body = await Deno.readFile(REPO_ROOT + path);
      const type = path.endsWith(".ts")
        ? "application/typescript"
        : path.endsWith(".json")
        ? "application/json"
        : "application/octet-stream";
      return new Response(body, { headers: { "content-type": type } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  return { server, base: `http://127.0.0.1:${server.addr.port}` };
}
