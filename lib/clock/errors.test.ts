// The clock's error classes: distinct names (the grader classifies failures by them) and the
// data each carries.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runWithClock } from "../mod.ts";
import {
  type DeadlockDiagnosis,
  DeadlockError,
  EscapedTimeError,
  LeakedTimersError,
  RunawayError,
  UnhandledRejectionError,
} from "./errors.ts";

const failure = (run: Promise<unknown>) => run.then(() => undefined, (e: unknown) => e);

describe("clock errors", () => {
  it("each clock error is an Error with its own name, shown by toString()", () => {
    const errors: [Error, string][] = [
      [new DeadlockError("d", 0), "DeadlockError"],
      [new RunawayError("r"), "RunawayError"],
      [new LeakedTimersError("l", []), "LeakedTimersError"],
      [new UnhandledRejectionError("u", undefined), "UnhandledRejectionError"],
      [new EscapedTimeError("e"), "EscapedTimeError"],
    ];
    for (const [error, name] of errors) {
      assert.ok(error instanceof Error, `${name} extends Error`);
      assert.equal(error.name, name);
      assert.equal(String(error), `${name}: ${error.message}`);
    }
    assert.equal(new Set(errors.map(([e]) => e.constructor)).size, 5, "five distinct classes");
    assert.ok(!(new RunawayError("r") instanceof DeadlockError), "no class extends another");
  });

  it("DeadlockError without a diagnosis gets an empty, untracked one at its time", () => {
    const error = new DeadlockError("deadlock at t=250 ms", 250);
    assert.equal(error.message, "deadlock at t=250 ms");
    assert.equal(error.at, 250);
    assert.deepEqual(error.diagnosis, {
      at: 250,
      waits: [],
      details: [],
      tracked: false,
      unsettled: 0,
      located: 0,
    });
    assert.equal(error.advice, "", "no advice unless given");
  });

  it("DeadlockError keeps the diagnosis and advice it is given, and the diagnosis survives JSON", () => {
    const diagnosis: DeadlockDiagnosis = {
      at: 100,
      waits: [
        { site: "a.ts:3", fn: "Lock.acquire", count: 2, since: 0, awaitedAt: ["a.ts:9"] },
      ],
      details: ["Lock: free, 2 waiting"],
      tracked: true,
      unsettled: 3,
      located: 3,
    };
    const error = new DeadlockError("m", 100, diagnosis, "what a deadlock is");
    assert.equal(error.diagnosis, diagnosis);
    assert.equal(error.advice, "what a deadlock is");
    assert.deepEqual(JSON.parse(JSON.stringify(error.diagnosis)), diagnosis);
  });

  it("LeakedTimersError carries the pending timers it names", () => {
    const timers = [{ kind: "setTimeout", delay: 5000, dueAt: 5000, origin: "x.ts:4" }];
    const error = new LeakedTimersError("1 timer still pending", timers);
    assert.equal(error.message, "1 timer still pending");
    assert.equal(error.timers, timers);
  });

  it("UnhandledRejectionError carries the lost reason as reason and cause, by identity", () => {
    const reason = new TypeError("lost");
    const error = new UnhandledRejectionError("unhandled rejection", reason);
    assert.equal(error.reason, reason);
    assert.equal(error.cause, reason);
    const plain = new UnhandledRejectionError("u", 42);
    assert.equal(plain.reason, 42);
    assert.equal(plain.cause, 42);
  });

  it("DeadlockError is what a run that awaits forever rejects with", async () => {
    const error = await failure(runWithClock(async (clock) => {
      await clock.sleep(30);
      await new Promise(() => {});
    }, { graceMs: 5 }));
    assert.ok(error instanceof DeadlockError, `expected a DeadlockError, got ${error}`);
    assert.equal(error.at, 30);
    assert.equal(error.diagnosis.at, 30);
    assert.notEqual(error.advice, "", "the clock gives the general advice");
  });

  it("RunawayError is what an interval nobody stops rejects with", async () => {
    const error = await failure(runWithClock(async () => {
      setInterval(() => {}, 10);
      await new Promise(() => {});
    }, { maxTimers: 100 }));
    assert.ok(error instanceof RunawayError, `expected a RunawayError, got ${error}`);
    assert.match(error.message, /^runaway: 100 timers fired by t=1000 ms/);
  });

  it("LeakedTimersError is what a run leaving a timer behind rejects with, due time in timers", async () => {
    const error = await failure(runWithClock(() => {
      setTimeout(() => {}, 5000);
    }));
    assert.ok(error instanceof LeakedTimersError, `expected a LeakedTimersError, got ${error}`);
    assert.deepEqual(error.timers.map((t) => [t.kind, t.delay, t.dueAt]), [
      ["setTimeout", 5000, 5000],
    ]);
    assert.match(error.timers[0].origin, /^lib\/clock\/errors\.test\.ts:\d+$/);
  });
});
