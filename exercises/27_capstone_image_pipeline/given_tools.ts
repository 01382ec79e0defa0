// GIVEN: HttpError, an abortable sleep and the queue between two stages; you do not edit it
/**
 * What the capstone gives, complete: `HttpError` (a response that is not 200), an abortable
 * `sleep(ms, signal)`, and `StageQueue`, the bounded FIFO queue that connects two stages of the
 * pipeline (asyncio's `Queue(maxsize)` with 3.13's `shutdown()`, in the course's shape).
 *
 * @example
 * ```ts
 * import { sleep, StageQueue } from "./given_tools.ts";
 * const queue = new StageQueue<string>(2);
 * await queue.put("a");
 * queue.close(); // no more puts; what is queued can still be taken
 * await queue.get(); // { done: false, value: "a" }
 * await queue.get(); // { done: true, value: undefined }
 * await sleep(100);
 * ```
 *
 * @module
 */

/**
 * A response that is not 200. Not retried: asking again will not make a missing image appear.
 *
 * @example
 * ```ts
 * import { HttpError } from "./given_tools.ts";
 * new HttpError("https://img.test/x.png", 404).status; // 404
 * ```
 */
export class HttpError extends Error {
  override name = "HttpError";
  /** The response's status. */
  readonly status: number;
  /**
   * @param url The URL requested.
   * @param status The status it answered.
   */
  constructor(url: string, status: number) {
    super(`GET ${url} answered ${status}`);
    this.status = status;
  }
}

/**
 * Sleeps `ms` (virtual time under the test clock); rejects with `signal.reason` and clears its
 * timer when `signal` aborts.
 *
 * @param ms Delay in ms.
 * @param signal Optional abort signal.
 * @returns A promise that resolves after the delay.
 *
 * @example
 * ```ts
 * import { sleep } from "./given_tools.ts";
 * await sleep(100, AbortSignal.timeout(1000));
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Options of a call that may wait. */
export interface WaitOptions {
  /** Stops waiting: the call rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** A task waiting in `get()` or `put()`; `wake()` tells it to look again. */
interface Waiter {
  woken: boolean;
  wake: () => void;
}

/**
 * A bounded FIFO queue between two stages. `put()` waits while the queue is full (that is the
 * back-pressure that holds a fast stage back), `get()` waits while it is empty, and `close()`
 * ends it: later puts fail, and `get()` returns `{ done: true }` once what was queued is taken.
 * Waiting is abortable, with the course's late-abort rule: an abort wins until the waiter has
 * resumed, and a wake-up it received goes to the next waiter.
 *
 * @typeParam T The item type.
 *
 * @example
 * ```ts
 * import { StageQueue } from "./given_tools.ts";
 * const queue = new StageQueue<number>(1);
 * await queue.put(1);
 * const full = queue.put(2); // waits: the queue holds 1 item at most
 * await queue.get(); // { done: false, value: 1 }, and the put above goes through
 * await full;
 * ```
 */
export class StageQueue<T> {
  readonly #items: T[] = [];
  readonly #maxsize: number;
  readonly #getters: Waiter[] = [];
  readonly #putters: Waiter[] = [];
  #closed = false;

  /**
   * @param maxsize The most items it holds: an integer >= 1, or Infinity (the default).
   * @throws RangeError for anything else.
   */
  constructor(maxsize = Infinity) {
    if (!(maxsize === Infinity || (Number.isInteger(maxsize) && maxsize >= 1))) {
      throw new RangeError(
        `StageQueue: maxsize must be an integer >= 1 or Infinity; received ${maxsize}`,
      );
    }
    this.#maxsize = maxsize;
  }

  /** Items in the queue now. */
  get size(): number {
    return this.#items.length;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Adds an item, waiting while the queue is full.
   *
   * @param item The item.
   * @param options `signal` stops waiting (rejects with `signal.reason`; the item is not added).
   * @throws an Error named "InvalidStateError" when the queue is closed (also while waiting).
   */
  async put(item: T, options: WaitOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    while (!this.#closed && this.#items.length >= this.#maxsize) {
      await this.#wait(this.#putters, options.signal);
    }
    if (this.#closed) {
      throw Object.assign(new Error("StageQueue.put() on a closed queue"), {
        name: "InvalidStateError",
      });
    }
    this.#items.push(item);
    this.#wakeOne(this.#getters);
  }

  /**
   * Takes the oldest item, waiting while the queue is empty and open.
   *
   * @param options `signal` stops waiting (rejects with `signal.reason`; no item is taken).
   * @returns `{ done: false, value }`, or `{ done: true }` once the queue is closed and empty.
   */
  async get(options: WaitOptions = {}): Promise<IteratorResult<T, undefined>> {
    options.signal?.throwIfAborted();
    while (this.#items.length === 0) {
      if (this.#closed) return { done: true, value: undefined };
      await this.#wait(this.#getters, options.signal);
    }
    const value = this.#items.shift() as T;
    this.#wakeOne(this.#putters); // a slot is free
    return { done: false, value };
  }

  /** No more puts: waiting putters fail, getters take what is left and then get `{ done: true }`. */
  close(): void {
    this.#closed = true;
    for (const waiter of [...this.#getters, ...this.#putters]) this.#wake(waiter);
  }

  #wakeOne(list: Waiter[]): void {
    const next = list.find((waiter) => !waiter.woken);
    if (next) this.#wake(next);
  }

  #wake(waiter: Waiter): void {
    waiter.woken = true;
    waiter.wake();
  }

  /** Waits until woken; an abort before resuming passes the wake-up on (late-abort rule). */
  async #wait(list: Waiter[], signal: AbortSignal | undefined): Promise<void> {
    const waiter: Waiter = { woken: false, wake: () => {} };
    let onAbort = () => {};
    try {
      await new Promise<void>((resolve, reject) => {
        waiter.wake = resolve;
        onAbort = () => {
          if (!waiter.woken) reject(signal!.reason);
        };
        list.push(waiter);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    } finally {
      list.splice(list.indexOf(waiter), 1);
      signal?.removeEventListener("abort", onAbort);
    }
    if (signal?.aborted) {
      if (waiter.woken) this.#wakeOne(list); // the wake-up was ours: give it to the next waiter
      throw signal.reason;
    }
  }
}
