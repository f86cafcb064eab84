/**
 * Internal plumbing shared between deno-gpac modules. Not exported by `mod.ts`.
 *
 * @module
 */

/** Symbol key of the internal hooks of sessions and filters. */
export const SESSION: unique symbol = Symbol("deno-gpac.internal");

/**
 * Hooks a session exposes to the other modules. `F` is the filter wrapper class (`Filter` of
 * `filter.ts`, which builds on this module and so is not named here).
 */
export interface SessionInternals<F extends object = object> {
  /** The live `GF_FilterSession*`; throws if the session is closed. */
  ptr(): NonNullable<Deno.PointerValue>;
  /** Records an exception raised in a callback and stops the session. */
  fail(e: unknown): void;
  /** Filter creation / destruction notification from libgpac. */
  filterEvent(f: NonNullable<Deno.PointerValue>, destroy: boolean): void;
  /** Returns the unique wrapper of a native filter. */
  wrap(f: NonNullable<Deno.PointerValue>): F;
  /** Registers a wrapper created by a subclass (custom filters). */
  register(f: F): void;
  /** True once the session was closed. */
  isClosed(): boolean;
  /** Worker threads requested at creation (0: every filter runs on the JS thread). */
  readonly threads: number;
  /**
   * Hands over native callbacks to close once libgpac can no longer call them (after the
   * session is deleted): a filter's destruction notice comes before libgpac is done with it.
   */
  deferClose(callbacks: { close(): void }[]): void;
}

const activeSessions: SessionInternals[] = [];

/**
 * `gfio://` URLs of the native FileIO objects alive in this process (kept by fileio/fileio.ts):
 * libgpac before 26.02 dereferences the address written in such a URL without checking it, so
 * a URL whose object was freed must never reach it.
 */
export const liveGfioUrls: Set<string> = new Set();

/**
 * Marks `session` as the one whose native call (`gf_fs_run`, `gf_fs_load_*`, `gf_fs_del`) is in
 * progress, so that callbacks which libgpac does not tie to a session (FileIO) can report
 * their exceptions to it. Always paired with {@link leaveSession} in a `finally`.
 */
export function enterSession(session: SessionInternals): void {
  activeSessions.push(session);
}

/** Ends the innermost {@link enterSession}. */
export function leaveSession(): void {
  activeSessions.pop();
}

/** The session whose native call is running on this thread (innermost), if any. */
export function activeSession(): SessionInternals | undefined {
  return activeSessions[activeSessions.length - 1];
}

/** Hooks a filter exposes to its session. */
export interface FilterInternals {
  /** Marks the wrapper dead: GPAC destroyed the filter. */
  invalidate(): void;
}
