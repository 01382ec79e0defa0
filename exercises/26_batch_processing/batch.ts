// deno-lint-ignore-file no-unused-vars -- the stub does not use its parameters yet; your code will
/**
 * Batch processing: run an async function over many items (URLs, rows, files) with a bounded
 * number of calls at once, without ever loading the whole input, and decide what one failure
 * does to the rest.
 *
 * - `batched(items, size)` groups items into arrays of `size` (Python's `itertools.batched`),
 *   for APIs that take many items per call (bulk inserts, batch endpoints).
 * - `mapInChunks(items, fn, { size, signal })` is the tutorial's way: take `size` items, start
 *   `fn` on all of them, wait until every one has settled, yield their results, take the next
 *   `size`. Simple, and at most `size` calls run at once, but every chunk waits for its slowest
 *   item while the other slots sit idle.
 * - `pooledMap(items, fn, { concurrency, signal })` keeps `concurrency` calls running: a slot is
 *   refilled as soon as its call settles, so one slow item never holds up the others. Results
 *   come out in input order; the next item is pulled only when a slot is free, so an endless
 *   source works.
 * - `mapSettled(items, fn, opts)` runs everything like `pooledMap` and reports each outcome,
 *   like `Promise.allSettled`, for "process everything, then report the failures".
 *
 * `mapInChunks` and `pooledMap` treat failures alike: no new call starts, the calls in flight
 * finish, and an AggregateError of every failure, in input order, ends the run.
 *
 * @module
 */

import { checkPositiveInteger, type Items, open } from "./given_helpers.ts";

export type { Items } from "./given_helpers.ts";

/** Options of {@linkcode mapInChunks}. */
export interface ChunkOptions {
  /** Items per chunk: a positive integer. At most this many calls run at once. */
  size: number;
  /** Aborting stops everything: no new chunk, the calls in flight see their signal abort. */
  signal?: AbortSignal;
}

/** Options of {@linkcode pooledMap} and {@linkcode mapSettled}. */
export interface PoolOptions {
  /** The most calls of `fn` that may run at once: a positive integer. */
  concurrency: number;
  /** Aborting stops everything: no new calls, calls in flight see their signal abort. */
  signal?: AbortSignal;
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
  // TODO: check size at once, then return an async generator that yields arrays of size items (the last may be shorter, never empty)
  throw new Error("not implemented: batched() (task 1)");
}

/**
 * Runs `fn` over the items chunk by chunk, as the tutorial does with `asyncio.gather`: it takes
 * `size` items, starts `fn` on all of them at once, waits until every one has settled, yields
 * their results in input order, and only then takes the next `size` items.
 *
 * - Lazy: it reads `size` items per chunk, and the first chunk only at the first `next()`.
 * - A failure (a rejection or a synchronous throw of `fn`) lets the rest of its chunk finish,
 *   starts no further chunk, and throws an AggregateError of the chunk's failures, in input order.
 * - `fn` gets `signal` (or a signal that never aborts). When it aborts, no further chunk starts,
 *   and once the calls of the chunk in flight have settled the generator rejects with
 *   `signal.reason`. A pre-aborted signal pulls nothing.
 * - Breaking out of the loop, a failure and an abort all close the source (its `return()` runs).
 *
 * @typeParam T The item type.
 * @typeParam R The result type.
 * @param items The items (an endless async generator is fine).
 * @param fn The work for one item.
 * @param options `{ size, signal }`.
 * @returns An async generator of results, in input order.
 * @throws RangeError (at once) when `size` is not a positive integer.
 *
 * @example
 * ```ts
 * import { mapInChunks } from "./batch.ts";
 * const lengths: number[] = [];
 * for await (const n of mapInChunks(["a", "bb", "ccc"], async (s) => s.length, { size: 2 })) {
 *   lengths.push(n); // 1 and 2 together, then 3
 * }
 * ```
 */
export function mapInChunks<T, R>(
  items: Items<T>,
  fn: (item: T, signal: AbortSignal) => R | Promise<R>,
  options: ChunkOptions,
): AsyncGenerator<R, void, undefined> {
  // Check the size here (batched() does it), then return the generator of a private `async function*`.
  // TODO: take size items at a time, start fn on all of them, wait for every one to settle, yield their results in input order
  throw new Error("not implemented: mapInChunks() (task 2)");
}

/**
 * Runs `fn` over every item with at most `concurrency` calls at once and yields the results in
 * input order.
 *
 * - Lazy: an item is pulled from `items` only while fewer than `concurrency` calls run (and not
 *   before the consumer's first `next()`), so an endless source works.
 * - A slot is refilled as soon as its call settles, even while an earlier, slower item holds
 *   back the results behind it.
 * - A failure (a rejection or a synchronous throw of `fn`): no new call starts; the calls in
 *   flight finish (they are not aborted); then the generator throws an AggregateError of every
 *   failure, in input order, and closes the source.
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
  // Check the options here, then return the generator made by a private `async function*`: its body
  // would only run at the first next(). Keep the started calls in an array in input order.
  // TODO: run fn over the items with at most options.concurrency calls at once, refill a slot as soon as its call settles, and yield the results in input order
  throw new Error("not implemented: pooledMap() (task 3)");
}

/**
 * Runs `fn` over every item like {@linkcode pooledMap}, but a failure does not stop the others:
 * it resolves with one `PromiseSettledResult` per item, in input order (a synchronous throw of
 * `fn` is a "rejected" outcome too). It rejects only when `signal` aborts (with `signal.reason`),
 * and with a RangeError when `concurrency` is not a positive integer.
 *
 * @typeParam T The item type.
 * @typeParam R The result type.
 * @param items The items (finite).
 * @param fn The work for one item.
 * @param options `{ concurrency, signal }`.
 * @returns Every outcome, in input order.
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
  // TODO: collect one PromiseSettledResult per item, in input order, with the same pool (reuse pooledMap)
  throw new Error("not implemented: mapSettled() (task 4)");
}
