// GIVEN: the error a timeout rejects with; you do not edit it
/**
 * The error `waitFor` rejects with when its deadline passes, and the reason `fn`'s signal aborts
 * with: a `DOMException` named "TimeoutError", the same kind `AbortSignal.timeout()` uses.
 *
 * @module
 */

/**
 * Builds a timeout error.
 *
 * @param ms The deadline, for the message.
 * @returns A `DOMException` named "TimeoutError".
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
