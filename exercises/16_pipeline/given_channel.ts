// GIVEN: the bounded Channel and the checkCount() helper the pipeline is built from; you do not edit it
/**
 * The bounded channel a pipeline is built from, provided and complete (exercise 13 had you write
 * the full `asyncio.Queue`). It is Python's `asyncio.Queue(maxsize)` with 3.13's `shutdown()`,
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
 * Waiters are served first come, first served. Unlike exercise 13's Queue, an abort that arrives
 * after a waiting send or receive was served (but before its caller resumed) does not undo it:
 * in a pipeline an abort stops everything, so the item would be dropped either way.
 *
 * @module
 */
import { CHANNEL } from "../../lib/kit/primitive_specs.ts";
import { watch } from "../../lib/kit/watched.ts";

/**
 * `send()` on a closed channel (Python's `QueueShutDown`).
 *
 * @example
 * ```ts
 * import { Channel, ChannelClosedError } from "./given_channel.ts";
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
 * import { Channel } from "./given_channel.ts";
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
    // If a test deadlocks, this channel says its state and its waiting calls (lib/kit/watched.ts):
    // "Channel: empty, capacity 1, open, 1 receive() call waiting". Outside a test, nothing.
    watch(this, CHANNEL, () => ({ send: this.#senders.length, receive: this.#receivers.length }));
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
   * import { Channel } from "./given_channel.ts";
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
   * import { Channel } from "./given_channel.ts";
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
   * import { Channel } from "./given_channel.ts";
   * const ch = new Channel<number>(1);
   * ch.close();
   * ch.closed; // true
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const receiver of this.#receivers.splice(0)) {
      receiver.resolve({ done: true, value: undefined });
    }
    for (const sender of this.#senders.splice(0)) sender.reject(new ChannelClosedError());
  }

  /**
   * Iterates until the channel is closed and drained.
   *
   * @returns An async iterator over the items.
   *
   * @example
   * ```ts
   * import { Channel } from "./given_channel.ts";
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
  #wait<R, W extends Waiter<R>>(
    queue: W[],
    waiter: W,
    signal: AbortSignal | undefined,
  ): Promise<R> {
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

/**
 * Throws a RangeError unless `value` is a positive integer (or undefined, for "use the default").
 *
 * @param value A stage's `workers` or `capacity`.
 * @param what Its name, for the message.
 * @param index The stage's index (0 for the first stage).
 *
 * @example
 * ```ts
 * import { checkCount } from "./given_channel.ts";
 * checkCount(2, "workers", 0); // fine
 * checkCount(0, "capacity", 1); // RangeError: pipeline(): stage 2's capacity must be a positive integer; received 0
 * ```
 */
export function checkCount(value: number | undefined, what: string, index: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(
      `pipeline(): stage ${index + 1}'s ${what} must be a positive integer; received ${value}`,
    );
  }
}
