/**
 * Async generators: streams you pull from with `for await`.
 *
 * This module builds a small toolkit of async generators: `ticker` produces a number every `ms`
 * milliseconds, `take` keeps the first n items of any stream, `merge` interleaves several streams
 * in arrival order, and `withAbort` makes any stream stoppable with an AbortSignal, even while it
 * is stuck inside an `await`.
 *
 * The rules they all follow: nothing is produced until someone pulls (no buffering while nobody
 * asks); when the consumer stops early (`break`, `return`, an error), every generator involved
 * runs its `finally` and leaves no timer behind; and a stream that is stopped tells its own
 * source to stop too, by calling the source's `return()`.
 *
 * @module
 */

/** Options of {@linkcode ticker}. */
export interface TickerOptions {
  /** Stops the ticker: the pending `next()` rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * Waits `ms` milliseconds; rejects with `signal.reason` if the signal aborts first, and clears
 * its timer. (This is exercise 01's `sleep`, provided here.)
 *
 * @param ms How long to wait.
 * @param signal Optional signal that stops the wait.
 * @returns A promise that resolves after `ms`.
 *
 * @example
 * ```ts
 * import { delay } from "./streams.ts";
 * await delay(100);
 * ```
 */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Yields 1, 2, 3, ... one every `ms` milliseconds, counted from each pull: the ticker only waits
 * while someone is waiting for it.
 *
 * @param ms The interval; must be a positive finite number (RangeError otherwise).
 * @param options `signal` stops the ticker; the waiting `next()` rejects with `signal.reason`.
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
export async function* ticker(ms: number, options: TickerOptions = {}): AsyncGenerator<number, void, undefined> {
  // TODO: check ms, then loop: wait ms (with the signal) and yield the next tick number; never start a timer nobody asked for
  throw new Error("not implemented: ticker (task 1)");
}

/**
 * Yields the first `n` items of `source`, then stops it (its `finally` runs). Pulls exactly the
 * items it yields: never one more.
 *
 * @typeParam T The item type.
 * @param source Any async iterable.
 * @param n How many items to keep; a non-negative integer (RangeError otherwise).
 * @returns An async generator of at most `n` items.
 *
 * @example
 * ```ts
 * import { take, ticker } from "./streams.ts";
 * for await (const n of take(ticker(100), 3)) console.log(n); // 1, 2, 3; done at t=300
 * ```
 */
export async function* take<T>(source: AsyncIterable<T>, n: number): AsyncGenerator<T, void, undefined> {
  // TODO: check n, then yield items from source until you have yielded n, and stop without pulling another; make sure the source's return() is called
  throw new Error("not implemented: take (task 2)");
}

/**
 * Interleaves several streams: yields each item as soon as any source produces it. Pulls at most
 * one item ahead from each source. If a source fails, or the consumer stops, the other sources
 * are stopped (their `return()` is called and awaited) before the error or the stop goes on.
 *
 * @typeParam T The item type.
 * @param sources The streams to interleave.
 * @returns An async generator that ends when every source has ended.
 *
 * @example
 * ```ts
 * import { merge, take, ticker } from "./streams.ts";
 * for await (const n of merge(take(ticker(100), 2), take(ticker(150), 2))) {
 *   console.log(n); // 1 (t=100), 1 (t=150), 2 (t=200), 2 (t=300)
 * }
 * ```
 */
export async function* merge<T>(...sources: AsyncIterable<T>[]): AsyncGenerator<T, void, undefined> {
  // TODO: keep one pending next() per source, yield whichever settles first and pull that source again when the consumer asks; in a finally, call and await return() on every source that has not ended
  throw new Error("not implemented: merge (task 3)");
}

/**
 * Makes any stream stoppable: yields the items of `source` until `signal` aborts, then rejects
 * the waiting `next()` with `signal.reason` at once, even if the source is stuck inside an await.
 *
 * A stuck source cannot be interrupted from outside: its `return()` only takes effect when it
 * next reaches a `yield`. So withAbort calls `source.return()` without waiting for it when the
 * source is stuck, and waits for it otherwise (after a `break` or an abort between items).
 *
 * @typeParam T The item type.
 * @param source Any async iterable.
 * @param signal The signal that stops the stream.
 * @returns An async generator of the source's items.
 *
 * @example
 * ```ts
 * import { ticker, withAbort } from "./streams.ts";
 * const stop = new AbortController();
 * setTimeout(() => stop.abort(), 250);
 * try {
 *   for await (const n of withAbort(ticker(100), stop.signal)) console.log(n); // 1, 2
 * } catch (e) {
 *   // e === stop.signal.reason, thrown at t=250
 * }
 * ```
 */
export async function* withAbort<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T, void, undefined> {
  // TODO: race each next() of the source against the abort; on abort throw signal.reason; in a finally remove the listener and call source.return() (awaited only if the source is not stuck)
  throw new Error("not implemented: withAbort (task 4)");
}
