/**
 * User tasks run by a session's scheduler on the JS thread (libgpac's `gf_fs_post_user_task`).
 *
 * @module
 */

import { gpacSymbols } from "../ffi/library.ts";
import { cstr } from "../ffi/buffers.ts";
import { UdtaTable } from "../ffi/udta.ts";
import { GF_BAD_PARAM } from "../ffi/constants.ts";
import { GpacError } from "./errors.ts";
import type { ErrorSink } from "./guard.ts";
import { describe } from "./checks.ts";

/** What the scheduler needs of a task (`FilterTask` of the session module). */
export interface PostedTask {
  /** Name used in GPAC logs. */
  readonly name: string;
  /** The session it is posted to, or null. */
  session: object | null;
  /** Returns the delay until the next call (ms), nothing, or a negative number to stop. */
  execute(): number | void;
}

interface TaskEntry {
  task: PostedTask;
  owner: object;
  sink: ErrorSink;
}
const tasks = new UdtaTable<TaskEntry>();

let taskCallback:
  | Deno.UnsafeCallback<{
    readonly parameters: readonly ["pointer", "pointer", "pointer"];
    readonly result: "u32";
  }>
  | undefined;

const MAX_DELAY = 0xffffffff;

/** The delay a task asked for, in ms; -1 to remove it. Throws on a value GPAC cannot take. */
function delayOf(task: PostedTask, ret: unknown): number {
  if (ret === undefined || ret === null) return 0;
  if (typeof ret !== "number") {
    throw new TypeError(
      `task "${task.name}" returned ${describe(ret)}: expected a number of ms, nothing, or a ` +
        `negative number to stop`,
    );
  }
  if (ret < 0) return -1;
  if (!Number.isFinite(ret) || ret > MAX_DELAY) {
    throw new RangeError(
      `task "${task.name}" returned ${ret}: expected a delay in ms from 0 to ${MAX_DELAY}, or ` +
        `a negative number to stop`,
    );
  }
  return Math.floor(ret);
}

function taskTrampoline(
  _fs: Deno.PointerValue,
  udta: Deno.PointerValue,
  reschedule: Deno.PointerValue,
): number {
  const entry = tasks.get(udta);
  if (!entry) return 0;
  let ms: number;
  try {
    ms = delayOf(entry.task, entry.task.execute());
  } catch (e) {
    ms = -1;
    entry.sink.fail(e);
  }
  if (ms < 0) {
    tasks.delete(udta);
    entry.task.session = null;
    return 0;
  }
  if (reschedule) new Uint32Array(Deno.UnsafePointerView.getArrayBuffer(reschedule, 4))[0] = ms;
  return 1;
}

function callback() {
  taskCallback ??= new Deno.UnsafeCallback(
    { parameters: ["pointer", "pointer", "pointer"], result: "u32" } as const,
    taskTrampoline,
  );
  return taskCallback;
}

/**
 * Posts `task` to the session `owner` whose handle is `ptr`; exceptions of the task go to
 * `sink`. The caller validated `task`.
 */
export function postTask(
  owner: object,
  sink: ErrorSink,
  ptr: NonNullable<Deno.PointerValue>,
  task: PostedTask,
): void {
  if (task.session) throw new GpacError(GF_BAD_PARAM, `task "${task.name}" is already posted`);
  const { id, udta } = tasks.add({ task, owner, sink });
  const e = gpacSymbols().gf_fs_post_user_task(ptr, callback().pointer, udta, cstr(task.name));
  if (e < 0) {
    tasks.delete(id);
    throw new GpacError(e, `failed to post task "${task.name}"`);
  }
  task.session = owner;
}

/** Forgets every task of a closed session. */
export function forgetTasks(owner: object): void {
  tasks.deleteWhere((e) => {
    if (e.owner !== owner) return false;
    e.task.session = null;
    return true;
  });
}
