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

interface Period {
  state: CircuitState;
  since: number;
  failures: number;
  admitted: number;
  succeeded: number;
}

const positiveInteger = (x: unknown): boolean =>
  typeof x === "number" && Number.isSafeInteger(x) && x > 0;

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
  readonly #notify: (from: CircuitState, to: CircuitState) => void;
  /** The current period: a fresh object on every state change, so a call can tell if it is stale. */
  #period: Period = { state: "closed", since: 0, failures: 0, admitted: 0, succeeded: 0 };

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
    for (
      const [name, value] of [["failureThreshold", this.failureThreshold], [
        "halfOpenMaxCalls",
        this.halfOpenMaxCalls,
      ]] as const
    ) {
      if (!positiveInteger(value)) {
        throw new RangeError(`${name} must be a positive integer, not ${value}`);
      }
    }
    const ms = this.resetTimeoutMs;
    if (typeof ms !== "number" || !(ms > 0 && ms < Infinity)) {
      throw new RangeError(`resetTimeoutMs must be a positive finite number, not ${ms}`);
    }
    this.#notify = options.onStateChange ?? (() => {});
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
    const p = this.#period;
    if (p.state === "open" && performance.now() >= p.since + this.resetTimeoutMs) {
      this.#enter("half-open");
    }
    return this.#period.state;
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
    return this.#run(fn, options.signal);
  }

  #enter(state: CircuitState): void {
    const from = this.#period.state;
    this.#period = { state, since: performance.now(), failures: 0, admitted: 0, succeeded: 0 };
    this.#notify(from, state);
  }

  async #run<T>(fn: (signal?: AbortSignal) => T | Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw signal.reason;
    const state = this.state;
    const p = this.#period;
    if (state === "open" || (state === "half-open" && p.admitted === this.halfOpenMaxCalls)) {
      throw new CircuitOpenError(`circuit ${state}`);
    }
    if (state === "half-open") p.admitted += 1;
    let outcome: "ok" | "failed" | "cancelled";
    let value: T | undefined;
    let error: unknown;
    try {
      value = await fn(signal);
      outcome = "ok";
    } catch (e) {
      error = e;
      const cancelled = signal?.aborted ||
        (e instanceof Error || e instanceof DOMException) && e.name === "AbortError";
      outcome = cancelled ? "cancelled" : "failed";
    }
    if (p === this.#period) {
      if (outcome === "ok") {
        if (p.state === "half-open") {
          p.succeeded += 1;
          if (p.succeeded === this.halfOpenMaxCalls) this.#enter("closed");
        } else p.failures = 0;
      } else if (outcome === "failed") {
        if (p.state === "half-open") this.#enter("open");
        else if (++p.failures === this.failureThreshold) this.#enter("open");
      } else if (p.state === "half-open") {
        p.admitted -= 1;
      }
    }
    if (outcome === "ok") return value as T;
    throw error;
  }
}
