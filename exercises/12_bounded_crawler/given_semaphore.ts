// GIVEN: a FIFO semaphore with exercise 11's API (acquire, release, runExclusive); you do not edit it
/**
 * A counting semaphore: at most `value` permits are held at once; `acquire()` waits (first in,
 * first out) while none is free. It behaves like exercise 11's `Semaphore` (no `tryAcquire`, no
 * bound): a release hands its permit straight to the oldest waiter, and an aborted waiter leaves
 * the queue without losing a permit.
 *
 * @example
 * ```ts
 * import { Semaphore } from "./given_semaphore.ts";
 * const sem = new Semaphore(5);
 * {
 *   using _permit = await sem.acquire({ signal }); // Python: async with sem:
 *   // ... at most 5 tasks run this block at once ...
 * }
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

  /** Gives a permit back: to the oldest waiter not yet woken, or to the free permits. */
  release(): void {
    if (!this.#wakeNext()) this.#free++;
  }

  /**
   * Runs `fn` while holding a permit, and gives it back on every path.
   *
   * @param fn The work.
   * @param options `{ signal }` for the wait (not for `fn`).
   * @returns What `fn` returned.
   */
  async runExclusive<T>(
    fn: () => Promise<T> | T,
    options: { signal?: AbortSignal } = {},
  ): Promise<T> {
    using _permit = await this.acquire(options);
    return await fn();
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
