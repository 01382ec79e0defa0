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
export const RETURN_WHEN: readonly ReturnWhen[] = ["ALL_COMPLETED", "FIRST_COMPLETED", "FIRST_EXCEPTION"];

/** Options of {@linkcode wait}. */
export interface WaitOptions {
  /** Return after this many ms even if the condition does not hold yet. null or absent: no limit. */
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
   * DOMException named "TimeoutError". null or absent: no deadline.
   */
  timeoutMs?: number | null;
}

/**
 * Waits until a condition holds for a group of running promises: the TypeScript `asyncio.wait`.
 *
 * Never rejects because a task failed or time ran out: look at `done` and `pending` instead.
 * Rejects with a RangeError for an empty group or an unknown `returnWhen`.
 *
 * @typeParam T The type the promises resolve to.
 * @param tasks Running promises (duplicates count once).
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
export function wait<T>(tasks: Iterable<Promise<T>>, options: WaitOptions = {}): Promise<WaitResult<T>> {
  // TODO: reject an empty group or an unknown returnWhen with a RangeError; watch every task, and resolve { done, pending } once returnWhen holds or the timeout passes (never reject, clear the timer)
  throw new Error("not implemented: wait (task 1)");
}

/**
 * Yields results as they become ready, fastest first: the TypeScript `asyncio.as_completed`.
 *
 * It starts watching its inputs when it is called (like CPython), so the order is the order of
 * completion even if the loop starts late. A failing input makes the iteration throw its error
 * when its turn comes (results that were ready before it are yielded first). With `timeoutMs`,
 * the iteration throws a TimeoutError once the deadline passes (results that arrived before the
 * deadline are still yielded first, as in CPython). Breaking out of the loop clears the timer.
 *
 * @typeParam T The type the inputs resolve to.
 * @param items Running promises (or plain values).
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
  // TODO: start recording each outcome in arrival order now, then return an inner async generator that starts the deadline timer, yields values (throws errors and the TimeoutError) in arrival order, and clears the timer in a finally
  throw new Error("not implemented: asCompleted (task 2)");
}
