// Deadlocks explained: with promise tracking on, a DeadlockError names where the stuck work waits
// (creation site, function, callers), how many and since when, plus what describers say. Three
// shapes of the learner's commonest bug: a lost wake-up in a lock, a queue getter never woken,
// a missing sentinel. Tracking here is turned on per run (the `track` option); config.test.ts
// covers the harness's way (on before the code under test loads).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type DeadlockDiagnosis, DeadlockError, deferred, lastRun, runWithClock } from "../mod.ts";
import { ForgetfulLock, withLock } from "./testdata/lock.ts";
import { consumer, DONE, Queue } from "./testdata/queue.ts";
import { stillPending, trackingOn } from "./tracking.ts";

const INTRINSIC_PROMISE = Promise;

async function deadlock(run: Promise<unknown>): Promise<DeadlockError> {
  const error = await run.then(() => undefined, (e) => e);
  assert.ok(error instanceof DeadlockError, `expected a DeadlockError, got ${error}`);
  return error;
}

const sites = (d: DeadlockDiagnosis) => d.waits.map((w) => w.site.replace(/:\d+$/, ""));

describe("deadlock diagnosis", () => {
  it("a lost wake-up in a lock: waits named at Lock.acquire, awaited in withLock, with the describer's state", async () => {
    const error = await deadlock(runWithClock(async (clock) => {
      const lock = new ForgetfulLock();
      clock.onDiagnose(() => `Lock: ${lock.locked ? "locked" : "free"}, ${lock.waiting} waiting`);
      const job = () => clock.sleep(100);
      await Promise.all([withLock(lock, job), withLock(lock, job), withLock(lock, job)]);
    }, { track: true }));
    const d = error.diagnosis;
    assert.equal(d.tracked, true);
    assert.equal(d.at, 100);
    const first = d.waits[0];
    assert.match(first.site, /^lib\/clock\/testdata\/lock\.ts:\d+$/);
    assert.match(first.fn ?? "", /(^|\.)acquire$/);
    assert.equal(first.count, 2, "two waiters are stuck");
    assert.equal(first.since, 0);
    assert.match(first.awaitedAt?.[0] ?? "", /^lib\/clock\/testdata\/lock\.ts:\d+$/);
    assert.deepEqual(d.details, ["Lock: free, 2 waiting"]);
    assert.match(
      error.message,
      /^deadlock at t=100 ms: waiting at lib\/clock\/testdata\/lock\.ts:\d+ in \S*acquire \(2 promises since t=0 ms, awaited at lib\/clock\/testdata\/lock\.ts:\d+/,
    );
    assert.match(error.message, /Lock: free, 2 waiting\. Nothing can wake it: no timer is pending/);
    assert.match(error.advice, /lost wake-up/, "the general advice is kept apart");
    assert.doesNotMatch(error.message, /lost wake-up/);
  });

  it("a queue getter never woken: waits named at Queue.get, awaited in consumer", async () => {
    const error = await deadlock(runWithClock(async () => {
      const queue = new Queue<number | typeof DONE>({ wakeGetters: false });
      const done = consumer(queue, 10);
      queue.put(1);
      queue.put(DONE);
      await done;
    }, { track: true }));
    const w = error.diagnosis.waits[0];
    assert.match(w.site, /^lib\/clock\/testdata\/queue\.ts:\d+$/);
    assert.match(w.fn ?? "", /(^|\.)get$/);
    assert.equal(w.count, 1);
    assert.match(w.awaitedAt?.[0] ?? "", /^lib\/clock\/testdata\/queue\.ts:\d+$/);
  });

  it("a missing sentinel for two consumers: one getter waits from t=200 ms, the test's Promise.all after it", async () => {
    const error = await deadlock(runWithClock(async () => {
      const queue = new Queue<number | typeof DONE>();
      const consumers = [consumer(queue, 100), consumer(queue, 100)];
      for (let i = 0; i < 4; i++) queue.put(i);
      queue.put(DONE); // wrong: one sentinel for two consumers
      await Promise.all(consumers);
    }, { track: true }));
    const d = error.diagnosis;
    assert.equal(d.at, 200);
    assert.deepEqual(sites(d), ["lib/clock/testdata/queue.ts", "lib/clock/tracking.test.ts"]);
    assert.equal(d.waits[0].count, 1);
    assert.equal(d.waits[0].since, 200);
    assert.match(
      error.message,
      /^deadlock at t=200 ms: waiting at lib\/clock\/testdata\/queue\.ts/,
    );
    assert.match(error.message, /no timer is pending/);
  });

  it("names a deferred nobody resolves at the line that made it", async () => {
    const error = await deadlock(runWithClock(async () => {
      const gate = deferred<void>();
      await gate.promise;
    }, { track: true }));
    assert.match(error.diagnosis.waits[0].site, /^lib\/clock\/tracking\.test\.ts:\d+$/);
  });

  it("without tracking: no waits, the facts that are known first, tracked false", async () => {
    const error = await deadlock(runWithClock((clock) => {
      clock.onDiagnose(() => ["Queue: empty", "2 getters waiting"]);
      return new Promise(() => {});
    }));
    assert.deepEqual(error.diagnosis.waits, []);
    assert.equal(error.diagnosis.tracked, false);
    assert.deepEqual(error.diagnosis.details, ["Queue: empty", "2 getters waiting"]);
    assert.match(error.message, /^deadlock at t=0 ms: Queue: empty; 2 getters waiting\. /);
    assert.deepEqual(lastRun()?.deadlock, error.diagnosis);
  });

  it("tracking changes no order: the same interleaving of awaits and timers with and without it", async () => {
    const trace = (track: boolean) =>
      runWithClock(async (clock) => {
        const log: string[] = [];
        const task = async (name: string) => {
          await new Promise<void>((r) => r());
          log.push(`${name}1`);
          await Promise.resolve();
          log.push(`${name}2`);
          await clock.sleep(10);
          log.push(`${name}3`);
        };
        await Promise.all([task("a"), task("b"), Promise.race([task("c")])]);
        return log.join(",");
      }, { track });
    assert.equal(await trace(true), await trace(false));
  });

  it("tracking by option puts the global Promise back after the run", async () => {
    assert.equal(globalThis.Promise, INTRINSIC_PROMISE, "no tracking: the intrinsic Promise");
    await runWithClock(() => {
      assert.notEqual(globalThis.Promise, INTRINSIC_PROMISE, "tracking on: the tracker");
      const p = new Promise<number>((resolve) => resolve(1));
      assert.ok(p instanceof Promise && p.constructor === INTRINSIC_PROMISE);
      assert.equal(Promise.resolve(p), p, "Promise.resolve keeps a promise as it is");
    }, { track: true });
    assert.equal(globalThis.Promise, INTRINSIC_PROMISE);
  });

  it("reads at most 200 stacks, the oldest first, and says how many more are pending", async () => {
    const error = await deadlock(runWithClock(async () => {
      const queue = new Queue<number>({ wakeGetters: false });
      await Promise.all(Array.from({ length: 300 }, () => queue.get()));
    }, { track: true, graceMs: 20 }));
    const d = error.diagnosis;
    assert.deepEqual([d.unsettled, d.located, d.waits[0].count], [301, 200, 200]);
    assert.match(error.message, /; 101 more pending promises not located\. Nothing can wake it/);
  });

  it("the diagnosis costs little: a tracked deadlock is named within 100 ms of the untracked one", async () => {
    // CPU time of this process, not wall time: a loaded machine (CI) stretches wall time, not the
    // work the diagnosis does.
    const cpuMs = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const timed = async (track: boolean) => {
      const started = cpuMs();
      await deadlock(runWithClock(async () => {
        const queue = new Queue<number>({ wakeGetters: false });
        const waiters = Array.from({ length: 200 }, () => queue.get());
        for (let i = 0; i < 1000; i++) await new Promise<void>((r) => r());
        await Promise.all(waiters);
      }, { track, graceMs: 20 }));
      return cpuMs() - started;
    };
    // The best of five runs each.
    let plain = Infinity;
    let tracked = Infinity;
    for (let i = 0; i < 5; i++) {
      plain = Math.min(plain, await timed(false));
      tracked = Math.min(tracked, await timed(true));
    }
    assert.ok(
      tracked - plain < 100,
      `tracked ${tracked.toFixed(1)} ms, untracked ${plain.toFixed(1)} ms of CPU time`,
    );
  });

  it("trackingOn() is true only inside a tracked run; stillPending() tells pending from settled", async () => {
    assert.equal(trackingOn(), false);
    const seen = await runWithClock(() => trackingOn(), { track: true });
    assert.equal(seen, true);
    assert.equal(await runWithClock(() => trackingOn()), false, "an untracked run records nothing");
    const never = new Promise(() => {});
    const done = Promise.resolve(1);
    await done;
    assert.equal(stillPending(never), true);
    assert.equal(stillPending(done), false);
  });
});
