// GIVEN: the asyncio.Queue of exercise 13 (without shutdown()); you do not edit it
/**
 * The queue the pipeline runs on: exercise 13's asyncio.Queue without `shutdown()`, so that
 * consumers here stop the classic way, on a sentinel.
 *
 * Waiting calls are served first come, first served, and nobody barges in: an item put while a
 * `get()` waits is promised to the oldest waiting `get()`, and a slot freed while a `put()` waits
 * is promised to the oldest waiting `put()`. An abort wins until the call resumes (exercise 13,
 * task 3).
 *
 * @module
 */
import { QUEUE } from "../../lib/kit/primitive_specs.ts";
import { watch } from "../../lib/kit/watched.ts";

/**
 * `getNowait()` found the queue empty (Python's `asyncio.QueueEmpty`).
 *
 * @example
 * ```ts
 * import { Queue, QueueEmpty } from "./given_queue.ts";
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
 * import { Queue, QueueFull } from "./given_queue.ts";
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

/** Options of every call that can wait. */
export interface WaitOptions {
  /**
   * Aborting it makes the call reject with `signal.reason`. An abort wins until the call
   * resumes: a `get()` then takes no item and a `put()` adds none.
   */
  signal?: AbortSignal;
}

/** One parked caller: how to wake it, and how to fail it. */
interface Waiter {
  wake(): void;
  fail(error: unknown): void;
}

/**
 * Parks a caller at the back of `line` until someone calls its `wake()` or `fail()`. An abort
 * while it waits takes it out of the line and rejects with the signal's reason; the abort
 * listener is removed however the wait ends.
 */
function park(line: Waiter[], signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      line.splice(line.indexOf(waiter), 1);
      reject(signal!.reason);
    };
    const waiter: Waiter = {
      wake() {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      fail(error) {
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      },
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    line.push(waiter);
  });
}

/**
 * A FIFO queue for async producers and consumers, with Python's asyncio.Queue semantics.
 *
 * @typeParam T The item type.
 *
 * @example
 * ```ts
 * import { Queue } from "./given_queue.ts";
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
  /** Every item in the queue, oldest first, including those promised to woken getters. */
  #items: T[] = [];
  #getters: Waiter[] = [];
  #putters: Waiter[] = [];
  #joiners: Waiter[] = [];
  /** Items promised to `get()` calls that were woken and have not resumed yet. */
  #promisedItems = 0;
  /** Free slots promised to `put()` calls that were woken and have not resumed yet. */
  #promisedSlots = 0;
  #unfinished = 0;

  /**
   * Creates a queue.
   *
   * @param maxsize The capacity: an integer >= 0, where 0 (the default) means unbounded.
   * @throws RangeError when maxsize is negative, fractional, NaN or Infinity.
   *
   * @example
   * ```ts
   * import { Queue } from "./given_queue.ts";
   * new Queue<number>(5).maxsize; // 5
   * ```
   */
  constructor(maxsize = 0) {
    // Python treats maxsize <= 0 as "unbounded" and compares a float size as it is; a negative,
    // fractional or infinite size here is far more likely a bug than a wish, so it is refused.
    if (!Number.isInteger(maxsize) || maxsize < 0) {
      throw new RangeError(
        `Cannot create a queue as 'maxsize' must be an integer >= 0 (0 means unbounded): received ${maxsize}`,
      );
    }
    this.maxsize = maxsize;
    // If a test deadlocks, this queue says its state and its waiting calls (lib/kit/watched.ts):
    // "Queue: empty, 1 get() call waiting". Outside a test's clock this does nothing.
    watch(this, QUEUE, () => ({
      get: this.#getters.length,
      put: this.#putters.length,
      join: this.#joiners.length,
    }));
  }

  /**
   * The number of items a `get()` arriving now could take. Items promised to woken
   * `get()` calls that have not resumed yet are not counted.
   *
   * @returns How many items wait to be taken.
   *
   * @example
   * ```ts
   * import { Queue } from "./given_queue.ts";
   * const q = new Queue<number>();
   * q.putNowait(1);
   * q.qsize(); // 1
   * ```
   */
  qsize(): number {
    return this.#items.length - this.#promisedItems;
  }

  /**
   * Whether a `get()` arriving now would have to wait: `qsize()` is 0.
   *
   * @returns True when `qsize()` is 0.
   *
   * @example
   * ```ts
   * import { Queue } from "./given_queue.ts";
   * new Queue<number>().empty(); // true
   * ```
   */
  empty(): boolean {
    return this.qsize() === 0;
  }

  /**
   * Whether a `put()` arriving now would have to wait: the items in the queue (those
   * promised to woken getters included) plus the slots promised to woken putters reach
   * `maxsize`. An unbounded queue is never full.
   *
   * @returns True when a put would have to wait.
   *
   * @example
   * ```ts
   * import { Queue } from "./given_queue.ts";
   * const q = new Queue<number>(1);
   * q.putNowait(1);
   * q.full(); // true
   * ```
   */
  full(): boolean {
    return this.maxsize > 0 && this.#items.length + this.#promisedSlots >= this.maxsize;
  }

  /**
   * Adds an item without waiting. When a `get()` waits, the item is promised to the
   * oldest one.
   *
   * @param item The item.
   * @throws QueueFull when the queue is full.
   *
   * @example
   * ```ts
   * import { Queue } from "./given_queue.ts";
   * const q = new Queue<number>();
   * q.putNowait(7);
   * ```
   */
  putNowait(item: T): void {
    if (this.full()) {
      throw new QueueFull(`putNowait() found the queue full (maxsize ${this.maxsize})`);
    }
    this.#add(item);
  }

  /**
   * Removes and returns the oldest item without waiting. When a `put()` waits, the
   * freed slot is promised to the oldest one.
   *
   * @returns The oldest item.
   * @throws QueueEmpty when `qsize()` is 0.
   *
   * @example
   * ```ts
   * import { Queue } from "./given_queue.ts";
   * const q = new Queue<number>();
   * q.putNowait(7);
   * q.getNowait(); // 7
   * ```
   */
  getNowait(): T {
    if (this.qsize() === 0) {
      throw new QueueEmpty();
    }
    return this.#take();
  }

  /**
   * Adds an item, waiting while the queue is full. Waiting producers are served in
   * the order they arrived: a freed slot is promised to the oldest one, which adds its item
   * when it resumes.
   *
   * @param item The item.
   * @param opts `signal` aborts the call; the item is then not added.
   * @returns A promise that resolves once the item is in the queue.
   * @throws The abort reason when aborted, also after a slot was promised to it (the slot then
   * goes to the next waiting put).
   *
   * @example
   * ```ts
   * import { Queue } from "./given_queue.ts";
   * const q = new Queue<number>(1);
   * await q.put(1);
   * const second = q.put(2); // waits until someone takes 1
   * q.getNowait(); // 1
   * await second;
   * ```
   */
  async put(item: T, opts: WaitOptions = {}): Promise<void> {
    const { signal } = opts;
    // A listener added after the abort would never fire: check first.
    signal?.throwIfAborted();
    if (!this.full()) return this.putNowait(item);
    await park(this.#putters, signal);
    // Woken: a slot is promised to this call.
    this.#promisedSlots--;
    if (signal?.aborted) {
      // Aborted after the slot was promised but before we resumed: as in CPython, the abort
      // wins; the slot goes to the next waiting put(), or becomes free.
      this.#promiseSlot();
      throw signal.reason;
    }
    this.#add(item);
  }

  /**
   * Removes and returns the oldest item, waiting while the queue is empty. Waiting
   * consumers are served in the order they arrived: an item put is promised to the oldest one,
   * which takes the oldest item when it resumes. Getting an item does not mark it done.
   *
   * @param opts `signal` aborts the call; nothing is taken then.
   * @returns The oldest item.
   * @throws The abort reason when aborted, also after an item was promised to it (the item then
   * goes to the next waiting get).
   *
   * @example
   * ```ts
   * import { Queue } from "./given_queue.ts";
   * const q = new Queue<string>();
   * setTimeout(() => q.putNowait("late"), 100);
   * await q.get(); // "late", at t=100 ms
   * ```
   */
  async get(opts: WaitOptions = {}): Promise<T> {
    const { signal } = opts;
    signal?.throwIfAborted();
    if (this.qsize() > 0) return this.getNowait();
    await park(this.#getters, signal);
    // Woken: an item is promised to this call.
    this.#promisedItems--;
    if (signal?.aborted) {
      // Aborted after the item was promised but before we resumed: as in CPython, the abort
      // wins; the item goes to the next waiting get(), or stays in the queue for anyone.
      this.#promiseItem();
      throw signal.reason;
    }
    return this.#take();
  }

  /**
   * Marks one item as processed. Call it once per item taken, after the work on it.
   *
   * @throws RangeError when called more times than items were put.
   *
   * @example
   * ```ts
   * import { Queue } from "./given_queue.ts";
   * const q = new Queue<number>();
   * q.putNowait(1);
   * q.getNowait();
   * q.taskDone();
   * ```
   */
  taskDone(): void {
    if (this.#unfinished <= 0) {
      throw new RangeError("taskDone() called more times than there were items put in the queue");
    }
    this.#unfinished--;
    if (this.#unfinished === 0) this.#wakeJoiners();
  }

  /**
   * Waits until every item ever put has been marked done with `taskDone()`. Resolves
   * at once when nothing is unfinished, for example on a fresh queue.
   *
   * @param opts `signal` stops waiting, also after the count reached zero but before the call
   * resumed.
   * @returns A promise that resolves when the unfinished count is 0.
   *
   * @example
   * ```ts
   * import { Queue } from "./given_queue.ts";
   * await new Queue<number>().join(); // resolves at once
   * ```
   */
  async join(opts: WaitOptions = {}): Promise<void> {
    const { signal } = opts;
    signal?.throwIfAborted();
    if (this.#unfinished === 0) return;
    await park(this.#joiners, signal);
    // The abort wins until we resume (there is nothing to hand on: every joiner was woken).
    signal?.throwIfAborted();
  }

  /** Stores an item, counts it as unfinished, and promises it to the oldest waiting get(). */
  #add(item: T): void {
    this.#items.push(item);
    this.#unfinished++;
    this.#promiseItem();
  }

  /** Takes the oldest item and promises the freed slot to the oldest waiting put(). */
  #take(): T {
    const item = this.#items.shift() as T;
    this.#promiseSlot();
    return item;
  }

  /** Wakes the oldest waiting get(), if any: one item is kept for it until it resumes. */
  #promiseItem(): void {
    const getter = this.#getters.shift();
    if (getter) {
      this.#promisedItems++;
      getter.wake();
    }
  }

  /** Wakes the oldest waiting put(), if any: one slot is kept for it until it resumes. */
  #promiseSlot(): void {
    const putter = this.#putters.shift();
    if (putter) {
      this.#promisedSlots++;
      putter.wake();
    }
  }

  #wakeJoiners(): void {
    for (const joiner of this.#joiners.splice(0)) joiner.wake();
  }
}
