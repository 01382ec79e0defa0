/**
 * The tutorial's rate limiter: a semaphore of `limit` permits that a timer refills every
 * `windowMs`. Each `acquire()` uses a permit up (nobody gives it back); at every window edge the
 * refill puts back as many permits as were used, so at most `limit` calls pass per window.
 *
 * It works, and it is how many programs start. Its faults are why `token_bucket.ts` exists: a
 * burst of up to `2 * limit` calls across a window edge, a timer that ticks every window even
 * when nobody calls, and waits that depend on where in the window a caller arrives (1 ms or
 * 999 ms for the same call), with every waiter released together at the edge.
 *
 * @module
 */

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** Options of {@linkcode WindowLimiter}. */
export interface WindowLimiterOptions {
  /** Calls allowed per window: a positive integer. */
  limit: number;
  /** The window, in ms: a positive finite number. Default 1000 (one second). */
  windowMs?: number;
}

/**
 * At most `limit` acquisitions per fixed window, refilled by a timer.
 *
 * @example
 * ```ts
 * import { WindowLimiter } from "./window_limiter.ts";
 * const limiter = new WindowLimiter({ limit: 5 }); // 5 calls per second
 * try {
 *   for (const url of urls) {
 *     await limiter.acquire();
 *     void fetch(url);
 *   }
 * } finally {
 *   limiter.close(); // stop the refill timer
 * }
 * ```
 */
export class WindowLimiter {
  /** Calls allowed per window. */
  readonly limit: number;
  /** The window, in ms. */
  readonly windowMs: number;
  #left: number;
  #queue: Waiter[] = [];
  #tick: ReturnType<typeof setTimeout> | undefined;
  #closedError: Error | undefined;

  /**
   * Starts the limiter with a full window and its refill timer.
   *
   * @param options `{ limit, windowMs }`.
   * @throws RangeError when `limit` is not a positive integer or `windowMs` not a positive finite
   *   number.
   *
   * @example
   * ```ts
   * import { WindowLimiter } from "./window_limiter.ts";
   * const limiter = new WindowLimiter({ limit: 10, windowMs: 60_000 }); // 10 per minute
   * limiter.close();
   * ```
   */
  constructor(options: WindowLimiterOptions) {
    const limit = options.limit;
    const windowMs = options.windowMs === undefined ? 1000 : options.windowMs;
    if (!(Number.isSafeInteger(limit) && limit > 0)) throw new RangeError(`bad limit ${limit}`);
    if (!(windowMs > 0 && windowMs !== Infinity)) throw new RangeError(`bad windowMs ${windowMs}`);
    this.limit = limit;
    this.windowMs = windowMs;
    this.#left = limit;
    this.#schedule();
  }

  /**
   * Uses up one permit of the current window, waiting (first in, first out) for the next window
   * when none is left.
   *
   * @param options `signal` gives up waiting: the call rejects with `signal.reason` and its place
   *   goes to the next caller.
   * @returns A promise that resolves once the call may proceed.
   * @throws An Error named "InvalidStateError" once the limiter is closed (also for a call that was
   *   waiting when close() was called).
   *
   * @example
   * ```ts
   * import { WindowLimiter } from "./window_limiter.ts";
   * const limiter = new WindowLimiter({ limit: 1 });
   * await limiter.acquire({ signal: AbortSignal.timeout(5000) });
   * limiter.close();
   * ```
   */
  acquire(options: { signal?: AbortSignal } = {}): Promise<void> {
    const signal = options.signal;
    if (this.#closedError) return Promise.reject(this.#closedError);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#left > 0 && this.#queue.length === 0) {
      this.#left--;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          this.#queue = this.#queue.filter((w) => w !== waiter);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
    });
  }

  /**
   * Stops the refill timer. Waiting and later `acquire()` calls reject with an InvalidStateError.
   * Calling it again does nothing.
   *
   * @example
   * ```ts
   * import { WindowLimiter } from "./window_limiter.ts";
   * const limiter = new WindowLimiter({ limit: 5 });
   * limiter.close();
   * ```
   */
  close(): void {
    if (this.#closedError) return;
    clearTimeout(this.#tick);
    this.#closedError = Object.assign(new Error("closed"), { name: "InvalidStateError" });
    for (const w of this.#queue.splice(0)) {
      if (w.onAbort) w.signal!.removeEventListener("abort", w.onAbort);
      w.reject(this.#closedError);
    }
  }

  #schedule(): void {
    this.#tick = setTimeout(() => {
      this.#left = this.limit;
      while (this.#left > 0 && this.#queue.length > 0) {
        const w = this.#queue.shift()!;
        if (w.onAbort) w.signal!.removeEventListener("abort", w.onAbort);
        this.#left--;
        w.resolve();
      }
      this.#schedule();
    }, this.windowMs);
  }
}
