/**
 * Timeouts: Python's `asyncio.wait_for`, `asyncio.timeout` and "per-task timeouts with a
 * default", written the TypeScript way.
 *
 * A timeout is a deadline attached to a piece of work. When the deadline passes, the work is
 * told to stop (its `AbortSignal` aborts, as asyncio cancels the task), the caller waits until
 * the work has actually stopped (its `finally` blocks have run), and only then does the caller
 * see a `DOMException` named "TimeoutError". Three functions build on one another:
 *
 * - `timeout(ms, async (scope) => ...)`: a timeout scope around a block of code, with
 *   `scope.signal` for the work, `scope.expired`, `scope.deadline` and `scope.reschedule(ms)`.
 * - `waitFor(fn, ms)`: one call with a deadline (asyncio.wait_for).
 * - `withDefault(fn, ms, fallback)`: the same, but a timeout yields `fallback` instead of an
 *   error, for "every task gets 2 s, late ones count as missing".
 *
 * `null` as the delay means "no timeout", like Python's `None`. An abort that comes from outside
 * (the caller's own `signal`) is not a timeout: it passes through with its own reason.
 *
 * @module
 */

/** The handle a `timeout()` body receives: Python's `asyncio.Timeout` object. */
export interface TimeoutScope {
  /** Aborts when the deadline passes (or the caller's signal aborts). Pass it to the work. */
  readonly signal: AbortSignal;
  /** True once this scope's own deadline has passed (Python's `expired()`). */
  readonly expired: boolean;
  /** When the scope expires, in `Date.now()` milliseconds, or null for "never" (`when()`). */
  readonly deadline: number | null;
  /**
   * Moves the deadline to `ms` from now, or removes it with `null`. Throws an Error named
   * "InvalidStateError" once the scope has expired or finished.
   */
  reschedule(ms: number | null): void;
}

/** Options shared by the three functions. */
export interface TimeoutOptions {
  /** The caller's own cancellation. Its abort passes through unchanged (it is not a timeout). */
  signal?: AbortSignal;
}

/**
 * Builds the error a timeout rejects with: a `DOMException` named "TimeoutError" (the same kind
 * `AbortSignal.timeout()` uses). A helper you may use.
 *
 * @param ms The deadline, for the message.
 * @returns The error.
 *
 * @example
 * ```ts
 * import { timeoutError } from "./timeouts.ts";
 * timeoutError(100).name; // "TimeoutError"
 * ```
 */
export function timeoutError(ms: number | null): DOMException {
  return new DOMException(`the operation timed out (deadline: ${ms} ms)`, "TimeoutError");
}

/**
 * Builds the error for an operation in the wrong state (Python's RuntimeError): an Error named
 * "InvalidStateError". A helper you may use.
 *
 * @param message What was wrong.
 * @returns The error.
 *
 * @example
 * ```ts
 * import { invalidState } from "./timeouts.ts";
 * invalidState("cannot reschedule a finished scope").name; // "InvalidStateError"
 * ```
 */
export function invalidState(message: string): Error {
  const error = new Error(message);
  error.name = "InvalidStateError";
  return error;
}

function checkDelay(ms: unknown, what: string): asserts ms is number | null {
  if (ms === null) return;
  if (typeof ms !== "number" || Number.isNaN(ms)) {
    throw new RangeError(`${what} needs a delay in ms (a number) or null; received ${String(ms)}`);
  }
}

/**
 * Runs `body` inside a timeout scope (Python's `async with asyncio.timeout(delay) as cm`).
 *
 * When the deadline passes, `scope.signal` aborts; `timeout` then waits for `body` to settle and
 * rejects with a `DOMException` named "TimeoutError", whatever `body` ended with. Before the
 * deadline, `body`'s value or error passes through unchanged, and so does an abort of
 * `options.signal`. The timer is always cleared when the scope ends.
 *
 * @typeParam T What `body` resolves with.
 * @param ms The delay in ms before the scope expires, or null for no deadline.
 * @param body The code to run; it receives the scope.
 * @param options `{ signal }`: the caller's cancellation.
 * @returns What `body` returned.
 * @throws RangeError when `ms` is not a number or null.
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

  // Build the scope and turn only this scope's own expiry into a TimeoutError.
  // The scope owns a controller; the outer signal and the timer both abort it, but only the
  // timer marks the scope expired. That flag, not the error's name, decides what the caller sees.
  const controller = new AbortController();
  // (Typed with `as` so TypeScript does not narrow it to "running": the callbacks change it.)
  let state = "running" as "running" | "expired" | "finished";
  let timer: ReturnType<typeof setTimeout> | undefined;
  let deadline: number | null = null;
  let current = ms;

  const stopTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const expire = () => {
    timer = undefined;
    if (controller.signal.aborted) return; // the caller's abort came first: not a timeout
    state = "expired";
    controller.abort(timeoutError(current));
  };
  const schedule = (delay: number | null) => {
    stopTimer();
    current = delay;
    if (delay === null) {
      deadline = null;
      return;
    }
    const wait = Math.max(0, delay); // 0 or less: expire at the next turn, like Python
    deadline = Date.now() + wait;
    timer = setTimeout(expire, wait);
  };
  const onOuterAbort = () => {
    stopTimer();
    controller.abort(outer!.reason);
  };

  const scope: TimeoutScope = {
    signal: controller.signal,
    get expired() {
      return state === "expired";
    },
    get deadline() {
      return deadline;
    },
    reschedule(delay) {
      if (state !== "running") {
        throw invalidState(`cannot reschedule a timeout scope that has ${state}`);
      }
      checkDelay(delay, "scope.reschedule(ms)");
      if (controller.signal.aborted) return; // cancelled from outside: no deadline matters now
      schedule(delay);
    },
  };

  outer?.addEventListener("abort", onOuterAbort, { once: true });
  schedule(ms);
  try {
    // Wait for the body to settle even after expiry: its cleanup must finish before the caller
    // moves on (asyncio waits for the cancelled task too).
    const value = await body(scope);
    if (state === "expired") throw timeoutError(ms);
    return value;
  } catch (error) {
    if (state === "expired") throw timeoutError(ms);
    throw error;
  } finally {
    // Every path: no timer left behind, no listener left on the caller's signal.
    stopTimer();
    outer?.removeEventListener("abort", onOuterAbort);
    if (state === "running") state = "finished";
  }
}

/**
 * Calls `fn` with a signal that aborts after `ms` (Python's `asyncio.wait_for(aw, timeout)`).
 *
 * On expiry the signal aborts, `waitFor` waits for `fn` to settle, then rejects with a
 * `DOMException` named "TimeoutError". `ms === null` waits forever. The timer is cleared as soon
 * as `fn` settles.
 *
 * @typeParam T What `fn` resolves with.
 * @param fn The work; it must honour the signal it is given.
 * @param ms The deadline in ms, or null for none.
 * @param options `{ signal }`: the caller's cancellation, passed through unchanged.
 * @returns What `fn` resolved with.
 *
 * @example
 * ```ts
 * import { waitFor } from "./timeouts.ts";
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
  options: TimeoutOptions = {},
): Promise<T> {
  // Abort fn's signal at the deadline, wait for fn to settle, then reject with a TimeoutError,
  // clearing the timer on every path: that is a timeout scope around a single call (CPython
  // 3.12 implements wait_for the same way).
  return timeout(ms, (scope) => fn(scope.signal), options);
}

/**
 * Like `waitFor`, but a timeout resolves with `fallback` instead of rejecting. Only this call's
 * own deadline counts: a TimeoutError thrown by `fn` itself, any other error and the caller's
 * abort all pass through.
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
 * import { withDefault } from "./timeouts.ts";
 * const prices = await Promise.all(
 *   ["a", "b", "c"].map((shop) => withDefault((signal) => quote(shop, signal), 2000, null)),
 * ); // e.g. [12, null, 9] when shop "b" took longer than 2 s
 * ```
 */
export async function withDefault<T, F>(
  fn: (signal: AbortSignal) => Promise<T> | T,
  ms: number | null,
  fallback: F,
  options: TimeoutOptions = {},
): Promise<T | F> {
  // Resolve with fallback only when this call's own deadline passed, and let every other error
  // through. Ask the scope whether it expired: an error's name cannot tell whose deadline it was.
  let scope: TimeoutScope | undefined;
  try {
    return await timeout(ms, (s) => {
      scope = s;
      return fn(s.signal);
    }, options);
  } catch (error) {
    if (scope?.expired) return fallback;
    throw error;
  }
}
