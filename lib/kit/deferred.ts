/**
 * Deferred promises: a promise with its resolve and reject in hand, for controlling the order of
 * events in tests without sleeps (the p-queue way).
 *
 * @module
 */
import { $Promise } from "../clock/intrinsics.ts";
import { trackPromise } from "../clock/tracking.ts";

/** A promise and the functions that settle it, plus whether it has settled. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T | PromiseLike<T>): void;
  reject(reason?: unknown): void;
  /** True once resolve or reject has been called. */
  readonly settled: boolean;
}

/**
 * Creates a deferred promise.
 *
 * @typeParam T The value type.
 * @returns `{ promise, resolve, reject, settled }`.
 *
 * @example
 * ```ts
 * import { deferred } from "./deferred.ts";
 * const gate = deferred<number>();
 * setTimeout(() => gate.resolve(7), 10);
 * await gate.promise; // 7
 * ```
 */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T | PromiseLike<T>) => void;
  let reject!: (reason?: unknown) => void;
  let settled = false;
  const promise = new $Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // With promise tracking on, a deferred nobody settles is named at the line that made it.
  trackPromise(promise);
  return {
    promise,
    resolve(value) {
      settled = true;
      resolve(value);
    },
    reject(reason) {
      settled = true;
      reject(reason);
    },
    get settled() {
      return settled;
    },
  };
}
