// deno-lint-ignore-file no-unused-vars -- the stub does not use its parameters yet; your code will
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
    this.failureThreshold = options.failureThreshold;
    this.resetTimeoutMs = options.resetTimeoutMs;
    this.halfOpenMaxCalls = options.halfOpenMaxCalls ?? 1;
    // TODO: validate the options (RangeError for 0, negatives, fractions, NaN, Infinity) and set up the closed state.
    throw new Error("not implemented: new CircuitBreaker() (task 1)");
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
    // TODO: turn an open circuit half-open once resetTimeoutMs have passed since it opened (no timer).
    throw new Error("not implemented: CircuitBreaker.state (task 2)");
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
  call<T>(
    fn: (signal?: AbortSignal) => T | Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    // TODO: run fn(signal) and count consecutive failures (a success resets the count); open at failureThreshold.
    // TODO: while open, reject with CircuitOpenError without calling fn (look at this.state first).
    // TODO: while half-open, admit exactly halfOpenMaxCalls trials; close after that many successes, re-open on a failure.
    // TODO: count an outcome only in the period it started in; aborts and AbortErrors are neither success nor failure.
    throw new Error("not implemented: CircuitBreaker.call() (task 1)");
  }
}
