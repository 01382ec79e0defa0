// MUTANT: awaits fixed chunks of `concurrency` items with Promise.all, so one slow item stalls every other slot of its chunk
/**
 * Batch processing: run an async function over many items (URLs, rows, files) with a bounded
 * number of calls at once, without ever loading the whole input, and decide what one failure
 * does to the rest.
 *
 * - `batched(items, size)` groups items into arrays of `size` (Python's `itertools.batched`),
 *   for APIs that take many items per call (bulk inserts, batch endpoints).
 * - `pooledMap(items, fn, { concurrency, signal })` runs `fn` over every item, at most
 *   `concurrency` calls at once, and yields the results in input order. It pulls the next item
 *   only when a call slot is free, so an endless source works. A slot is refilled as soon as its
 *   call settles, so one slow item never holds up the others (unlike awaiting fixed chunks with
 *   `Promise.all`). On the first failure it starts nothing new, lets the calls in flight finish,
 *   and throws an AggregateError of every failure.
 * - `mapSettled(items, fn, opts)` runs everything the same way and reports each outcome, like
 *   `Promise.allSettled`, for "process everything, then report the failures".
 *
 * @module
 */

/** What the functions read from: an array, any iterable, or an async iterable. */
export type Items<T> = Iterable<T> | AsyncIterable<T>;

/** Options of {@linkcode pooledMap} and {@linkcode mapSettled}. */
export interface PoolOptions {
  /** The most calls of `fn` that may run at once: a positive integer. */
  concurrency: number;
  /** Aborting stops everything: no new calls, calls in flight see their signal abort. */
  signal?: AbortSignal;
}

/** Opens an iterator over a sync or async iterable. */
function open<T>(items: Items<T>): AsyncIterator<T> | Iterator<T> {
  return Symbol.asyncIterator in items
    ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
    : (items as Iterable<T>)[Symbol.iterator]();
}

/** Throws a RangeError unless `value` is a positive integer. */
function checkPositiveInteger(value: number, what: string): void {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(`${what} must be a positive integer; received ${value}`);
  }
}

/**
 * Groups items into arrays of `size`; the last array may be shorter. Lazy: it reads only
 * `size` items before yielding the first batch, so an endless source works.
 *
 * @typeParam T The item type.
 * @param items The items.
 * @param size Items per batch: a positive integer.
 * @returns An async generator of batches.
 * @throws RangeError (at once) when `size` is not a positive integer.
 *
 * @example
 * ```ts
 * import { batched } from "./batch.ts";
 * const batches: number[][] = [];
 * for await (const batch of batched([1, 2, 3, 4, 5], 2)) batches.push(batch);
 * batches; // [[1, 2], [3, 4], [5]]
 * ```
 */
export function batched<T>(items: Items<T>, size: number): AsyncGenerator<T[], void, undefined> {
  // Checked here, not in the generator: a generator's body only runs at the first next().
  checkPositiveInteger(size, "batched(): size");
  return (async function* () {
    let batch: T[] = [];
    for await (const item of items) {
      batch.push(item);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  })();
}

/** One started call, kept in input order until its result is yielded. */
interface Call<R> {
  state: "running" | "ok" | "error";
  value?: R;
  error?: unknown;
}

/**
 * Runs `fn` over every item with at most `concurrency` calls at once and yields the results in
 * input order.
 *
 * - Lazy: an item is pulled from `items` only when a slot is free (and only once the consumer
 *   asks for results), so an endless source works.
 * - A slot is refilled as soon as its call settles, even while an earlier, slower item holds
 *   back the results behind it.
 * - On the first failure no new call starts; the calls in flight finish (they are not aborted);
 *   then the generator throws an AggregateError of every failure, in input order.
 * - Aborting `signal`, or breaking out of the loop, stops everything: no new calls, the calls in
 *   flight see their signal abort and are awaited, and the source's `return()` runs. An abort
 *   rejects with `signal.reason`.
 *
 * @typeParam T The item type.
 * @typeParam R The result type.
 * @param items The items (an endless async generator is fine).
 * @param fn The work for one item; it gets a signal that aborts when the pool stops.
 * @param options `{ concurrency, signal }`.
 * @returns An async generator of results, in input order.
 * @throws RangeError (at once) when `concurrency` is not a positive integer.
 *
 * @example
 * ```ts
 * import { pooledMap } from "./batch.ts";
 * const sizes: number[] = [];
 * for await (const n of pooledMap(["a", "bb", "ccc"], async (s) => s.length, { concurrency: 2 })) {
 *   sizes.push(n);
 * }
 * sizes; // [1, 2, 3]
 * ```
 */
export function pooledMap<T, R>(
  items: Items<T>,
  fn: (item: T, signal: AbortSignal) => R | Promise<R>,
  options: PoolOptions,
): AsyncGenerator<R, void, undefined> {
  checkPositiveInteger(options.concurrency, "pooledMap(): concurrency");
  return run(items, fn, options.concurrency, options.signal);
}

async function* run<T, R>(
  items: Items<T>,
  fn: (item: T, signal: AbortSignal) => R | Promise<R>,
  concurrency: number,
  outer: AbortSignal | undefined,
): AsyncGenerator<R, void, undefined> {
  outer?.throwIfAborted();
  const signal = outer ?? new AbortController().signal;
  // Fixed chunks: take `concurrency` items, run them together, wait for all, repeat.
  for await (const chunk of batched(items, concurrency)) {
    const outcomes = await Promise.allSettled(chunk.map(async (item) => await fn(item, signal)));
    signal.throwIfAborted();
    const errors = outcomes.filter((o) => o.status === "rejected").map((o) => (o as PromiseRejectedResult).reason);
    if (errors.length > 0) throw new AggregateError(errors, `pooledMap(): ${errors.length} call(s) failed`);
    for (const o of outcomes) yield (o as PromiseFulfilledResult<R>).value;
  }
}

/**
 * Runs `fn` over every item like {@linkcode pooledMap}, but a failure does not stop the others:
 * it resolves with one `PromiseSettledResult` per item, in input order. It rejects only when
 * `signal` aborts (with `signal.reason`).
 *
 * @typeParam T The item type.
 * @typeParam R The result type.
 * @param items The items (finite).
 * @param fn The work for one item.
 * @param options `{ concurrency, signal }`.
 * @returns Every outcome, in input order.
 * @throws RangeError (at once) when `concurrency` is not a positive integer.
 *
 * @example
 * ```ts
 * import { mapSettled } from "./batch.ts";
 * const outcomes = await mapSettled([1, 0, 2], async (n) => {
 *   if (n === 0) throw new RangeError("zero");
 *   return 10 / n;
 * }, { concurrency: 2 });
 * outcomes.map((o) => o.status); // ["fulfilled", "rejected", "fulfilled"]
 * ```
 */
export function mapSettled<T, R>(
  items: Items<T>,
  fn: (item: T, signal: AbortSignal) => R | Promise<R>,
  options: PoolOptions,
): Promise<PromiseSettledResult<R>[]> {
  // A wrapper that never fails turns pooledMap's "stop at the first failure" into "carry on".
  const settle = async (item: T, signal: AbortSignal): Promise<PromiseSettledResult<R>> => {
    try {
      return { status: "fulfilled", value: await fn(item, signal) };
    } catch (reason) {
      if (signal.aborted && reason === signal.reason) throw reason; // an abort is not an outcome
      return { status: "rejected", reason };
    }
  };
  const results = pooledMap(items, settle, options); // validates at once
  return (async () => {
    const outcomes: PromiseSettledResult<R>[] = [];
    for await (const outcome of results) outcomes.push(outcome);
    return outcomes;
  })();
}
