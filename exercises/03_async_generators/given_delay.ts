// GIVEN: an abortable sleep for ticker() to wait with; you do not edit it
/**
 * The waiting part of exercise 01's `sleep`, given so that this exercise can focus on
 * generators.
 *
 * @module
 */

/**
 * Waits `ms` milliseconds; rejects with `signal.reason` if the signal aborts first (or already
 * has), clearing its timer and removing its listener on every path.
 *
 * @param ms How long to wait (a delay setTimeout accepts).
 * @param signal Optional signal that stops the wait.
 * @returns A promise that resolves after `ms`.
 *
 * @example
 * ```ts
 * import { delay } from "./given_delay.ts";
 * await delay(100);
 * ```
 */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
