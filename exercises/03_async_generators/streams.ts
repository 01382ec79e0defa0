// deno-lint-ignore-file no-unused-vars require-yield require-await -- unused until you write the bodies
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
  // TODO: check ms (RangeError), then loop: wait ms with the given delay() and the signal, then yield the next tick number; never start a timer nobody asked for
  throw new Error("not implemented: ticker (task 1)");
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
  // TODO: check n (RangeError), then yield items from source until you have yielded n, and stop without pulling another; make sure the source's return() is called when you stop before it ended
  throw new Error("not implemented: take (task 2)");
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
  // TODO: pull items one by one, await the predicate on each, and stop at the first match (or a predicate failure), making sure the source's return() has finished before you settle
  throw new Error("not implemented: find (task 3)");
}
