/**
 * Semaphore: Python's `asyncio.Semaphore` and `asyncio.BoundedSemaphore`.
 *
 * A semaphore holds a number of permits. `acquire()` takes one (waiting while there are none),
 * `release()` gives one back. With `new Semaphore(3)`, at most three tasks hold a permit at once:
 * the classic way to say "at most 3 downloads at a time" while still starting all ten.
 *
 * Waiters are served first come, first served, and a release hands its permit straight to the
 * oldest waiter, so a task that arrives just after a release cannot jump the queue (no barging);
 * the woken waiter keeps its place until it has resumed. An abort wins until the waiter resumes,
 * even after the hand-over: the permit then goes to the next waiter (the course's late-abort rule,
 * as in CPython). A `BoundedSemaphore` also refuses to be released more often than acquired.
 *
 * @module
 */

/** Options of a call that may block. */
export interface AcquireOptions {
  /** Stops waiting: the call rejects with `signal.reason` and leaves the queue. */
  signal?: AbortSignal;
}

/**
 * A task waiting for a permit. It stays in the queue after `release()` handed it a permit
 * (`granted`) until it resumes, so that `locked()` stays true and newcomers queue behind it.
 */
interface Waiter {
  granted: boolean;
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
      throw new RangeError(
        `Cannot create a semaphore: value must be an integer >= 0; received ${value}`,
      );
    }
    this.#value = value;
  }

  /**
   * Permits free right now: held by nobody and not handed to a waiter. It can be above 0 while
   * `locked()` is true: a waiter that `release()` handed a permit has not resumed yet, and the
   * free permits wait for the tasks queued behind it (as CPython's `_value`).
   */
  get value(): number {
    return this.#value;
  }

  /**
   * Whether `acquire()` would have to wait: no free permit, or someone queued (also a waiter
   * that `release()` handed a permit and that has not resumed yet).
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
    // As CPython: no free permit, or someone queued. A waiter that release() handed a permit
    // still counts until it has resumed: a newcomer must not overtake it.
    return this.#value === 0 || this.#waiters.length > 0;
  }

  /**
   * Waits for a permit and takes it. Resolves with a lease that gives the permit back when
   * disposed (disposing twice releases once).
   *
   * @param options `{ signal }`: abort to stop waiting (rejects with `signal.reason`). An abort
   * wins until the call resumes: also after `release()` handed it a permit, which then goes to
   * the next waiter (or back to the free permits).
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
    if (!this.locked()) {
      this.#value--;
      return this.#lease();
    }
    let onAbort = () => {};
    const waiter: Waiter = { granted: false, grant: () => {} };
    try {
      await new Promise<void>((resolve, reject) => {
        onAbort = () => {
          if (waiter.granted) return; // handed a permit already: dealt with when we resume
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          this.#wakeWhileFree(); // we may have been all that kept a free permit from others
          reject(signal!.reason);
        };
        waiter.grant = () => {
          waiter.granted = true;
          resolve();
        };
        this.#waiters.push(waiter);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    // release() handed us its permit directly: #value was never incremented for it.
    this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
    if (signal?.aborted) {
      // Aborted after the hand-over but before we resumed: as in CPython, the abort wins and
      // the permit goes to the next waiter, or back to the free permits.
      this.#value++;
      this.#wakeWhileFree();
      throw signal.reason;
    }
    // Newcomers may have queued behind us while we were waking up: let in as many as are free.
    this.#wakeWhileFree();
    return this.#lease();
  }

  /**
   * Takes a permit only if `acquire()` would not wait (`locked()` is false): one is free and
   * nobody is queued.
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
    if (this.locked()) return null;
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
    // Hand the permit straight to the oldest waiter not yet served; count it as free only when
    // there is none. (Incrementing and letting the waiter decrement later would let a newcomer
    // barge in.)
    this.#value++;
    this.#wakeNext();
  }

  /**
   * Runs `fn` while holding a permit, and gives it back afterwards, also when `fn` throws.
   *
   * @typeParam T What `fn` resolves with.
   * @param fn The work. A throw inside it, also a synchronous one, rejects the returned promise.
   * @param options `{ signal }`: abort to stop waiting for a permit (rejects with `signal.reason`,
   * and `fn` never runs). Once `fn` runs, an abort does not cut it off.
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

  /** Hands one free permit to the oldest waiter not yet served. False when there is none. */
  #wakeNext(): boolean {
    const next = this.#waiters.find((w) => !w.granted);
    if (!next) return false;
    this.#value--;
    next.grant();
    return true;
  }

  /** Hands free permits to waiters while both remain. */
  #wakeWhileFree(): void {
    while (this.#value > 0 && this.#wakeNext());
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
    if (this.value >= this.#bound) {
      throw new RangeError(
        `BoundedSemaphore released too many times: all ${this.#bound} permits are already free`,
      );
    }
    super.release();
  }
}
