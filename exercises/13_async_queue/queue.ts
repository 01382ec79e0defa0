// deno-lint-ignore-file no-unused-vars require-await require-yield -- the stub does not use its parameters yet; your code will
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
 * Waiting calls are served first come, first served, and nobody barges in: an item put while a
 * `get()` waits is promised to the oldest waiting `get()`, and a slot freed while a `put()`
 * waits is promised to the oldest waiting `put()`; until that call resumes, the queue holds an
 * item (or a slot) for it that nobody who arrives later can take. Items still leave in the order
 * they were put. As in CPython, an abort wins until the call resumes:
 * a `get()` aborted after an item was promised to it takes nothing (the promise goes to the next
 * waiting `get()`), and a `put()` aborted after a slot was promised to it adds nothing (the slot
 * goes to the next waiting `put()`).
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
  /**
   * Aborting it makes the call reject with `signal.reason`. An abort wins until the call
   * resumes: a `get()` then takes no item and a `put()` adds none.
   */
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
   * @throws RangeError when maxsize is negative, fractional, NaN or Infinity.
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * new Queue<number>(5).maxsize; // 5
   * ```
   */
  constructor(maxsize = 0) {
    // TODO: validate maxsize (a RangeError unless it is an integer >= 0), store it, and set up the items, the lines of waiting getters, putters and joiners, the counts of promised items and slots, and the unfinished count.
    throw new Error("not implemented: new Queue() (task 1)");
  }

  /**
   * The number of items a `get()` arriving now could take (task 1). Items promised to woken
   * `get()` calls that have not resumed yet are not counted.
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
    // TODO: return how many items a get() arriving now could take (promised items do not count).
    throw new Error("not implemented: Queue.qsize() (task 1)");
  }

  /**
   * Whether a `get()` arriving now would have to wait (task 1): `qsize()` is 0.
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
    // TODO: return whether qsize() is 0.
    throw new Error("not implemented: Queue.empty() (task 1)");
  }

  /**
   * Whether a `put()` arriving now would have to wait (task 1): the items in the queue (those
   * promised to woken getters included) plus the slots promised to woken putters reach
   * `maxsize`. An unbounded queue is never full.
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
    // TODO: return whether the items held plus the promised slots reach maxsize (never, when maxsize is 0).
    throw new Error("not implemented: Queue.full() (task 1)");
  }

  /**
   * Adds an item without waiting (task 1). When a `get()` waits, the item is promised to the
   * oldest one (task 2).
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
  putNowait(item: T): void {
    // TODO: throw QueueShutDown or QueueFull; store the item, count it as unfinished, and promise it to the oldest waiting get().
    throw new Error("not implemented: Queue.putNowait() (task 1)");
  }

  /**
   * Removes and returns the oldest item without waiting (task 1). When a `put()` waits, the
   * freed slot is promised to the oldest one (task 2).
   *
   * @returns The oldest item.
   * @throws QueueEmpty when `qsize()` is 0; QueueShutDown when it is 0 and the queue is shut down.
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
    // TODO: throw QueueShutDown or QueueEmpty when qsize() is 0; take the oldest item and promise the freed slot to the oldest waiting put().
    throw new Error("not implemented: Queue.getNowait() (task 1)");
  }

  /**
   * Adds an item, waiting while the queue is full (task 2). Waiting producers are served in
   * the order they arrived: a freed slot is promised to the oldest one, which adds its item
   * when it resumes.
   *
   * @param item The item.
   * @param opts `signal` aborts the call; the item is then not added (task 3).
   * @returns A promise that resolves once the item is in the queue.
   * @throws QueueShutDown after `shutdown()`, also for a put that was waiting; the abort reason
   * when aborted, also after a slot was promised to it (the slot then goes to the next waiting
   * put).
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
  async put(item: T, opts: WaitOptions = {}): Promise<void> {
    // TODO: check the signal first; when full, wait at the back of the putters' line (leave it on abort, reject with signal.reason, remove the listener on every path); once woken, add the item.
    // TODO: (task 3) once woken, the abort still wins: if the signal aborted before this call resumed, pass the promised slot on and reject with signal.reason.
    throw new Error("not implemented: Queue.put() (task 2)");
  }

  /**
   * Removes and returns the oldest item, waiting while the queue is empty (task 2). Waiting
   * consumers are served in the order they arrived: an item put is promised to the oldest one,
   * which takes the oldest item when it resumes. Getting an item does not mark it done.
   *
   * @param opts `signal` aborts the call; nothing is taken then (task 3).
   * @returns The oldest item.
   * @throws QueueShutDown once the queue is shut down and empty; the abort reason when aborted,
   * also after an item was promised to it (the item then goes to the next waiting get).
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * const q = new Queue<string>();
   * setTimeout(() => q.putNowait("late"), 100);
   * await q.get(); // "late", at t=100 ms
   * ```
   */
  async get(opts: WaitOptions = {}): Promise<T> {
    // TODO: check the signal first; when empty, wait at the back of the getters' line (leave it on abort, reject with signal.reason, remove the listener on every path); once woken, take the oldest item.
    // TODO: (task 3) once woken, the abort still wins: if the signal aborted before this call resumed, pass the promised item on and reject with signal.reason.
    throw new Error("not implemented: Queue.get() (task 2)");
  }

  /**
   * Marks one item as processed (task 4). Call it once per item taken, after the work on it.
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
    throw new Error("not implemented: Queue.taskDone() (task 4)");
  }

  /**
   * Waits until every item ever put has been marked done with `taskDone()` (task 4). Resolves
   * at once when nothing is unfinished, for example on a fresh queue.
   *
   * @param opts `signal` stops waiting, also after the count reached zero but before the call
   * resumed.
   * @returns A promise that resolves when the unfinished count is 0.
   *
   * @example
   * ```ts
   * import { Queue } from "./queue.ts";
   * await new Queue<number>().join(); // resolves at once
   * ```
   */
  async join(opts: WaitOptions = {}): Promise<void> {
    // TODO: resolve at once when nothing is unfinished, otherwise wait until taskDone() brings the count to zero; reject with signal.reason when aborted, also after being woken but before resuming.
    throw new Error("not implemented: Queue.join() (task 4)");
  }

  /**
   * Shuts the queue down (task 5), as Python 3.13 does. Every later put fails and every waiting
   * put fails with QueueShutDown. Gets go on taking what is left, then fail with QueueShutDown;
   * waiting gets fail at once (they only wait when the queue is empty).
   *
   * With `immediate`, the items left are thrown away and each counts as done (which may release
   * `join()`), so gets fail at once too; that includes items promised to woken gets that have
   * not resumed yet.
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
  shutdown(immediate = false): void {
    // TODO: set the shut-down flag; with immediate, drop every item (promised ones too) counting each as done (never below zero) and release join() at zero; fail every waiting get() and put() with QueueShutDown.
    throw new Error("not implemented: Queue.shutdown() (task 5)");
  }

  /**
   * Iterates over the items with `for await`, taking each with `get()` (task 6), and ends once
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
    // TODO: loop: yield await this.get(); end quietly when it throws QueueShutDown, rethrow anything else.
    throw new Error("not implemented: Queue[Symbol.asyncIterator]() (task 6)");
  }
}
