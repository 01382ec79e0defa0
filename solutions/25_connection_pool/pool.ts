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

/** A caller waiting in line. It leaves the line when it is handed a connection or gives up. */
interface Waiter<C> {
  /** Hands a connection over; the waiter takes it when it resumes (unless its signal aborted). */
  give(connection: C): void;
  /** Rejects the waiter (it has already left the line). */
  fail(error: unknown): void;
}

function invalidState(message: string): Error {
  const error = new Error(message);
  error.name = "InvalidStateError";
  return error;
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
  readonly #options: PoolOptions<C>;
  /** Every connection that exists or is being created: idle + leased + being validated + creating. */
  #size = 0;
  #creating = 0;
  #destroying = 0;
  readonly #idle: C[] = [];
  readonly #waiters: Waiter<C>[] = [];
  #draining: Promise<void> | undefined;
  #onEmpty: (() => void) | undefined;

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
    if (!Number.isInteger(options.max) || options.max < 1) {
      throw new RangeError(
        `Cannot create Pool as 'max' must be an integer >= 1: received ${options.max}`,
      );
    }
    const timeout = options.acquireTimeoutMs;
    if (timeout !== undefined && !(typeof timeout === "number" && timeout >= 0)) {
      throw new RangeError(
        `Cannot create Pool as 'acquireTimeoutMs' must be a number >= 0: received ${timeout}`,
      );
    }
    this.max = options.max;
    this.#options = options;
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
    return this.#size;
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
    return this.#idle.length;
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
    return this.#waiters.length;
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
  async acquire(options: AcquireOptions = {}): Promise<Lease<C>> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.#draining) {
      throw invalidState("Pool.acquire() after drain(): the pool is shutting down");
    }
    // Fast path, only when nobody waits (no barging): reuse an idle connection that still works.
    while (this.#waiters.length === 0 && this.#idle.length > 0) {
      const connection = this.#idle.pop()!;
      if (await this.#isValid(connection)) {
        if (signal?.aborted || this.#draining) {
          // We gave up (or the pool closed) while it was being checked: it goes on, or back.
          this.#handOut(connection);
          throw signal?.aborted ? signal.reason : invalidState("Pool.drain() was called");
        }
        return this.#lease(connection);
      }
      // Failed validation: close it; its slot frees up, so the line below may open a new one.
      this.#discard(connection);
    }
    if (this.#draining) throw invalidState("Pool.drain() was called");
    return this.#lease(await this.#wait(signal));
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
  async use<T>(fn: (connection: C) => Promise<T> | T, options: AcquireOptions = {}): Promise<T> {
    // `await using` releases the lease when the block exits, whether fn returned or threw.
    await using lease = await this.acquire(options);
    return await fn(lease.connection);
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
    if (!this.#draining) {
      this.#draining = new Promise<void>((resolve) => (this.#onEmpty = resolve));
      for (const waiter of this.#waiters.splice(0)) {
        waiter.fail(invalidState("Pool.drain() was called while this acquire() waited"));
      }
      for (const connection of this.#idle.splice(0)) this.#discard(connection);
      // Leased connections are destroyed as they come back (#handOut), and connections still
      // being created as soon as they arrive; the promise resolves when the last one is gone.
      this.#settleIfDrained();
    }
    return this.#draining;
  }

  /** Waits in line for a connection; see acquire(). */
  async #wait(signal: AbortSignal | undefined): Promise<C> {
    let handed = false;
    let connection: C | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort = () => {};
    try {
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter<C> = {
          give: (c) => {
            handed = true;
            connection = c;
            resolve();
          },
          fail: reject,
        };
        const leave = (error: unknown) => {
          if (handed) return; // too late to leave the line: dealt with when we resume
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          reject(error);
        };
        onAbort = () => leave(signal!.reason);
        this.#waiters.push(waiter);
        signal?.addEventListener("abort", onAbort, { once: true });
        const ms = this.#options.acquireTimeoutMs;
        if (ms !== undefined && ms !== Infinity) {
          // Leave the line *now*: a waiter that only stops listening would still be handed the
          // next connection, and that connection would be lost.
          timer = setTimeout(
            () =>
              leave(
                new DOMException(
                  `Pool.acquire() got no connection within ${ms} ms`,
                  "TimeoutError",
                ),
              ),
            ms,
          );
        }
        this.#grow();
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
    if (signal?.aborted) {
      // Aborted after the hand-over but before we resumed: as in CPython, the abort wins and the
      // connection goes to the next waiter, or back to the idle ones.
      this.#handOut(connection as C);
      throw signal.reason;
    }
    return connection as C;
  }

  /** Opens connections for waiters while there is room, reserving each slot before awaiting. */
  #grow(): void {
    while (this.#size < this.max && this.#creating < this.#waiters.length) {
      this.#size++; // reserve first: create() is slow, and other callers run while it is awaited
      this.#creating++;
      // new Promise(...) turns a synchronous throw of create() into a rejection too.
      new Promise<C>((resolve) => resolve(this.#options.create())).then(
        (connection) => {
          this.#creating--;
          this.#handOut(connection);
        },
        (error) => {
          this.#creating--;
          this.#size--; // the slot was never used: free it
          // Tell the oldest waiter why: it was waiting for exactly this connection.
          this.#waiters.shift()?.fail(error);
          this.#settleIfDrained();
          this.#grow();
        },
      );
    }
  }

  /** A connection is free: straight to the oldest waiter, else idle (or destroyed when draining). */
  #handOut(connection: C): void {
    if (this.#draining) {
      this.#discard(connection);
      return;
    }
    const oldest = this.#waiters.shift();
    if (oldest) oldest.give(connection);
    else this.#idle.push(connection);
  }

  #lease(connection: C): Lease<C> {
    let released = false;
    const release = () => {
      if (!released) { // a second release must not put the connection back twice
        released = true;
        this.#handOut(connection);
      }
      return Promise.resolve();
    };
    return { connection, release, [Symbol.asyncDispose]: release };
  }

  async #isValid(connection: C): Promise<boolean> {
    try {
      return (await this.#options.validate?.(connection)) ?? true;
    } catch {
      return false; // a check that fails says the connection is not usable
    }
  }

  /** Destroys a connection and frees its slot (drain() waits for the destroy to finish). */
  #discard(connection: C): void {
    this.#size--;
    this.#destroying++;
    // new Promise(...) turns a synchronous throw of destroy() into a rejection too.
    new Promise<void>((resolve) => resolve(this.#options.destroy(connection)))
      .catch(() => {}) // the connection is gone either way
      .finally(() => {
        this.#destroying--;
        this.#settleIfDrained();
      });
  }

  #settleIfDrained(): void {
    if (this.#draining && this.#size === 0 && this.#destroying === 0) this.#onEmpty?.();
  }
}
