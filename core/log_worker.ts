/**
 * Worker side of {@link setLogCallback}: owns the native log callback.
 *
 * libgpac logs from every thread, including its worker threads while the JS thread is blocked
 * inside `gf_fs_run`. A callback owned by the JS thread would deadlock there, so the callback
 * lives in a worker: it formats each message (libc `vsnprintf` on GPAC's `va_list`) and
 * appends it to a shared ring buffer that the JS thread drains. It never calls into libgpac.
 *
 * The worker runs from a `data:` URL built by {@link logWorkerUrl}, not from a file next to
 * this module: `node:worker_threads` (the only worker Deno lets the process exit with, through
 * `unref()`) accepts `file:` and `data:` URLs only, and this package may be imported from
 * `https:` (JSR). The source is self-contained: the ring writer is inlined from its
 * (transpiled) function text, so the worker imports nothing but `node:worker_threads`.
 *
 * @module
 */

import { RING_CAPACITY, RING_HEADER, RING_WRAP, ringWrite } from "./log_ring.ts";

type RingWrite = typeof ringWrite;

/** Runs inside the worker; receives what it uses as arguments (no imports there). */
function workerMain(
  parentPort: { postMessage(m: unknown): void },
  workerData: { sab: SharedArrayBuffer },
  write: RingWrite,
): void {
  const { sab } = workerData;
  const LIBC: Record<string, string> = {
    linux: "libc.so.6",
    darwin: "libSystem.B.dylib",
    windows: "ucrtbase.dll",
  };
  const libc = Deno.dlopen(
    LIBC[Deno.build.os] ?? LIBC.linux,
    {
      vsnprintf: { parameters: ["buffer", "usize", "pointer", "pointer"], result: "i32" },
    } as const,
  );
  const scratch = new Uint8Array(16384);
  const scratchSize = BigInt(scratch.length);
  const cb = Deno.UnsafeCallback.threadSafe(
    { parameters: ["pointer", "u32", "u32", "pointer", "pointer"], result: "void" } as const,
    (_udta, level, tool, fmt, va) => {
      if (!fmt) return;
      let n = libc.symbols.vsnprintf(scratch, scratchSize, fmt, va);
      if (n < 0) return;
      if (n >= scratch.length) n = scratch.length - 1;
      write(sab, level, tool, scratch.subarray(0, n));
    },
  );
  // The callback stays referenced (the worker itself is unref'd by the main thread), so its
  // pointer remains valid for as long as the process lives: libgpac may still hold it.
  parentPort.postMessage({ pointer: Deno.UnsafePointer.value(cb.pointer) });
}

let url: URL | undefined;

/** The `data:` URL of the log worker's module (built once). */
export function logWorkerUrl(): URL {
  if (!url) {
    const source = [
      `import { parentPort, workerData } from "node:worker_threads";`,
      `const RING_CAPACITY = ${RING_CAPACITY};`,
      `const HEADER = ${RING_HEADER};`,
      `const WRAP = ${RING_WRAP};`,
      `const ringWrite = ${ringWrite.toString()};`,
      `(${workerMain.toString()})(parentPort, workerData, ringWrite);`,
    ].join("\n");
    url = new URL(`data:text/javascript;charset=utf-8,${encodeURIComponent(source)}`);
  }
  return url;
}
