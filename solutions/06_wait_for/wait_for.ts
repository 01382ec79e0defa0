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
 * @module
 */

import { timeoutError } from "./given_errors.ts";

/** Options of `waitFor` and `withDefault`. */
export interface WaitForOptions {
  /** The caller's own cancellation. Its abort passes through unchanged (it is not a timeout). */
  signal?: AbortSignal;
}

/** How a call with a deadline ended: with fn's value, or by its own timeout. */
type Outcome<T> = { timedOut: false; value: T } | { timedOut: true };

function checkDelay(ms: unknown, what: string): void {
  if (ms === null) return;
  if (typeof ms !== "number") {
    throw new TypeError(
      `${what} needs a delay in ms (a number) or null; received ${typeof ms} ${String(ms)}`,
    );
  }
  if (Number.isNaN(ms)) throw new RangeError(`${what} needs a delay in ms; received NaN`);
}

/**
 * The work both functions share: calls `fn` with a signal that aborts at the deadline, waits for
 * `fn` to settle, and says whether the call ended by its own timeout. Any other ending (a value
 * in time, fn's own error, the caller's abort) is returned or thrown as it is.
 */
async function runWithDeadline<T>(
  fn: (signal: AbortSignal) => Promise<T> | T,
  ms: number | null,
  what: string,
  caller: AbortSignal | undefined,
): Promise<Outcome<T>> {
  checkDelay(ms, what);
  // A listener added to an already aborted signal never fires: check first, and do not call fn.
  caller?.throwIfAborted();

  const controller = new AbortController();
  // The flag, not an error's name, says "my own deadline passed".
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopTimer = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const onCallerAbort = () => {
    stopTimer(); // the caller's abort is not a timeout: no deadline can pass after it
    controller.abort(caller!.reason);
  };

  caller?.addEventListener("abort", onCallerAbort, { once: true });
  // null and Infinity: no deadline, so no timer (setTimeout(fn, Infinity) would fire at once).
  if (ms !== null && ms !== Infinity) {
    timer = setTimeout(() => {
      timer = undefined;
      timedOut = true;
      controller.abort(timeoutError(ms));
    }, Math.max(0, ms)); // 0 or less: fn's signal aborts at its first pause
  }
  try {
    let value: T;
    try {
      // Await fn instead of racing it: that is what makes waitFor wait for fn's cleanup.
      value = await fn(controller.signal);
    } catch (error) {
      // Only fn ending *by my deadline's abort* is a timeout; any other error is fn's own.
      if (timedOut && error === controller.signal.reason) return endedByTimeout(caller);
      throw error;
    }
    // A value that arrives after the deadline is discarded.
    if (timedOut) return endedByTimeout(caller);
    return { timedOut: false, value };
  } finally {
    // Every path: no timer left behind, no listener left on the caller's signal.
    stopTimer();
    caller?.removeEventListener("abort", onCallerAbort);
  }
}

/** The deadline ended the call; a caller's abort that came meanwhile still wins (CPython too). */
function endedByTimeout(caller: AbortSignal | undefined): { timedOut: true } {
  if (caller?.aborted) throw caller.reason;
  return { timedOut: true };
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
export async function waitFor<T>(
  fn: (signal: AbortSignal) => Promise<T> | T,
  ms: number | null,
  options: WaitForOptions = {},
): Promise<T> {
  // Abort fn's signal at the deadline, wait for fn to settle, then reject with a TimeoutError;
  // clear the timer on every path.
  const outcome = await runWithDeadline(fn, ms, "waitFor(fn, ms)", options.signal);
  if (outcome.timedOut) throw timeoutError(ms);
  return outcome.value;
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
export async function withDefault<T, F>(
  fn: (signal: AbortSignal) => Promise<T> | T,
  ms: number | null,
  fallback: F,
  options: WaitForOptions = {},
): Promise<T | F> {
  // Resolve with fallback exactly when waitFor would reject with its own TimeoutError; let every
  // other error through. An error's name cannot tell whose deadline it was; the outcome can.
  const outcome = await runWithDeadline(fn, ms, "withDefault(fn, ms, fallback)", options.signal);
  return outcome.timedOut ? fallback : outcome.value;
}
