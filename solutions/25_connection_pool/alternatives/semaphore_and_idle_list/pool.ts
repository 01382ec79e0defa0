/**
 * Another correct connection pool, shaped like the tutorial's: a FIFO semaphore of `max`
 * permits (one per connection that is leased or being created) plus a list of idle connections.
 * An idle connection holds no permit, so leased + creating + idle never exceeds `max`.
 *
 * @module
 */

/** What the pool needs to know about its connections. */
export interface PoolOptions<C> {
  create: () => Promise<C>;
  destroy: (connection: C) => Promise<void> | void;
  validate?: (connection: C) => Promise<boolean> | boolean;
  max: number;
  acquireTimeoutMs?: number;
}

/** Options of {@linkcode Pool.acquire} and {@linkcode Pool.use}. */
export interface AcquireOptions {
  signal?: AbortSignal;
}

/** A borrowed connection. */
export interface Lease<C> extends AsyncDisposable {
  readonly connection: C;
  release(): Promise<void>;
}

type Waiter = { granted: boolean; grant: () => void; fail: (e: unknown) => void };

/** A FIFO semaphore whose release hands the permit straight to the oldest waiter. */
class Permits {
  free: number;
  readonly queue: Waiter[] = [];
  constructor(n: number) {
    this.free = n;
  }
  get pending(): number {
    return this.queue.filter((w) => !w.granted).length;
  }
  /** Takes a permit, waiting (FIFO) until `deadline` ms have passed or the signal aborts. */
  async take(signal: AbortSignal | undefined, ms: number): Promise<void> {
    if (this.free > 0 && this.queue.length === 0) {
      this.free--;
      return;
    }
    const waiter: Waiter = { granted: false, grant: () => {}, fail: () => {} };
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort = () => {};
    try {
      await new Promise<void>((resolve, reject) => {
        const leave = (e: unknown) => {
          if (waiter.granted) return;
          this.queue.splice(this.queue.indexOf(waiter), 1);
          reject(e);
        };
        waiter.grant = () => {
          waiter.granted = true;
          resolve();
        };
        waiter.fail = leave;
        onAbort = () => leave(signal!.reason);
        signal?.addEventListener("abort", onAbort);
        if (Number.isFinite(ms)) {
          timer = setTimeout(() => leave(new DOMException("timed out", "TimeoutError")), ms);
        }
        this.queue.push(waiter);
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
    this.queue.splice(this.queue.indexOf(waiter), 1);
    if (signal?.aborted) {
      this.give();
      throw signal.reason;
    }
  }
  give(): void {
    const next = this.queue.find((w) => !w.granted);
    if (next) next.grant();
    else this.free++;
  }
  failAll(e: unknown): void {
    for (const w of [...this.queue]) w.fail(e);
  }
}

function closedError(): Error {
  const e = new Error("the pool is drained");
  e.name = "InvalidStateError";
  return e;
}

/** A pool: permits for leased and creating connections, a list for idle ones. */
export class Pool<C> {
  readonly max: number;
  readonly #o: PoolOptions<C>;
  readonly #permits: Permits;
  readonly #idle: C[] = [];
  #held = 0; // permits held: leased, being checked or being created
  #destroying = 0;
  #closing: Promise<void> | undefined;
  #closed = () => {};
  #deadline: number;

  constructor(options: PoolOptions<C>) {
    if (!Number.isSafeInteger(options.max) || options.max <= 0) throw new RangeError("bad max");
    const t = options.acquireTimeoutMs ?? Infinity;
    if (typeof t !== "number" || !(t >= 0)) throw new RangeError("bad acquireTimeoutMs");
    this.max = options.max;
    this.#o = options;
    this.#permits = new Permits(options.max);
    this.#deadline = t;
  }

  get size(): number {
    return this.#held + this.#idle.length;
  }
  get idleCount(): number {
    return this.#idle.length;
  }
  get waiting(): number {
    return this.#permits.pending;
  }

  async acquire({ signal }: AcquireOptions = {}): Promise<Lease<C>> {
    signal?.throwIfAborted();
    if (this.#closing) throw closedError();
    // Whoever holds a permit may use an idle connection, or open one.
    const started = Date.now();
    await this.#permits.take(signal, this.#deadline);
    this.#held++;
    const permit = { handedToCreate: false };
    try {
      while (this.#idle.length > 0) {
        const c = this.#idle.pop()!;
        let ok = true;
        try {
          ok = this.#o.validate ? await this.#o.validate(c) : true;
        } catch {
          ok = false;
        }
        if (!ok) {
          this.#kill(c);
          continue;
        }
        if (signal?.aborted || this.#closing) {
          if (this.#closing) this.#kill(c);
          else this.#idle.push(c);
          throw signal?.aborted ? signal.reason : closedError();
        }
        return this.#lease(c);
      }
      if (this.#closing) throw closedError();
      const left = this.#deadline - (Date.now() - started);
      const c = await this.#createWithin(left, signal, permit);
      return this.#lease(c);
    } catch (e) {
      if (!permit.handedToCreate) {
        this.#held--;
        this.#permits.give();
        this.#check();
      }
      throw e;
    }
  }

  async use<T>(fn: (connection: C) => Promise<T> | T, options: AcquireOptions = {}): Promise<T> {
    await using lease = await this.acquire(options);
    return await fn(lease.connection);
  }

  drain(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#closed = resolve;
      this.#permits.failAll(closedError());
      for (const c of this.#idle.splice(0)) this.#kill(c);
      queueMicrotask(() => this.#check());
    });
    return this.#closing;
  }

  /** Opens a connection; a caller that gives up first leaves it idle for the next one. */
  #createWithin(
    ms: number,
    signal: AbortSignal | undefined,
    permit: { handedToCreate: boolean },
  ): Promise<C> {
    let created: Promise<C>;
    try {
      created = Promise.resolve(this.#o.create());
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<C>((resolve, reject) => {
      let waiting = true;
      const stop = (e: unknown) => {
        if (!waiting) return;
        waiting = false;
        cleanup();
        // We give up; the connection, if it comes, belongs to the pool: our permit stays with it.
        permit.handedToCreate = true;
        created.then((c) => this.#putBack(c), () => {
          this.#held--;
          this.#permits.give();
          this.#check();
        });
        reject(e);
      };
      const onAbort = () => stop(signal!.reason);
      const timer = Number.isFinite(ms)
        ? setTimeout(() => stop(new DOMException("timed out", "TimeoutError")), Math.max(0, ms))
        : undefined;
      signal?.addEventListener("abort", onAbort);
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      created.then((c) => {
        if (!waiting) return;
        waiting = false;
        cleanup();
        if (this.#closing) {
          permit.handedToCreate = true;
          this.#putBack(c);
          reject(closedError());
        } else resolve(c);
      }, (e) => {
        if (!waiting) return;
        waiting = false;
        cleanup();
        reject(e);
      });
    });
  }

  /** A connection comes back with its permit: next permit holder reuses it from idle. */
  #putBack(c: C): void {
    this.#held--;
    if (this.#closing) {
      this.#kill(c);
      this.#permits.give();
      this.#check();
      return;
    }
    this.#idle.push(c);
    this.#permits.give();
  }

  #lease(c: C): Lease<C> {
    let done = false;
    const release = () => {
      if (!done) {
        done = true;
        this.#putBack(c);
      }
      return Promise.resolve();
    };
    return { connection: c, release, [Symbol.asyncDispose]: release };
  }

  #kill(c: C): void {
    this.#destroying++;
    const end = () => {
      this.#destroying--;
      this.#check();
    };
    try {
      Promise.resolve(this.#o.destroy(c)).then(end, end);
    } catch {
      queueMicrotask(end);
    }
  }

  #check(): void {
    if (this.#closing && this.size === 0 && this.#destroying === 0) this.#closed();
  }
}
