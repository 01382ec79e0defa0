/**
 * The one configuration channel from the grader's harness: before lib loads, the harness sets
 *
 * ```ts
 * globalThis[Symbol.for("workbook.clock")] = { seed?: number, track?: boolean };
 * ```
 *
 * lib reads it once, when it loads, into a frozen copy: code under test (which loads later) can
 * change the global object, but never what lib read. Every withClock / runWithClock run takes
 * it as its defaults; a test's own options win.
 *
 * - `seed`: an integer >= 0, the seed of the same-instant schedule (the clock's `shuffle`
 *   option). 0 or absent: creation order, exactly as without the channel.
 * - `track`: true turns on promise tracking for deadlock diagnosis (tracking.ts). It is set up
 *   when lib loads, before the code under test, so every `new Promise` of that code is seen.
 *
 * @module
 */
import { $freeze, $stringify, $symbolFor, $TypeError } from "./intrinsics.ts";

/** The symbol the harness sets on globalThis. */
export const CONFIG_KEY: symbol = $symbolFor("workbook.clock");

/** What the harness may set. */
export interface WorkbookClockConfig {
  /** Seed of the same-instant schedule; 0 or absent for creation order. */
  seed?: number;
  /** Track promises for deadlock diagnosis. */
  track?: boolean;
}

/** The configuration as read at load, with defaults. */
export interface LoadedConfig {
  /** Seed of the same-instant schedule, 0 for creation order. */
  readonly seed: number;
  /** Promise tracking on. */
  readonly track: boolean;
}

/**
 * Reads and checks a configuration value.
 *
 * @param raw What was found under the symbol (undefined when nothing was set).
 * @returns The configuration.
 * @throws {TypeError} Naming the field that is wrong, so a harness bug shows at once.
 *
 * @example
 * ```ts
 * import { readConfig } from "./config.ts";
 * readConfig({ seed: 3 }); // { seed: 3, track: false }
 * ```
 */
export function readConfig(raw: unknown): LoadedConfig {
  if (raw === undefined || raw === null) return $freeze({ seed: 0, track: false });
  if (typeof raw !== "object") {
    throw new $TypeError(
      `globalThis[Symbol.for("workbook.clock")] must be an object like { seed: 3, track: true }; ` +
        `received ${typeof raw}`,
    );
  }
  const { seed, track } = raw as WorkbookClockConfig;
  if (seed !== undefined && !(typeof seed === "number" && seed >= 0 && seed % 1 === 0)) {
    throw new $TypeError(
      `workbook.clock config: seed must be an integer >= 0; received ${$stringify(seed)}`,
    );
  }
  if (track !== undefined && typeof track !== "boolean") {
    throw new $TypeError(
      `workbook.clock config: track must be a boolean; received ${$stringify(track)}`,
    );
  }
  return $freeze({ seed: seed ?? 0, track: track ?? false });
}

/** What the harness set when lib loaded (frozen). */
export const config: LoadedConfig = readConfig(
  (globalThis as unknown as Record<symbol, unknown>)[CONFIG_KEY],
);
