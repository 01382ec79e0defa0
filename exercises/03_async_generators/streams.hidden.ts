/**
 * Hidden tests for exercise 03: the edge cases the grader checks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { find, take, ticker } from "./streams.ts";

/** Yields `items` one every `ms` (0: no wait), recording pulls, yields and the finally in `log`. */
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

/** A hand-written async iterable over `items` whose iterator has no return() method. */
function bare<T>(items: T[], log: EventRecorder): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        next(): Promise<IteratorResult<T>> {
          log.record("bare pulled");
          return Promise.resolve(
            i < items.length
              ? { value: items[i++], done: false }
              : { value: undefined, done: true },
          );
        },
      };
    },
  };
}

/** Counts the abort listeners currently registered on `signal`. */
function listenerCount(signal: AbortSignal): () => number {
  const live = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") {
        live.add(listener);
        // A { once: true } listener is removed by the signal itself when it fires.
        if ((opts as AddEventListenerOptions | undefined)?.once) {
          add("abort", () => live.delete(listener), { once: true });
        }
      }
      add(type, listener, opts as AddEventListenerOptions);
    }) as typeof signal.addEventListener;
  signal.removeEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") live.delete(listener);
      remove(type, listener, opts as EventListenerOptions);
    }) as typeof signal.removeEventListener;
  return () => live.size;
}

const pendingTimers = (
  clock: { pending(): Array<{ kind: string; delay: number; origin: string }> },
) => clock.pending().map((t) => `${t.kind}(${t.delay}) created at ${t.origin}`);

const countOf = (log: EventRecorder, name: string) => log.names().filter((n) => n === name).length;

describe("task 1: ticker()", () => {
  it(
    "ticker() ticks at exact multiples of the interval",
    withClock(async (clock) => {
      const times: number[] = [];
      const numbers: number[] = [];
      for await (const n of ticker(250)) {
        numbers.push(n);
        times.push(clock.now());
        if (n === 4) break;
      }
      assert.deepEqual(
        numbers,
        [1, 2, 3, 4],
        `ticks count 1, 2, 3, 4; yours: ${JSON.stringify(numbers)}`,
      );
      assert.deepEqual(
        times,
        [250, 500, 750, 1000],
        `tick n comes at t = n * 250; yours at ${JSON.stringify(times)}`,
      );
    }),
  );

  it(
    "ticker() does not tick while nobody pulls",
    withClock(async (clock) => {
      const tick = ticker(100);
      assert.deepEqual(await tick.next(), { value: 1, done: false }, "the first pull gets tick 1");
      assert.equal(clock.now(), 100, `tick 1 comes at t=100; yours at t=${clock.now()}`);
      await clock.sleep(1000); // the consumer is busy for 1 s; nothing should pile up meanwhile
      const second = await tick.next();
      assert.deepEqual(
        second,
        { value: 2, done: false },
        "the second pull gets tick 2, not a backlog of ticks",
      );
      assert.equal(
        clock.now(),
        1200,
        `a lazy ticker starts waiting at the pull (t=1100), so tick 2 comes at t=1200; yours at t=${clock.now()}`,
      );
      await tick.return();
    }),
  );

  it(
    "ticker() holds no timer while it is parked between pulls",
    withClock(async (clock) => {
      const tick = ticker(100);
      await tick.next();
      assert.deepEqual(
        pendingTimers(clock),
        [],
        "between pulls a lazy ticker should have no timer running",
      );
      await tick.return();
    }),
  );

  it(
    "ticker() leaves no timer and no abort listener behind after a break",
    withClock(async (clock) => {
      const controller = new AbortController();
      const count = listenerCount(controller.signal);
      for await (const n of ticker(100, { signal: controller.signal })) {
        if (n === 3) break;
      }
      assert.deepEqual(pendingTimers(clock), [], "after the break no ticker timer may remain");
      assert.equal(
        count(),
        0,
        `after the break no abort listener may remain; ${count()} still registered`,
      );
      assert.equal(clock.now(), 300, `three ticks take 300 ms; yours took ${clock.now()}`);
    }),
  );

  it(
    "ticker() rejects with the signal's reason when aborted mid-wait, then is finished",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("stop ticking");
      const tick = ticker(100, { signal: controller.signal });
      assert.deepEqual(await tick.next(), { value: 1, done: false }, "tick 1 comes first");
      setTimeout(() => controller.abort(reason), 50);
      await rejectsWith(
        () => tick.next(),
        { is: reason },
        "the pull waiting when the signal aborts",
      );
      assert.equal(
        clock.now(),
        150,
        `the abort should end the wait at once (t=150); yours at t=${clock.now()}`,
      );
      assert.deepEqual(pendingTimers(clock), [], "the aborted wait must clear its timer");
      assert.deepEqual(
        await tick.next(),
        { value: undefined, done: true },
        "after the abort the ticker is finished",
      );
    }),
  );

  it(
    "ticker() with an already-aborted signal rejects at the first pull and starts no timer",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("stopped before the start");
      controller.abort(reason);
      await rejectsWith(
        () => ticker(100, { signal: controller.signal }).next(),
        { is: reason },
        "ticker(100, { signal: aborted }).next()",
      );
      assert.equal(
        clock.now(),
        0,
        `the first pull should reject at t=0; yours at t=${clock.now()}`,
      );
      assert.equal(clock.timersFired, 0, "no timer should have run");
    }),
  );

  it(
    "ticker() rejects an interval that is not a positive number setTimeout can hold",
    withClock(async (clock) => {
      for (const ms of [0, -5, NaN, Infinity, 2 ** 31]) {
        await rejectsWith(() => ticker(ms).next(), { name: "RangeError" }, `ticker(${ms}).next()`);
      }
      assert.equal(clock.timersFired, 0, "a rejected interval starts no timer");
    }),
  );

  it(
    "ticker() accepts an interval of exactly 2147483647 ms, the longest setTimeout keeps",
    withClock({ maxVirtualMs: 2 ** 32 }, async (clock) => {
      const tick = ticker(2 ** 31 - 1);
      const first = await tick.next();
      assert.deepEqual(first, { value: 1, done: false }, "ticker(2147483647) ticks");
      assert.equal(
        clock.now(),
        2 ** 31 - 1,
        `tick 1 of ticker(2147483647) comes at t=2147483647; yours at t=${clock.now()}`,
      );
      await tick.return();
    }),
  );

  it(
    "ticker() accepts a fractional interval",
    withClock(async (clock) => {
      const tick = ticker(2.5);
      const first = await tick.next();
      assert.deepEqual(first, { value: 1, done: false }, "ticker(2.5) ticks");
      assert.ok(
        clock.now() >= 2 && clock.now() <= 3,
        `tick 1 of ticker(2.5) comes between t=2 and t=3; yours at t=${clock.now()}`,
      );
      await tick.return();
    }),
  );
});

describe("task 2: take()", () => {
  it(
    "take() of a ticker ends right after the n-th tick and leaves no timer",
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
        `take(ticker(100), 3) should end at t=300; t=400 means it waited for a 4th tick; yours at t=${clock.now()}`,
      );
      assert.deepEqual(pendingTimers(clock), [], "no ticker timer may remain");
    }),
  );

  it(
    "take() never pulls more items than it yields",
    withClock(async () => {
      for (const n of [1, 3]) {
        const log = new EventRecorder();
        for await (const _ of take(source(log, "src", [1, 2, 3, 4, 5], 0), n)) { /* drain */ }
        assert.equal(
          countOf(log, "src pulled"),
          n,
          `take(src, ${n}) should pull ${n} items:\n` + log.format(),
        );
      }
    }),
  );

  it(
    "take() pulls from its source only when its own consumer pulls",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const taken = take(source(log, "src", [1, 2, 3], 100), 3);
      assert.deepEqual(await taken.next(), { value: 1, done: false }, "the first pull gives 1");
      await clock.sleep(1000); // the consumer is busy; take must not read ahead meanwhile
      assert.equal(
        countOf(log, "src pulled"),
        1,
        "while its consumer is busy, take() must not pull the next item (no reading ahead):\n" +
          log.format(),
      );
      assert.deepEqual(await taken.next(), { value: 2, done: false }, "the second pull gives 2");
      assert.equal(
        clock.now(),
        1200,
        `item 2 is pulled when the consumer asks (t=1100) and takes 100 ms: t=1200; yours at t=${clock.now()}`,
      );
      await taken.return();
    }),
  );

  it(
    "take() calls return() on its source so the source's finally runs",
    withClock(async () => {
      const log = new EventRecorder();
      const got: number[] = [];
      for await (const n of take(source(log, "src", [1, 2, 3, 4], 10), 2)) got.push(n);
      assert.deepEqual(got, [1, 2], `take(src, 2) yields 1, 2; yours: ${JSON.stringify(got)}`);
      assert.ok(
        log.names().includes("src finally"),
        "the source's finally should have run when take() ended:\n" + log.format(),
      );
    }),
  );

  it(
    "take() passes an early break on to its source",
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

  it(
    "take() passes on to its source an error thrown in its consumer's loop",
    withClock(async () => {
      const log = new EventRecorder();
      const oops = new Error("consumer failed");
      await rejectsWith(
        async () => {
          for await (const n of take(source(log, "src", [1, 2, 3, 4], 10), 3)) {
            if (n === 2) throw oops;
          }
        },
        { is: oops },
        "a for await over take() whose body throws",
      );
      assert.ok(
        log.names().includes("src finally"),
        "an error in the consumer must stop the source too:\n" + log.format(),
      );
    }),
  );

  it(
    "take() yields everything from a source shorter than n",
    withClock(async () => {
      const log = new EventRecorder();
      const got: string[] = [];
      for await (const s of take(source(log, "src", ["x", "y"], 10), 5)) got.push(s);
      assert.deepEqual(got, ["x", "y"], `the whole short source; yours: ${JSON.stringify(got)}`);
    }),
  );

  it(
    "take() of 0 items pulls nothing from its source",
    withClock(async () => {
      const log = new EventRecorder();
      const got: number[] = [];
      for await (const n of take(source(log, "src", [1, 2], 10), 0)) got.push(n);
      assert.deepEqual(got, [], "take(src, 0) yields nothing");
      assert.ok(
        !log.names().includes("src pulled"),
        "take(src, 0) must not pull anything:\n" + log.format(),
      );
    }),
  );

  it(
    "take() passes on its source's error",
    withClock(async () => {
      const log = new EventRecorder();
      const got: string[] = [];
      const broke = new TypeError("source broke");
      await rejectsWith(
        async () => {
          for await (const s of take(failing(log, "f", 1, 10, broke), 5)) got.push(s);
        },
        { is: broke },
        "take(failing source, 5)",
      );
      assert.deepEqual(
        got,
        ["f1"],
        `the item before the error comes through; yours: ${JSON.stringify(got)}`,
      );
    }),
  );

  it(
    "take() with a negative, fractional or infinite count fails with a RangeError",
    withClock(async () => {
      for (const n of [-1, 1.5, NaN, Infinity]) {
        const log = new EventRecorder();
        await rejectsWith(
          () => take(source(log, "src", [1], 0), n).next(),
          { name: "RangeError" },
          `take(src, ${n}).next()`,
        );
        assert.ok(!log.names().includes("src pulled"), `take(src, ${n}) must not pull anything`);
      }
    }),
  );

  it(
    "take() works on an iterator that has no return() method",
    withClock(async () => {
      const log = new EventRecorder();
      const got: number[] = [];
      for await (const n of take(bare([1, 2, 3, 4], log), 2)) got.push(n);
      assert.deepEqual(
        got,
        [1, 2],
        `take(bare iterable, 2) yields 1, 2; yours: ${JSON.stringify(got)}`,
      );
      assert.equal(countOf(log, "bare pulled"), 2, "take(bare, 2) pulls 2 items:\n" + log.format());
    }),
  );
});

describe("task 3: find()", () => {
  it(
    "find() resolves with the first match, pulls nothing after it and stops the source first",
    withClock(async () => {
      const log = new EventRecorder();
      const found = await find(source(log, "src", [1, 3, 8, 10, 12], 10), (n) => n % 2 === 0);
      log.record("find resolved");
      assert.equal(found, 8, `the first even item is 8; yours: ${found}`);
      assert.equal(
        countOf(log, "src pulled"),
        3,
        "find() pulls up to the match and no further:\n" + log.format(),
      );
      assert.deepEqual(
        log.names().slice(-2),
        ["src finally", "find resolved"],
        "the source's finally must run before find() resolves:\n" + log.format(),
      );
    }),
  );

  it(
    "find() gives the predicate each item's index",
    withClock(async () => {
      const log = new EventRecorder();
      const seen: Array<[string, number]> = [];
      const found = await find(source(log, "src", ["a", "b", "c", "d"], 10), (s, i) => {
        seen.push([s, i]);
        return i === 2;
      });
      assert.equal(found, "c", `the item at index 2 is c; yours: ${found}`);
      assert.deepEqual(
        seen,
        [["a", 0], ["b", 1], ["c", 2]],
        `the predicate sees (item, index) pairs; yours saw ${JSON.stringify(seen)}`,
      );
    }),
  );

  it(
    "find() awaits an async predicate and stops at its first true",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const slowCheck = async (n: number) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return n === 2;
      };
      const found = await find(source(log, "src", [1, 2, 3], 0), slowCheck);
      assert.equal(
        found,
        2,
        `the predicate is true for 2 (a promise is always truthy: await it); yours: ${found}`,
      );
      assert.equal(
        clock.now(),
        200,
        `two checks of 100 ms each: find() resolves at t=200; yours at t=${clock.now()}`,
      );
      assert.equal(countOf(log, "src pulled"), 2, "find() pulls 2 items:\n" + log.format());
    }),
  );

  it(
    "find() resolves with undefined when the source ends without a match",
    withClock(async () => {
      const log = new EventRecorder();
      const found = await find(source(log, "src", [1, 3, 5], 10), (n) => n > 10);
      assert.equal(found, undefined, `nothing matches: undefined; yours: ${String(found)}`);
      assert.equal(
        countOf(log, "src pulled"),
        3,
        "find() reads the whole source:\n" + log.format(),
      );
    }),
  );

  it(
    "find() of an empty source resolves with undefined without calling the predicate",
    withClock(async () => {
      const log = new EventRecorder();
      let calls = 0;
      const found = await find(source<number>(log, "src", [], 0), () => (calls++, true));
      assert.equal(found, undefined, `an empty source has no match; yours: ${String(found)}`);
      assert.equal(calls, 0, "the predicate has nothing to look at");
    }),
  );

  it(
    "find() rejects with an error the predicate throws, after stopping the source",
    withClock(async () => {
      const log = new EventRecorder();
      const broken = new RangeError("cannot judge 2");
      const pending = find(source(log, "src", [1, 2, 3], 10), (n) => {
        if (n === 2) throw broken;
        return false;
      });
      await rejectsWith(pending, { is: broken }, "find(src, predicate that throws on 2)");
      log.record("find rejected");
      assert.deepEqual(
        log.names().slice(-2),
        ["src finally", "find rejected"],
        "the source's finally must run before find() rejects:\n" + log.format(),
      );
      assert.equal(
        countOf(log, "src pulled"),
        2,
        "nothing is pulled after the failing item:\n" + log.format(),
      );
    }),
  );

  it(
    "find() rejects with the predicate's rejection, after stopping the source",
    withClock(async () => {
      const log = new EventRecorder();
      const broken = new Error("lookup failed");
      await rejectsWith(
        find(
          source(log, "src", [1, 2, 3], 10),
          (n) => (n === 2 ? Promise.reject(broken) : Promise.resolve(false)),
        ),
        { is: broken },
        "find(src, predicate that rejects on 2)",
      );
      assert.ok(
        log.names().includes("src finally"),
        "the source must be stopped before find() rejects:\n" + log.format(),
      );
    }),
  );

  it(
    "find() passes on its source's error",
    withClock(async () => {
      const log = new EventRecorder();
      const broke = new TypeError("feed down");
      await rejectsWith(
        find(failing(log, "f", 2, 10, broke), () => false),
        { is: broke },
        "find(failing source, never)",
      );
    }),
  );

  it(
    "find() on a ticker stops it and leaves no timer",
    withClock(async (clock) => {
      const found = await find(ticker(100), (n) => n % 4 === 0);
      assert.equal(found, 4, `the first multiple of 4 is 4; yours: ${found}`);
      assert.equal(clock.now(), 400, `tick 4 comes at t=400; yours at t=${clock.now()}`);
      assert.deepEqual(pendingTimers(clock), [], "no ticker timer may remain after find()");
    }),
  );

  it(
    "find() works on an iterator that has no return() method",
    withClock(async () => {
      const log = new EventRecorder();
      const found = await find(bare(["x", "y", "z"], log), (s) => s === "y");
      assert.equal(found, "y", `find(bare, is y) resolves with y; yours: ${found}`);
      assert.equal(
        countOf(log, "bare pulled"),
        2,
        "find() pulls up to the match:\n" + log.format(),
      );
    }),
  );
});
