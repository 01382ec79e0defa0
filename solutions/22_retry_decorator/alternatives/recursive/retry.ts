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
  const pick = <K extends keyof RetryOptions>(k: K, d: NonNullable<RetryOptions[K]>) =>
    (opts[k] === undefined ? d : opts[k]) as NonNullable<RetryOptions[K]>;
  const o: ResolvedRetryOptions = {
    maxAttempts: pick("maxAttempts", 3),
    baseDelay: pick("baseDelay", 100),
    factor: pick("factor", 2),
    maxDelay: pick("maxDelay", Infinity),
    jitter: pick("jitter", "none"),
    isRetriable: pick("isRetriable", () => true),
    onRetry: pick("onRetry", () => {}),
    signal: opts.signal,
    random: pick("random", () => Math.random()),
  };
  const problems: [keyof RetryOptions, boolean][] = [
    [
      "maxAttempts",
      !(o.maxAttempts === Infinity || Number.isSafeInteger(o.maxAttempts)) || o.maxAttempts < 1,
    ],
    ["baseDelay", !Number.isFinite(o.baseDelay) || o.baseDelay < 0],
    ["factor", !Number.isFinite(o.factor) || o.factor < 1],
    ["maxDelay", Number.isNaN(o.maxDelay) || o.maxDelay < 0],
    ["jitter", o.jitter !== "none" && o.jitter !== "full" && o.jitter !== "equal"],
  ];
  for (const [name, bad] of problems) {
    if (bad) throw new RangeError(`invalid option ${name}: ${String(o[name])}`);
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
  const d = Math.min(opts.maxDelay, opts.baseDelay * Math.pow(opts.factor, attempt - 1));
  if (opts.jitter === "full") return Math.floor(d * opts.random());
  if (opts.jitter === "equal") return Math.floor(d / 2 + (d / 2) * opts.random());
  return d;
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
  const signal = opts.signal;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const { promise, resolve, reject } = Promise.withResolvers<void>();
  const stop = () => {
    clearTimeout(id);
    reject(signal!.reason);
  };
  const id = setTimeout(() => {
    signal?.removeEventListener("abort", stop);
    resolve();
  }, ms);
  signal?.addEventListener("abort", stop, { once: true });
  return promise;
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
export function retry<T>(
  fn: (attempt: number) => T | Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  let o: ResolvedRetryOptions;
  try {
    o = resolveOptions(opts);
  } catch (error) {
    return Promise.reject(error);
  }
  const attemptFrom = (attempt: number): Promise<T> => {
    if (o.signal?.aborted) return Promise.reject(o.signal.reason);
    return new Promise<T>((resolve) => resolve(fn(attempt))).catch((error: unknown) => {
      if (o.signal?.aborted) throw o.signal.reason;
      if ((error as Error | undefined)?.name === "AbortError") throw error;
      if (!o.isRetriable(error, attempt)) throw error;
      if (attempt === o.maxAttempts) throw new RetryError(attempt, error);
      const delay = backoffDelay(attempt, o);
      o.onRetry({ attempt, error, delay });
      return sleep(delay, { signal: o.signal }).then(() => attemptFrom(attempt + 1));
    });
  };
  return attemptFrom(1);
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
  resolveOptions(opts);
  const named = {
    [fn.name](this: This, ...args: Args): Promise<T> {
      return retry(() => Reflect.apply(fn, this, args) as T | Promise<T>, opts);
    },
  };
  return named[fn.name];
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
  return (method, context) => {
    const name = String(context.name);
    const holder = {
      [name](this: ThisParameterType<typeof method>, ...args: Parameters<typeof method>) {
        return retry(() => method.apply(this, args), opts);
      },
    };
    return holder[name];
  };
}
