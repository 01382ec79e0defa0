/**
 * Async generators: streams you pull from with `for await`.
 *
 * This module builds three small stream tools: `ticker` produces a number every `ms`
 * milliseconds, `take` keeps the first n items of any stream, and `find` reads a stream until an
 * item matches.
 *
 * The rules they all follow: nothing is produced until someone pulls (no buffering while nobody
 * asks); when the consumer stops early (`break`, `return`, an error), every generator involved
 * runs its `finally` and leaves no timer behind; and a tool that stops reading a stream before it
 * ended tells that stream to stop too, by calling its `return()`.
 *
 * @module
 */
import { delay } from "./given_delay.ts";

/** The longest delay setTimeout keeps: 2^31 - 1 ms, about 24.8 days. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Options of {@linkcode ticker}. */
export interface TickerOptions {
  /** Stops the ticker: the pending `next()` rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * Yields 1, 2, 3, ... one every `ms` milliseconds, counted from each pull: the ticker only waits
 * while someone is waiting for it.
 *
 * @param ms The interval: a positive number up to 2147483647 (RangeError otherwise: 0,
 *   negative, NaN, Infinity).
 * @param options `signal` stops the ticker; the waiting `next()` rejects with `signal.reason`
 *   and the timer is cleared.
 * @returns An endless async generator of tick numbers.
 *
 * @example Three ticks, 100 ms apart
 * ```ts
 * import { ticker } from "./streams.ts";
 * for await (const n of ticker(100)) {
 *   console.log(n); // 1, 2, 3 at t=100, 200, 300
 *   if (n === 3) break;
 * }
 * ```
 */
export async function* ticker(
  ms: number,
  options: TickerOptions = {},
): AsyncGenerator<number, void, undefined> {
  // Check ms, then loop: wait ms (with the signal), yield the next number. The timer is started
  // only after a pull resumes the generator, so a ticker nobody reads holds no timer and buffers
  // nothing; at a `break` the generator is parked at its `yield` and simply finishes.
  if (!(ms > 0 && ms <= MAX_TIMER_MS)) {
    throw new RangeError(`ticker(ms) needs an interval in (0, ${MAX_TIMER_MS}] ms: received ${ms}`);
  }
  for (let n = 1;; n++) {
    await delay(ms, options.signal);
    yield n;
  }
}

/**
 * Yields the first `n` items of `source`, then stops it (its `finally` runs). Pulls exactly the
 * items it yields, never one more, and each only when its own consumer pulls (no reading ahead).
 * When take's own consumer stops early, the source is stopped too.
 *
 * @typeParam T The item type.
 * @param source Any async iterable (its iterator need not have a `return()` method).
 * @param n How many items to keep; a non-negative integer (RangeError otherwise).
 * @returns An async generator of at most `n` items.
 *
 * @example
 * ```ts
 * import { take, ticker } from "./streams.ts";
 * for await (const n of take(ticker(100), 3)) console.log(n); // 1, 2, 3; done at t=300
 * ```
 */
export async function* take<T>(
  source: AsyncIterable<T>,
  n: number,
): AsyncGenerator<T, void, undefined> {
  // Check n, then yield from the source and stop right after the n-th item, before pulling
  // another. Leaving a `for await` early (return, break, throw, or our own consumer stopping us
  // at the yield) calls the source's return(), so its finally runs; `for await` also copes with
  // an iterator that has no return() method.
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`take(source, n) needs a non-negative integer n: received ${n}`);
  }
  if (n === 0) return;
  let count = 0;
  for await (const item of source) {
    yield item;
    if (++count >= n) return;
  }
}

/**
 * Reads `source` until `predicate` accepts an item, and resolves with that item; resolves with
 * `undefined` when the source ends first. Pulls nothing after the match. If the predicate throws
 * or rejects, find rejects with that error. Whenever find stops before the source ended, it calls
 * the source's `return()` and waits for it, so the source's `finally` has run when find settles.
 *
 * @typeParam T The item type.
 * @param source Any async iterable.
 * @param predicate Called with each item and its index (0, 1, ...); returns a boolean or a
 *   promise of one.
 * @returns The first matching item, or `undefined`.
 *
 * @example
 * ```ts
 * import { find, ticker } from "./streams.ts";
 * await find(ticker(100), (n) => n % 4 === 0); // 4, at t=400; the ticker is stopped
 * ```
 */
export async function find<T>(
  source: AsyncIterable<T>,
  predicate: (item: T, index: number) => boolean | PromiseLike<boolean>,
): Promise<T | undefined> {
  // A return (a match) or a throw (the predicate failed) inside `for await` leaves the loop
  // early, and leaving it early awaits the source's return(): its finally is over before find
  // settles. A source that ends or throws by itself is not closed again.
  let index = 0;
  for await (const item of source) {
    if (await predicate(item, index++)) return item;
  }
  return undefined;
}
