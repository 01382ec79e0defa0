// MUTANT: withAbort removes its listener but never calls the source's return(), so the source's finally never runs
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
  // Check ms, then loop: wait ms (with the signal), yield the next number. The timer is started
  // only after a pull resumes the generator, so a ticker nobody reads holds no timer and buffers
  // nothing; at a `break` the generator is parked at its `yield` and simply finishes.
  if (!(ms > 0) || !Number.isFinite(ms)) {
    throw new RangeError(`ticker(ms) needs a positive, finite interval: received ${ms}`);
  }
  for (let n = 1; ; n++) {
    await delay(ms, options.signal);
    yield n;
  }
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
  // Check n, then yield from the source and stop right after the n-th item, before pulling
  // another. Leaving a `for await` early (return, break, throw, or our own consumer stopping us
  // at the yield) calls the source's return(), so its finally runs.
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
  // Keep one pending next() per source and yield whichever settles first; pull that source again
  // only when the consumer asks for more (after the yield), so nothing piles up. However the
  // loop ends (all done, a source failed, the consumer stopped), the finally calls return() on
  // every source that has not ended and waits for them, so their cleanup is over before the
  // error or the stop goes on.
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  type Pulled = { index: number; result: IteratorResult<T> };
  const inFlight = new Map<number, Promise<Pulled>>();
  const live = new Set(iterators.keys()); // sources that have not ended
  const pull = (index: number) => {
    const next = iterators[index].next().then(
      (result) => ({ index, result }),
      (error) => {
        live.delete(index); // a source that threw has ended
        throw error;
      },
    );
    inFlight.set(index, next);
  };
  try {
    for (const index of live) pull(index);
    while (inFlight.size > 0) {
      const { index, result } = await Promise.race(inFlight.values());
      inFlight.delete(index);
      if (result.done) {
        live.delete(index);
        continue;
      }
      yield result.value;
      pull(index);
    }
  } finally {
    await Promise.allSettled([...live].map(async (index) => {
      await iterators[index].return?.();
    }));
  }
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
  // Race each next() of the source against the abort, so an abort ends the wait at once even if
  // the source is stuck in an await. The finally removes the listener and stops the source:
  // return() is awaited when the source is parked at a yield (it finishes promptly), but only
  // started when it is stuck (it finishes when it wakes up; waiting could take forever).
  signal.throwIfAborted();
  const iterator = source[Symbol.asyncIterator]();
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
  });
  aborted.catch(() => {}); // an abort between items is reported by throwIfAborted instead
  signal.addEventListener("abort", onAbort, { once: true });
  let stuck = false; // a next() of the source is still running
  let ended = false; // the source finished by itself (done, or threw)
  try {
    for (;;) {
      signal.throwIfAborted();
      stuck = true;
      const pulled = iterator.next().then(
        (result) => {
          if (result.done) ended = true;
          return result;
        },
        (error) => {
          ended = true;
          throw error;
        },
      );
      const result = await Promise.race([pulled, aborted]);
      stuck = false;
      if (result.done) return;
      yield result.value;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    void ended;
  }
}
