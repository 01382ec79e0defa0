/**
 * Visible tests of 20_thread_bridge. Run them with `bun test exercises/20_thread_bridge` or
 * `deno test --no-check --allow-read exercises/20_thread_bridge` (the README says why the flags).
 *
 * This exercise runs real threads, so unlike the rest of the workbook its tests run on real time,
 * with durations of a few milliseconds. Threads report what they are doing through shared memory
 * (`SharedArrayBuffer` + `Atomics`), which both threads see at once. Every pool is created with
 * `await using`, so its threads are terminated at the end of the test whatever happens.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DbError, rejectsWith } from "../../lib/mod.ts";
import { deserializeError, toThread, WorkerPool } from "./bridge.ts";
import { serializeError } from "./worker_host.ts";

/** The module whose exported functions the tests run in Workers. */
const JOBS = new URL("./jobs.ts", import.meta.url);

/** A real pause (this exercise runs on real time). */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Shared memory: `n` 32-bit counters both threads can read and write. */
const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));

/** Waits until `ready()` holds, polling every millisecond; fails after `limitMs` of real time. */
async function until(ready: () => boolean, what: string, limitMs = 1500): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!ready()) {
    if (Date.now() > deadline) assert.fail(`waited ${limitMs} ms for ${what}`);
    await pause(1);
  }
}

describe("toThread()", () => {
  it("toThread() runs an exported function in a Worker and resolves with its result", async () => {
    assert.equal(await toThread(JOBS, "add", 2, 3), 5, "add(2, 3) in a Worker");
    const rows = await toThread(JOBS, "query", "SELECT * FROM users");
    assert.deepEqual(rows, [{ id: 1, name: "ada" }, { id: 2, name: "alan" }], "the rows of the blocking query");
  });

  it("toThread() leaves the event loop free: a heartbeat keeps beating while the job blocks", async () => {
    // The job blocks its thread until the main thread has beaten 5 times. If the job ran on the
    // main thread, nothing could beat: it would give up after 500 ms and throw.
    const beats = shared(1);
    const heart = setInterval(() => {
      Atomics.add(beats, 0, 1);
      Atomics.notify(beats, 0);
    }, 2);
    try {
      const seen = await toThread<number>(JOBS, "waitForHeartbeats", beats, 5, 500);
      assert.ok(seen >= 5, "the job should have seen at least 5 heartbeats; it saw " + seen);
    } finally {
      clearInterval(heart);
    }
  });

  it("toThread() rejects with the worker's DbError, keeping its name, message, code and sql", async () => {
    const error = await rejectsWith(
      toThread(JOBS, "query", "SELECT * FROM invoices"),
      { name: "DbError", message: "no such table: invoices" },
      'toThread(JOBS, "query", "SELECT * FROM invoices")',
    ) as DbError;
    assert.equal(error.code, "SQLITE_ERROR", "the DbError's code must survive the trip between threads");
    assert.equal(error.sql, "SELECT * FROM invoices", "the DbError's sql must survive the trip between threads");
  });
});

describe("serializeError() and deserializeError()", () => {
  it("serializeError() keeps what structured clone would lose", () => {
    const original = new DbError("database is locked", "SQLITE_BUSY", "UPDATE users SET name = 'x'");
    const raw = structuredClone(original) as Error & { code?: string };
    assert.equal(raw.code, undefined, "structured clone drops custom fields (that is the problem to solve)");
    const rebuilt = deserializeError(structuredClone(serializeError(original))) as DbError;
    assert.equal(rebuilt.name, "DbError", "name after serialize -> clone -> deserialize");
    assert.equal(rebuilt.message, "database is locked", "message after the round trip");
    assert.equal(rebuilt.code, "SQLITE_BUSY", "code after the round trip");
    assert.equal(rebuilt.sql, "UPDATE users SET name = 'x'", "sql after the round trip");
  });
});

describe("WorkerPool", () => {
  it("WorkerPool.run() gives each caller its own result, whatever order the jobs finish in", async () => {
    await using pool = new WorkerPool(JOBS, { size: 3 });
    // Warm up: three jobs at once start three threads, so the race below is between jobs, not
    // between thread start-ups.
    await Promise.all([pool.run("add", [1, 1]), pool.run("add", [2, 2]), pool.run("add", [3, 3])]);
    const finished: string[] = [];
    const job = (ms: number, value: string) =>
      pool.run<string>("echoAfter", [ms, value]).then((v) => {
        finished.push(v);
        return v;
      });
    const results = await Promise.all([job(60, "slow"), job(1, "fast"), job(30, "medium")]);
    assert.deepEqual(results, ["slow", "fast", "medium"], "each run() must resolve with its own job's result");
    assert.equal(finished[0], "fast", "the fast job should finish first; replies come in any order");
  });

  it("WorkerPool.run() never runs more than size jobs at once", async () => {
    await using pool = new WorkerPool(JOBS, { size: 2 });
    await Promise.all([pool.run("add", [1, 1]), pool.run("add", [2, 2])]); // start both threads
    const counters = shared(3); // [running now, most at once, finished]
    await Promise.all([1, 2, 3, 4, 5].map(() => pool.run("occupy", [counters, 25])));
    assert.equal(counters[2], 5, "all 5 jobs should have run");
    assert.equal(counters[1], 2, "with size 2, exactly 2 jobs should run at once at the peak; yours ran " + counters[1]);
    assert.ok(pool.threads <= 2, "a pool of size 2 may keep at most 2 threads; yours has " + pool.threads);
  });

  it("WorkerPool.run() aborted mid-job terminates its thread and rejects with the reason", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const counter = shared(1);
    const controller = new AbortController();
    const job = pool.run("countUp", [counter, 100, 5], { signal: controller.signal });
    job.catch(() => {}); // checked below; this only keeps an early failure from going unhandled
    await until(() => Atomics.load(counter, 0) >= 2, "the job to start counting");
    controller.abort(new Error("user cancelled"));
    await rejectsWith(job, { message: "user cancelled" }, "run() aborted mid-job");
    const atAbort = Atomics.load(counter, 0);
    await pause(60);
    assert.ok(
      Atomics.load(counter, 0) <= atAbort + 1,
      `the job kept counting after the abort (${atAbort} -> ${Atomics.load(counter, 0)}): its thread was not terminated`,
    );
  });

  it("WorkerPool [Symbol.asyncDispose]() terminates every thread and refuses new jobs", async () => {
    const pool = new WorkerPool(JOBS, { size: 2 });
    assert.equal(await pool.run("add", [1, 1]), 2, "run(\"add\", [1, 1]) before dispose");
    await pool[Symbol.asyncDispose]();
    assert.equal(pool.threads, 0, "no thread may survive dispose");
    await rejectsWith(pool.run("add", [1, 1]), { name: "InvalidStateError" }, "run() after dispose");
  });
});
