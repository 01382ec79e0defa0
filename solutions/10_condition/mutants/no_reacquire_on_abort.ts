// MUTANT: wait() re-acquires the lock only after a notify; an aborted wait returns without the lock
/**
 * Condition: Python's `asyncio.Condition`, and a bounded buffer built on it.
 *
 * A condition variable lets a task holding a lock wait until some state changes: it releases the
 * lock, sleeps until another task calls `notify()`, and takes the lock back before it continues.
 * The classic use is a bounded buffer: producers wait while it is full, consumers wait while it
 * is empty, and each side notifies the other after changing it.
 *
 * This file holds:
 * - `Lock`: a small FIFO async lock, provided (exercise 06 builds one; this file must stand alone).
 * - `Condition`: `acquire/release/locked` (delegated to its lock), `wait`, `waitFor(predicate)`,
 *   `notify(n)` and `notifyAll()`.
 * - `BoundedBuffer`: `put` and `get` on top of two conditions sharing one lock.
 *
 * @module
 */

/** Options of a call that may block. */
export interface WaitOptions {
  /** Stops waiting: the call rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * Builds the error for an operation in the wrong state (Python's RuntimeError): an Error named
 * "InvalidStateError". A helper you may use.
 *
 * @param message What was wrong.
 * @returns The error.
 *
 * @example
 * ```ts
 * import { invalidState } from "./condition.ts";
 * invalidState("cannot notify on an un-acquired lock").name; // "InvalidStateError"
 * ```
 */
export function invalidState(message: string): Error {
  const error = new Error(message);
  error.name = "InvalidStateError";
  return error;
}

/**
 * A FIFO async lock (provided, complete): `acquire({ signal })` resolves with a Disposable lease,
 * `release()` hands the lock to the oldest waiter.
 *
 * @example
 * ```ts
 * import { Lock } from "./condition.ts";
 * const lock = new Lock();
 * {
 *   using _lease = await lock.acquire();
 * }
 * ```
 */
export class Lock {
  #locked = false;
  readonly #waiters: Array<() => void> = [];

  /**
   * Takes the lock, waiting in line while it is held.
   *
   * @param options `{ signal }`: abort to stop waiting.
   * @returns A lease; disposing it releases the lock (once).
   *
   * @example
   * ```ts
   * import { Lock } from "./condition.ts";
   * const lease = await new Lock().acquire();
   * lease[Symbol.dispose]();
   * ```
   */
  async acquire(options: WaitOptions = {}): Promise<Disposable> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.#locked || this.#waiters.length > 0) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = this.#waiters.indexOf(grant);
          if (index !== -1) this.#waiters.splice(index, 1);
          reject(signal!.reason);
        };
        const grant = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        this.#waiters.push(grant);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    }
    this.#locked = true;
    let released = false;
    return {
      [Symbol.dispose]: () => {
        if (!released) {
          released = true;
          this.release();
        }
      },
    };
  }

  /**
   * Releases the lock: hands it to the oldest waiter, or frees it.
   *
   * @throws An Error named "InvalidStateError" when the lock is not locked.
   *
   * @example
   * ```ts
   * import { Lock } from "./condition.ts";
   * const lock = new Lock();
   * await lock.acquire();
   * lock.release();
   * ```
   */
  release(): void {
    if (!this.#locked) throw invalidState("Lock.release() called on an unlocked lock");
    const next = this.#waiters.shift();
    if (next) next(); // stays locked: the waiter takes it over
    else this.#locked = false;
  }

  /**
   * Whether the lock is held.
   *
   * @returns True while held.
   *
   * @example
   * ```ts
   * import { Lock } from "./condition.ts";
   * new Lock().locked(); // false
   * ```
   */
  locked(): boolean {
    return this.#locked;
  }
}

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
   * when the wait is aborted (then it rejects with `signal.reason` once the lock is back).
   *
   * @param options `{ signal }`: abort to stop waiting.
   * @returns `true`, like Python.
   * @throws An Error named "InvalidStateError" when the lock is not held.
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
    await notified;
    await this.lock.acquire();
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
   * @param n How many to wake (default 1).
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
   * @param options `{ signal }`: abort to stop waiting.
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
   * @param options `{ signal }`: abort to stop waiting.
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
