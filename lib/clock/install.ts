/**
 * Installs one clock run: a timer table, the seeded `Math.random`, the unhandled-rejection
 * listener and the host the global forwarders route to (timers, Date, performance, Intl,
 * Temporal); and takes all of it down again. The host is a frozen object of closures over the
 * run's table: no global and no public object reaches the table.
 *
 * @module
 */
import type { EscapedTimeError } from "./errors.ts";
import { claimHostSetter, type TimerHost } from "./host.ts";
import { $freeze, $log, $Math, $stringify } from "./intrinsics.ts";
import { reportEnabled, type ResolvedOptions } from "./options.ts";
import { TimerTable } from "./timer_table.ts";
import "./time_globals.ts";
import { listenForUnhandled } from "./unhandled.ts";

const setActiveHost = claimHostSetter();

/** An installed run. */
export interface InstalledRun {
  /** The run's timers. */
  table: TimerTable;
  /**
   * Takes the run down: timers, random, listener; the forwarders go back to real time when
   * `releaseGlobals` (no newer run took them over).
   */
  uninstall(releaseGlobals: boolean): void;
}

/**
 * Installs a run.
 *
 * @param options The run's options.
 * @param random The seeded random function for `Math.random`.
 * @param onUnhandled Called with each unhandled rejection.
 * @param onEscape Called when a timer API escapes the clock.
 * @returns The installed run.
 */
export function installRun(
  options: ResolvedOptions,
  random: () => number,
  onUnhandled: (reason: unknown) => void,
  onEscape: (error: EscapedTimeError) => void,
): InstalledRun {
  const table = new TimerTable(options.epoch, options);
  const host: TimerHost = $freeze<TimerHost>({
    schedule: (kind, cb, delay, args) => table.schedule(kind, cb, delay, args),
    clear: (handle) => table.clear(handle),
    owns: (handle) => table.owns(handle),
    escape: onEscape,
    elapsed: () => table.now(),
    wallNow: () => table.wallNow(),
  });
  const restoreRandom = $Math.random;
  $Math.random = random;
  const stopListening = listenForUnhandled(onUnhandled);
  setActiveHost(host);
  return {
    table,
    uninstall(releaseGlobals: boolean) {
      if (releaseGlobals) setActiveHost(undefined);
      stopListening();
      $Math.random = restoreRandom;
      if (reportEnabled) {
        $log(`##workbook-clock ${$stringify({ virtualMs: table.now(), timers: table.fired })}`);
      }
      table.clearAll();
    },
  };
}
