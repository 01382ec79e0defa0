// GIVEN: an unbounded asyncio.Queue cut down to putNowait/get/qsize, for task 5; you do not edit it
/**
 * An unbounded FIFO queue: the part of exercise 13's Queue that task 5 needs (`put_nowait()`,
 * `get()` and `qsize()` of `asyncio.Queue()` with no maxsize). The water marks of task 5 do the
 * limiting, so nothing here ever waits to put.
 *
 * `get()` works as CPython's does: a getter that finds the queue empty waits to be woken; a put
 * wakes the oldest getter, and the item stays in the queue until that getter runs again and takes
 * it. An abort wins until the getter runs again: a getter woken and then aborted before it ran
 * rejects with the abort reason and passes the wake-up on to the next getter (CPython does it in
 * the `except` branch of `Queue.get`).
 *
 * @module
 */
import { QUEUE } from "../../lib/kit/primitive_specs.ts";
import { watch } from "../../lib/kit/watched.ts";

/** Options of a call that can wait. */
export interface QueueWaitOptions {
  /** Aborting it makes `get()` reject with `signal.reason` and take nothing. */
  signal?: AbortSignal;
}

/**
 * An unbounded FIFO queue with an abortable `get()`.
 *
 * @typeParam T The item type.
 *
 * @example
 * ```ts
 * import { Queue } from "./given_queue.ts";
 * const queue = new Queue<string>();
 * queue.putNowait("a");
 * await queue.get(); // "a"
 * ```
 */
export class Queue<T> {
  readonly #items: T[] = [];
  readonly #getters: (() => void)[] = [];

  /** An empty, unbounded queue. */
  constructor() {
    // If a test deadlocks, this queue says its state and its waiting get() calls
    // (lib/kit/watched.ts). Outside a test's clock this does nothing.
    watch(this, QUEUE, () => ({ get: this.#getters.length }));
  }

  /**
   * How many items are in the queue (an item put for a woken getter counts until it takes it).
   *
   * @returns The number of items.
   */
  qsize(): number {
    return this.#items.length;
  }

  /**
   * Adds an item at the end and wakes the oldest waiting getter, if any. Never waits.
   *
   * @param item The item.
   */
  putNowait(item: T): void {
    this.#items.push(item);
    this.#wakeNext();
  }

  /**
   * Takes the oldest item, waiting while the queue is empty. Getters are served first come,
   * first served.
   *
   * @param opts `signal` aborts the wait: the call rejects with `signal.reason` and takes nothing.
   * @returns The oldest item.
   */
  async get(opts: QueueWaitOptions = {}): Promise<T> {
    const { signal } = opts;
    signal?.throwIfAborted();
    while (this.#items.length === 0) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = this.#getters.indexOf(wake);
          if (index >= 0) this.#getters.splice(index, 1);
          reject(signal!.reason);
        };
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        this.#getters.push(wake);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
      if (signal?.aborted) {
        // Woken, then aborted before it ran: the abort wins, and the wake-up goes on.
        if (this.#items.length > 0) this.#wakeNext();
        throw signal.reason;
      }
    }
    return this.#items.shift() as T;
  }

  #wakeNext(): void {
    this.#getters.shift()?.();
  }
}
