/**
 * The two ways a test uses the virtual clock: `withClock(body)` builds an `it` body, and
 * `runWithClock(body)` runs one and returns what it returned.
 *
 * @module
 */
import { $reject, $then, $TypeError } from "./intrinsics.ts";
import { type ClockOptions, VirtualClock } from "./virtual_clock.ts";

/** A test body that receives the running clock. */
export type ClockBody<T> = (clock: VirtualClock) => T | Promise<T>;

/**
 * Runs `body` on a fresh virtual clock and resolves with its result. Rejects with the body's
 * error, or with a DeadlockError, RunawayError, LeakedTimersError, UnhandledRejectionError or
 * EscapedTimeError when the clock saw one.
 *
 * @param body The code to run in virtual time.
 * @param options Clock options (seed, budgets, grace period, ...).
 * @returns What `body` returned.
 *
 * @example
 * ```ts
 * import { runWithClock } from "./with_clock.ts";
 * const t = await runWithClock(async (clock) => {
 *   await Promise.all([clock.sleep(1000), clock.sleep(2000)]);
 *   return clock.now();
 * }); // 2000
 * ```
 */
export function runWithClock<T>(body: ClockBody<T>, options: ClockOptions = {}): Promise<T> {
  try {
    return new VirtualClock(options).run(body);
  } catch (error) {
    return $reject(error); // invalid options reject like every other failure
  }
}

/**
 * Wraps a test body so it runs in virtual time; pass the result straight to `it`.
 *
 * @param optionsOrBody Clock options, or the body itself.
 * @param maybeBody The body, when options come first.
 * @returns A function for `it(name, fn)`.
 *
 * @example
 * ```ts
 * import { it } from "node:test";
 * import assert from "node:assert/strict";
 * import { withClock } from "./with_clock.ts";
 *
 * it("sleep() waits in virtual time", withClock(async (clock) => {
 *   await clock.sleep(60_000);
 *   assert.equal(clock.now(), 60_000);
 * }));
 * ```
 */
export function withClock(body: ClockBody<unknown>): () => Promise<void>;
export function withClock(options: ClockOptions, body: ClockBody<unknown>): () => Promise<void>;
export function withClock(
  optionsOrBody: ClockOptions | ClockBody<unknown>,
  maybeBody?: ClockBody<unknown>,
): () => Promise<void> {
  const body = typeof optionsOrBody === "function" ? optionsOrBody : maybeBody;
  const options = typeof optionsOrBody === "function" ? {} : optionsOrBody;
  if (typeof body !== "function") {
    throw new $TypeError("withClock(options, body) needs a test body function");
  }
  return () => {
    const done = $then(runWithClock(body, options), () => {});
    // Marked handled for the case where the runner abandons the test (see VirtualClock.run);
    // the runner awaiting it still sees the rejection.
    $then(done, undefined, () => {});
    return done;
  };
}
