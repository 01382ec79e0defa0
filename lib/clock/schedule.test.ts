// Schedules explored: a seed permutes every event due at one virtual instant (timeouts,
// intervals, immediates), records each choice that differs from creation order, and replays
// exactly. Seed 0 (or none) is creation order.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatSwap, lastRun, runWithClock, type ScheduleRecord } from "../mod.ts";
import { warmUpAndServe } from "./testdata/warmup.ts";

const SEEDS = Array.from({ length: 16 }, (_, i) => i + 1);

/**
 * Runs the creation-order-only code under `shuffle`; its result and the run's schedule. When the
 * loader runs last, the reads end the body while the loader's timer is still due at that instant:
 * not the point here (allowLeaks).
 */
function serve(shuffle: number | undefined) {
  return runWithClock(async (clock) => {
    const seen = await warmUpAndServe(3);
    return { seen, schedule: clock.schedule };
  }, shuffle === undefined ? { allowLeaks: true } : { shuffle, allowLeaks: true });
}

const allHello = (seen: string[]) => seen.every((s) => s === "hello");

describe("seeded schedules", () => {
  it("code right only in creation order passes with no seed and with seed 0", async () => {
    for (const shuffle of [undefined, 0]) {
      const { seen, schedule } = await serve(shuffle);
      assert.deepEqual(seen, ["hello", "hello", "hello"]);
      assert.deepEqual(schedule, { seed: 0, choices: 0, total: 0, swaps: [] });
    }
  });

  it("some seed among 1-16 catches it, and the swap names the instant and both timers' lines", async () => {
    const caught: { seed: number; schedule: ScheduleRecord }[] = [];
    for (const seed of SEEDS) {
      const { seen, schedule } = await serve(seed);
      assert.equal(schedule.seed, seed);
      if (!allHello(seen)) caught.push({ seed, schedule });
    }
    assert.ok(caught.length > 0, "no seed in 1-16 ran a read before the cache was loaded");
    const { schedule } = caught[0];
    const swap = schedule.swaps[0];
    assert.equal(swap.at, 100);
    assert.deepEqual([swap.ran.kind, swap.ran.delay], ["setTimeout", 40], "a reader's timer ran");
    assert.deepEqual([swap.aheadOf.kind, swap.aheadOf.delay], ["setTimeout", 50], "the loader's");
    assert.match(swap.ran.origin, /^lib\/clock\/testdata\/warmup\.ts:\d+$/);
    assert.match(swap.aheadOf.origin, /^lib\/clock\/testdata\/warmup\.ts:\d+$/);
    assert.match(
      formatSwap(swap),
      /^t=100 ms: setTimeout\(40 ms\) from lib\/clock\/testdata\/warmup\.ts:\d+ ran ahead of setTimeout\(50 ms\) from lib\/clock\/testdata\/warmup\.ts:\d+$/,
    );
  });

  it("a seed replays exactly: the same result and the same swaps", async () => {
    for (const seed of [3, 7, 12]) {
      const a = await serve(seed);
      const b = await serve(seed);
      assert.deepEqual(b, a, `seed ${seed} replays`);
    }
  });

  it("immediates and zero-delay timeouts of one instant are permuted together", async () => {
    const orders = new Set<string>();
    for (const seed of SEEDS) {
      const order = await runWithClock(async (clock) => {
        const log: string[] = [];
        setTimeout(() => log.push("timeout0"), 0);
        setImmediate(() => log.push("immediate"));
        await clock.sleep(1);
        return log.join(",");
      }, { shuffle: seed });
      orders.add(order);
    }
    assert.deepEqual([...orders].sort(), ["immediate,timeout0", "timeout0,immediate"]);
  });

  it("same-delay timers keep their creation order under every seed (the runtimes promise it)", async () => {
    for (const seed of SEEDS) {
      const order = await runWithClock(async (clock) => {
        const log: number[] = [];
        for (let i = 0; i < 4; i++) setTimeout(() => log.push(i), 100);
        await clock.sleep(100);
        return log.join(",");
      }, { shuffle: seed });
      assert.equal(order, "0,1,2,3");
    }
  });

  it("an interval's firing is permuted with a timeout due at the same instant", async () => {
    const orders = new Set<string>();
    for (const seed of SEEDS) {
      orders.add(
        await runWithClock(async (clock) => {
          const log: string[] = [];
          const id = setInterval(() => log.push(`interval@${clock.now()}`), 100);
          setTimeout(() => log.push(`timeout@${clock.now()}`), 200);
          await clock.sleep(250);
          clearInterval(id);
          return log.join(",");
        }, { shuffle: seed }),
      );
    }
    assert.deepEqual([...orders].sort(), [
      "interval@100,interval@200,timeout@200",
      "interval@100,timeout@200,interval@200",
    ]);
  });

  it("every microtask an event queues still runs before the next event, in any order", async () => {
    for (const seed of SEEDS) {
      const log = await runWithClock(async (clock) => {
        const log: string[] = [];
        const event = (name: string) => () => {
          log.push(name);
          void Promise.resolve().then(() => log.push(`${name}-micro`));
        };
        setTimeout(event("a"), 10);
        setTimeout(() => setTimeout(event("b"), 5), 5); // also due at t=10
        AbortSignal.timeout(10).addEventListener("abort", event("c"));
        await clock.sleep(20);
        return log;
      }, { shuffle: seed });
      for (let i = 0; i < log.length; i += 2) assert.equal(log[i + 1], `${log[i]}-micro`);
    }
  });

  it("lastRun() holds the last run's schedule for the harness", async () => {
    const { schedule } = await serve(5);
    const record = lastRun();
    assert.deepEqual(record?.schedule, schedule);
    assert.equal(record?.outcome, "ok");
    assert.equal(record?.virtualMs, 100);
  });

  it("shuffle rejects a seed that is not a 32-bit integer", async () => {
    await assert.rejects(runWithClock(() => {}, { shuffle: 1.5 }), {
      name: "RangeError",
      message: /'shuffle' must be a 32-bit integer seed; received 1\.5/,
    });
  });
});
