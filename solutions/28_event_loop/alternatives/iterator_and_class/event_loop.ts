/**
 * The event loop: who runs when.
 *
 * JavaScript runs one callback at a time. Between two macrotasks (a timer firing, an I/O
 * callback, a `setImmediate`), it drains the microtask queue: promise reactions, the rest of an
 * `async` function after an `await`, `queueMicrotask` callbacks, including the ones queued while
 * draining. This module predicts orderings (`predict`), yields to the event loop the way
 * `asyncio.sleep(0)` does (`yieldToEventLoop`), keeps a long synchronous job from starving timers
 * (`runInChunks`), and collects the calls made in one turn into one batch (`createBatcher`).
 *
 * @module
 */
import type { PuzzleName } from "./given_puzzles.ts";

/**
 * Your prediction for a puzzle of `given_puzzles.ts`: the events it logs, in order.
 *
 * @param puzzle The puzzle's name.
 * @returns The events, in the order you expect them.
 *
 * @example
 * ```ts
 * import { predict } from "./event_loop.ts";
 * predict("syncThenMicrotaskThenTimer"); // ["A", ...]
 * ```
 */
export function predict(puzzle: PuzzleName): string[] {
  const predictions: Record<PuzzleName, string[]> = {
    // Synchronous code runs to the end; then the microtask queue; then the timer.
    syncThenMicrotaskThenTimer: ["A", "D", "C", "B"],
    // Every await of a settled value resumes in a microtask: all of them before the timer.
    awaitSettled: [
      "task: start",
      "main: task() returned",
      "task: after await null",
      "task: after await Promise.resolve(42)",
      "main: after await done",
      "timer",
    ],
    // The loop never returns to the event loop: the timer runs when the loop is over.
    microtaskLoop: ["loop ended after 1000 turns", "timer ran after 1000 turns"],
    // The first await of a 0 ms timer lets the older timer run first.
    timerLoop: ["timer ran after 1 turns", "loop ended after 1 turns"],
    // Microtasks first; then setImmediate before a 0 ms timer scheduled at the same moment.
    threeQueues: ["sync", "queueMicrotask", "setImmediate", "setTimeout 0"],
    // The microtask queue is drained after each timer callback.
    microtasksBetweenTimers: [
      "timer 1",
      "microtask queued by timer 1",
      "then queued by timer 1",
      "timer 2",
    ],
    // Each .then is queued when the previous one ran: the chains take turns.
    twoChains: ["a1", "b1", "a2", "b2", "a3"],
    // Timers by due time, then in the order they were created.
    timerOrder: ["0 ms", "0 ms, from a microtask", "10 ms, first", "10 ms, second", "20 ms"],
    // The await null loop runs to the end while the other waits for its timer.
    twoLoops: [
      "timer loop 1",
      "null loop 1",
      "null loop 2",
      "null loop 3",
      "timer loop 2",
      "timer loop 3",
    ],
    // Returning a promise from an async function costs two extra microtask turns.
    returnValueOrPromise: [
      "returned a value",
      "tick 1",
      "tick 2",
      "returned a promise",
      "tick 3",
      "tick 4",
    ],
  };
  return predictions[puzzle];
}

/**
 * Gives the event loop a turn, like `await asyncio.sleep(0)`: resolves in a new macrotask, after
 * every callback already scheduled with `setTimeout(..., 0)` or `setImmediate`. Never a
 * microtask (`await null` lets no timer run). Takes no virtual time and leaves no timer behind.
 *
 * @returns A promise that resolves (with nothing) one macrotask later.
 *
 * @example
 * ```ts
 * import { yieldToEventLoop } from "./event_loop.ts";
 * setTimeout(() => console.log("timer"), 0);
 * await yieldToEventLoop(); // "timer" has been logged
 * ```
 */
export function yieldToEventLoop(): Promise<void> {
  const { promise, resolve } = Promise.withResolvers<void>();
  setTimeout(resolve);
  return promise;
}

/** Options of {@linkcode runInChunks}. */
export interface ChunkOptions {
  /** How many items to process between two yields: a positive integer or Infinity (default 100). */
  chunkSize?: number;
  /** Stops the run at the next yield: the promise then rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * Calls `fn` on every item, `chunkSize` at a time, yielding between chunks (this version drives
 * the iterator by hand and checks the signal before every item).
 *
 * @param items The items.
 * @param fn Called as `fn(item, index)`.
 * @param options `chunkSize` (default 100) and `signal`.
 * @returns The results, in order.
 *
 * @example
 * ```ts
 * import { runInChunks } from "./event_loop.ts";
 * await runInChunks([1, 2, 3], (n) => n * n, { chunkSize: 2 }); // [1, 4, 9]
 * ```
 */
export function runInChunks<T, R>(
  items: Iterable<T>,
  fn: (item: T, index: number) => R,
  options: ChunkOptions = {},
): Promise<R[]> {
  const chunkSize = options.chunkSize ?? 100;
  const signal = options.signal;
  const valid = chunkSize === Infinity || (Number.isInteger(chunkSize) && chunkSize >= 1);
  if (!valid) return Promise.reject(new RangeError(`bad chunkSize: ${chunkSize}`));
  if (signal?.aborted) return Promise.reject(signal.reason);
  const iterator = items[Symbol.iterator]();
  const results: R[] = [];
  const close = (error: unknown) => {
    iterator.return?.();
    throw error;
  };
  // Each step processes one chunk, starting with an item already taken from the iterator, and
  // takes the next item before it yields: no yield after the last chunk.
  const step = (first: IteratorResult<T>): Promise<R[]> | R[] => {
    let next = first;
    try {
      for (let n = 0; !next.done; n++) {
        if (n === chunkSize) {
          return yieldToEventLoop().then(() => {
            if (signal?.aborted) close(signal.reason);
            return step(next);
          });
        }
        if (signal?.aborted) throw signal.reason;
        results.push(fn(next.value, results.length));
        next = iterator.next();
      }
      return results;
    } catch (error) {
      return close(error);
    }
  };
  try {
    return Promise.resolve(step(iterator.next()));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** When a batch is sent. */
export type BatchWindow = "microtask" | "macrotask";

/** Options of {@linkcode createBatcher}. */
export interface BatcherOptions {
  /** "microtask" (the default) or "macrotask". */
  window?: BatchWindow;
  /** The most keys in one `loadMany` call (default Infinity). */
  maxBatchSize?: number;
}

/** Loads many keys at once; resolves with one value per key, in the order of the keys. */
export type LoadMany<K, V> = (keys: K[]) => Promise<readonly V[]>;

class Batch<K, V> {
  readonly keys: K[] = [];
  readonly callers: PromiseWithResolvers<V>[][] = [];
  add(key: K): Promise<V> {
    let i = this.keys.indexOf(key);
    if (i < 0 && key !== key) i = this.keys.findIndex((k) => k !== k); // NaN
    if (i < 0) {
      i = this.keys.push(key) - 1;
      this.callers.push([]);
    }
    const caller = Promise.withResolvers<V>();
    this.callers[i]!.push(caller);
    return caller.promise;
  }
}

class Batcher<K, V> {
  #open: Batch<K, V> | null = null;
  constructor(
    readonly loadMany: LoadMany<K, V>,
    readonly window: BatchWindow,
    readonly max: number,
  ) {}

  load(key: K): Promise<V> {
    if (this.#open === null) {
      const batch = new Batch<K, V>();
      this.#open = batch;
      const go = () => this.#dispatch(batch);
      if (this.window === "microtask") Promise.resolve().then(go);
      else setTimeout(go, 0);
    }
    return this.#open.add(key);
  }

  #dispatch(batch: Batch<K, V>): void {
    if (this.#open === batch) this.#open = null;
    for (let start = 0; start < batch.keys.length; start += this.max) {
      const keys = batch.keys.slice(start, start + this.max);
      const callers = batch.callers.slice(start, start + this.max);
      new Promise<readonly V[]>((resolve) => resolve(this.loadMany(keys)))
        .then((values) => {
          if (!Array.isArray(values) || values.length !== keys.length) {
            throw new TypeError(`loadMany() must give ${keys.length} values`);
          }
          callers.forEach((list, i) => list.forEach((c) => c.resolve(values[i])));
        })
        .catch((error) => callers.forEach((list) => list.forEach((c) => c.reject(error))));
    }
  }
}

/**
 * Collects the loads of one window into one `loadMany` call (a class-based version).
 *
 * @param loadMany Loads a group of keys.
 * @param options `window` and `maxBatchSize`.
 * @returns `load(key)`.
 * @throws RangeError for a bad maxBatchSize.
 *
 * @example
 * ```ts
 * import { createBatcher } from "./event_loop.ts";
 * const load = createBatcher(async (ids: number[]) => ids.map(String));
 * await Promise.all([load(1), load(2)]);
 * ```
 */
export function createBatcher<K, V>(
  loadMany: LoadMany<K, V>,
  options: BatcherOptions = {},
): (key: K) => Promise<V> {
  const max = options.maxBatchSize ?? Infinity;
  if (!(max === Infinity || (Number.isInteger(max) && max >= 1))) {
    throw new RangeError(`bad maxBatchSize: ${max}`);
  }
  const batcher = new Batcher(loadMany, options.window ?? "microtask", max);
  return (key) => batcher.load(key);
}
