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

import { Semaphore } from "./given_semaphore.ts";

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
  readonly #sem: Semaphore;
  readonly #timer: ReturnType<typeof setInterval>;
  /** Aborted by close(): every waiting and later acquire() rejects with its reason. */
  readonly #closed = new AbortController();

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
    const { limit, windowMs = 1000 } = options;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`WindowLimiter: 'limit' must be a positive integer; received ${limit}`);
    }
    if (!(Number.isFinite(windowMs) && windowMs > 0)) {
      throw new RangeError(
        `WindowLimiter: 'windowMs' must be a positive finite number; received ${windowMs}`,
      );
    }
    this.limit = limit;
    this.windowMs = windowMs;
    this.#sem = new Semaphore(limit);
    // Python: a task running `while True: await asyncio.sleep(1); refill()`.
    this.#timer = setInterval(() => this.#refill(), windowMs);
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
  async acquire(options: { signal?: AbortSignal } = {}): Promise<void> {
    const { signal } = options;
    // One signal for both ways out of the wait: the caller's, and close().
    const stop = signal ? AbortSignal.any([signal, this.#closed.signal]) : this.#closed.signal;
    await this.#sem.acquire({ signal: stop }); // the permit is used up: never given back
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
    if (this.#closed.signal.aborted) return;
    clearInterval(this.#timer);
    const error = new Error("the rate limiter is closed");
    error.name = "InvalidStateError";
    this.#closed.abort(error);
  }

  /** Puts back every permit used in the window that just ended (Python: `rate - sem._value`). */
  #refill(): void {
    for (let used = this.limit - this.#sem.value; used > 0; used--) this.#sem.release();
  }
}
