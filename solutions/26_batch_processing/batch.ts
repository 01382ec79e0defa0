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
  const chunks = batched(items, options.size); // checks size at once
  const signal = options.signal ?? new AbortController().signal;
  return (async function* () {
    signal.throwIfAborted(); // a pre-aborted signal: pull nothing, call nothing
    // `for await` closes `chunks` (and so the source) however the loop ends: a throw here, or
    // the consumer breaking out while we are suspended at a `yield`.
    for await (const chunk of chunks) {
      signal.throwIfAborted(); // aborted while the consumer held a result: start no further chunk
      // Python: results = await asyncio.gather(*(fn(x) for x in chunk)). allSettled, not all:
      // the rest of the chunk finishes before we decide what a failure means.
      const outcomes = await Promise.allSettled(
        chunk.map((item) => new Promise<R>((resolve) => resolve(fn(item, signal)))),
      );
      signal.throwIfAborted();
      const errors = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
      if (errors.length > 0) {
        throw new AggregateError(errors, `mapInChunks(): ${errors.length} call(s) failed`);
      }
      for (const outcome of outcomes) yield (outcome as PromiseFulfilledResult<R>).value;
    }
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
  checkPositiveInteger(options.concurrency, "pooledMap(): concurrency");
  return run(items, fn, options.concurrency, options.signal);
}

async function* run<T, R>(
  items: Items<T>,
  fn: (item: T, signal: AbortSignal) => R | Promise<R>,
  concurrency: number,
  outer: AbortSignal | undefined,
): AsyncGenerator<R, void, undefined> {
  outer?.throwIfAborted(); // a pre-aborted signal: pull nothing, call nothing
  // Our own controller follows the caller's signal, and lets a `break` stop the calls too.
  const controller = new AbortController();
  const { signal } = controller;
  const onAbort = () => controller.abort(outer!.reason);
  outer?.addEventListener("abort", onAbort, { once: true });

  const iterator = open(items);
  const window: Call<R>[] = []; // started and not yet yielded, in input order
  let running = 0;
  let exhausted = false;
  let wake: (() => void) | undefined; // resolves the wait below when any call settles
  const settled = () => new Promise<void>((resolve) => (wake = resolve));
  const failed = () => window.some((call) => call.state === "error");

  const start = (item: T) => {
    const call: Call<R> = { state: "running" };
    window.push(call);
    running++;
    // Promise.resolve().then(...) turns a synchronous throw of fn into a rejection too.
    void Promise.resolve()
      .then(() => fn(item, signal))
      .then(
        (value) => Object.assign(call, { state: "ok", value }),
        (error) => Object.assign(call, { state: "error", error }),
      )
      .then(() => {
        running--;
        wake?.();
      });
  };

  try {
    for (;;) {
      // Fill the free slots, pulling one item per free slot: never more.
      while (!exhausted && running < concurrency && !failed() && !signal.aborted) {
        const next = await iterator.next();
        if (next.done) exhausted = true;
        else start(next.value);
      }
      const stopping = failed() || signal.aborted;
      const head = window[0];
      if (!stopping && head?.state === "ok") {
        window.shift();
        yield head.value as R;
        continue;
      }
      if (running === 0 && (stopping || window.length === 0)) break;
      await settled(); // a call settled: a slot is free, or the head may be ready
    }
    if (signal.aborted) throw signal.reason;
    const errors = window.filter((call) => call.state === "error").map((call) => call.error);
    if (errors.length > 0) {
      throw new AggregateError(errors, `pooledMap(): ${errors.length} call(s) failed`);
    }
  } finally {
    // Reached on completion, failure, abort, and when the consumer breaks out of its loop.
    outer?.removeEventListener("abort", onAbort);
    if (running > 0) {
      controller.abort(new DOMException("pooledMap() was stopped", "AbortError"));
      while (running > 0) await settled();
    }
    if (!exhausted) await iterator.return?.();
  }
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
export async function mapSettled<T, R>(
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
  const outcomes: PromiseSettledResult<R>[] = [];
  // pooledMap() checks concurrency at once: inside this async function that is a rejection.
  for await (const outcome of pooledMap(items, settle, options)) outcomes.push(outcome);
  return outcomes;
}
