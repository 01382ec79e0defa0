// deno-lint-ignore-file no-unused-vars -- unused until you write the bodies
/**
 * waitFor: Python's `asyncio.wait_for` and the tutorial's "per-task timeouts with a default",
 * written the TypeScript way.
 *
 * A timeout is a deadline attached to a piece of work. When the deadline passes, the work is
 * told to stop (its `AbortSignal` aborts, as asyncio cancels the task), the caller waits until
 * the work has actually stopped (its `finally` blocks have run), and only then does the caller
 * see a `DOMException` named "TimeoutError".
 *
 * - `waitFor(fn, ms)`: one call with a deadline (asyncio.wait_for).
 * - `withDefault(fn, ms, fallback)`: the same, but this call's own timeout yields `fallback`
 *   instead of an error, for "every task gets 2 s, late ones count as missing".
 *
 * `null` as the delay means "no timeout", like Python's `None`. An abort that comes from outside
 * (the caller's own `signal`) is not a timeout: it passes through with its own reason.
 *
 * `timeoutError(ms)` (in given_errors.ts) builds the error to reject with.
 *
 * @module
 */

import { timeoutError } from "./given_errors.ts";

/** Options of `waitFor` and `withDefault`. */
export interface WaitForOptions {
  /** The caller's own cancellation. Its abort passes through unchanged (it is not a timeout). */
  signal?: AbortSignal;
}

/**
 * Calls `fn` with a signal that aborts after `ms` (Python's `asyncio.wait_for(aw, timeout)`).
 *
 * On expiry the signal aborts with a TimeoutError; `waitFor` waits for `fn` to settle, then
 * rejects with a `DOMException` named "TimeoutError". An error `fn` throws itself passes through,
 * also after the deadline (a cleanup that failed); a value `fn` returns after the deadline is
 * discarded. `ms === null` (or `Infinity`) waits forever; 0 or less aborts `fn`'s signal at its
 * first pause. The timer is cleared as soon as `fn` settles.
 *
 * @typeParam T What `fn` resolves with.
 * @param fn The work; it must honour the signal it is given.
 * @param ms The deadline in ms, or null for none.
 * @param options `{ signal }`: the caller's cancellation, passed through unchanged.
 * @returns What `fn` resolved with.
 *
 * @example
 * ```ts
 * import { waitFor } from "./wait_for.ts";
 * try {
 *   await waitFor((signal) => fetch("https://slow.test/", { signal }), 1000);
 * } catch (e) {
 *   if ((e as Error).name === "TimeoutError") console.log("gave up after 1 s");
 * }
 * ```
 */
export function waitFor<T>(
  fn: (signal: AbortSignal) => Promise<T> | T,
  ms: number | null,
  options: WaitForOptions = {},
): Promise<T> {
  // TODO: abort fn's signal at the deadline, wait for fn to settle, then reject with a TimeoutError; clear the timer on every path
  // TODO: honour options.signal: reject at once when it is already aborted; otherwise abort fn's signal with its reason; remove your listener on every path
  throw new Error("not implemented: waitFor() (task 1)");
}

/**
 * Like `waitFor`, but when this call's own deadline ends it, resolves with `fallback` instead of
 * rejecting. Only this call's own timeout counts: a TimeoutError thrown by `fn` itself, any other
 * error and the caller's abort all pass through.
 *
 * @typeParam T What `fn` resolves with.
 * @typeParam F The fallback's type.
 * @param fn The work; it must honour the signal it is given.
 * @param ms The deadline in ms, or null for none.
 * @param fallback What to resolve with when the deadline passes.
 * @param options `{ signal }`: the caller's cancellation.
 * @returns `fn`'s value, or `fallback` on timeout.
 *
 * @example Per-task timeouts with a default
 * ```ts
 * import { withDefault } from "./wait_for.ts";
 * const prices = await Promise.all(
 *   ["a", "b", "c"].map((shop) => withDefault((signal) => quote(shop, signal), 2000, null)),
 * ); // e.g. [12, null, 9] when shop "b" took longer than 2 s
 * ```
 */
export function withDefault<T, F>(
  fn: (signal: AbortSignal) => Promise<T> | T,
  ms: number | null,
  fallback: F,
  options: WaitForOptions = {},
): Promise<T | F> {
  // TODO: resolve with fallback exactly when this call's own deadline ended it; let every other error through
  throw new Error("not implemented: withDefault() (task 3)");
}
