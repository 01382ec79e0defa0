/**
 * The workbook's virtual clock: auto-advancing fake time with deadlock, runaway, leak and
 * unhandled-rejection detection, a trace of fired timers, seeded schedules, promise tracking for
 * deadlock diagnosis, tracked real work and a seeded random source.
 *
 * The driver loop is in drive.ts, the timers in timer_table.ts. Every builtin used here was
 * captured when lib loaded (intrinsics.ts), and the class, its prototype and each instance are
 * frozen: code under test cannot change what a run does.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { advanceBy, drive } from "./drive.ts";
import { virtualSleep } from "./globals.ts";
import { installRun } from "./install.ts";
import {
  $Error,
  $freeze,
  $indexOf,
  $RangeError,
  $resolve,
  $Set,
  $setAdd,
  $setDelete,
  $splice,
  $String,
  $then,
} from "./intrinsics.ts";
import { type ClockOptions, type ResolvedOptions, resolveOptions } from "./options.ts";
import { seededRandom } from "./random.ts";
import { realTurn } from "./real.ts";
import type { Describer } from "./reports.ts";
import { leakError, leaksOf, unhandledError } from "./reports.ts";
import { claimRecorder } from "./run_record.ts";
import type { ScheduleRecord } from "./schedule.ts";
import type { PendingTimer, TimerTable, TraceEntry } from "./timer_table.ts";
import { startTracking } from "./tracking.ts";

export { type ClockOptions, DEFAULT_EPOCH } from "./options.ts";
export type { PendingTimer, TraceEntry } from "./timer_table.ts";

let running: VirtualClock | undefined;
const recordRun = claimRecorder();
/** Which run's body the current async context belongs to: tells nesting from abandonment. */
const bodyContext = new AsyncLocalStorage<VirtualClock>();

/**
 * The clock handed to a test body by `runWithClock` / `withClock`.
 *
 * @example
 * ```ts
 * import { runWithClock } from "./with_clock.ts";
 * await runWithClock(async (clock) => {
 *   await clock.sleep(1500);
 *   clock.now(); // 1500
 * });
 * ```
 */
export class VirtualClock {
  readonly #epoch: number;
  readonly #options: ResolvedOptions;
  readonly #random: () => number;
  #table: TimerTable | undefined;
  readonly #tracked: Set<Promise<unknown>> = new $Set();
  readonly #diagnostics: Describer[] = [];
  #fatal: Error | undefined;
  #unhandled: unknown[] = [];
  #manual = 0;
  #teardown: (() => void) | undefined;
  #abandoned = false;

  /** @param options Seed, schedule, tracking, budgets, grace period, epoch (see ClockOptions). */
  constructor(options: ClockOptions = {}) {
    this.#options = resolveOptions(options);
    this.#epoch = this.#options.epoch;
    this.#random = seededRandom(this.#options.seed);
    $freeze(this);
  }

  /** `Date.now()` at virtual time 0. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Virtual milliseconds since the clock started. @returns Elapsed virtual ms. */
  now(): number {
    return this.#table ? this.#table.now() : 0;
  }

  /**
   * Sleeps `ms` of virtual time (a setTimeout of the clock's own, so it appears in the trace;
   * a stub that replaces the global setTimeout does not change it).
   *
   * @param ms Delay in virtual ms.
   * @returns A promise that resolves once the delay has passed.
   */
  sleep(ms: number): Promise<void> {
    return virtualSleep(ms);
  }

  /**
   * Lets the program run until it is idle (every microtask and pending real turn has run)
   * without moving virtual time. Use it to look at state "right now".
   *
   * @returns A promise that resolves once the program is idle.
   */
  async flush(): Promise<void> {
    this.#manual++;
    try {
      await realTurn();
      await realTurn();
    } finally {
      this.#manual--;
    }
  }

  /**
   * Advances virtual time by `ms` by hand, firing every timer due on the way, one at a time with
   * the microtasks they cause in between. Auto-advance pauses while this runs.
   *
   * @param ms Virtual ms to advance (>= 0).
   * @returns A promise that resolves at the new time.
   * @throws {RangeError} When ms is not a number >= 0.
   */
  async advance(ms: number): Promise<void> {
    if (typeof ms !== "number" || !(ms >= 0)) {
      throw new $RangeError(`clock.advance(ms) needs ms >= 0; received ${$String(ms)}`);
    }
    this.#manual++;
    try {
      await advanceBy(this.#table!, ms, () => this.#fatal);
    } finally {
      this.#manual--;
    }
  }

  /** Timers not yet fired, in firing order. @returns A snapshot of the pending timers. */
  pending(): PendingTimer[] {
    return this.#table?.pending() ?? [];
  }

  /** Every timer fired so far, in order: `{ at, kind, delay, origin }` (a copy). */
  get trace(): TraceEntry[] {
    return this.#table?.trace() ?? [];
  }

  /** How many timers have fired in this run. */
  get timersFired(): number {
    return this.#table?.fired ?? 0;
  }

  /**
   * The run's schedule: its shuffle seed (0 for creation order), how many draws it made, and each
   * swap (an event that ran ahead of the one creation order would have run). See schedule.ts.
   */
  get schedule(): ScheduleRecord {
    return this.#table?.scheduleRecord() ??
      { seed: this.#options.shuffleSeed ?? 0, choices: 0, total: 0, swaps: [] };
  }

  /**
   * Marks real asynchronous work (a Worker round-trip, real I/O) the clock must wait for instead
   * of declaring a deadlock. Virtual time does not move while tracked work is pending.
   *
   * @param work The promise of the real work.
   * @returns The same settlement as `work`.
   */
  track<T>(work: Promise<T>): Promise<T> {
    const p = $resolve(work) as Promise<T>;
    const marker = $then(p, () => {}, () => {});
    $setAdd(this.#tracked, marker);
    $then(marker, () => {
      $setDelete(this.#tracked, marker);
      if (this.#table) this.#table.activity++;
    });
    return p;
  }

  /**
   * A seeded random number in [0, 1): the same sequence on every run and both runtimes.
   * `Math.random` is seeded the same way while the clock runs.
   *
   * @returns A pseudo-random number.
   */
  random(): number {
    return this.#random();
  }

  /**
   * Registers a describer: at a deadlock its lines go into the message and into
   * `DeadlockError.diagnosis.details` (and into runaway messages). Kit objects register
   * themselves; a test registers one for the course primitive it drives, in words:
   * `clock.onDiagnose(() => \`Lock: ${lock.locked ? "locked" : "free"}\`)`.
   *
   * @param report Returns a line (or lines) describing what is waiting, or undefined.
   * @returns A function that unregisters it.
   */
  onDiagnose(report: Describer): () => void {
    const list = this.#diagnostics;
    list[list.length] = report;
    return () => {
      const i = $indexOf(list, report);
      if (i >= 0) $splice(list, i, 1);
    };
  }

  /**
   * Runs `body` on this clock: installs it, drives virtual time until the body settles, checks
   * for leaks and unhandled rejections, and uninstalls it. Use `runWithClock` or `withClock`
   * rather than calling this directly.
   *
   * @param body The test body.
   * @returns What the body returned.
   */
  run<T>(body: (clock: VirtualClock) => T | Promise<T>): Promise<T> {
    const result = this.#run(body);
    // If the test runner abandons this test (Bun fails a test on an unhandled rejection and
    // moves on without awaiting it), nobody awaits this promise: keep its rejection from
    // surfacing as an unhandled rejection in the next test. An awaiting caller still sees it.
    $then(result, undefined, () => {});
    return result;
  }

  async #run<T>(body: (clock: VirtualClock) => T | Promise<T>): Promise<T> {
    if (running && bodyContext.getStore() === running) {
      throw new $Error(
        "withClock/runWithClock cannot be nested: this test body already runs on a virtual " +
          "clock; use the clock you were given",
      );
    }
    // A run still marked as running here was abandoned by the test runner (Bun fails a test on
    // an unhandled rejection and moves on without awaiting it): tear it down so it cannot fire
    // timers into this one, and let it never settle, since a late rejection would be blamed on
    // whichever test runs then.
    if (running) running.#abandon();
    running = this;
    const run = installRun(this.#options, this.#random, (reason) => {
      this.#unhandled[this.#unhandled.length] = reason;
      run.table.activity++;
    }, (error) => {
      this.#fatal ??= error;
    });
    const table = run.table;
    this.#table = table;
    const tracking = this.#options.track ? startTracking(() => table.now()) : undefined;
    this.#teardown = () => {
      this.#teardown = undefined;
      tracking?.stop();
      if (running === this) running = undefined;
      run.uninstall(running === undefined);
    };
    let failure: { error: unknown } | undefined;
    try {
      const value = await drive(() => bodyContext.run(this, () => body(this)), {
        table,
        options: this.#options,
        tracked: this.#tracked,
        diagnostics: this.#diagnostics,
        stuck: () => tracking?.stuck(),
        unhandled: this.#unhandled,
        manual: () => this.#manual > 0,
        fatal: () => this.#fatal,
        abandoned: () => this.#abandoned,
      });
      // Rejections are reported after the microtask queue drains: give them two real turns.
      await realTurn();
      await realTurn();
      if (this.#unhandled.length) throw unhandledError(this.now(), this.#unhandled[0]);
      const leaks = leaksOf(this.pending());
      if (leaks.length && !this.#options.allowLeaks) throw leakError(this.now(), leaks);
      return value;
    } catch (error) {
      failure = { error };
      throw error;
    } finally {
      if (!this.#abandoned) recordRun(this.schedule, tracking !== undefined, table, failure);
      this.#teardown?.();
    }
  }

  /** Stops a run that a newer run found still active. */
  #abandon(): void {
    this.#abandoned = true;
    this.#teardown?.();
  }
}

$freeze(VirtualClock);
$freeze(VirtualClock.prototype);

/**
 * The clock of the run in progress, if any. Test-kit objects use it to register diagnostics.
 *
 * @returns The running clock or undefined.
 */
export function currentClock(): VirtualClock | undefined {
  return running;
}
