/**
 * An asyncio.Queue for TypeScript: a first-in, first-out queue that coordinates producer and
 * consumer tasks.
 *
 * Producers `await queue.put(item)` and wait while the queue is full (back-pressure); consumers
 * `await queue.get()` and wait while it is empty. Every item put counts as one unfinished task
 * until a consumer calls `taskDone()` for it; `join()` waits until that count drops to zero.
 * `shutdown()` (Python 3.13) stops new puts, lets consumers drain what is left and then makes
 * `get()` fail with `QueueShutDown`; `shutdown(true)` also throws away what is left.
 *
 * One deliberate difference from CPython: an item put while a consumer waits is handed straight
 * to the oldest waiting consumer, and a slot freed while a producer waits goes straight to the
 * oldest waiting producer. Nobody who arrives later can take it first (no barging).
 *
 * @module
 */

/**
 * `getNowait()` found the queue empty (Python's `asyncio.QueueEmpty`).
 *
 * @example
 * ```ts
 * import { Queue, QueueEmpty } from "./queue.ts";
 * try { new Queue<number>().getNowait(); } catch (e) { e instanceof QueueEmpty; } // true
 * ```
 */
export class QueueEmpty extends Error {
  override name = "QueueEmpty";
  constructor(message = "getNowait() found the queue empty") {
    super(message);
  }
}

/**
 * `putNowait()` found the queue full (Python's `asyncio.QueueFull`).
 *
 * @example
 * ```ts
 * import { Queue, QueueFull } from "./queue.ts";
 * const q = new Queue<number>(1);
 * q.putNowait(1);
 * try { q.putNowait(2); } catch (e) { e instanceof QueueFull; } // true
 * ```
 */
export class QueueFull extends Error {
  override name = "QueueFull";
  constructor(message = "putNowait() found the queue full") {
    super(message);
  }
}

/**
 * The queue was shut down (Python 3.13's `asyncio.QueueShutDown`): puts always fail, gets fail
 * once the queue is empty.
 *
 * @example
 * ```ts
 * import { Queue, QueueShutDown } from "./queue.ts";
 * const q = new Queue<number>();
 * q.shutdown();
 * try { q.putNowait(1); } catch (e) { e instanceof QueueShutDown; } // true
 * ```
 */
export class QueueShutDown extends Error {
  override name = "QueueShutDown";
  constructor(message = "the queue was shut down") {
    super(message);
  }
}

/** Options of every call that can wait. */
export interface WaitOptions {
  /** Aborting it makes the call reject with `signal.reason` and leave the queue untouched. */
  signal?: AbortSignal;
}

/**
 * A FIFO queue for async producers and consumers, with Python's asyncio.Queue semantics.
 *
 * @typeParam T The item type.
 *
 * @example
 * ```ts
 * import { Queue } from "./queue.ts";
 * const q = new Queue<string>(2);
 * await q.put("a");
 * const item = await q.get(); // "a"
 * q.taskDone();
 * await q.join(); // every item put has been processed
 * ```
 */
export class Queue<T> {
  /** How many items the queue holds before `put()` waits; 0 means no limit. */
  readonly maxsize: number;

  /**
   * Creates a queue (task 1).
   *
   * @param maxsize The capacity: an integer >= 0, where 0 (the default) means unbounded.
   * @throws RangeError when maxsize is negative or not an integer.
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * new Queue<number>(5).maxsize; // 5
   * ```
   */
  constructor(maxsize = 0) {
    // TODO: validate maxsize (RangeError), store it, and set up the items, the lines of waiting getters and putters, and the unfinished count.
    this.maxsize = maxsize;
    throw new Error("not implemented: new Queue() (task 1)");
  }

  /**
   * The number of items in the queue (task 1).
   *
   * @returns How many items wait to be taken.
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * const q = new Queue<number>();
   * q.putNowait(1);
   * q.qsize(); // 1
   * ```
   */
  qsize(): number {
    // TODO: return how many items are in the queue.
    throw new Error("not implemented: Queue.qsize() (task 1)");
  }

  /**
   * Whether the queue holds no items (task 1).
   *
   * @returns True when `qsize()` is 0.
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * new Queue<number>().empty(); // true
   * ```
   */
  empty(): boolean {
    // TODO: return whether the queue holds no items.
    throw new Error("not implemented: Queue.empty() (task 1)");
  }

  /**
   * Whether the queue holds `maxsize` items (task 1). An unbounded queue is never full.
   *
   * @returns True when a put would have to wait.
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * const q = new Queue<number>(1);
   * q.putNowait(1);
   * q.full(); // true
   * ```
   */
  full(): boolean {
    // TODO: return whether the queue holds maxsize items (an unbounded queue is never full).
    throw new Error("not implemented: Queue.full() (task 1)");
  }

  /**
   * Adds an item without waiting (task 1). A waiting `get()` receives it at once.
   *
   * @param item The item.
   * @throws QueueFull when the queue is full; QueueShutDown after `shutdown()`.
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * const q = new Queue<number>();
   * q.putNowait(7);
   * ```
   */
  putNowait(_item: T): void {
    // TODO: throw QueueShutDown or QueueFull, count the item as unfinished, then hand it to the oldest waiting getter or store it.
    throw new Error("not implemented: Queue.putNowait() (task 1)");
  }

  /**
   * Removes and returns the first item without waiting (task 1). A waiting `put()` takes the
   * freed slot at once.
   *
   * @returns The oldest item.
   * @throws QueueEmpty when the queue is empty; QueueShutDown when it is empty and shut down.
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * const q = new Queue<number>();
   * q.putNowait(7);
   * q.getNowait(); // 7
   * ```
   */
  getNowait(): T {
    // TODO: throw QueueShutDown or QueueEmpty when there is no item; take the oldest item and let the oldest waiting putter's item in.
    throw new Error("not implemented: Queue.getNowait() (task 1)");
  }

  /**
   * Adds an item, waiting while the queue is full (task 2). Waiting producers enter in the
   * order they arrived.
   *
   * @param item The item.
   * @param opts `signal` aborts the wait; the item is then not added.
   * @returns A promise that resolves once the item is in the queue (or handed to a consumer).
   * @throws QueueShutDown after `shutdown()`, also for a put that was waiting; the abort reason
   * when aborted.
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * const q = new Queue<number>(1);
   * await q.put(1);
   * const second = q.put(2); // waits until someone takes 1
   * q.getNowait(); // 1
   * await second;
   * ```
   */
  async put(_item: T, _opts: WaitOptions = {}): Promise<void> {
    // TODO: check the signal first; when full, wait at the back of the putters' line; on abort leave the line and reject with signal.reason.
    throw new Error("not implemented: Queue.put() (task 2)");
  }

  /**
   * Removes and returns the first item, waiting while the queue is empty (task 2). Waiting
   * consumers are served in the order they arrived. Getting an item does not mark it done.
   *
   * @param opts `signal` aborts the wait; nothing is taken from the queue then.
   * @returns The oldest item.
   * @throws QueueShutDown once the queue is shut down and empty; the abort reason when aborted.
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * const q = new Queue<string>();
   * setTimeout(() => q.putNowait("late"), 100);
   * await q.get(); // "late", at t=100 ms
   * ```
   */
  async get(_opts: WaitOptions = {}): Promise<T> {
    // TODO: check the signal first; when empty, wait at the back of the getters' line; on abort leave the line and reject with signal.reason.
    throw new Error("not implemented: Queue.get() (task 2)");
  }

  /**
   * Marks one item as processed (task 3). Call it once per item taken, after the work on it.
   *
   * @throws RangeError when called more times than items were put.
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * const q = new Queue<number>();
   * q.putNowait(1);
   * q.getNowait();
   * q.taskDone();
   * ```
   */
  taskDone(): void {
    // TODO: lower the unfinished count (RangeError below zero) and release every join() at zero.
    throw new Error("not implemented: Queue.taskDone() (task 3)");
  }

  /**
   * Waits until every item ever put has been marked done with `taskDone()` (task 3). Resolves
   * at once when nothing is unfinished, for example on a fresh queue.
   *
   * @param opts `signal` stops waiting.
   * @returns A promise that resolves when the unfinished count is 0.
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * await new Queue<number>().join(); // resolves at once
   * ```
   */
  async join(_opts: WaitOptions = {}): Promise<void> {
    // TODO: resolve at once when nothing is unfinished, otherwise wait until taskDone() brings the count to zero.
    throw new Error("not implemented: Queue.join() (task 3)");
  }

  /**
   * Shuts the queue down (task 4), as Python 3.13 does. Every later put fails and every waiting
   * put fails with QueueShutDown. Gets go on taking what is left, then fail with QueueShutDown;
   * waiting gets fail at once (they only wait when the queue is empty).
   *
   * With `immediate`, the items left are thrown away and each counts as done (which may release
   * `join()`), so gets fail at once too.
   *
   * @param immediate Drop the remaining items instead of letting consumers drain them.
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * const q = new Queue<number>();
   * q.putNowait(1);
   * q.shutdown();
   * q.getNowait(); // 1, then the next get throws QueueShutDown
   * ```
   */
  shutdown(_immediate = false): void {
    // TODO: refuse further puts; with immediate drop the items (each counts as done); fail every waiting get and put with QueueShutDown.
    throw new Error("not implemented: Queue.shutdown() (task 4)");
  }

  /**
   * Iterates over the items with `for await`, taking each with `get()` (task 5), and ends once
   * the queue is shut down and empty. It does not call `taskDone()`: the loop body does.
   *
   * @returns An async iterator of the items.
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * const q = new Queue<number>();
   * q.putNowait(1);
   * q.shutdown();
   * for await (const item of q) { q.taskDone(); } // one round, item 1
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    // TODO: yield items from get() until it fails with QueueShutDown, then end.
    throw new Error("not implemented: Queue[Symbol.asyncIterator]() (task 5)");
  }
}
