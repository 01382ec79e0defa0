// deno-lint-ignore-file no-unused-vars require-yield -- unused until you write the bodies
/**
 * Merging streams: reading several async iterables at once, and stopping on a signal.
 *
 * `merge` interleaves several streams in the order their items arrive, pulling at most one item
 * ahead from each, and stops every source however it ends. `withAbort` makes any stream
 * stoppable with an AbortSignal: the waiting `next()` rejects at once with the abort reason, even
 * if the source is stuck inside an `await` and cannot be interrupted itself.
 *
 * @module
 */

/**
 * Interleaves several streams: yields each item as soon as any source produces it. Keeps one
 * pending `next()` per source and pulls a source again only when the consumer asks for more.
 * Ends when every source has ended. A source that fails (its `next()` rejects or throws) fails
 * the merge. However the merge ends, every source that has not ended is stopped (its `return()`
 * is called and awaited; its errors are ignored) before the end, the error or the stop goes on.
 *
 * @typeParam T The item type.
 * @param sources The streams to interleave.
 * @returns An async generator that ends when every source has ended.
 *
 * @example
 * ```ts
 * import { merge } from "./merge.ts";
 * async function* every(ms: number, label: string, count: number) {
 *   for (let i = 1; i <= count; i++) {
 *     await new Promise((resolve) => setTimeout(resolve, ms));
 *     yield `${label}${i}`;
 *   }
 * }
 * for await (const item of merge(every(100, "a", 2), every(150, "b", 2))) {
 *   console.log(item); // a1 (t=100), b1 (t=150), a2 (t=200), b2 (t=300)
 * }
 * ```
 */
export async function* merge<T>(
  ...sources: AsyncIterable<T>[]
): AsyncGenerator<T, void, undefined> {
  // TODO: keep one pending next() per source (a next() that throws is a failed source), yield whichever settles first and pull that source again only when the consumer asks for more
  // TODO: in a finally, call and await return() on every source that has not ended or failed (ignore their errors), and keep abandoned pulls from becoming unhandled rejections
  throw new Error("not implemented: merge (task 1)");
}

/**
 * Makes any stream stoppable: yields the items of `source` until `signal` aborts, then rejects
 * the waiting `next()` with `signal.reason` at once, even if the source is stuck inside an await.
 * An already-aborted signal fails the first `next()` without pulling anything; an abort between
 * items fails the next pull.
 *
 * A stuck source cannot be interrupted from outside: its `return()` only takes effect when it
 * next reaches a `yield`. So withAbort calls `source.return()` without waiting for it when the
 * source is stuck, and waits for it otherwise (after a `break` or an abort between items). Its
 * errors are ignored. A source that ended by itself (done, or failed) is not closed again.
 *
 * @typeParam T The item type.
 * @param source Any async iterable.
 * @param signal The signal that stops the stream.
 * @returns An async generator of the source's items.
 *
 * @example
 * ```ts
 * import { withAbort } from "./merge.ts";
 * async function* forever() {
 *   for (let n = 1; ; n++) {
 *     await new Promise((resolve) => setTimeout(resolve, 100));
 *     yield n;
 *   }
 * }
 * const stop = new AbortController();
 * setTimeout(() => stop.abort(), 250);
 * try {
 *   for await (const n of withAbort(forever(), stop.signal)) console.log(n); // 1, 2
 * } catch (e) {
 *   // e === stop.signal.reason, thrown at t=250
 * }
 * ```
 */
export async function* withAbort<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal,
): AsyncGenerator<T, void, undefined> {
  // TODO: fail at once if already aborted; race each next() of the source against the abort and throw signal.reason on abort
  // TODO: in a finally remove the listener and, unless the source ended by itself, call source.return() (awaited only if the source is not stuck in a next())
  throw new Error("not implemented: withAbort (task 2)");
}
