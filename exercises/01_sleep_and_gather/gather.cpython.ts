// deno-lint-ignore-file require-await -- async functions without an await stand for coroutines and handlers that finish at once
/**
 * CPython's own tests of `asyncio.sleep` and `asyncio.gather`, translated case by case from
 * CPython 3.13's `Lib/test/test_asyncio/test_tasks.py` (classes `BaseTaskTests`,
 * `GatherTestsBase`, `FutureGatherTests` and `CoroutineGatherTests`). Run them against your code
 * with `bun run grade 01 --cpython` (or `deno task grade 01 --cpython`,
 * `npm run grade -- 01 --cpython`); they are shown apart from your score.
 *
 * The mapping: a future (`loop.create_future()`) is a `deferred()`; `fut.set_result(v)` and
 * `fut.set_exception(e)` are `resolve(v)` and `reject(e)`; `fut.cancel()` rejects it with a
 * `DOMException` named `"AbortError"` (what a cancelled promise-returning call rejects with);
 * `asyncio.gather(a, b)` is `gather([a, b])`; `asyncio.sleep(s)` is `sleep(s * 1000)`;
 * `task.cancel()` aborts the signal the task's sleep listens to; `_run_loop` (run every ready
 * callback) is `flush()`, a few microtask turns. `cb.assert_called_once_with(fut)` becomes a
 * count of the reactions on the gather's promise.
 *
 * Left out, with the reason:
 * - `test_env_var_debug`, `test_constructor_*` (no current / running / global / other loop):
 *   about event loops; JavaScript has one per agent.
 * - `test_gather_shield`: `asyncio.shield` has no counterpart in this exercise.
 * - `SleepTests.test_sleep_zero`: `asyncio.sleep(0, result=10)` has no `result` argument here,
 *   and the case relies on `call_soon`'s first-in-first-out ready queue; the workbook checks the
 *   same promise (sleep(0) lets waiting callbacks run) with a loop that holds in any order of
 *   same-instant timers.
 * - `test_sleep_cancel`: it reads the private `handle._cancelled`; the hidden test "sleep()
 *   clears its timer when aborted" checks the same through the clock.
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import { deferred, expectedDifference, rejectsWith, withClock } from "../../lib/mod.ts";
import { gather, sleep } from "./gather.ts";

// The same reasons as the README's "Where this differs from CPython".
const NO_CANCEL = "gather takes running promises, and cannot cancel them";
const PLAIN_VALUES = "gather accepts plain values next to promises, as Promise.all does";

/** `_run_loop`: lets every queued reaction run (a few microtask turns). */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await null;
}

/** `fut.cancel()` on a future: it rejects with what a cancelled call rejects with. */
const cancelledError = () => new DOMException("cancelled", "AbortError");

/** Counts the settlements of `p`, like the MockCallback of `fut.add_done_callback(cb)`. */
function doneCallback(p: Promise<unknown>): { calls: () => number } {
  let calls = 0;
  p.then(() => calls++, () => calls++);
  return { calls: () => calls };
}

it(
  "test_tasks.BaseTaskTests.test_sleep",
  withClock(async (clock) => {
    async function sleeper(dt: number, arg: string) {
      await sleep(dt / 2);
      await sleep(dt / 2);
      return arg;
    }
    assert.equal(await sleeper(100, "yeah"), "yeah");
    assert.equal(clock.now(), 100);
  }),
);

it(
  "test_tasks.BaseTaskTests.test_sleep_when_delay_is_nan",
  withClock(async () => {
    await rejectsWith(() => sleep(NaN), { name: "RangeError" }, "sleep(NaN)");
  }),
);

it(
  "test_tasks.BaseTaskTests.test_task_cancel_sleeping_task",
  withClock(async (clock) => {
    const sleeper = new AbortController();
    setTimeout(() => sleeper.abort(), 100); // loop.call_later(0.1, sleeper.cancel)
    const doit = async () => {
      try {
        await sleep(5_000_000, { signal: sleeper.signal });
      } catch {
        return "cancelled";
      }
      return "slept in";
    };
    assert.equal(await doit(), "cancelled");
    assert.equal(clock.now(), 100);
  }),
);

/** `_check_success(**kwargs)`. */
async function checkSuccess(options: { returnExceptions?: boolean }): Promise<void> {
  const [a, b, c] = [deferred<number>(), deferred<number>(), deferred<number>()];
  const fut = gather([a.promise, b.promise, c.promise], options);
  const cb = doneCallback(fut);
  b.resolve(1);
  a.resolve(2);
  await flush();
  assert.equal(cb.calls(), 0);
  c.resolve(3);
  await flush();
  assert.equal(cb.calls(), 1);
  assert.deepEqual(await fut, [2, 1, 3]);
}

it(
  "test_tasks.FutureGatherTests.test_success",
  withClock(async () => {
    await checkSuccess({});
    await checkSuccess({ returnExceptions: false });
  }),
);

it(
  "test_tasks.FutureGatherTests.test_result_exception_success",
  withClock(async () => {
    await checkSuccess({ returnExceptions: true });
  }),
);

it(
  "test_tasks.FutureGatherTests.test_one_exception",
  withClock(async () => {
    const [a, b, c, d, e] = [0, 1, 2, 3, 4].map(() => deferred<number>());
    const fut = gather([a, b, c, d, e].map((f) => f.promise));
    const cb = doneCallback(fut);
    const exc = new RangeError("ZeroDivisionError");
    a.resolve(1);
    b.reject(exc);
    await flush();
    assert.equal(cb.calls(), 1);
    await rejectsWith(fut, { is: exc }, "gather(a, b, c, d, e)");
    // Does nothing (and leaves nothing unhandled).
    c.resolve(3);
    d.reject(cancelledError());
    e.reject(new Error("RuntimeError"));
    await flush();
  }),
);

it(
  "test_tasks.FutureGatherTests.test_return_exceptions",
  withClock(async () => {
    const [a, b, c, d] = [0, 1, 2, 3].map(() => deferred<number>());
    const fut = gather([a, b, c, d].map((f) => f.promise), { returnExceptions: true });
    const cb = doneCallback(fut);
    const exc = new RangeError("ZeroDivisionError");
    const exc2 = new Error("RuntimeError");
    b.resolve(1);
    c.reject(exc);
    a.resolve(3);
    await flush();
    assert.equal(cb.calls(), 0);
    d.reject(exc2);
    await flush();
    assert.equal(cb.calls(), 1);
    assert.deepEqual(await fut, [3, 1, exc, exc2]);
  }),
);

it(
  "test_tasks.FutureGatherTests.test_constructor_empty_sequence_use_running_loop",
  withClock(async () => {
    assert.deepEqual(await gather([]), []);
  }),
);

it(
  "test_tasks.FutureGatherTests.test_one_cancellation",
  withClock(async () => {
    const [a, b, c, d, e] = [0, 1, 2, 3, 4].map(() => deferred<number>());
    const fut = gather([a, b, c, d, e].map((f) => f.promise));
    const cb = doneCallback(fut);
    a.resolve(1);
    b.reject(cancelledError());
    await flush();
    assert.equal(cb.calls(), 1);
    await rejectsWith(fut, { name: "AbortError" }, "gather with a cancelled child");
    c.resolve(3);
    d.reject(cancelledError());
    e.reject(new Error("RuntimeError"));
    await flush();
  }),
);

it(
  "test_tasks.FutureGatherTests.test_result_exception_one_cancellation",
  withClock(async () => {
    const [a, b, c, d, e, f] = [0, 1, 2, 3, 4, 5].map(() => deferred<number>());
    const fut = gather([a, b, c, d, e, f].map((x) => x.promise), { returnExceptions: true });
    const cb = doneCallback(fut);
    a.resolve(1);
    const zde = new RangeError("ZeroDivisionError");
    b.reject(zde);
    c.reject(cancelledError());
    await flush();
    assert.equal(cb.calls(), 0);
    d.resolve(3);
    e.reject(cancelledError());
    const rte = new Error("RuntimeError");
    f.reject(rte);
    const res = await fut;
    assert.equal((res[2] as Error).name, "AbortError");
    assert.equal((res[4] as Error).name, "AbortError");
    res[2] = res[4] = null as unknown as number;
    assert.deepEqual(res, [1, zde, null, 3, null, rte]);
    assert.equal(cb.calls(), 1);
  }),
);

it(
  "test_tasks.CoroutineGatherTests.test_duplicate_coroutines",
  withClock(async () => {
    const coro = async (s: string) => s;
    const c = coro("abc");
    assert.deepEqual(await gather([c, c, coro("def"), c]), ["abc", "abc", "def", "abc"]);
  }),
);

it(
  "test_tasks.CoroutineGatherTests.test_exception_marking",
  withClock(async () => {
    const a = deferred<void>();
    const b = deferred<void>();
    const inner = async (f: Promise<void>) => {
      await f;
      throw new Error("should not be ignored");
    };
    const outer = gather([inner(a.promise), inner(b.promise)]);
    a.resolve();
    await flush();
    b.resolve(); // the second failure must not be reported as unhandled
    await flush();
    await rejectsWith(outer, { message: "should not be ignored" }, "gather(inner(a), inner(b))");
  }),
);

it(
  "test_tasks.CoroutineGatherTests.test_cancellation_broadcast",
  withClock(expectedDifference(NO_CANCEL, async () => {
    let proof = 0;
    const waiter = deferred<void>();
    const children = [new AbortController(), new AbortController()];
    const inner = (signal: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
        waiter.promise.then(() => {
          proof++;
          resolve();
        });
      });
    const child1 = inner(children[0].signal);
    const child2 = inner(children[1].signal);
    child1.catch(() => {});
    child2.catch(() => {});
    const gatherer = gather([child1, child2]);
    gatherer.catch(() => {});
    // f.cancel(): cancelling the task awaiting the gather cancels every child. gather has no
    // way to be told, so nothing reaches the children.
    await flush();
    assert.equal(
      children[0].signal.aborted && children[1].signal.aborted,
      true,
      "both children are cancelled",
    );
    waiter.resolve();
    await flush();
    assert.equal(proof, 0);
  })),
);

it(
  "test_tasks.CoroutineGatherTests.test_issue46672",
  withClock(expectedDifference(PLAIN_VALUES, async () => {
    const coro = async (s: string) => s;
    await rejectsWith(
      () => gather<unknown>([coro("abc"), {}]),
      { name: "TypeError" },
      "gather(c, {})",
    );
  })),
);
