// GIVEN: the error retry() gives up with; you do not edit it
/**
 * `RetryError`: what `retry()` rejects with once every attempt failed, as tenacity's `RetryError`
 * (raised `from` the last exception) does in Python. `error.cause` is the last failure itself.
 *
 * @module
 */

/**
 * retry() gave up: every one of `attempts` calls failed. `cause` is the last failure.
 *
 * @example
 * ```ts
 * import { RetryError } from "./given_retry_error.ts";
 * const e = new RetryError(3, new Error("503"));
 * e.name; // "RetryError"
 * e.attempts; // 3
 * e.message; // "gave up after 3 attempts; the last one failed with Error: 503"
 * ```
 */
export class RetryError extends Error {
  override name = "RetryError";
  /** How many calls were made. */
  readonly attempts: number;

  /**
   * @param attempts How many calls were made.
   * @param cause The last failure (kept by identity as `error.cause`).
   */
  constructor(attempts: number, cause: unknown) {
    const last = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(
      `gave up after ${attempts} attempt${
        attempts === 1 ? "" : "s"
      }; the last one failed with ${last}`,
      { cause },
    );
    this.attempts = attempts;
  }
}
