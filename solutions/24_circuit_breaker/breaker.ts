/**
 * A circuit breaker: it wraps calls to a flaky dependency and, after too many consecutive
 * failures, stops calling it for a while so the dependency can recover and callers fail fast.
 *
 *     closed ──(failureThreshold consecutive failures)──> open
 *     open ──(resetTimeoutMs later)──> half-open
 *     half-open ──(halfOpenMaxCalls trial successes)──> closed
 *     half-open ──(one trial failure)──> open, with a fresh timeout
 *
 * Time is read from `performance.now()` (monotonic, like asyncio's `loop.time()`); the breaker
 * keeps no timers: the move from open to half-open happens at the first look (`state` or `call`)
 * at or after the instant it is due.
 *
 * @module
 */

import { CircuitOpenError } from "./given_errors.ts";

export { CircuitOpenError };

/** The three states of a breaker. */
export type CircuitState = "closed" | "open" | "half-open";

/** Options of {@linkcode CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open a closed circuit. A positive integer. */
  failureThreshold: number;
  /** How long the circuit stays open before it lets trial calls through, in ms. A positive finite number. */
  resetTimeoutMs: number;
  /** Trial calls admitted while half-open; that many successes close it. A positive integer, default 1. */
  halfOpenMaxCalls?: number;
  /** Told once about every state change, right after it happened (`state` already reads `to`). */
  onStateChange?: (from: CircuitState, to: CircuitState) => void;
}

/** Options of {@linkcode CircuitBreaker.call}. */
export interface CallOptions {
  /** Passed on to `fn`; a call aborted through it is neither a success nor a failure. */
  signal?: AbortSignal;
}

/**
 * A circuit breaker with closed, open and half-open states.
 *
 * @example Protect calls to a flaky service
 * ```ts
 * import { CircuitBreaker, CircuitOpenError } from "./breaker.ts";
 * const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 10_000 });
 * try {
 *   const user = await breaker.call((signal) => fetch("https://api.example/user/1", { signal }));
 * } catch (e) {
 *   if (e instanceof CircuitOpenError) console.log("service is down, using the cache");
 * }
 * ```
 */
export class CircuitBreaker {
  readonly failureThreshold: number;
  readonly resetTimeoutMs: number;
  readonly halfOpenMaxCalls: number;
  readonly #onStateChange: ((from: CircuitState, to: CircuitState) => void) | undefined;
  #state: CircuitState = "closed";
  /** Consecutive failures while closed. */
  #failures = 0;
  /** `performance.now()` when the circuit last opened. */
  #openedAt = 0;
  /** Trial calls admitted in this half-open period (running or succeeded). */
  #trials = 0;
  /** Trial calls that succeeded in this half-open period. */
  #trialSuccesses = 0;
  /** Bumped on every state change: a call's outcome counts only in the period it started in. */
  #period = 0;

  /**
   * Creates a closed breaker.
   *
   * @param options Thresholds and the state-change listener.
   * @throws RangeError when `failureThreshold` or `halfOpenMaxCalls` is not a positive integer,
   *   or `resetTimeoutMs` not a positive finite number (NaN, Infinity, 0 and negatives included).
   *
   * @example
   * ```ts
   * import { CircuitBreaker } from "./breaker.ts";
   * const breaker = new CircuitBreaker({ failureThreshold: 5, resetTimeoutMs: 30_000, halfOpenMaxCalls: 2 });
   * breaker.state; // "closed"
   * ```
   */
  constructor(options: CircuitBreakerOptions) {
    const { failureThreshold, resetTimeoutMs, halfOpenMaxCalls = 1, onStateChange } = options;
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
      throw new RangeError(
        `Cannot create CircuitBreaker as 'failureThreshold' must be a positive integer: received ${failureThreshold}`,
      );
    }
    if (
      typeof resetTimeoutMs !== "number" || !Number.isFinite(resetTimeoutMs) || resetTimeoutMs <= 0
    ) {
      throw new RangeError(
        `Cannot create CircuitBreaker as 'resetTimeoutMs' must be a positive number: received ${resetTimeoutMs}`,
      );
    }
    if (!Number.isInteger(halfOpenMaxCalls) || halfOpenMaxCalls < 1) {
      throw new RangeError(
        `Cannot create CircuitBreaker as 'halfOpenMaxCalls' must be a positive integer: received ${halfOpenMaxCalls}`,
      );
    }
    this.failureThreshold = failureThreshold;
    this.resetTimeoutMs = resetTimeoutMs;
    this.halfOpenMaxCalls = halfOpenMaxCalls;
    this.#onStateChange = onStateChange;
  }

  /**
   * The state right now. An open circuit whose timeout has passed becomes half-open here.
   *
   * @example
   * ```ts
   * import { CircuitBreaker } from "./breaker.ts";
   * new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 100 }).state; // "closed"
   * ```
   */
  get state(): CircuitState {
    // No timer: the timeout is a deadline we compare against whenever someone looks. An open
    // breaker then costs nothing, and nothing is left running when the program is done with it.
    if (this.#state === "open" && performance.now() - this.#openedAt >= this.resetTimeoutMs) {
      this.#moveTo("half-open");
    }
    return this.#state;
  }

  /**
   * Calls `fn` through the breaker.
   *
   * - closed: calls `fn`; a failure counts towards `failureThreshold`, a success resets the count.
   * - open: rejects with {@linkcode CircuitOpenError} without calling `fn`.
   * - half-open: lets `halfOpenMaxCalls` trial calls through; others get CircuitOpenError.
   *
   * A synchronous throw in `fn` is a failure like a rejection. An outcome counts only if the state
   * has not changed since the call started. A call that rejects while its signal is aborted, or
   * with an error named "AbortError", is neither a success nor a failure (a trial gives its slot
   * back); a "TimeoutError" from `fn` is a failure; a success counts even if the signal aborted
   * meanwhile.
   *
   * @typeParam T What `fn` resolves to.
   * @param fn The protected call; it receives `options.signal`.
   * @param options `signal` to cancel the call. Already aborted: the call rejects with
   *   `signal.reason` without calling `fn` or taking a trial slot, whatever the state.
   * @returns What `fn` returns; `fn`'s own error is rethrown unchanged. Every error is a
   *   rejection of this promise, never a synchronous throw.
   *
   * @example
   * ```ts
   * import { CircuitBreaker } from "./breaker.ts";
   * const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 1000 });
   * await breaker.call(async () => 42); // 42
   * ```
   */
  async call<T>(
    fn: (signal?: AbortSignal) => T | Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    const { signal } = options;
    signal?.throwIfAborted();
    const state = this.state;
    if (state === "open") {
      throw new CircuitOpenError("the circuit is open: the call was not made");
    }
    if (state === "half-open") {
      // Exactly halfOpenMaxCalls trials per half-open period; everyone else fails fast.
      if (this.#trials >= this.halfOpenMaxCalls) {
        throw new CircuitOpenError(
          `the circuit is half-open and its ${this.halfOpenMaxCalls} trial call(s) are taken: the call was not made`,
        );
      }
      this.#trials++;
    }
    const period = this.#period;
    let value: T;
    try {
      value = await fn(signal);
    } catch (error) {
      // A call that started before the last state change reports on a world that is gone:
      // its outcome must not open, close or re-open the circuit.
      if (period === this.#period) {
        if (signal?.aborted || (error as { name?: unknown })?.name === "AbortError") {
          // Cancelled, not failed: the dependency said nothing. Give the trial slot back.
          if (this.#state === "half-open") this.#trials--;
        } else {
          this.#recordFailure();
        }
      }
      throw error;
    }
    if (period === this.#period) this.#recordSuccess();
    return value;
  }

  #recordFailure(): void {
    if (this.#state === "half-open") {
      this.#moveTo("open"); // one failed trial is enough: back to open, with a fresh timeout
      return;
    }
    this.#failures++;
    if (this.#failures >= this.failureThreshold) this.#moveTo("open");
  }

  #recordSuccess(): void {
    if (this.#state === "half-open") {
      this.#trialSuccesses++;
      if (this.#trialSuccesses >= this.halfOpenMaxCalls) this.#moveTo("closed");
      return;
    }
    this.#failures = 0; // the count is of *consecutive* failures
  }

  #moveTo(to: CircuitState): void {
    const from = this.#state;
    this.#state = to;
    this.#period++;
    this.#failures = 0;
    this.#trials = 0;
    this.#trialSuccesses = 0;
    if (to === "open") this.#openedAt = performance.now();
    this.#onStateChange?.(from, to);
  }
}
