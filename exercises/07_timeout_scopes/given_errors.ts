// GIVEN: the errors a timeout scope throws; you do not edit it
/**
 * The two errors of `timeout()`: the `TimeoutError` a scope rejects with when its own deadline
 * ended the body (also the reason `scope.signal` aborts with), and the `InvalidStateError` of a
 * `reschedule()` that comes too late (Python's `RuntimeError`).
 *
 * @module
 */

/**
 * Builds a timeout error.
 *
 * @param ms The deadline, for the message.
 * @returns A `DOMException` named "TimeoutError", the kind `AbortSignal.timeout()` uses.
 *
 * @example
 * ```ts
 * import { timeoutError } from "./given_errors.ts";
 * timeoutError(100).name; // "TimeoutError"
 * ```
 */
export function timeoutError(ms: number | null): DOMException {
  return new DOMException(`the operation timed out (deadline: ${ms} ms)`, "TimeoutError");
}

/**
 * Builds the error for an operation in the wrong state (Python's RuntimeError).
 *
 * @param message What was wrong.
 * @returns An Error named "InvalidStateError".
 *
 * @example
 * ```ts
 * import { invalidState } from "./given_errors.ts";
 * invalidState("cannot reschedule a timeout scope that has finished").name; // "InvalidStateError"
 * ```
 */
export function invalidState(message: string): Error {
  const error = new Error(message);
  error.name = "InvalidStateError";
  return error;
}
