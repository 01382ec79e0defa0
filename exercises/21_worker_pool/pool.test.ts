/**
 * Visible tests of 21_worker_pool. Run them with `bun test exercises/21_worker_pool` or
 * `deno test --no-check --allow-read exercises/21_worker_pool` (the README says why the flags).
 *
 * The pool runs real threads, so these tests run on real time. They never time a thread against
 * a stopwatch window: threads report through shared memory (`SharedArrayBuffer` + `Atomics`) how
 * many run at once, whether one is still alive, and when to go on (a "gate" the test opens), so
 * they pass on a busy two-core laptop as on a quiet server. The `watchLoop()` tests that need
 * exact numbers run on the workbook's virtual clock; the ones that measure a blocked or a free
 * event loop use real time with wide margins.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { WorkerPool } from "./pool.ts";
import { compareCpuBound, watchLoop } from "./loop_watch.ts";
import { sleepThen, spin } from "./cpu_jobs.ts";

/** The module whose exports the pool runs. */
const JOBS = new URL("./cpu_jobs.ts", import.meta.url);

/** A real pause (the pool runs on real time). */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Shared memory: `n` 32-bit counters every thread can read and write. */
const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));

/** Waits until `ready()` holds, checking every 2 ms; fails after `limitMs` of real time. */
async function until(ready: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!ready()) {
    if (Date.now() > deadline) assert.fail(`waited ${limitMs} ms for ${what}`);
    await pause(2);
  }
}

/** Opens gate `index`: the job waiting at it goes on. */
function open(gates: Int32Array, index: number): void {
  Atomics.store(gates, index, 1);
  Atomics.notify(gates, index);
}

/** Asserts that `counter[0]` stops growing: the thread that was counting is gone. */
async function assertStopped(counter: Int32Array, what: string): Promise<void> {
  const before = Atomics.load(counter, 0);
  await pause(60);
  const after = Atomics.load(counter, 0);
  // Deno stops a terminated Worker at its next event-loop turn: the step under way may finish.
  assert.ok(
    after <= before + 1,
    `${what}: the job kept counting (${before} -> ${after}), so its thread was not terminated`,
  );
}

/** A virtual sleep (inside withClock). */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("task 1: WorkerPool threads", () => {
  it("WorkerPool starts no thread until a job needs one, and reuses an idle thread", async () => {
    await using pool = new WorkerPool(JOBS, { size: 2 });
    assert.equal(pool.threads, 0, `a new pool starts no thread; yours has ${pool.threads}`);
    await pool.run("add", [1, 2]);
    assert.equal(pool.threads, 1, `one job needs one thread; yours has ${pool.threads}`);
    await pool.run("add", [3, 4]);
    await pool.run("add", [5, 6]);
    assert.equal(
      pool.threads,
      1,
      `jobs one after another reuse the idle thread; yours has ${pool.threads}`,
    );
  });

  it("WorkerPool() throws RangeError for a size that is not an integer >= 1", () => {
    throwsWith(
      () => new WorkerPool(JOBS, { size: 0 }),
      { name: "RangeError" },
      "new WorkerPool(JOBS, { size: 0 })",
    );
    throwsWith(
      () => new WorkerPool(JOBS, { size: 1.5 }),
      { name: "RangeError" },
      "new WorkerPool(JOBS, { size: 1.5 })",
    );
  });
});

describe("task 2: WorkerPool.run()", () => {
  it("WorkerPool.run() leaves the event loop free while a job blocks its thread", async () => {
    // The job blocks its thread until the main thread has beaten 5 times: it can only succeed if
    // the main thread's event loop keeps running while the job runs.
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const beats = shared(1);
    const heart = setInterval(() => {
      Atomics.add(beats, 0, 1);
      Atomics.notify(beats, 0);
    }, 2);
    try {
      const seen = await pool.run<number>("waitForHeartbeats", [beats, 5, 3000]);
      assert.ok(seen >= 5, `the job should have seen at least 5 heartbeats; it saw ${seen}`);
    } finally {
      clearInterval(heart);
    }
  });

  it("WorkerPool.run() resolves with the export's result", async () => {
    await using pool = new WorkerPool(JOBS, { size: 2 });
    assert.equal(await pool.run("pow", [2, 8]), 256, 'run("pow", [2, 8])');
    assert.equal(
      await pool.run("countPrimes", [100]),
      25,
      'run("countPrimes", [100]): 25 primes below 100',
    );
  });

  it("WorkerPool.run() never runs more than size jobs at once, and reaches size", async () => {
    await using pool = new WorkerPool(JOBS, { size: 2 });
    const counters = shared(3); // [running now, most at once, finished]
    await Promise.all([1, 2, 3, 4, 5].map(() => pool.run("occupy", [counters, 15])));
    assert.equal(counters[2], 5, `all 5 jobs should have run; ${counters[2]} did`);
    assert.ok(
      counters[1] <= 2,
      `with size 2, at most 2 jobs may run at once; yours ran ${counters[1]}`,
    );
    // meet() returns only once 2 jobs are inside it at the same time: the pool must use both threads.
    const arrived = shared(1);
    const met = await Promise.all([1, 2].map(() => pool.run<number>("meet", [arrived, 2, 5000])));
    assert.deepEqual(
      met,
      [2, 2],
      `two jobs at once must run on two threads at the same time; they saw ${met}`,
    );
  });

  it("WorkerPool.run() gives each caller its own result, whatever order the jobs finish in", async () => {
    await using pool = new WorkerPool(JOBS, { size: 3 });
    const gates = shared(3);
    const finished: string[] = [];
    const job = (index: number, value: string) =>
      pool.run<string>("awaitGate", [gates, index, value, 5000]).then((v) => {
        finished.push(v);
        return v;
      });
    const all = Promise.all([job(0, "first sent"), job(1, "second sent"), job(2, "third sent")]);
    // The test decides the order in which they finish: 2, then 3, then 1.
    open(gates, 1);
    await until(() => finished.length === 1, "the second job to finish");
    open(gates, 2);
    await until(() => finished.length === 2, "the third job to finish");
    open(gates, 0);
    const results = await all;
    assert.deepEqual(
      results,
      ["first sent", "second sent", "third sent"],
      "a reply must settle the run() whose request has its id, not the oldest caller",
    );
    assert.deepEqual(
      finished,
      ["second sent", "third sent", "first sent"],
      "the order the test opened the gates",
    );
  });

  it("WorkerPool.run() rejects with the worker's error, name and message kept, and the thread stays usable", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    await rejectsWith(
      pool.run("divmod", [1, 0]),
      { name: "ZeroDivisionError", message: "integer division or modulo by zero" },
      'run("divmod", [1, 0])',
    );
    assert.deepEqual(
      await pool.run("divmod", [7, 2]),
      [3, 1],
      "a job after a failed one runs normally",
    );
    assert.equal(
      pool.threads,
      1,
      `a thrown error is an answer, not a crash: the thread is reused; yours has ${pool.threads}`,
    );
  });
});

describe("task 3: WorkerPool.run() cancellation", () => {
  it("WorkerPool.run() aborted mid-job terminates its thread and rejects with the reason", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const counter = shared(1);
    const controller = new AbortController();
    const job = pool.run("countUp", [counter, 400, 5], { signal: controller.signal });
    job.catch(() => {}); // checked below; this only keeps an early failure from going unhandled
    await until(() => Atomics.load(counter, 0) >= 2, "the job to start counting");
    const reason = new Error("user cancelled");
    controller.abort(reason);
    await rejectsWith(job, { is: reason }, "run() aborted mid-job");
    await assertStopped(counter, "after the abort");
    assert.equal(
      pool.threads,
      0,
      `the terminated thread must leave the pool; yours has ${pool.threads}`,
    );
  });

  it("WorkerPool.run() aborted while waiting rejects at once and never runs", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const gates = shared(1);
    const first = pool.run("awaitGate", [gates, 0, "first", 5000]);
    const counter = shared(1);
    const controller = new AbortController();
    const second = pool.run("countUp", [counter, 5, 1], { signal: controller.signal });
    controller.abort("no longer needed");
    await rejectsWith(
      second,
      { is: "no longer needed" },
      "run() aborted while it waits for a thread",
    );
    open(gates, 0);
    assert.equal(await first, "first", "the running job is not affected");
    await pause(30);
    assert.equal(Atomics.load(counter, 0), 0, "an aborted waiting job must never start");
  });
});

describe("task 4: WorkerPool disposal", () => {
  it("WorkerPool [Symbol.asyncDispose]() terminates every thread, rejects pending jobs and refuses new ones", async () => {
    const pool = new WorkerPool(JOBS, { size: 1 });
    const counter = shared(1);
    const running = pool.run("countUp", [counter, 400, 5]);
    const waiting = pool.run("add", [1, 2]);
    running.catch(() => {});
    waiting.catch(() => {});
    await until(() => Atomics.load(counter, 0) >= 1, "the job to start counting");
    await pool[Symbol.asyncDispose]();
    await rejectsWith(running, { name: "AbortError" }, "a running job when the pool is disposed");
    await rejectsWith(waiting, { name: "AbortError" }, "a waiting job when the pool is disposed");
    assert.equal(pool.threads, 0, `no thread may survive dispose; yours has ${pool.threads}`);
    await assertStopped(counter, "after dispose");
    await rejectsWith(
      pool.run("add", [1, 1]),
      { name: "InvalidStateError" },
      "run() after dispose",
    );
  });
});

describe("task 5: watchLoop()", () => {
  it(
    "watchLoop() reports the beats and the longest stall of a free event loop",
    withClock(async () => {
      const report = await watchLoop(async () => {
        await sleep(100);
        return "done";
      }, { beatMs: 10 });
      assert.equal(report.value, "done", `value: what work resolved with; yours ${report.value}`);
      assert.equal(report.ms, 100, `ms: work took 100 ms of (virtual) time; yours ${report.ms}`);
      assert.ok(
        report.beats === 9 || report.beats === 10,
        `a 10 ms heartbeat beats 9 or 10 times in 100 ms (the beat at t=100 may come just after the end); yours ${report.beats}`,
      );
      assert.equal(
        report.longestStallMs,
        10,
        `a free loop never goes longer than one beat; yours ${report.longestStallMs}`,
      );
    }),
  );

  it("watchLoop() shows that a CPU-bound call on the main thread blocks the event loop: no beat at all", async () => {
    let spent = 0;
    const report = await watchLoop(() => {
      const t = performance.now();
      spin(60); // keeps this thread busy for 60 ms
      spent = performance.now() - t;
      return "spun";
    }, { beatMs: 5 });
    assert.equal(
      report.beats,
      0,
      `no timer can run while the thread computes; yours counted ${report.beats} beats`,
    );
    assert.ok(
      report.longestStallMs >= spent - 1, // 1 ms of slack for a clock with whole milliseconds
      `the loop stalled for the whole ${spent.toFixed(1)} ms of the call; yours reported ${
        report.longestStallMs.toFixed(1)
      } ms`,
    );
    assert.ok(
      report.ms >= spent - 1,
      `ms covers the call; yours ${report.ms.toFixed(1)} for a ${spent.toFixed(1)} ms call`,
    );
  });

  it("watchLoop() shows async I/O overlapping on one thread: 8 waits of 50 ms take far less than 400 ms", async () => {
    const report = await watchLoop(
      () => Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => sleepThen(50, i))),
      { beatMs: 5 },
    );
    assert.deepEqual(report.value, [0, 1, 2, 3, 4, 5, 6, 7], "the values, in order");
    assert.ok(
      report.ms < 300,
      `8 waits of 50 ms at once take about 50 ms, not 400; yours ${report.ms.toFixed(0)} ms`,
    );
    assert.ok(
      report.beats >= 1,
      `the loop stays free while it waits; yours counted ${report.beats} beats`,
    );
  });

  it(
    "watchLoop() reports a bad beatMs as a rejected promise, never as a synchronous throw",
    withClock(async () => {
      let result: Promise<unknown> | undefined;
      try {
        result = watchLoop(() => "work", { beatMs: 0 });
      } catch (error) {
        assert.fail(
          `watchLoop(work, { beatMs: 0 }) must return a promise that rejects with RangeError; yours threw synchronously: ${error}`,
        );
      }
      await rejectsWith(result!, { name: "RangeError" }, "watchLoop(work, { beatMs: 0 })");
    }),
  );
});

describe("task 6: compareCpuBound()", () => {
  it("compareCpuBound() measures CPU-bound jobs blocking the main thread and leaving it free on the pool", async () => {
    await using pool = new WorkerPool(JOBS, { size: 2 });
    const c = await compareCpuBound<number>(pool, "spin", [[40], [40], [40], [40]], { beatMs: 5 });
    assert.equal(
      c.main.beats,
      0,
      `on the main thread no beat can run while the jobs compute; yours ${c.main.beats}`,
    );
    assert.ok(
      c.main.ms >= 160,
      `4 jobs of 40 ms one after another on one thread take at least 160 ms; yours ${
        c.main.ms.toFixed(0)
      }`,
    );
    assert.ok(
      c.pool.beats >= 1,
      `on the pool the main thread keeps beating; yours counted ${c.pool.beats}`,
    );
    assert.equal(c.speedup, c.main.ms / c.pool.ms, "speedup is main.ms / pool.ms");
  });

  it("compareCpuBound() returns the same results, in input order, from both runs", async () => {
    await using pool = new WorkerPool(JOBS, { size: 2 });
    const c = await compareCpuBound<number>(pool, "countPrimes", [[1000], [100], [10]]);
    assert.deepEqual(
      c.main.value,
      [168, 25, 4],
      `main thread results in input order; yours ${c.main.value}`,
    );
    assert.deepEqual(
      c.pool.value,
      [168, 25, 4],
      `pool results in input order; yours ${c.pool.value}`,
    );
  });

  it("compareCpuBound() runs every job on the main thread first, then on the pool", async () => {
    await using pool = new WorkerPool(JOBS, { size: 2 });
    const counter = shared(1);
    const c = await compareCpuBound<number>(pool, "ticket", [[counter], [counter]]);
    assert.deepEqual(
      c.main.value,
      [1, 2],
      `ticket() numbers its calls: the main thread runs first and takes 1 and 2; yours took ${c.main.value}`,
    );
    assert.deepEqual(
      [...c.pool.value].sort(),
      [3, 4],
      `then the pool takes 3 and 4; yours took ${c.pool.value}`,
    );
  });
});
