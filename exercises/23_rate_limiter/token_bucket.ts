// deno-lint-ignore-file no-unused-vars -- the stub does not use its parameters yet; your code will
/**
 * A token-bucket rate limiter: the piece a rate-limited producer (or an API client that must stay
 * under "5 requests per second, bursts of 10") awaits before each call.
 *
 * The bucket holds up to `capacity` tokens and starts full, so an idle client may burst. Tokens
 * flow back continuously at `refillPerSec` (never above `capacity`). `acquire(n)` takes `n`
 * tokens, waiting in a FIFO line when there are not enough; `tryAcquire(n)` never waits.
 * Only the head of the line has a timer: it is the only waiter that can be served next.
 *
 * @module
 */

/** Options of {@linkcode TokenBucket}. */
export interface TokenBucketOptions {
  /** The most tokens the bucket holds (the largest burst). A positive finite number (1.5 is allowed). */
  capacity: number;
  /** Tokens added per second, continuously. A positive finite number (0.5: one token every 2 s). */
  refillPerSec: number;
}

/** Options of {@linkcode TokenBucket.acquire}. */
export interface AcquireOptions {
  /** Gives up waiting: the call rejects with `signal.reason` and leaves the line. */
  signal?: AbortSignal;
}

/**
 * A token bucket with FIFO waiters.
 *
 * @example Pace a producer at 5 items per second after a burst of 5
 * ```ts
 * import { TokenBucket } from "./token_bucket.ts";
 * const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
 * for (let i = 0; i < 10; i++) {
 *   await bucket.acquire(); // 5 at once, then one every 200 ms
 * }
 * ```
 */
export class TokenBucket {
  /** The most tokens the bucket holds. */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly refillPerSec: number;

  /**
   * Creates a full bucket.
   *
   * @param options `{ capacity, refillPerSec }`, both positive numbers.
   * @throws RangeError when an option is not a positive finite number.
   *
   * @example
   * ```ts
   * import { TokenBucket } from "./token_bucket.ts";
   * const bucket = new TokenBucket({ capacity: 10, refillPerSec: 2 });
   * bucket.available; // 10
   * ```
   */
  constructor(options: TokenBucketOptions) {
    this.capacity = options.capacity;
    this.refillPerSec = options.refillPerSec;
    // TODO: validate both options (RangeError for 0, negatives, NaN, Infinity), start full, and remember when you last refilled.
    throw new Error("not implemented: new TokenBucket() (task 2)");
  }

  /**
   * Tokens in the bucket right now (fractional while refilling), at most `capacity`.
   *
   * @example
   * ```ts
   * import { TokenBucket } from "./token_bucket.ts";
   * const bucket = new TokenBucket({ capacity: 2, refillPerSec: 1 });
   * bucket.tryAcquire(2);
   * bucket.available; // 0, and 0.5 half a second later
   * ```
   */
  get available(): number {
    // TODO: add what flowed in since the last refill (elapsed ms * refillPerSec / 1000), capped at capacity.
    throw new Error("not implemented: TokenBucket.available (task 2)");
  }

  /**
   * How many `acquire` calls wait in line.
   *
   * @example
   * ```ts
   * import { TokenBucket } from "./token_bucket.ts";
   * new TokenBucket({ capacity: 1, refillPerSec: 1 }).waiting; // 0
   * ```
   */
  get waiting(): number {
    // TODO: return the length of the line of waiters.
    throw new Error("not implemented: TokenBucket.waiting (task 4)");
  }

  /**
   * Takes `n` tokens if they are there and nobody waits in line; never waits.
   *
   * @param n Tokens to take, an integer from 1 to `capacity`. Default 1.
   * @returns True when the tokens were taken.
   * @throws RangeError when `n` is not an integer in 1..capacity.
   *
   * @example
   * ```ts
   * import { TokenBucket } from "./token_bucket.ts";
   * const bucket = new TokenBucket({ capacity: 1, refillPerSec: 1 });
   * bucket.tryAcquire(); // true
   * bucket.tryAcquire(); // false: empty for the next second
   * ```
   */
  tryAcquire(n = 1): boolean {
    // TODO: check n, refuse while anyone waits (no barging), otherwise take n tokens if available.
    throw new Error("not implemented: TokenBucket.tryAcquire() (task 3)");
  }

  /**
   * Takes `n` tokens, waiting in a FIFO line until they have flowed in.
   *
   * @param n Tokens to take, an integer from 1 to `capacity`. Default 1.
   * @param options `signal` gives up waiting.
   * @returns A promise that resolves once the tokens are taken.
   * @throws RangeError when `n` is not an integer in 1..capacity (it could never be served), and
   *   `signal.reason` when the signal aborts first. Both are rejections of the returned promise,
   *   never synchronous throws. Once served, an abort changes nothing: the tokens are spent.
   *
   * @example Give up after 2 seconds
   * ```ts
   * import { TokenBucket } from "./token_bucket.ts";
   * const bucket = new TokenBucket({ capacity: 5, refillPerSec: 1 });
   * await bucket.acquire(3, { signal: AbortSignal.timeout(2000) });
   * ```
   */
  acquire(n = 1, options: AcquireOptions = {}): Promise<void> {
    // TODO: check n, then queue behind existing waiters; keep ONE timer, for the head, armed for exactly the time its tokens need.
    // TODO: on abort reject with signal.reason, leave the line and re-arm the timer if you were the head; remove the listener once served.
    throw new Error("not implemented: TokenBucket.acquire() (task 4)");
  }
}
