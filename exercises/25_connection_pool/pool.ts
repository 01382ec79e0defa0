// deno-lint-ignore-file no-unused-vars -- the stub does not use its parameters yet; your code will
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
 * A caller that gives up (timeout, abort) leaves the line at once, and an abort wins until the
 * caller has resumed: a connection already handed to it goes to the next caller, or back.
 *
 * @module
 */

/** What the pool needs to know about its connections. */
export interface PoolOptions<C> {
  /** Opens a new connection (slow, may fail: then the slot is freed and a waiter gets the error). */
  create: () => Promise<C>;
  /** Closes a connection for good. Its errors are ignored: the connection is gone either way. */
  destroy: (connection: C) => Promise<void> | void;
  /**
   * Checks a connection that sat idle before it is handed out again. False (or a throw) means
   * "destroy it and use another". Default: every connection is valid.
   */
  validate?: (connection: C) => Promise<boolean> | boolean;
  /** The most connections at once, counting those being created. An integer >= 1. */
  max: number;
  /**
   * How long an `acquire()` may wait for a connection, in ms, before it rejects with a
   * TimeoutError: a number >= 0, or Infinity. Default: no limit.
   */
  acquireTimeoutMs?: number;
}

/** Options of {@linkcode Pool.acquire} and {@linkcode Pool.use}. */
export interface AcquireOptions {
  /** Gives up waiting: the call rejects with `signal.reason` and leaves the line. */
  signal?: AbortSignal;
}

/** A borrowed connection. Release it once; releasing again does nothing. */
export interface Lease<C> extends AsyncDisposable {
  /** The connection, yours until you release the lease. */
  readonly connection: C;
  /** Gives the connection back (to the oldest waiter, or to the idle connections). */
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
  /** The most connections at once, counting those being created. */
  readonly max: number;

  /**
   * Creates an empty pool; connections are opened on demand.
   *
   * @param options `create`, `destroy`, optional `validate`, `max`, optional `acquireTimeoutMs`.
   * @throws RangeError when `max` is not an integer >= 1, or `acquireTimeoutMs` is not a number >= 0.
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
    // TODO: reject a max that is not an integer >= 1 and an acquireTimeoutMs that is not a number >= 0 (RangeError); keep the options and open nothing yet
    throw new Error("not implemented: new Pool() (task 1)");
  }

  /**
   * Connections that exist or are being created: idle, leased, being checked and being created.
   * A connection stops counting the moment its `destroy()` is called.
   *
   * @example
   * ```ts
   * import { Pool } from "./pool.ts";
   * new Pool({ create: async () => 1, destroy: () => {}, max: 1 }).size; // 0
   * ```
   */
  get size(): number {
    // TODO: count idle + leased + being-checked + being-created connections
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
    // TODO: count the idle connections
    throw new Error("not implemented: Pool.idleCount (task 1)");
  }

  /**
   * `acquire()` calls waiting in line for a connection.
   *
   * @example
   * ```ts
   * import { Pool } from "./pool.ts";
   * new Pool({ create: async () => 1, destroy: () => {}, max: 1 }).waiting; // 0
   * ```
   */
  get waiting(): number {
    // TODO: count the acquire() calls waiting in line
    throw new Error("not implemented: Pool.waiting (task 3)");
  }

  /**
   * Borrows a connection: when nobody waits, an idle one that passes `validate`; otherwise the
   * caller waits in line (FIFO) for a new one (opened while fewer than `max` exist) or the next
   * one released.
   *
   * @param options `signal` gives up waiting. An abort wins until the call has resumed: a
   *   connection already handed to it goes to the next waiter, or back to the idle ones.
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
    // TODO: (task 2) reuse a valid idle connection, or reserve a slot and create one, and return a lease that releases once
    // TODO: (task 3) otherwise wait in line (FIFO) with the timeout and the signal, also when it aborts after the hand-over
    throw new Error("not implemented: Pool.acquire() (task 2)");
  }

  /**
   * Runs `fn` with a borrowed connection and releases it afterwards, also when `fn` throws.
   *
   * @typeParam T What `fn` resolves to.
   * @param fn The work. A throw inside it, also a synchronous one, rejects the returned promise.
   * @param options `signal` gives up waiting for a connection; it does not cut `fn` off.
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
    // TODO: acquire (with the signal), run fn, and release the lease on every path, also when fn throws synchronously
    throw new Error("not implemented: Pool.use() (task 4)");
  }

  /**
   * Shuts the pool down: new and waiting `acquire()` calls fail with InvalidStateError, idle
   * connections are destroyed now, leased ones as they come back, ones being created as they
   * arrive, and the promise resolves once every `destroy()` has finished. Calling it again
   * waits for the same shutdown and destroys nothing twice.
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
    // TODO: refuse new acquires, fail the waiters, destroy idle connections now and the others when they come back or arrive; resolve when none is left
    throw new Error("not implemented: Pool.drain() (task 5)");
  }
}
