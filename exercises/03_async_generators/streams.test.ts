/**
 * Visible tests for exercise 03. They run on the virtual clock; `clock.now()` is virtual ms.
 * The clock also fails a test that ends with a timer still pending: that is how these tests
 * prove a stopped generator cleaned up after itself.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { find, take, ticker } from "./streams.ts";

/** A test source: yields `items` one every `ms`, and records each step in `log`. */
async function* source<T>(
  log: EventRecorder,
  name: string,
  items: T[],
  ms: number,
): AsyncGenerator<T> {
  try {
    for (const item of items) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.record(`${name} yields ${item}`);
      yield item;
    }
  } finally {
    log.record(`${name} finally`);
  }
}

/** A source whose cleanup takes time: its finally waits `cleanupMs` before it records itself. */
async function* slowToClose<T>(
  log: EventRecorder,
  items: T[],
  cleanupMs: number,
): AsyncGenerator<T> {
  try {
    for (const item of items) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      yield item;
    }
  } finally {
    await new Promise((resolve) => setTimeout(resolve, cleanupMs));
    log.record("cleanup done");
  }
}

const pendingTimers = (
  clock: { pending(): Array<{ kind: string; delay: number; origin: string }> },
) => clock.pending().map((t) => `${t.kind}(${t.delay}) created at ${t.origin}`);

describe("task 1: ticker()", () => {
  it(
    "ticker() yields 1, 2, 3 one interval apart",
    withClock(async (clock) => {
      const seen: Array<[number, number]> = [];
      for await (const n of ticker(100)) {
        seen.push([n, clock.now()]);
        if (n === 3) break;
      }
      assert.deepEqual(
        seen,
        [[1, 100], [2, 200], [3, 300]],
        `[tick, t] pairs: tick n should arrive at t = n * 100; yours: ${JSON.stringify(seen)}`,
      );
    }),
  );

  it(
    "ticker() leaves no timer behind after a break",
    withClock(async (clock) => {
      for await (const n of ticker(100)) {
        if (n === 2) break;
      }
      const left = pendingTimers(clock);
      assert.deepEqual(
        left,
        [],
        "after the break the ticker must hold no timer; still pending: " + left.join(", "),
      );
    }),
  );

  it(
    "ticker() with an interval of 0 fails with a RangeError",
    withClock(async () => {
      await rejectsWith(() => ticker(0).next(), { name: "RangeError" }, "ticker(0).next()");
    }),
  );

  it(
    "ticker() rejects the waiting pull with the abort reason and clears its timer",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("stop ticking");
      setTimeout(() => controller.abort(reason), 250);
      const seen: number[] = [];
      await rejectsWith(
        async () => {
          for await (const n of ticker(100, { signal: controller.signal })) seen.push(n);
        },
        { is: reason },
        "for await (... of ticker(100, { signal })) aborted at t=250",
      );
      assert.deepEqual(
        seen,
        [1, 2],
        `ticks 1 and 2 come before the abort; yours: ${JSON.stringify(seen)}`,
      );
      assert.equal(
        clock.now(),
        250,
        `the abort should end the wait at once (t=250); yours ended at t=${clock.now()}`,
      );
      assert.deepEqual(pendingTimers(clock), [], "the aborted wait must clear its timer");
    }),
  );
});

describe("task 2: take()", () => {
  it(
    "take() yields the first n items and stops its source",
    withClock(async () => {
      const log = new EventRecorder();
      const got: string[] = [];
      for await (const item of take(source(log, "src", ["a", "b", "c", "d"], 10), 2)) {
        got.push(item);
      }
      assert.deepEqual(
        got,
        ["a", "b"],
        `take(src, 2) yields the first 2 items and nothing more; yours: ${JSON.stringify(got)}`,
      );
      assert.deepEqual(
        log.names(),
        ["src yields a", "src yields b", "src finally"],
        "take(src, 2) should pull exactly 2 items, then call return() so the source's finally runs:\n" +
          log.format(),
      );
    }),
  );

  it(
    "take() of a ticker ends right after the n-th tick",
    withClock(async (clock) => {
      const got: number[] = [];
      for await (const n of take(ticker(100), 3)) got.push(n);
      assert.deepEqual(
        got,
        [1, 2, 3],
        `take(ticker(100), 3) yields 1, 2, 3; yours: ${JSON.stringify(got)}`,
      );
      assert.equal(
        clock.now(),
        300,
        `take(ticker(100), 3) should end at t=300 (t=400 means it waited for a 4th tick); yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "take() of 0 items pulls nothing",
    withClock(async () => {
      const log = new EventRecorder();
      const got: number[] = [];
      for await (const n of take(source(log, "src", [1, 2], 10), 0)) got.push(n);
      assert.deepEqual(got, [], "take(src, 0) yields nothing");
      assert.ok(
        !log.names().includes("src yields 1"),
        "take(src, 0) must not pull anything:\n" + log.format(),
      );
    }),
  );

  it(
    "take() passes its consumer's break on to its source",
    withClock(async () => {
      const log = new EventRecorder();
      for await (const n of take(source(log, "src", [1, 2, 3, 4], 10), 3)) {
        if (n === 1) break;
      }
      assert.ok(
        log.names().includes("src finally"),
        "breaking out of take() must stop its source too:\n" + log.format(),
      );
    }),
  );
});

describe("task 3: find()", () => {
  it(
    "find() resolves with the first match after the source has been stopped",
    withClock(async () => {
      const log = new EventRecorder();
      const found = await find(source(log, "src", [1, 4, 6, 9], 10), (n) => n % 2 === 0);
      log.record("find resolved");
      assert.equal(found, 4, `the first even item is 4; yours: ${found}`);
      assert.deepEqual(
        log.names(),
        ["src yields 1", "src yields 4", "src finally", "find resolved"],
        "find() pulls up to the match, then stops the source and waits for its finally before resolving:\n" +
          log.format(),
      );
    }),
  );

  it(
    "find() awaits a predicate that returns a promise",
    withClock(async () => {
      const log = new EventRecorder();
      const isBig = async (n: number) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return n > 10;
      };
      const found = await find(source(log, "src", [3, 7, 12, 20], 10), isBig);
      assert.equal(
        found,
        12,
        `the first item above 10 is 12; yours: ${found} (a promise is always truthy: await it)`,
      );
    }),
  );

  it(
    "find() rejects with the predicate's error and stops the source",
    withClock(async () => {
      const log = new EventRecorder();
      const broken = new TypeError("predicate broke");
      await rejectsWith(
        find(source(log, "src", [1, 2, 3], 10), (n) => {
          if (n === 2) throw broken;
          return false;
        }),
        { is: broken },
        "find(src, predicate that throws on 2)",
      );
      assert.ok(
        log.names().includes("src finally"),
        "the source must be stopped (its finally run) before find() rejects:\n" + log.format(),
      );
    }),
  );

  it(
    "find() resolves with undefined when nothing matches",
    withClock(async () => {
      const log = new EventRecorder();
      const found = await find(source(log, "src", ["a", "b"], 10), (s) => s === "z");
      assert.equal(
        found,
        undefined,
        `no item matches: find() resolves with undefined; yours: ${String(found)}`,
      );
    }),
  );

  it(
    "find() waits for its source's async cleanup before it settles",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const found = await find(slowToClose(log, [1, 2, 3], 50), (n) => n === 2);
      log.record("find resolved");
      assert.equal(found, 2, `the match is 2; yours: ${found}`);
      assert.deepEqual(
        log.names(),
        ["cleanup done", "find resolved"],
        "find() must await the source's return(), whose finally takes 50 ms, before it resolves:\n" +
          log.format(),
      );
      assert.equal(
        clock.now(),
        70,
        `20 ms of items + 50 ms of cleanup: t=70; yours at t=${clock.now()}`,
      );
      const broken = new Error("cannot judge");
      const failed = find(slowToClose(log, [1, 2, 3], 50), () => {
        throw broken;
      });
      await rejectsWith(failed, { is: broken }, "find(src, predicate that throws)");
      log.record("find rejected");
      assert.deepEqual(
        log.names().slice(-2),
        ["cleanup done", "find rejected"],
        "when the predicate throws, find() must also await the source's return() before it rejects:\n" +
          log.format(),
      );
    }),
  );
});
