// deno-lint-ignore-file no-unused-vars -- unused until you write the bodies
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
  // TODO: reject (never throw) an empty group, an unknown returnWhen or a forbidden timeoutMs with a RangeError; watch every distinct task, and resolve { done, pending } once returnWhen holds or the timeout passes (never reject, clear the timer)
  throw new Error("not implemented: wait (task 1)");
}

/**
 * Yields results as they become ready, fastest first: the TypeScript `asyncio.as_completed`.
 *
 * It starts watching its inputs when it is called (like CPython 3.13), so the order is the order
 * of completion even if the loop starts late; the same input given twice is watched and yielded
 * once. A failing input makes the iteration throw its error when its turn comes (results that
 * were ready before it are yielded first). With `timeoutMs`, the iteration throws a TimeoutError
 * once the deadline passes (results that arrived before the deadline are still yielded first, as
 * in CPython; an input that settles after the deadline is not yielded). However the loop ends,
 * the deadline timer is cleared. A forbidden `timeoutMs` throws a RangeError at the call.
 *
 * @typeParam T The type the inputs resolve to.
 * @param items Running promises (or plain values), any iterable; duplicates count once.
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
  // TODO: throw a RangeError now for a forbidden timeoutMs, and start recording the outcome of each distinct input in arrival order
  // TODO: return an inner async generator that starts the deadline timer, yields values (throws errors and the TimeoutError) in arrival order, and clears the timer in a finally
  throw new Error("not implemented: asCompleted (task 2)");
}
