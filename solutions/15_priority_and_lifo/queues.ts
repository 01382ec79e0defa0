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

const kind = (v: unknown): string =>
  Array.isArray(v)
    ? "array"
    : typeof v === "bigint" || typeof v === "boolean"
    ? "number"
    : typeof v;

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
  const ka = kind(a);
  const kb = kind(b);
  if (ka === "array" && kb === "array") {
    const xs = a as unknown[];
    const ys = b as unknown[];
    for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
      // Python's tuples look for the first element that differs with `==`, which is true for the
      // same object: only then do they compare with `<`.
      if (xs[i] === ys[i]) continue;
      const c = pythonCompare(xs[i], ys[i]);
      if (c !== 0) return c;
    }
    return xs.length - ys.length;
  }
  if (ka === kb && (ka === "number" || ka === "string")) {
    // `<` and `>` compare numbers by value and strings by code unit, never numbers as text.
    const x = a as number | string;
    const y = b as number | string;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  throw new TypeError(
    `'<' is not supported between ${ka} and ${kb} (${String(a)} and ${String(b)})`,
  );
}

/** A heap entry: the item and when it was put, so equal items come out first in, first out. */
interface Entry<T> {
  item: T;
  seq: number;
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
  readonly #compare: Compare<T>;
  readonly #heap: Entry<T>[] = [];
  #seq = 0;

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
    // A binary heap in an array: the children of entry i are at 2i+1 and 2i+2, and no entry is
    // smaller than its parent, so the smallest is always at index 0.
    this.#compare = compare;
  }

  /** Entry a comes before entry b: by the item's order, then by arrival (stable ties). */
  #before(a: Entry<T>, b: Entry<T>): boolean {
    const c = this.#compare(a.item, b.item);
    return c < 0 || (c === 0 && a.seq < b.seq);
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
    const heap = this.#heap;
    heap.push({ item, seq: this.#seq++ });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
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
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop() as Entry<T>;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let first = i;
        if (left < heap.length && this.#before(heap[left], heap[first])) first = left;
        if (right < heap.length && this.#before(heap[right], heap[first])) first = right;
        if (first === i) break;
        [heap[i], heap[first]] = [heap[first], heap[i]];
        i = first;
      }
    }
    return top.item;
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
    return this.#heap.length;
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
  readonly #stack: T[] = [];

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
    // The stack is an array: push on top, pop from the top.
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
    this.#stack.push(item);
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
    return this.#stack.pop() as T;
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
    return this.#stack.length;
  }
}
