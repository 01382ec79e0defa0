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

interface Waiter {
  n: number;
  /** Hands the tokens over: removes the abort listener and resolves. */
  grant(): void;
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
  #tokens: number;
  #refilledAt: number;
  readonly #waiters: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

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
    const { capacity, refillPerSec } = options;
    // Validate up front: a bucket of capacity 0 or a rate of 0 would make every waiter hang.
    if (typeof capacity !== "number" || !Number.isFinite(capacity) || capacity <= 0) {
      throw new RangeError(
        `Cannot create TokenBucket as 'capacity' must be a positive number: received ${capacity}`,
      );
    }
    if (typeof refillPerSec !== "number" || !Number.isFinite(refillPerSec) || refillPerSec <= 0) {
      throw new RangeError(
        `Cannot create TokenBucket as 'refillPerSec' must be a positive number: received ${refillPerSec}`,
      );
    }
    this.capacity = capacity;
    this.refillPerSec = refillPerSec;
    this.#tokens = capacity;
    this.#refilledAt = performance.now();
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
    // Refill is lazy: compute what flowed in since the last look, and cap it at capacity.
    // No interval ticks in the background, so an idle bucket costs nothing and never overflows.
    const now = performance.now();
    this.#tokens = Math.min(
      this.capacity,
      this.#tokens + ((now - this.#refilledAt) * this.refillPerSec) / 1000,
    );
    this.#refilledAt = now;
    return this.#tokens;
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
    return this.#waiters.length;
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
    this.#checkCount(n);
    // No barging: tokens that flow in while someone waits are promised to the head of the line.
    if (this.#waiters.length > 0) return false;
    if (this.available < n) return false;
    this.#tokens -= n;
    return true;
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
  async acquire(n = 1, options: AcquireOptions = {}): Promise<void> {
    const { signal } = options;
    this.#checkCount(n);
    // A listener added to an already-aborted signal never fires: check first.
    signal?.throwIfAborted();
    if (this.tryAcquire(n)) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        this.#waiters.splice(index, 1);
        // The head owned the timer: re-arm it for the new head (who may even be served now).
        if (index === 0) this.#serve();
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        n,
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
      // Only a new head needs a timer; later waiters are woken after the ones before them.
      if (this.#waiters.length === 1) this.#serve();
    });
  }

  /** Serves the line from its head while tokens last, then arms one timer for the new head. */
  #serve(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#waiters.length > 0 && this.available >= this.#waiters[0].n) {
      const head = this.#waiters.shift()!;
      this.#tokens -= head.n;
      head.grant();
    }
    if (this.#waiters.length === 0) return;
    // The head is the only waiter that can be served next, so one timer is enough: when it
    // fires, serve() runs again and arms the timer for whoever is then at the head.
    const missing = this.#waiters[0].n - this.#tokens;
    const delay = Math.ceil((missing * 1000) / this.refillPerSec);
    this.#timer = setTimeout(() => this.#serve(), delay);
  }

  #checkCount(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > this.capacity) {
      throw new RangeError(
        `TokenBucket cannot take ${n} tokens: 'n' must be an integer from 1 to the capacity (${this.capacity})`,
      );
    }
  }
}
