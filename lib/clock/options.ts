/**
 * The options of a virtual-clock run, their defaults and their checks.
 *
 * @module
 */
import { config } from "./config.ts";
import { $RangeError, $String, $UTC } from "./intrinsics.ts";

/** 2030-01-01T00:00:00Z: a fixed, non-zero start, so `if (!lastFailureAt)` style bugs show. */
export const DEFAULT_EPOCH: number = $UTC(2030, 0, 1);

/** Options of one virtual-clock run. Every field is optional. */
export interface ClockOptions {
  /** Seed of `clock.random()` and of `Math.random` during the run. Default 1. */
  seed?: number;
  /**
   * Run the events that fall due at the same virtual instant (timeouts, intervals, immediates,
   * `AbortSignal.timeout`) in a seeded random order, to expose code that works only by lucky
   * ordering (events of one family and one delay keep their creation order, as the runtimes
   * promise: see schedule.ts); each choice that differs from creation order is recorded
   * (`clock.schedule`). A
   * number is the shuffle seed (0: creation order), `true` uses `seed`, `false` is creation
   * order. Default: the harness's `seed` (config.ts), else creation order.
   */
  shuffle?: boolean | number;
  /**
   * Record where each promise of the code under test is created, so a deadlock names the lines
   * where work waits (`DeadlockError.diagnosis`). Default: the harness's `track` (config.ts),
   * else false. Tracking set up by the harness sees every `new Promise`; turned on here only, it
   * sees the promises created through the global `Promise` during this run.
   */
  track?: boolean;
  /** Jump to the next timer whenever the program is idle. Default true. */
  autoAdvance?: boolean;
  /** At most this many timers may fire in one run. Default 100 000. */
  maxTimers?: number;
  /** Virtual-time budget in ms. Default 24 hours. */
  maxVirtualMs?: number;
  /** Real ms of idleness (no timer, no tracked work) before a deadlock is declared. Default 40. */
  graceMs?: number;
  /** Real-time watchdog for the whole run, in ms. Default 10 000. */
  maxRealMs?: number;
  /** Do not fail the run for timers left pending after the body settles. Default false. */
  allowLeaks?: boolean;
  /** `Date.now()` at virtual time 0. Default 2030-01-01T00:00:00Z. */
  epoch?: number;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  /** See {@linkcode ClockOptions}. */
  seed: number;
  /** Seed of the same-instant shuffle, or undefined for creation order. */
  shuffleSeed: number | undefined;
  /** Promise tracking on. */
  track: boolean;
  /** See {@linkcode ClockOptions}. */
  autoAdvance: boolean;
  /** See {@linkcode ClockOptions}. */
  maxTimers: number;
  /** See {@linkcode ClockOptions}. */
  maxVirtualMs: number;
  /** See {@linkcode ClockOptions}. */
  graceMs: number;
  /** See {@linkcode ClockOptions}. */
  maxRealMs: number;
  /** See {@linkcode ClockOptions}. */
  allowLeaks: boolean;
  /** See {@linkcode ClockOptions}. */
  epoch: number;
}

/**
 * Checks the options and fills in the defaults.
 *
 * @param o The options given.
 * @returns The resolved options.
 * @throws {RangeError} Naming the option that is out of range.
 *
 * @example
 * ```ts
 * import { resolveOptions } from "./options.ts";
 * resolveOptions({}).graceMs; // 40
 * ```
 */
export function resolveOptions(o: ClockOptions): ResolvedOptions {
  const check = (name: string, v: unknown, min: number) => {
    if (v !== undefined && (typeof v !== "number" || !(v >= min))) {
      throw new $RangeError(
        `Cannot create the virtual clock: '${name}' must be a number >= ${min}; received ${
          $String(v)
        }`,
      );
    }
  };
  check("maxTimers", o.maxTimers, 1);
  check("maxVirtualMs", o.maxVirtualMs, 0);
  check("graceMs", o.graceMs, 0);
  check("maxRealMs", o.maxRealMs, 1);
  check("epoch", o.epoch, 1);
  const seed = o.seed ?? 1;
  const shuffle = o.shuffle === undefined ? config.seed : o.shuffle === true ? seed : o.shuffle;
  if (typeof shuffle === "number" && !(shuffle === (shuffle | 0) || shuffle === shuffle >>> 0)) {
    throw new $RangeError(
      `Cannot create the virtual clock: 'shuffle' must be a 32-bit integer seed; received ${
        $String(shuffle)
      }`,
    );
  }
  return {
    seed,
    shuffleSeed: typeof shuffle === "number" && shuffle !== 0 ? shuffle : undefined,
    track: o.track ?? config.track,
    autoAdvance: o.autoAdvance ?? true,
    maxTimers: o.maxTimers ?? 100_000,
    maxVirtualMs: o.maxVirtualMs ?? 86_400_000,
    graceMs: o.graceMs ?? 40,
    maxRealMs: o.maxRealMs ?? 10_000,
    allowLeaks: o.allowLeaks ?? false,
    epoch: o.epoch ?? DEFAULT_EPOCH,
  };
}

/**
 * `WORKBOOK_CLOCK_REPORT=1` makes every run print one `##workbook-clock {...}` line (the bench
 * sums them). Under Deno the variable is read only when env access is already granted, so a
 * plain `deno test` never stops at a permission prompt.
 */
export const reportEnabled: boolean = (() => {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  const deno = g.Deno;
  if (deno?.permissions?.querySync) {
    const status = deno.permissions.querySync({ name: "env", variable: "WORKBOOK_CLOCK_REPORT" });
    if (status.state !== "granted") return false;
  }
  return g.process?.env?.WORKBOOK_CLOCK_REPORT === "1";
})();
