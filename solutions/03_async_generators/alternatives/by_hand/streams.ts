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
  // Another style: a while loop and a counter, the range check written out.
  if (typeof ms !== "number" || Number.isNaN(ms) || ms <= 0 || ms >= 2147483648) {
    throw new RangeError(`ticker(): bad interval ${ms}`);
  }
  let tick = 0;
  while (true) {
    await delay(ms, options.signal);
    tick += 1;
    yield tick;
  }
}

/**
 * Yields the first `n` items of `source`, then stops it (its `finally` runs). Pulls exactly the
 * items it yields: never one more. When take's own consumer stops early, the source is stopped
 * too.
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
  // Another style: reading the source by hand with next(), and closing it in a finally unless
  // it ended by itself.
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`take(): bad count ${n}`);
  if (n === 0) return;
  const iterator = source[Symbol.asyncIterator]();
  let ended = false;
  try {
    for (let i = 0; i < n; i++) {
      let step: IteratorResult<T>;
      try {
        step = await iterator.next();
      } catch (error) {
        ended = true;
        throw error;
      }
      if (step.done) {
        ended = true;
        return;
      }
      yield step.value;
    }
  } finally {
    if (!ended && typeof iterator.return === "function") await iterator.return();
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
  // Another style: by hand, with an explicit close on every early way out.
  const iterator = source[Symbol.asyncIterator]();
  const close = async () => {
    if (typeof iterator.return === "function") await iterator.return();
  };
  for (let index = 0;; index++) {
    const step = await iterator.next();
    if (step.done) return undefined;
    let match: boolean;
    try {
      match = Boolean(await predicate(step.value, index));
    } catch (error) {
      await close();
      throw error;
    }
    if (match) {
      await close();
      return step.value;
    }
  }
}
