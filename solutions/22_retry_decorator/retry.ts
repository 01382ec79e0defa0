/**
 * Retry with exponential backoff, three ways.
 *
 * A flaky call (a network fetch, a busy database) often succeeds if you simply try again a little
 * later, and a little later still if it fails again. This module retries an async function with
 * exponential backoff: after the first failure it waits `baseDelay` ms, then `baseDelay * factor`,
 * then `baseDelay * factor ** 2`, ... never more than `maxDelay`, optionally spread by random
 * jitter so a crowd of clients does not retry in lock-step. It gives up after `maxAttempts` calls
 * with a `RetryError` carrying the last failure, rethrows errors that are not worth retrying at
 * once, and never retries a cancellation: an abort stops everything, even a backoff sleep.
 *
 * The same machinery is offered three ways:
 * - `retry(fn, opts)` runs `fn` now, with retries;
 * - `retryable(fn, opts)` wraps a function once so that every call retries (Python's decorator
 *   applied to a plain function);
 * - `@withRetry(opts)` is a standard (TC39) method decorator doing the same to a class method.
 *
 * @module
 */

import { RetryError } from "./given_retry_error.ts";

export { RetryError };

/**
 * How random jitter spreads a backoff delay `d`.
 *
 * @example
 * ```ts
 * import type { Jitter } from "./retry.ts";
 * const jitter: Jitter = "full";
 * ```
 */
export type Jitter = "none" | "full" | "equal";

/**
 * What `onRetry` is told before each backoff sleep.
 *
 * @example
 * ```ts
 * import { retry, type RetryInfo } from "./retry.ts";
 * const log = (info: RetryInfo) => console.log(`attempt ${info.attempt} failed; retrying in ${info.delay} ms`);
 * await retry(async () => "ok", { onRetry: log });
 * ```
 */
export interface RetryInfo {
  /** The attempt that just failed (1 for the first call). */
  attempt: number;
  /** What it failed with. */
  error: unknown;
  /** How long retry() will now sleep, in ms (after jitter). */
  delay: number;
}

/**
 * Options of retry(), retryable() and @withRetry(). Every field is optional; `undefined` means
 * the default.
 *
 * @example
 * ```ts
 * import type { RetryOptions } from "./retry.ts";
 * const opts: RetryOptions = { maxAttempts: 4, baseDelay: 100, factor: 2, maxDelay: 1000, jitter: "full" };
 * ```
 */
export interface RetryOptions {
  /** How many calls in all, the first one included: an integer >= 1, or Infinity. Default 3. */
  maxAttempts?: number;
  /** The delay after the first failure, in ms: a finite number >= 0. Default 100. */
  baseDelay?: number;
  /** Each further delay is `factor` times the one before: a finite number >= 1. Default 2. */
  factor?: number;
  /** The longest delay, in ms: a number >= 0 (Infinity allowed). Default Infinity (no cap). */
  maxDelay?: number;
  /** "none" (default), "full" (random in [0, d)) or "equal" (d/2 plus random in [0, d/2)). */
  jitter?: Jitter;
  /** Whether an error is worth another attempt. Default: every error (aborts never are). */
  isRetriable?: (error: unknown, attempt: number) => boolean;
  /** Called before each backoff sleep. Default: nothing. */
  onRetry?: (info: RetryInfo) => void;
  /** Cancels the whole retry loop, including a backoff sleep in progress. Default: none. */
  signal?: AbortSignal;
  /** The random source of jitter, returning numbers in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/**
 * RetryOptions with every default filled in (the signal stays optional).
 *
 * @example
 * ```ts
 * import { resolveOptions, type ResolvedRetryOptions } from "./retry.ts";
 * const o: ResolvedRetryOptions = resolveOptions({ maxAttempts: 5 });
 * ```
 */
export interface ResolvedRetryOptions {
  maxAttempts: number;
  baseDelay: number;
  factor: number;
  maxDelay: number;
  jitter: Jitter;
  isRetriable: (error: unknown, attempt: number) => boolean;
  onRetry: (info: RetryInfo) => void;
  signal?: AbortSignal;
  random: () => number;
}

const JITTERS: readonly Jitter[] = ["none", "full", "equal"];

/**
 * Fills in the defaults and rejects nonsense, so a mistake shows where the options are written
 * rather than at the first failure.
 *
 * @param opts The caller's options.
 * @returns Every option, defaults included.
 * @throws {RangeError} naming the option: maxAttempts not an integer >= 1 (Infinity allowed),
 *   baseDelay not a finite number >= 0, factor not a finite number >= 1, maxDelay not a number
 *   >= 0, or an unknown jitter.
 *
 * @example
 * ```ts
 * import { resolveOptions } from "./retry.ts";
 * resolveOptions({ maxAttempts: 5 }).baseDelay; // 100
 * ```
 */
export function resolveOptions(opts: RetryOptions = {}): ResolvedRetryOptions {
  // Each option is checked on its own so the message names the culprit and the value received.
  // `!(x >= 0)` is also true for NaN, which `x < 0` would let through.
  const fail = (name: string, rule: string, value: unknown) =>
    new RangeError(`Cannot retry: '${name}' must be ${rule}; received ${String(value)}`);
  const o: ResolvedRetryOptions = {
    maxAttempts: opts.maxAttempts ?? 3,
    baseDelay: opts.baseDelay ?? 100,
    factor: opts.factor ?? 2,
    maxDelay: opts.maxDelay ?? Infinity,
    jitter: opts.jitter ?? "none",
    isRetriable: opts.isRetriable ?? (() => true),
    onRetry: opts.onRetry ?? (() => {}),
    signal: opts.signal,
    // Read Math.random at each draw, not now: a decorator's options are resolved when the class
    // is defined, and a seeded Math.random installed later (by a test clock) must still count.
    random: opts.random ?? (() => Math.random()),
  };
  const attemptsOk = o.maxAttempts === Infinity ||
    (Number.isInteger(o.maxAttempts) && o.maxAttempts >= 1);
  if (!attemptsOk) throw fail("maxAttempts", "an integer >= 1 or Infinity", o.maxAttempts);
  // A delay of Infinity would reach setTimeout, which fires it at once: only maxDelay may be
  // infinite (it is a cap, never a delay by itself once baseDelay and factor are finite).
  if (!(Number.isFinite(o.baseDelay) && o.baseDelay >= 0)) {
    throw fail("baseDelay", "a finite number >= 0 (ms)", o.baseDelay);
  }
  if (!(Number.isFinite(o.factor) && o.factor >= 1)) {
    throw fail("factor", "a finite number >= 1", o.factor);
  }
  if (!(o.maxDelay >= 0)) throw fail("maxDelay", "a number >= 0 (ms)", o.maxDelay);
  if (!JITTERS.includes(o.jitter)) {
    throw fail("jitter", `one of ${JITTERS.join(", ")}`, o.jitter);
  }
  return o;
}

/**
 * The backoff delay after attempt number `attempt` (1-based) failed:
 * `d = min(maxDelay, baseDelay * factor ** (attempt - 1))`, then jitter: "none" gives `d`
 * itself, "full" `Math.floor(random() * d)`, "equal" `Math.floor(d / 2 + random() * d / 2)`.
 *
 * @param attempt The attempt that failed, 1 for the first call.
 * @param opts Resolved options (see resolveOptions).
 * @returns The delay in ms.
 *
 * @example
 * ```ts
 * import { backoffDelay, resolveOptions } from "./retry.ts";
 * const o = resolveOptions({ baseDelay: 100, factor: 2 });
 * [1, 2, 3].map((n) => backoffDelay(n, o)); // [100, 200, 400]
 * ```
 */
export function backoffDelay(attempt: number, opts: ResolvedRetryOptions): number {
  // The exponent is attempt - 1: the first retry waits exactly baseDelay. Cap first, then jitter,
  // so that the cap bounds the random spread too.
  const capped = Math.min(opts.maxDelay, opts.baseDelay * opts.factor ** (attempt - 1));
  switch (opts.jitter) {
    case "none":
      return capped;
    case "full": // AWS's "full jitter": anywhere in [0, d)
      return Math.floor(opts.random() * capped);
    case "equal": // half fixed, half random: [d/2, d)
      return Math.floor(capped / 2 + opts.random() * (capped / 2));
  }
}

/**
 * Waits `ms` of (virtual) time; an abort rejects at once with `signal.reason` and clears the timer.
 *
 * @param ms Delay in ms.
 * @param opts `signal` cancels the sleep.
 * @returns A promise that resolves after the delay.
 *
 * @example
 * ```ts
 * import { sleep } from "./retry.ts";
 * await sleep(100);
 * ```
 */
export function sleep(ms: number, opts: { signal?: AbortSignal } = {}): Promise<void> {
  const { signal } = opts;
  return new Promise<void>((resolve, reject) => {
    // An already-aborted signal never fires "abort" again: check before waiting.
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer); // no timer may outlive a cancelled sleep
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort); // done: stop listening
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A cancellation is never worth retrying, whoever raised it. */
function isAbortError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "AbortError";
}

/**
 * Calls `fn` until it succeeds, at most `maxAttempts` times, sleeping with exponential backoff
 * between failures.
 *
 * @typeParam T What fn resolves with.
 * @param fn The work; it receives the attempt number (1 for the first call).
 * @param opts Retry options.
 * @returns What the first successful call resolved with (also when the signal aborted while that
 *   call ran: the work is done).
 * @throws {RetryError} every attempt failed (`cause` is the last error).
 * @throws The error itself when `isRetriable` says no, or when it is an AbortError.
 * @throws `signal.reason` once the signal is aborted.
 * @throws {RangeError} invalid options (fn is never called). Every error is a rejection of the
 *   returned promise, never a synchronous throw.
 *
 * @example
 * ```ts
 * import { retry } from "./retry.ts";
 * const text = await retry(async () => "ok", { maxAttempts: 4, baseDelay: 100 });
 * ```
 */
export async function retry<T>(
  fn: (attempt: number) => T | Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  const o = resolveOptions(opts);
  const { signal } = o;
  for (let attempt = 1;; attempt++) {
    // A pre-aborted signal means fn is never called at all.
    signal?.throwIfAborted();
    try {
      // `await` inside try: a rejection and a synchronous throw both land in catch.
      return await fn(attempt);
    } catch (error) {
      // Cancellation wins over everything: rethrow the reason itself, never retry it.
      if (signal?.aborted) throw signal.reason;
      if (isAbortError(error) || !o.isRetriable(error, attempt)) throw error;
      // No sleep after the last attempt: give up now.
      if (attempt >= o.maxAttempts) throw new RetryError(attempt, error);
      const delay = backoffDelay(attempt, o);
      o.onRetry({ attempt, error, delay });
      await sleep(delay, { signal }); // an abort interrupts the backoff, not just the next call
    }
  }
}

/**
 * Wraps `fn` so that every call retries with the given options. Arguments and `this` pass
 * through unchanged, each call has its own attempts, and the wrapper keeps `fn`'s name (as
 * Python's `functools.wraps` keeps `__name__`).
 *
 * @typeParam This The `this` fn expects.
 * @typeParam Args fn's parameters.
 * @typeParam T What fn resolves with.
 * @param fn The function to wrap.
 * @param opts Retry options, checked now.
 * @returns A function with fn's parameters and name that retries.
 * @throws {RangeError} invalid options, at wrap time.
 *
 * @example
 * ```ts
 * import { retryable } from "./retry.ts";
 * const getUser = retryable(async (id: number) => ({ id }), { maxAttempts: 3 });
 * await getUser(7); // { id: 7 }
 * ```
 */
export function retryable<This, Args extends unknown[], T>(
  fn: (this: This, ...args: Args) => T | Promise<T>,
  opts: RetryOptions = {},
): (this: This, ...args: Args) => Promise<T> {
  resolveOptions(opts); // fail at wrap time, not at the first call
  // A `function`, not an arrow: it must receive the caller's `this` and hand it on.
  const wrapper = function (this: This, ...args: Args): Promise<T> {
    return retry(() => fn.apply(this, args), opts);
  };
  Object.defineProperty(wrapper, "name", { value: fn.name });
  return wrapper;
}

/**
 * What withRetry() returns: a standard decorator for an async method.
 *
 * @example
 * ```ts
 * import { type RetryDecorator, withRetry } from "./retry.ts";
 * const decorate: RetryDecorator = withRetry({ maxAttempts: 2 });
 * ```
 */
export type RetryDecorator = <This, Args extends unknown[], T>(
  method: (this: This, ...args: Args) => Promise<T>,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Promise<T>>,
) => (this: This, ...args: Args) => Promise<T>;

/**
 * A standard (TC39, not `experimentalDecorators`) method decorator: the decorated async method
 * retries with the given options. `this`, the arguments and the method's name are kept.
 *
 * @param opts Retry options, checked when withRetry() is called (where the class is defined).
 * @returns The decorator.
 * @throws {RangeError} invalid options.
 *
 * @example
 * ```ts
 * import { withRetry } from "./retry.ts";
 * class Api {
 *   base = "https://example.test";
 *   @withRetry({ maxAttempts: 4, baseDelay: 100 })
 *   async get(path: string): Promise<string> {
 *     return this.base + path;
 *   }
 * }
 * await new Api().get("/users"); // "https://example.test/users"
 * ```
 */
export function withRetry(opts: RetryOptions = {}): RetryDecorator {
  resolveOptions(opts);
  // A standard method decorator receives the method and a context, and returns the replacement.
  return function <This, Args extends unknown[], T>(
    method: (this: This, ...args: Args) => Promise<T>,
    _context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Promise<T>>,
  ): (this: This, ...args: Args) => Promise<T> {
    return retryable(method, opts); // a method's own name is already the name it is defined with
  };
}
