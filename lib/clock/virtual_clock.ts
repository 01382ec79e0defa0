/**
 * The workbook's virtual clock: auto-advancing fake time over `@sinonjs/fake-timers`, with
 * deadlock, runaway, leak and unhandled-rejection detection, a trace of fired timers, tracked
 * real work and a seeded random source.
 *
 * The driver loop (see {@linkcode VirtualClock.run}) lets the program run until it is idle (one
 * real macrotask turn drains every microtask), then fires exactly one timer and repeats, like
 * Tokio's paused clock and Trio's autojump clock. Idle with no timer and no tracked work for
 * `graceMs` of real time is a deadlock.
 *
 * @module
 */
import FakeTimers from "@sinonjs/fake-timers";
import { real, realDelay, realTurn, runtimeName } from "./real.ts";
import { ESCAPE_HINT, setActiveHost, type TimerHost, timerId, type TimerKind } from "./globals.ts";
import {
  DeadlockError,
  type EscapedTimeError,
  type LeakedTimer,
  LeakedTimersError,
  RunawayError,
  UnhandledRejectionError,
} from "./errors.ts";
import { blame, captureError } from "./origin.ts";
import { AsyncLocalStorage } from "node:async_hooks";
import { seededRandom } from "../kit/random.ts";

// Capture sinon's view of the real globals before the forwarders replace them.
const timers = FakeTimers.withGlobal(globalThis);

/** 2030-01-01T00:00:00Z: a fixed, non-zero start, so `if (!lastFailureAt)` style bugs show. */
export const DEFAULT_EPOCH = Date.UTC(2030, 0, 1);

/** Options of one virtual-clock run. Every field is optional. */
export interface ClockOptions {
  /** Seed of `clock.random()` and of `Math.random` during the run. Default 1. */
  seed?: number;
  /**
   * Fire timers that fall due at the same instant in a seeded random order (timeouts and
   * immediates only), to expose code that works only by lucky ordering. `true` uses `seed`.
   * Default false.
   */
  shuffle?: boolean | number;
  /** Jump to the next timer whenever the program is idle. Default true. */
  autoAdvance?: boolean;
  /** At most this many timers may fire in one run. Default 100 000. */
  maxTimers?: number;
  /** Virtual-time budget in ms. Default 24 hours. */
  maxVirtualMs?: number;
  /** Real ms of idleness (no timer, no tracked work) before a deadlock is declared. Default 100. */
  graceMs?: number;
  /** Real-time watchdog for the whole run, in ms. Default 10 000. */
  maxRealMs?: number;
  /** Do not fail the run for timers left pending after the body settles. Default false. */
  allowLeaks?: boolean;
  /** `Date.now()` at virtual time 0. Default 2030-01-01T00:00:00Z. */
  epoch?: number;
}

/** One fired timer, as recorded in {@linkcode VirtualClock.trace}. */
export interface TraceEntry {
  /** Virtual ms since the clock started, when it fired. */
  at: number;
  kind: TimerKind;
  /** The delay it was created with. */
  delay: number;
  /** `file.ts:line` where it was created (first frame outside lib/ and node_modules/). */
  origin: string;
}

/** A timer that has not fired yet. */
export interface PendingTimer extends LeakedTimer {}

interface TimerRecord {
  id: number; // the user-facing handle's id (sinon's id of the slot it was created with)
  slot: number; // the sinon timer that will run it (differs from id after a shuffle swap)
  kind: TimerKind;
  delay: number;
  origin: Origin;
  cb: (...args: unknown[]) => void;
  args: unknown[];
}

/**
 * Where a timer was created, worked out only when someone asks (a trace, a leak, a runaway):
 * formatting a stack costs far more than capturing it, and most timers are never reported.
 */
class Origin {
  #error: Error | undefined;
  #text: string | undefined;
  constructor(error: Error) {
    this.#error = error;
  }
  toString(): string {
    if (this.#text === undefined) {
      this.#text = blame(this.#error?.stack);
      this.#error = undefined;
    }
    return this.#text;
  }
}

interface FiredTimer {
  at: number;
  kind: TimerKind;
  delay: number;
  origin: Origin;
}

let running: VirtualClock | undefined;
/** Which run's body the current async context belongs to: tells nesting from abandonment. */
const bodyContext = new AsyncLocalStorage<VirtualClock>();

/**
 * `WORKBOOK_CLOCK_REPORT=1` makes every run print one `##workbook-clock {...}` line (the bench
 * sums them). Under Deno the variable is read only when env access is already granted, so a
 * plain `deno test` never stops at a permission prompt.
 */
const reportEnabled = (() => {
  try {
    // deno-lint-ignore no-explicit-any
    const deno = (globalThis as any).Deno;
    if (deno?.permissions?.querySync) {
      const status = deno.permissions.querySync({ name: "env", variable: "WORKBOOK_CLOCK_REPORT" });
      if (status.state !== "granted") return false;
    }
    // deno-lint-ignore no-explicit-any
    return (globalThis as any).process?.env?.WORKBOOK_CLOCK_REPORT === "1";
  } catch {
    return false;
  }
})();

/**
 * The clock handed to a test body by {@linkcode runWithClock} / `withClock`.
 *
 * @example
 * ```ts
 * import { runWithClock } from "../mod.ts";
 * await runWithClock(async (clock) => {
 *   await clock.sleep(1500);
 *   clock.now(); // 1500
 * });
 * ```
 */
export class VirtualClock implements TimerHost {
  /** `Date.now()` at virtual time 0. */
  readonly epoch: number;
  readonly #options: Required<Omit<ClockOptions, "shuffle" | "epoch">>;
  readonly #shuffle: (() => number) | undefined;
  readonly #random: () => number;
  // deno-lint-ignore no-explicit-any
  #fake: any;
  readonly #records = new Map<number, TimerRecord>(); // by user-facing id
  readonly #bySlot = new Map<number, TimerRecord>(); // by the sinon timer that runs it
  readonly #handles = new WeakSet<object>();
  readonly #trace: FiredTimer[] = [];
  readonly #tracked = new Set<Promise<unknown>>();
  readonly #diagnostics = new Set<() => string | undefined>();
  #fatal: Error | undefined;
  #unhandled: unknown[] = [];
  #manual = 0;
  #fired = 0;
  #activity = 0;
  #teardown: (() => void) | undefined;
  #abandoned = false;

  constructor(options: ClockOptions = {}) {
    const o = options;
    const check = (name: string, v: unknown, min: number) => {
      if (v !== undefined && (typeof v !== "number" || !(v >= min))) {
        throw new RangeError(`Cannot create the virtual clock: '${name}' must be a number >= ${min}; received ${String(v)}`);
      }
    };
    check("maxTimers", o.maxTimers, 1);
    check("maxVirtualMs", o.maxVirtualMs, 0);
    check("graceMs", o.graceMs, 0);
    check("maxRealMs", o.maxRealMs, 1);
    check("epoch", o.epoch, 1);
    this.epoch = o.epoch ?? DEFAULT_EPOCH;
    this.#options = {
      seed: o.seed ?? 1,
      autoAdvance: o.autoAdvance ?? true,
      maxTimers: o.maxTimers ?? 100_000,
      maxVirtualMs: o.maxVirtualMs ?? 86_400_000,
      graceMs: o.graceMs ?? 100,
      maxRealMs: o.maxRealMs ?? 10_000,
      allowLeaks: o.allowLeaks ?? false,
    };
    this.#random = seededRandom(this.#options.seed);
    const shuffleSeed = o.shuffle === true ? this.#options.seed : o.shuffle;
    this.#shuffle = typeof shuffleSeed === "number" ? seededRandom(shuffleSeed ^ 0x5bd1e995) : undefined;
  }

  /**
   * Virtual milliseconds since the clock started.
   *
   * @returns Elapsed virtual time in ms.
   *
   * @example
   * ```ts
   * import { runWithClock } from "../mod.ts";
   * await runWithClock(async (clock) => { await clock.sleep(10); return clock.now(); }); // 10
   * ```
   */
  now(): number {
    return this.#fake ? this.#fake.now - this.epoch : 0;
  }

  /**
   * Sleeps `ms` of virtual time (through the global setTimeout, so it appears in the trace).
   *
   * @param ms Delay in virtual ms.
   * @returns A promise that resolves once the delay has passed.
   *
   * @example
   * ```ts
   * import { runWithClock } from "../mod.ts";
   * await runWithClock((clock) => clock.sleep(2000));
   * ```
   */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /**
   * Lets the program run until it is idle (every microtask and pending real turn has run)
   * without moving virtual time. Use it to look at state "right now".
   *
   * @returns A promise that resolves once the program is idle.
   *
   * @example
   * ```ts
   * import { runWithClock } from "../mod.ts";
   * await runWithClock(async (clock) => {
   *   let done = false;
   *   void Promise.resolve().then(() => (done = true));
   *   await clock.flush();
   *   return done; // true
   * });
   * ```
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
   *
   * @example
   * ```ts
   * import { runWithClock } from "../mod.ts";
   * await runWithClock(async (clock) => {
   *   let fired = false;
   *   setTimeout(() => (fired = true), 100);
   *   await clock.advance(100);
   *   return fired; // true
   * });
   * ```
   */
  async advance(ms: number): Promise<void> {
    if (typeof ms !== "number" || !(ms >= 0)) {
      throw new RangeError(`clock.advance(ms) needs ms >= 0; received ${String(ms)}`);
    }
    this.#manual++;
    try {
      const target = this.#fake.now + ms;
      await realTurn();
      for (;;) {
        this.#throwIfFatal();
        const next = this.#nextDue();
        if (next === undefined || next > target) break;
        this.#fireNext();
        await realTurn();
      }
      if (this.#fake.now < target) this.#fake.tick(target - this.#fake.now);
      await realTurn();
    } finally {
      this.#manual--;
    }
  }

  /**
   * Timers not yet fired, in firing order.
   *
   * @returns A snapshot of the pending timers.
   *
   * @example
   * ```ts
   * import { runWithClock } from "../mod.ts";
   * await runWithClock((clock) => {
   *   const t = setTimeout(() => {}, 50);
   *   const due = clock.pending()[0].dueAt; // 50
   *   clearTimeout(t);
   * });
   * ```
   */
  pending(): PendingTimer[] {
    const list: PendingTimer[] = [];
    for (const r of this.#records.values()) {
      const timer = this.#fake?.timers?.get(r.slot);
      if (!timer) continue;
      list.push({ kind: r.kind, delay: r.delay, dueAt: timer.callAt - this.epoch, origin: String(r.origin) });
    }
    return list.sort((a, b) => a.dueAt - b.dueAt);
  }

  /**
   * Every timer fired so far, in order: `{ at, kind, delay, origin }`.
   *
   * @returns The trace (a copy).
   *
   * @example
   * ```ts
   * import { runWithClock } from "../mod.ts";
   * await runWithClock(async (clock) => {
   *   await clock.sleep(100);
   *   return clock.trace.map((t) => t.at); // [100]
   * });
   * ```
   */
  get trace(): TraceEntry[] {
    return this.#trace.map((t) => ({ at: t.at, kind: t.kind, delay: t.delay, origin: String(t.origin) }));
  }

  /** How many timers have fired in this run. */
  get timersFired(): number {
    return this.#fired;
  }

  /**
   * Marks real asynchronous work (a Worker round-trip, real I/O) the clock must wait for instead
   * of declaring a deadlock. Virtual time does not move while tracked work is pending.
   *
   * @param work The promise of the real work.
   * @returns The same settlement as `work`.
   *
   * @example
   * ```ts
   * import { runWithClock } from "../mod.ts";
   * await runWithClock((clock) => clock.track(new Promise((r) => queueMicrotask(() => r(1)))));
   * ```
   */
  track<T>(work: Promise<T>): Promise<T> {
    const p = Promise.resolve(work);
    const marker = p.then(() => {}, () => {});
    this.#tracked.add(marker);
    void marker.then(() => {
      this.#tracked.delete(marker);
      this.#activity++;
    });
    return p;
  }

  /**
   * A seeded random number in [0, 1): the same sequence on every run and both runtimes.
   * `Math.random` is seeded the same way while the clock runs.
   *
   * @returns A pseudo-random number.
   *
   * @example
   * ```ts
   * import { runWithClock } from "../mod.ts";
   * await runWithClock((clock) => clock.random());
   * ```
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
   *
   * @example
   * ```ts
   * import { runWithClock } from "../mod.ts";
   * await runWithClock((clock) => { clock.onDiagnose(() => "2 consumers wait on the queue"); });
   * ```
   */
  onDiagnose(report: () => string | undefined): () => void {
    this.#diagnostics.add(report);
    return () => this.#diagnostics.delete(report);
  }

  // ---- TimerHost: called by the global forwarders ----

  /** @internal */
  schedule(kind: TimerKind, cb: (...args: unknown[]) => void, delay: number, args: unknown[]): unknown {
    const normalized = Math.max(0, Number(delay) || 0);
    const origin = new Origin(captureError());
    let handle: unknown;
    const slotCallback = () => this.#onSlotFired(slotId);
    if (kind === "setInterval") handle = this.#fake.setInterval(slotCallback, normalized);
    else if (kind === "setImmediate") handle = this.#fake.setImmediate(slotCallback);
    else handle = this.#fake.setTimeout(slotCallback, normalized);
    const slotId = timerId(handle);
    if (typeof handle === "object" && handle !== null) this.#handles.add(handle);
    const record: TimerRecord = { id: slotId, slot: slotId, kind, delay: normalized, origin, cb, args };
    this.#records.set(slotId, record);
    this.#bySlot.set(slotId, record);
    this.#activity++;
    return handle;
  }

  /** @internal */
  owns(handle: unknown): boolean {
    if (typeof handle === "object" && handle !== null) return this.#handles.has(handle);
    return this.#records.has(timerId(handle));
  }

  /** @internal */
  clear(handle: unknown): void {
    const record = this.#records.get(timerId(handle));
    if (!record) return;
    this.#records.delete(record.id);
    this.#bySlot.delete(record.slot);
    if (record.kind === "setInterval") this.#fake.clearInterval(record.slot);
    else if (record.kind === "setImmediate") this.#fake.clearImmediate(record.slot);
    else this.#fake.clearTimeout(record.slot);
    this.#activity++;
  }

  /** @internal */
  escape(error: EscapedTimeError): void {
    this.#fatal ??= error;
  }

  #onSlotFired(slotId: number): void {
    let record = this.#bySlot.get(slotId);
    if (!record) return;
    if (this.#shuffle && record.kind !== "setInterval") record = this.#pickSameInstant(record);
    const now = this.now();
    this.#trace.push({ at: now, kind: record.kind, delay: record.delay, origin: record.origin });
    if (record.kind !== "setInterval") {
      this.#records.delete(record.id);
      this.#bySlot.delete(record.slot);
    }
    record.cb(...record.args);
  }

  /** Seeded perturbation: run a random timer among those due now, and move `record` to its slot. */
  #pickSameInstant(record: TimerRecord): TimerRecord {
    const nowAbs = this.#fake.now;
    const candidates = [record];
    for (const r of this.#bySlot.values()) {
      if (r === record || r.kind !== record.kind) continue;
      if (this.#fake.timers?.get(r.slot)?.callAt === nowAbs) candidates.push(r);
    }
    if (candidates.length === 1) return record;
    const chosen = candidates[Math.floor(this.#shuffle!() * candidates.length)];
    if (chosen === record) return record;
    const slot = record.slot;
    record.slot = chosen.slot;
    chosen.slot = slot;
    this.#bySlot.set(record.slot, record);
    this.#bySlot.set(chosen.slot, chosen);
    return chosen;
  }

  #nextDue(): number | undefined {
    let min: number | undefined;
    for (const timer of this.#fake.timers?.values() ?? []) {
      if (min === undefined || timer.callAt < min) min = timer.callAt;
    }
    return min;
  }

  #fireNext(): void {
    const due = this.#nextDue();
    if (due !== undefined && due - this.epoch > this.#options.maxVirtualMs) {
      throw new RunawayError(
        `virtual-time budget exceeded: the next timer is due at t=${due - this.epoch} ms, past ` +
          `the budget of ${this.#options.maxVirtualMs} ms. ${this.#busiest()}`,
      );
    }
    if (this.#fired >= this.#options.maxTimers) {
      throw new RunawayError(
        `runaway: ${this.#fired} timers fired by t=${this.now()} ms and they keep coming ` +
          `(an interval nobody stops, or a loop of zero-delay timers?). ${this.#busiest()}`,
      );
    }
    this.#fired++;
    // A callback that throws propagates from next(): at runtime that is an uncaught exception,
    // so it fails the run.
    this.#fake.next();
  }

  #busiest(): string {
    const counts = new Map<string, number>();
    for (const t of this.#trace.slice(-1000)) {
      const key = `${t.kind}(${t.delay}) at ${t.origin}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const top = [...counts].sort((a, b) => b[1] - a[1])[0];
    return top ? `Most frequent recent timer: ${top[0]} (${top[1]} of the last ${Math.min(1000, this.#trace.length)}).` : "";
  }

  #throwIfFatal(): void {
    if (this.#fatal) throw this.#fatal;
  }

  #diagnose(): string {
    const lines = [...this.#diagnostics].map((d) => {
      try {
        return d();
      } catch {
        return undefined;
      }
    }).filter((x): x is string => !!x);
    return lines.length ? ` What is waiting: ${lines.join("; ")}.` : "";
  }

  /**
   * Runs `body` on this clock: installs it, drives virtual time until the body settles, checks
   * for leaks and unhandled rejections, and uninstalls it. Use {@linkcode runWithClock} or
   * `withClock` rather than calling this directly.
   *
   * @param body The test body.
   * @returns What the body returned.
   *
   * @example
   * ```ts
   * import { VirtualClock } from "../mod.ts";
   * await new VirtualClock().run((clock) => clock.sleep(5));
   * ```
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
    const toFake = ["Date", "performance", "Intl"];
    // deno-lint-ignore no-explicit-any
    if ((globalThis as any).Temporal) toFake.push("Temporal");
    this.#fake = timers.install({ now: this.epoch, toFake: toFake as never[], loopLimit: this.#options.maxTimers });
    const restoreRandom = Math.random;
    Math.random = this.#random;
    const stopListening = this.#listenForUnhandled();
    setActiveHost(this);
    this.#teardown = () => {
      this.#teardown = undefined;
      if (running === this) {
        setActiveHost(undefined);
        running = undefined;
      }
      stopListening();
      Math.random = restoreRandom;
      if (reportEnabled) {
        console.log(`##workbook-clock ${JSON.stringify({ virtualMs: this.now(), timers: this.#fired })}`);
      }
      this.#records.clear();
      this.#bySlot.clear();
      this.#fake.reset();
      this.#fake.uninstall();
    };
    try {
      const value = await this.#drive(body);
      // Rejections are reported after the microtask queue drains: give them two real turns.
      await realTurn();
      await realTurn();
      if (this.#unhandled.length) throw this.#unhandledError();
      const leaks = this.pending().filter((t) => t.kind !== "AbortSignal.timeout");
      if (leaks.length && !this.#options.allowLeaks) throw this.#leakError(leaks);
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

  async #drive<T>(body: (clock: VirtualClock) => T | Promise<T>): Promise<T> {
    let state: "pending" | "ok" | "error" = "pending";
    let value: T | undefined;
    let error: unknown;
    Promise.resolve()
      .then(() => bodyContext.run(this, () => body(this)))
      .then((v) => {
        state = "ok";
        value = v;
      }, (e) => {
        state = "error";
        error = e;
      });
    const startedReal = real.perfNow();
    let idleSince: number | undefined;
    let idleActivity = -1;
    for (;;) {
      await realTurn();
      if (this.#abandoned) await new Promise<never>(() => {});
      this.#throwIfFatal();
      if (state !== "pending") break;
      if (this.#unhandled.length) throw this.#unhandledError();
      if (real.perfNow() - startedReal > this.#options.maxRealMs) {
        throw new RunawayError(
          `real-time watchdog: the test ran for more than ${this.#options.maxRealMs} ms of real ` +
            `time (virtual t=${this.now()} ms, ${this.#fired} timers fired).${this.#diagnose()}`,
        );
      }
      if (this.#manual > 0) continue;
      if (this.#tracked.size > 0) {
        idleSince = undefined;
        await Promise.race([...this.#tracked, realDelay(20)]);
        continue;
      }
      const hasTimers = (this.#fake.timers?.size ?? 0) > 0;
      if (!hasTimers || !this.#options.autoAdvance) {
        if (idleSince === undefined || idleActivity !== this.#activity) {
          idleSince = real.perfNow();
          idleActivity = this.#activity;
        } else if (real.perfNow() - idleSince >= this.#options.graceMs) {
          throw this.#deadlockError(hasTimers);
        }
        await realDelay(1);
        continue;
      }
      idleSince = undefined;
      this.#fireNext();
    }
    if (state === "error") throw error;
    return value as T;
  }

  #deadlockError(hasTimers: boolean): DeadlockError {
    const t = this.now();
    const why = hasTimers
      ? `the clock is paused (autoAdvance: false) and the test waits: call clock.advance(ms)`
      : `the test is still waiting, but no timer is pending and no tracked work is running, so ` +
        `nothing can ever wake it. Something awaits a promise nobody will settle: a lost ` +
        `wake-up, a missing sentinel, a lock or permit never released, or a deadlock between ` +
        `tasks waiting on each other.`;
    return new DeadlockError(`deadlock at t=${t} ms: ${why}${this.#diagnose()} ${ESCAPE_HINT}`, t);
  }

  #leakError(leaks: PendingTimer[]): LeakedTimersError {
    const list = leaks.slice(0, 10).map((l) =>
      `${l.kind}(${l.delay} ms) due at t=${l.dueAt} ms, created at ${l.origin}`
    ).join("; ");
    const more = leaks.length > 10 ? ` and ${leaks.length - 10} more` : "";
    return new LeakedTimersError(
      `${leaks.length} timer${leaks.length === 1 ? "" : "s"} still pending after the test ` +
        `finished at t=${this.now()} ms: ${list}${more}. Clear timers you no longer need ` +
        `(clearTimeout in a finally, or abort the task that owns them).`,
      leaks,
    );
  }

  #unhandledError(): UnhandledRejectionError {
    const reason = this.#unhandled[0];
    const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    return new UnhandledRejectionError(
      `unhandled rejection at t=${this.now()} ms: ${text}. A promise rejected while nobody was ` +
        `awaiting it: await every task you start, or attach .catch() to it.`,
      reason,
    );
  }

  #listenForUnhandled(): () => void {
    const onEvent = (event: Event) => {
      const e = event as PromiseRejectionEvent;
      e.preventDefault();
      this.#unhandled.push(e.reason);
      this.#activity++;
    };
    const onProcess = (reason: unknown) => {
      this.#unhandled.push(reason);
      this.#activity++;
    };
    // deno-lint-ignore no-explicit-any
    const proc = (globalThis as any).process;
    if (runtimeName === "deno") globalThis.addEventListener("unhandledrejection", onEvent);
    else proc?.on?.("unhandledRejection", onProcess);
    return () => {
      if (runtimeName === "deno") globalThis.removeEventListener("unhandledrejection", onEvent);
      else proc?.off?.("unhandledRejection", onProcess);
    };
  }
}

/**
 * The clock of the run in progress, if any. Test-kit objects use it to register diagnostics.
 *
 * @returns The running clock or undefined.
 *
 * @example
 * ```ts
 * import { currentClock } from "../mod.ts";
 * currentClock() === undefined; // true outside withClock
 * ```
 */
export function currentClock(): VirtualClock | undefined {
  return running;
}
