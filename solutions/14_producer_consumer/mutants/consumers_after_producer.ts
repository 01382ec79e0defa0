// MUTANT: the consumers start only after the producer finished, so the producer stops at maxsize forever
/**
 * The producer/consumer pattern: one producer makes items and puts them on a bounded queue,
 * N consumers take them off and process them concurrently, and the program ends cleanly.
 *
 * Python's tutorial version:
 *
 * ```python
 * async def producer(queue, n, consumers):
 *     for i in range(n):
 *         await asyncio.sleep(0.05)      # produce
 *         await queue.put(i)             # waits while the queue is full
 *     for _ in range(consumers):
 *         await queue.put(None)          # one sentinel per consumer
 *
 * async def consumer(name, queue):
 *     while True:
 *         item = await queue.get()
 *         if item is None:
 *             queue.task_done()
 *             break
 *         await asyncio.sleep(0.1)       # consume
 *         queue.task_done()
 * ```
 *
 * The queue is provided at the bottom of this file. Here the sentinel is the symbol `DONE` (Python's `None`), the pipeline records who handled
 * what and when in a `PipelineLog`, and `runPipeline()` wires the pieces together.
 *
 * @module
 */

/**
 * The sentinel: "no more items". A consumer that takes it stops. It is a unique symbol, so it
 * can never be confused with a real item (Python's `None` can).
 *
 * @example
 * ```ts
 * import { DONE } from "./pipeline.ts";
 * typeof DONE; // "symbol"
 * ```
 */
export const DONE: unique symbol = Symbol("DONE");

/** What travels on the queue: an item, or the sentinel. */
export type Job<T> = T | typeof DONE;

/** One item handled by one consumer, with virtual times in ms since the log was created. */
export interface Handled<T> {
  item: T;
  /** Which consumer handled it (1-based). */
  consumer: number;
  /** When the consumer took it from the queue. */
  start: number;
  /** When the consumer finished it. */
  end: number;
}

/**
 * What happened in a pipeline run, with times in virtual ms since the log was created. Provided:
 * you do not need to change it, only fill it in.
 *
 * @example
 * ```ts
 * import { PipelineLog } from "./pipeline.ts";
 * const log = new PipelineLog<number>();
 * log.produced.push({ item: 1, at: log.now() });
 * ```
 */
export class PipelineLog<T> {
  /** Each item, when its `put()` finished (in put order). */
  readonly produced: { item: T; at: number }[] = [];
  /** Each item handled, in the order the consumers finished them. */
  readonly handled: Handled<T>[] = [];
  /** The queue's `qsize()` right after each item was put. */
  readonly depth: { at: number; size: number }[] = [];
  /** Each consumer, when it took its sentinel, and how many items it handled. */
  readonly exits: { consumer: number; at: number; handled: number }[] = [];
  readonly #start = Date.now();

  /**
   * Virtual ms since this log was created.
   *
   * @example
   * ```ts
   * import { PipelineLog } from "./pipeline.ts";
   * new PipelineLog().now(); // 0
   * ```
   */
  now(): number {
    return Date.now() - this.#start;
  }
}

/** Everything `runPipeline()` reports. */
export interface PipelineReport<T> {
  produced: { item: T; at: number }[];
  handled: Handled<T>[];
  depth: { at: number; size: number }[];
  exits: { consumer: number; at: number; handled: number }[];
  /** When the last consumer had exited and the queue was joined, in ms since the start. */
  finishedAt: number;
}

/** The settings of one run. */
export interface PipelineOptions<T> {
  /** What the producer produces, in order. */
  items: Iterable<T>;
  /** How many consumers run at once (an integer >= 1). */
  consumers: number;
  /** The queue's capacity (an integer >= 1: the point is bounded memory). */
  maxsize: number;
  /** How long producing one item takes, in ms (>= 0). */
  produceMs: number;
  /** How long consuming one item takes, in ms (>= 0). */
  consumeMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Consumer number `id`: takes jobs from the queue until it takes the sentinel (task 1). For each
 * item it sleeps `consumeMs` (the work), records it in `log.handled`, and calls `taskDone()`. On
 * the sentinel it calls `taskDone()` too, records its exit in `log.exits` and returns.
 *
 * @param id The consumer's number, 1-based.
 * @param queue The queue it takes jobs from.
 * @param opts `consumeMs` per item and the `log` to fill.
 * @returns How many items (not counting the sentinel) it handled.
 *
 * @example
 * ```ts
 * import { consumer, DONE, PipelineLog } from "./pipeline.ts";
 *  * const q = new Queue<number | typeof DONE>();
 * q.putNowait(1);
 * q.putNowait(DONE);
 * await consumer(1, q, { consumeMs: 100, log: new PipelineLog() }); // 1
 * ```
 */
export async function consumer<T>(
  id: number,
  queue: Queue<Job<T>>,
  opts: { consumeMs: number; log: PipelineLog<T> },
): Promise<number> {
  const { consumeMs, log } = opts;
  let count = 0;
  for (;;) {
    // Wait for the next job. An empty queue is not the end: only the sentinel is.
    const job = await queue.get();
    if (job === DONE) {
      // The sentinel was put like any item, so it must be marked done too, or join() hangs.
      queue.taskDone();
      log.exits.push({ consumer: id, at: log.now(), handled: count });
      return count;
    }
    const start = log.now();
    await sleep(consumeMs);
    log.handled.push({ item: job, consumer: id, start, end: log.now() });
    count++;
    queue.taskDone();
  }
}

/**
 * The producer: for each item, sleeps `produceMs` (making it), then puts it on the queue,
 * waiting while the queue is full, and records it in `log.produced` and `log.depth` (task 2).
 * Then it puts one sentinel per consumer.
 *
 * @param queue The queue to fill.
 * @param items What to produce.
 * @param opts `produceMs` per item, the number of `consumers` to stop, and the `log` to fill.
 * @returns A promise that resolves once the last sentinel is on the queue.
 *
 * @example
 * ```ts
 * import { DONE, PipelineLog, producer } from "./pipeline.ts";
 *  * const q = new Queue<string | typeof DONE>(10);
 * await producer(q, ["a", "b"], { produceMs: 50, consumers: 2, log: new PipelineLog() });
 * q.qsize(); // 4: two items and two sentinels
 * ```
 */
export async function producer<T>(
  queue: Queue<Job<T>>,
  items: Iterable<T>,
  opts: { produceMs: number; consumers: number; log: PipelineLog<T> },
): Promise<void> {
  const { produceMs, consumers, log } = opts;
  for (const item of items) {
    await sleep(produceMs);
    // put() waits while the queue is full: this is the back-pressure that bounds memory.
    await queue.put(item);
    log.produced.push({ item, at: log.now() });
    log.depth.push({ at: log.now(), size: queue.qsize() });
  }
  // One sentinel per consumer: each consumer takes exactly one and stops. With fewer, the
  // consumers that get none wait in get() forever.
  for (let i = 0; i < consumers; i++) await queue.put(DONE);
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`Cannot run the pipeline as '${name}' must be an integer >= ${min}: received ${value}`);
  }
}

/**
 * Runs one producer and `consumers` consumers over a queue of `maxsize` (task 3): starts the
 * consumers first, then the producer, waits for the producer, for `queue.join()`, and for every
 * consumer to exit, and reports what happened.
 *
 * @param opts The items, the number of consumers, the queue size and the simulated work times.
 * @returns The log of the run and when it finished.
 * @throws RangeError for a consumer count or maxsize below 1, or a negative duration.
 *
 * @example
 * ```ts
 * import { runPipeline } from "./pipeline.ts";
 * const report = await runPipeline({ items: [1, 2], consumers: 2, maxsize: 5, produceMs: 50, consumeMs: 100 });
 * report.finishedAt; // 200
 * ```
 */
export async function runPipeline<T>(opts: PipelineOptions<T>): Promise<PipelineReport<T>> {
  const { items, consumers, maxsize, produceMs, consumeMs } = opts;
  checkCount("consumers", consumers, 1);
  checkCount("maxsize", maxsize, 1);
  if (!(produceMs >= 0)) throw new RangeError(`Cannot run the pipeline as 'produceMs' must be >= 0: received ${produceMs}`);
  if (!(consumeMs >= 0)) throw new RangeError(`Cannot run the pipeline as 'consumeMs' must be >= 0: received ${consumeMs}`);

  const queue = new Queue<Job<T>>(maxsize);
  const log = new PipelineLog<T>();
  // Consumers start first and wait in get(): a bounded queue with no consumers yet would stop the
  // producer at maxsize forever.
  await producer(queue, items, { produceMs, consumers, log });
  const running = Array.from({ length: consumers }, (_, i) => consumer(i + 1, queue, { consumeMs, log }));
  await queue.join();
  await Promise.all(running);
  return {
    produced: log.produced,
    handled: log.handled,
    depth: log.depth,
    exits: log.exits,
    finishedAt: log.now(),
  };
}

// ---------------------------------------------------------------------------------------------
// Provided: the queue. It is exercise 11's asyncio.Queue without shutdown(), so consumers here
// stop the classic way, on a sentinel. You do not need to change anything below this line.
//
// Waiters are served first come, first served, and an item put while a consumer waits goes
// straight to the oldest waiting consumer.
// ---------------------------------------------------------------------------------------------

/** `getNowait()` found the queue empty. */
export class QueueEmpty extends Error {
  override name = "QueueEmpty";
}

/** `putNowait()` found the queue full. */
export class QueueFull extends Error {
  override name = "QueueFull";
}

interface Waiter<V> {
  resolve(value: V): void;
  reject(error: unknown): void;
  item?: unknown;
}

function park<V>(line: Waiter<V>[], signal: AbortSignal | undefined, item?: unknown): Promise<V> {
  signal?.throwIfAborted();
  return new Promise<V>((resolve, reject) => {
    const onAbort = () => {
      line.splice(line.indexOf(waiter), 1);
      reject(signal!.reason);
    };
    const waiter: Waiter<V> = {
      item,
      resolve: (value) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      },
      reject: (error) => {
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      },
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    line.push(waiter);
  });
}

/**
 * A bounded FIFO queue for async producers and consumers.
 *
 * @typeParam T The item type.
 *
 * @example
 * ```ts
 * import { Queue } from "./pipeline.ts";
 * const q = new Queue<string>(5);
 * await q.put("job");
 * const job = await q.get(); // "job"
 * q.taskDone();
 * await q.join();
 * ```
 */
export class Queue<T> {
  /** Capacity; 0 means unbounded. */
  readonly maxsize: number;
  #items: T[] = [];
  #getters: Waiter<T>[] = [];
  #putters: Waiter<void>[] = [];
  #joiners: Waiter<void>[] = [];
  #unfinished = 0;

  /**
   * @param maxsize Capacity, an integer >= 0; 0 (the default) means unbounded.
   */
  constructor(maxsize = 0) {
    if (!Number.isInteger(maxsize) || maxsize < 0) {
      throw new RangeError(`Cannot create a queue as 'maxsize' must be an integer >= 0: received ${maxsize}`);
    }
    this.maxsize = maxsize;
  }

  /**
   * Items in the queue now.
   *
   * @example
   * ```ts
   * import { Queue } from "./pipeline.ts";
   * new Queue<number>().qsize(); // 0
   * ```
   */
  qsize(): number {
    return this.#items.length;
  }

  /**
   * Whether the queue holds no items.
   *
   * @example
   * ```ts
   * import { Queue } from "./pipeline.ts";
   * new Queue<number>().empty(); // true
   * ```
   */
  empty(): boolean {
    return this.#items.length === 0;
  }

  /**
   * Whether the queue holds `maxsize` items (never, when unbounded).
   *
   * @example
   * ```ts
   * import { Queue } from "./pipeline.ts";
   * new Queue<number>(1).full(); // false
   * ```
   */
  full(): boolean {
    return this.maxsize > 0 && this.#items.length >= this.maxsize;
  }

  /**
   * Adds an item without waiting; a waiting consumer receives it at once.
   *
   * @throws QueueFull when full.
   *
   * @example
   * ```ts
   * import { Queue } from "./pipeline.ts";
   * new Queue<number>().putNowait(1);
   * ```
   */
  putNowait(item: T): void {
    if (this.full()) throw new QueueFull(`putNowait() found the queue full (maxsize ${this.maxsize})`);
    this.#unfinished++;
    const getter = this.#getters.shift();
    if (getter) getter.resolve(item);
    else this.#items.push(item);
  }

  /**
   * Takes the oldest item without waiting; a waiting producer's item takes the freed slot.
   *
   * @throws QueueEmpty when empty.
   *
   * @example
   * ```ts
   * import { Queue } from "./pipeline.ts";
   * const q = new Queue<number>();
   * q.putNowait(1);
   * q.getNowait(); // 1
   * ```
   */
  getNowait(): T {
    if (this.#items.length === 0) throw new QueueEmpty("getNowait() found the queue empty");
    const item = this.#items.shift() as T;
    const putter = this.#putters.shift();
    if (putter) {
      this.#items.push(putter.item as T);
      this.#unfinished++;
      putter.resolve();
    }
    return item;
  }

  /**
   * Adds an item, waiting while the queue is full.
   *
   * @param opts `signal` aborts the wait (the item is then not added).
   *
   * @example
   * ```ts
   * import { Queue } from "./pipeline.ts";
   * await new Queue<number>(1).put(1);
   * ```
   */
  async put(item: T, opts: { signal?: AbortSignal } = {}): Promise<void> {
    opts.signal?.throwIfAborted();
    if (!this.full()) return this.putNowait(item);
    await park<void>(this.#putters, opts.signal, item);
  }

  /**
   * Takes the oldest item, waiting while the queue is empty. Does not mark it done.
   *
   * @param opts `signal` aborts the wait (nothing is taken then).
   *
   * @example
   * ```ts
   * import { Queue } from "./pipeline.ts";
   * const q = new Queue<number>();
   * setTimeout(() => q.putNowait(1), 10);
   * await q.get(); // 1
   * ```
   */
  async get(opts: { signal?: AbortSignal } = {}): Promise<T> {
    opts.signal?.throwIfAborted();
    if (this.#items.length > 0) return this.getNowait();
    return await park<T>(this.#getters, opts.signal);
  }

  /**
   * Marks one item taken from the queue as processed.
   *
   * @throws RangeError when called more times than items were put.
   *
   * @example
   * ```ts
   * import { Queue } from "./pipeline.ts";
   * const q = new Queue<number>();
   * q.putNowait(1);
   * q.getNowait();
   * q.taskDone();
   * ```
   */
  taskDone(): void {
    if (this.#unfinished <= 0) throw new RangeError("taskDone() called more times than there were items put");
    this.#unfinished--;
    if (this.#unfinished === 0) for (const joiner of this.#joiners.splice(0)) joiner.resolve();
  }

  /**
   * Waits until every item put has been marked done with `taskDone()`.
   *
   * @param opts `signal` stops waiting.
   *
   * @example
   * ```ts
   * import { Queue } from "./pipeline.ts";
   * await new Queue<number>().join(); // at once: nothing unfinished
   * ```
   */
  async join(opts: { signal?: AbortSignal } = {}): Promise<void> {
    opts.signal?.throwIfAborted();
    if (this.#unfinished === 0) return;
    await park<void>(this.#joiners, opts.signal);
  }
}
