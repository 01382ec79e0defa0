/**
 * The clock's driver loop: let the program run until it is idle (one real macrotask turn drains
 * every microtask), fire exactly one timer, and repeat until the body settles. Idle with no timer
 * and no tracked work for `graceMs` of real time is a deadlock; past `maxRealMs` the watchdog
 * stops the run.
 *
 * @module
 */
import { RunawayError, type StuckPromises } from "./errors.ts";
import { $Promise, $race, $resolve, $setForEach, $setSize, $then } from "./intrinsics.ts";
import type { ResolvedOptions } from "./options.ts";
import { real, realDelay, realTurn } from "./real.ts";
import { deadlockError, describeAll, type Describer, diagnose, unhandledError } from "./reports.ts";
import type { TimerTable } from "./timer_table.ts";

/** What the loop reads of the clock's state on every turn. */
export interface DriveState {
  /** The run's timers. */
  table: TimerTable;
  /** The run's options. */
  options: ResolvedOptions;
  /** Tracked real work in flight. */
  tracked: Set<Promise<unknown>>;
  /** Diagnosis reporters. */
  diagnostics: readonly Describer[];
  /** The tracked promises still pending, or undefined when tracking is off. */
  stuck(): StuckPromises | undefined;
  /** Unhandled rejections heard so far. */
  unhandled: readonly unknown[];
  /** True while `clock.advance()` or `clock.flush()` drives time by hand. */
  manual(): boolean;
  /** A fatal error (an escaped timer), if any. */
  fatal(): Error | undefined;
  /** True when a newer run abandoned this one. */
  abandoned(): boolean;
}

/**
 * Runs `start()` and drives virtual time until the promise it returns settles.
 *
 * @param start Starts the body (called once, in a microtask).
 * @param s The clock's state.
 * @returns What the body resolved with.
 * @throws The body's error, or a DeadlockError, RunawayError or UnhandledRejectionError.
 */
export async function drive<T>(start: () => T | Promise<T>, s: DriveState): Promise<T> {
  let state: "pending" | "ok" | "error" = "pending";
  let value: T | undefined;
  let error: unknown;
  // Intrinsics only: a stub that replaced the global Promise (a subclass whose resolve() would
  // report success at once) never sees this chain.
  $then($then($resolve(), start), (v) => {
    state = "ok";
    value = v as T;
  }, (e) => {
    state = "error";
    error = e;
  });
  const { table, options } = s;
  const startedReal = real.perfNow();
  let idleSince: number | undefined;
  let idleActivity = -1;
  for (;;) {
    await realTurn();
    if (s.abandoned()) await new $Promise<never>(() => {});
    const fatal = s.fatal();
    if (fatal) throw fatal;
    if (state !== "pending") break;
    if (s.unhandled.length) throw unhandledError(table.now(), s.unhandled[0]);
    if (real.perfNow() - startedReal > options.maxRealMs) {
      throw new RunawayError(
        `real-time watchdog: the test ran for more than ${options.maxRealMs} ms of real ` +
          `time (virtual t=${table.now()} ms, ${table.fired} timers fired).${
            diagnose(s.diagnostics)
          }`,
      );
    }
    if (s.manual()) continue;
    if ($setSize(s.tracked) > 0) {
      idleSince = undefined;
      const racers: Promise<unknown>[] = [realDelay(20)];
      $setForEach(s.tracked, (p) => {
        racers[racers.length] = p;
      });
      await $race(racers);
      continue;
    }
    if (!table.hasTimers || !options.autoAdvance) {
      if (idleSince === undefined || idleActivity !== table.activity) {
        idleSince = real.perfNow();
        idleActivity = table.activity;
      } else if (real.perfNow() - idleSince >= options.graceMs) {
        throw deadlockError(table.now(), table.hasTimers, describeAll(s.diagnostics), s.stuck());
      }
      await realDelay(1);
      continue;
    }
    idleSince = undefined;
    table.fireNext();
  }
  if (state === "error") throw error;
  return value as T;
}

/**
 * `clock.advance(ms)`: fires every timer due within `ms`, one at a time with a real turn (every
 * microtask) after each, then moves the clock to the target.
 *
 * @param table The run's timers.
 * @param ms Virtual ms to advance.
 * @param fatal A fatal error of the run, if any (an escaped timer).
 */
export async function advanceBy(
  table: TimerTable,
  ms: number,
  fatal: () => Error | undefined,
): Promise<void> {
  const target = table.advanceTarget(ms);
  await realTurn();
  for (;;) {
    const error = fatal();
    if (error) throw error;
    const next = table.nextDue();
    if (next === undefined || next > target) break;
    table.fireNext();
    await realTurn();
  }
  table.tickTo(target);
  await realTurn();
}
