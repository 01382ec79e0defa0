// lastRun(): the record of the last finished run, handed out as a fresh copy; claimRecorder():
// the recorder belongs to the clock alone.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DeadlockError, runWithClock } from "../mod.ts";
import { claimRecorder, lastRun } from "./run_record.ts";

/** Runs `body` on a clock, ignoring how it ends; then the record it left. */
async function recordOf(
  body: Parameters<typeof runWithClock>[0],
  options?: Parameters<typeof runWithClock>[1],
) {
  await runWithClock(body, options).catch(() => undefined);
  const record = lastRun();
  assert.ok(record, "a finished run leaves a record");
  return record;
}

describe("lastRun()", () => {
  it("claimRecorder() refuses a second claim: the clock already holds the recorder", () => {
    assert.throws(() => claimRecorder(), {
      name: "Error",
      message: "the run recorder belongs to lib/clock/virtual_clock.ts",
    });
  });

  it("lastRun() after a run that succeeded: outcome ok, virtual ms, timers fired, no deadlock", async () => {
    const record = await recordOf(async (clock) => {
      await clock.sleep(100);
      await clock.sleep(150);
      setTimeout(() => {}, 10);
      await clock.sleep(20);
    });
    assert.deepEqual(record, {
      schedule: { seed: 0, choices: 0, total: 0, swaps: [] },
      tracked: false,
      virtualMs: 270,
      timersFired: 4,
      outcome: "ok",
    });
  });

  it("lastRun() of a run that fired nothing: 0 ms, 0 timers", async () => {
    const record = await recordOf(() => "done");
    assert.equal(record.virtualMs, 0);
    assert.equal(record.timersFired, 0);
    assert.equal(record.outcome, "ok");
  });

  it("lastRun() names the outcome after the error the body threw", async () => {
    const assertion = await recordOf(() => assert.equal(1, 2));
    assert.equal(assertion.outcome, "AssertionError");
    const custom = await recordOf(() => {
      throw Object.assign(new Error("slow"), { name: "TimeoutError" });
    });
    assert.equal(custom.outcome, "TimeoutError");
    const type = await recordOf(() => Promise.reject(new TypeError("bad")));
    assert.equal(type.outcome, "TypeError");
  });

  it("lastRun() calls a thrown value without a usable name an Error", async () => {
    const odd: unknown[] = [
      "a string",
      undefined,
      null,
      42,
      { name: "" },
      { name: 7 },
      {
        get name(): string {
          throw new Error("name getter throws");
        },
      },
    ];
    for (let i = 0; i < odd.length; i++) {
      const record = await recordOf(() => {
        throw odd[i];
      });
      assert.equal(record.outcome, "Error", `outcome for odd thrown value #${i}`);
    }
  });

  it("lastRun() of a deadlock holds its diagnosis as plain data", async () => {
    let error: unknown;
    await runWithClock(async (clock) => {
      clock.onDiagnose(() => "Queue: 1 getter waiting");
      await clock.sleep(40);
      await new Promise(() => {});
    }, { graceMs: 5 }).catch((e) => (error = e));
    assert.ok(error instanceof DeadlockError);
    const record = lastRun()!;
    assert.equal(record.outcome, "DeadlockError");
    assert.equal(record.virtualMs, 40);
    assert.deepEqual(record.deadlock, JSON.parse(JSON.stringify(error.diagnosis)));
    assert.deepEqual(record.deadlock?.details, ["Queue: 1 getter waiting"]);
  });

  it("lastRun() keeps the run's shuffle seed and whether tracking was on", async () => {
    const shuffled = await recordOf((clock) => clock.sleep(10), { shuffle: 3 });
    assert.equal(shuffled.schedule.seed, 3);
    assert.equal(shuffled.tracked, false);
    const tracked = await recordOf((clock) => clock.sleep(10), { track: true });
    assert.equal(tracked.tracked, true);
    assert.equal(tracked.schedule.seed, 0);
  });

  it("lastRun() hands out a fresh copy each time: changing one changes no later read", async () => {
    await recordOf((clock) => clock.sleep(5));
    const a = lastRun()!, b = lastRun()!;
    assert.notEqual(a, b);
    assert.notEqual(a.schedule, b.schedule);
    a.outcome = "forged";
    a.virtualMs = 0;
    a.schedule.swaps.push({} as never);
    assert.deepEqual(lastRun(), b);
    assert.equal(lastRun()!.outcome, "ok");
  });

  it("lastRun() is the latest run's record, replacing the one before", async () => {
    await recordOf((clock) => clock.sleep(500));
    assert.equal(lastRun()!.virtualMs, 500);
    await recordOf((clock) => clock.sleep(7));
    assert.equal(lastRun()!.virtualMs, 7);
  });
});
