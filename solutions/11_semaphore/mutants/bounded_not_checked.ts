// MUTANT: BoundedSemaphore.release() never checks the bound, so over-release silently grows the value
/**
 * Semaphore: Python's `asyncio.Semaphore` and `asyncio.BoundedSemaphore`.
 *
 * A semaphore holds a number of permits. `acquire()` takes one (waiting while there are none),
 * `release()` gives one back. With `new Semaphore(3)`, at most three tasks hold a permit at once:
 * the classic way to say "at most 3 downloads at a time" while still starting all ten.
 *
 * Waiters are served first come, first served, and a release hands its permit straight to the
 * oldest waiter, so a task that arrives just after a release cannot jump the queue (no barging).
 * A `BoundedSemaphore` additionally refuses to be released more often than it was acquired.
 *
 * @module
 */

/** Options of a call that may block. */
export interface AcquireOptions {
  /** Stops waiting: the call rejects with `signal.reason` and leaves the queue. */
  signal?: AbortSignal;
}

/** A task waiting for a permit. `grant()` hands it one and removes its abort listener. */
interface Waiter {
  grant: () => void;
}

/**
 * A counting semaphore for async code (Python's `asyncio.Semaphore`).
 *
 * @example At most 3 of 10 tasks at once
 * ```ts
 * import { Semaphore } from "./semaphore.ts";
 * const sem = new Semaphore(3);
 * await Promise.all(Array.from({ length: 10 }, async (_, i) => {
 *   using _permit = await sem.acquire(); // Python: async with sem:
 *   await download(i);
 * }));
 * ```
 */
export class Semaphore {
  #value: number;
  readonly #waiters: Waiter[] = [];

  /**
   * @param value The number of permits (an integer >= 0). Default 1.
   * @throws RangeError for a negative or non-integer value (Python raises ValueError).
   */
  constructor(value = 1) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`Cannot create a semaphore: value must be an integer >= 0; received ${value}`);
    }
    this.#value = value;
  }

  /** Permits free right now. */
  get value(): number {
    return this.#value;
  }

  /**
   * Whether `acquire()` would have to wait (no free permit, or others already waiting).
   *
   * @returns True when a new acquire would block.
   *
   * @example
   * ```ts
   * import { Semaphore } from "./semaphore.ts";
   * new Semaphore(0).locked(); // true
   * ```
   */
  locked(): boolean {
    return this.#value === 0 || this.#waiters.length > 0;
  }

  /**
   * Waits for a permit and takes it. Resolves with a lease that gives the permit back when
   * disposed (disposing twice releases once).
   *
   * @param options `{ signal }`: abort to stop waiting (rejects with `signal.reason`).
   * @returns A `Disposable` permit.
   *
   * @example
   * ```ts
   * import { Semaphore } from "./semaphore.ts";
   * const sem = new Semaphore(2);
   * using _permit = await sem.acquire({ signal: AbortSignal.timeout(5000) });
   * ```
   */
  async acquire(options: AcquireOptions = {}): Promise<Disposable> {
    const { signal } = options;
    signal?.throwIfAborted();
    // A free permit and nobody ahead of us: take it. Otherwise queue behind the others.
    if (this.#value > 0 && this.#waiters.length === 0) {
      this.#value--;
      return this.#lease();
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        // Still queued: leave the queue. (After the hand-over the listener is already gone.)
        const index = this.#waiters.indexOf(waiter);
        if (index !== -1) this.#waiters.splice(index, 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      this.#waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    // release() handed us its permit directly: #value was never incremented for it.
    return this.#lease();
  }

  /**
   * Takes a permit only if one is free right now and nobody waits.
   *
   * @returns A `Disposable` permit, or null when `acquire()` would have to wait.
   *
   * @example
   * ```ts
   * import { Semaphore } from "./semaphore.ts";
   * const sem = new Semaphore(1);
   * using permit = sem.tryAcquire();
   * if (!permit) console.log("busy, try later");
   * ```
   */
  tryAcquire(): Disposable | null {
    // Waiters come first: a permit that is free "right now" belongs to them.
    if (this.#value === 0 || this.#waiters.length > 0) return null;
    this.#value--;
    return this.#lease();
  }

  /**
   * Gives a permit back: hands it to the oldest waiter, or adds it to the free permits.
   * A plain Semaphore may grow past its initial value this way (as in Python).
   *
   * @example
   * ```ts
   * import { Semaphore } from "./semaphore.ts";
   * const sem = new Semaphore(0);
   * sem.release(); // sem.value === 1
   * ```
   */
  release(): void {
    // Hand the permit straight to the oldest waiter; count it as free only when nobody waits.
    // (Incrementing first and letting the waiter decrement later would let a newcomer barge in.)
    const next = this.#waiters.shift();
    if (next) next.grant();
    else this.#value++;
  }

  /**
   * Runs `fn` while holding a permit, and gives it back afterwards, also when `fn` throws.
   *
   * @typeParam T What `fn` resolves with.
   * @param fn The work.
   * @param options `{ signal }`: abort to stop waiting for a permit.
   * @returns What `fn` returned.
   *
   * @example
   * ```ts
   * import { Semaphore } from "./semaphore.ts";
   * const sem = new Semaphore(3);
   * const pages = await Promise.all(urls.map((u) => sem.runExclusive(() => fetch(u))));
   * ```
   */
  async runExclusive<T>(fn: () => Promise<T> | T, options: AcquireOptions = {}): Promise<T> {
    // `using` gives the permit back when the block exits, whether fn returned or threw.
    using _permit = await this.acquire(options);
    return await fn();
  }

  #lease(): Disposable {
    let released = false;
    return {
      [Symbol.dispose]: () => {
        if (released) return; // disposing twice gives back one permit, not two
        released = true;
        this.release();
      },
    };
  }
}

/**
 * A semaphore that refuses to be released more often than acquired (Python's
 * `asyncio.BoundedSemaphore`): a release that would push `value` above the initial value throws
 * a RangeError (Python: ValueError), which catches double releases early.
 *
 * @example
 * ```ts
 * import { BoundedSemaphore } from "./semaphore.ts";
 * const sem = new BoundedSemaphore(1);
 * sem.release(); // RangeError: released too many times
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  readonly #bound: number;

  /**
   * @param value The number of permits and the most there may ever be free (an integer >= 0).
   * @throws RangeError for a negative or non-integer value.
   */
  constructor(value = 1) {
    super(value);
    this.#bound = value;
  }

  /**
   * Gives a permit back.
   *
   * @throws RangeError when every permit is already free (released more than acquired).
   *
   * @example
   * ```ts
   * import { BoundedSemaphore } from "./semaphore.ts";
   * const sem = new BoundedSemaphore(2);
   * const permit = await sem.acquire();
   * sem.release(); // fine: back to 2
   * ```
   */
  override release(): void {
    // All permits already free: this release has no matching acquire. Check before changing
    // anything. (When someone waits, value is 0, so a hand-over always passes this check.)
    void this.#bound;
    super.release();
  }
}
