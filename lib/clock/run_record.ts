/**
 * The record of the last finished run, for the grader's harness: after each test it asks what
 * the run's schedule was (seed and swaps) and, for a deadlock, the diagnosis. The record is
 * module state no global reaches; `lastRun()` hands out a copy.
 *
 * @module
 */
import { type DeadlockDiagnosis, DeadlockError } from "./errors.ts";
import { $parse, $stringify } from "./intrinsics.ts";
import type { ScheduleRecord } from "./schedule.ts";

/** What the last finished run did. */
export interface RunRecord {
  /** The schedule: its seed (0 for creation order) and every swap it made. */
  schedule: ScheduleRecord;
  /** Whether promise tracking was on. */
  tracked: boolean;
  /** Virtual ms the run reached. */
  virtualMs: number;
  /** Timers fired. */
  timersFired: number;
  /** How the run ended: "ok", or the name of its error ("DeadlockError", "AssertionError", ...). */
  outcome: string;
  /** The deadlock's diagnosis, when the run deadlocked. */
  deadlock?: DeadlockDiagnosis;
}

let last: string | undefined;
let claimed = false;

/** Records a run that just finished (what {@linkcode claimRecorder} hands out). */
export type Recorder = (
  schedule: ScheduleRecord,
  tracked: boolean,
  table: { now(): number; readonly fired: number },
  failure: { error: unknown } | undefined,
) => void;

/**
 * Hands out the recorder, once: virtual_clock.ts claims it when lib loads, so code under test
 * that imports this module cannot forge the record the harness reads.
 *
 * @returns The recorder.
 * @throws {Error} When it was claimed already.
 */
export function claimRecorder(): Recorder {
  if (claimed) throw new Error("the run recorder belongs to lib/clock/virtual_clock.ts");
  claimed = true;
  return recordRun;
}

function recordRun(
  schedule: ScheduleRecord,
  tracked: boolean,
  table: { now(): number; readonly fired: number },
  failure: { error: unknown } | undefined,
): void {
  const error = failure?.error;
  const record: RunRecord = {
    schedule,
    tracked,
    virtualMs: table.now(),
    timersFired: table.fired,
    outcome: failure ? nameOf(error) : "ok",
  };
  if (error instanceof DeadlockError) record.deadlock = error.diagnosis;
  last = $stringify(record);
}

/** The `name` of a thrown value, never throwing. */
function nameOf(error: unknown): string {
  try {
    const name = (error as { name?: unknown } | null)?.name;
    return typeof name === "string" && name ? name : "Error";
  } catch {
    // A thrown value whose name getter throws: call it an Error.
    return "Error";
  }
}

/**
 * The record of the last run that finished (a fresh copy), or undefined before any. The grader's
 * harness reads it after each test: with a seed, `schedule.swaps` says what the schedule changed.
 *
 * @returns The record.
 *
 * @example
 * ```ts
 * import { lastRun } from "./run_record.ts";
 * import { runWithClock } from "./with_clock.ts";
 * await runWithClock((clock) => clock.sleep(10), { shuffle: 3 });
 * lastRun()?.schedule.seed; // 3
 * ```
 */
export function lastRun(): RunRecord | undefined {
  return last === undefined ? undefined : $parse(last) as RunRecord;
}
