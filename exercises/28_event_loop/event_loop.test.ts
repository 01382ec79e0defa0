/**
 * Visible tests for 28_event_loop. Run them with `bun test exercises/28_event_loop` or
 * `deno test exercises/28_event_loop`. Time is virtual: timers fire in virtual time, and
 * `clock.trace` lists every timer that fired. Microtasks are real: the clock never reorders them.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, withClock } from "../../lib/mod.ts";
import { createBatcher, predict, runInChunks, yieldToEventLoop } from "./event_loop.ts";
import { type PuzzleName, PUZZLES } from "./given_puzzles.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Every test here is about the order of callbacks due at the same moment, which the runtimes fix
 * (timers of one delay in creation order, as HTML's timer steps and Node's timer lists do): so
 * the clock keeps creation order, even when the grader runs other tests with seeded schedules.
 */
const ORDERED = { shuffle: false } as const;

/** Runs a puzzle, waits until every timer it started has fired, and returns what it logged. */
async function runPuzzle(name: PuzzleName): Promise<string[]> {
  const events: string[] = [];
  await PUZZLES[name]((event) => events.push(event));
  await sleep(100);
  return events;
}

/**
 * Compares a prediction with what the puzzle logged, and names the first event that differs
 * without giving the rest of the answer away.
 */
function assertPrediction(name: PuzzleName, actual: string[]): void {
  const predicted = predict(name);
  assert.ok(
    Array.isArray(predicted),
    `predict("${name}") must return the logged events as an array of strings; yours returned ${
      String(predicted)
    }`,
  );
  for (let i = 0; i < actual.length; i++) {
    if (predicted[i] === actual[i]) continue;
    const right = i === 0 ? "your first event is already wrong" : `your first ${i} right`;
    const unknown = predicted[i] !== undefined && !actual.includes(predicted[i]!)
      ? ` (${JSON.stringify(predicted[i])} is not an event this puzzle logs: check the spelling)`
      : "";
    assert.fail(
      `puzzle ${name} logs ${actual.length} events; you have ${right}: event ${i + 1} is not ${
        predicted[i] === undefined ? "missing" : JSON.stringify(predicted[i])
      }${unknown}. Which queue is each callback waiting in?`,
    );
  }
  assert.equal(
    predicted.length,
    actual.length,
    `puzzle ${name} logs ${actual.length} events; your prediction has ${predicted.length}`,
  );
}

/** A test body that runs the puzzle and checks the prediction for it. */
const checks = (name: PuzzleName) =>
  withClock(ORDERED, async () => {
    assertPrediction(name, await runPuzzle(name));
  });

describe("task 1: predict()", () => {
  it(
    "predict() orders the events of syncThenMicrotaskThenTimer",
    checks("syncThenMicrotaskThenTimer"),
  );
  it("predict() orders the events of awaitSettled", checks("awaitSettled"));
  it("predict() orders the events of microtaskLoop", checks("microtaskLoop"));
  it("predict() orders the events of threeQueues", checks("threeQueues"));
  it("predict() orders the events of twoChains", checks("twoChains"));
});

describe("task 2: yieldToEventLoop()", () => {
  it(
    "yieldToEventLoop() lets a 0 ms timer scheduled before it run first",
    withClock(ORDERED, async () => {
      const events: string[] = [];
      setTimeout(() => events.push("timer"), 0);
      await yieldToEventLoop();
      events.push("after the yield");
      assert.deepEqual(
        events,
        ["timer", "after the yield"],
        `a timer that was waiting must run before yieldToEventLoop() resolves; the order was [${events}]`,
      );
    }),
  );

  it(
    "yieldToEventLoop() ends a loop that waits for a timer to set a flag",
    withClock(ORDERED, async () => {
      // Python: while not stop: await asyncio.sleep(0)
      let stop = false;
      setTimeout(() => (stop = true), 0);
      let turns = 0;
      while (!stop && turns < 1000) {
        turns++;
        await yieldToEventLoop();
      }
      assert.equal(
        turns,
        1,
        `the timer should set the flag during the first yield; your loop ran ${turns} turns (1000 means the timer never got a turn)`,
      );
    }),
  );

  it(
    "yieldToEventLoop() lets a setImmediate callback scheduled before it run first",
    withClock(ORDERED, async () => {
      const events: string[] = [];
      setImmediate(() => events.push("immediate"));
      await yieldToEventLoop();
      events.push("after the yield");
      assert.deepEqual(
        events,
        ["immediate", "after the yield"],
        `an immediate that was waiting must run before yieldToEventLoop() resolves; the order was [${events}]`,
      );
    }),
  );

  it(
    "yieldToEventLoop() takes no virtual time",
    withClock(ORDERED, async (clock) => {
      await yieldToEventLoop();
      assert.equal(
        clock.now(),
        0,
        `a yield is one turn of the event loop, not a sleep; yours took ${clock.now()} ms`,
      );
    }),
  );
});

describe("task 3: runInChunks()", () => {
  it(
    "runInChunks() returns fn's results in the order of the items",
    withClock(ORDERED, async () => {
      const results = await runInChunks([1, 2, 3, 4, 5], (n, i) => `${i}:${n * n}`, {
        chunkSize: 2,
      });
      assert.deepEqual(
        results,
        ["0:1", "1:4", "2:9", "3:16", "4:25"],
        `runInChunks([1..5], (n, i) => \`\${i}:\${n * n}\`) should give each result in order; yours gave [${results}]`,
      );
    }),
  );

  it(
    "runInChunks() lets a waiting 0 ms timer run after the first chunk",
    withClock(ORDERED, async () => {
      let processed = 0;
      let seenByTimer: number | undefined;
      setTimeout(() => (seenByTimer = processed), 0);
      await runInChunks(Array.from({ length: 1000 }, (_, i) => i), () => processed++, {
        chunkSize: 100,
      });
      assert.equal(
        seenByTimer,
        100,
        `the timer should run at the first yield, after 100 items; it saw ${seenByTimer} (1000 means your yields never let a timer run)`,
      );
    }),
  );

  it(
    "runInChunks() rejects with the signal's reason when a timer aborts it between chunks",
    withClock(ORDERED, async () => {
      const controller = new AbortController();
      const reason = new Error("user cancelled");
      setTimeout(() => controller.abort(reason), 0);
      let processed = 0;
      await rejectsWith(
        runInChunks(Array.from({ length: 1000 }, (_, i) => i), () => processed++, {
          chunkSize: 100,
          signal: controller.signal,
        }),
        { is: reason },
        "runInChunks(1000 items, fn, { chunkSize: 100, signal }) aborted by a 0 ms timer",
      );
      assert.equal(
        processed,
        100,
        `the abort is seen at the first yield, so only the first chunk (100 items) runs; yours processed ${processed}`,
      );
    }),
  );

  it(
    "runInChunks() with an already aborted signal rejects with its reason and calls fn for nothing",
    withClock(ORDERED, async () => {
      const reason = new Error("cancelled before the start");
      let calls = 0;
      await rejectsWith(
        runInChunks([1, 2, 3], () => calls++, { signal: AbortSignal.abort(reason) }),
        { is: reason },
        "runInChunks([1, 2, 3], fn, { signal: AbortSignal.abort(reason) })",
      );
      assert.equal(calls, 0, `fn must not run once the signal is aborted; it ran ${calls} times`);
    }),
  );

  it(
    "runInChunks() rejects with a RangeError for chunkSize 0",
    withClock(ORDERED, async () => {
      await rejectsWith(
        runInChunks([1, 2, 3], (n) => n, { chunkSize: 0 }),
        { name: "RangeError" },
        "runInChunks([1, 2, 3], fn, { chunkSize: 0 })",
      );
    }),
  );
});

describe("task 4: createBatcher()", () => {
  /** A loadMany that records its calls and answers after 10 ms. */
  function recordingLoader() {
    const calls: string[][] = [];
    const loadMany = async (keys: string[]) => {
      calls.push([...keys]);
      await sleep(10);
      return keys.map((k) => k.toUpperCase());
    };
    return { calls, loadMany };
  }

  it(
    "createBatcher() sends the loads of one synchronous run in one loadMany call",
    withClock(ORDERED, async () => {
      const { calls, loadMany } = recordingLoader();
      const load = createBatcher(loadMany);
      const values = await Promise.all([load("a"), load("b"), load("c")]);
      assert.deepEqual(
        values,
        ["A", "B", "C"],
        `each load() resolves with its own key's value; yours gave [${values}]`,
      );
      assert.deepEqual(
        calls,
        [["a", "b", "c"]],
        `three loads in one synchronous run make one call loadMany(["a", "b", "c"]); yours made ${
          JSON.stringify(calls)
        }`,
      );
    }),
  );

  it(
    "createBatcher() sends a key asked for twice in one batch once",
    withClock(ORDERED, async () => {
      const { calls, loadMany } = recordingLoader();
      const load = createBatcher(loadMany);
      const values = await Promise.all([load("a"), load("b"), load("a")]);
      assert.deepEqual(
        values,
        ["A", "B", "A"],
        `both loads of "a" get "A"; yours gave [${values}]`,
      );
      assert.deepEqual(
        calls,
        [["a", "b"]],
        `"a" must be sent once: loadMany(["a", "b"]); yours made ${JSON.stringify(calls)}`,
      );
    }),
  );

  it(
    "createBatcher() compares keys as a Map does and sends the keys themselves",
    withClock(ORDERED, async () => {
      const calls: unknown[][] = [];
      const load = createBatcher((keys: unknown[]) => {
        calls.push([...keys]);
        return Promise.resolve(keys.map((k) => typeof k));
      });
      const first = { id: 1 };
      const second = { id: 1 };
      const values = await Promise.all([load(1), load("1"), load(first), load(second), load(1)]);
      assert.deepEqual(
        values,
        ["number", "string", "object", "object", "number"],
        `1 and "1" are two keys, each sent as it is; yours gave the types [${values}]`,
      );
      assert.equal(
        calls.length,
        1,
        `one synchronous run is one batch; yours made ${calls.length} calls`,
      );
      const sent = calls[0]!;
      assert.ok(
        sent.length === 4 && sent[0] === 1 && sent[1] === "1" && sent[2] === first &&
          sent[3] === second,
        `loadMany receives [1, "1", first, second]: two different objects are two keys, even when they look alike; yours received ${
          JSON.stringify(sent)
        }`,
      );
    }),
  );

  it(
    "createBatcher() with the microtask window starts a new batch after await null",
    withClock(ORDERED, async () => {
      const { calls, loadMany } = recordingLoader();
      const load = createBatcher(loadMany, { window: "microtask" });
      const first = load("a");
      await null; // the batch has been sent by now
      const second = load("b");
      await Promise.all([first, second]);
      assert.deepEqual(
        calls,
        [["a"], ["b"]],
        `a load after await null misses the microtask window: two calls; yours made ${
          JSON.stringify(calls)
        }`,
      );
    }),
  );

  it(
    "createBatcher() with the macrotask window keeps loads made after await null in the batch",
    withClock(ORDERED, async () => {
      const { calls, loadMany } = recordingLoader();
      const load = createBatcher(loadMany, { window: "macrotask" });
      const first = load("a");
      await null;
      await null;
      const second = load("b");
      await Promise.all([first, second]);
      assert.deepEqual(
        calls,
        [["a", "b"]],
        `the macrotask window stays open while microtasks run: one call; yours made ${
          JSON.stringify(calls)
        }`,
      );
    }),
  );

  it(
    "createBatcher() splits a batch into groups of at most maxBatchSize keys",
    withClock(ORDERED, async () => {
      const { calls, loadMany } = recordingLoader();
      const load = createBatcher(loadMany, { maxBatchSize: 2 });
      const values = await Promise.all(["a", "b", "c"].map((k) => load(k)));
      assert.deepEqual(values, ["A", "B", "C"], `each load gets its own value; yours: [${values}]`);
      assert.deepEqual(
        calls,
        [["a", "b"], ["c"]],
        `3 keys with maxBatchSize 2 make the calls [["a","b"],["c"]]; yours made ${
          JSON.stringify(calls)
        }`,
      );
    }),
  );

  it(
    "createBatcher() rejects every load of the batch when loadMany rejects",
    withClock(ORDERED, async () => {
      const boom = new Error("database down");
      const load = createBatcher(async (_keys: string[]): Promise<string[]> => {
        await sleep(10);
        throw boom;
      });
      await Promise.all([
        rejectsWith(load("a"), { is: boom }, `load("a") when loadMany rejects`),
        rejectsWith(load("b"), { is: boom }, `load("b") when loadMany rejects`),
      ]);
    }),
  );
});
