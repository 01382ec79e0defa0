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
 * Another correct style: waiters are records in an insertion-ordered Set with an explicit state
 * (waiting, notified, aborted), wait() is a promise chain instead of async/try/finally, and the
 * buffer loops on wait() under try/finally instead of waitFor() with `using`.
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
  /** Waiter records, oldest first. A record leaves the set when notified or aborted. */
  readonly #waiting = new Set<Waiting>();

  /**
   * @param lock A lock to share with other conditions; a new one by default.
   */
  constructor(lock: Lock = new Lock()) {
    this.lock = lock;
  }

  /** Acquires the underlying lock. */
  acquire(options: WaitOptions = {}): Promise<Disposable> {
    return this.lock.acquire(options);
  }

  /** Releases the underlying lock. */
  release(): void {
    this.lock.release();
  }

  /** Whether the underlying lock is held. */
  locked(): boolean {
    return this.lock.locked();
  }

  /** Waits for notify(); see the exercise's README. */
  wait(options: WaitOptions = {}): Promise<true> {
    const { signal } = options;
    if (!this.locked()) return Promise.reject(invalidState("wait() needs the lock"));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const record: Waiting = { state: "waiting", wake: () => {} };
    const woken = new Promise<void>((resolve) => (record.wake = resolve));
    const onAbort = () => {
      if (record.state !== "waiting") return; // notified already: decided after the re-acquire
      record.state = "aborted";
      this.#waiting.delete(record);
      record.wake();
    };
    this.#waiting.add(record);
    signal?.addEventListener("abort", onAbort);
    this.release();
    return woken
      .then(() => {
        signal?.removeEventListener("abort", onAbort);
        return this.lock.acquire();
      })
      .then(() => {
        if (record.state === "aborted") throw signal!.reason;
        if (signal?.aborted) {
          this.#wakeOne(); // the notify this waiter got goes to the next one
          throw signal.reason;
        }
        return true as const;
      });
  }

  /** Loops on wait() until the predicate holds. */
  async waitFor<T>(predicate: () => T, options: WaitOptions = {}): Promise<T> {
    for (;;) {
      const value = predicate();
      if (value) return value;
      await this.wait(options);
    }
  }

  #wakeOne(): boolean {
    for (const record of this.#waiting) {
      this.#waiting.delete(record);
      record.state = "notified";
      record.wake();
      return true;
    }
    return false;
  }

  /** Wakes up to n waiters, oldest first. */
  notify(n = 1): void {
    if (!this.locked()) throw invalidState("notify() needs the lock");
    let left = n;
    while (left > 0 && this.#wakeOne()) left--;
  }

  /** Wakes every waiter. */
  notifyAll(): void {
    this.notify(Infinity);
  }
}

/** One waiting call of wait(). */
interface Waiting {
  state: "waiting" | "notified" | "aborted";
  wake: () => void;
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
    const lease = await this.#lock.acquire(options);
    try {
      while (this.#items.length >= this.capacity) await this.#notFull.wait(options);
      this.#items.push(item);
      this.#notEmpty.notify();
    } finally {
      lease[Symbol.dispose]();
    }
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
    const lease = await this.#lock.acquire(options);
    try {
      while (this.#items.length === 0) await this.#notEmpty.wait(options);
      const [item] = this.#items.splice(0, 1);
      this.#notFull.notify();
      return item;
    } finally {
      lease[Symbol.dispose]();
    }
  }
}
