/**
 * Marker stores: where a live stream keeps its timeline markers so that `/markers` can serve
 * them. {@link MemoryMarkerStore} lives in the process; {@link RedisMarkerStore} keeps them in
 * Redis (a sorted set scored by media time, ids from `INCR`), so that an encoder and separate
 * API servers share them.
 *
 * @module
 */

import type { createClient } from "redis";

/** A timeline marker. */
export interface Marker {
  /** Unique id within the stream (1, 2, ...). */
  id: number;
  /** Text shown in the player. */
  text: string;
  /**
   * Position in the stream's media clock, in seconds: the presentation time of the frame the
   * marker is on (what a player's `currentTime` shows on that frame).
   */
  time: number;
  /** Application data (any JSON value). */
  data?: unknown;
}

/** Storage for markers, shared by the encoder and the servers of one stream. */
export interface MarkerStore {
  /** Stores a marker and gives it its id. */
  add(m: Omit<Marker, "id">): Promise<Marker>;
  /** Markers with `time > since`, by increasing time (at most `limit`). */
  since(since: number, limit?: number): Promise<Marker[]>;
  /** Removes every marker (a new stream starts). */
  clear(): Promise<void>;
  /** Releases the store's resources. */
  close(): Promise<void>;
}

function checkSince(since: number, limit: number): void {
  if (typeof since !== "number" || Number.isNaN(since)) {
    throw new TypeError(`since must be a number of seconds, got ${String(since)}`);
  }
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }
}

/** Markers kept in memory (the default store). */
export class MemoryMarkerStore implements MarkerStore {
  readonly #list: Marker[] = [];
  #next = 1;

  /** Stores a marker. */
  add(m: Omit<Marker, "id">): Promise<Marker> {
    const marker: Marker = { id: this.#next, ...m };
    this.insert(marker);
    return Promise.resolve(marker);
  }

  /** Stores a marker that already has its id (a copy of another store's marker). */
  insert(marker: Marker): void {
    if (!marker || !Number.isInteger(marker.id) || typeof marker.time !== "number") {
      throw new TypeError(`not a marker: ${JSON.stringify(marker)}`);
    }
    this.#next = Math.max(this.#next, marker.id + 1);
    // keep the list sorted by time (markers usually arrive in order)
    let i = this.#list.length;
    while (i > 0 && this.#list[i - 1].time > marker.time) i--;
    this.#list.splice(i, 0, marker);
  }

  /** Markers after `since`. */
  since(since: number, limit = 10_000): Promise<Marker[]> {
    try {
      checkSince(since, limit);
    } catch (e) {
      return Promise.reject(e);
    }
    return Promise.resolve(this.#list.filter((m) => m.time > since).slice(0, limit));
  }

  /** Removes every marker. */
  clear(): Promise<void> {
    this.#list.length = 0;
    this.#next = 1;
    return Promise.resolve();
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

type Redis = ReturnType<typeof createClient>;

/**
 * Markers in Redis: a sorted set `<key>` (score: media time, member: the marker as JSON) and a
 * counter `<key>:id`. Several processes opening the same URL and key see the same markers.
 */
export class RedisMarkerStore implements MarkerStore {
  readonly #client: Redis;
  readonly #key: string;
  #closed = false;

  private constructor(client: Redis, key: string) {
    this.#client = client;
    this.#key = key;
  }

  /**
   * Connects to `url` (`redis://host:port[/db]`).
   * @param url Redis URL.
   * @param key Name of the sorted set (default `deno-gpac:live:markers`).
   */
  static async connect(url: string, key = "deno-gpac:live:markers"): Promise<RedisMarkerStore> {
    if (typeof url !== "string" || !/^rediss?:\/\//.test(url)) {
      throw new TypeError(`markers store URL must start with redis:// or rediss://, got ${url}`);
    }
    if (typeof key !== "string" || key === "") {
      throw new TypeError(`redis key must be a non-empty string, got ${String(key)}`);
    }
    // loaded on first use: processes keeping markers in memory never load the Redis client
    const { createClient } = await import("redis");
    const client = createClient({
      url,
      socket: { connectTimeout: 3000, reconnectStrategy: (n) => (n > 3 ? false : 200) },
    });
    let lastError: unknown;
    client.on("error", (e) => (lastError = e));
    try {
      await client.connect();
    } catch (e) {
      await client.disconnect().catch(() => {});
      throw new Error(`cannot connect to Redis at ${url}: ${(e as Error)?.message ?? e}`, {
        cause: lastError ?? e,
      });
    }
    return new RedisMarkerStore(client, key);
  }

  #check(): void {
    if (this.#closed) throw new Error("RedisMarkerStore used after close()");
  }

  /** Stores a marker (id from `INCR <key>:id`). */
  async add(m: Omit<Marker, "id">): Promise<Marker> {
    this.#check();
    const id = await this.#client.incr(`${this.#key}:id`);
    const marker: Marker = { id, ...m };
    await this.#client.zAdd(this.#key, { score: marker.time, value: JSON.stringify(marker) });
    return marker;
    // (two round trips: the id must be known to write the member; a Lua script could do both)
  }

  /** Markers after `since` (`ZRANGEBYSCORE key (since +inf LIMIT 0 limit`). */
  async since(since: number, limit = 10_000): Promise<Marker[]> {
    this.#check();
    checkSince(since, limit);
    const min = Number.isFinite(since) ? `(${since}` : since > 0 ? "+inf" : "-inf";
    const items = await this.#client.zRangeByScore(this.#key, min, "+inf", {
      LIMIT: { offset: 0, count: limit },
    });
    return items.map((s) => JSON.parse(s) as Marker);
  }

  /** Deletes the set and the counter. */
  async clear(): Promise<void> {
    this.#check();
    await this.#client.del([this.#key, `${this.#key}:id`]);
  }

  /** Disconnects. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#client.quit().catch(() => this.#client.disconnect());
  }
}

/**
 * Opens the store named by `spec`: a {@link MarkerStore} is used as is, `"memory"` or undefined
 * gives a {@link MemoryMarkerStore}, a `redis://` URL a {@link RedisMarkerStore}.
 */
export function openMarkerStore(
  spec: string | MarkerStore | undefined,
  key?: string,
): Promise<MarkerStore> {
  if (spec === undefined || spec === "memory") return Promise.resolve(new MemoryMarkerStore());
  if (typeof spec === "string") return RedisMarkerStore.connect(spec, key);
  if (spec && typeof spec.add === "function" && typeof spec.since === "function") {
    return Promise.resolve(spec);
  }
  throw new TypeError(`markers must be "memory", a redis:// URL or a MarkerStore, got ${spec}`);
}
