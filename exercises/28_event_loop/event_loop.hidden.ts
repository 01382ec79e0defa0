// deno-lint-ignore-file require-await -- loadMany stand-ins are async functions that answer at once
/**
 * Hidden tests for 28_event_loop: run by the grader (`deno task grade 28`), not by `bun test` or
 * `deno test`. They pin every behaviour the README promises, in virtual time.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  ConcurrencyProbe,
  isNotImplemented,
  rejectsWith,
  throwsWith,
  withClock,
} from "../../lib/mod.ts";
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

/** Compares a prediction with what the puzzle logged, naming the first event that differs. */
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

/** Calls `start()` and fails in the learner's terms if it throws instead of returning a promise. */
function callAsync<T>(start: () => Promise<T>, what: string): Promise<T> {
  try {
    return start();
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    assert.fail(
      `${what} must return a rejected promise, not throw synchronously; it threw ${String(error)}`,
    );
  }
}

/** 0, 1, 2, ... n-1. */
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** How many timers (of any kind) fired so far. */
type Traced = { trace: readonly unknown[] };
const fired = (clock: Traced) => clock.trace.length;

/**
 * An AbortController whose signal counts the abort listeners added to it and not yet removed
 * (a listener added with `{ once: true }` counts as removed once the signal has aborted).
 */
function countingController(): { controller: AbortController; active: () => number } {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Map<unknown, boolean>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") {
        live.set(listener, typeof opts === "object" && !!(opts as AddEventListenerOptions)?.once);
      }
      add(type, listener, opts as AddEventListenerOptions);
    }) as typeof signal.addEventListener;
  signal.removeEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") live.delete(listener);
      remove(type, listener, opts as EventListenerOptions);
    }) as typeof signal.removeEventListener;
  const active = () => [...live.values()].filter((once) => !(once && signal.aborted)).length;
  return { controller, active };
}

/** A test body that runs the puzzle and checks the prediction for it. */
const checks = (name: PuzzleName) =>
  withClock(ORDERED, async () => {
    assertPrediction(name, await runPuzzle(name));
  });

describe("task 1: predict()", () => {
  it("predict() is right about timerLoop", checks("timerLoop"));
  it("predict() is right about microtasksBetweenTimers", checks("microtasksBetweenTimers"));
  it("predict() is right about timerOrder", checks("timerOrder"));
  it("predict() is right about twoLoops", checks("twoLoops"));
  it("predict() is right about returnValueOrPromise", checks("returnValueOrPromise"));
});

describe("task 2: yieldToEventLoop()", () => {
  it(
    "yieldToEventLoop() resolves after every 0 ms timer and setImmediate callback already scheduled",
    withClock(ORDERED, async () => {
      const events: string[] = [];
      setTimeout(() => events.push("timer 1"), 0);
      setImmediate(() => events.push("immediate"));
      setTimeout(() => events.push("timer 2"), 0);
      await yieldToEventLoop();
      events.push("yield");
      assert.deepEqual(
        events.slice().sort(),
        ["immediate", "timer 1", "timer 2", "yield"],
        `every callback scheduled before the yield must have run when it resolves; the order was [${events}]`,
      );
      assert.equal(
        events.at(-1),
        "yield",
        `the yield resolves last; the order was [${events}]`,
      );
    }),
  );

  it(
    "yieldToEventLoop() resolves before a 0 ms timer scheduled after it",
    withClock(ORDERED, async () => {
      const events: string[] = [];
      const yielded = yieldToEventLoop().then(() => events.push("yield"));
      setTimeout(() => events.push("later timer"), 0);
      await yielded;
      await sleep(0);
      assert.deepEqual(
        events,
        ["yield", "later timer"],
        `one yield is one turn of the loop: it resolves before a timer scheduled after it; the order was [${events}]`,
      );
    }),
  );

  it(
    "yieldToEventLoop() is never a microtask: a long promise chain queued after it still runs first",
    withClock(ORDERED, async () => {
      const events: string[] = [];
      const yielded = yieldToEventLoop().then(() => events.push("yield"));
      let chain = Promise.resolve();
      for (let i = 1; i <= 50; i++) chain = chain.then(() => void events.push(`then ${i}`));
      await yielded;
      assert.equal(
        events.indexOf("yield"),
        50,
        `all 50 microtasks run before any macrotask; your yield resolved after ${
          events.indexOf("yield")
        } of them`,
      );
    }),
  );

  it(
    "yieldToEventLoop() takes no virtual time and does not wait for a later timer",
    withClock(ORDERED, async (clock) => {
      let tenFired = false;
      setTimeout(() => (tenFired = true), 10);
      await yieldToEventLoop();
      assert.equal(clock.now(), 0, `a yield takes no virtual time; yours took ${clock.now()} ms`);
      assert.equal(tenFired, false, "a yield must not wait for a timer due later (a 10 ms one)");
      await sleep(10);
    }),
  );

  it(
    "yieldToEventLoop() resolves with undefined and leaves no timer behind",
    withClock(ORDERED, async (clock) => {
      const value = await yieldToEventLoop();
      assert.equal(
        value,
        undefined,
        `yieldToEventLoop() resolves with undefined; yours gave ${value}`,
      );
      assert.deepEqual(
        clock.pending(),
        [],
        `no timer may be left once the yield is over; pending: ${JSON.stringify(clock.pending())}`,
      );
    }),
  );

  it(
    "yieldToEventLoop() calls made together resolve in call order",
    withClock(ORDERED, async () => {
      const order: number[] = [];
      await Promise.all([1, 2, 3].map((n) => yieldToEventLoop().then(() => order.push(n))));
      assert.deepEqual(order, [1, 2, 3], `yields resolve first in, first out; yours: [${order}]`);
    }),
  );
});

describe("task 3: runInChunks()", () => {
  it(
    "runInChunks() runs the first chunk at once, inside the call",
    withClock(ORDERED, async () => {
      let processed = 0;
      const run = runInChunks(range(250), () => processed++, { chunkSize: 100 });
      const atReturn = processed;
      await run;
      assert.equal(
        atReturn,
        100,
        `the first chunk runs synchronously, before runInChunks() returns; ${atReturn} items had been processed when it returned`,
      );
      assert.equal(processed, 250, `every item is processed once; yours processed ${processed}`);
    }),
  );

  it(
    "runInChunks() yields only between chunks: none before the first or after the last",
    withClock(ORDERED, async (clock) => {
      for (const [n, yields] of [[250, 2], [200, 1], [100, 0], [101, 1], [1, 0], [0, 0]]) {
        const before = fired(clock);
        const results = await runInChunks(range(n!), (i) => i * 2, { chunkSize: 100 });
        assert.equal(
          results.length,
          n,
          `all ${n} results are returned; yours returned ${results.length}`,
        );
        assert.equal(
          fired(clock) - before,
          yields,
          `${n} items in chunks of 100 need ${yields} yield(s): none before the first chunk, none after the last; your run fired ${
            fired(clock) - before
          } timer(s)`,
        );
      }
    }),
  );

  it(
    "runInChunks() processes 100 items per chunk by default",
    withClock(ORDERED, async () => {
      let processed = 0;
      let seenByTimer: number | undefined;
      setTimeout(() => (seenByTimer = processed), 0);
      await runInChunks(range(500), () => processed++);
      assert.equal(
        seenByTimer,
        100,
        `the default chunkSize is 100, so a waiting timer runs after 100 items; it saw ${seenByTimer}`,
      );
    }),
  );

  it(
    "runInChunks() with chunkSize 1 yields between every two items",
    withClock(ORDERED, async (clock) => {
      let processed = 0;
      const seen: number[] = [];
      setTimeout(() => seen.push(processed), 0);
      await runInChunks(range(5), () => processed++, { chunkSize: 1 });
      assert.deepEqual(seen, [1], `a waiting timer runs after the first item; it saw [${seen}]`);
      assert.equal(
        fired(clock),
        5,
        `5 items one at a time need 4 yields (+1 test timer); the clock fired ${fired(clock)}`,
      );
    }),
  );

  it(
    "runInChunks() with chunkSize Infinity never yields",
    withClock(ORDERED, async (clock) => {
      let processed = 0;
      const run = runInChunks(range(1000), () => processed++, { chunkSize: Infinity });
      const atReturn = processed;
      await run;
      assert.equal(
        atReturn,
        1000,
        `with chunkSize Infinity everything runs inside the call; ${atReturn} items had run when it returned`,
      );
      assert.equal(fired(clock), 0, `no yield is needed; your run fired ${fired(clock)} timer(s)`);
    }),
  );

  it(
    "runInChunks() rejects a chunkSize of 0, -1, NaN, 1.5 or -Infinity with a RangeError and calls fn for nothing",
    withClock(ORDERED, async (clock) => {
      for (const chunkSize of [0, -1, NaN, 1.5, -Infinity]) {
        let calls = 0;
        await rejectsWith(
          callAsync(
            () => runInChunks([1, 2, 3], () => calls++, { chunkSize }),
            `runInChunks([1, 2, 3], fn, { chunkSize: ${chunkSize} })`,
          ),
          { name: "RangeError" },
          `runInChunks([1, 2, 3], fn, { chunkSize: ${chunkSize} })`,
        );
        assert.equal(
          calls,
          0,
          `fn must not be called for chunkSize ${chunkSize}; it was called ${calls} times`,
        );
      }
      assert.equal(fired(clock), 0, "an invalid chunkSize must not start a timer");
    }),
  );

  it(
    "runInChunks() accepts a chunkSize beyond 2^53 (every positive integer is a valid size)",
    withClock(ORDERED, async () => {
      const seen: number[] = [];
      await runInChunks([1, 2, 3], (x: number) => seen.push(x), { chunkSize: 2 ** 53 });
      assert.deepEqual(
        seen,
        [1, 2, 3],
        `chunkSize 2 ** 53 is a positive integer; yours ran ${seen}`,
      );
    }),
  );

  it(
    "runInChunks() with an already aborted signal takes no item, calls fn for nothing and starts no timer",
    withClock(ORDERED, async (clock) => {
      const reason = new Error("cancelled before the start");
      let calls = 0;
      await rejectsWith(
        callAsync(
          () => runInChunks([1, 2, 3], () => calls++, { signal: AbortSignal.abort(reason) }),
          "runInChunks(items, fn, { signal: AbortSignal.abort(reason) })",
        ),
        { is: reason },
        "runInChunks(items, fn, { signal: AbortSignal.abort(reason) })",
      );
      assert.equal(calls, 0, `fn must not run once the signal is aborted; it ran ${calls} times`);
      let pulled = 0;
      function* numbers() {
        for (let i = 0; i < 10; i++) {
          pulled++;
          yield i;
        }
      }
      await rejectsWith(
        callAsync(
          () => runInChunks(numbers(), () => calls++, { signal: AbortSignal.abort(reason) }),
          "runInChunks(generator, fn, { signal: AbortSignal.abort(reason) })",
        ),
        { is: reason },
        "runInChunks(generator, fn, { signal: AbortSignal.abort(reason) })",
      );
      assert.equal(
        pulled,
        0,
        `the signal is checked before the first item is taken; your run took ${pulled} item(s) from the generator`,
      );
      await rejectsWith(
        callAsync(
          () => runInChunks([], () => calls++, { signal: AbortSignal.abort(reason) }),
          "runInChunks([], fn, { signal: AbortSignal.abort(reason) })",
        ),
        { is: reason },
        "runInChunks([], fn, { signal: AbortSignal.abort(reason) }) (the signal is checked even when there is no item)",
      );
      assert.equal(fired(clock), 0, "an aborted run must not start a timer");
    }),
  );

  it(
    "runInChunks() stops with a TimeoutError when AbortSignal.timeout(0) fires at the first yield",
    withClock(ORDERED, async () => {
      let processed = 0;
      await rejectsWith(
        runInChunks(range(1000), () => processed++, {
          chunkSize: 100,
          signal: AbortSignal.timeout(0),
        }),
        { name: "TimeoutError" },
        "runInChunks(1000 items, fn, { chunkSize: 100, signal: AbortSignal.timeout(0) })",
      );
      assert.equal(
        processed,
        100,
        `the timeout can only fire at a yield: after the first chunk of 100; yours processed ${processed}`,
      );
    }),
  );

  it(
    "runInChunks() stops at the next yield when fn aborts the signal, and takes no further item",
    withClock(ORDERED, async () => {
      const controller = new AbortController();
      const reason = "stop at 199"; // a reason need not be an Error: it is passed on as it is
      let processed = 0;
      await rejectsWith(
        runInChunks(range(1000), (i) => {
          processed++;
          if (i === 199) controller.abort(reason);
        }, { chunkSize: 100, signal: controller.signal }),
        { is: reason },
        "runInChunks(1000 items, fn, { chunkSize: 100, signal }) aborted by fn at item 199",
      );
      assert.equal(
        processed,
        200,
        `the abort after item 199 stops the run before item 200; yours processed ${processed}`,
      );
      await sleep(50);
      assert.equal(
        processed,
        200,
        `no item may be processed after the rejection; ${processed} were`,
      );
    }),
  );

  it(
    "runInChunks() resolves normally when the signal aborts after the last item",
    withClock(ORDERED, async () => {
      const controller = new AbortController();
      const results = await runInChunks(range(150), (i) => {
        if (i === 149) controller.abort();
        return i;
      }, { chunkSize: 100, signal: controller.signal });
      assert.equal(
        results.length,
        150,
        `every item was processed before the abort, so the run succeeds; yours returned ${results.length} results`,
      );
    }),
  );

  it(
    "runInChunks() rejects with fn's error and stops taking items",
    withClock(ORDERED, async (clock) => {
      const boom = new Error("item 150 is broken");
      let calls = 0;
      await rejectsWith(
        callAsync(
          () =>
            runInChunks(range(1000), (i) => {
              calls++;
              if (i === 150) throw boom;
            }, { chunkSize: 100 }),
          "runInChunks() whose fn throws",
        ),
        { is: boom },
        "runInChunks(1000 items, fn) where fn throws at item 150",
      );
      assert.equal(
        calls,
        151,
        `fn must not be called after it threw; it was called ${calls} times`,
      );
      await sleep(50);
      assert.equal(
        calls,
        151,
        `no item may be processed after the rejection; fn ran ${calls} times`,
      );
      assert.equal(
        fired(clock),
        2,
        "one yield (after item 99) and the test's own sleep: no further yield",
      );
    }),
  );

  it(
    "runInChunks() rejects with fn's error even when fn aborted the signal before throwing",
    withClock(ORDERED, async () => {
      const controller = new AbortController();
      const boom = new Error("item 1 is broken");
      let calls = 0;
      await rejectsWith(
        callAsync(
          () =>
            runInChunks([0, 1, 2], (i) => {
              calls++;
              if (i === 1) {
                controller.abort(new Error("aborted by fn"));
                throw boom;
              }
            }, { signal: controller.signal }),
          "runInChunks() whose fn aborts the signal and then throws",
        ),
        { is: boom },
        "runInChunks([0, 1, 2], fn, { signal }) where fn aborts the signal, then throws its own error at item 1",
      );
      assert.equal(calls, 2, `fn must not be called after it threw; it was called ${calls} times`);
    }),
  );

  it(
    "runInChunks() rejects with fn's error when fn throws in the first chunk",
    withClock(ORDERED, async () => {
      const boom = new Error("the first item is broken");
      await rejectsWith(
        callAsync(
          () =>
            runInChunks([1, 2, 3], () => {
              throw boom;
            }),
          "runInChunks() whose fn throws at once",
        ),
        { is: boom },
        "runInChunks([1, 2, 3], fn) where fn throws on the first item",
      );
    }),
  );

  it(
    "runInChunks() accepts any iterable: a Set and a generator",
    withClock(ORDERED, async () => {
      const fromSet = await runInChunks(new Set(["a", "b", "c"]), (s) => s.toUpperCase(), {
        chunkSize: 2,
      });
      assert.deepEqual(fromSet, ["A", "B", "C"], `a Set of 3 gives 3 results; yours: [${fromSet}]`);
      function* letters() {
        yield* ["x", "y", "z"];
      }
      const fromGenerator = await runInChunks(letters(), (s, i) => `${i}${s}`, { chunkSize: 2 });
      assert.deepEqual(
        fromGenerator,
        ["0x", "1y", "2z"],
        `a generator's items are processed in order with their index; yours: [${fromGenerator}]`,
      );
    }),
  );

  it(
    "runInChunks() takes items lazily: a generator stops being read at the abort and is closed",
    withClock(ORDERED, async () => {
      let closed = false;
      let pulled = 0;
      function* numbers() {
        try {
          for (let i = 0; i < 10_000; i++) {
            pulled++;
            yield i;
          }
        } finally {
          closed = true;
        }
      }
      const controller = new AbortController();
      let processed = 0;
      await rejectsWith(
        runInChunks(numbers(), (i) => {
          processed++;
          if (i === 349) controller.abort();
        }, { chunkSize: 100, signal: controller.signal }),
        { name: "AbortError" },
        "runInChunks(a generator of 10 000 numbers, fn, { signal }) aborted by fn at item 349",
      );
      assert.ok(
        processed >= 350 && processed <= 400,
        `no item may be processed once the abort is seen at the next yield; ${processed} were processed`,
      );
      assert.ok(
        pulled <= 401,
        `items are taken from the generator as they are needed, not all at once; ${pulled} of 10 000 were taken`,
      );
      assert.equal(
        closed,
        true,
        "the generator must be closed (its return() called) when the run stops",
      );
    }),
  );

  it(
    "runInChunks() closes a generator when fn throws",
    withClock(ORDERED, async () => {
      let closed = false;
      function* numbers() {
        try {
          for (let i = 0; i < 1000; i++) yield i;
        } finally {
          closed = true;
        }
      }
      const boom = new Error("bad item");
      await rejectsWith(
        runInChunks(numbers(), (i) => {
          if (i === 120) throw boom;
        }, { chunkSize: 100 }),
        { is: boom },
        "runInChunks(generator, fn) where fn throws at item 120",
      );
      assert.equal(closed, true, "the generator must be closed when fn throws");
    }),
  );

  it(
    "runInChunks() runs two jobs side by side, one chunk each in turn",
    withClock(ORDERED, async () => {
      const order: string[] = [];
      const job = (name: string) =>
        runInChunks(range(6), (i) => {
          if (i % 2 === 0) order.push(`${name}${i / 2 + 1}`);
        }, { chunkSize: 2 });
      await Promise.all([job("A"), job("B")]);
      assert.deepEqual(
        order,
        ["A1", "B1", "A2", "B2", "A3", "B3"],
        `two jobs take turns, chunk by chunk; the chunks ran in the order [${order}]`,
      );
    }),
  );

  it(
    "runInChunks() leaves no abort listener on the signal, after success or abort",
    withClock(ORDERED, async () => {
      const ok = countingController();
      await runInChunks(range(300), (i) => i, { chunkSize: 100, signal: ok.controller.signal });
      assert.equal(
        ok.active(),
        0,
        `a finished run must remove its abort listeners; ${ok.active()} left`,
      );
      const stopped = countingController();
      setTimeout(() => stopped.controller.abort(), 0);
      await rejectsWith(
        runInChunks(range(300), (i) => i, { chunkSize: 100, signal: stopped.controller.signal }),
        { name: "AbortError" },
        "runInChunks() aborted at the first yield",
      );
      assert.equal(
        stopped.active(),
        0,
        `an aborted run must remove its abort listeners; ${stopped.active()} left`,
      );
    }),
  );
});

describe("task 4: createBatcher()", () => {
  /** A loadMany that records its calls and answers after `ms` of virtual time. */
  function recordingLoader(ms = 10) {
    const calls: string[][] = [];
    const received: string[][] = [];
    const probe = new ConcurrencyProbe("loadMany calls");
    const loadMany = (keys: string[]) => {
      received.push(keys);
      calls.push([...keys]);
      return probe.run(keys.join(","), async () => {
        await sleep(ms);
        return keys.map((k) => k.toUpperCase());
      });
    };
    return { calls, received, probe, loadMany };
  }

  it(
    "createBatcher() uses the microtask window by default: a load after await null is a new batch",
    withClock(ORDERED, async () => {
      const { calls, loadMany } = recordingLoader();
      const load = createBatcher(loadMany);
      const a = load("a");
      const b = load("b");
      await null;
      const c = load("c");
      const values = await Promise.all([a, b, c]);
      assert.deepEqual(values, ["A", "B", "C"], `each load gets its own value; yours: [${values}]`);
      assert.deepEqual(
        calls,
        [["a", "b"], ["c"]],
        `the default window is the microtask one: ${
          JSON.stringify([["a", "b"], ["c"]])
        }; yours made ${JSON.stringify(calls)}`,
      );
    }),
  );

  it(
    "createBatcher() with the microtask window takes in the microtasks queued before its first load",
    withClock(ORDERED, async () => {
      const { calls, loadMany } = recordingLoader();
      const load = createBatcher(loadMany, { window: "microtask" });
      let b: Promise<string> | undefined;
      const queued = Promise.resolve().then(() => (b = load("b")));
      const a = load("a");
      await queued;
      await Promise.all([a, b]);
      assert.deepEqual(
        calls,
        [["a", "b"]],
        `a reaction queued before load("a") runs before the batch's dispatch, so "b" joins: one call; yours made ${
          JSON.stringify(calls)
        }`,
      );
    }),
  );

  it(
    "createBatcher() with the macrotask window sends one batch per 0 ms timer",
    withClock(ORDERED, async () => {
      const { calls, loadMany } = recordingLoader(0);
      const load = createBatcher(loadMany, { window: "macrotask" });
      const first = [load("a"), Promise.resolve().then(() => load("b"))];
      await sleep(0); // a 0 ms timer created after the batch's own: the batch is sent first
      const second = load("c");
      await Promise.all([...first, second]);
      assert.deepEqual(
        calls,
        [["a", "b"], ["c"]],
        `loads in microtasks join the batch; a load after a later 0 ms timer starts a new one; yours made ${
          JSON.stringify(calls)
        }`,
      );
    }),
  );

  it(
    "createBatcher() with the macrotask window waits for the 0 ms timers made before its first load",
    withClock(ORDERED, async () => {
      const { calls, loadMany } = recordingLoader(0);
      const load = createBatcher(loadMany, { window: "macrotask" });
      let b: Promise<string> | undefined;
      setTimeout(() => (b = load("b")), 0); // an older 0 ms timer: it fires before the batch's own
      const a = load("a");
      await a;
      await b;
      assert.deepEqual(
        calls,
        [["a", "b"]],
        `the batch is sent by a 0 ms timer made after the test's 0 ms timer, so the load made by that timer joins it (setImmediate would run before it): one call [["a","b"]]; yours made ${
          JSON.stringify(calls)
        }`,
      );
    }),
  );

  it(
    "createBatcher() with the macrotask window starts one timer per batch, not one per load",
    withClock(ORDERED, async (clock) => {
      const load = createBatcher(async (keys: string[]) => keys, { window: "macrotask" });
      await Promise.all(["a", "b", "c", "d"].map((k) => load(k)));
      assert.equal(
        fired(clock),
        1,
        `four loads in one batch need one dispatch timer; your batcher fired ${fired(clock)}`,
      );
    }),
  );

  it(
    "createBatcher() with the microtask window starts no timer",
    withClock(ORDERED, async (clock) => {
      const load = createBatcher(async (keys: string[]) => keys);
      await Promise.all(["a", "b"].map((k) => load(k)));
      assert.equal(
        fired(clock),
        0,
        `the microtask window needs no timer; your batcher fired ${fired(clock)}`,
      );
    }),
  );

  it(
    "createBatcher() never calls loadMany with no keys",
    withClock(ORDERED, async () => {
      const { calls, loadMany } = recordingLoader(0);
      for (const window of ["microtask", "macrotask"] as const) {
        const load = createBatcher(loadMany, { window });
        await Promise.all(["a", "b", "c"].map((k) => load(k)));
        await sleep(10);
      }
      assert.ok(
        calls.every((keys) => keys.length > 0),
        `loadMany must only be called with keys to load; yours was called with ${
          JSON.stringify(calls)
        }`,
      );
      assert.equal(calls.length, 2, `one call per window; yours made ${JSON.stringify(calls)}`);
    }),
  );

  it(
    "createBatcher() sends a load made while loadMany is in flight at once, in a new batch",
    withClock(ORDERED, async (clock) => {
      const { calls, probe, loadMany } = recordingLoader(10);
      const load = createBatcher(loadMany);
      const first = load("a");
      await sleep(5);
      const second = load("b");
      assert.equal(await second, "B", "the second load gets its value");
      assert.equal(
        clock.now(),
        15,
        `the second batch starts at t=5 without waiting for the first: it ends at t=15; yours ended at t=${clock.now()}`,
      );
      await first;
      assert.deepEqual(calls, [["a"], ["b"]], `two batches; yours made ${JSON.stringify(calls)}`);
      probe.assertMaxReached(2);
    }),
  );

  it(
    "createBatcher() keeps no cache: a key asked for again in a later batch is loaded again",
    withClock(ORDERED, async () => {
      const { calls, loadMany } = recordingLoader();
      const load = createBatcher(loadMany);
      await load("a");
      await load("a");
      assert.deepEqual(
        calls,
        [["a"], ["a"]],
        `each batch loads its keys; yours made ${JSON.stringify(calls)}`,
      );
    }),
  );

  it(
    "createBatcher() gives every caller of a duplicate key the same value",
    withClock(ORDERED, async () => {
      const calls: string[][] = [];
      const load = createBatcher(async (keys: string[]) => {
        calls.push([...keys]);
        return keys.map((k) => ({ key: k }));
      });
      const [x, y, z] = await Promise.all([load("k"), load("j"), load("k")]);
      assert.deepEqual(
        calls,
        [["k", "j"]],
        `"k" is sent once: [["k", "j"]]; yours made ${JSON.stringify(calls)}`,
      );
      assert.equal(x, z, "both loads of the same key resolve with the very same value");
      assert.deepEqual(y, { key: "j" }, "the other key gets its own value");
    }),
  );

  it(
    "createBatcher() splits a batch into groups of maxBatchSize, all sent at once",
    withClock(ORDERED, async (clock) => {
      const { calls, probe, loadMany } = recordingLoader(10);
      const load = createBatcher(loadMany, { maxBatchSize: 2 });
      const values = await Promise.all(["a", "b", "c", "d", "e"].map((k) => load(k)));
      assert.deepEqual(
        values,
        ["A", "B", "C", "D", "E"],
        `each load gets its own value; yours: [${values}]`,
      );
      assert.deepEqual(
        calls,
        [["a", "b"], ["c", "d"], ["e"]],
        `5 keys, at most 2 per call, in the order asked: [["a","b"],["c","d"],["e"]]; yours made ${
          JSON.stringify(calls)
        }`,
      );
      probe.assertMaxReached(3);
      assert.equal(
        clock.now(),
        10,
        `the three groups run side by side, so all is done at t=10; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "createBatcher() counts distinct keys for maxBatchSize",
    withClock(ORDERED, async () => {
      const { calls, loadMany } = recordingLoader();
      const load = createBatcher(loadMany, { maxBatchSize: 2 });
      await Promise.all(["a", "a", "b", "c", "b"].map((k) => load(k)));
      assert.deepEqual(
        calls,
        [["a", "b"], ["c"]],
        `duplicates are sent once, so the groups are [["a","b"],["c"]]; yours made ${
          JSON.stringify(calls)
        }`,
      );
    }),
  );

  it(
    "createBatcher() throws a RangeError for a maxBatchSize of 0, -1, NaN or 2.5",
    withClock(ORDERED, () => {
      for (const maxBatchSize of [0, -1, NaN, 2.5]) {
        throwsWith(
          () => createBatcher(async (keys: string[]) => keys, { maxBatchSize }),
          { name: "RangeError" },
          `createBatcher(loadMany, { maxBatchSize: ${maxBatchSize} })`,
        );
      }
    }),
  );

  it(
    "createBatcher() accepts a maxBatchSize beyond 2^53 (every positive integer is a valid size)",
    withClock(ORDERED, async () => {
      const { calls, loadMany } = recordingLoader();
      const load = createBatcher(loadMany, { maxBatchSize: 2 ** 53 });
      await Promise.all(range(3).map((i) => load(`k${i}`)));
      assert.equal(
        calls.length,
        1,
        `maxBatchSize 2 ** 53 sends one batch; yours sent ${calls.length}`,
      );
    }),
  );

  it(
    "createBatcher() accepts maxBatchSize Infinity: one call for every key",
    withClock(ORDERED, async () => {
      const { calls, loadMany } = recordingLoader();
      const load = createBatcher(loadMany, { maxBatchSize: Infinity });
      await Promise.all(range(30).map((i) => load(`k${i}`)));
      assert.equal(
        calls.length,
        1,
        `Infinity means no split: one call; yours made ${calls.length}`,
      );
    }),
  );

  it(
    "createBatcher() rejects only the group whose loadMany failed",
    withClock(ORDERED, async () => {
      const boom = new Error("shard 2 is down");
      const load = createBatcher(async (keys: string[]) => {
        if (keys.includes("c")) throw boom; // fails at once, before the other groups answer
        await sleep(10);
        return keys.map((k) => k.toUpperCase());
      }, { maxBatchSize: 2 });
      const [a, b, c, d, e] = ["a", "b", "c", "d", "e"].map((k) => load(k));
      await Promise.all([
        rejectsWith(c!, { is: boom }, `load("c") in the failing group`),
        rejectsWith(d!, { is: boom }, `load("d") in the failing group`),
      ]);
      const others = await Promise.allSettled([a, b, e]);
      assert.deepEqual(
        others.map((r) => (r.status === "fulfilled" ? r.value : `rejected: ${String(r.reason)}`)),
        ["A", "B", "E"],
        "the groups [a, b] and [e] do not share the failure of [c, d]: their loads resolve",
      );
    }),
  );

  it(
    "createBatcher() rejects the batch's loads when loadMany throws synchronously",
    withClock(ORDERED, async () => {
      const boom = new Error("bad query");
      const load = createBatcher((_keys: string[]): Promise<string[]> => {
        throw boom;
      });
      let a: Promise<string> | undefined;
      let b: Promise<string> | undefined;
      try {
        a = load("a");
        b = load("b");
      } catch (error) {
        if (isNotImplemented(error)) throw error;
        assert.fail(
          `load() must return a promise, even when loadMany throws; it threw ${String(error)}`,
        );
      }
      await Promise.all([
        rejectsWith(a!, { is: boom }, `load("a") when loadMany throws`),
        rejectsWith(b!, { is: boom }, `load("b") when loadMany throws`),
      ]);
    }),
  );

  it(
    "createBatcher() rejects with a TypeError when loadMany resolves with too few values, too many, or no array (a string, an array-like)",
    withClock(ORDERED, async () => {
      const cases: [string, unknown][] = [
        ["too few values", ["A"]],
        ["too many values", ["A", "B", "C"]],
        ["no array", { a: "A", b: "B" }],
        ["a string of 2 characters", "AB"],
        ["an array-like object", { length: 2, 0: "A", 1: "B" }],
      ];
      for (const [what, result] of cases) {
        const load = createBatcher(async (_keys: string[]) => result as string[]);
        await Promise.all([
          rejectsWith(
            load("a"),
            { name: "TypeError" },
            `load("a") when loadMany resolves with ${what}`,
          ),
          rejectsWith(
            load("b"),
            { name: "TypeError" },
            `load("b") when loadMany resolves with ${what}`,
          ),
        ]);
      }
    }),
  );

  it(
    "createBatcher() works again after a failed batch",
    withClock(ORDERED, async () => {
      let fail = true;
      const load = createBatcher(async (keys: string[]) => {
        if (fail) throw new Error("first batch fails");
        return keys.map((k) => k.toUpperCase());
      });
      await rejectsWith(load("a"), { message: "first batch fails" }, "the first batch");
      fail = false;
      assert.deepEqual(
        await Promise.all([load("a"), load("b")]),
        ["A", "B"],
        "the next batch loads normally",
      );
    }),
  );

  it(
    "createBatcher() matches values to keys by position",
    withClock(ORDERED, async () => {
      const load = createBatcher(async (keys: number[]) => keys.map((k) => k * 100));
      const values = await Promise.all([load(3), load(1), load(2)]);
      assert.deepEqual(values, [300, 100, 200], `value i belongs to key i; yours: [${values}]`);
    }),
  );

  it(
    "createBatcher() gives loadMany an array of its own: changing it changes no caller's value",
    withClock(ORDERED, async () => {
      for (const maxBatchSize of [Infinity, 2]) {
        const load = createBatcher(async (keys: string[]) => {
          const values = keys.map((k) => k.toUpperCase());
          keys.reverse(); // loadMany owns its array: it may sort, reverse or empty it
          return values;
        }, { maxBatchSize });
        const values = await Promise.all(["a", "b", "c"].map((k) => load(k)));
        assert.deepEqual(
          values,
          ["A", "B", "C"],
          `with maxBatchSize ${maxBatchSize}, a loadMany that reverses the array it was given still answers by position: every load gets its own key's value; yours: [${values}]`,
        );
      }
    }),
  );

  it(
    "createBatcher() hands loadMany a keys array that later loads never change",
    withClock(ORDERED, async () => {
      const { received, loadMany } = recordingLoader(10);
      const load = createBatcher(loadMany);
      const first = Promise.all([load("a"), load("b")]);
      await sleep(1);
      const second = Promise.all([load("c"), load("d")]);
      await Promise.all([first, second]);
      assert.deepEqual(
        received.map((keys) => [...keys]),
        [["a", "b"], ["c", "d"]],
        `loadMany may keep the array it was given; later loads must not change it: ${
          JSON.stringify(received)
        }`,
      );
    }),
  );
});
