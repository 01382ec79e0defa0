/**
 * The workbook's virtual clock: auto-advancing fake time over `@sinonjs/fake-timers`, with
 * deadlock, runaway, leak and unhandled-rejection detection, a trace of fired timers, tracked
 * real work and a seeded random source.
 *
 * The driver loop (see {@linkcode VirtualClock.run}) lets the program run until it is idle (one
 * real macrotask turn drains every microtask), then fires exactly one timer and repeats, like
 * Tokio's paused clock and Trio's autojump clock. Idle with no timer and no tracked work for
 * `graceMs` of real time is a deadlock. The timers themselves live in timer_table.ts.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { EscapedTimeError } from "./errors.ts";
import { drive } from "./drive.ts";
import type { TimerHost, TimerKind } from "./globals.ts";
import { installRun } from "./install.ts";
import {
  type ClockOptions,
  reportEnabled,
  type ResolvedOptions,
  resolveOptions,
} from "./options.ts";
import { seededRandom } from "./random.ts";
import { realTurn } from "./real.ts";
import { leakError, unhandledError } from "./reports.ts";
import { type PendingTimer, TimerTable, type TraceEntry } from "./timer_table.ts";
import { listenForUnhandled } from "./unhandled.ts";

export { type ClockOptions, DEFAULT_EPOCH } from "./options.ts";
export type { PendingTimer, TraceEntry } from "./timer_table.ts";

let running: VirtualClock | undefined;
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
export class VirtualClock implements TimerHost {
  /** `Date.now()` at virtual time 0. */
  readonly epoch: number;
  readonly #options: ResolvedOptions;
  readonly #random: () => number;
  #table: TimerTable | undefined;
  readonly #tracked = new Set<Promise<unknown>>();
  readonly #diagnostics = new Set<() => string | undefined>();
  #fatal: Error | undefined;
  #unhandled: unknown[] = [];
  #manual = 0;
  #teardown: (() => void) | undefined;
  #abandoned = false;

  /** @param options Seed, budgets, grace period, epoch (see ClockOptions). */
  constructor(options: ClockOptions = {}) {
    this.#options = resolveOptions(options);
    this.epoch = this.#options.epoch;
    this.#random = seededRandom(this.#options.seed);
  }

  /** Virtual milliseconds since the clock started. @returns Elapsed virtual ms. */
  now(): number {
    return this.#table ? this.#table.now() : 0;
  }

  /**
   * Sleeps `ms` of virtual time (through the global setTimeout, so it appears in the trace).
   *
   * @param ms Delay in virtual ms.
   * @returns A promise that resolves once the delay has passed.
   */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
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
      throw new RangeError(`clock.advance(ms) needs ms >= 0; received ${String(ms)}`);
    }
    const table = this.#table!;
    this.#manual++;
    try {
      const target = table.now() + ms + this.epoch;
      await realTurn();
      for (;;) {
        this.#throwIfFatal();
        const next = table.nextDue();
        if (next === undefined || next > target) break;
        table.fireNext();
        await realTurn();
      }
      table.tickTo(target);
      await realTurn();
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
   * Marks real asynchronous work (a Worker round-trip, real I/O) the clock must wait for instead
   * of declaring a deadlock. Virtual time does not move while tracked work is pending.
   *
   * @param work The promise of the real work.
   * @returns The same settlement as `work`.
   */
  track<T>(work: Promise<T>): Promise<T> {
    const p = Promise.resolve(work);
    const marker = p.then(() => {}, () => {});
    this.#tracked.add(marker);
    void marker.then(() => {
      this.#tracked.delete(marker);
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
   * Registers a reporter whose text is added to deadlock and runaway messages ("3 fetches in
   * flight: a, b, c"). Test-kit objects register themselves.
   *
   * @param report Returns a line describing what is waiting, or undefined for nothing.
   * @returns A function that unregisters it.
   */
  onDiagnose(report: () => string | undefined): () => void {
    this.#diagnostics.add(report);
    return () => this.#diagnostics.delete(report);
  }

  /** @internal Called by the global forwarders. */
  schedule(
    kind: TimerKind,
    cb: (...args: unknown[]) => void,
    delay: number,
    args: unknown[],
  ): unknown {
    return this.#table!.schedule(kind, cb, delay, args);
  }

  /** @internal Called by the global forwarders. */
  owns(handle: unknown): boolean {
    return this.#table?.owns(handle) ?? false;
  }

  /** @internal Called by the global forwarders. */
  clear(handle: unknown): void {
    this.#table?.clear(handle);
  }

  /** @internal Called by the global forwarders when a timer API escapes the clock. */
  escape(error: EscapedTimeError): void {
    this.#fatal ??= error;
  }

  #throwIfFatal(): void {
    if (this.#fatal) throw this.#fatal;
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
    result.catch(() => {});
    return result;
  }

  async #run<T>(body: (clock: VirtualClock) => T | Promise<T>): Promise<T> {
    if (running && bodyContext.getStore() === running) {
      throw new Error(
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
    const run = installRun(this, this.#options, this.#random, (reason) => {
      this.#unhandled.push(reason);
      run.table.activity++;
    });
    const table = run.table;
    this.#table = table;
    this.#teardown = () => {
      this.#teardown = undefined;
      if (running === this) running = undefined;
      run.uninstall(running === undefined);
    };
    try {
      const value = await drive(() => bodyContext.run(this, () => body(this)), {
        table,
        options: this.#options,
        tracked: this.#tracked,
        diagnostics: this.#diagnostics,
        unhandled: this.#unhandled,
        manual: () => this.#manual > 0,
        fatal: () => this.#fatal,
        abandoned: () => this.#abandoned,
      });
      // Rejections are reported after the microtask queue drains: give them two real turns.
      await realTurn();
      await realTurn();
      if (this.#unhandled.length) throw unhandledError(this.now(), this.#unhandled[0]);
      const leaks = this.pending().filter((t) => t.kind !== "AbortSignal.timeout");
      if (leaks.length && !this.#options.allowLeaks) throw leakError(this.now(), leaks);
      return value;
    } finally {
      this.#teardown?.();
    }
  }

  /** Stops a run that a newer run found still active. */
  #abandon(): void {
    this.#abandoned = true;
    this.#teardown?.();
  }
}

/**
 * The clock of the run in progress, if any. Test-kit objects use it to register diagnostics.
 *
 * @returns The running clock or undefined.
 */
export function currentClock(): VirtualClock | undefined {
  return running;
}
