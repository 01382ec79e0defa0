// deno-lint-ignore-file no-unused-vars -- the stub does not use its parameters yet; your code will
/**
 * PriorityQueue and LifoQueue: the same asyncio queue, with a different order of items.
 *
 * In CPython, `PriorityQueue` and `LifoQueue` are tiny subclasses of `Queue` that override only
 * the storage (`_init`, `_put`, `_get`): a heap that hands out the smallest item, or a stack that
 * hands out the newest. Everything else (waiting, FIFO waiters, task_done/join, shutdown) is the
 * base class's. This file has the same shape: the base `Queue<T>` is given in `given_queue.ts`
 * (exercise 13's queue, its storage behind the protected hooks `_put(item)`, `_get()` and
 * `_size()`), and you write:
 *
 * - `pythonCompare()`, Python's ordering of numbers, strings and tuples;
 * - `PriorityQueue<T>`, a binary heap, smallest first, equal items first in, first out;
 * - `LifoQueue<T>`, a stack.
 *
 * @module
 */

import { Queue } from "./given_queue.ts";

/** Orders two items: negative when `a` comes first, positive when `b` does, 0 when equal. */
export type Compare<T> = (a: T, b: T) => number;

/**
 * Compares two values the way Python's `<` does (task 1): numbers by value (booleans and bigints
 * count as numbers, as Python's bool is an int), strings with JavaScript's `<` (UTF-16 code
 * units; Python compares code points, which gives the same order below U+10000), and arrays
 * (Python's tuples) element by element, a shorter prefix first. So `[1, "b"]` comes before
 * `[2, "a"]`, and `10` after `9`. As in Python's tuple comparison, two elements that are the very
 * same value (`===`) count as equal without being compared, so `[1, job]` and `[1, job]` are
 * equal even when `job` is an object.
 *
 * @param a The first value.
 * @param b The second value.
 * @returns A negative number, 0 or a positive number.
 * @throws TypeError for values Python cannot order either, like a number and a string, or objects.
 *
 * @example
 * ```ts
 * import { pythonCompare } from "./queues.ts";
 * pythonCompare([1, "write"], [2, "read"]); // negative: priority 1 first
 * pythonCompare(10, 9); // positive
 * ```
 */
export function pythonCompare(a: unknown, b: unknown): number {
  // TODO: order numbers (booleans, bigints) by value, strings with < and >, arrays element by element (skip elements that are ===, a shorter prefix first); throw TypeError otherwise.
  throw new Error("not implemented: pythonCompare() (task 1)");
}

/**
 * A queue that hands out the smallest item first (task 2), like Python's
 * `asyncio.PriorityQueue`, ordered by `compare` (Python's ordering by default). Unlike Python's
 * heap, equal items come out in the order they were put.
 *
 * @typeParam T The item type, typically a `[priority, data]` tuple.
 *
 * @example
 * ```ts
 * import { PriorityQueue } from "./queues.ts";
 * const q = new PriorityQueue<[number, string]>();
 * q.putNowait([2, "write"]);
 * q.putNowait([1, "read"]);
 * q.getNowait(); // [1, "read"]
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  /**
   * @param maxsize The capacity, an integer >= 0 (0 means unbounded).
   * @param compare The order of items; smallest first. Default: `pythonCompare`.
   *
   * @example
   * ```ts
   * import { PriorityQueue } from "./queues.ts";
   * const byDeadline = new PriorityQueue<{ due: number }>(0, (a, b) => a.due - b.due);
   * ```
   */
  constructor(maxsize = 0, compare: Compare<T> = pythonCompare) {
    super(maxsize);
    // TODO: keep compare, and set up an empty heap (an array of { item, seq } entries) and an arrival counter for stable ties.
    throw new Error("not implemented: new PriorityQueue() (task 2)");
  }

  /**
   * Adds an item to the heap (task 2): append it, then move it up while it comes before its
   * parent.
   *
   * @param item The item.
   *
   * @example
   * ```ts
   * import { PriorityQueue } from "./queues.ts";
   * new PriorityQueue<number>().putNowait(3); // calls _put(3)
   * ```
   */
  protected override _put(item: T): void {
    // TODO: append { item, seq } to the heap and sift it up while it comes before its parent (by compare, then by seq).
    throw new Error("not implemented: PriorityQueue._put() (task 2)");
  }

  /**
   * Removes the smallest item (task 2): take the root, move the last entry to the root, then
   * move it down while a child comes before it.
   *
   * @returns The smallest item (the oldest among equals).
   *
   * @example
   * ```ts
   * import { PriorityQueue } from "./queues.ts";
   * const q = new PriorityQueue<number>();
   * q.putNowait(3);
   * q.getNowait(); // calls _get(): 3
   * ```
   */
  protected override _get(): T {
    // TODO: take the root, move the last entry to the root and sift it down; return the root's item.
    throw new Error("not implemented: PriorityQueue._get() (task 2)");
  }

  /**
   * How many items the heap holds (task 2).
   *
   * @returns The count.
   *
   * @example
   * ```ts
   * import { PriorityQueue } from "./queues.ts";
   * new PriorityQueue<number>().qsize(); // 0
   * ```
   */
  protected override _size(): number {
    // TODO: return how many entries the heap holds.
    throw new Error("not implemented: PriorityQueue._size() (task 2)");
  }
}

/**
 * A queue that hands out the newest item first (task 3), like Python's `asyncio.LifoQueue`.
 * Only the items are last in, first out: waiting consumers and producers are still served first
 * come, first served, because waiting is the base queue's job.
 *
 * @typeParam T The item type.
 *
 * @example
 * ```ts
 * import { LifoQueue } from "./queues.ts";
 * const q = new LifoQueue<string>();
 * q.putNowait("a");
 * q.putNowait("b");
 * q.getNowait(); // "b"
 * ```
 */
export class LifoQueue<T> extends Queue<T> {
  /**
   * @param maxsize The capacity, an integer >= 0 (0 means unbounded).
   *
   * @example
   * ```ts
   * import { LifoQueue } from "./queues.ts";
   * new LifoQueue<number>(3).maxsize; // 3
   * ```
   */
  constructor(maxsize = 0) {
    super(maxsize);
    // TODO: set up an empty stack (an array).
    throw new Error("not implemented: new LifoQueue() (task 3)");
  }

  /**
   * Pushes an item on the stack (task 3).
   *
   * @param item The item.
   *
   * @example
   * ```ts
   * import { LifoQueue } from "./queues.ts";
   * new LifoQueue<number>().putNowait(1); // calls _put(1)
   * ```
   */
  protected override _put(item: T): void {
    // TODO: push the item on the stack.
    throw new Error("not implemented: LifoQueue._put() (task 3)");
  }

  /**
   * Pops the newest item (task 3).
   *
   * @returns The item put last.
   *
   * @example
   * ```ts
   * import { LifoQueue } from "./queues.ts";
   * const q = new LifoQueue<number>();
   * q.putNowait(1);
   * q.getNowait(); // calls _get(): 1
   * ```
   */
  protected override _get(): T {
    // TODO: pop the newest item.
    throw new Error("not implemented: LifoQueue._get() (task 3)");
  }

  /**
   * How many items the stack holds (task 3).
   *
   * @returns The count.
   *
   * @example
   * ```ts
   * import { LifoQueue } from "./queues.ts";
   * new LifoQueue<number>().qsize(); // 0
   * ```
   */
  protected override _size(): number {
    // TODO: return how many items the stack holds.
    throw new Error("not implemented: LifoQueue._size() (task 3)");
  }
}
