// deno-lint-ignore-file no-unused-vars -- the stub does not use its parameters yet; your code will
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
  /**
   * @param value The number of permits (an integer >= 0). Default 1.
   * @throws RangeError for a negative or non-integer value (Python raises ValueError).
   */
  constructor(value = 1) {
    // TODO: reject a value that is not an integer >= 0 with RangeError, then set up the free-permit count and a FIFO queue of waiters
    throw new Error("not implemented: new Semaphore() (task 1)");
  }

  /**
   * Permits free right now: held by nobody and not handed to a waiter. It can be above 0 while
   * `locked()` is true: a waiter that `release()` handed a permit has not resumed yet, and the
   * free permits wait for the tasks queued behind it (as CPython's `_value`).
   */
  get value(): number {
    // TODO: return the number of free permits (held by nobody, not handed to a waiter)
    throw new Error("not implemented: Semaphore.value (task 1)");
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
    // TODO: true when a new acquire() would have to wait: no free permit, or anyone still queued (a waiter handed a permit counts until it resumed)
    throw new Error("not implemented: Semaphore.locked() (task 1)");
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
  acquire(options: AcquireOptions = {}): Promise<Disposable> {
    // TODO: take a free permit when locked() is false; otherwise queue (FIFO) until release() hands you one; honour the signal, also when it aborts after the hand-over but before you resume
    throw new Error("not implemented: Semaphore.acquire() (task 1)");
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
    // TODO: take a permit only when acquire() would not wait; otherwise return null
    throw new Error("not implemented: Semaphore.tryAcquire() (task 2)");
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
    // TODO: hand the permit straight to the oldest waiter not yet served, or count it as free when there is none
    throw new Error("not implemented: Semaphore.release() (task 1)");
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
  runExclusive<T>(fn: () => Promise<T> | T, options: AcquireOptions = {}): Promise<T> {
    // TODO: acquire a permit (with the signal), run fn, and give the permit back on every path
    throw new Error("not implemented: Semaphore.runExclusive() (task 2)");
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
  /**
   * @param value The number of permits and the most there may ever be free (an integer >= 0).
   * @throws RangeError for a negative or non-integer value.
   */
  constructor(value = 1) {
    super(value);
    // TODO: remember the initial value as the bound
    throw new Error("not implemented: new BoundedSemaphore() (task 3)");
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
    // TODO: throw RangeError when every permit is already free, before changing anything; otherwise release as usual
    throw new Error("not implemented: BoundedSemaphore.release() (task 3)");
  }
}
