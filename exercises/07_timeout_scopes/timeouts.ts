// deno-lint-ignore-file no-unused-vars -- unused until you write the body
/**
 * Timeout scopes: Python's `async with asyncio.timeout(delay) as cm:`, written the TypeScript way.
 *
 * `timeout(ms, async (scope) => { ... })` runs a block of work under a deadline. The body
 * receives a scope: `scope.signal` to pass to the work, `scope.expired`, `scope.deadline` and
 * `scope.reschedule(ms)` to move the deadline while the block runs. When the deadline passes,
 * the signal aborts (as asyncio cancels the task), `timeout` waits for the body to settle, and
 * only then reports a `DOMException` named "TimeoutError".
 *
 * Scopes nest: an inner `timeout(..., { signal: outer.signal })` is cancelled by the outer one.
 * Only the scope whose own deadline ended the body turns it into a TimeoutError; every other
 * error, and every abort that came from outside, passes through unchanged.
 *
 * `timeoutError(ms)` and `invalidState(message)` (in given_errors.ts) build the two errors.
 *
 * @module
 */

import { invalidState, timeoutError } from "./given_errors.ts";

/** The handle a `timeout()` body receives: Python's `asyncio.Timeout` object. */
export interface TimeoutScope {
  /** Aborts when the deadline passes (or the caller's signal aborts). Pass it to the work. */
  readonly signal: AbortSignal;
  /**
   * True once this scope's deadline has passed while the scope was open (Python's `expired()`);
   * also when the caller's signal aborted at or after the deadline.
   */
  readonly expired: boolean;
  /** When the scope expires, in `Date.now()` milliseconds, or null for "never" (`when()`). */
  readonly deadline: number | null;
  /**
   * Moves the deadline to `ms` from now, or removes it with `null`. Throws an Error named
   * "InvalidStateError" once the scope has expired or ended.
   */
  reschedule(ms: number | null): void;
}

/** Options of `timeout`. */
export interface TimeoutOptions {
  /** The caller's own cancellation (an outer scope's signal, for example). Not a timeout. */
  signal?: AbortSignal;
}

/**
 * Runs `body` inside a timeout scope (Python's `async with asyncio.timeout(delay) as cm`).
 *
 * When the deadline passes, `scope.signal` aborts with a TimeoutError; `timeout` then waits for
 * `body` to settle. If `body` rejected with that reason, or resolved (too late), `timeout`
 * rejects with a `DOMException` named "TimeoutError"; any other error of `body` passes through
 * unchanged, before and after the deadline. An abort of `options.signal` is not a timeout: its
 * reason passes through, even when it comes after the deadline. The timer is always cleared when
 * the scope ends.
 *
 * @typeParam T What `body` resolves with.
 * @param ms The delay in ms before the scope expires, or null (or Infinity) for no deadline.
 * @param body The code to run; it receives the scope.
 * @param options `{ signal }`: the caller's cancellation.
 * @returns What `body` returned.
 * @throws RangeError (as a rejection) when `ms` is NaN; TypeError when it is not a number or null.
 *
 * @example Give a block of work 500 ms, and extend it once
 * ```ts
 * import { timeout } from "./timeouts.ts";
 * const page = await timeout(500, async (scope) => {
 *   const head = await fetch("https://example.test/", { signal: scope.signal });
 *   scope.reschedule(500); // another 500 ms for the body
 *   return await head.text();
 * });
 * ```
 */
export function timeout<T>(
  ms: number | null,
  body: (scope: TimeoutScope) => Promise<T> | T,
  options: TimeoutOptions = {},
): Promise<T> {
  // TODO: build the scope (signal, expired, deadline), abort its signal at the deadline, wait for body, and turn only an ending by this scope's own abort (or a late value) into a TimeoutError
  // TODO: give the scope reschedule(ms | null): replace the timer (the old one must not fire); throw InvalidStateError once the scope is expiring or has ended
  // TODO: honour options.signal (an outer scope's signal): pass its reason through, stop the timer, count the scope expired when the abort comes at or after its deadline
  throw new Error("not implemented: timeout() (task 1)");
}
