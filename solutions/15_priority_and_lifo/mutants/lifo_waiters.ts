// MUTANT: LifoQueue also serves waiting getters last-come first-served
/**
 * PriorityQueue and LifoQueue: the same asyncio queue, with a different order of items.
 *
 * In CPython, `PriorityQueue` and `LifoQueue` are tiny subclasses of `Queue` that override only
 * the storage (`_init`, `_put`, `_get`): a heap that hands out the smallest item, or a stack that
 * hands out the newest. Everything else (waiting, FIFO waiters, task_done/join, shutdown) is the
 * base class's. This file has the same shape:
 *
 * - first, provided: `Queue<T>`, the asyncio queue of exercise 11, whose storage goes through
 *   three protected hooks `_put(item)`, `_get()` and `_size()`;
 * - then your part (at the bottom): `pythonCompare()`, Python's ordering of numbers, strings and
 *   tuples; `PriorityQueue<T>`, a binary heap, smallest first, equal items first in, first out;
 *   and `LifoQueue<T>`, a stack.
 *
 * @module
 */

// ---------------------------------------------------------------------------------------------
// Provided: the base queue (exercise 11's answer, with its storage behind _put/_get/_size).
// You do not need to change anything in this section; your part starts further down.
// ---------------------------------------------------------------------------------------------

/**
 * `getNowait()` found the queue empty (Python's `asyncio.QueueEmpty`).
 *
 * @example
 * ```ts
 * import { Queue, QueueEmpty } from "./queues.ts";
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
 * import { Queue, QueueFull } from "./queues.ts";
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
 * import { Queue, QueueShutDown } from "./queues.ts";
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

/** One parked caller: how to wake it, and how to fail it. */
interface Waiter<V> {
  resolve(value: V): void;
  reject(error: unknown): void;
}

/** A parked `put()`: the item it will add once a slot is free. */
interface Putter<T> extends Waiter<void> {
  item: T;
}

/**
 * Parks a caller at the back of `line` until someone calls its resolve or reject. An abort
 * takes it out of the line and rejects with the signal's reason; the abort listener is removed
 * however the wait ends.
 */
function park<V, W extends Waiter<V>>(
  line: W[],
  signal: AbortSignal | undefined,
  make: (waiter: Waiter<V>) => W,
): Promise<V> {
  return new Promise<V>((resolve, reject) => {
    const onAbort = () => {
      const at = line.indexOf(waiter);
      if (at !== -1) line.splice(at, 1);
      reject(signal!.reason);
    };
    const waiter = make({
      resolve(value) {
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      },
      reject(error) {
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      },
    });
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
 * import { Queue } from "./queues.ts";
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
  #fifo: T[] = [];
  #getters: Waiter<T>[] = [];
  #putters: Putter<T>[] = [];
  #joiners: Waiter<void>[] = [];
  #unfinished = 0;
  #isShutDown = false;

  /**
   * Creates a queue.
   *
   * @param maxsize The capacity: an integer >= 0, where 0 (the default) means unbounded.
   * @throws RangeError when maxsize is negative or not an integer.
   *
   * @example
   * ```ts
   * import { Queue } from "./queues.ts";
   * new Queue<number>(5).maxsize; // 5
   * ```
   */
  constructor(maxsize = 0) {
    // Python treats maxsize <= 0 as "unbounded"; a negative or fractional size here is far more
    // likely a bug than a wish, so it is refused.
    if (!Number.isInteger(maxsize) || maxsize < 0) {
      throw new RangeError(
        `Cannot create a queue as 'maxsize' must be an integer >= 0 (0 means unbounded): received ${maxsize}`,
      );
    }
    this.maxsize = maxsize;
  }

  // The storage: overridable by subclasses, like CPython's _init/_put/_get. Everything else in
  // this class (waiters, counting, shutdown) works through these three.

  /**
   * Stores an item (FIFO here). Subclasses override it to change the order items come out in.
   *
   * @param item The item to store.
   *
   * @example
   * ```ts
   * import { Queue } from "./queues.ts";
   * new Queue<number>().putNowait(1); // calls _put(1)
   * ```
   */
  protected _put(item: T): void {
    this.#fifo.push(item);
  }

  /**
   * Removes and returns the next item (the oldest here). Only called when `_size() > 0`.
   *
   * @returns The item to hand out next.
   *
   * @example
   * ```ts
   * import { Queue } from "./queues.ts";
   * const q = new Queue<number>();
   * q.putNowait(1);
   * q.getNowait(); // calls _get()
   * ```
   */
  protected _get(): T {
    return this.#fifo.shift() as T;
  }

  /**
   * How many items are stored.
   *
   * @returns The count.
   *
   * @example
   * ```ts
   * import { Queue } from "./queues.ts";
   * new Queue<number>().qsize(); // calls _size(): 0
   * ```
   */
  protected _size(): number {
    return this.#fifo.length;
  }

  /**
   * The number of items in the queue.
   *
   * @returns How many items wait to be taken.
   *
   * @example
   * ```ts
   * import { Queue } from "./queues.ts";
   * const q = new Queue<number>();
   * q.putNowait(1);
   * q.qsize(); // 1
   * ```
   */
  qsize(): number {
    return this._size();
  }

  /**
   * Whether the queue holds no items.
   *
   * @returns True when `qsize()` is 0.
   *
   * @example
   * ```ts
   * import { Queue } from "./queues.ts";
   * new Queue<number>().empty(); // true
   * ```
   */
  empty(): boolean {
    return this._size() === 0;
  }

  /**
   * Whether the queue holds `maxsize` items. An unbounded queue is never full.
   *
   * @returns True when a put would have to wait.
   *
   * @example
   * ```ts
   * import { Queue } from "./queues.ts";
   * const q = new Queue<number>(1);
   * q.putNowait(1);
   * q.full(); // true
   * ```
   */
  full(): boolean {
    return this.maxsize > 0 && this._size() >= this.maxsize;
  }

  /**
   * Adds an item without waiting. A waiting `get()` receives it at once.
   *
   * @param item The item.
   * @throws QueueFull when the queue is full; QueueShutDown after `shutdown()`.
   *
   * @example
   * ```ts
   * import { Queue } from "./queues.ts";
   * const q = new Queue<number>();
   * q.putNowait(7);
   * ```
   */
  putNowait(item: T): void {
    if (this.#isShutDown) throw new QueueShutDown("putNowait() on a queue that was shut down");
    if (this.full()) throw new QueueFull(`putNowait() found the queue full (maxsize ${this.maxsize})`);
    // Every item put is one unfinished task until a consumer calls taskDone() for it.
    this.#unfinished++;
    // Hand the item straight to the oldest waiting consumer, so nobody can take it first.
    const getter = this.#getters.shift();
    if (getter) getter.resolve(item);
    else this._put(item);
  }

  /**
   * Removes and returns the first item without waiting. A waiting `put()` takes the
   * freed slot at once.
   *
   * @returns The oldest item.
   * @throws QueueEmpty when the queue is empty; QueueShutDown when it is empty and shut down.
   *
   * @example
   * ```ts
   * import { Queue } from "./queues.ts";
   * const q = new Queue<number>();
   * q.putNowait(7);
   * q.getNowait(); // 7
   * ```
   */
  getNowait(): T {
    if (this._size() === 0) {
      if (this.#isShutDown) throw new QueueShutDown("getNowait() on a queue that was shut down and is empty");
      throw new QueueEmpty();
    }
    const item = this._get();
    // The freed slot goes to the oldest waiting producer: its item enters the queue now.
    const putter = this.#putters.shift();
    if (putter) {
      this._put(putter.item);
      this.#unfinished++;
      putter.resolve();
    }
    return item;
  }

  /**
   * Adds an item, waiting while the queue is full. Waiting producers enter in the
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
   * import { Queue } from "./queues.ts";
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
    if (this.#isShutDown || !this.full()) return this.putNowait(item);
    await park<void, Putter<T>>(this.#putters, signal, (waiter) => ({ ...waiter, item }));
  }

  /**
   * Removes and returns the first item, waiting while the queue is empty. Waiting
   * consumers are served in the order they arrived. Getting an item does not mark it done.
   *
   * @param opts `signal` aborts the wait; nothing is taken from the queue then.
   * @returns The oldest item.
   * @throws QueueShutDown once the queue is shut down and empty; the abort reason when aborted.
   *
   * @example
   * ```ts
   * import { Queue } from "./queues.ts";
   * const q = new Queue<string>();
   * setTimeout(() => q.putNowait("late"), 100);
   * await q.get(); // "late", at t=100 ms
   * ```
   */
  async get(opts: WaitOptions = {}): Promise<T> {
    const { signal } = opts;
    signal?.throwIfAborted();
    if (this._size() > 0 || this.#isShutDown) return this.getNowait();
    return await park<T, Waiter<T>>(this.#getters, signal, (waiter) => waiter);
  }

  /**
   * Marks one item as processed. Call it once per item taken, after the work on it.
   *
   * @throws RangeError when called more times than items were put.
   *
   * @example
   * ```ts
   * import { Queue } from "./queues.ts";
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
   * @param opts `signal` stops waiting.
   * @returns A promise that resolves when the unfinished count is 0.
   *
   * @example
   * ```ts
   * import { Queue } from "./queues.ts";
   * await new Queue<number>().join(); // resolves at once
   * ```
   */
  async join(opts: WaitOptions = {}): Promise<void> {
    const { signal } = opts;
    signal?.throwIfAborted();
    if (this.#unfinished === 0) return;
    await park<void, Waiter<void>>(this.#joiners, signal, (waiter) => waiter);
  }

  /**
   * Shuts the queue down, as Python 3.13 does. Every later put fails and every waiting
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
   * import { Queue } from "./queues.ts";
   * const q = new Queue<number>();
   * q.putNowait(1);
   * q.shutdown();
   * q.getNowait(); // 1, then the next get throws QueueShutDown
   * ```
   */
  shutdown(immediate = false): void {
    this.#isShutDown = true;
    if (immediate) {
      // Like CPython: each dropped item counts as done, but the count never goes below zero.
      while (this._size() > 0) {
        this._get();
        if (this.#unfinished > 0) this.#unfinished--;
      }
      if (this.#unfinished === 0) this.#wakeJoiners();
    }
    for (const getter of this.#getters.splice(0)) {
      getter.reject(new QueueShutDown("get() was waiting when the queue was shut down"));
    }
    for (const putter of this.#putters.splice(0)) {
      putter.reject(new QueueShutDown("put() was waiting when the queue was shut down"));
    }
  }

  /**
   * Iterates over the items with `for await`, taking each with `get()`, and ends once
   * the queue is shut down and empty. It does not call `taskDone()`: the loop body does.
   *
   * @returns An async iterator of the items.
   *
   * @example
   * ```ts
   * import { Queue } from "./queues.ts";
   * const q = new Queue<number>();
   * q.putNowait(1);
   * q.shutdown();
   * for await (const item of q) { q.taskDone(); } // one round, item 1
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      let item: T;
      try {
        item = await this.get();
      } catch (error) {
        // Shut down and drained: the normal end of the stream.
        if (error instanceof QueueShutDown) return;
        throw error;
      }
      yield item;
    }
  }

  #wakeJoiners(): void {
    for (const joiner of this.#joiners.splice(0)) joiner.resolve();
  }
}

// ---------------------------------------------------------------------------------------------
// Your part: Python's ordering, a priority queue and a LIFO queue.
// ---------------------------------------------------------------------------------------------

/** Orders two items: negative when `a` comes first, positive when `b` does, 0 when equal. */
export type Compare<T> = (a: T, b: T) => number;

const kind = (v: unknown): string =>
  Array.isArray(v) ? "array" : typeof v === "bigint" || typeof v === "boolean" ? "number" : typeof v;

/**
 * Compares two values the way Python's `<` does (task 1): numbers by value (booleans and bigints
 * count as numbers, as Python's bool is an int), strings by code unit, and arrays (Python's
 * tuples) element by element, a shorter prefix first. So `[1, "b"]` comes before `[2, "a"]`, and
 * `10` after `9`.
 *
 * @param a The first value.
 * @param b The second value.
 * @returns A negative number, 0 or a positive number.
 * @throws TypeError for values Python cannot order either, like a number and a string, or objects.
 *
 * @example
 * ```ts
 * import { pythonCompare } from "./queues.ts";
 * pythonCompare([1, "write"], [2, "read"]); // negative: priority 1 first
 * pythonCompare(10, 9); // positive
 * ```
 */
export function pythonCompare(a: unknown, b: unknown): number {
  const ka = kind(a);
  const kb = kind(b);
  if (ka === "array" && kb === "array") {
    const xs = a as unknown[];
    const ys = b as unknown[];
    for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
      const c = pythonCompare(xs[i], ys[i]);
      if (c !== 0) return c;
    }
    return xs.length - ys.length;
  }
  if (ka === kb && (ka === "number" || ka === "string")) {
    // `<` and `>` compare numbers by value and strings by code unit, never numbers as text.
    const x = a as number | string;
    const y = b as number | string;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  throw new TypeError(`'<' is not supported between ${ka} and ${kb} (${String(a)} and ${String(b)})`);
}

/** A heap entry: the item and when it was put, so equal items come out first in, first out. */
interface Entry<T> {
  item: T;
  seq: number;
}

/**
 * A queue that hands out the smallest item first (task 2), like Python's
 * `asyncio.PriorityQueue`, ordered by `compare` (Python's ordering by default). Unlike Python's
 * heap, equal items come out in the order they were put.
 *
 * @typeParam T The item type, typically a `[priority, data]` tuple.
 *
 * @example
 * ```ts
 * import { PriorityQueue } from "./queues.ts";
 * const q = new PriorityQueue<[number, string]>();
 * q.putNowait([2, "write"]);
 * q.putNowait([1, "read"]);
 * q.getNowait(); // [1, "read"]
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  readonly #compare: Compare<T>;
  readonly #heap: Entry<T>[] = [];
  #seq = 0;

  /**
   * @param maxsize The capacity, an integer >= 0 (0 means unbounded).
   * @param compare The order of items; smallest first. Default: `pythonCompare`.
   *
   * @example
   * ```ts
   * import { PriorityQueue } from "./queues.ts";
   * const byDeadline = new PriorityQueue<{ due: number }>(0, (a, b) => a.due - b.due);
   * ```
   */
  constructor(maxsize = 0, compare: Compare<T> = pythonCompare) {
    super(maxsize);
    // A binary heap in an array: the children of entry i are at 2i+1 and 2i+2, and no entry is
    // smaller than its parent, so the smallest is always at index 0.
    this.#compare = compare;
  }

  /** Entry a comes before entry b: by the item's order, then by arrival (stable ties). */
  #before(a: Entry<T>, b: Entry<T>): boolean {
    const c = this.#compare(a.item, b.item);
    return c < 0 || (c === 0 && a.seq < b.seq);
  }

  /**
   * Adds an item to the heap (task 2): append it, then move it up while it comes before its
   * parent.
   *
   * @param item The item.
   *
   * @example
   * ```ts
   * import { PriorityQueue } from "./queues.ts";
   * new PriorityQueue<number>().putNowait(3); // calls _put(3)
   * ```
   */
  protected override _put(item: T): void {
    const heap = this.#heap;
    heap.push({ item, seq: this.#seq++ });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  /**
   * Removes the smallest item (task 2): take the root, move the last entry to the root, then
   * move it down while a child comes before it.
   *
   * @returns The smallest item (the oldest among equals).
   *
   * @example
   * ```ts
   * import { PriorityQueue } from "./queues.ts";
   * const q = new PriorityQueue<number>();
   * q.putNowait(3);
   * q.getNowait(); // calls _get(): 3
   * ```
   */
  protected override _get(): T {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop() as Entry<T>;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let first = i;
        if (left < heap.length && this.#before(heap[left], heap[first])) first = left;
        if (right < heap.length && this.#before(heap[right], heap[first])) first = right;
        if (first === i) break;
        [heap[i], heap[first]] = [heap[first], heap[i]];
        i = first;
      }
    }
    return top.item;
  }

  /**
   * How many items the heap holds (task 2).
   *
   * @returns The count.
   *
   * @example
   * ```ts
   * import { PriorityQueue } from "./queues.ts";
   * new PriorityQueue<number>().qsize(); // 0
   * ```
   */
  protected override _size(): number {
    return this.#heap.length;
  }
}

/**
 * A queue that hands out the newest item first (task 3), like Python's `asyncio.LifoQueue`.
 * Only the items are last in, first out: waiting consumers and producers are still served first
 * come, first served, because waiting is the base queue's job.
 *
 * @typeParam T The item type.
 *
 * @example
 * ```ts
 * import { LifoQueue } from "./queues.ts";
 * const q = new LifoQueue<string>();
 * q.putNowait("a");
 * q.putNowait("b");
 * q.getNowait(); // "b"
 * ```
 */
export class LifoQueue<T> extends Queue<T> {
  readonly #stack: T[] = [];

  /**
   * @param maxsize The capacity, an integer >= 0 (0 means unbounded).
   *
   * @example
   * ```ts
   * import { LifoQueue } from "./queues.ts";
   * new LifoQueue<number>(3).maxsize; // 3
   * ```
   */
  constructor(maxsize = 0) {
    super(maxsize);
    // The stack is an array: push on top, pop from the top.
  }

  /**
   * Pushes an item on the stack (task 3).
   *
   * @param item The item.
   *
   * @example
   * ```ts
   * import { LifoQueue } from "./queues.ts";
   * new LifoQueue<number>().putNowait(1); // calls _put(1)
   * ```
   */
  protected override _put(item: T): void {
    this.#stack.push(item);
  }

  /**
   * Pops the newest item (task 3).
   *
   * @returns The item put last.
   *
   * @example
   * ```ts
   * import { LifoQueue } from "./queues.ts";
   * const q = new LifoQueue<number>();
   * q.putNowait(1);
   * q.getNowait(); // calls _get(): 1
   * ```
   */
  protected override _get(): T {
    return this.#stack.pop() as T;
  }

  /**
   * How many items the stack holds (task 3).
   *
   * @returns The count.
   *
   * @example
   * ```ts
   * import { LifoQueue } from "./queues.ts";
   * new LifoQueue<number>().qsize(); // 0
   * ```
   */
  protected override _size(): number {
    return this.#stack.length;
  }

  readonly #waiting: ((item: T) => void)[] = [];

  /** Waits for an item; the newest waiter is served first. */
  override async get(opts: WaitOptions = {}): Promise<T> {
    opts.signal?.throwIfAborted();
    if (this.#stack.length > 0) return this.getNowait();
    return await new Promise<T>((resolve) => this.#waiting.push(resolve));
  }

  /** Hands the item to the newest waiting getter, or stores it. */
  override putNowait(item: T): void {
    super.putNowait(item);
    const waiter = this.#waiting.pop();
    if (waiter) waiter(this.getNowait());
  }
}
