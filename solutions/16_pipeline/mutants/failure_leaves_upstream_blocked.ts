// MUTANT: a failing stage reports its error to the consumer but never aborts the others, so stage 1 stays blocked on a full channel and the source is never closed
/**
 * A multi-stage pipeline: items flow from a source through stages (download -> resize -> save,
 * parse -> enrich -> store), each stage run by its own pool of workers, with a bounded channel in
 * front of every stage and one at the end for the consumer (the Channel class at the bottom of
 * this file is provided and complete).
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
 * Pulls items from `source` into `inbox` one at a time (waiting while the inbox is full), then
 * closes the inbox. When `signal` aborts, it stops and the source's `return()` runs.
 *
 * @param source Where items come from.
 * @param inbox The first stage's inbox.
 * @param signal Aborted when the pipeline stops.
 * @returns A promise that settles when feeding is over; it rejects with the source's error or
 *   with `signal.reason`.
 *
 * @example
 * ```ts
 * 
 * import { feed } from "./pipeline.ts";
 * const inbox = new Channel<number>(3);
 * await feed([1, 2, 3], inbox, new AbortController().signal);
 * inbox.closed; // true, with 1, 2, 3 inside
 * ```
 */
export async function feed<T>(source: Source<T>, inbox: Channel<T>, signal: AbortSignal): Promise<void> {
  // `for await` calls source.return() when the loop body throws (an aborted send), so a
  // generator source runs its finally. Closing in finally lets the stage drain and finish.
  try {
    for await (const item of source) {
      await inbox.send(item, { signal });
    }
  } finally {
    inbox.close();
  }
}

/**
 * Runs one stage: `stage.workers` workers each take an item from `inbox`, run `stage.fn` and send
 * the result to `outbox`, until the inbox is closed and drained. When the last worker exits, the
 * outbox is closed (shutdown flows downstream). A worker that fails aborts `controller` with its
 * error, which stops every other task of the pipeline.
 *
 * @param stage The stage.
 * @param inbox Where its items come from.
 * @param outbox Where its results go.
 * @param controller The pipeline's controller: abort it with the first error.
 * @returns A promise that resolves once every worker has exited (it never rejects).
 *
 * @example
 * ```ts
 * 
 * import { runStage } from "./pipeline.ts";
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
  const { signal } = controller;
  const work = async () => {
    try {
      for (;;) {
        const next = await inbox.receive({ signal });
        if (next.done) return; // closed and drained: this worker is done
        const result = await stage.fn(next.value, signal);
        await outbox.send(result, { signal });
      }
    } catch (error) {
      (controller as { error?: unknown }).error ??= error;
      outbox.close(); // let the consumer see it
    }
  };
  // Wait for EVERY worker (not the first to exit): only then is nothing more coming.
  await Promise.all(Array.from({ length: stage.workers ?? 1 }, work));
  outbox.close();
}

/** Throws a RangeError unless `value` is a positive integer (or undefined). */
function checkCount(value: number | undefined, what: string, index: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(`pipeline(): stage ${index + 1}'s ${what} must be a positive integer; received ${value}`);
  }
}

/**
 * Runs `source` through `stages` and yields the last stage's results as they come out (with
 * several workers, in completion order, not source order). Nothing starts until the consumer
 * asks for the first result. A failure anywhere stops every stage and rethrows the first error;
 * a consumer that breaks early stops every stage before its `break` completes.
 *
 * @param source Where items come from.
 * @param stages One or more stages, each `{ fn, workers?, capacity? }`.
 * @returns An async generator of results.
 * @throws RangeError (at once) when there is no stage, or a `workers`/`capacity` is not a
 *   positive integer.
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
export function pipeline<A, B>(source: Source<A>, s1: Stage<A, B>): AsyncGenerator<B, void, undefined>;
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
// deno-lint-ignore no-explicit-any
export function pipeline(source: Source<unknown>, ...stages: Stage<any, any>[]): AsyncGenerator<unknown, void, undefined>;
// deno-lint-ignore no-explicit-any
export function pipeline(source: Source<unknown>, ...stages: Stage<any, any>[]): AsyncGenerator<unknown, void, undefined> {
  // Validate now: an async generator function's body would only run at the first next().
  if (stages.length === 0) throw new RangeError("pipeline() needs at least one stage");
  stages.forEach((stage, i) => {
    checkCount(stage.workers, "workers", i);
    checkCount(stage.capacity, "capacity", i);
  });
  return run(source, stages);
}

// deno-lint-ignore no-explicit-any
async function* run(source: Source<unknown>, stages: Stage<any, any>[]): AsyncGenerator<unknown, void, undefined> {
  const controller = new AbortController();
  const { signal } = controller;
  const inboxes = stages.map((stage) => new Channel<unknown>(stage.capacity ?? 1));
  const output = new Channel<unknown>(1);
  const tasks = [
    feed(source, inboxes[0], signal).catch((error) => controller.abort(error)),
    ...stages.map((stage, i) => runStage(stage, inboxes[i], inboxes[i + 1] ?? output, controller)),
  ];
  try {
    for (;;) {
      // Rejects with signal.reason (the first error) as soon as anything fails.
      const next = await output.receive({ signal });
      if (next.done) {
        const failed = (controller as { error?: unknown }).error;
        if (failed !== undefined) throw failed;
        return;
      }
      yield next.value;
    }
  } finally {
    // Reached on completion, on failure, and when the consumer breaks (return() resumes us here).
    // A no-op if a failure already aborted; otherwise it stops every stage and the feeder.
    if ((controller as { error?: unknown }).error === undefined) {
      controller.abort(new DOMException("the pipeline's consumer stopped", "AbortError"));
      await Promise.all(tasks);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PROVIDED AND COMPLETE (no work here): the bounded channel the pipeline is built from.
// ---------------------------------------------------------------------------------------------

/*
 * You do not need to change it. It is Python's `asyncio.Queue(maxsize)` with 3.13's `shutdown()`,
 * cut down to what a pipeline needs:
 *
 * - `send(item)` waits while the channel is full (back-pressure);
 * - `receive()` waits while it is empty, and returns `{ done: true }` once the channel is closed
 *   and drained (like `for await` over an async iterator, so no sentinel values are needed);
 * - `close()` says "no more items": receivers drain what is left, then see `done`; a `send` after
 *   (or blocked during) `close()` fails with a ChannelClosedError;
 * - both take `{ signal }`: an aborted call rejects with `signal.reason` and leaves the channel as
 *   it was (an aborted send adds nothing, an aborted receive takes nothing).
 *
 * Waiters are served first come, first served.
 */

/**
 * `send()` on a closed channel (Python's `QueueShutDown`).
 *
 * @example
 * ```ts
 * import { Channel, ChannelClosedError } from "./pipeline.ts";
 * const ch = new Channel<number>(1);
 * ch.close();
 * await ch.send(1).catch((e) => e instanceof ChannelClosedError); // true
 * ```
 */
export class ChannelClosedError extends Error {
  override name = "ChannelClosedError";
  constructor(message = "send() on a closed channel") {
    super(message);
  }
}

interface Waiter<R> {
  resolve(value: R): void;
  reject(reason: unknown): void;
}

interface Sender<T> extends Waiter<void> {
  item: T;
}

/**
 * A bounded FIFO channel with close and abortable send/receive.
 *
 * @typeParam T The item type.
 *
 * @example
 * ```ts
 * import { Channel } from "./pipeline.ts";
 * const ch = new Channel<string>(2);
 * await ch.send("a");
 * ch.close();
 * await ch.receive(); // { done: false, value: "a" }
 * await ch.receive(); // { done: true, value: undefined }
 * ```
 */
export class Channel<T> {
  /** How many items it holds before `send` waits (a positive integer, or Infinity). */
  readonly capacity: number;
  readonly #items: T[] = [];
  readonly #senders: Sender<T>[] = [];
  readonly #receivers: Waiter<IteratorResult<T, undefined>>[] = [];
  #closed = false;

  /**
   * @param capacity Items held before `send` waits. Default 1. Infinity makes it unbounded.
   */
  constructor(capacity = 1) {
    if (!(capacity === Infinity || (Number.isInteger(capacity) && capacity >= 1))) {
      throw new RangeError(
        `Cannot create a channel: capacity must be a positive integer or Infinity; received ${capacity}`,
      );
    }
    this.capacity = capacity;
  }

  /** Items waiting in the channel now. */
  get size(): number {
    return this.#items.length;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Puts an item in, waiting while the channel is full.
   *
   * @param item The item.
   * @param opts `{ signal }` to give up waiting.
   * @returns A promise that resolves once the item is in the channel (or handed to a receiver).
   * @throws ChannelClosedError when the channel is (or gets) closed; `signal.reason` on abort.
   *
   * @example
   * ```ts
   * import { Channel } from "./pipeline.ts";
   * await new Channel<number>(1).send(42);
   * ```
   */
  send(item: T, opts: { signal?: AbortSignal } = {}): Promise<void> {
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.reject(new ChannelClosedError());
    const receiver = this.#receivers.shift();
    if (receiver) {
      receiver.resolve({ done: false, value: item });
      return Promise.resolve();
    }
    if (this.#items.length < this.capacity) {
      this.#items.push(item);
      return Promise.resolve();
    }
    return this.#wait(this.#senders, { item } as Sender<T>, signal);
  }

  /**
   * Takes the oldest item, waiting while the channel is empty.
   *
   * @param opts `{ signal }` to give up waiting.
   * @returns `{ done: false, value }`, or `{ done: true }` once the channel is closed and empty.
   * @throws `signal.reason` on abort.
   *
   * @example
   * ```ts
   * import { Channel } from "./pipeline.ts";
   * const ch = new Channel<number>(1);
   * await ch.send(7);
   * (await ch.receive()).value; // 7
   * ```
   */
  receive(opts: { signal?: AbortSignal } = {}): Promise<IteratorResult<T, undefined>> {
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#items.length > 0) {
      const value = this.#items.shift() as T;
      const sender = this.#senders.shift();
      if (sender) {
        this.#items.push(sender.item);
        sender.resolve();
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.#closed) return Promise.resolve({ done: true, value: undefined });
    return this.#wait(this.#receivers, {} as Waiter<IteratorResult<T, undefined>>, signal);
  }

  /**
   * No more items: waiting receivers get `{ done: true }` (the channel is empty when any wait),
   * waiting senders fail with a ChannelClosedError, items already in are still delivered.
   * Closing twice is harmless.
   *
   * @example
   * ```ts
   * import { Channel } from "./pipeline.ts";
   * const ch = new Channel<number>(1);
   * ch.close();
   * ch.closed; // true
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const receiver of this.#receivers.splice(0)) receiver.resolve({ done: true, value: undefined });
    for (const sender of this.#senders.splice(0)) sender.reject(new ChannelClosedError());
  }

  /**
   * Iterates until the channel is closed and drained.
   *
   * @returns An async iterator over the items.
   *
   * @example
   * ```ts
   * import { Channel } from "./pipeline.ts";
   * const ch = new Channel<number>(2);
   * await ch.send(1);
   * ch.close();
   * for await (const n of ch) console.log(n); // 1
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      const next = await this.receive();
      if (next.done) return;
      yield next.value;
    }
  }

  /** Queues `waiter` in `queue` until it is served, or removes it again on abort. */
  #wait<R, W extends Waiter<R>>(queue: W[], waiter: W, signal: AbortSignal | undefined): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const onAbort = () => {
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        reject(signal!.reason);
      };
      waiter.resolve = (value) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      };
      waiter.reject = (reason) => {
        signal?.removeEventListener("abort", onAbort);
        reject(reason);
      };
      queue.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
