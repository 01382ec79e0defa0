/**
 * Structured concurrency: a task group runs child tasks that cannot outlive it.
 *
 * `taskGroup(async (tg) => { tg.spawn(...); ... })` resolves only when the body and every child
 * have finished. When one child fails, the group aborts the others (and the body) through their
 * AbortSignal, waits for their cleanup, and rejects with an AggregateError of the real failures.
 * `splitErrors()` picks the errors you can handle out of such an AggregateError and hands back
 * the rest, like Python's `except*`.
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

/** An Error named "InvalidStateError" (Python's RuntimeError for a call in the wrong state). */
function invalidState(message: string): Error {
  const error = new Error(message);
  error.name = "InvalidStateError";
  return error;
}

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
  // One controller for the group, combined with the outer signal; a set of running children
  // (each wrapped so it never rejects); the list of real failures. Wait until the set is empty,
  // then decide between AggregateError, the outer reason, and the body's value.
  const outer = opts.signal;
  outer?.throwIfAborted();
  const controller = new AbortController();
  const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
  const errors: unknown[] = [];
  const running = new Set<Promise<void>>();
  let finished = false;

  const fail = (error: unknown) => {
    errors.push(error);
    if (!signal.aborted) {
      controller.abort(new DOMException("taskGroup: a sibling task failed", "AbortError"));
    }
  };

  const tg: TaskGroup = {
    signal,
    spawn<R>(fn: (signal: AbortSignal) => Promise<R> | R): Task<R> {
      // As CPython's create_task(): "is finished" once the group is over, "is shutting down"
      // once it aborts (a failure, tg.cancel() or the outer signal). A task started now would
      // only be cancelled before it ran; refusing it tells the caller at once.
      if (finished) throw invalidState("TaskGroup is finished: tg.spawn() after the group ended");
      if (signal.aborted) {
        throw invalidState("TaskGroup is shutting down: tg.spawn() after the group was aborted");
      }
      const own = new AbortController();
      const childSignal = AbortSignal.any([signal, own.signal]);
      const result = (async () => await fn(childSignal))(); // a sync throw becomes a rejection
      result.catch(() => {}); // the group reports failures; an unawaited result is not "unhandled"
      const done = result.then(
        () => {},
        (error) => {
          // Stopping with its own signal's reason is a cancellation, not a failure.
          if (!(childSignal.aborted && error === childSignal.reason)) fail(error);
        },
      );
      running.add(done);
      void done.then(() => running.delete(done));
      return { result, signal: childSignal, cancel: (reason?: unknown) => own.abort(reason) };
    },
    cancel(reason?: unknown) {
      controller.abort(reason ?? new DOMException("taskGroup: cancelled", "AbortError"));
    },
  };

  let value: T | undefined;
  try {
    value = await body(tg);
  } catch (error) {
    if (!(signal.aborted && error === signal.reason)) fail(error);
  }
  // Children may spawn children: wait until nothing is left running.
  while (running.size > 0) await Promise.all(running);
  finished = true;

  if (errors.length > 0) {
    throw new AggregateError(
      errors,
      `taskGroup: ${errors.length} task${errors.length === 1 ? "" : "s"} failed`,
    );
  }
  outer?.throwIfAborted();
  return value;
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
  // Test the leaves (recursing into nested AggregateErrors), rebuild each side with the same
  // structure, and return undefined for a side with nothing in it.
  const test = isErrorClass(match)
    ? (e: unknown) => e instanceof match
    : match as (e: unknown) => boolean;
  if (!(error instanceof AggregateError)) {
    return test(error)
      ? [new AggregateError([error], "1 error matched"), undefined]
      : [undefined, error];
  }
  return [subgroup(error, test), subgroup(error, (e) => !test(e))];
}

// deno-lint-ignore no-explicit-any
function isErrorClass(match: ErrorMatcher): match is abstract new (...args: any[]) => Error {
  return match === Error || (match as { prototype?: unknown }).prototype instanceof Error;
}

/** The part of `group` whose leaves pass `keep`, with the same nesting; undefined when empty. */
function subgroup(
  group: AggregateError,
  keep: (error: unknown) => boolean,
): AggregateError | undefined {
  const kept: unknown[] = [];
  let changed = false;
  for (const error of group.errors) {
    if (error instanceof AggregateError) {
      const part = subgroup(error, keep); // a nested group left empty is dropped
      if (part !== undefined) kept.push(part);
      if (part !== error) changed = true;
    } else if (keep(error)) {
      kept.push(error); // a leaf may be any thrown value, even undefined
    } else {
      changed = true;
    }
  }
  if (kept.length === 0) return undefined;
  return changed ? new AggregateError(kept, group.message) : group;
}
