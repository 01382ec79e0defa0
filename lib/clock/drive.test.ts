// drive() and advanceBy(): the driver loop on a hand-built state, without a VirtualClock.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DeadlockError, RunawayError, UnhandledRejectionError } from "../mod.ts";
import { advanceBy, drive, type DriveState } from "./drive.ts";
import { type ClockOptions, resolveOptions } from "./options.ts";
import { real } from "./real.ts";
import { TimerTable } from "./timer_table.ts";

const EPOCH = 5_000;

/** A driver state with a fresh table; `over` replaces any field. */
function state(options: ClockOptions = {}, over: Partial<DriveState> = {}): DriveState {
  const resolved = resolveOptions({ graceMs: 5, ...options });
  return {
    table: new TimerTable(EPOCH, { ...resolved, shuffleSeed: undefined }),
    options: resolved,
    tracked: new Set(),
    diagnostics: [],
    stuck: () => undefined,
    unhandled: [],
    manual: () => false,
    fatal: () => undefined,
    abandoned: () => false,
    ...over,
  };
}
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);
const after = (table: TimerTable, ms: number) =>
  new Promise<void>((resolve) => table.schedule("setTimeout", () => resolve(), ms, []));

describe("drive()", () => {
  it("drive() resolves with what start() returns, firing nothing when nothing is due", async () => {
    const s = state();
    assert.equal(await drive(() => "value", s), "value");
    assert.deepEqual([s.table.now(), s.table.fired], [0, 0]);
  });

  it("drive() calls start() in a microtask, not synchronously", async () => {
    let started = false;
    const run = drive(() => (started = true), state());
    assert.equal(started, false);
    assert.equal(await run, true);
  });

  it("drive() jumps from timer to timer while the body waits, ending at the last one's time", async () => {
    const s = state();
    const value = await drive(async () => {
      await after(s.table, 1000);
      await after(s.table, 500);
      return s.table.now();
    }, s);
    assert.equal(value, 1500);
    assert.equal(s.table.fired, 2);
  });

  it("drive() fires one timer at a time, running its microtasks before the next", async () => {
    const s = state();
    const order: string[] = [];
    await drive(async () => {
      s.table.schedule(
        "setTimeout",
        () => {
          order.push("a");
          void Promise.resolve().then(() => order.push("micro-after-a"));
        },
        10,
        [],
      );
      s.table.schedule("setTimeout", () => order.push("b"), 10, []);
      await after(s.table, 10);
    }, s);
    assert.deepEqual(order, ["a", "micro-after-a", "b"]);
  });

  it("drive() rejects with the body's error, thrown or rejected", async () => {
    const boom = new Error("boom");
    assert.equal(
      await failure(drive(() => {
        throw boom;
      }, state())),
      boom,
    );
    assert.equal(await failure(drive(() => Promise.reject(boom), state())), boom);
  });

  it("drive() calls a body nothing can wake a DeadlockError, with the describers' lines", async () => {
    const s = state({}, { diagnostics: [() => "Queue: 1 getter waiting"] });
    const error = await failure(drive(async () => {
      await after(s.table, 75);
      await new Promise(() => {});
    }, s));
    assert.ok(error instanceof DeadlockError, `expected a DeadlockError, got ${error}`);
    assert.equal(error.at, 75);
    assert.deepEqual(error.diagnosis.details, ["Queue: 1 getter waiting"]);
    assert.match(error.message, /^deadlock at t=75 ms: Queue: 1 getter waiting\. Nothing can wake/);
  });

  it("drive() with autoAdvance off fires nothing by itself and says the clock is paused", async () => {
    const s = state({ autoAdvance: false });
    const error = await failure(drive(() => after(s.table, 10), s));
    assert.ok(error instanceof DeadlockError);
    assert.match(error.message, /the clock is paused \(autoAdvance: false\)/);
    assert.equal(s.table.fired, 0);
  });

  it("drive() waits for tracked real work instead of calling it a deadlock", async () => {
    const s = state();
    const work = new Promise<string>((resolve) => real.setTimeout(() => resolve("real"), 30));
    s.tracked.add(work);
    void work.then(() => s.tracked.delete(work));
    assert.equal(await drive(() => work, s), "real");
  });

  it("drive() reports the first unhandled rejection heard while the body runs", async () => {
    const reason = new Error("lost");
    const s = state({}, { unhandled: [reason, new Error("second")] });
    const error = await failure(drive(() => new Promise(() => {}), s));
    assert.ok(error instanceof UnhandledRejectionError);
    assert.equal(error.reason, reason);
  });

  it("drive() throws the run's fatal error (an escaped timer) at the next turn", async () => {
    const fatal = new Error("escaped");
    const s = state({}, { fatal: () => fatal });
    assert.equal(await failure(drive(() => new Promise(() => {}), s)), fatal);
  });

  it("drive() stops a run past maxRealMs with the real-time watchdog", async () => {
    const s = state({ maxRealMs: 1, graceMs: 10_000 }, { diagnostics: [() => "stuck here"] });
    const error = await failure(drive(() => new Promise(() => {}), s));
    assert.ok(error instanceof RunawayError, `expected a RunawayError, got ${error}`);
    assert.match(
      error.message,
      /^real-time watchdog: the test ran for more than 1 ms of real time \(virtual t=0 ms, 0 timers fired\)\. What is waiting: stuck here\.$/,
    );
  });

  it("drive() lets a runaway limit of the table end the run", async () => {
    const s = state({ maxTimers: 3 });
    s.table.schedule("setInterval", () => {}, 10, []);
    const error = await failure(drive(() => new Promise(() => {}), s));
    assert.ok(error instanceof RunawayError);
    assert.match(error.message, /^runaway: 3 timers fired by t=30 ms/);
  });
});

describe("advanceBy()", () => {
  it("advanceBy() fires every timer due within ms, microtasks between, then moves to the target", async () => {
    const table = new TimerTable(EPOCH, {
      maxTimers: 100,
      maxVirtualMs: 1e9,
      shuffleSeed: undefined,
    });
    const order: string[] = [];
    for (const ms of [30, 10, 20]) {
      table.schedule(
        "setTimeout",
        () => {
          order.push(`t${ms}`);
          queueMicrotask(() => order.push(`micro${ms}`));
        },
        ms,
        [],
      );
    }
    await advanceBy(table, 25, () => undefined);
    assert.deepEqual(order, ["t10", "micro10", "t20", "micro20"]);
    assert.equal(table.now(), 25);
    assert.deepEqual(table.pending().map((p) => p.dueAt), [30]);
    await advanceBy(table, 5, () => undefined);
    assert.deepEqual(order.slice(4), ["t30", "micro30"], "a timer due exactly at the target fires");
  });

  it("advanceBy(0) fires what is due now and leaves time alone", async () => {
    const table = new TimerTable(EPOCH, {
      maxTimers: 100,
      maxVirtualMs: 1e9,
      shuffleSeed: undefined,
    });
    let fired = 0;
    table.schedule("setTimeout", () => fired++, 0, []);
    table.schedule("setTimeout", () => fired++, 1, []);
    await advanceBy(table, 0, () => undefined);
    assert.deepEqual([fired, table.now()], [1, 0]);
  });

  it("advanceBy() throws the run's fatal error before firing anything", async () => {
    const table = new TimerTable(EPOCH, {
      maxTimers: 100,
      maxVirtualMs: 1e9,
      shuffleSeed: undefined,
    });
    let fired = false;
    table.schedule("setTimeout", () => (fired = true), 1, []);
    const fatal = new Error("escaped");
    assert.equal(await failure(advanceBy(table, 10, () => fatal)), fatal);
    assert.equal(fired, false);
  });
});
