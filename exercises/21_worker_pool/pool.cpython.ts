/**
 * CPython's own tests of `ProcessPoolExecutor`, translated case by case from CPython 3.13's
 * `Lib/test/test_concurrent_futures/` (`executor.py` class `ExecutorTest`, `test_process_pool.py`
 * class `ProcessPoolExecutorTest`, `test_shutdown.py` classes `ExecutorShutdownTest` and
 * `ProcessPoolShutdownTest`). Run them against your code with `bun run grade 21 --cpython` (or
 * `deno task grade 21 --cpython`, `npm run grade -- 21 --cpython`); they are shown apart from your
 * score.
 *
 * The mapping: the test's executor is `new WorkerPool(JOBS, { size: 5 })` (the suites' worker
 * count is 5); `executor.submit(fn, *args)` is `pool.run("fn", args)` and `future.result()` is
 * `await`; `executor.map(fn, xs, ys)` is `Promise.all` over `run()`; `executor.shutdown()` is
 * `pool[Symbol.asyncDispose]()` and `with ... as e:` is `await using`; `len(executor._processes)`
 * is `pool.threads`; a job blocked on a semaphore is `awaitGate` (the test opens the gate);
 * `time.sleep(s)` is `echoAfter(s * 1000)`; `ValueError` is `RangeError`, `RuntimeError` an error
 * named "InvalidStateError", a cancelled future a job rejected with an "AbortError".
 *
 * Left out, with the reason:
 * - `test_submit_keyword`: keyword arguments (JavaScript passes an options object instead).
 * - `test_map_timeout`, `test_map_chunksize`: the pool has no `map()` (`Promise.all` over `run()`
 *   is the translation), so no `timeout=` or `chunksize=`.
 * - `test_no_stale_references`, `test_free_reference`, `test_ressources_gced_in_workers`,
 *   `test_del_shutdown`: garbage collection of results, executors and worker resources.
 * - `test_shutdown_race_issue12456`, `test_interpreter_shutdown`,
 *   `test_submit_after_interpreter_shutdown`, `test_hang_issue12364`, `test_hang_gh83386`,
 *   `test_hang_gh94440`, `test_python_finalization_error`: interpreter exit and multiprocessing
 *   internals (call queue sentinels, fork).
 * - `test_max_workers_too_large`: a Windows-only process limit.
 * - `test_traceback`: the `_RemoteTraceback` attached as `__cause__`; here the worker's stack
 *   becomes the rebuilt error's `stack` (a hidden test checks it).
 * - `test_max_tasks_per_child`, `test_max_tasks_per_child_defaults_to_spawn_context`,
 *   `test_max_tasks_early_shutdown`: the pool has no `max_tasks_per_child` option.
 * - `test_shutdown_no_wait`: `shutdown(wait=False)`; disposing never waits for running jobs.
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import { expectedDifference, rejectsWith, throwsWith } from "../../lib/mod.ts";
import { WorkerPool } from "./pool.ts";

// The same reasons as the README's "Where this differs from CPython".
const NOT_BROKEN =
  "a thread that dies fails its own job only and is replaced; ProcessPoolExecutor marks the whole pool broken";
const DISPOSE_ENDS_RUNNING =
  "dispose terminates the running jobs too; shutdown(cancel_futures=True) cancels only the jobs not started";

const JOBS = new URL("./cpu_jobs.ts", import.meta.url);
const WORKER_COUNT = 5;
const range = (n: number) => [...Array(n).keys()];
const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));
function open(gates: Int32Array, index: number): void {
  Atomics.store(gates, index, 1);
  Atomics.notify(gates, index);
}

it("test_concurrent_futures.executor.ExecutorTest.test_submit", async () => {
  await using executor = new WorkerPool(JOBS, { size: WORKER_COUNT });
  const future = executor.run("pow", [2, 8]);
  assert.equal(256, await future);
});

it("test_concurrent_futures.executor.ExecutorTest.test_map", async () => {
  await using executor = new WorkerPool(JOBS, { size: WORKER_COUNT });
  assert.deepEqual(
    await Promise.all(range(10).map((i) => executor.run("pow", [i, i]))),
    range(10).map((i) => i ** i),
  );
});

it("test_concurrent_futures.executor.ExecutorTest.test_map_exception", async () => {
  await using executor = new WorkerPool(JOBS, { size: WORKER_COUNT });
  const [a, b, c, d] = [[1, 2], [1, 3], [1, 0], [1, 5]].map((args) => executor.run("divmod", args));
  c.catch(() => {}); // awaited below, after a and b
  d.catch(() => {});
  assert.deepEqual(await a, [0, 1]);
  assert.deepEqual(await b, [0, 1]);
  await rejectsWith(c, { name: "ZeroDivisionError" }, 'run("divmod", [1, 0])');
});

it("test_concurrent_futures.executor.ExecutorTest.test_max_workers_negative", () => {
  for (const number of [0, -1]) {
    throwsWith(
      () => new WorkerPool(JOBS, { size: number }),
      { name: "RangeError" },
      `size ${number}`,
    );
  }
});

it(
  "test_concurrent_futures.test_process_pool.ProcessPoolExecutorTest.test_killed_child",
  expectedDifference(NOT_BROKEN, async () => {
    await using executor = new WorkerPool(JOBS, { size: WORKER_COUNT });
    const futures = [executor.run("crashLater", ["killed"])];
    for (const fut of futures) await rejectsWith(fut, {}, "the killed child's future");
    // Submitting other jobs fails as well.
    await rejectsWith(executor.run("pow", [2, 8]), {}, "a job submitted after the crash");
  }),
);

it("test_concurrent_futures.test_process_pool.ProcessPoolExecutorTest.test_saturation", async () => {
  await using executor = new WorkerPool(JOBS, { size: WORKER_COUNT });
  const sem = shared(1);
  const jobCount = 15 * WORKER_COUNT;
  const jobs = range(jobCount).map(() => executor.run("awaitGate", [sem, 0, true, 10_000]));
  assert.equal(executor.threads, WORKER_COUNT);
  open(sem, 0);
  await Promise.all(jobs);
});

it("test_concurrent_futures.test_process_pool.ProcessPoolExecutorTest.test_idle_process_reuse_one", async () => {
  await using executor = new WorkerPool(JOBS, { size: WORKER_COUNT });
  await executor.run("pow", [21, 2]);
  await executor.run("pow", [6, 7]);
  await executor.run("pow", [3, 14]);
  assert.equal(executor.threads, 1);
});

it("test_concurrent_futures.test_process_pool.ProcessPoolExecutorTest.test_idle_process_reuse_multiple", async () => {
  await using executor = new WorkerPool(JOBS, { size: WORKER_COUNT });
  await executor.run("add", [12, 7]);
  const b = executor.run("add", [33, 25]);
  await executor.run("add", [25, 26]);
  const d = executor.run("add", [18, 29]);
  await executor.run("add", [1, 2]);
  const f = executor.run("add", [0, 9]);
  assert.ok(executor.threads <= 3);
  await Promise.all([b, d, f]);
});

it("test_concurrent_futures.test_shutdown.ExecutorShutdownTest.test_run_after_shutdown", async () => {
  const executor = new WorkerPool(JOBS, { size: WORKER_COUNT });
  await executor[Symbol.asyncDispose]();
  await rejectsWith(
    executor.run("pow", [2, 5]),
    { name: "InvalidStateError" },
    "run() after dispose",
  );
});

it(
  "test_concurrent_futures.test_shutdown.ExecutorShutdownTest.test_cancel_futures",
  expectedDifference(DISPOSE_ENDS_RUNNING, async () => {
    const executor = new WorkerPool(JOBS, { size: WORKER_COUNT });
    const fs = range(50).map(() => executor.run("echoAfter", [100, null]));
    const settled = Promise.allSettled(fs);
    await executor[Symbol.asyncDispose]();
    const outcomes = await settled;
    const cancelled = outcomes.filter((o) =>
      o.status === "rejected" && (o.reason as Error)?.name === "AbortError"
    );
    assert.ok(cancelled.length > 20);
    const others = outcomes.filter((o) =>
      !(o.status === "rejected" && (o.reason as Error)?.name === "AbortError")
    );
    for (const o of others) assert.equal(o.status, "fulfilled");
    assert.ok(others.length > 0);
  }),
);

it("test_concurrent_futures.test_shutdown.ProcessPoolShutdownTest.test_processes_terminate", async () => {
  const executor = new WorkerPool(JOBS, { size: WORKER_COUNT });
  const sem = shared(1);
  const jobs = range(3).map(() => executor.run("awaitGate", [sem, 0, true, 10_000]));
  assert.equal(executor.threads, 3);
  open(sem, 0);
  await Promise.all(jobs);
  await executor[Symbol.asyncDispose]();
  assert.equal(executor.threads, 0);
});

it("test_concurrent_futures.test_shutdown.ProcessPoolShutdownTest.test_context_manager_shutdown", async () => {
  let threads = -1;
  {
    await using e = new WorkerPool(JOBS, { size: 5 });
    assert.deepEqual(
      await Promise.all(range(10).map((i) => e.run("abs", [i - 5]))),
      [5, 4, 3, 2, 1, 0, 1, 2, 3, 4],
    );
    threads = e.threads;
  }
  assert.ok(threads > 0);
});
