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
 * The queue is given in `given_queue.ts`; the sentinel `DONE` (Python's `None`), the
 * `PipelineLog` that records who handled what and when, and `sleep()` in `given_log.ts`.
 * `runPipeline()` wires the pieces together, with one sentinel per consumer or with a single
 * sentinel that each consumer passes on to the next (`relayConsumer()`).
 *
 * @module
 */

import { DONE, type Job, PipelineLog, type PipelineReport, sleep } from "./given_log.ts";
import { Queue } from "./given_queue.ts";

/** How the consumers are stopped. */
export type SentinelMode = "per-consumer" | "pass-on";

/** The settings of one run. */
export interface PipelineOptions<T> {
  /** What the producer produces, in order. */
  items: Iterable<T>;
  /** How many consumers run at once (an integer >= 1). */
  consumers: number;
  /** The queue's capacity (an integer >= 1: the point is bounded memory). */
  maxsize: number;
  /** How long producing one item takes, in ms (a finite number >= 0). */
  produceMs: number;
  /** How long consuming one item takes, in ms (a finite number >= 0). */
  consumeMs: number;
  /**
   * `"per-consumer"` (the default): the producer puts one `DONE` per consumer and each consumer
   * stops at its own. `"pass-on"`: the producer puts a single `DONE` and every consumer puts it
   * back for the next one before it stops (task 4).
   */
  sentinel?: SentinelMode;
}

/** What `consumer()` and `relayConsumer()` need besides their id and queue. */
export interface ConsumerOptions<T> {
  /** How long consuming one item takes, in ms. */
  consumeMs: number;
  /** The log to fill in. */
  log: PipelineLog<T>;
}

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
 * import { consumer } from "./pipeline.ts";
 * import { DONE, type Job, PipelineLog } from "./given_log.ts";
 * import { Queue } from "./given_queue.ts";
 * const q = new Queue<Job<number>>();
 * q.putNowait(1);
 * q.putNowait(DONE);
 * await consumer(1, q, { consumeMs: 100, log: new PipelineLog() }); // 1
 * ```
 */
export async function consumer<T>(
  id: number,
  queue: Queue<Job<T>>,
  opts: ConsumerOptions<T>,
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
 * Then it puts `sentinels` sentinels: one per consumer, or a single one that the consumers pass
 * on (task 4).
 *
 * @param queue The queue to fill.
 * @param items What to produce.
 * @param opts `produceMs` per item, how many `sentinels` to put at the end, and the `log` to fill.
 * @returns A promise that resolves once the last sentinel is on the queue.
 *
 * @example
 * ```ts
 * import { producer } from "./pipeline.ts";
 * import { type Job, PipelineLog } from "./given_log.ts";
 * import { Queue } from "./given_queue.ts";
 * const q = new Queue<Job<string>>(10);
 * await producer(q, ["a", "b"], { produceMs: 50, sentinels: 2, log: new PipelineLog() });
 * q.qsize(); // 4: two items and two sentinels
 * ```
 */
export async function producer<T>(
  queue: Queue<Job<T>>,
  items: Iterable<T>,
  opts: { produceMs: number; sentinels: number; log: PipelineLog<T> },
): Promise<void> {
  const { produceMs, sentinels, log } = opts;
  for (const item of items) {
    await sleep(produceMs);
    // put() waits while the queue is full: this is the back-pressure that bounds memory.
    await queue.put(item);
    log.produced.push({ item, at: log.now() });
    log.depth.push({ at: log.now(), size: queue.qsize() });
  }
  // One sentinel per consumer: each consumer takes exactly one and stops. With fewer, the
  // consumers that get none wait in get() forever (unless they pass it on: task 4).
  for (let i = 0; i < sentinels; i++) await queue.put(DONE);
}

/**
 * A consumer that passes the sentinel on (task 4): like `consumer()`, but when it takes `DONE`
 * it first puts it back on the queue for the next consumer (waiting for room if need be), then
 * calls `taskDone()` for the one it took, records its exit and returns. One sentinel then stops
 * any number of consumers, and stays on the queue at the end.
 *
 * @param id The consumer's number, 1-based.
 * @param queue The queue it takes jobs from.
 * @param opts `consumeMs` per item and the `log` to fill.
 * @returns How many items (not counting the sentinel) it handled.
 *
 * @example
 * ```ts
 * import { relayConsumer } from "./pipeline.ts";
 * import { DONE, type Job, PipelineLog } from "./given_log.ts";
 * import { Queue } from "./given_queue.ts";
 * const q = new Queue<Job<number>>();
 * q.putNowait(1);
 * q.putNowait(DONE);
 * await relayConsumer(1, q, { consumeMs: 100, log: new PipelineLog() }); // 1
 * q.getNowait(); // DONE: passed on for the next consumer
 * ```
 */
export async function relayConsumer<T>(
  id: number,
  queue: Queue<Job<T>>,
  opts: ConsumerOptions<T>,
): Promise<number> {
  const { consumeMs, log } = opts;
  let count = 0;
  for (;;) {
    const job = await queue.get();
    if (job === DONE) {
      // Put it back for the next consumer BEFORE marking the one we took as done: in the other
      // order the unfinished count touches zero for a moment and releases join() too early.
      // put(), not putNowait(): the slot we freed may be promised to a waiting producer.
      await queue.put(DONE);
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

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `Cannot run the pipeline as '${name}' must be an integer >= 1: received ${value}`,
    );
  }
}

function checkDuration(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `Cannot run the pipeline as '${name}' must be a finite number >= 0: received ${value}`,
    );
  }
}

/**
 * Runs one producer and `consumers` consumers over a queue of `maxsize` (task 3): starts the
 * consumers first, then the producer, waits for the producer, for `queue.join()`, and for every
 * consumer to exit, and reports what happened. With `sentinel: "pass-on"` (task 4) the consumers
 * are `relayConsumer()`s, the producer puts a single sentinel, and once every consumer has exited
 * the sentinel left on the queue is taken out and marked done before `queue.join()`.
 *
 * @param opts The items, the number of consumers, the queue size, the simulated work times and
 * how the consumers are stopped.
 * @returns The log of the run and when it finished.
 * @throws RangeError for a consumer count or maxsize that is not an integer >= 1, a duration that
 * is negative, NaN or infinite, or an unknown sentinel mode.
 *
 * @example
 * ```ts
 * import { runPipeline } from "./pipeline.ts";
 * const report = await runPipeline({ items: [1, 2], consumers: 2, maxsize: 5, produceMs: 50, consumeMs: 100 });
 * report.finishedAt; // 200
 * ```
 */
export async function runPipeline<T>(opts: PipelineOptions<T>): Promise<PipelineReport<T>> {
  const { items, consumers, maxsize, produceMs, consumeMs, sentinel = "per-consumer" } = opts;
  checkCount("consumers", consumers);
  checkCount("maxsize", maxsize);
  checkDuration("produceMs", produceMs);
  checkDuration("consumeMs", consumeMs);
  if (sentinel !== "per-consumer" && sentinel !== "pass-on") {
    throw new RangeError(
      `Cannot run the pipeline as 'sentinel' must be "per-consumer" or "pass-on": received ${
        String(sentinel)
      }`,
    );
  }

  const queue = new Queue<Job<T>>(maxsize);
  const log = new PipelineLog<T>();
  // Consumers start first and wait in get(): a bounded queue with no consumers yet would stop the
  // producer at maxsize forever.
  const work = sentinel === "pass-on" ? relayConsumer : consumer;
  const running = Array.from(
    { length: consumers },
    (_, i) => work(i + 1, queue, { consumeMs, log }),
  );
  if (sentinel === "pass-on") {
    await producer(queue, items, { produceMs, sentinels: 1, log });
    // Every consumer has passed the sentinel on; the last one left it on the queue, unfinished.
    await Promise.all(running);
    queue.getNowait();
    queue.taskDone();
    await queue.join();
  } else {
    await producer(queue, items, { produceMs, sentinels: consumers, log });
    await queue.join();
    await Promise.all(running);
  }
  return {
    produced: log.produced,
    handled: log.handled,
    depth: log.depth,
    exits: log.exits,
    finishedAt: log.now(),
  };
}
