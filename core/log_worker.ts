/**
 * Worker side of {@link setLogCallback}: owns the native log callback.
 *
 * libgpac logs from every thread, including its worker threads while the JS thread is blocked
 * inside `gf_fs_run`. A callback owned by the JS thread would deadlock there, so the callback
 * lives in this worker: it formats each message (libc `vsnprintf` on GPAC's `va_list`) and
 * appends it to a shared ring buffer that the JS thread drains. It never calls into libgpac.
 *
 * @module
 */

import { parentPort, workerData } from "node:worker_threads";
import { RING_CAPACITY, ringWrite } from "./log_ring.ts";

const { sab } = workerData as { sab: SharedArrayBuffer };

const LIBC: Record<string, [string, string]> = {
  linux: ["libc.so.6", "vsnprintf"],
  darwin: ["libSystem.B.dylib", "vsnprintf"],
  windows: ["ucrtbase.dll", "vsnprintf"],
};
const [libcName, fn] = LIBC[Deno.build.os] ?? LIBC.linux;
const libc = Deno.dlopen(libcName, {
  [fn]: { parameters: ["buffer", "usize", "pointer", "pointer"], result: "i32" },
} as { vsnprintf: { parameters: ["buffer", "usize", "pointer", "pointer"]; result: "i32" } });

const scratch = new Uint8Array(16384);
const scratchSize = BigInt(scratch.length);

const cb = Deno.UnsafeCallback.threadSafe(
  { parameters: ["pointer", "u32", "u32", "pointer", "pointer"], result: "void" } as const,
  (_udta, level, tool, fmt, va) => {
    if (!fmt) return;
    let n = libc.symbols.vsnprintf(scratch, scratchSize, fmt, va);
    if (n < 0) return;
    if (n >= scratch.length) n = scratch.length - 1;
    ringWrite(sab, level, tool, scratch.subarray(0, n));
  },
);
// The callback stays referenced (the worker itself is unref'd by the main thread), so its
// pointer remains valid for as long as the process lives: libgpac may still hold it.
parentPort!.postMessage({ pointer: Deno.UnsafePointer.value(cb.pointer), capacity: RING_CAPACITY });
