/**
 * Another correct connection pool, in another style: the caller that opens a connection keeps
 * it (instead of handing every new connection to the oldest waiter), waiters are tickets in a
 * doubly linked list, and `size` is derived from the sets it counts.
 *
 * @module
 */

/** What the pool needs to know about its connections. */
export interface PoolOptions<C> {
  /** Opens a new connection (slow, may fail: then the slot is freed and a waiter gets the error). */
  create: () => Promise<C>;
  /** Closes a connection for good. Its errors are ignored: the connection is gone either way. */
  destroy: (connection: C) => Promise<void> | void;
  /** Checks a connection that sat idle before it is handed out again. */
  validate?: (connection: C) => Promise<boolean> | boolean;
  /** The most connections at once, counting those being created. An integer >= 1. */
  max: number;
  /** How long an `acquire()` may wait, in ms: a number >= 0, or Infinity. Default: no limit. */
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
  /** Gives the connection back. */
  release(): Promise<void>;
}

/** One acquire() that is waiting: in the line, or for the create() it started itself. */
class Ticket<C> {
  state: "waiting" | "handed" | "gone" = "waiting";
  connection: C | undefined;
  prev: Ticket<C> | undefined;
  next: Ticket<C> | undefined;
  inLine = false;
  resolve: () => void = () => {};
  reject: (error: unknown) => void = () => {};
}

/** A FIFO line of tickets as a doubly linked list. */
class Line<C> {
  #head: Ticket<C> | undefined;
  #tail: Ticket<C> | undefined;
  length = 0;

  push(ticket: Ticket<C>): void {
    ticket.prev = this.#tail;
    ticket.next = undefined;
    if (this.#tail) this.#tail.next = ticket;
    else this.#head = ticket;
    this.#tail = ticket;
    ticket.inLine = true;
    this.length++;
  }

  remove(ticket: Ticket<C>): void {
    if (!ticket.inLine) return;
    if (ticket.prev) ticket.prev.next = ticket.next;
    else this.#head = ticket.next;
    if (ticket.next) ticket.next.prev = ticket.prev;
    else this.#tail = ticket.prev;
    ticket.prev = ticket.next = undefined;
    ticket.inLine = false;
    this.length--;
  }

  shift(): Ticket<C> | undefined {
    const head = this.#head;
    if (head) this.remove(head);
    return head;
  }
}

function invalidState(message: string): Error {
  return Object.assign(new Error(message), { name: "InvalidStateError" });
}

/** A bounded pool of connections with FIFO waiters. */
export class Pool<C> {
  readonly max: number;
  readonly #options: PoolOptions<C>;
  readonly #idle: C[] = [];
  #leased = 0;
  #checking = 0;
  #creating = 0;
  /** Handed to a waiter that has not resumed yet. */
  #handed = 0;
  #destroying = 0;
  readonly #line = new Line<C>();
  /** Tickets waiting for the create() they started (not in the line). */
  readonly #creators = new Set<Ticket<C>>();
  #closed = false;
  #closedPromise: Promise<void> | undefined;
  #onClosed = () => {};

  constructor(options: PoolOptions<C>) {
    const { max, acquireTimeoutMs } = options;
    if (typeof max !== "number" || !Number.isInteger(max) || max < 1) {
      throw new RangeError(`Pool: max must be an integer >= 1, not ${max}`);
    }
    if (
      acquireTimeoutMs !== undefined &&
      (typeof acquireTimeoutMs !== "number" || Number.isNaN(acquireTimeoutMs) ||
        acquireTimeoutMs < 0)
    ) {
      throw new RangeError(`Pool: acquireTimeoutMs must be a number >= 0, not ${acquireTimeoutMs}`);
    }
    this.max = max;
    this.#options = options;
  }

  get size(): number {
    return this.#idle.length + this.#leased + this.#handed + this.#checking + this.#creating;
  }

  get idleCount(): number {
    return this.#idle.length;
  }

  get waiting(): number {
    return this.#line.length;
  }

  async acquire(options: AcquireOptions = {}): Promise<Lease<C>> {
    const { signal } = options;
    if (signal?.aborted) throw signal.reason;
    if (this.#closed) throw invalidState("the pool is drained");
    while (this.#line.length === 0 && this.#idle.length > 0) {
      const connection = this.#idle.shift()!;
      this.#checking++;
      let ok: boolean;
      try {
        ok = this.#options.validate ? await this.#options.validate(connection) : true;
      } catch {
        ok = false;
      }
      this.#checking--;
      if (!ok) {
        this.#destroy(connection);
        continue;
      }
      if (signal?.aborted || this.#closed) {
        this.#free(connection);
        if (signal?.aborted) throw signal.reason;
        throw invalidState("the pool is drained");
      }
      this.#leased++;
      return this.#lease(connection);
    }
    if (this.#closed) throw invalidState("the pool is drained");
    const connection = await this.#obtain(signal);
    this.#leased++;
    return this.#lease(connection);
  }

  async use<T>(fn: (connection: C) => Promise<T> | T, options: AcquireOptions = {}): Promise<T> {
    const lease = await this.acquire(options);
    try {
      return await fn(lease.connection);
    } finally {
      await lease.release();
    }
  }

  drain(): Promise<void> {
    if (this.#closedPromise) return this.#closedPromise;
    this.#closed = true;
    this.#closedPromise = new Promise((resolve) => (this.#onClosed = resolve));
    const error = () => invalidState("drain() was called while this acquire() waited");
    for (let t = this.#line.shift(); t; t = this.#line.shift()) this.#giveUp(t, error(), false);
    for (const t of [...this.#creators]) this.#giveUp(t, error(), false);
    for (const connection of this.#idle.splice(0)) this.#destroy(connection);
    this.#checkClosed();
    return this.#closedPromise;
  }

  /** Waits for a connection: one this caller creates, or one released to it. */
  async #obtain(signal: AbortSignal | undefined): Promise<C> {
    const ticket = new Ticket<C>();
    const settled = new Promise<void>((resolve, reject) => {
      ticket.resolve = resolve;
      ticket.reject = reject;
    });
    const onAbort = () => this.#giveUp(ticket, signal!.reason, true);
    signal?.addEventListener("abort", onAbort);
    const ms = this.#options.acquireTimeoutMs ?? Infinity;
    const timer = Number.isFinite(ms)
      ? setTimeout(
        () => this.#giveUp(ticket, new DOMException("no connection in time", "TimeoutError"), true),
        ms,
      )
      : undefined;
    if (this.size < this.max && this.#line.length === 0) this.#startCreate(ticket);
    else this.#line.push(ticket);
    try {
      await settled;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
    const connection = ticket.connection as C;
    this.#handed--;
    if (signal?.aborted) {
      this.#free(connection); // the late-abort rule: the abort wins, the connection goes on
      throw signal.reason;
    }
    return connection;
  }

  /** The ticket gives up (timeout, abort, drain) unless it was already handed a connection. */
  #giveUp(ticket: Ticket<C>, error: unknown, refill: boolean): void {
    if (ticket.state !== "waiting") return;
    ticket.state = "gone";
    this.#line.remove(ticket);
    this.#creators.delete(ticket);
    ticket.reject(error);
    if (refill) this.#refill();
  }

  /** Reserves a slot and opens a connection that the ticket keeps (if it still waits). */
  #startCreate(ticket: Ticket<C>): void {
    this.#creating++;
    this.#creators.add(ticket);
    let created: Promise<C>;
    try {
      created = Promise.resolve(this.#options.create());
    } catch (error) {
      created = Promise.reject(error);
    }
    created.then(
      (connection) => {
        this.#creating--;
        this.#creators.delete(ticket);
        if (ticket.state === "waiting" && !this.#closed) this.#hand(ticket, connection);
        else this.#free(connection);
      },
      (error) => {
        this.#creating--;
        this.#creators.delete(ticket);
        if (ticket.state === "waiting") {
          ticket.state = "gone";
          ticket.reject(error);
        }
        this.#refill();
        this.#checkClosed();
      },
    );
  }

  #hand(ticket: Ticket<C>, connection: C): void {
    ticket.state = "handed";
    this.#handed++;
    ticket.connection = connection;
    ticket.resolve();
  }

  /** A slot may be free: let the oldest waiters open connections for themselves. */
  #refill(): void {
    while (!this.#closed && this.size < this.max && this.#line.length > 0) {
      this.#startCreate(this.#line.shift()!);
    }
  }

  /** A connection nobody holds: to the oldest waiter, else idle (destroyed once drained). */
  #free(connection: C): void {
    if (this.#closed) return this.#destroy(connection);
    const next = this.#line.shift();
    if (next) this.#hand(next, connection);
    else this.#idle.push(connection);
  }

  #lease(connection: C): Lease<C> {
    let done = false;
    const release = () => {
      if (!done) {
        done = true;
        this.#leased--;
        this.#free(connection);
      }
      return Promise.resolve();
    };
    return { connection, release, [Symbol.asyncDispose]: release };
  }

  #destroy(connection: C): void {
    this.#destroying++;
    const finish = () => {
      this.#destroying--;
      this.#refill();
      this.#checkClosed();
    };
    try {
      Promise.resolve(this.#options.destroy(connection)).then(finish, finish);
    } catch {
      queueMicrotask(finish); // a synchronous throw: the connection is gone either way
    }
    this.#refill();
  }

  #checkClosed(): void {
    if (this.#closed && this.size === 0 && this.#destroying === 0) this.#onClosed();
  }
}
