/**
 * The messages of the clock's failures: a deadlock, timers left behind, an unhandled rejection.
 * Each names what the learner can act on.
 *
 * @module
 */
import { DeadlockError, LeakedTimersError, UnhandledRejectionError } from "./errors.ts";
import { ESCAPE_HINT } from "./globals.ts";
import type { PendingTimer } from "./timer_table.ts";

/**
 * The "what is waiting" text from the kit objects' reporters (a reporter that throws is skipped:
 * a diagnosis must never hide the failure it explains).
 *
 * @param reporters The registered reporters.
 * @returns " What is waiting: ...", or "".
 */
export function diagnose(reporters: Iterable<() => string | undefined>): string {
  const lines: string[] = [];
  for (const d of reporters) {
    try {
      const line = d();
      if (line) lines.push(line);
    } catch {
      // A broken reporter (the learner's object in an odd state) must not hide the deadlock.
    }
  }
  return lines.length ? ` What is waiting: ${lines.join("; ")}.` : "";
}

/**
 * The deadlock error.
 *
 * @param t Virtual time, ms.
 * @param hasTimers Whether timers are pending (the clock is paused) or none are.
 * @param waiting The diagnosis text.
 * @returns The error.
 */
export function deadlockError(t: number, hasTimers: boolean, waiting: string): DeadlockError {
  const why = hasTimers
    ? `the clock is paused (autoAdvance: false) and the test waits: call clock.advance(ms)`
    : `the test is still waiting, but no timer is pending and no tracked work is running, so ` +
      `nothing can ever wake it. Something awaits a promise nobody will settle: a lost ` +
      `wake-up, a missing sentinel, a lock or permit never released, or a deadlock between ` +
      `tasks waiting on each other.`;
  return new DeadlockError(`deadlock at t=${t} ms: ${why}${waiting} ${ESCAPE_HINT}`, t);
}

/**
 * The leaked-timers error.
 *
 * @param t Virtual time the test finished at.
 * @param leaks The pending timers.
 * @returns The error.
 */
export function leakError(t: number, leaks: PendingTimer[]): LeakedTimersError {
  const list = leaks.slice(0, 10).map((l) =>
    `${l.kind}(${l.delay} ms) due at t=${l.dueAt} ms, created at ${l.origin}`
  ).join("; ");
  const more = leaks.length > 10 ? ` and ${leaks.length - 10} more` : "";
  return new LeakedTimersError(
    `${leaks.length} timer${leaks.length === 1 ? "" : "s"} still pending after the test ` +
      `finished at t=${t} ms: ${list}${more}. Clear timers you no longer need ` +
      `(clearTimeout in a finally, or abort the task that owns them).`,
    leaks,
  );
}

/**
 * The unhandled-rejection error.
 *
 * @param t Virtual time.
 * @param reason The first unhandled reason.
 * @returns The error.
 */
export function unhandledError(t: number, reason: unknown): UnhandledRejectionError {
  const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  return new UnhandledRejectionError(
    `unhandled rejection at t=${t} ms: ${text}. A promise rejected while nobody was ` +
      `awaiting it: await every task you start, or attach .catch() to it.`,
    reason,
  );
}
