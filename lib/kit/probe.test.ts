import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConcurrencyProbe, withClock } from "../mod.ts";

describe("ConcurrencyProbe", () => {
  it(
    "ConcurrencyProbe.wrap() records the peak and a virtual timeline",
    withClock(async (clock) => {
      const probe = new ConcurrencyProbe("fetches");
      const job = probe.wrap((ms: number) => clock.sleep(ms), (ms) => `job${ms}`);
      await Promise.all([job(100), job(300), job(200)]);
      assert.equal(probe.max, 3);
      assert.equal(probe.inFlight, 0);
      assert.deepEqual(probe.timeline.map((s) => [s.label, s.start, s.end, s.outcome]), [
        ["job100", 0, 100, "ok"],
        ["job300", 0, 300, "ok"],
        ["job200", 0, 200, "ok"],
      ]);
    }),
  );

  it(
    "ConcurrencyProbe.run() marks a failing unit as an error and rethrows",
    withClock(async () => {
      const probe = new ConcurrencyProbe();
      await assert.rejects(probe.run("bad", () => Promise.reject(new Error("x"))), /x/);
      assert.equal(probe.timeline[0].outcome, "error");
      assert.equal(probe.inFlight, 0);
    }),
  );

  it("ConcurrencyProbe.assertMaxAtMost() speaks the learner's terms", () => {
    const probe = new ConcurrencyProbe("fetches");
    for (let i = 0; i < 9; i++) probe.enter(`u${i}`);
    assert.throws(() => probe.assertMaxAtMost(5), {
      name: "AssertionError",
      message: /^at most 5 fetches may run at once; yours ran 9 \(at t=0 ms: u0, u1/,
    });
  });

  it("ConcurrencyProbe.assertMaxReached() fails when the limit is never used", () => {
    const probe = new ConcurrencyProbe("fetches");
    probe.enter("a")();
    probe.enter("b")();
    assert.throws(
      () => probe.assertMaxReached(5),
      /5 fetches should run at once while work is waiting; yours never ran more than 1/,
    );
  });
});
