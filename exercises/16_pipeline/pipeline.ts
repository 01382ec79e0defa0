// deno-lint-ignore-file no-unused-vars require-await -- unused until you write the bodies
/**
 * A multi-stage pipeline: items flow from a source through stages (download -> resize -> save,
 * parse -> enrich -> store), each stage run by its own pool of workers, with a bounded channel in
 * front of every stage and one at the end for the consumer (the Channel class and the
 * checkCount() helper come from `given_channel.ts`, provided and complete).
 *
 *     source --feed--> [inbox 1] --stage 1 (w workers)--> [inbox 2] --stage 2--> ... [output] --> for await
 *
 * It is the Python tutorial's "queues between stages" pipeline, with three things done properly:
 * - back-pressure: every channel is bounded, so a slow consumer slows the source down;
 * - shutdown flows downstream: when the source ends, inbox 1 is closed; when the last worker of
 *   a stage exits, the next channel is closed; the consumer's loop ends when the output drains;
 * - failure and early exit stop everything: the first error (in the source or any stage) aborts
 *   one shared AbortSignal, every task stops, the source's `return()` runs, and the consumer sees
 *   that first error; a consumer that breaks out of its loop stops every stage the same way.
 *
 * @module
 */

import { Channel, checkCount } from "./given_channel.ts";

/** One stage of a pipeline. */
export interface Stage<I, O> {
  /** How many workers run this stage at once. Default 1. */
  workers?: number;
  /** Size of this stage's inbox: items read ahead of its workers. Default 1. */
  capacity?: number;
  /** Processes one item. It should stop early (reject with `signal.reason`) when `signal` aborts. */
  fn: (item: I, signal: AbortSignal) => O | Promise<O>;
}

/** What a pipeline reads from: an async generator, any async iterable, or an array. */
export type Source<T> = AsyncIterable<T> | Iterable<T>;

/**
 * Sends every item of `source` to `inbox`, in order and one at a time: it pulls the next item only
 * once the previous one is in the inbox, so while the inbox is full it holds at most one item.
 * It closes the inbox when it ends, however it ends (the source is exhausted, the source throws,
 * `signal` aborts), so the stage behind the inbox can finish. When `signal` aborts, it sends
 * nothing more and the source's `return()` runs (a generator source runs its `finally`).
 *
 * @param source Where items come from (sync or async).
 * @param inbox The first stage's inbox.
 * @param signal Aborted when the pipeline stops. Already aborted: nothing is sent.
 * @returns A promise that resolves once the source is exhausted and the inbox closed; it rejects
 *   with the source's error, or with `signal.reason` (the very value) when the signal aborts.
 *
 * @example
 * ```ts
 * import { feed } from "./pipeline.ts";
 * import { Channel } from "./given_channel.ts";
 * const inbox = new Channel<number>(3);
 * await feed([1, 2, 3], inbox, new AbortController().signal);
 * inbox.closed; // true, with 1, 2, 3 inside
 * ```
 */
export async function feed<T>(
  source: Source<T>,
  inbox: Channel<T>,
  signal: AbortSignal,
): Promise<void> {
  // TODO: (task 1) send each item of source to inbox with the signal, one at a time, and close the
  // inbox however the loop ends (let `for await` call the source's return() for you)
  throw new Error("not implemented: feed() (task 1)");
}

/**
 * Runs one stage: `stage.workers` workers (default 1) each take an item from `inbox`, run
 * `stage.fn(item, controller.signal)` and send the result to `outbox`, until the inbox is closed
 * and drained. Once the last worker has exited (not the first), the outbox is closed, on every
 * path: shutdown flows downstream. A worker whose `fn` throws (synchronously or not), or whose
 * `receive`/`send` fails, aborts `controller` with that very error and exits; the first error
 * wins, and the abort stops every other worker of every stage.
 *
 * @param stage The stage.
 * @param inbox Where its items come from.
 * @param outbox Where its results go.
 * @param controller The pipeline's controller: its signal goes to every call, and the first
 *   error aborts it.
 * @returns A promise that resolves once every worker has exited and the outbox is closed; it
 *   never rejects.
 *
 * @example
 * ```ts
 * import { runStage } from "./pipeline.ts";
 * import { Channel } from "./given_channel.ts";
 * const inbox = new Channel<number>(2), outbox = new Channel<number>(2);
 * await inbox.send(1); await inbox.send(2); inbox.close();
 * await runStage({ workers: 2, fn: (n) => n * 10 }, inbox, outbox, new AbortController());
 * outbox.size; // 2
 * ```
 */
export async function runStage<I, O>(
  stage: Stage<I, O>,
  inbox: Channel<I>,
  outbox: Channel<O>,
  controller: AbortController,
): Promise<void> {
  // TODO: (task 2) start stage.workers workers (default 1) that move items inbox -> fn -> outbox;
  // a failing worker aborts the controller with its error; close the outbox after the LAST one exits
  throw new Error("not implemented: runStage() (task 2)");
}

/**
 * Runs `source` through `stages` and yields the last stage's results as they come out (with
 * several workers, in completion order, not source order). Nothing starts until the consumer
 * asks for the first result. The source is never more than `2 + sum(capacity + workers)` items
 * ahead of the consumer. A failure anywhere (the source or a stage) stops every stage, closes
 * the source and rethrows that first error, by identity, once every task has stopped; a
 * consumer that breaks early (or throws in its loop) stops every stage and the source before
 * its `break` completes.
 *
 * @param source Where items come from.
 * @param stages One or more stages, each `{ fn, workers?, capacity? }`.
 * @returns An async generator of results.
 * @throws RangeError (at once, not at the first `next()`) when there is no stage, or a
 *   `workers`/`capacity` is not a positive integer (0, negative, fractional, NaN, Infinity).
 *
 * @example
 * ```ts
 * import { pipeline } from "./pipeline.ts";
 * const out: string[] = [];
 * for await (const s of pipeline([1, 2, 3], { fn: (n: number) => n * 2 }, { fn: (n: number) => `#${n}` })) {
 *   out.push(s);
 * }
 * out; // ["#2", "#4", "#6"]
 * ```
 */
export function pipeline<A, B>(
  source: Source<A>,
  s1: Stage<A, B>,
): AsyncGenerator<B, void, undefined>;
export function pipeline<A, B, C>(
  source: Source<A>,
  s1: Stage<A, B>,
  s2: Stage<B, C>,
): AsyncGenerator<C, void, undefined>;
export function pipeline<A, B, C, D>(
  source: Source<A>,
  s1: Stage<A, B>,
  s2: Stage<B, C>,
  s3: Stage<C, D>,
): AsyncGenerator<D, void, undefined>;
export function pipeline(
  source: Source<unknown>,
  // deno-lint-ignore no-explicit-any
  ...stages: Stage<any, any>[]
): AsyncGenerator<unknown, void, undefined>;
export function pipeline(
  source: Source<unknown>,
  // deno-lint-ignore no-explicit-any
  ...stages: Stage<any, any>[]
): AsyncGenerator<unknown, void, undefined> {
  // TODO: (task 3) validate the stages at once (checkCount), then return a generator (from a private
  // `async function*`) that wires feed and runStage, yields the results, and stops everything on a
  // failure or an early exit
  throw new Error("not implemented: pipeline() (task 3)");
}
