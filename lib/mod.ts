/**
 * The workbook's shared test kit: a virtual clock and the helpers exercise tests use.
 *
 * @example
 * ```ts
 * import { it } from "node:test";
 * import assert from "node:assert/strict";
 * import { withClock } from "../../lib/mod.ts";
 *
 * it("two sleeps run concurrently", withClock(async (clock) => {
 *   await Promise.all([clock.sleep(1000), clock.sleep(2000)]);
 *   assert.equal(clock.now(), 2000);
 * }));
 * ```
 *
 * @module
 */
export { runWithClock, withClock, type ClockBody } from "./clock/with_clock.ts";
export {
  type ClockOptions,
  currentClock,
  DEFAULT_EPOCH,
  type PendingTimer,
  type TraceEntry,
  VirtualClock,
} from "./clock/virtual_clock.ts";
export {
  DeadlockError,
  EscapedTimeError,
  type LeakedTimer,
  LeakedTimersError,
  RunawayError,
  UnhandledRejectionError,
} from "./clock/errors.ts";
export { deferred, type Deferred } from "./kit/deferred.ts";
export { seededRandom } from "./kit/random.ts";
