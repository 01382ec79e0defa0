/**
 * Errors the virtual clock raises. Each has a distinct `name`, which the grader uses to classify
 * a failed test (deadlock, leaked timers, unhandled rejection, time budget, escaped real time).
 *
 * @module
 */

/** Unsettled promises created at one site: part of a deadlock's diagnosis. */
export interface WaitSite {
  /** `path:line` where the promises were created (first frame outside lib/ and node_modules/). */
  site: string;
  /** The function around the site, as the engine names it (`Lock.acquire` on Deno, `acquire` on Bun). */
  fn?: string;
  /** How many promises created there never settled. */
  count: number;
  /** Virtual ms when the oldest of them was created. */
  since: number;
  /** `path:line` of the callers that wait on them (the `await lock.acquire()`), at most 3. */
  awaitedAt?: string[];
}

/** What a deadlock was made of, as plain data (it survives JSON). */
export interface DeadlockDiagnosis {
  /** Virtual ms of the deadlock. */
  at: number;
  /**
   * The stuck promises by creation site, code under test first, then the test files; oldest
   * first. Empty when promise tracking was off.
   */
  waits: WaitSite[];
  /** What registered describers said (`clock.onDiagnose`): "Lock: free, 2 waiters". */
  details: string[];
  /** Whether promise tracking was on for this run (off: re-run with tracking to fill `waits`). */
  tracked: boolean;
  /** How many tracked promises were still pending. */
  unsettled: number;
  /**
   * How many of them were located (their stacks read, at most 200, the oldest first): `waits`
   * counts these. Promises with no frame outside lib/ are located but in no site.
   */
  located: number;
}

/** The tracked promises still pending at a deadlock. */
export interface StuckPromises {
  /** By creation site. */
  waits: WaitSite[];
  /** How many were pending. */
  unsettled: number;
  /** How many were located. */
  located: number;
}

/**
 * The test awaits something that nothing can ever settle: no timer is pending and no tracked
 * real work is running. The message starts with the facts (where work waits, what the
 * describers say); `diagnosis` has them as data; `advice` is the general explanation, the same
 * for every deadlock, for a report to print once.
 *
 * @example
 * ```ts
 * import { DeadlockError } from "./errors.ts";
 * import { withClock } from "./with_clock.ts";
 * await withClock(async () => { await new Promise(() => {}); })().catch((e) => e instanceof DeadlockError);
 * ```
 */
export class DeadlockError extends Error {
  override name = "DeadlockError";
  /** Virtual time (ms since the clock started) when the deadlock was detected. */
  readonly at: number;
  /** Where work waits and what describers said (see {@linkcode DeadlockDiagnosis}). */
  readonly diagnosis: DeadlockDiagnosis;
  /** What a deadlock is and its usual causes: the same text for every deadlock. */
  readonly advice: string;
  /**
   * @param message The message (facts first).
   * @param at Virtual ms of the deadlock.
   * @param diagnosis The facts as data.
   * @param advice The general explanation.
   */
  constructor(message: string, at: number, diagnosis?: DeadlockDiagnosis, advice = "") {
    super(message);
    this.at = at;
    this.diagnosis = diagnosis ?? {
      at,
      waits: [],
      details: [],
      tracked: false,
      unsettled: 0,
      located: 0,
    };
    this.advice = advice;
  }
}

/**
 * The program keeps scheduling timers without end (an interval nobody stops, a loop of zero-delay
 * timers), or ran past the virtual-time budget.
 *
 * @example
 * ```ts
 * import { RunawayError } from "./errors.ts";
 * import { withClock } from "./with_clock.ts";
 * await withClock({ maxTimers: 100 }, async () => {
 *   setInterval(() => {}, 10);
 *   await new Promise(() => {});
 * })().catch((e) => e instanceof RunawayError);
 * ```
 */
export class RunawayError extends Error {
  override name = "RunawayError";
}

/** One timer still pending when the test body finished. */
export interface LeakedTimer {
  /** `setTimeout`, `setInterval` or `setImmediate`. */
  kind: string;
  /** The delay it was created with, in ms. */
  delay: number;
  /** Virtual time (ms since the clock started) at which it would fire next. */
  dueAt: number;
  /** `file.ts:line` of the first frame outside lib/ and node_modules/ that created it. */
  origin: string;
}

/**
 * Timers were still pending after the test body settled: a `Promise.race` loser, an uncleared
 * timeout, an interval left running, a sibling task nobody cancelled.
 *
 * @example
 * ```ts
 * import { LeakedTimersError } from "./errors.ts";
 * import { withClock } from "./with_clock.ts";
 * await withClock(async () => { setTimeout(() => {}, 5000); })()
 *   .catch((e) => e instanceof LeakedTimersError && e.timers[0].dueAt === 5000);
 * ```
 */
export class LeakedTimersError extends Error {
  override name = "LeakedTimersError";
  readonly timers: LeakedTimer[];
  constructor(message: string, timers: LeakedTimer[]) {
    super(message);
    this.timers = timers;
  }
}

/**
 * A promise rejected while nobody was waiting for it (a task started without `await` or
 * `.catch`) during the test.
 *
 * @example
 * ```ts
 * import { UnhandledRejectionError } from "./errors.ts";
 * import { withClock } from "./with_clock.ts";
 * await withClock(async () => { void Promise.reject(new Error("lost")); })()
 *   .catch((e) => e instanceof UnhandledRejectionError);
 * ```
 */
export class UnhandledRejectionError extends Error {
  override name = "UnhandledRejectionError";
  /** What the lost promise rejected with. */
  readonly reason: unknown;
  constructor(message: string, reason: unknown) {
    super(message, { cause: reason });
    this.reason = reason;
  }
}

/**
 * The code under test used a timer API that keeps real time (`node:timers/promises`,
 * `Bun.sleepSync`, ...), so the virtual clock cannot control it.
 *
 * @example
 * ```ts
 * import { EscapedTimeError } from "./errors.ts";
 * new EscapedTimeError("node:timers/promises setTimeout keeps real time").name; // "EscapedTimeError"
 * ```
 */
export class EscapedTimeError extends Error {
  override name = "EscapedTimeError";
}
