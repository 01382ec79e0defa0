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
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/** Options of {@linkcode runInChunks}. */
export interface ChunkOptions {
  /** How many items to process between two yields: a positive integer or Infinity (default 100). */
  chunkSize?: number;
  /** Stops the run at the next yield: the promise then rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * Calls `fn` on every item, synchronously, `chunkSize` items at a time, and yields to the event
 * loop (`yieldToEventLoop`) between two chunks, so that timers and I/O callbacks get a turn
 * during a long job. The first chunk runs at once, inside the call; there is no yield after the
 * last chunk. Items are taken from the iterable as they are needed.
 *
 * The signal is checked before the first item is taken and after every yield (checking it
 * before each item as well is allowed): once it is aborted, no further item is taken, the
 * iterable is closed, and the promise rejects with `signal.reason`. If `fn` throws, the promise
 * rejects with that error (even if `fn` aborted the signal first) and no further item is taken. A
 * `chunkSize` that is not a positive integer or Infinity rejects with a RangeError. Problems are
 * always reported as a rejected promise, never thrown.
 *
 * @param items The items (an array, a Set, a generator...).
 * @param fn Called as `fn(item, index)`.
 * @param options `chunkSize` (default 100) and `signal`.
 * @returns The results of `fn`, in the order of the items.
 *
 * @example
 * ```ts
 * import { runInChunks } from "./event_loop.ts";
 * const squares = await runInChunks([1, 2, 3], (n) => n * n, { chunkSize: 2 }); // [1, 4, 9]
 * ```
 */
export async function runInChunks<T, R>(
  items: Iterable<T>,
  fn: (item: T, index: number) => R,
  options: ChunkOptions = {},
): Promise<R[]> {
  const { chunkSize = 100, signal } = options;
  if (!(Number.isInteger(chunkSize) && chunkSize > 0) && chunkSize !== Infinity) {
    throw new RangeError(
      `runInChunks() needs chunkSize to be a positive integer or Infinity; received ${chunkSize}`,
    );
  }
  signal?.throwIfAborted();
  const results: R[] = [];
  let inChunk = 0;
  for (const item of items) {
    if (inChunk === chunkSize) {
      await yieldToEventLoop();
      signal?.throwIfAborted();
      inChunk = 0;
    }
    results.push(fn(item, results.length));
    inChunk++;
  }
  return results;
}

/** When a batch is sent. */
export type BatchWindow = "microtask" | "macrotask";

/** Options of {@linkcode createBatcher}. */
export interface BatcherOptions {
  /**
   * "microtask" (the default): the batch is sent in a microtask queued by its first load, so it
   * holds the loads made by the same synchronous run. "macrotask": it is sent by a 0 ms timer,
   * so it also holds the loads made by the microtasks that run before that timer.
   */
  window?: BatchWindow;
  /** The most keys in one `loadMany` call: a positive integer or Infinity (the default). */
  maxBatchSize?: number;
}

/** Loads many keys at once; resolves with one value per key, in the order of the keys. */
export type LoadMany<K, V> = (keys: K[]) => Promise<readonly V[]>;

/**
 * Collects the `load(key)` calls made in one window into one `loadMany(keys)` call (the
 * DataLoader pattern: N queries become one).
 *
 * The first load of a batch schedules its dispatch (see `window`); every load until the
 * dispatch joins the batch, and a load after it starts a new batch. A key asked for twice in
 * one batch (compared as `Map` keys are) is sent once and both callers get its value. At
 * dispatch the distinct keys, in the order they were first asked for, are split into groups of
 * at most `maxBatchSize`, and every group is sent at once, each in a fresh array. When
 * `loadMany` rejects, throws, or resolves with something that is not an array of one value per
 * key (a TypeError then), every load of that group rejects with that error; other groups are
 * not affected.
 *
 * @param loadMany Loads a group of keys.
 * @param options `window` (default "microtask") and `maxBatchSize` (default Infinity).
 * @returns `load(key)`, which resolves with the key's value.
 * @throws RangeError when `maxBatchSize` is not a positive integer or Infinity.
 *
 * @example
 * ```ts
 * import { createBatcher } from "./event_loop.ts";
 * const load = createBatcher(async (ids: number[]) => ids.map((id) => `user ${id}`));
 * const [a, b] = await Promise.all([load(1), load(2)]); // one loadMany([1, 2]) call
 * ```
 */
export function createBatcher<K, V>(
  loadMany: LoadMany<K, V>,
  options: BatcherOptions = {},
): (key: K) => Promise<V> {
  const { window = "microtask", maxBatchSize = Infinity } = options;
  if (!(Number.isInteger(maxBatchSize) && maxBatchSize > 0) && maxBatchSize !== Infinity) {
    throw new RangeError(
      `createBatcher() needs maxBatchSize to be a positive integer or Infinity; received ${maxBatchSize}`,
    );
  }
  type Waiter = { resolve: (value: V) => void; reject: (error: unknown) => void };
  let batch: Map<K, Waiter[]> | undefined;

  const send = async (keys: K[], waiters: Waiter[][]) => {
    try {
      const values = await loadMany(keys);
      if (!Array.isArray(values) || values.length !== keys.length) {
        throw new TypeError(
          `loadMany() must resolve with an array of ${keys.length} values, one per key; it resolved with ${
            Array.isArray(values) ? `${values.length} values` : String(values)
          }`,
        );
      }
      waiters.forEach((list, i) => list.forEach((w) => w.resolve(values[i] as V)));
    } catch (error) {
      waiters.forEach((list) => list.forEach((w) => w.reject(error)));
    }
  };

  const dispatch = () => {
    const current = batch!;
    batch = undefined;
    const keys = [...current.keys()];
    const lists = [...current.values()];
    const size = Math.min(maxBatchSize, keys.length);
    for (let start = 0; start < keys.length; start += size) {
      void send(keys.slice(start, start + size), lists.slice(start, start + size));
    }
  };

  return (key: K) =>
    new Promise<V>((resolve, reject) => {
      if (!batch) {
        batch = new Map();
        if (window === "macrotask") setTimeout(dispatch, 0);
        else queueMicrotask(dispatch);
      }
      const list = batch.get(key);
      if (list) list.push({ resolve, reject });
      else batch.set(key, [{ resolve, reject }]);
    });
}
