/**
 * Visible tests for exercise 05. They run on the virtual clock; `clock.now()` is virtual ms.
 * The clock also fails a test that ends with a timer still pending: that is how these tests
 * prove that a stopped stream cleaned up after itself.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { deferred, EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { merge, withAbort } from "./merge.ts";

/** A test source: yields `items` one every `ms`, and records each step in `log`. */
async function* source<T>(
  log: EventRecorder,
  name: string,
  items: T[],
  ms: number,
): AsyncGenerator<T> {
  try {
    for (const item of items) {
      log.record(`${name} pulled`);
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
      yield item;
    }
  } finally {
    log.record(`${name} finally`);
  }
}

/** Yields `count` items after `ms` each, then throws `error`. */
async function* failing(
  log: EventRecorder,
  name: string,
  count: number,
  ms: number,
  error: Error,
): AsyncGenerator<string> {
  try {
    for (let i = 1; i <= count; i++) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      yield `${name}${i}`;
    }
    await new Promise((resolve) => setTimeout(resolve, ms));
    throw error;
  } finally {
    log.record(`${name} finally`);
  }
}

const pendingTimers = (
  clock: { pending(): Array<{ kind: string; delay: number; origin: string }> },
) => clock.pending().map((t) => `${t.kind}(${t.delay}) created at ${t.origin}`);

describe("task 1: merge()", () => {
  it(
    "merge() yields items from every source in arrival order",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const got: Array<[string, number]> = [];
      for await (
        const item of merge(
          source(log, "a", ["a1", "a2", "a3"], 100),
          source(log, "b", ["b1", "b2"], 160),
        )
      ) {
        got.push([item, clock.now()]);
      }
      assert.deepEqual(
        got,
        [["a1", 100], ["b1", 160], ["a2", 200], ["a3", 300], ["b2", 320]],
        "[item, t] pairs: merge() yields each item the moment its source produces it, whichever source that is; yours: " +
          JSON.stringify(got),
      );
    }),
  );

  it(
    "merge() ends when every source has ended",
    withClock(async () => {
      const log = new EventRecorder();
      const got: number[] = [];
      for await (
        const n of merge(
          source(log, "a", [1], 10),
          source(log, "b", [2, 3, 4], 20),
          source<number>(log, "c", [], 5),
        )
      ) {
        got.push(n);
      }
      assert.deepEqual(
        got.sort(),
        [1, 2, 3, 4],
        `every item of every source, once; yours: ${JSON.stringify(got)}`,
      );
      for (const name of ["a", "b", "c"]) {
        assert.ok(
          log.names().includes(`${name} finally`),
          `source ${name} should have finished:\n` + log.format(),
        );
      }
    }),
  );

  it(
    "merge() of no sources yields nothing",
    withClock(async () => {
      const got: unknown[] = [];
      for await (const x of merge()) got.push(x);
      assert.deepEqual(got, [], "merge() with no sources ends at once");
    }),
  );

  it(
    "merge() pulls at most one item ahead from each source",
    withClock(async () => {
      const log = new EventRecorder();
      const got: number[] = [];
      // An eager source: every item is ready at once.
      for await (
        const n of merge(source(log, "fast", Array.from({ length: 50 }, (_, i) => i), 0))
      ) {
        got.push(n);
        if (got.length === 2) break;
      }
      const pulls = log.names().filter((n) => n === "fast pulled").length;
      assert.ok(
        pulls <= 3,
        `merge() should pull one item ahead at most; after 2 items it pulled ${pulls}`,
      );
    }),
  );

  it(
    "merge() stops the other sources when one fails",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const got: string[] = [];
      const down = new Error("feed down");
      await rejectsWith(
        async () => {
          for await (
            const s of merge(
              failing(log, "bad", 1, 100, down),
              source(log, "ok", ["o1", "o2", "o3", "o4", "o5"], 70),
            )
          ) {
            got.push(s);
          }
        },
        { is: down },
        "merge(failing source, healthy source)",
      );
      assert.ok(
        log.names().includes("ok finally"),
        "the healthy source must be stopped (its finally run) before merge() rethrows:\n" +
          log.format(),
      );
      assert.deepEqual(
        pendingTimers(clock),
        [],
        "no source may keep a timer running after merge() fails",
      );
      assert.ok(
        !got.includes("o5"),
        "the healthy source should not run to its end after the failure",
      );
    }),
  );

  it(
    "merge() calls return() on every source when the consumer breaks",
    withClock(async (clock) => {
      const log = new EventRecorder();
      for await (
        const s of merge(
          source(log, "a", ["a1", "a2", "a3"], 100),
          source(log, "b", ["b1", "b2", "b3"], 130),
        )
      ) {
        if (s === "a1") break;
      }
      assert.ok(
        log.names().includes("a finally") && log.names().includes("b finally"),
        "break should stop every source:\n" + log.format(),
      );
      assert.deepEqual(pendingTimers(clock), [], "no source may keep a timer after the break");
    }),
  );
});

describe("task 2: withAbort()", () => {
  it(
    "withAbort() ends the loop with the abort reason while the source is stuck",
    withClock(async (clock) => {
      const gate = deferred<void>();
      async function* stuck() {
        yield "first";
        await gate.promise; // stuck here until the test opens the gate
        yield "never seen";
      }
      const controller = new AbortController();
      const reason = new Error("user cancelled");
      setTimeout(() => controller.abort(reason), 50);
      const got: string[] = [];
      await rejectsWith(
        async () => {
          for await (const item of withAbort(stuck(), controller.signal)) got.push(item);
        },
        { is: reason },
        "for await (... of withAbort(stuck source, signal))",
      );
      assert.deepEqual(got, ["first"], "the item before the abort comes through");
      assert.equal(
        clock.now(),
        50,
        `the loop should end at the abort (t=50), not when the source wakes; yours ended at t=${clock.now()}`,
      );
      gate.resolve(); // let the stuck source finish
    }),
  );

  it(
    "withAbort() with an already-aborted signal pulls nothing",
    withClock(async () => {
      const log = new EventRecorder();
      const controller = new AbortController();
      const reason = new Error("aborted before start");
      controller.abort(reason);
      await rejectsWith(() => withAbort(source(log, "src", [1, 2], 10), controller.signal).next(), {
        is: reason,
      }, "withAbort(src, aborted).next()");
      assert.ok(
        !log.names().includes("src pulled"),
        "nothing may be pulled from the source:\n" + log.format(),
      );
    }),
  );

  it(
    "withAbort() fails the next pull when aborted between items, and stops the source",
    withClock(async () => {
      const log = new EventRecorder();
      const controller = new AbortController();
      const got: number[] = [];
      await rejectsWith(
        async () => {
          for await (const n of withAbort(source(log, "src", [1, 2, 3], 10), controller.signal)) {
            got.push(n);
            if (n === 1) controller.abort(); // aborted while the consumer holds item 1
          }
        },
        { name: "AbortError" },
        "withAbort(src, signal) aborted between items",
      );
      assert.deepEqual(got, [1], `only item 1 comes through; yours: ${JSON.stringify(got)}`);
      assert.ok(
        log.names().includes("src finally"),
        "the source must be stopped before the error reaches the loop:\n" + log.format(),
      );
    }),
  );

  it(
    "withAbort() passes a consumer's break on to its source",
    withClock(async () => {
      const log = new EventRecorder();
      const controller = new AbortController();
      for await (const n of withAbort(source(log, "src", [1, 2, 3], 10), controller.signal)) {
        if (n === 2) break;
      }
      assert.ok(
        log.names().includes("src finally"),
        "break should stop the source:\n" + log.format(),
      );
    }),
  );

  it(
    "withAbort() waits for its source's async cleanup after a break",
    withClock(async (clock) => {
      const log = new EventRecorder();
      async function* slowToClose(): AsyncGenerator<number> {
        try {
          for (let n = 1;; n++) {
            await new Promise((resolve) => setTimeout(resolve, 10));
            yield n;
          }
        } finally {
          await new Promise((resolve) => setTimeout(resolve, 50));
          log.record("cleanup done");
        }
      }
      for await (const n of withAbort(slowToClose(), new AbortController().signal)) {
        if (n === 2) break;
      }
      log.record("loop left");
      assert.deepEqual(
        log.names(),
        ["cleanup done", "loop left"],
        "the source is parked at a yield, so withAbort must await its return() (a 50 ms cleanup) before the loop is left:\n" +
          log.format(),
      );
      assert.equal(
        clock.now(),
        70,
        `20 ms of items + 50 ms of cleanup: t=70; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "withAbort() yields every item when the signal never aborts",
    withClock(async () => {
      const log = new EventRecorder();
      const got: string[] = [];
      for await (
        const s of withAbort(source(log, "src", ["a", "b", "c"], 10), new AbortController().signal)
      ) got.push(s);
      assert.deepEqual(
        got,
        ["a", "b", "c"],
        `every item comes through; yours: ${JSON.stringify(got)}`,
      );
    }),
  );
});
