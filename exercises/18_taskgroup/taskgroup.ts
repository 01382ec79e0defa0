// deno-lint-ignore-file no-unused-vars require-await -- unused until you write the bodies
/**
 * Structured concurrency: a task group runs child tasks that cannot outlive it.
 *
 * `taskGroup(async (tg) => { tg.spawn(...); ... })` resolves only when the body and every child
 * have finished. When one child fails, the group aborts the others (and the body) through their
 * AbortSignal, waits for their cleanup, and rejects with an AggregateError of the real failures.
 * `splitErrors()` picks the errors you can handle out of such an AggregateError and hands back
 * the rest, like Python's `except*`.
 *
 * Add any private helpers you need. A call in the wrong state throws an Error whose `name` is
 * "InvalidStateError" (Python's RuntimeError).
 *
 * @module
 */

/** A child task of a group. */
export interface Task<T> {
  /** What the task returned, or its error. Unawaited failures are still reported by the group. */
  readonly result: Promise<T>;
  /** The task's signal: aborted when the group shuts down or when `cancel()` is called. */
  readonly signal: AbortSignal;
  /** Cancels this task only. A task that stops with this reason does not fail the group. */
  cancel(reason?: unknown): void;
}

/** What the body of {@linkcode taskGroup} receives. */
export interface TaskGroup {
  /** Aborted when the group shuts down: a child failed, `cancel()` was called, or the outer signal aborted. */
  readonly signal: AbortSignal;
  /**
   * Starts a child task now: calls `fn` before returning (up to its first `await`). `fn` receives
   * the child's signal and should stop (rejecting with the signal's reason) when it aborts. A
   * synchronous throw in `fn` is that task's failure, not an error of `spawn()`. Allowed until
   * the group finishes, also after the body returned (from a running task).
   *
   * @throws InvalidStateError "TaskGroup is finished" once the group has ended, and "TaskGroup is
   *   shutting down" once `signal` has aborted (a failure, `cancel()` or the outer signal); `fn`
   *   is not called then.
   */
  spawn<T>(fn: (signal: AbortSignal) => Promise<T> | T): Task<T>;
  /** Aborts every child and the body with `reason`; resolves unless a task really fails. */
  cancel(reason?: unknown): void;
}

/** A class of error, or a predicate, for {@linkcode splitErrors}. */
export type ErrorMatcher =
  | ((error: unknown) => boolean)
  // deno-lint-ignore no-explicit-any
  | (abstract new (...args: any[]) => Error);

/**
 * Runs `body` with a task group and resolves once the body and every task spawned in the group
 * (including tasks spawned by tasks) have finished.
 *
 * - The first real failure (of a child or of the body) aborts `tg.signal` with an error named
 *   "AbortError", so every child and the body are asked to stop; the group waits for all of
 *   them, then rejects with an AggregateError of the real failures, in the order they happened.
 * - A task that rejects with its aborted signal's reason was cancelled, not failed (the body too,
 *   with `tg.signal`'s reason): it is not in the AggregateError, and cancelling one task with
 *   `task.cancel()` does not fail the group.
 * - `tg.cancel(reason)` aborts everyone with `reason`; the group resolves (with the body's value
 *   if it finished, else `undefined`) unless a task fails for real while it stops (failures win).
 * - An outer abort with no real failures rejects with the outer signal's reason (real failures
 *   win: then it is the AggregateError); an outer signal that is already aborted rejects at once
 *   with its reason, without calling the body. Nothing is left attached to the outer signal.
 *
 * @typeParam T What the body returns.
 * @param body The code that spawns tasks.
 * @param opts `signal`: an outer signal that cancels the whole group.
 * @returns The body's value.
 * @throws AggregateError of the real failures; the outer reason when aborted from outside.
 *
 * @example
 * ```ts
 * import { taskGroup } from "./taskgroup.ts";
 * const pages = await taskGroup(async (tg) => {
 *   const a = tg.spawn((signal) => fetch("https://a.test/", { signal }));
 *   const b = tg.spawn((signal) => fetch("https://b.test/", { signal }));
 *   return [await a.result, await b.result];
 * }); // if one fetch fails, the other is aborted before taskGroup rejects
 * ```
 */
export async function taskGroup<T>(
  body: (tg: TaskGroup) => Promise<T> | T,
  opts: { signal?: AbortSignal } = {},
): Promise<T | undefined> {
  // TODO: (task 1) call body(tg) with a group whose spawn() starts fn(signal) at once and keeps
  // track of it; resolve with the body's value once the body and every task (also tasks spawned
  // later by tasks) have finished; spawn() after that throws InvalidStateError "TaskGroup is finished".
  // TODO: (task 2) treat a rejection with the task's own signal's reason as a cancellation; abort
  // everyone on the first real failure, wait for every cleanup, then reject with an AggregateError;
  // support task.cancel(), tg.cancel() and opts.signal, and refuse spawn() while shutting down.
  throw new Error("not implemented: taskGroup() (task 1)");
}

/**
 * Splits an error into the part that matches and the rest: the `except*` of Python 3.11.
 *
 * For an AggregateError, `match` is tested on the leaves (nested AggregateErrors are walked, not
 * tested) and both parts keep the nesting and messages of the original and hold the very same
 * leaf objects; a nested group left with nothing is dropped, and an empty side is `undefined`
 * (so an AggregateError with no errors splits into `[undefined, undefined]`). A value that is not
 * an AggregateError matches as a group of one; when it does not match it comes back unchanged as
 * the rest (so an abort reason passes through untouched).
 *
 * @param error What a `catch` caught.
 * @param match An error class (`NetworkError`) or a predicate.
 * @returns `[matched, rest]`: matched is an AggregateError or undefined; rest is what is left to
 *   rethrow, or undefined.
 *
 * @example
 * ```ts
 * import { splitErrors, taskGroup } from "./taskgroup.ts";
 * try {
 *   await taskGroup(async (tg) => { tg.spawn(() => { throw new TypeError("bad"); }); });
 * } catch (error) {
 *   const [typeErrors, rest] = splitErrors(error, TypeError);
 *   if (typeErrors) console.log("handled", typeErrors.errors.length, "type errors");
 *   if (rest) throw rest;
 * }
 * ```
 */
export function splitErrors(
  error: unknown,
  match: ErrorMatcher,
): [AggregateError | undefined, unknown] {
  // TODO: (task 3) test the leaves of error (walking nested AggregateErrors) and rebuild each side
  // with the same nesting and messages; return undefined for an empty side.
  throw new Error("not implemented: splitErrors() (task 3)");
}
