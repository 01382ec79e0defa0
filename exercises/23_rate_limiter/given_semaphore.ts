// GIVEN: a FIFO semaphore with exercise 11's API (acquire, release, value); you do not edit it
/**
 * A counting semaphore: `acquire()` takes a permit, waiting (first in, first out) while none is
 * free; `release()` adds one. It behaves like exercise 11's `Semaphore` (no `tryAcquire`, no
 * bound): a release hands its permit straight to the oldest waiter, and an aborted waiter leaves
 * the queue without losing a permit (an abort that comes after the hand-over but before the
 * waiter resumed passes the permit on). `value` counts the free permits, like Python's `_value`.
 *
 * Here it is a bag of tokens: `acquire()` uses one up (the caller never gives it back) and the
 * rate limiter's refill puts them back with `release()`.
 *
 * @example
 * ```ts
 * import { Semaphore } from "./given_semaphore.ts";
 * const sem = new Semaphore(5);
 * await sem.acquire({ signal }); // one of the 5 permits is used up
 * sem.value; // 4
 * sem.release(); // put back: to the oldest waiter, or to the free permits
 * ```
 *
 * @module
 */

/** A queued acquire(): `wake()` hands it a permit. */
interface Waiter {
  woken: boolean;
  wake: () => void;
}

/** A FIFO counting semaphore. */
export class Semaphore {
  #free: number;
  readonly #queue: Waiter[] = [];

  /**
   * @param value The number of permits, an integer >= 1.
   * @throws RangeError for any other value.
   */
  constructor(value: number) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`Semaphore needs an integer >= 1; received ${value}`);
    }
    this.#free = value;
  }

  /**
   * Waits for a permit (FIFO) and takes it.
   *
   * @param options `{ signal }`: an abort before the call resumes rejects it with `signal.reason`
   *   and leaves the queue (a permit it was handed goes to the next waiter).
   * @returns A permit; disposing it (once) gives it back.
   */
  async acquire(options: { signal?: AbortSignal } = {}): Promise<Disposable> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.#free > 0 && this.#queue.length === 0) {
      this.#free--;
      return this.#permit();
    }
    const waiter: Waiter = { woken: false, wake: () => {} };
    let onAbort = () => {};
    try {
      await new Promise<void>((resolve, reject) => {
        waiter.wake = () => {
          waiter.woken = true;
          resolve();
        };
        onAbort = () => {
          if (waiter.woken) return;
          this.#queue.splice(this.#queue.indexOf(waiter), 1);
          reject(signal!.reason);
        };
        this.#queue.push(waiter);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    this.#queue.splice(this.#queue.indexOf(waiter), 1);
    if (signal?.aborted) {
      this.release(); // handed a permit, but aborted before resuming: pass it on
      throw signal.reason;
    }
    while (this.#free > 0 && this.#wakeNext()) this.#free--;
    return this.#permit();
  }

  /** Free permits: neither held nor handed to a waiter (Python's `_value`). */
  get value(): number {
    return this.#free;
  }

  /** Gives a permit back: to the oldest waiter not yet woken, or to the free permits. */
  release(): void {
    if (!this.#wakeNext()) this.#free++;
  }

  #wakeNext(): boolean {
    const next = this.#queue.find((w) => !w.woken);
    next?.wake();
    return next !== undefined;
  }

  #permit(): Disposable {
    let given = false;
    return {
      [Symbol.dispose]: () => {
        if (given) return;
        given = true;
        this.release();
      },
    };
  }
}
