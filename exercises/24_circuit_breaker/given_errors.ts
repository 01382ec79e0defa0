// GIVEN: the error an open circuit rejects with; you do not edit it
/**
 * `CircuitOpenError`: what `CircuitBreaker.call()` rejects with when the circuit does not let the
 * call through (open, or half-open with every trial slot taken). Callers catch it to fall back
 * (a cache, a default) instead of waiting for a service that is down.
 *
 * @module
 */

/**
 * The circuit did not let the call through; `fn` was not called.
 *
 * @example
 * ```ts
 * import { CircuitOpenError } from "./given_errors.ts";
 * new CircuitOpenError("open").name; // "CircuitOpenError"
 * ```
 */
export class CircuitOpenError extends Error {
  override name = "CircuitOpenError";
}
