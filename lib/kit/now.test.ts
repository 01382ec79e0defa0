// virtualNow(): the running clock's ms since its start, or 0 when no clock runs.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runWithClock, withClock } from "../mod.ts";
import { virtualNow } from "./now.ts";

describe("virtualNow()", () => {
  it("virtualNow() is 0 when no clock runs", () => {
    assert.equal(virtualNow(), 0);
  });

  it(
    "virtualNow() is 0 at the start of a run, whatever the epoch",
    withClock({ epoch: Date.UTC(2001, 0, 1) }, () => {
      assert.equal(virtualNow(), 0);
      assert.equal(Date.now(), Date.UTC(2001, 0, 1), "Date.now() is the epoch, virtualNow() is 0");
    }),
  );

  it(
    "virtualNow() follows virtual time through sleeps and equals clock.now()",
    withClock(async (clock) => {
      await clock.sleep(1500);
      assert.equal(virtualNow(), 1500);
      await clock.sleep(2);
      assert.equal(virtualNow(), clock.now());
      assert.equal(virtualNow(), 1502);
    }),
  );

  it(
    "virtualNow() inside a timer callback is that timer's due time",
    withClock(async (clock) => {
      const seen: number[] = [];
      setTimeout(() => seen.push(virtualNow()), 40);
      setTimeout(() => seen.push(virtualNow()), 10);
      await clock.sleep(50);
      assert.deepEqual(seen, [10, 40]);
    }),
  );

  it(
    "virtualNow() moves only in whole ms under clock.advance(), the fraction carried over",
    withClock({ autoAdvance: false }, async (clock) => {
      await clock.advance(0.5);
      assert.equal(virtualNow(), 0);
      await clock.advance(0.5);
      assert.equal(virtualNow(), 1);
      await clock.advance(250);
      assert.equal(virtualNow(), 251);
    }),
  );

  it("virtualNow() is 0 again once the run has finished", async () => {
    const inside = await runWithClock(async (clock) => {
      await clock.sleep(300);
      return virtualNow();
    });
    assert.equal(inside, 300);
    assert.equal(virtualNow(), 0, "no clock runs after runWithClock() resolved");
  });

  it("virtualNow() reads each run's own clock: a second run starts again at 0", async () => {
    await runWithClock((clock) => clock.sleep(700));
    const second = await runWithClock(async (clock) => {
      const start = virtualNow();
      await clock.sleep(5);
      return [start, virtualNow()];
    });
    assert.deepEqual(second, [0, 5]);
  });
});
