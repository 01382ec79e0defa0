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

function checkDelay(ms: unknown, what: string): asserts ms is number | null {
  if (ms === null) return;
  if (typeof ms !== "number") {
    throw new TypeError(
      `${what} needs a delay in ms (a number) or null; received ${typeof ms} ${String(ms)}`,
    );
  }
  if (Number.isNaN(ms)) throw new RangeError(`${what} needs a delay in ms; received NaN`);
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
export async function timeout<T>(
  ms: number | null,
  body: (scope: TimeoutScope) => Promise<T> | T,
  options: TimeoutOptions = {},
): Promise<T> {
  checkDelay(ms, "timeout(ms, body)");
  const outer = options.signal;
  // A listener added to an already aborted signal never fires: check first.
  outer?.throwIfAborted();

  // The scope owns a controller. The timer and the caller's signal both abort it, but only the
  // timer's abort is this scope's own: `fired` says so, not the error's name.
  const controller = new AbortController();
  let expired = false; // the deadline passed while the scope was open
  let fired = false; // ... and the scope's own timer aborted the signal
  let ended = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let deadline: number | null = null;

  const stopTimer = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const arm = (delay: number | null) => {
    stopTimer(); // the old deadline must not fire any more
    deadline = delay === null ? null : Date.now() + delay;
    // No timer for "never" (setTimeout(cb, Infinity) fires at once), nor once the signal aborted.
    if (delay === null || delay === Infinity || controller.signal.aborted) return;
    timer = setTimeout(() => {
      timer = undefined;
      expired = true;
      fired = true;
      controller.abort(timeoutError(delay));
    }, Math.max(0, delay)); // 0 or less: expire at the body's first pause
  };
  const onOuterAbort = () => {
    stopTimer(); // not a timeout: no deadline may pass after the caller's abort
    // The same instant as the deadline (an outer scope with the same deadline fired first):
    // this scope expired too, as in CPython, but the caller's reason is what passes through.
    if (deadline !== null && Date.now() >= deadline) expired = true;
    controller.abort(outer!.reason);
  };

  const scope: TimeoutScope = {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    get deadline() {
      return deadline;
    },
    reschedule(delay) {
      if (ended) {
        throw invalidState(
          `cannot reschedule a timeout scope that has ${expired ? "expired" : "finished"}`,
        );
      }
      if (expired) throw invalidState("cannot reschedule a timeout scope that is expiring");
      checkDelay(delay, "scope.reschedule(ms)");
      arm(delay);
    },
  };

  // The body ended because of this scope's own deadline: a TimeoutError, unless the caller
  // aborted meanwhile (a cancellation that came later is not turned into a timeout).
  const endedByDeadline = (): never => {
    if (outer?.aborted) throw outer.reason;
    throw timeoutError(ms);
  };

  outer?.addEventListener("abort", onOuterAbort, { once: true });
  arm(ms);
  try {
    let value: T;
    try {
      // Wait for the body to settle even after expiry: its cleanup must finish before the
      // caller moves on (asyncio waits for the cancelled task too).
      value = await body(scope);
    } catch (error) {
      // Only the body ending *by this scope's abort* is a timeout; any other error is its own
      // (a failed cleanup, an AggregateError, an inner scope's TimeoutError) and passes through.
      if (fired && error === controller.signal.reason) endedByDeadline();
      throw error;
    }
    if (fired) endedByDeadline(); // a value that arrives after the deadline is discarded
    return value;
  } finally {
    // Every path: no timer left behind, no listener left on the caller's signal.
    ended = true;
    stopTimer();
    outer?.removeEventListener("abort", onOuterAbort);
  }
}
