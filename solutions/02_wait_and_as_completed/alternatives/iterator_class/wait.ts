/**
 * wait and asCompleted: watching several pieces of running work at once.
 *
 * `wait` is `asyncio.wait`: it watches a set of running promises and returns, without ever
 * rejecting, as soon as a condition holds (all settled, the first settled, the first failed) or
 * a timeout passes, with the promises split into `done` and `pending`. `asCompleted` is
 * `asyncio.as_completed`: an async generator that yields each result the moment it is ready, in
 * completion order, with an optional overall deadline.
 *
 * Neither cancels anything: a promise cannot be cancelled, and `asyncio.wait` does not cancel on
 * timeout either. What is still pending keeps running.
 *
 * @module
 */

/** When {@linkcode wait} returns, as in `asyncio.wait(return_when=...)`. */
export type ReturnWhen = "ALL_COMPLETED" | "FIRST_COMPLETED" | "FIRST_EXCEPTION";

/** The values {@linkcode wait} accepts for `returnWhen`. */
export const RETURN_WHEN: readonly ReturnWhen[] = [
  "ALL_COMPLETED",
  "FIRST_COMPLETED",
  "FIRST_EXCEPTION",
];

/** Options of {@linkcode wait}. */
export interface WaitOptions {
  /**
   * Return after this many ms even if the condition does not hold yet. null, absent or Infinity:
   * no limit (and no timer). 0 or negative: one 0 ms timer turn. NaN, or finite and above
   * 2147483647: RangeError.
   */
  timeoutMs?: number | null;
  /** The condition to wait for. Default "ALL_COMPLETED". */
  returnWhen?: ReturnWhen;
}

/** What {@linkcode wait} resolves with: the very promises it was given, split in two. */
export interface WaitResult<T> {
  /** Promises that had settled (fulfilled or rejected) when wait returned. */
  done: Set<Promise<T>>;
  /** Promises still running when wait returned. They keep running. */
  pending: Set<Promise<T>>;
}

/** Options of {@linkcode asCompleted}. */
export interface AsCompletedOptions {
  /**
   * Deadline in ms, counted from the first `next()`: once it passes, the iteration throws a
   * DOMException named "TimeoutError". null, absent or Infinity: no deadline. 0 or negative: the
   * deadline is the first 0 ms timer turn. NaN, or finite and above 2147483647: RangeError.
   */
  timeoutMs?: number | null;
}

/**
 * Waits until a condition holds for a group of running promises: the TypeScript `asyncio.wait`.
 *
 * Never rejects because a task failed or time ran out: look at `done` and `pending` instead.
 * Rejects (never throws) with a RangeError for an empty group, an unknown `returnWhen` or a
 * forbidden `timeoutMs`. Never polls: the only timer is the timeout.
 *
 * @typeParam T The type the promises resolve to.
 * @param tasks Running promises, any iterable (duplicates count once).
 * @param options `timeoutMs` (null: none) and `returnWhen` (default "ALL_COMPLETED").
 * @returns `{ done, pending }`, two sets of the promises that were passed in.
 *
 * @example The first of three downloads
 * ```ts
 * import { wait } from "./wait.ts";
 * const downloads = [fetch("https://a.test"), fetch("https://b.test"), fetch("https://c.test")];
 * const { done, pending } = await wait(downloads, { returnWhen: "FIRST_COMPLETED" });
 * for (const d of done) console.log((await d).status);
 * console.log(`${pending.size} still running`);
 * ```
 */
export function wait<T>(
  tasks: Iterable<Promise<T>>,
  options: WaitOptions = {},
): Promise<WaitResult<T>> {
  // Another style: an async function (so every problem becomes a rejection by itself), the
  // condition checked by a counter, and the timeout raced against it.
  return (async () => {
    const unique = new Set(tasks);
    if (unique.size === 0) throw new RangeError("wait(): no tasks");
    const when = options.returnWhen ?? "ALL_COMPLETED";
    if (when !== "ALL_COMPLETED" && when !== "FIRST_COMPLETED" && when !== "FIRST_EXCEPTION") {
      throw new RangeError(`wait(): bad returnWhen ${String(when)}`);
    }
    const delay = checkedDelay(options.timeoutMs);
    const done = new Set<Promise<T>>();
    let left = unique.size;
    let release!: () => void;
    const condition = new Promise<void>((resolve) => (release = resolve));
    let closed = false;
    for (const task of unique) {
      const mark = (failed: boolean) => {
        if (closed) return;
        done.add(task);
        left -= 1;
        if (left === 0 || when === "FIRST_COMPLETED" || (failed && when === "FIRST_EXCEPTION")) {
          release();
        }
      };
      task.then(() => mark(false), () => mark(true));
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = delay === undefined ? undefined : new Promise<void>((resolve) => {
      timer = setTimeout(resolve, delay);
    });
    await (timeout ? Promise.race([condition, timeout]) : condition);
    closed = true;
    clearTimeout(timer);
    const pending = new Set<Promise<T>>();
    for (const task of unique) if (!done.has(task)) pending.add(task);
    return { done, pending };
  })();
}

/**
 * Yields results as they become ready, fastest first: the TypeScript `asyncio.as_completed`.
 *
 * It starts watching its inputs when it is called (like CPython 3.13), so the order is the order
 * of completion even if the loop starts late; the same input given twice is watched and yielded
 * once. A failing input makes the iteration throw its error when its turn comes (results that
 * were ready before it are yielded first). With `timeoutMs`, the iteration throws a TimeoutError
 * once the deadline passes (results that arrived before the deadline are still yielded first, as
 * in CPython). However the loop ends, the deadline timer is cleared. A forbidden `timeoutMs`
 * throws a RangeError at the call.
 *
 * @typeParam T The type the inputs resolve to.
 * @param items Running promises (or plain values); duplicates count once.
 * @param options `timeoutMs`: a deadline for the whole iteration, counted from the first `next()`.
 * @returns An async generator of the results, in completion order.
 *
 * @example Print each page as soon as it arrives
 * ```ts
 * import { asCompleted } from "./wait.ts";
 * const pages = ["a", "b", "c"].map((p) => fetch(`https://site.test/${p}`).then((r) => r.text()));
 * for await (const text of asCompleted(pages, { timeoutMs: 5000 })) {
 *   console.log(text.length);
 * }
 * ```
 */
export function asCompleted<T>(
  items: Iterable<T | PromiseLike<T>>,
  options: AsCompletedOptions = {},
): AsyncGenerator<T, void, undefined> {
  // Another style: an iterator class instead of an async generator.
  return new ArrivalOrder<T>(items, checkedDelay(options.timeoutMs)) as unknown as AsyncGenerator<
    T,
    void,
    undefined
  >;
}

/** The timer delay of a timeoutMs option: undefined for none; RangeError for NaN and too large. */
function checkedDelay(timeoutMs: number | null | undefined): number | undefined {
  if (timeoutMs === undefined || timeoutMs === null || timeoutMs === Infinity) return undefined;
  if (timeoutMs !== timeoutMs || timeoutMs > 0x7fffffff) {
    throw new RangeError(`bad timeoutMs ${timeoutMs}`);
  }
  return timeoutMs < 0 ? 0 : timeoutMs;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown } | "timeout";

/** asCompleted() as an iterator object. */
class ArrivalOrder<T> {
  readonly #queue: Outcome<T>[] = [];
  #wake: (() => void) | undefined;
  #left: number;
  readonly #delay: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #started = false;
  #finished = false;
  #timedOut = false;

  constructor(items: Iterable<T | PromiseLike<T>>, delay: number | undefined) {
    const unique = new Set(items);
    this.#left = unique.size;
    this.#delay = delay;
    for (const item of unique) {
      Promise.resolve(item).then(
        (value) => this.#push({ ok: true, value }),
        (error) => this.#push({ ok: false, error }),
      );
    }
  }

  #push(outcome: Outcome<T>): void {
    if (this.#timedOut) return;
    this.#queue.push(outcome);
    this.#wake?.();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<T, void>> {
    if (this.#finished) return { done: true, value: undefined };
    if (!this.#started) {
      this.#started = true;
      if (this.#delay !== undefined && this.#left > 0) {
        this.#timer = setTimeout(() => {
          this.#push("timeout");
          this.#timedOut = true;
        }, this.#delay);
      }
    }
    if (this.#left === 0) {
      this.#finish();
      return { done: true, value: undefined };
    }
    while (this.#queue.length === 0) await new Promise<void>((resolve) => (this.#wake = resolve));
    const outcome = this.#queue.shift()!;
    this.#left -= 1;
    if (outcome === "timeout") {
      this.#finish();
      throw new DOMException("asCompleted(): deadline passed", "TimeoutError");
    }
    if (!outcome.ok) {
      this.#finish();
      throw outcome.error;
    }
    if (this.#left === 0) this.#finish();
    return { done: false, value: outcome.value };
  }

  return(): Promise<IteratorResult<T, void>> {
    this.#finish();
    return Promise.resolve({ done: true, value: undefined });
  }

  #finish(): void {
    this.#finished = true;
    clearTimeout(this.#timer);
  }
}
