/**
 * Flow control with high and low water marks: a buffer between a producer and a consumer that
 * tells the producer to pause when it holds too much and to resume once it has drained enough.
 *
 * This is how asyncio's transports protect memory: when a transport's write buffer grows above
 * its high-water mark it calls the protocol's `pause_writing()`, and once it falls to the
 * low-water mark or below it calls `resume_writing()`; `StreamWriter.drain()` is the awaitable
 * form ("wait here while paused"). Node's streams do the same with `write()` returning false and
 * a `"drain"` event. The gap between the two marks (hysteresis) keeps the producer from flapping
 * between paused and running on every single item.
 *
 * The writer's side of the pattern:
 *
 * ```ts
 * for (const item of items) {
 *   if (!buffer.write(item)) await buffer.drain();
 * }
 * ```
 *
 * Task 5 is the producer-side form that Python tutorials write: a `BackpressureQueue` whose
 * `put()` itself pauses the producer, built on an unbounded queue (`given_queue.ts`) and a gate
 * (an `asyncio.Event` in Python) that the consumer's `get()` opens again at the low mark.
 *
 * @module
 */

import { Queue } from "./given_queue.ts";

/** Options of a `FlowControlledBuffer` or a `BackpressureQueue`. */
export interface FlowOptions {
  /** Pause once more than this many items are buffered. Default 16, or 4 * low when only low is given. */
  high?: number;
  /** Resume once this many items or fewer are buffered. Default floor(high / 4). */
  low?: number;
  /** Called once each time the buffer goes from running to paused. */
  onPause?: () => void;
  /** Called once each time the buffer goes from paused to running. */
  onResume?: () => void;
}

/** Options of every call that can wait. */
export interface WaitOptions {
  /** Aborting it makes the call reject with `signal.reason` and leave the buffer untouched. */
  signal?: AbortSignal;
}

/** The marks of `opts` with asyncio's defaults; RangeError unless integers with high >= low >= 0. */
function resolveMarks(opts: FlowOptions): { high: number; low: number } {
  const high = opts.high ?? (opts.low === undefined ? 16 : 4 * opts.low);
  const low = opts.low ?? Math.floor(high / 4);
  // asyncio raises ValueError unless high >= low >= 0; marks count items here, so integers.
  if (!Number.isInteger(high) || !Number.isInteger(low) || !(high >= low && low >= 0)) {
    throw new RangeError(
      `Cannot create a flow-controlled buffer as 'high' (${high}) must be >= 'low' (${low}) must be >= 0, both integers`,
    );
  }
  return { high, low };
}

interface Waiter<V> {
  resolve(value: V): void;
}

/** Parks a caller at the back of `line`; an abort takes it out and rejects with the reason. */
function park<V>(line: Waiter<V>[], signal: AbortSignal | undefined): Promise<V> {
  signal?.throwIfAborted();
  return new Promise<V>((resolve, reject) => {
    const onAbort = () => {
      line.splice(line.indexOf(waiter), 1);
      reject(signal!.reason);
    };
    const waiter: Waiter<V> = {
      resolve(value) {
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      },
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    line.push(waiter);
  });
}

/**
 * An unbounded FIFO buffer with high/low water-mark flow control.
 *
 * Writes never wait and never fail: flow control is cooperative, like a transport's write buffer.
 * `write()` returns false while the buffer is paused, and `drain()` waits until it resumes.
 *
 * @typeParam T The item type.
 *
 * @example
 * ```ts
 * import { FlowControlledBuffer } from "./buffer.ts";
 * const buffer = new FlowControlledBuffer<number>({ high: 2, low: 0 });
 * buffer.write(1); // true
 * buffer.write(2); // true: 2 is not above high
 * buffer.write(3); // false: paused
 * await buffer.read(); // 1 (still paused: 2 > low)
 * ```
 */
export class FlowControlledBuffer<T> {
  /** The high-water mark: above it, the buffer pauses. */
  readonly high: number;
  /** The low-water mark: at or below it, a paused buffer resumes. */
  readonly low: number;
  readonly #onPause: () => void;
  readonly #onResume: () => void;
  readonly #items: T[] = [];
  readonly #readers: Waiter<T>[] = [];
  readonly #drainers: Waiter<void>[] = [];
  #paused = false;

  /**
   * Creates a buffer (task 1). The defaults follow asyncio's `set_write_buffer_limits()`: with
   * only `low`, high is 4 * low; with only `high`, low is high / 4 rounded down.
   *
   * @param opts The marks and the pause/resume callbacks.
   * @throws RangeError unless both marks are integers with high >= low >= 0.
   *
   * @example
   * ```ts
   * import { FlowControlledBuffer } from "./buffer.ts";
   * new FlowControlledBuffer({ high: 8 }).low; // 2
   * ```
   */
  constructor(opts: FlowOptions = {}) {
    const { high, low } = resolveMarks(opts);
    this.high = high;
    this.low = low;
    this.#onPause = opts.onPause ?? (() => {});
    this.#onResume = opts.onResume ?? (() => {});
  }

  /**
   * How many items are buffered (task 1).
   *
   * @example
   * ```ts
   * import { FlowControlledBuffer } from "./buffer.ts";
   * new FlowControlledBuffer().size; // 0
   * ```
   */
  get size(): number {
    return this.#items.length;
  }

  /**
   * Whether the producer has been told to pause (task 1).
   *
   * @example
   * ```ts
   * import { FlowControlledBuffer } from "./buffer.ts";
   * new FlowControlledBuffer().paused; // false
   * ```
   */
  get paused(): boolean {
    return this.#paused;
  }

  /**
   * Buffers an item, or hands it straight to a waiting reader (task 2). When the size goes above
   * `high`, the buffer pauses and calls `onPause` once; further writes while paused are still
   * accepted (nothing is dropped) but return false.
   *
   * @param item The item.
   * @returns True while the producer may go on writing, false once it should pause and `drain()`.
   *
   * @example
   * ```ts
   * import { FlowControlledBuffer } from "./buffer.ts";
   * const buffer = new FlowControlledBuffer<string>({ high: 1, low: 0 });
   * buffer.write("a"); // true
   * buffer.write("b"); // false
   * ```
   */
  write(item: T): boolean {
    const reader = this.#readers.shift();
    if (reader) {
      // A reader was waiting, so the buffer is empty: the item never enters it.
      reader.resolve(item);
      return !this.#paused;
    }
    this.#items.push(item);
    // Pause only on the way up through `high`, and only once: not on every write above it.
    if (!this.#paused && this.#items.length > this.high) {
      this.#paused = true;
      this.#onPause();
    }
    return !this.#paused;
  }

  /**
   * Takes the oldest item, waiting while the buffer is empty (task 2); readers are served first
   * come, first served. When a paused buffer's size falls to `low` or below, it resumes: it calls
   * `onResume` once and wakes every `drain()`.
   *
   * @param opts `signal` aborts the wait; nothing is taken then, also when the abort comes after
   *   `write()` handed this reader its item but before it resumed (the item goes to the next
   *   reader, or back to the front of the buffer).
   * @returns The oldest item.
   *
   * @example
   * ```ts
   * import { FlowControlledBuffer } from "./buffer.ts";
   * const buffer = new FlowControlledBuffer<number>();
   * buffer.write(1);
   * await buffer.read(); // 1
   * ```
   */
  async read(opts: WaitOptions = {}): Promise<T> {
    const { signal } = opts;
    signal?.throwIfAborted();
    if (this.#items.length === 0) {
      const handed = await park(this.#readers, signal);
      if (signal?.aborted) {
        // write() handed the item over, then the abort came before we ran: the abort wins (as in
        // CPython's Queue.get), and the item goes to the next reader, or back to the front.
        this.#giveBack(handed);
        throw signal.reason;
      }
      return handed;
    }
    const item = this.#items.shift() as T;
    // Resume only on the way down through `low`: between the marks the state does not change.
    if (this.#paused && this.#items.length <= this.low) {
      this.#paused = false;
      this.#onResume();
      for (const drainer of this.#drainers.splice(0)) drainer.resolve();
    }
    return item;
  }

  /** An item a late-aborted reader was handed: to the next reader, or back to the front. */
  #giveBack(item: T): void {
    const reader = this.#readers.shift();
    if (reader) return reader.resolve(item);
    this.#items.unshift(item);
    if (!this.#paused && this.#items.length > this.high) {
      this.#paused = true;
      this.#onPause();
    }
  }

  /**
   * Waits until the producer may write again (task 3): resolves at once when the buffer is not
   * paused (even if it holds items), otherwise when it resumes.
   *
   * @param opts `signal` stops waiting.
   * @returns A promise that resolves once the buffer is not paused.
   *
   * @example
   * ```ts
   * import { FlowControlledBuffer } from "./buffer.ts";
   * await new FlowControlledBuffer().drain(); // at once: not paused
   * ```
   */
  async drain(opts: WaitOptions = {}): Promise<void> {
    const { signal } = opts;
    signal?.throwIfAborted();
    if (!this.#paused) return;
    await park(this.#drainers, signal);
  }
}

/**
 * Writes every item of `source` into `buffer`, honouring back-pressure (task 4): after a write
 * returns false, waits for `drain()` before writing the next item (and after the last one).
 *
 * @param source The items, sync or async. When pumping stops early (an abort, or a throw), the
 *   source's `return()` runs.
 * @param buffer Where to write them.
 * @param opts `signal` stops pumping before the next write, also while waiting for `drain()`;
 *   the promise then rejects with its reason. Already aborted: nothing is written.
 * @returns How many items were written; it rejects with the source's error if the source throws.
 *
 * @example
 * ```ts
 * import { FlowControlledBuffer, pump } from "./buffer.ts";
 * const buffer = new FlowControlledBuffer<number>({ high: 100 });
 * await pump([1, 2, 3], buffer); // 3
 * ```
 */
export async function pump<T>(
  source: Iterable<T> | AsyncIterable<T>,
  buffer: FlowControlledBuffer<T>,
  opts: WaitOptions = {},
): Promise<number> {
  const { signal } = opts;
  let count = 0;
  for await (const item of source) {
    signal?.throwIfAborted();
    count++;
    // write() never refuses; false means "stop and wait until the reader catches up".
    if (!buffer.write(item)) await buffer.drain({ signal });
  }
  return count;
}

/**
 * The producer-side form of the same marks (task 5), as Python tutorials write it: a queue whose
 * `put()` makes the producer wait while it is paused, over an unbounded queue (the given `Queue`,
 * Python's `asyncio.Queue()`) and a gate that the consumer opens again (Python's `asyncio.Event`).
 *
 * The marks follow the same rules as `FlowControlledBuffer`: a `put()` that takes the size above
 * `high` pauses the queue (`onPause` once); a `get()` that brings a paused queue to `low` or below
 * resumes it (`onResume` once) and releases every `put()` waiting at the gate, first come, first
 * served. Like `await event.wait()`, a released `put()` does not look at the gate again: each one
 * adds its item, even if one of them pauses the queue again.
 *
 * @typeParam T The item type.
 *
 * @example
 * ```ts
 * import { BackpressureQueue } from "./buffer.ts";
 * const queue = new BackpressureQueue<number>({ high: 2, low: 0 });
 * await queue.put(1);
 * await queue.put(2);
 * await queue.put(3); // 3 > high: paused, but this put already happened
 * queue.paused; // true: the next put() waits until get() brings the size to 0
 * ```
 */
export class BackpressureQueue<T> {
  /** The high-water mark: a put above it pauses the queue. */
  readonly high: number;
  /** The low-water mark: a get at or below it resumes a paused queue. */
  readonly low: number;
  readonly #queue = new Queue<T>();
  readonly #onPause: () => void;
  readonly #onResume: () => void;
  readonly #producers: Waiter<void>[] = [];
  #paused = false;

  /**
   * Creates a queue (task 5) with the marks of a `FlowControlledBuffer`.
   *
   * @param opts The marks and the pause/resume callbacks.
   * @throws RangeError unless both marks are integers with high >= low >= 0.
   *
   * @example
   * ```ts
   * import { BackpressureQueue } from "./buffer.ts";
   * new BackpressureQueue({ low: 3 }).high; // 12
   * ```
   */
  constructor(opts: FlowOptions = {}) {
    const { high, low } = resolveMarks(opts);
    this.high = high;
    this.low = low;
    this.#onPause = opts.onPause ?? (() => {});
    this.#onResume = opts.onResume ?? (() => {});
  }

  /**
   * How many items are queued.
   *
   * @example
   * ```ts
   * import { BackpressureQueue } from "./buffer.ts";
   * new BackpressureQueue().size; // 0
   * ```
   */
  get size(): number {
    return this.#queue.qsize();
  }

  /**
   * Whether producers are held at the gate.
   *
   * @example
   * ```ts
   * import { BackpressureQueue } from "./buffer.ts";
   * new BackpressureQueue().paused; // false
   * ```
   */
  get paused(): boolean {
    return this.#paused;
  }

  /**
   * Adds an item, first waiting while the queue is paused (the producer pauses here). A put that
   * takes the size above `high` pauses the queue and calls `onPause` once.
   *
   * @param item The item.
   * @param opts `signal` gives up: an already-aborted signal, or one that aborts before the put
   *   runs again after waiting, rejects with `signal.reason` and adds nothing.
   * @returns A promise that resolves once the item is in the queue.
   *
   * @example
   * ```ts
   * import { BackpressureQueue } from "./buffer.ts";
   * await new BackpressureQueue<string>().put("job");
   * ```
   */
  async put(item: T, opts: WaitOptions = {}): Promise<void> {
    const { signal } = opts;
    signal?.throwIfAborted();
    if (this.#paused) {
      await park(this.#producers, signal);
      // Released by a resume, then aborted before we ran: the abort wins, nothing is added.
      signal?.throwIfAborted();
    }
    this.#queue.putNowait(item);
    if (!this.#paused && this.#queue.qsize() > this.high) {
      this.#paused = true;
      this.#onPause();
    }
  }

  /**
   * Takes the oldest item, waiting while the queue is empty. A get that brings a paused queue to
   * `low` or below resumes it: it calls `onResume` once and releases every waiting `put()`.
   *
   * @param opts `signal` aborts the wait; nothing is taken then.
   * @returns The oldest item.
   *
   * @example
   * ```ts
   * import { BackpressureQueue } from "./buffer.ts";
   * const queue = new BackpressureQueue<number>();
   * await queue.put(7);
   * await queue.get(); // 7
   * ```
   */
  async get(opts: WaitOptions = {}): Promise<T> {
    const item = await this.#queue.get(opts);
    if (this.#paused && this.#queue.qsize() <= this.low) {
      this.#paused = false;
      this.#onResume();
      for (const producer of this.#producers.splice(0)) producer.resolve();
    }
    return item;
  }
}
