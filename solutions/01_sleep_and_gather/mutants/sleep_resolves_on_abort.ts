// MUTANT: sleep resolves quietly when aborted instead of rejecting with signal.reason
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
 * @param ms How long to wait, in milliseconds.
 * @param options `signal` stops the wait early; the promise then rejects with `signal.reason`.
 * @returns A promise that resolves (with nothing) after `ms` milliseconds.
 *
 * @example Wait one second
 * ```ts
 * import { sleep } from "./gather.ts";
 * await sleep(1000);
 * ```
 */
export function sleep(ms: number, options: SleepOptions = {}): Promise<void> {
  // Resolve after ms with setTimeout; if the signal aborts first, clear the timer and reject
  // with signal.reason. An already-aborted signal rejects at once: a listener added after the
  // abort would never fire, so check first.
  const { signal } = options;
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs the jobs one after another: each starts only when the previous one has finished.
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
  // Call and await each job in turn: the next job is not even started until the previous one
  // has finished, so the durations add up.
  const results: T[] = [];
  for (const job of jobs) {
    results.push(await job());
  }
  return results;
}

/**
 * Starts every job at once and waits for all of them, like creating one task per coroutine and
 * gathering them.
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
  // Start every job before awaiting any of them (calling a job starts it), then wait for all
  // the results. The total time is the longest job, not the sum.
  const running = jobs.map((job) => job());
  return await Promise.all(running);
}

/**
 * Waits for work that is already running and collects the results in input order: the
 * TypeScript `asyncio.gather`.
 *
 * Without `returnExceptions`, the first failure (the first in time, not in the list) rejects the
 * gather at once; the other promises keep running, because a promise cannot be cancelled. With
 * `returnExceptions: true` the gather never rejects: each failure is put in its slot.
 *
 * @typeParam T The type the promises resolve to.
 * @param items Promises (or plain values) to wait for.
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
  // Promise.all is asyncio.gather: input order, and the first failure in time rejects it while
  // the others keep running. With returnExceptions, each failure is caught on its own and
  // becomes its slot's value, so the Promise.all never sees a rejection.
  if (!options.returnExceptions) return Promise.all(items);
  return Promise.all(
    items.map((item) => Promise.resolve(item).then((value) => value, (error: Error) => error)),
  );
}
