/**
 * Sleep and gather: the "hello, concurrency" of asyncio, in TypeScript.
 *
 * This module waits without blocking (`sleep`), runs a list of jobs one after another
 * (`runSequential`) or all at once (`runConcurrent`), and collects the results of work that is
 * already running, in input order, the way `asyncio.gather` does (`gather`).
 *
 * A "job" is a function that starts some asynchronous work and returns its promise. Calling it
 * is what starts the work: a promise is already running when you hold it (unlike a Python
 * coroutine object, which does nothing until awaited or wrapped in a task).
 *
 * @module
 */

/** Options of {@linkcode sleep}. */
export interface SleepOptions {
  /** Stops the sleep early: the promise then rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** Options of {@linkcode gather}. */
export interface GatherOptions {
  /**
   * false (the default): the first failure rejects the whole gather.
   * true: a failure is put in its slot of the result array instead, like
   * `asyncio.gather(..., return_exceptions=True)`.
   */
  returnExceptions?: boolean;
}

/** A function that starts some asynchronous work and returns its promise. */
export type Job<T> = () => Promise<T>;

/**
 * Waits `ms` milliseconds without blocking anything else: the TypeScript `asyncio.sleep`.
 *
 * `ms <= 0` waits one turn of the event loop (a 0 ms timer, never a microtask), like
 * `asyncio.sleep(0)`. `Infinity` starts no timer and waits until the signal aborts, like
 * `asyncio.sleep(math.inf)`. `NaN`, and a finite delay above 2 147 483 647 ms (which
 * `setTimeout` would cut to 1 ms), reject with a RangeError. Problems are always reported as a
 * rejected promise, never thrown.
 *
 * @param ms How long to wait, in milliseconds (fractions are fine).
 * @param options `signal` stops the wait early; the promise then rejects with `signal.reason`.
 * @returns A promise that resolves (with nothing) after `ms` milliseconds.
 *
 * @example Wait one second
 * ```ts
 * import { sleep } from "./gather.ts";
 * await sleep(1000);
 * ```
 *
 * @example Wait until stopped
 * ```ts
 * import { sleep } from "./gather.ts";
 * const stop = new AbortController();
 * setTimeout(() => stop.abort(), 500);
 * await sleep(Infinity, { signal: stop.signal }).catch((e) => e.name); // "AbortError" at t=500
 * ```
 */
export function sleep(ms: number, options: SleepOptions = {}): Promise<void> {
  // Another style: an async function that validates, then awaits a promise built around the
  // timer; the abort handling lives in one place (settle), which also removes the listener.
  const { signal } = options;
  return (async () => {
    if (ms !== ms) throw new RangeError("sleep(): NaN is not a delay");
    if (Number.isFinite(ms) && ms > 0x7fffffff) {
      throw new RangeError(`sleep(): ${ms} ms is too long for a timer`);
    }
    signal?.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (aborted: boolean) => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (aborted) reject(signal!.reason);
        else resolve();
      };
      const onAbort = () => settle(true);
      signal?.addEventListener("abort", onAbort);
      if (ms !== Infinity) timer = setTimeout(() => settle(false), ms > 0 ? ms : 0);
    });
  })();
}

/**
 * Runs the jobs one after another: each starts only when the previous one has finished. The
 * first failure (a rejection, or a job that throws) rejects the run and the rest never start.
 *
 * @typeParam T The type each job resolves to.
 * @param jobs The jobs, in order.
 * @returns Their results, in the same order.
 *
 * @example Two sleeps in a row take 1 s + 2 s = 3 s
 * ```ts
 * import { runSequential, sleep } from "./gather.ts";
 * const results = await runSequential([
 *   () => sleep(1000).then(() => "one"),
 *   () => sleep(2000).then(() => "two"),
 * ]); // ["one", "two"] after 3 s
 * ```
 */
export async function runSequential<T>(jobs: readonly Job<T>[]): Promise<T[]> {
  // Index loop with reduce-free bookkeeping.
  const results = new Array<T>(jobs.length);
  for (let i = 0; i < jobs.length; i++) results[i] = await jobs[i]();
  return results;
}

/**
 * Starts every job at once and waits for all of them, like creating one task per coroutine and
 * gathering them.
 *
 * The first failure in time rejects the run as soon as it happens; the other jobs keep running
 * (nothing is cancelled) and their later failures are not left unhandled. A job that throws
 * instead of returning a promise counts as failed at once, and the jobs after it still start.
 *
 * @typeParam T The type each job resolves to.
 * @param jobs The jobs; all of them start right away.
 * @returns Their results, in the order of `jobs` (not the order they finished in).
 *
 * @example Two sleeps side by side take max(1 s, 2 s) = 2 s
 * ```ts
 * import { runConcurrent, sleep } from "./gather.ts";
 * const results = await runConcurrent([
 *   () => sleep(1000).then(() => "one"),
 *   () => sleep(2000).then(() => "two"),
 * ]); // ["one", "two"] after 2 s
 * ```
 */
export async function runConcurrent<T>(jobs: readonly Job<T>[]): Promise<T[]> {
  // Explicit counters instead of Promise.all: every job is started first (a throw becomes a
  // rejected promise), each settles into its slot, and the first failure rejects at once.
  return await new Promise<T[]>((resolve, reject) => {
    const results = new Array<T>(jobs.length);
    let left = jobs.length;
    if (left === 0) resolve(results);
    jobs.forEach((job, i) => {
      let running: Promise<T>;
      try {
        running = Promise.resolve(job());
      } catch (error) {
        running = Promise.reject(error);
      }
      running.then((value) => {
        results[i] = value;
        if (--left === 0) resolve(results);
      }, reject);
    });
  });
}

/**
 * Waits for work that is already running and collects the results in input order: the
 * TypeScript `asyncio.gather`.
 *
 * Without `returnExceptions`, the first failure (the first in time, not in the list) rejects the
 * gather at once; the other promises keep running, because a promise cannot be cancelled, and
 * their later failures are not left unhandled. With `returnExceptions: true` the gather never
 * rejects: each rejection reason, exactly as it was, is put in its slot. The same promise given
 * twice fills both of its slots.
 *
 * @typeParam T The type the promises resolve to.
 * @param items Promises (or plain values) to wait for; duplicates are allowed.
 * @param options `returnExceptions`: put failures in their slots instead of rejecting.
 * @returns The results, in the order of `items`.
 *
 * @example Failures in their slots
 * ```ts
 * import { gather } from "./gather.ts";
 * const results = await gather(
 *   [Promise.resolve(1), Promise.reject(new Error("boom")), 3],
 *   { returnExceptions: true },
 * ); // [1, Error("boom"), 3]
 * ```
 */
export function gather<T>(
  items: readonly (T | PromiseLike<T>)[],
  options?: { returnExceptions?: false },
): Promise<T[]>;
export function gather<T>(
  items: readonly (T | PromiseLike<T>)[],
  options: { returnExceptions: true },
): Promise<(T | Error)[]>;
export function gather<T>(
  items: readonly (T | PromiseLike<T>)[],
  options?: GatherOptions,
): Promise<(T | Error)[]>;
export function gather<T>(
  items: readonly (T | PromiseLike<T>)[],
  options: GatherOptions = {},
): Promise<(T | Error)[]> {
  // Explicit counters instead of Promise.all: one reaction per slot (so duplicates fill every
  // slot), the first failure rejects at once (later ones land on a settled promise: handled).
  return new Promise<(T | Error)[]>((resolve, reject) => {
    const results = new Array<T | Error>(items.length);
    let left = items.length;
    if (left === 0) resolve(results);
    const fill = (i: number, value: T | Error) => {
      results[i] = value;
      if (--left === 0) resolve(results);
    };
    items.forEach((item, i) => {
      Promise.resolve(item).then(
        (value) => fill(i, value),
        (error) => (options.returnExceptions ? fill(i, error) : reject(error)),
      );
    });
  });
}
