// Same program, same timeline: across runs, across runtimes, and under seeded perturbation.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runWithClock, type TraceEntry, type VirtualClock } from "../mod.ts";

/** A small workload with retries, jitter, an interval and same-deadline timers. */
async function workload(clock: VirtualClock): Promise<string[]> {
  const log: string[] = [];
  const worker = async (name: string, delays: number[]) => {
    for (const d of delays) {
      await clock.sleep(d + Math.floor(Math.random() * 10)); // jitter from the seeded Math.random
      log.push(`${name}@${clock.now()}`);
    }
  };
  const ticks = setInterval(() => log.push(`tick@${clock.now()}`), 150);
  await Promise.all([
    worker("a", [100, 200, 400]),
    worker("b", [50, 50, 300]),
    worker("c", [100, 100]),
  ]);
  clearInterval(ticks);
  return log;
}

const compact = (trace: TraceEntry[]) =>
  trace.map((t) => `${t.at}:${t.kind}:${t.delay}:${t.origin}`);

// Written once from a run and checked on both runtimes: a change here means a runtime or the
// clock changed timer ordering.
const GOLDEN_TRACE = [
  "50:setTimeout:50:lib/clock/determinism.test.ts:11",
  "105:setTimeout:105:lib/clock/determinism.test.ts:11",
  "106:setTimeout:106:lib/clock/determinism.test.ts:11",
  "109:setTimeout:59:lib/clock/determinism.test.ts:11",
  "150:setInterval:150:lib/clock/determinism.test.ts:15",
  "214:setTimeout:109:lib/clock/determinism.test.ts:11",
  "300:setInterval:150:lib/clock/determinism.test.ts:15",
  "308:setTimeout:202:lib/clock/determinism.test.ts:11",
  "415:setTimeout:306:lib/clock/determinism.test.ts:11",
  "450:setInterval:150:lib/clock/determinism.test.ts:15",
  "600:setInterval:150:lib/clock/determinism.test.ts:15",
  "715:setTimeout:407:lib/clock/determinism.test.ts:11",
];

describe("virtual clock determinism", () => {
  it("runWithClock() gives the same trace and log on every run", async () => {
    const runs = [];
    for (let i = 0; i < 3; i++) {
      runs.push(
        await runWithClock(async (clock) => ({
          log: await workload(clock),
          trace: compact(clock.trace),
        })),
      );
    }
    assert.deepEqual(runs[1], runs[0]);
    assert.deepEqual(runs[2], runs[0]);
  });

  it("runWithClock() gives the golden trace on this runtime (the same on Deno and Bun)", async () => {
    const trace = await runWithClock(async (clock) => {
      await workload(clock);
      return compact(clock.trace);
    });
    assert.deepEqual(trace, GOLDEN_TRACE);
  });

  it("clock.random() and Math.random follow the seed", async () => {
    const draw = (seed: number) =>
      runWithClock((clock) => [clock.random(), Math.random(), Math.random()], { seed });
    assert.deepEqual(await draw(7), await draw(7));
    assert.notDeepEqual(await draw(7), await draw(8));
  });

  it("Math.random is the runtime's own again after a run", async () => {
    const inside = await runWithClock(() => Math.random);
    assert.notEqual(Math.random, inside);
  });

  it("shuffle reorders timers that fall due at one instant, the same way for the same seed", async () => {
    // Timer i is armed at t=10*i for 100-10*i ms: all are due at t=100, each with its own delay.
    const order = (shuffle: number | false) =>
      runWithClock(async (clock) => {
        const seen: number[] = [];
        for (let i = 0; i < 8; i++) {
          setTimeout(() => {
            setTimeout(() => seen.push(i), 100 - 10 * i);
          }, 10 * i);
        }
        await clock.sleep(200);
        return seen;
      }, { shuffle });
    const plain = await order(false);
    assert.deepEqual(plain, [0, 1, 2, 3, 4, 5, 6, 7]);
    const a = await order(3);
    assert.deepEqual(await order(3), a, "the same seed gives the same order");
    assert.notDeepEqual(a, plain, "seed 3 perturbs the order");
    assert.deepEqual([...a].sort(), plain, "every timer still fires exactly once");
  });

  it("shuffle keeps same-delay timers in creation order, as the runtimes do", async () => {
    for (const shuffle of [1, 2, 3, 4, 5]) {
      const seen = await runWithClock(async (clock) => {
        const seen: number[] = [];
        for (let i = 0; i < 6; i++) setTimeout(() => seen.push(i), 100);
        await clock.sleep(200);
        return seen;
      }, { shuffle });
      assert.deepEqual(seen, [0, 1, 2, 3, 4, 5]);
    }
  });

  it("shuffle keeps clearTimeout working on perturbed timers", async () => {
    const seen = await runWithClock(async (clock) => {
      const seen: number[] = [];
      const ids: unknown[] = [];
      for (let i = 0; i < 6; i++) {
        ids.push(setTimeout(() => seen.push(i), 100 - i)); // all due at t=100
        await clock.sleep(1);
      }
      clearTimeout(ids[2] as number);
      clearTimeout(ids[4] as number);
      await clock.sleep(150);
      return seen.sort();
    }, { shuffle: 11 });
    assert.deepEqual(seen, [0, 1, 3, 5]);
  });
});
