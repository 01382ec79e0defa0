/**
 * A fake database for the pool's tests: `create()` takes `createMs` of (virtual) time, `destroy()`
 * takes `destroyMs`, and the fake counts how many connections are alive at once, from the moment
 * `create()` is called until `destroy()` has finished, so "being created" counts too.
 *
 * @module
 */

/** A fake connection. Set `broken` to make `validate` fail for it. */
export interface FakeConnection {
  readonly id: number;
  broken: boolean;
}

/** Options of {@linkcode fakeDb}. */
export interface FakeDbOptions {
  /** Virtual ms a `create()` takes. Default 100. */
  createMs?: number;
  /** Virtual ms a `destroy()` takes. Default 10. */
  destroyMs?: number;
  /** How many of the first `create()` calls fail with an Error "connection refused". Default 0. */
  failFirstCreates?: number;
}

/** The fake's pool callbacks and what it saw. */
export interface FakeDb {
  /** `create`, `destroy` and `validate`, ready to spread into `new Pool({ ...db.callbacks, max })`. */
  readonly callbacks: {
    create: () => Promise<FakeConnection>;
    destroy: (connection: FakeConnection) => Promise<void>;
    validate: (connection: FakeConnection) => boolean;
  };
  /** How many times `create()` was called. */
  readonly creates: number;
  /** Connections alive now (creating, open, or being destroyed). */
  readonly alive: number;
  /** The most connections alive at once. */
  readonly maxAlive: number;
  /** Ids of destroyed connections, in the order their destroy finished. */
  readonly destroyed: number[];
}

/**
 * Builds a fake database.
 *
 * @param options Timings and failures.
 * @returns The callbacks for the pool and the counters.
 *
 * @example
 * ```ts
 * import { fakeDb } from "./fake_db.ts";
 * const db = fakeDb({ createMs: 50 });
 * const conn = await db.callbacks.create(); // { id: 1, broken: false } after 50 ms
 * ```
 */
export function fakeDb(options: FakeDbOptions = {}): FakeDb {
  const { createMs = 100, destroyMs = 10 } = options;
  let failuresLeft = options.failFirstCreates ?? 0;
  let nextId = 1;
  let creates = 0;
  let alive = 0;
  let maxAlive = 0;
  const destroyed: number[] = [];
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  return {
    callbacks: {
      create: async () => {
        creates++;
        alive++;
        maxAlive = Math.max(maxAlive, alive);
        await sleep(createMs);
        if (failuresLeft > 0) {
          failuresLeft--;
          alive--;
          throw new Error("connection refused");
        }
        return { id: nextId++, broken: false };
      },
      destroy: async (connection) => {
        await sleep(destroyMs);
        alive--;
        destroyed.push(connection.id);
      },
      validate: (connection) => !connection.broken,
    },
    get creates() {
      return creates;
    },
    get alive() {
      return alive;
    },
    get maxAlive() {
      return maxAlive;
    },
    destroyed,
  };
}
