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
// First: capture every builtin lib calls later (clock/intrinsics.ts), read the harness's
// configuration (clock/config.ts) and set up promise tracking if it asks (clock/tracking.ts),
// all before any code under test loads; then freeze what tests and code under test share.
import "./clock/intrinsics.ts";
import "./clock/config.ts";
import "./clock/tracking.ts";
import { freezeAll } from "./kit/harden.ts";
import { VirtualClock as Clock } from "./clock/virtual_clock.ts";
import { ConcurrencyProbe as Probe } from "./kit/probe.ts";
import { EventRecorder as Recorder } from "./kit/recorder.ts";
import { SimulatedNetwork as Network } from "./kit/network.ts";
import { BlockingDb as Db } from "./kit/blocking_driver.ts";

freezeAll(Clock, Probe, Recorder, Network, Db);

export { type ClockBody, runWithClock, withClock } from "./clock/with_clock.ts";
export {
  type ClockOptions,
  currentClock,
  DEFAULT_EPOCH,
  type PendingTimer,
  type TraceEntry,
  VirtualClock,
} from "./clock/virtual_clock.ts";
export { lastRun, type RunRecord } from "./clock/run_record.ts";
export {
  formatSwap,
  type ScheduledEvent,
  type ScheduleRecord,
  type ScheduleSwap,
} from "./clock/schedule.ts";
export { CONFIG_KEY, type WorkbookClockConfig } from "./clock/config.ts";
export { DEADLOCK_ADVICE, type Describer } from "./clock/reports.ts";
export {
  type DeadlockDiagnosis,
  DeadlockError,
  EscapedTimeError,
  type LeakedTimer,
  LeakedTimersError,
  RunawayError,
  type StuckPromises,
  UnhandledRejectionError,
  type WaitSite,
} from "./clock/errors.ts";
export { type Deferred, deferred } from "./kit/deferred.ts";
export { seededRandom } from "./clock/random.ts";
export { ConcurrencyProbe, type Span } from "./kit/probe.ts";
export { EventRecorder, type RecordedEvent } from "./kit/recorder.ts";
export {
  NetworkError,
  type NetworkOptions,
  type PageSpec,
  type RequestRecord,
  type SimResponse,
  SimulatedNetwork,
} from "./kit/network.ts";
export { blockFor, BlockingDb, DbError, type Row } from "./kit/blocking_driver.ts";
export { assertTimeline, formatTimelines, type TimelineEntry } from "./kit/timeline.ts";
export { virtualNow } from "./kit/now.ts";
export { type ErrorShape, isNotImplemented, rejectsWith, throwsWith } from "./kit/expect.ts";
export { type CPythonTask, createTask, expectedDifference, sleepZero } from "./kit/cpython.ts";
export { watch, watched, type WatchSpec } from "./kit/watched.ts";
export { CHANNEL, CONDITION, EVENT, LOCK, POOL, QUEUE, SEMAPHORE } from "./kit/primitive_specs.ts";
