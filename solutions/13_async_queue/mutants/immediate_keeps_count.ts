// MUTANT: shutdown(true) drops the items but leaves them unfinished, so join() never resolves
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
  #items: T[] = [];
  #getters: Waiter<T>[] = [];
  #putters: Putter<T>[] = [];
  #joiners: Waiter<void>[] = [];
  #unfinished = 0;
  #isShutDown = false;

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
    // Python treats maxsize <= 0 as "unbounded"; a negative or fractional size here is far more
    // likely a bug than a wish, so it is refused.
    if (!Number.isInteger(maxsize) || maxsize < 0) {
      throw new RangeError(
        `Cannot create a queue as 'maxsize' must be an integer >= 0 (0 means unbounded): received ${maxsize}`,
      );
    }
    this.maxsize = maxsize;
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
    return this.#items.length;
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
    return this.#items.length === 0;
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
    return this.maxsize > 0 && this.#items.length >= this.maxsize;
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
  putNowait(item: T): void {
    if (this.#isShutDown) throw new QueueShutDown("putNowait() on a queue that was shut down");
    if (this.full()) throw new QueueFull(`putNowait() found the queue full (maxsize ${this.maxsize})`);
    // Every item put is one unfinished task until a consumer calls taskDone() for it.
    this.#unfinished++;
    // Hand the item straight to the oldest waiting consumer, so nobody can take it first.
    const getter = this.#getters.shift();
    if (getter) getter.resolve(item);
    else this.#items.push(item);
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
    if (this.#items.length === 0) {
      if (this.#isShutDown) throw new QueueShutDown("getNowait() on a queue that was shut down and is empty");
      throw new QueueEmpty();
    }
    const item = this.#items.shift() as T;
    // The freed slot goes to the oldest waiting producer: its item enters the queue now.
    const putter = this.#putters.shift();
    if (putter) {
      this.#items.push(putter.item);
      this.#unfinished++;
      putter.resolve();
    }
    return item;
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
  async put(item: T, opts: WaitOptions = {}): Promise<void> {
    const { signal } = opts;
    // A listener added after the abort would never fire: check first.
    signal?.throwIfAborted();
    if (this.#isShutDown || !this.full()) return this.putNowait(item);
    await park<void, Putter<T>>(this.#putters, signal, (waiter) => ({ ...waiter, item }));
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
  async get(opts: WaitOptions = {}): Promise<T> {
    const { signal } = opts;
    signal?.throwIfAborted();
    if (this.#items.length > 0 || this.#isShutDown) return this.getNowait();
    return await park<T, Waiter<T>>(this.#getters, signal, (waiter) => waiter);
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
    if (this.#unfinished <= 0) {
      throw new RangeError("taskDone() called more times than there were items put in the queue");
    }
    this.#unfinished--;
    if (this.#unfinished === 0) this.#wakeJoiners();
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
  async join(opts: WaitOptions = {}): Promise<void> {
    const { signal } = opts;
    signal?.throwIfAborted();
    if (this.#unfinished === 0) return;
    await park<void, Waiter<void>>(this.#joiners, signal, (waiter) => waiter);
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
  shutdown(immediate = false): void {
    this.#isShutDown = true;
    if (immediate) {
      // Like CPython: each dropped item counts as done, but the count never goes below zero.
      while (this.#items.length > 0) {
        this.#items.shift();
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
