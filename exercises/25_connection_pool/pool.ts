/**
 * A connection pool: at most `max` connections to a database (or any slow-to-open resource),
 * opened on demand, reused, checked before reuse, and handed to waiting callers in FIFO order.
 *
 * `acquire()` gives a lease (`await using lease = await pool.acquire()`); disposing the lease
 * puts the connection back. `use(fn)` does the same around one function. `drain()` shuts the
 * pool down once every lease is back.
 *
 * The count that must never exceed `max` includes connections still being created: opening a
 * connection is slow and asynchronous, so the slot is reserved before `create()` is awaited.
 *
 * @module
 */

/** What the pool needs to know about its connections. */
export interface PoolOptions<C> {
  /** Opens a new connection (slow, may fail). */
  create: () => Promise<C>;
  /** Closes a connection for good. Errors are ignored: the connection is gone either way. */
  destroy: (connection: C) => Promise<void> | void;
  /** Checks an idle connection before it is handed out again; false means "replace it". */
  validate?: (connection: C) => Promise<boolean> | boolean;
  /** The most connections at once, counting those being created. A positive integer. */
  max: number;
  /** How long `acquire()` waits for a connection before a TimeoutError. Default: no limit. */
  acquireTimeoutMs?: number;
}

/** Options of {@linkcode Pool.acquire} and {@linkcode Pool.use}. */
export interface AcquireOptions {
  /** Gives up waiting: the call rejects with `signal.reason` and leaves the line. */
  signal?: AbortSignal;
}

/** A borrowed connection. Release it exactly once; releasing again does nothing. */
export interface Lease<C> extends AsyncDisposable {
  /** The connection, yours until you release the lease. */
  readonly connection: C;
  /** Gives the connection back (to the oldest waiter, or to the idle set). */
  release(): Promise<void>;
}

/**
 * A bounded pool of connections with FIFO waiters.
 *
 * @typeParam C The connection type.
 *
 * @example Borrow a connection for one query
 * ```ts
 * import { Pool } from "./pool.ts";
 * const pool = new Pool({
 *   create: async () => ({ query: async (sql: string) => [sql] }),
 *   destroy: () => {},
 *   max: 5,
 * });
 * {
 *   await using lease = await pool.acquire();
 *   await lease.connection.query("select 1");
 * } // released here, even if the query threw
 * await pool.drain();
 * ```
 */
export class Pool<C> {
  readonly max: number;

  /**
   * Creates an empty pool; connections are opened on demand.
   *
   * @param options `create`, `destroy`, optional `validate`, `max`, optional `acquireTimeoutMs`.
   * @throws RangeError when `max` is not a positive integer or `acquireTimeoutMs` is negative.
   *
   * @example
   * ```ts
   * import { Pool } from "./pool.ts";
   * const pool = new Pool({ create: async () => ({}), destroy: () => {}, max: 2, acquireTimeoutMs: 5000 });
   * pool.size; // 0
   * ```
   */
  constructor(options: PoolOptions<C>) {
    this.max = options.max;
    // TODO: validate max and acquireTimeoutMs (RangeError) and keep the options; open nothing yet.
    throw new Error("not implemented: new Pool() (task 1)");
  }

  /**
   * Connections that exist or are being created (idle, leased and creating).
   *
   * @example
   * ```ts
   * import { Pool } from "./pool.ts";
   * new Pool({ create: async () => 1, destroy: () => {}, max: 1 }).size; // 0
   * ```
   */
  get size(): number {
    // TODO: count idle + leased + being-created connections.
    throw new Error("not implemented: Pool.size (task 1)");
  }

  /**
   * Idle connections, ready to be handed out.
   *
   * @example
   * ```ts
   * import { Pool } from "./pool.ts";
   * new Pool({ create: async () => 1, destroy: () => {}, max: 1 }).idleCount; // 0
   * ```
   */
  get idleCount(): number {
    // TODO: count the idle connections.
    throw new Error("not implemented: Pool.idleCount (task 1)");
  }

  /**
   * `acquire()` calls waiting in line.
   *
   * @example
   * ```ts
   * import { Pool } from "./pool.ts";
   * new Pool({ create: async () => 1, destroy: () => {}, max: 1 }).waiting; // 0
   * ```
   */
  get waiting(): number {
    // TODO: count the acquire() calls waiting in line.
    throw new Error("not implemented: Pool.waiting (task 3)");
  }

  /**
   * Borrows a connection: an idle one that passes `validate`, a new one while fewer than `max`
   * exist, or else the next one released, in FIFO order.
   *
   * @param options `signal` gives up waiting.
   * @returns A lease; release it (or `await using` it) to give the connection back.
   * @throws DOMException "TimeoutError" after `acquireTimeoutMs`; the signal's reason on abort;
   *   an Error named "InvalidStateError" once `drain()` was called; `create()`'s error.
   *
   * @example
   * ```ts
   * import { Pool } from "./pool.ts";
   * const pool = new Pool({ create: async () => "conn", destroy: () => {}, max: 1 });
   * await using lease = await pool.acquire({ signal: AbortSignal.timeout(1000) });
   * lease.connection; // "conn"
   * ```
   */
  acquire(options: AcquireOptions = {}): Promise<Lease<C>> {
    // TODO: reuse a valid idle connection, else reserve a slot and create one, else wait in line (FIFO, timeout, abort).
    throw new Error(`not implemented: Pool.acquire(${options.signal ? "{ signal }" : ""}) (tasks 2 and 3)`);
  }

  /**
   * Runs `fn` with a borrowed connection and releases it afterwards, also when `fn` throws.
   *
   * @typeParam T What `fn` resolves to.
   * @param fn The work.
   * @param options `signal` gives up waiting for a connection.
   * @returns What `fn` returns.
   *
   * @example
   * ```ts
   * import { Pool } from "./pool.ts";
   * const pool = new Pool({ create: async () => 21, destroy: () => {}, max: 1 });
   * await pool.use(async (n) => n * 2); // 42
   * ```
   */
  use<T>(fn: (connection: C) => Promise<T> | T, options: AcquireOptions = {}): Promise<T> {
    // TODO: acquire, run fn, and release the lease even when fn throws.
    throw new Error(`not implemented: Pool.use(${fn.name || "fn"}${options.signal ? ", { signal }" : ""}) (task 4)`);
  }

  /**
   * Shuts the pool down: new and waiting `acquire()` calls fail with InvalidStateError, idle
   * connections are destroyed now, leased ones as they come back, and the promise resolves once
   * none is left. Calling it again returns the same promise.
   *
   * @returns A promise that resolves when every connection has been destroyed.
   *
   * @example
   * ```ts
   * import { Pool } from "./pool.ts";
   * const pool = new Pool({ create: async () => 1, destroy: () => {}, max: 1 });
   * await pool.drain();
   * ```
   */
  drain(): Promise<void> {
    // TODO: refuse new acquires, fail the waiters, destroy idle connections now and leased ones when they come back.
    throw new Error("not implemented: Pool.drain() (task 5)");
  }
}
