/**
 * Installs one clock run: sinon's fake Date, performance, Intl (and Temporal), a timer table,
 * the seeded `Math.random`, the unhandled-rejection listener and the global forwarders; and takes
 * all of it down again.
 *
 * @module
 */
import FakeTimers from "@sinonjs/fake-timers";
import { setActiveHost, type TimerHost } from "./globals.ts";
import { reportEnabled, type ResolvedOptions } from "./options.ts";
import { TimerTable } from "./timer_table.ts";
import { listenForUnhandled } from "./unhandled.ts";

// Capture sinon's view of the real globals before the forwarders replace them.
const timers = FakeTimers.withGlobal(globalThis);

/** An installed run. */
export interface InstalledRun {
  /** The run's timers. */
  table: TimerTable;
  /**
   * Takes the run down: timers, fakes, random, listener; the forwarders go back to real time when
   * `releaseGlobals` (no newer run took them over).
   */
  uninstall(releaseGlobals: boolean): void;
}

/**
 * Installs a run.
 *
 * @param host The clock the forwarders route timer calls to.
 * @param options The run's options.
 * @param random The seeded random function for `Math.random`.
 * @param onUnhandled Called with each unhandled rejection.
 * @returns The installed run.
 */
export function installRun(
  host: TimerHost,
  options: ResolvedOptions,
  random: () => number,
  onUnhandled: (reason: unknown) => void,
): InstalledRun {
  const toFake = ["Date", "performance", "Intl"];
  // deno-lint-ignore no-explicit-any
  if ((globalThis as any).Temporal) toFake.push("Temporal");
  const fake = timers.install({
    now: options.epoch,
    toFake: toFake as never[],
    loopLimit: options.maxTimers,
  });
  const table = new TimerTable(fake, options.epoch, options);
  const restoreRandom = Math.random;
  Math.random = random;
  const stopListening = listenForUnhandled(onUnhandled);
  setActiveHost(host);
  return {
    table,
    uninstall(releaseGlobals: boolean) {
      if (releaseGlobals) setActiveHost(undefined);
      stopListening();
      Math.random = restoreRandom;
      if (reportEnabled) {
        console.log(
          `##workbook-clock ${JSON.stringify({ virtualMs: table.now(), timers: table.fired })}`,
        );
      }
      table.clearAll();
      fake.reset();
      fake.uninstall();
    },
  };
}
