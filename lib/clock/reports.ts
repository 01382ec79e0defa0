/**
 * The messages of the clock's failures: a deadlock, timers left behind, an unhandled rejection.
 * Each names what the learner can act on.
 *
 * @module
 */
import {
  type DeadlockDiagnosis,
  DeadlockError,
  LeakedTimersError,
  type StuckPromises,
  UnhandledRejectionError,
  type WaitSite,
} from "./errors.ts";
import { ESCAPE_HINT } from "./globals.ts";
import { $Error, $filter, $isArray, $join, $map, $push, $slice, $String } from "./intrinsics.ts";
import type { PendingTimer } from "./timer_table.ts";

/** A diagnosis reporter: a line, several lines, or nothing. */
export type Describer = () => string | string[] | undefined;

/**
 * What the kit objects' and the tests' describers say (a describer that throws is skipped: a
 * diagnosis must never hide the failure it explains).
 *
 * @param list The registered describers.
 * @returns Their lines.
 */
export function describeAll(list: readonly Describer[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < list.length; i++) {
    try {
      const out = list[i]();
      const more = typeof out === "string" ? [out] : $isArray(out) ? out : [];
      for (let j = 0; j < more.length; j++) {
        if (typeof more[j] === "string" && more[j]) $push(lines, more[j]);
      }
    } catch {
      // A broken describer (the learner's object in an odd state) must not hide the failure.
    }
  }
  return lines;
}

/**
 * The "what is waiting" text of a runaway message.
 *
 * @param reporters The registered describers.
 * @returns " What is waiting: ...", or "".
 */
export function diagnose(reporters: readonly Describer[]): string {
  const lines = describeAll(reporters);
  return lines.length ? ` What is waiting: ${$join(lines, "; ")}.` : "";
}

/** What a deadlock is and its usual causes: the same for every deadlock. */
export const DEADLOCK_ADVICE: string =
  "A deadlock: the test awaits a promise that nothing will ever settle. The usual causes are a " +
  "lost wake-up (release(), put() or set() that does not resume a waiter), a missing sentinel " +
  "(one per consumer), a lock or permit never released on some path, or tasks waiting on each " +
  `other. ${ESCAPE_HINT}`;

/** Where work waits, in words: "waiting at lock.ts:90 in Lock.acquire (2 promises since t=0 ms, awaited at test.ts:12)". */
function waitText(w: WaitSite): string {
  const n = `${w.count} promise${w.count === 1 ? "" : "s"} since t=${w.since} ms`;
  const by = w.awaitedAt?.length ? `, awaited at ${$join(w.awaitedAt, ", ")}` : "";
  return `waiting at ${w.site}${w.fn ? ` in ${w.fn}` : ""} (${n}${by})`;
}

/** At most this many sites are named in the message (all are in the diagnosis). */
const SITES_IN_MESSAGE = 3;

/**
 * The deadlock error: the facts first (where work waits, what describers say), then why nothing
 * can wake it. The general advice goes in `advice`, not in the message.
 *
 * @param t Virtual time, ms.
 * @param hasTimers Whether timers are pending (the clock is paused) or none are.
 * @param details The describers' lines.
 * @param stuck Tracked promises still pending, or undefined when tracking was off.
 * @returns The error.
 */
export function deadlockError(
  t: number,
  hasTimers: boolean,
  details: string[],
  stuck: StuckPromises | undefined,
): DeadlockError {
  const waits = stuck?.waits ?? [];
  const facts: string[] = [];
  for (let i = 0; i < waits.length && i < SITES_IN_MESSAGE; i++) $push(facts, waitText(waits[i]));
  if (waits.length > SITES_IN_MESSAGE) {
    const more = waits.length - SITES_IN_MESSAGE;
    $push(facts, `and ${more} more ${more === 1 ? "site" : "sites"}`);
  }
  if (stuck && stuck.unsettled > stuck.located) {
    $push(facts, `${stuck.unsettled - stuck.located} more pending promises not located`);
  }
  for (let i = 0; i < details.length; i++) $push(facts, details[i]);
  const head = `deadlock at t=${t} ms: `;
  const paused =
    "the clock is paused (autoAdvance: false) and the test waits: call clock.advance(ms)";
  const message = facts.length === 0
    ? head + (hasTimers ? paused : "the test waits, but no timer is pending and no tracked work " +
      "is running, so nothing can ever wake it.")
    : `${head}${$join(facts, "; ")}. ` +
      (hasTimers
        ? `Nothing else runs: ${paused}.`
        : "Nothing can wake it: no timer is pending and no tracked work is running.");
  const diagnosis: DeadlockDiagnosis = {
    at: t,
    waits,
    details,
    tracked: stuck !== undefined,
    unsettled: stuck?.unsettled ?? 0,
    located: stuck?.located ?? 0,
  };
  return new DeadlockError(message, t, diagnosis, DEADLOCK_ADVICE);
}

/**
 * The timers that count as leaks: all but `AbortSignal.timeout` timers (nobody can clear those).
 *
 * @param pending The pending timers.
 * @returns The leaks.
 */
export function leaksOf(pending: PendingTimer[]): PendingTimer[] {
  return $filter(pending, (t) => t.kind !== "AbortSignal.timeout");
}

/**
 * The leaked-timers error.
 *
 * @param t Virtual time the test finished at.
 * @param leaks The pending timers.
 * @returns The error.
 */
export function leakError(t: number, leaks: PendingTimer[]): LeakedTimersError {
  const list = $join(
    $map(
      $slice(leaks, 0, 10),
      (l) => `${l.kind}(${l.delay} ms) due at t=${l.dueAt} ms, created at ${l.origin}`,
    ),
    "; ",
  );
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
  let text: string;
  try {
    text = reason instanceof $Error ? `${reason.name}: ${reason.message}` : $String(reason);
  } catch {
    // A reason whose fields or toString throw: name what it is instead.
    const kind = typeof reason;
    text = `${kind === "object" ? "an" : "a"} ${kind} that throws when read`;
  }
  return new UnhandledRejectionError(
    `unhandled rejection at t=${t} ms: ${text}. A promise rejected while nobody was ` +
      `awaiting it: await every task you start, or attach .catch() to it.`,
    reason,
  );
}
