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
 * @module
 */

/** Options of a `FlowControlledBuffer`. */
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
    // TODO: work out high and low (defaults as documented), throw RangeError unless they are integers with high >= low >= 0, store them and the callbacks, and set up the items and the lines of readers and drainers.
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
    // TODO: return how many items are buffered.
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
    // TODO: return whether the buffer is paused.
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
    // TODO: hand the item to the oldest waiting reader, or buffer it; pause (and call onPause) once when the size goes above high; return !paused.
    throw new Error("not implemented: FlowControlledBuffer.write() (task 2)");
  }

  /**
   * Takes the oldest item, waiting while the buffer is empty (task 2); readers are served first
   * come, first served. When a paused buffer's size falls to `low` or below, it resumes: it calls
   * `onResume` once and wakes every `drain()`.
   *
   * @param opts `signal` aborts the wait; nothing is taken then.
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
    // TODO: check the signal; wait in line while empty; take the oldest item; when paused and the size is now <= low, resume: call onResume once and wake every drain().
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
    // TODO: check the signal; resolve at once when not paused, otherwise wait in line until the buffer resumes.
    throw new Error("not implemented: FlowControlledBuffer.drain() (task 3)");
  }
}

/**
 * Writes every item of `source` into `buffer`, honouring back-pressure (task 4): after a write
 * returns false, waits for `drain()` before writing the next item (and after the last one).
 *
 * @param source The items, sync or async.
 * @param buffer Where to write them.
 * @param opts `signal` stops pumping; the promise then rejects with its reason.
 * @returns How many items were written.
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
  // TODO: write each item; after a write that returns false, await buffer.drain({ signal }) before going on.
  throw new Error("not implemented: pump() (task 4)");
}
