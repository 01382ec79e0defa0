/**
 * waitFor and withDefault written with a Promise constructor and event listeners instead of
 * async/await and try/finally: another correct style, graded like a submission.
 *
 * @module
 */

import { timeoutError } from "./given_errors.ts";

/** Options of `waitFor` and `withDefault`. */
export interface WaitForOptions {
  /** The caller's own cancellation. Its abort passes through unchanged (it is not a timeout). */
  signal?: AbortSignal;
}

const TIMED_OUT: unique symbol = Symbol("timed out");

function deadlineCall<T>(
  fn: (signal: AbortSignal) => Promise<T> | T,
  ms: number | null,
  caller: AbortSignal | undefined,
): Promise<T | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    if (ms !== null && typeof ms !== "number") {
      return reject(new TypeError(`delay must be a number or null, not ${typeof ms}`));
    }
    if (Number.isNaN(ms)) return reject(new RangeError("delay must not be NaN"));
    if (caller?.aborted) return reject(caller.reason);

    const own = new AbortController();
    let expired = false;
    const timer = ms === null || ms === Infinity ? undefined : setTimeout(() => {
      expired = true;
      own.abort(timeoutError(ms));
    }, ms < 0 ? 0 : ms);
    const onCaller = () => {
      if (timer !== undefined) clearTimeout(timer);
      own.abort(caller!.reason);
    };
    caller?.addEventListener("abort", onCaller);
    const done = () => {
      if (timer !== undefined) clearTimeout(timer);
      caller?.removeEventListener("abort", onCaller);
    };
    const byDeadline = () => {
      if (caller?.aborted) reject(caller.reason);
      else resolve(TIMED_OUT);
    };

    let work: Promise<T>;
    try {
      work = Promise.resolve(fn(own.signal));
    } catch (error) {
      work = Promise.reject(error);
    }
    work.then(
      (value) => {
        done();
        if (expired) byDeadline();
        else resolve(value);
      },
      (error) => {
        done();
        if (expired && error === own.signal.reason) byDeadline();
        else reject(error);
      },
    );
  });
}

/**
 * Calls `fn` with a signal that aborts after `ms` (Python's `asyncio.wait_for`).
 *
 * @param fn The work.
 * @param ms The deadline in ms, or null for none.
 * @param options `{ signal }`.
 * @returns What `fn` resolved with.
 */
export function waitFor<T>(
  fn: (signal: AbortSignal) => Promise<T> | T,
  ms: number | null,
  options: WaitForOptions = {},
): Promise<T> {
  return deadlineCall(fn, ms, options.signal).then((v) => {
    if (v === TIMED_OUT) throw timeoutError(ms);
    return v;
  });
}

/**
 * Like `waitFor`, but this call's own timeout resolves with `fallback`.
 *
 * @param fn The work.
 * @param ms The deadline in ms, or null for none.
 * @param fallback What to resolve with on timeout.
 * @param options `{ signal }`.
 * @returns `fn`'s value, or `fallback`.
 */
export function withDefault<T, F>(
  fn: (signal: AbortSignal) => Promise<T> | T,
  ms: number | null,
  fallback: F,
  options: WaitForOptions = {},
): Promise<T | F> {
  return deadlineCall(fn, ms, options.signal).then((v) => (v === TIMED_OUT ? fallback : v));
}
