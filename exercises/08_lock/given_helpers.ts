// GIVEN: small helpers for lock.ts (the error for a wrong state, the amount check); you do not edit it

/**
 * Builds the error for an operation in the wrong state (Python's RuntimeError): an Error named
 * "InvalidStateError".
 *
 * @param message What was wrong.
 * @returns The error.
 *
 * @example
 * ```ts
 * import { invalidState } from "./given_helpers.ts";
 * invalidState("Lock.release() called on an unlocked lock").name; // "InvalidStateError"
 * ```
 */
export function invalidState(message: string): Error {
  const error = new Error(message);
  error.name = "InvalidStateError";
  return error;
}

/**
 * Throws RangeError unless `amount` is a positive finite number (NaN, Infinity, 0 and negative
 * amounts are refused).
 *
 * @param amount The amount to check.
 * @param what The method, for the message ("withdraw", "deposit").
 * @throws RangeError for an amount that is not a positive finite number.
 *
 * @example
 * ```ts
 * import { checkAmount } from "./given_helpers.ts";
 * checkAmount(5, "deposit"); // fine
 * ```
 */
export function checkAmount(amount: number, what: string): void {
  if (!Number.isFinite(amount) || amount <= 0) {
    throw new RangeError(`BankAccount.${what}(amount) needs a positive amount; received ${amount}`);
  }
}
