/**
 * Merging streams: reading several async iterables at once, and stopping on a signal.
 *
 * `merge` interleaves several streams in the order their items arrive, pulling at most one item
 * ahead from each, and stops every source however it ends. `withAbort` makes any stream
 * stoppable with an AbortSignal: the waiting `next()` rejects at once with the abort reason, even
 * if the source is stuck inside an `await` and cannot be interrupted itself.
 *
 * @module
 */

/**
 * Interleaves several streams: yields each item as soon as any source produces it. Keeps one
 * pending `next()` per source and pulls a source again only when the consumer asks for more.
 * Ends when every source has ended. A source that fails (its `next()` rejects or throws) fails
 * the merge. However the merge ends, every source that has not ended is stopped (its `return()`
 * is called and awaited; its errors are ignored) before the end, the error or the stop goes on.
 *
 * @typeParam T The item type.
 * @param sources The streams to interleave.
 * @returns An async generator that ends when every source has ended.
 *
 * @example
 * ```ts
 * import { merge } from "./merge.ts";
 * async function* every(ms: number, label: string, count: number) {
 *   for (let i = 1; i <= count; i++) {
 *     await new Promise((resolve) => setTimeout(resolve, ms));
 *     yield `${label}${i}`;
 *   }
 * }
 * for await (const item of merge(every(100, "a", 2), every(150, "b", 2))) {
 *   console.log(item); // a1 (t=100), b1 (t=150), a2 (t=200), b2 (t=300)
 * }
 * ```
 */
export async function* merge<T>(
  ...sources: AsyncIterable<T>[]
): AsyncGenerator<T, void, undefined> {
  // Keep one pending next() per source and yield whichever settles first; pull that source again
  // only when the consumer asks for more (after the yield), so nothing piles up. However the
  // loop ends (all done, a source failed, the consumer stopped), the finally calls return() on
  // every source that has not ended and waits for them, so their cleanup is over before the
  // error or the stop goes on.
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  type Pulled = { index: number; result: IteratorResult<T> };
  const inFlight = new Map<number, Promise<Pulled>>();
  const live = new Set(iterators.keys()); // sources that have not ended or failed
  const pull = (index: number) => {
    let next: Promise<IteratorResult<T>>;
    try {
      next = Promise.resolve(iterators[index].next());
    } catch (error) {
      next = Promise.reject(error); // a next() that throws is a failed source too
    }
    const pulled = next.then(
      (result) => ({ index, result }),
      (error) => {
        live.delete(index); // a source that failed has ended: it is not closed again
        throw error;
      },
    );
    // Handled now: a pull abandoned when merge stops may still reject later.
    pulled.catch(() => {});
    inFlight.set(index, pulled);
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
 * An already-aborted signal fails the first `next()` without pulling anything; an abort between
 * items fails the next pull.
 *
 * A stuck source cannot be interrupted from outside: its `return()` only takes effect when it
 * next reaches a `yield`. So withAbort calls `source.return()` without waiting for it when the
 * source is stuck, and waits for it otherwise (after a `break` or an abort between items). Its
 * errors are ignored. A source that ended by itself (done, or failed) is not closed again.
 *
 * @typeParam T The item type.
 * @param source Any async iterable.
 * @param signal The signal that stops the stream.
 * @returns An async generator of the source's items.
 *
 * @example
 * ```ts
 * import { withAbort } from "./merge.ts";
 * async function* forever() {
 *   for (let n = 1; ; n++) {
 *     await new Promise((resolve) => setTimeout(resolve, 100));
 *     yield n;
 *   }
 * }
 * const stop = new AbortController();
 * setTimeout(() => stop.abort(), 250);
 * try {
 *   for await (const n of withAbort(forever(), stop.signal)) console.log(n); // 1, 2
 * } catch (e) {
 *   // e === stop.signal.reason, thrown at t=250
 * }
 * ```
 */
export async function* withAbort<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal,
): AsyncGenerator<T, void, undefined> {
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
    if (!ended) {
      const closing = (async () => {
        await iterator.return?.();
      })().catch(() => {});
      if (!stuck) await closing;
    }
  }
}
