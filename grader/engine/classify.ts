/**
 * Classifies a failed test by its failure message: the virtual clock's error names, the stub's
 * "not implemented" error, runner texts for unhandled errors, and how the process ended.
 *
 * @module
 */

import { DEFAULT_MAX_RSS_MB } from "./proc.ts";
import type { Reason, TestResult } from "./types.ts";

/**
 * The reason of a failure message.
 *
 * @param message Normalised failure message ("ErrorName: text").
 * @returns The reason; "assertion" for assertion failures, "exception" for any other error.
 *
 * @example
 * ```ts
 * classifyMessage("Error: not implemented: crawl (task 1)"); // "not-started"
 * classifyMessage("DeadlockError: deadlock at t=2000 ms"); // "deadlock"
 * ```
 */
export function classifyMessage(message: string): Reason {
  // The grader's own messages for tests it had to stop or could not run.
  if (/^crash: /.test(message)) return "crash";
  if (/^(CPU loop \/ no progress|killed: memory)/.test(message)) return "cpu-loop";
  if (/^Error: the test never settled/.test(message)) return "deadlock";
  if (/not implemented/i.test(message)) return "not-started";
  if (message.includes("DeadlockError")) return "deadlock";
  if (message.includes("LeakedTimersError")) return "leaked-timers";
  if (
    message.includes("UnhandledRejectionError") ||
    /unhandled (promise )?rejection|Unhandled error/i.test(message)
  ) {
    return "unhandled-rejection";
  }
  if (message.includes("RunawayError")) return "time-budget";
  if (/^(Uncaught )?(AssertionError|ERR_ASSERTION)\b/.test(message)) return "assertion";
  // Deno fails a test with "Uncaught <error>" when a promise rejects with nobody awaiting it (the
  // runner sees it before the clock can). Timer callbacks run from the virtual clock's driver, so
  // their exceptions reject the test normally, without the prefix. Bun gives no such marker.
  if (/^Uncaught (\(in promise\) )?\w*Error\b/.test(message)) return "unhandled-rejection";
  return "exception";
}

/**
 * Whether a reason means the test could not complete ("error") rather than answered wrongly ("fail").
 *
 * @param reason A failure reason.
 * @returns The test status to report.
 */
export function statusOf(reason: Reason): TestResult["status"] {
  return reason === "crash" || reason === "cpu-loop" ? "error" : "fail";
}

/**
 * Message of a test without a verdict whose process was killed.
 *
 * @param seconds The wall-clock limit in force.
 * @param cause Why it was killed: the wall clock (default) or the memory cap.
 * @returns The message shown for each test without a verdict.
 */
export function cpuLoopMessage(
  seconds: number,
  cause: "timeout" | "stall" | "memory" = "timeout",
): string {
  if (cause === "memory") {
    return `killed: memory grew past the limit (${DEFAULT_MAX_RSS_MB} MiB) before the tests finished: a buffer that ` +
      "grows without bound, or a loop that never awaits anything real";
  }
  return `CPU loop / no progress: killed after ${seconds} s`;
}

/** Message of a test without a verdict. */
export const NO_VERDICT =
  "no verdict: the test did not run to completion (the process exited or was killed)";

/** Message of a test whose file never reported (import failure or early exit). */
export const NO_FILE_VERDICT =
  "no verdict: the test file did not load, or the process exited before it ran";

/**
 * The task number a failure message names, as in `not implemented: crawl (task 2)`.
 *
 * @param message Failure message.
 * @returns The task number, or undefined.
 */
export function taskIdOf(message: string): number | undefined {
  const m = /\(task (\d+)\)/.exec(message);
  return m ? Number(m[1]) : undefined;
}
