// GIVEN: the sentinel, the log the pipeline fills in, and a sleep; you do not edit it
/**
 * What the producer/consumer exercise gives you: the sentinel `DONE`, the `PipelineLog` that
 * records who handled what and when (in virtual milliseconds), the report `runPipeline()`
 * returns, and `sleep(ms)`.
 *
 * @module
 */

/**
 * The sentinel: "no more items". A consumer that takes it stops. It is a unique symbol, so it
 * can never be confused with a real item (Python's `None` can).
 *
 * @example
 * ```ts
 * import { DONE } from "./given_log.ts";
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
 * What happened in a pipeline run, with times in virtual ms since the log was created. You do
 * not change it, you only fill it in.
 *
 * @example
 * ```ts
 * import { PipelineLog } from "./given_log.ts";
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
   * @returns The elapsed time.
   *
   * @example
   * ```ts
   * import { PipelineLog } from "./given_log.ts";
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

/**
 * Waits `ms` of (virtual) time: Python's `await asyncio.sleep(ms / 1000)`.
 *
 * @param ms How long, in milliseconds.
 * @returns A promise that resolves after `ms`.
 *
 * @example
 * ```ts
 * import { sleep } from "./given_log.ts";
 * await sleep(50);
 * ```
 */
export function sleep(ms: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}
