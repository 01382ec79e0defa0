/**
 * The clock's driver loop: let the program run until it is idle (one real macrotask turn drains
 * every microtask), fire exactly one timer, and repeat until the body settles. Idle with no timer
 * and no tracked work for `graceMs` of real time is a deadlock; past `maxRealMs` the watchdog
 * stops the run.
 *
 * @module
 */
import { RunawayError } from "./errors.ts";
import type { ResolvedOptions } from "./options.ts";
import { real, realDelay, realTurn } from "./real.ts";
import { deadlockError, diagnose, unhandledError } from "./reports.ts";
import type { TimerTable } from "./timer_table.ts";

/** What the loop reads of the clock's state on every turn. */
export interface DriveState {
  /** The run's timers. */
  table: TimerTable;
  /** The run's options. */
  options: ResolvedOptions;
  /** Tracked real work in flight. */
  tracked: ReadonlySet<Promise<unknown>>;
  /** Diagnosis reporters. */
  diagnostics: Iterable<() => string | undefined>;
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
  Promise.resolve().then(start).then((v) => {
    state = "ok";
    value = v;
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
    if (s.abandoned()) await new Promise<never>(() => {});
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
    if (s.tracked.size > 0) {
      idleSince = undefined;
      await Promise.race([...s.tracked, realDelay(20)]);
      continue;
    }
    if (!table.hasTimers || !options.autoAdvance) {
      if (idleSince === undefined || idleActivity !== table.activity) {
        idleSince = real.perfNow();
        idleActivity = table.activity;
      } else if (real.perfNow() - idleSince >= options.graceMs) {
        throw deadlockError(table.now(), table.hasTimers, diagnose(s.diagnostics));
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
