/**
 * Opaque `udta` values for libgpac callbacks: each registered value gets a small integer id,
 * handed to libgpac as the pointer value and looked up when the callback comes back. No JS
 * object address ever reaches native code, and a stale id finds nothing.
 *
 * @module
 */

import { addressOf } from "./buffers.ts";

/** Values keyed by the `udta` given to libgpac with them. */
export class UdtaTable<T> {
  #byId = new Map<number, T>();
  #next = 1;

  /** Registers `value`; returns its id and the `udta` pointer to give libgpac. */
  add(value: T): { id: number; udta: Deno.PointerValue } {
    const id = this.#next++;
    this.#byId.set(id, value);
    return { id, udta: Deno.UnsafePointer.create(BigInt(id)) };
  }

  /** The value registered under the `udta` libgpac passed back, if still registered. */
  get(udta: Deno.PointerValue): T | undefined {
    return this.#byId.get(Number(addressOf(udta)));
  }

  /** Forgets `id` (from {@link add}), or the value behind a `udta` pointer. */
  delete(key: number | Deno.PointerValue): void {
    this.#byId.delete(typeof key === "number" ? key : Number(addressOf(key)));
  }

  /** Forgets every value for which `drop` returns true. */
  deleteWhere(drop: (value: T) => boolean): void {
    for (const [id, v] of this.#byId) if (drop(v)) this.#byId.delete(id);
  }
}
