// deno-lint-ignore-file no-unused-vars require-await -- unused until you write the bodies
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
  constructor(_opts: FlowOptions = {}) {
    this.high = this.low = 0;
    // TODO: (task 1) work out high and low (defaults as documented), throw RangeError unless they are integers with high >= low >= 0, store them and the callbacks, and set up the items and the lines of readers and drainers.
    throw new Error("not implemented: new FlowControlledBuffer() (task 1)");
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
    // TODO: (task 1) return how many items are buffered.
    throw new Error("not implemented: FlowControlledBuffer.size (task 1)");
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
    // TODO: (task 1) return whether the buffer is paused.
    throw new Error("not implemented: FlowControlledBuffer.paused (task 1)");
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
  write(_item: T): boolean {
    // TODO: (task 2) hand the item to the oldest waiting reader, or buffer it; pause (and call onPause) once when the size goes above high; return !paused.
    throw new Error("not implemented: FlowControlledBuffer.write() (task 2)");
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
  async read(_opts: WaitOptions = {}): Promise<T> {
    // TODO: (task 2) check the signal; wait in line while empty (an abort after the hand-over gives the item back); take the oldest item; when paused and the size is now <= low, resume: call onResume once and wake every drain().
    throw new Error("not implemented: FlowControlledBuffer.read() (task 2)");
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
  async drain(_opts: WaitOptions = {}): Promise<void> {
    // TODO: (task 3) check the signal; resolve at once when not paused, otherwise wait in line until the buffer resumes.
    throw new Error("not implemented: FlowControlledBuffer.drain() (task 3)");
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
  // TODO: (task 4) write each item; after a write that returns false, await buffer.drain({ signal }) before going on.
  throw new Error("not implemented: pump() (task 4)");
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
  constructor(_opts: FlowOptions = {}) {
    this.high = this.low = 0;
    // TODO: (task 5) work out and check the marks as FlowControlledBuffer does (share the code), keep the callbacks, and set up a given Queue, the paused flag and the line of waiting producers.
    throw new Error("not implemented: new BackpressureQueue() (task 5)");
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
    // TODO: (task 5) return how many items are queued.
    throw new Error("not implemented: BackpressureQueue.size (task 5)");
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
    // TODO: (task 5) return whether producers are held at the gate.
    throw new Error("not implemented: BackpressureQueue.paused (task 5)");
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
  async put(_item: T, _opts: WaitOptions = {}): Promise<void> {
    // TODO: (task 5) check the signal; if paused, wait at the gate once (a released put does not wait again, but checks the signal again); add the item; pause (onPause once) when the size goes above high.
    throw new Error("not implemented: BackpressureQueue.put() (task 5)");
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
  async get(_opts: WaitOptions = {}): Promise<T> {
    // TODO: (task 5) take an item from the queue (with the signal); when paused and the size is now <= low, resume: call onResume once and release every waiting put().
    throw new Error("not implemented: BackpressureQueue.get() (task 5)");
  }
}
