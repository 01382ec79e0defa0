// deno-lint-ignore-file no-unused-vars require-await -- the stub does not use its parameters yet; your code will
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
  // TODO: loop: get a job; on DONE call taskDone(), record the exit and return the count; otherwise sleep consumeMs, record it in log.handled, and call taskDone().
  throw new Error("not implemented: consumer() (task 1)");
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
  // TODO: for each item sleep produceMs, await queue.put(item), record log.produced and log.depth; then put `sentinels` DONEs.
  throw new Error("not implemented: producer() (task 2)");
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
  // TODO: like consumer(), but on DONE pass it on for the next consumer (README: in which order, and why put() and not putNowait()), mark the one you took done, record the exit and return the count.
  throw new Error("not implemented: relayConsumer() (task 4)");
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
  // TODO: validate the options (RangeError), create the queue and the log, start the consumers, run the producer (one DONE per consumer), then await queue.join() and every consumer, and return the report.
  // TODO: (task 4) with sentinel "pass-on": relay consumers, a single DONE, await every consumer, take the leftover DONE out and mark it done, then await queue.join().
  throw new Error("not implemented: runPipeline() (task 3)");
}
