/**
 * Condition: Python's `asyncio.Condition`, and a bounded buffer built on it.
 *
 * A condition variable lets a task holding a lock wait until some state changes: it releases the
 * lock, sleeps until another task calls `notify()`, and takes the lock back before it continues.
 * The classic use is a bounded buffer: producers wait while it is full, consumers wait while it
 * is empty, and each side notifies the other after changing it.
 *
 * This file holds:
 * - `Lock` (given, in `given_lock.ts`): the FIFO async lock of exercise 08, re-exported here.
 * - `Condition`: `acquire/release/locked` (delegated to its lock), `wait`, `waitFor(predicate)`,
 *   `notify(n)` and `notifyAll()`.
 * - `BoundedBuffer`: `put` and `get` on top of two conditions sharing one lock.
 *
 * @module
 */

import { invalidState, Lock, type WaitOptions } from "./given_lock.ts";

export { invalidState, Lock, type WaitOptions };

/**
 * A condition variable (Python's `asyncio.Condition`).
 *
 * @example Wait until a flag is set
 * ```ts
 * import { Condition } from "./condition.ts";
 * const cond = new Condition();
 * let ready = false;
 * const waiter = (async () => {
 *   using _lease = await cond.acquire();
 *   await cond.waitFor(() => ready);
 * })();
 * {
 *   using _lease = await cond.acquire();
 *   ready = true;
 *   cond.notifyAll();
 * }
 * await waiter;
 * ```
 */
export class Condition {
  /** The lock this condition uses (shared when passed to the constructor). */
  readonly lock: Lock;
  readonly #waiters: Array<() => void> = [];

  /**
   * @param lock A lock to share with other conditions; a new one by default.
   */
  constructor(lock: Lock = new Lock()) {
    this.lock = lock;
  }

  /**
   * Acquires the underlying lock.
   *
   * @param options `{ signal }`.
   * @returns A Disposable lease of the lock.
   *
   * @example
   * ```ts
   * import { Condition } from "./condition.ts";
   * const cond = new Condition();
   * using _lease = await cond.acquire();
   * ```
   */
  acquire(options: WaitOptions = {}): Promise<Disposable> {
    return this.lock.acquire(options);
  }

  /**
   * Releases the underlying lock.
   *
   * @example
   * ```ts
   * import { Condition } from "./condition.ts";
   * const cond = new Condition();
   * await cond.acquire();
   * cond.release();
   * ```
   */
  release(): void {
    this.lock.release();
  }

  /**
   * Whether the underlying lock is held.
   *
   * @returns True while held.
   *
   * @example
   * ```ts
   * import { Condition } from "./condition.ts";
   * new Condition().locked(); // false
   * ```
   */
  locked(): boolean {
    return this.lock.locked();
  }

  /**
   * Releases the lock, waits for `notify()`, and re-acquires the lock before returning, also
   * when the wait is aborted (then it rejects with `signal.reason` once the lock is back). An
   * abort that comes after `notify()` woke this waiter, before `wait()` returned, still wins: the
   * wake-up goes to the next waiter.
   *
   * @param options `{ signal }`: abort to stop waiting.
   * @returns `true`, like Python. Rejects with an Error named "InvalidStateError" when the lock
   *   is not held (a rejected promise, not a synchronous throw).
   *
   * @example
   * ```ts
   * import { Condition } from "./condition.ts";
   * const cond = new Condition();
   * using _lease = await cond.acquire();
   * await cond.wait(); // until another task calls cond.notify()
   * ```
   */
  async wait(options: WaitOptions = {}): Promise<true> {
    const { signal } = options;
    if (!this.locked()) throw invalidState("cannot wait on an un-acquired lock");
    signal?.throwIfAborted(); // still holding the lock: nothing to undo
    // Register as a waiter *before* releasing, so a notify right after the release reaches us.
    let onAbort: (() => void) | undefined;
    const notified = new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener("abort", onAbort!);
        resolve();
      };
      onAbort = () => {
        const index = this.#waiters.indexOf(wake);
        if (index !== -1) this.#waiters.splice(index, 1);
        reject(signal!.reason);
      };
      this.#waiters.push(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    this.release();
    try {
      await notified;
    } finally {
      // Whatever happened, the caller gets the lock back: its `using` block will release it.
      // (Not abortable: the caller's signal may be the very one that just aborted.)
      await this.lock.acquire();
    }
    // Notified, and the lock is back. An abort that came after notify() picked this waiter
    // still wins (the course-wide late-abort rule, as in CPython): reject with the reason, and
    // pass the wake-up on to the next waiter so that the notify is not lost.
    if (signal?.aborted) {
      this.notify(1);
      throw signal.reason;
    }
    return true;
  }

  /**
   * Waits until `predicate()` is truthy and returns its value. Checks it first, without waiting.
   *
   * @typeParam T What the predicate returns.
   * @param predicate Reads the shared state (called with the lock held).
   * @param options `{ signal }`: abort to stop waiting.
   * @returns The predicate's truthy value.
   *
   * @example
   * ```ts
   * import { Condition } from "./condition.ts";
   * const cond = new Condition();
   * const queue: number[] = [1];
   * using _lease = await cond.acquire();
   * const n = await cond.waitFor(() => queue.length); // 1, at once
   * ```
   */
  async waitFor<T>(predicate: () => T, options: WaitOptions = {}): Promise<T> {
    // Check before waiting: the state may already be right, and nobody would notify us.
    let result = predicate();
    while (!result) {
      await this.wait(options);
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` waiting tasks, oldest first. Each continues once it can re-acquire the lock.
   *
   * @param n How many to wake (default 1; 0 or less wakes nobody; more than are waiting wakes all).
   * @throws An Error named "InvalidStateError" when the lock is not held.
   *
   * @example
   * ```ts
   * import { Condition } from "./condition.ts";
   * const cond = new Condition();
   * using _lease = await cond.acquire();
   * cond.notify(2);
   * ```
   */
  notify(n = 1): void {
    // Python raises RuntimeError: a notify outside the lock races with the state it announces.
    if (!this.locked()) throw invalidState("cannot notify on an un-acquired lock");
    for (let i = 0; i < n && this.#waiters.length > 0; i++) this.#waiters.shift()!();
  }

  /**
   * Wakes every waiting task.
   *
   * @throws An Error named "InvalidStateError" when the lock is not held.
   *
   * @example
   * ```ts
   * import { Condition } from "./condition.ts";
   * const cond = new Condition();
   * using _lease = await cond.acquire();
   * cond.notifyAll();
   * ```
   */
  notifyAll(): void {
    this.notify(this.#waiters.length);
  }
}

/**
 * A fixed-capacity FIFO buffer for producers and consumers, built on two conditions that share
 * one lock: `put` waits while it is full, `get` waits while it is empty.
 *
 * @typeParam T The item type.
 *
 * @example
 * ```ts
 * import { BoundedBuffer } from "./condition.ts";
 * const buffer = new BoundedBuffer<number>(2);
 * await buffer.put(1);
 * await buffer.get(); // 1
 * ```
 */
export class BoundedBuffer<T> {
  readonly capacity: number;
  readonly #items: T[] = [];
  readonly #lock = new Lock();
  readonly #notFull = new Condition(this.#lock);
  readonly #notEmpty = new Condition(this.#lock);

  /**
   * @param capacity The most items it holds (an integer >= 1).
   * @throws RangeError for a capacity below 1 or not an integer.
   */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`BoundedBuffer needs an integer capacity >= 1; received ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** Items in the buffer now. */
  get size(): number {
    return this.#items.length;
  }

  /**
   * Adds an item, waiting while the buffer is full.
   *
   * @param item The item.
   * @param options `{ signal }`: abort to stop waiting (an aborted put adds nothing).
   *
   * @example
   * ```ts
   * import { BoundedBuffer } from "./condition.ts";
   * await new BoundedBuffer<string>(1).put("a");
   * ```
   */
  async put(item: T, options: WaitOptions = {}): Promise<void> {
    // Under the lock: wait for room, add, and tell one consumer.
    using _lease = await this.#lock.acquire(options);
    await this.#notFull.waitFor(() => this.#items.length < this.capacity, options);
    this.#items.push(item);
    this.#notEmpty.notify();
  }

  /**
   * Removes the oldest item, waiting while the buffer is empty.
   *
   * @param options `{ signal }`: abort to stop waiting (an aborted get takes nothing).
   * @returns The oldest item.
   *
   * @example
   * ```ts
   * import { BoundedBuffer } from "./condition.ts";
   * const buffer = new BoundedBuffer<string>(1);
   * await buffer.put("a");
   * await buffer.get(); // "a"
   * ```
   */
  async get(options: WaitOptions = {}): Promise<T> {
    using _lease = await this.#lock.acquire(options);
    await this.#notEmpty.waitFor(() => this.#items.length > 0, options);
    const item = this.#items.shift()!;
    this.#notFull.notify();
    return item;
  }
}
