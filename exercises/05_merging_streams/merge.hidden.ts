/**
 * Hidden tests for exercise 05: the edge cases the grader checks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { deferred, EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { merge, withAbort } from "./merge.ts";

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

/** 1, 2, 3, ... one every `ms` after each pull; the signal interrupts the wait. */
async function* tick(ms: number, signal?: AbortSignal): AsyncGenerator<number> {
  for (let n = 1;; n++) {
    await new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    yield n;
  }
}

/** The first `n` items of `source`; leaving the for await stops the source. */
async function* firstOf<T>(source: AsyncIterable<T>, n: number): AsyncGenerator<T> {
  let count = 0;
  for await (const item of source) {
    yield item;
    if (++count >= n) return;
  }
}

/**
 * A hand-written iterable: `next()` resolves `items` one by one (then done), or behaves as
 * `fail` says at the end; `return()` exists only when `withReturn`, and is counted.
 */
function handMade<T>(
  name: string,
  items: T[],
  log: EventRecorder,
  options: { withReturn?: boolean; fail?: "reject" | "throw" } = {},
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      let i = 0;
      const iterator: AsyncIterator<T> = {
        next(): Promise<IteratorResult<T>> {
          log.record(`${name} pulled`);
          if (i < items.length) return Promise.resolve({ value: items[i++], done: false });
          if (options.fail === "throw") throw new TypeError(`${name}.next() threw`);
          if (options.fail === "reject") {
            return Promise.reject(new RangeError(`${name}.next() rejected`));
          }
          return Promise.resolve({ value: undefined, done: true });
        },
      };
      if (options.withReturn) {
        iterator.return = () => {
          log.record(`${name} return`);
          return Promise.resolve({ value: undefined, done: true });
        };
      }
      return iterator;
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

describe("task 1: merge()", () => {
  it(
    "merge() interleaves sources by arrival time",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const got: Array<[string, number]> = [];
      for await (
        const s of merge(
          source(log, "a", ["a1", "a2"], 300),
          source(log, "b", ["b1", "b2", "b3"], 110),
        )
      ) {
        got.push([s, clock.now()]);
      }
      assert.deepEqual(
        got,
        [["b1", 110], ["b2", 220], ["a1", 300], ["b3", 330], ["a2", 600]],
        `[item, t] pairs in arrival order; yours: ${JSON.stringify(got)}`,
      );
    }),
  );

  it(
    "merge() ends when every source has ended and each one has finished",
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
      log.record("loop over");
      assert.deepEqual(got.sort(), [1, 2, 3, 4], `every item once; yours: ${JSON.stringify(got)}`);
      for (const name of ["a", "b", "c"]) {
        assert.ok(
          log.names().indexOf(`${name} finally`) < log.names().indexOf("loop over"),
          `source ${name} should have finished before the loop ended:\n` + log.format(),
        );
      }
    }),
  );

  it(
    "merge() does not close a source that ended by itself",
    withClock(async () => {
      const log = new EventRecorder();
      const got: number[] = [];
      for await (
        const n of merge(
          handMade("x", [1, 2], log, { withReturn: true }),
          handMade("y", [3], log, { withReturn: true }),
        )
      ) {
        got.push(n);
      }
      assert.deepEqual(got.sort(), [1, 2, 3], `every item once; yours: ${JSON.stringify(got)}`);
      assert.equal(
        countOf(log, "x return") + countOf(log, "y return"),
        0,
        "sources that ended by themselves are not closed again:\n" + log.format(),
      );
    }),
  );

  it(
    "merge() of no sources yields nothing",
    withClock(async () => {
      const got: unknown[] = [];
      for await (const x of merge()) got.push(x);
      assert.deepEqual(got, [], "nothing to yield");
    }),
  );

  it(
    "merge() of one source passes it through unchanged",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const got: Array<[string, number]> = [];
      for await (const s of merge(source(log, "only", ["x", "y", "z"], 50))) {
        got.push([s, clock.now()]);
      }
      assert.deepEqual(
        got,
        [["x", 50], ["y", 100], ["z", 150]],
        `the one source, item by item; yours: ${JSON.stringify(got)}`,
      );
      assert.equal(countOf(log, "only pulled"), 3, "three pulls for three items:\n" + log.format());
    }),
  );

  it(
    "merge() pulls at most one item ahead from each source",
    withClock(async () => {
      const log = new EventRecorder();
      const got: number[] = [];
      for await (
        const n of merge(
          source(log, "fast", Array.from({ length: 50 }, (_, i) => i), 0),
          source(log, "slow", [100], 1000),
        )
      ) {
        got.push(n);
        if (got.length === 2) break;
      }
      const pulls = countOf(log, "fast pulled");
      assert.ok(
        pulls <= 3,
        `merge() should pull one item ahead at most; after 2 items it pulled ${pulls} from the fast source`,
      );
    }),
  );

  it(
    "merge() pulls a source again only when its consumer asks for more",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const gen = merge(source(log, "a", [1, 2, 3], 10), source(log, "b", [4, 5, 6], 10));
      const first = await gen.next();
      assert.equal(first.done, false, "merge yields the first item");
      await clock.sleep(500); // the consumer is busy
      const pulls = countOf(log, "a pulled") + countOf(log, "b pulled");
      assert.ok(
        pulls <= 2,
        `while the consumer holds the first item, merge has pulled each source once (it pulls the source of that item again only at the next next()); it pulled ${pulls} times:\n` +
          log.format(),
      );
      await gen.return();
    }),
  );

  it(
    "merge() stops the other sources when one fails, and rejects with that exact error",
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
    "merge() treats a next() that throws as a failed source, stops the others and does not close it again",
    withClock(async () => {
      const log = new EventRecorder();
      await rejectsWith(
        async () => {
          for await (
            const _ of merge(
              handMade("thrower", [1], log, { withReturn: true, fail: "throw" }),
              handMade("other", [1, 2, 3, 4, 5], log, { withReturn: true }),
            )
          ) {
            // consume
          }
        },
        { name: "TypeError", message: "thrower.next() threw" },
        "merge(source whose next() throws, other)",
      );
      assert.equal(
        countOf(log, "other return"),
        1,
        "the other source must be stopped (return() called once):\n" + log.format(),
      );
      assert.equal(
        countOf(log, "thrower return"),
        0,
        "the failed source has ended: it must not be closed again:\n" + log.format(),
      );
    }),
  );

  it(
    "merge() treats a first next() that throws as a failed source and still stops the others",
    withClock(async () => {
      const log = new EventRecorder();
      await rejectsWith(
        async () => {
          for await (
            const _ of merge(
              source(log, "a", ["a1", "a2"], 100),
              handMade<string>("thrower", [], log, { withReturn: true, fail: "throw" }),
            )
          ) {
            // consume
          }
        },
        { name: "TypeError", message: "thrower.next() threw" },
        "merge(a, source whose very first next() throws)",
      );
      assert.ok(
        log.names().includes("a finally"),
        "source a was already started when the other's first next() threw: merge must still stop it " +
          "(a next() that throws is a failed source, handled like a rejection, inside the try):\n" +
          log.format(),
      );
      assert.equal(
        countOf(log, "thrower return"),
        0,
        "the failed source has ended: it must not be closed again:\n" + log.format(),
      );
    }),
  );

  it(
    "merge() does not close a source whose next() rejected",
    withClock(async () => {
      const log = new EventRecorder();
      await rejectsWith(
        async () => {
          for await (
            const _ of merge(handMade("rejecter", ["r"], log, { withReturn: true, fail: "reject" }))
          ) {
            // consume
          }
        },
        { name: "RangeError" },
        "merge(source whose next() rejects)",
      );
      assert.equal(
        countOf(log, "rejecter return"),
        0,
        "a source that failed is not closed again:\n" + log.format(),
      );
    }),
  );

  it(
    "merge() calls return() on every source when the consumer breaks, and waits for them",
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
      log.record("loop over");
      const names = log.names();
      assert.ok(
        names.indexOf("a finally") >= 0 && names.indexOf("a finally") < names.indexOf("loop over"),
        "a's finally must be over when the loop ends:\n" + log.format(),
      );
      assert.ok(
        names.indexOf("b finally") >= 0 && names.indexOf("b finally") < names.indexOf("loop over"),
        "b's finally must be over when the loop ends:\n" + log.format(),
      );
      assert.deepEqual(pendingTimers(clock), [], "no source may keep a timer after the break");
    }),
  );

  it(
    "merge() stops every source when an error is thrown in the consumer's loop",
    withClock(async () => {
      const log = new EventRecorder();
      const oops = new Error("consumer failed");
      await rejectsWith(
        async () => {
          for await (
            const s of merge(source(log, "a", ["a1", "a2"], 40), source(log, "b", ["b1", "b2"], 60))
          ) {
            if (s === "b1") throw oops;
          }
        },
        { is: oops },
        "a for await over merge() whose body throws",
      );
      assert.ok(
        log.names().includes("a finally") && log.names().includes("b finally"),
        "every source must be stopped:\n" + log.format(),
      );
    }),
  );

  it(
    "merge() stops tickers cleanly when it is cut short",
    withClock(async (clock) => {
      const got: number[] = [];
      for await (const n of firstOf(merge(tick(100), tick(250)), 4)) got.push(n);
      assert.deepEqual(
        got,
        [1, 2, 1, 3],
        `ticks at t=100, 200, 250, 300; yours: ${JSON.stringify(got)}`,
      );
      assert.deepEqual(pendingTimers(clock), [], "every ticker inside merge must be stopped");
    }),
  );

  it(
    "merge() works with iterators that have no return() method",
    withClock(async () => {
      const log = new EventRecorder();
      const got: number[] = [];
      for await (const n of merge(handMade("bare", [1, 2, 3], log))) {
        got.push(n);
        if (n === 2) break;
      }
      assert.deepEqual(got, [1, 2], `items until the break; yours: ${JSON.stringify(got)}`);
    }),
  );

  it(
    "merge() ignores an error a source throws while it is being closed",
    withClock(async () => {
      async function* badCleanup() {
        try {
          for (let i = 1;; i++) {
            await new Promise((resolve) => setTimeout(resolve, 10));
            yield i;
          }
        } finally {
          // deno-lint-ignore no-unsafe-finally
          throw new Error("cleanup failed");
        }
      }
      const got: number[] = [];
      for await (const n of merge(badCleanup())) {
        got.push(n);
        if (n === 2) break;
      }
      assert.deepEqual(
        got,
        [1, 2],
        "the break ends the loop without an error: a failing cleanup is ignored",
      );
      const down = new Error("feed down");
      const log = new EventRecorder();
      await rejectsWith(
        async () => {
          for await (
            const _ of merge<number | string>(badCleanup(), failing(log, "bad", 0, 15, down))
          ) {
            // consume
          }
        },
        { is: down },
        "merge(source with failing cleanup, failing source)",
      );
    }),
  );

  it(
    "merge() leaves no unhandled rejection when an abandoned pull fails later",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const late = new Error("failed after the consumer left");
      for await (
        const s of merge(source(log, "a", ["a1", "a2"], 10), failing(log, "b", 0, 100, late))
      ) {
        if (s === "a1") break; // b's pull is in flight; it rejects at t=100
      }
      await clock.sleep(200);
      assert.ok(log.names().includes("b finally"), "b ended:\n" + log.format());
      // A source whose next pull fails: merge must not have started that pull before the
      // consumer asked, or, if it did, that pull must have a handler.
      for await (
        const s of merge(failing(log, "c", 1, 10, new Error("c failed on its 2nd pull")))
      ) {
        if (s === "c1") break;
      }
      await clock.sleep(100);
    }),
  );
});

describe("task 2: withAbort()", () => {
  it(
    "withAbort() stops a generator stuck inside an await with the exact reason",
    withClock(async (clock) => {
      const gate = deferred<void>();
      async function* stuck() {
        yield 1;
        await gate.promise;
        yield 2;
      }
      const controller = new AbortController();
      const reason = { custom: "reason object" };
      setTimeout(() => controller.abort(reason), 40);
      await rejectsWith(
        async () => {
          for await (const _ of withAbort(stuck(), controller.signal)) { /* consume */ }
        },
        { is: reason },
        "withAbort(stuck source, signal)",
      );
      assert.equal(
        clock.now(),
        40,
        `the abort should end the loop at t=40; yours at t=${clock.now()}`,
      );
      gate.resolve();
    }),
  );

  it(
    "withAbort() calls return() on a stuck source so its finally runs when it wakes",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const gate = deferred<void>();
      async function* stuck() {
        try {
          yield 1;
          await gate.promise;
          log.record("woke up");
          yield 2;
          log.record("went on after the abort");
        } finally {
          log.record("finally");
        }
      }
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 40);
      setTimeout(() => gate.resolve(), 100);
      await rejectsWith(
        async () => {
          for await (const _ of withAbort(stuck(), controller.signal)) { /* consume */ }
        },
        { name: "AbortError" },
        "withAbort(stuck source, signal)",
      );
      assert.equal(
        clock.now(),
        40,
        `withAbort() must not wait for the stuck source (t=40); yours ended at t=${clock.now()}`,
      );
      await clock.sleep(100);
      assert.deepEqual(
        log.names(),
        ["woke up", "finally"],
        "after the abort the source must be told to stop (return()):\n" + log.format(),
      );
      assert.equal(log.firstAt("finally"), 100, "its finally runs when it wakes up (t=100)");
    }),
  );

  it(
    "withAbort() with an already-aborted signal never pulls from its source",
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
    "withAbort() fails at the next pull when aborted between items, after stopping the source",
    withClock(async () => {
      const log = new EventRecorder();
      const controller = new AbortController();
      const reason = new Error("stop between items");
      const got: number[] = [];
      await rejectsWith(
        async () => {
          for await (const n of withAbort(source(log, "src", [1, 2, 3], 10), controller.signal)) {
            got.push(n);
            if (n === 1) controller.abort(reason);
          }
        },
        { is: reason },
        "withAbort(src, signal) aborted between items",
      );
      log.record("error reached the loop");
      assert.deepEqual(got, [1], `only item 1 comes through; yours: ${JSON.stringify(got)}`);
      assert.equal(
        countOf(log, "src pulled"),
        1,
        "nothing is pulled after the abort:\n" + log.format(),
      );
      assert.deepEqual(
        log.names().slice(-2),
        ["src finally", "error reached the loop"],
        "the source must be stopped before the error reaches the loop:\n" + log.format(),
      );
    }),
  );

  it(
    "withAbort() passes a consumer's break on to its source and waits for it",
    withClock(async () => {
      const log = new EventRecorder();
      const controller = new AbortController();
      for await (const n of withAbort(source(log, "src", [1, 2, 3], 10), controller.signal)) {
        if (n === 2) break;
      }
      log.record("loop over");
      assert.deepEqual(
        log.names().slice(-2),
        ["src finally", "loop over"],
        "break should stop the source before the loop ends:\n" + log.format(),
      );
    }),
  );

  it(
    "withAbort() yields every item when the signal never aborts, and does not close an ended source",
    withClock(async () => {
      const log = new EventRecorder();
      const got: string[] = [];
      for await (
        const s of withAbort(
          handMade("src", ["a", "b", "c"], log, { withReturn: true }),
          new AbortController().signal,
        )
      ) got.push(s);
      assert.deepEqual(got, ["a", "b", "c"], `every item; yours: ${JSON.stringify(got)}`);
      assert.equal(
        countOf(log, "src return"),
        0,
        "a source that ended by itself is not closed again:\n" + log.format(),
      );
    }),
  );

  it(
    "withAbort() passes on a source's error without closing it again",
    withClock(async () => {
      const log = new EventRecorder();
      const controller = new AbortController();
      const count = listenerCount(controller.signal);
      await rejectsWith(
        async () => {
          for await (
            const _ of withAbort(
              handMade("src", [1], log, { withReturn: true, fail: "reject" }),
              controller.signal,
            )
          ) {
            // consume
          }
        },
        { name: "RangeError", message: "src.next() rejected" },
        "withAbort(failing source, signal)",
      );
      assert.equal(
        countOf(log, "src return"),
        0,
        "a source that failed is not closed again:\n" + log.format(),
      );
      assert.equal(count(), 0, "the abort listener must be removed when the source fails");
    }),
  );

  it(
    "withAbort() removes its abort listener however the loop ends",
    withClock(async () => {
      const log = new EventRecorder();
      const controller = new AbortController();
      const count = listenerCount(controller.signal);
      for await (const _ of withAbort(source(log, "one", [1, 2], 10), controller.signal)) {
        /* consume */
      }
      assert.equal(count(), 0, `after a normal end no listener may remain; ${count()} do`);
      for await (const _ of withAbort(source(log, "two", [1, 2], 10), controller.signal)) {
        break;
      }
      assert.equal(count(), 0, `after a break no listener may remain; ${count()} do`);
    }),
  );

  it(
    "withAbort() stops a ticker that shares its signal at the abort and leaves no timer",
    withClock(async (clock) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 250);
      const got: number[] = [];
      await rejectsWith(
        async () => {
          for await (const n of withAbort(tick(100, controller.signal), controller.signal)) {
            got.push(n);
          }
        },
        { name: "AbortError" },
        "withAbort(tick(100, signal), signal)",
      );
      assert.deepEqual(
        got,
        [1, 2],
        `ticks 1 and 2 before the abort; yours: ${JSON.stringify(got)}`,
      );
      assert.equal(
        clock.now(),
        250,
        `the loop ends at the abort (t=250); yours at t=${clock.now()}`,
      );
      await clock.flush();
      assert.deepEqual(pendingTimers(clock), [], "no timer may remain");
    }),
  );

  it(
    "withAbort() ignores an error from the source's return() after a break",
    withClock(async () => {
      async function* badCleanup() {
        try {
          yield 1;
          yield 2;
        } finally {
          // deno-lint-ignore no-unsafe-finally
          throw new Error("cleanup failed");
        }
      }
      const got: number[] = [];
      for await (const n of withAbort(badCleanup(), new AbortController().signal)) {
        got.push(n);
        break;
      }
      assert.deepEqual(
        got,
        [1],
        "the break ends the loop without an error: a failing cleanup is ignored",
      );
    }),
  );

  it(
    "withAbort() leaves no unhandled rejection when a stuck source fails after the abort",
    withClock(async (clock) => {
      const gate = deferred<void>();
      async function* stuckThenFails() {
        yield 1;
        await gate.promise;
        throw new Error("failed while nobody was listening");
      }
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      setTimeout(() => gate.resolve(), 100);
      await rejectsWith(
        async () => {
          for await (const _ of withAbort(stuckThenFails(), controller.signal)) { /* consume */ }
        },
        { name: "AbortError" },
        "withAbort(stuck source, signal)",
      );
      await clock.sleep(200); // the source fails at t=100: that rejection must be handled
    }),
  );
});
