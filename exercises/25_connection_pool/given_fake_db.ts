// GIVEN: the fake database the tests use; you do not edit it
/**
 * A fake database for the pool's tests. `create()` takes `createMs` of (virtual) time,
 * `destroy()` takes `destroyMs`. The fake counts the connections that are **open**: from the
 * moment `create()` is called (so "being created" counts) until `destroy()` is called for it, or
 * until the `create()` fails. `maxOpen` is the most that were open at once.
 *
 * @example
 * ```ts
 * import { fakeDb } from "./given_fake_db.ts";
 * const db = fakeDb({ createMs: 50 });
 * const conn = await db.callbacks.create(); // { id: 1, broken: false } after 50 ms
 * db.open; // 1
 * ```
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
  /** Connections open now: being created, or created and not yet handed to `destroy()`. */
  readonly open: number;
  /** The most connections open at once. */
  readonly maxOpen: number;
  /** Ids passed to `destroy()`, in call order (a connection destroyed twice shows twice). */
  readonly destroyCalls: readonly number[];
  /** Ids of destroyed connections, in the order their `destroy()` finished. */
  readonly destroyed: readonly number[];
  /** How many `validate()` calls there were. */
  readonly validations: number;
}

/**
 * Builds a fake database.
 *
 * @param options Timings and failures.
 * @returns The callbacks for the pool and the counters.
 *
 * @example
 * ```ts
 * import { fakeDb } from "./given_fake_db.ts";
 * const db = fakeDb({ failFirstCreates: 1 });
 * await db.callbacks.create(); // rejects after 100 ms: Error "connection refused"
 * ```
 */
export function fakeDb(options: FakeDbOptions = {}): FakeDb {
  const { createMs = 100, destroyMs = 10 } = options;
  let failuresLeft = options.failFirstCreates ?? 0;
  let nextId = 1;
  let creates = 0;
  let open = 0;
  let maxOpen = 0;
  let validations = 0;
  const destroyCalls: number[] = [];
  const destroyed: number[] = [];
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  return {
    callbacks: {
      create: async () => {
        creates++;
        open++;
        maxOpen = Math.max(maxOpen, open);
        await sleep(createMs);
        if (failuresLeft > 0) {
          failuresLeft--;
          open--;
          throw new Error("connection refused");
        }
        return { id: nextId++, broken: false };
      },
      destroy: async (connection) => {
        destroyCalls.push(connection.id);
        open--;
        await sleep(destroyMs);
        destroyed.push(connection.id);
      },
      validate: (connection) => {
        validations++;
        return !connection.broken;
      },
    },
    get creates() {
      return creates;
    },
    get open() {
      return open;
    },
    get maxOpen() {
      return maxOpen;
    },
    get validations() {
      return validations;
    },
    destroyCalls,
    destroyed,
  };
}
