/**
 * Hidden tests of 20_thread_bridge: every behaviour the exercise pins. Real threads, so real time
 * with durations of a few milliseconds; shared memory tells what each thread is doing.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DbError, rejectsWith, throwsWith } from "../../lib/mod.ts";
import { deserializeError, toThread, WorkerPool } from "./bridge.ts";
import { handle, type SerializedThrown, serializeError } from "./worker_host.ts";

const JOBS = new URL("./jobs.ts", import.meta.url);

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));

async function until(ready: () => boolean, what: string, limitMs = 1500): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!ready()) {
    if (Date.now() > deadline) assert.fail(`waited ${limitMs} ms for ${what}`);
    await pause(1);
  }
}

/** `work`, or a rejection if it is still pending after `limitMs` of real time (instead of a hang). */
function within<T>(work: Promise<T>, limitMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${limitMs} ms`)), limitMs);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Starts countUp in the pool and waits until it has counted at least twice. */
async function startCounting(pool: WorkerPool, signal?: AbortSignal) {
  const counter = shared(1);
  const job = pool.run("countUp", [counter, 200, 5], { signal });
  job.catch(() => {}); // the test inspects the rejection itself
  await until(() => Atomics.load(counter, 0) >= 2, "the countUp job to start counting");
  return { counter, job };
}

/** Asserts that the counter stops growing: its thread is gone. */
async function assertStopped(counter: Int32Array, what: string): Promise<void> {
  const before = Atomics.load(counter, 0);
  await pause(50);
  const after = Atomics.load(counter, 0);
  // Deno stops a terminated Worker at its next event-loop turn: the step under way may finish.
  assert.ok(after <= before + 1, `${what}: the job kept counting (${before} -> ${after}), so its thread was not terminated`);
}

/** A signal that counts its live abort listeners. */
function countingSignal() {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: AddEventListenerOptions | boolean) => {
    if (type === "abort") live.add(listener);
    add(type, listener, options);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: EventListenerOptions | boolean) => {
    if (type === "abort") live.delete(listener);
    remove(type, listener, options);
  }) as typeof signal.removeEventListener;
  return { controller, signal, live };
}

describe("serializeError()", () => {
  it("serializeError() records name, message, stack and custom fields as plain data", () => {
    const error = new DbError("no such table: invoices", "SQLITE_ERROR", "SELECT * FROM invoices");
    const data = serializeError(error);
    assert.equal(data.kind, "error", "an Error serializes with kind: \"error\"");
    if (data.kind !== "error") return;
    assert.equal(data.name, "DbError", "name");
    assert.equal(data.message, "no such table: invoices", "message");
    assert.equal(data.stack, error.stack, "the worker's stack should travel too");
    assert.deepEqual(data.fields, { code: "SQLITE_ERROR", sql: "SELECT * FROM invoices" }, "fields: the error's own custom properties");
    assert.ok(!(data as object instanceof Error), "the result must be plain data, not an Error (structured clone would strip it)");
  });

  it("serializeError() output survives structured clone with every field", () => {
    const data = structuredClone(serializeError(Object.assign(new RangeError("too many rows"), { limit: 500, table: "users" })));
    assert.equal(data.kind, "error", 'serializeError() of an Error must give { kind: "error", ... }');
    if (data.kind !== "error") return;
    assert.equal(data.name, "RangeError", "name after structured clone");
    assert.deepEqual(data.fields, { limit: 500, table: "users" }, "custom fields after structured clone");
  });

  it("serializeError() keeps a thrown non-Error value as it is", () => {
    assert.deepEqual(serializeError("boom"), { kind: "value", value: "boom" }, "a thrown string");
    assert.deepEqual(serializeError({ code: 7 }), { kind: "value", value: { code: 7 } }, "a thrown object that is not an Error");
  });

  it("serializeError() serializes the cause as well", () => {
    const error = new TypeError("could not load user 7", { cause: new DbError("database is locked", "SQLITE_BUSY", "SELECT 1") });
    const data = serializeError(error);
    assert.equal(data.kind, "error", 'serializeError() of an Error must give { kind: "error", ... }');
    if (data.kind !== "error") return;
    assert.equal(data.cause?.kind, "error", "the cause should be serialized like any error");
    if (data.cause?.kind !== "error") return;
    assert.equal(data.cause.name, "DbError", "the cause's name");
    assert.deepEqual(data.cause.fields, { code: "SQLITE_BUSY", sql: "SELECT 1" }, "the cause's fields");
  });
});

describe("deserializeError()", () => {
  it("deserializeError() rebuilds an Error with the original name, message, stack and fields", () => {
    const data: SerializedThrown = {
      kind: "error",
      name: "DbError",
      message: "database is locked",
      stack: "DbError: database is locked\n    at query (jobs.ts:42:11)",
      fields: { code: "SQLITE_BUSY", sql: "UPDATE users SET name = 'x'" },
    };
    const error = deserializeError(data) as DbError;
    assert.ok(error instanceof Error, "the rebuilt error must be an Error");
    assert.equal(error.name, "DbError", "name");
    assert.equal(error.message, "database is locked", "message");
    assert.equal(error.code, "SQLITE_BUSY", "code");
    assert.equal(error.sql, "UPDATE users SET name = 'x'", "sql");
    assert.equal(error.stack, data.stack, "the stack should be the worker's, where the error really happened");
  });

  it("deserializeError() rebuilds the cause chain", () => {
    const error = deserializeError({
      kind: "error",
      name: "TypeError",
      message: "could not load user 7",
      fields: {},
      cause: { kind: "error", name: "DbError", message: "database is locked", fields: { code: "SQLITE_BUSY" } },
    }) as Error;
    const cause = error.cause as DbError;
    assert.ok(cause instanceof Error, "the cause must be rebuilt as an Error too");
    assert.equal(cause.name, "DbError", "the cause's name");
    assert.equal(cause.code, "SQLITE_BUSY", "the cause's custom field code");
  });

  it("deserializeError() returns a thrown non-Error value unchanged", () => {
    assert.equal(deserializeError({ kind: "value", value: "boom" }), "boom", '{ kind: "value", value: "boom" } gives back "boom"');
    assert.deepEqual(deserializeError({ kind: "value", value: { code: 7 } }), { code: 7 }, "a thrown non-Error object comes back as it is");
  });
});

describe("handle()", () => {
  it("handle() replies with the request's id and the function's result", async () => {
    const reply = await handle({ id: 41, moduleUrl: JOBS.href, fnName: "add", args: [20, 22] });
    assert.deepEqual(reply, { id: 41, ok: true, value: 42 }, "the reply is { id, ok: true, value } with the request's id");
  });

  it("handle() awaits an async function", async () => {
    const reply = await handle({ id: 2, moduleUrl: JOBS.href, fnName: "doubleLater", args: [21, 1] });
    assert.deepEqual(reply, { id: 2, ok: true, value: 42 }, "the reply must carry the resolved value, not a promise");
  });

  it("handle() replies ok: false with the serialized error when the function throws", async () => {
    const reply = await handle({ id: 3, moduleUrl: JOBS.href, fnName: "query", args: ["DROP TABLE users", 0] });
    assert.equal(reply.id, 3, "the reply keeps the request's id");
    assert.equal(reply.ok, false, "a throwing function gives ok: false");
    if (reply.ok) return;
    assert.equal(reply.error.kind, "error", 'reply.error must be serializeError(error): { kind: "error", name, message, fields, ... }, not the raw Error');
    if (reply.error.kind !== "error") return;
    assert.equal(reply.error.name, "DbError", "reply.error.name");
    assert.deepEqual(reply.error.fields, { code: "SQLITE_ERROR", sql: "DROP TABLE users" }, "reply.error.fields: the DbError's code and sql");
  });

  it("handle() replies with a TypeError for a name the module does not export", async () => {
    const reply = await handle({ id: 4, moduleUrl: JOBS.href, fnName: "dropAllTables", args: [] });
    assert.equal(reply.ok, false, "an unknown function must fail, not hang or crash the worker");
    if (reply.ok || reply.error.kind !== "error") return;
    assert.equal(reply.error.name, "TypeError", "a name the module does not export is a TypeError");
    assert.match(reply.error.message, /dropAllTables/, "the message should name the missing function");
  });
});

describe("toThread()", () => {
  it("toThread() copies arguments to the thread and the result back", async () => {
    const order = { id: 7, lines: [{ sku: "A-1", qty: 2 }] };
    const back = await toThread<typeof order>(JOBS, "echoAfter", 1, order);
    assert.deepEqual(back, order, "the value should come back intact");
    assert.notEqual(back, order, "threads share no objects: the result is a copy");
  });

  it("toThread() keeps the event loop free while the job blocks", async () => {
    const beats = shared(1);
    const heart = setInterval(() => {
      Atomics.add(beats, 0, 1);
      Atomics.notify(beats, 0);
    }, 2);
    try {
      const seen = await toThread<number>(JOBS, "waitForHeartbeats", beats, 5, 500);
      assert.ok(seen >= 5, "the blocked job should see the main thread keep beating; it saw " + seen);
    } finally {
      clearInterval(heart);
    }
  });

  it("toThread() keeps the name, message, code and sql of a DbError", async () => {
    const error = await rejectsWith(toThread(JOBS, "query", "DELETE FROM users"), { name: "DbError" }, 'toThread(JOBS, "query", "DELETE FROM users")') as DbError;
    assert.match(error.message, /syntax error/, "the message must be the worker's");
    assert.equal(error.code, "SQLITE_ERROR", "code");
    assert.equal(error.sql, "DELETE FROM users", "sql");
  });

  it("toThread() keeps the cause of a worker's error", async () => {
    const error = await rejectsWith(toThread(JOBS, "loadUser", 7), { name: "TypeError", message: "could not load user 7" }, 'toThread(JOBS, "loadUser", 7)') as Error;
    const cause = error.cause as DbError | undefined;
    assert.equal(cause?.name, "DbError", "the cause's name must survive");
    assert.equal(cause?.code, "SQLITE_BUSY", "the cause's code must survive");
  });

  it("toThread() rejects with a thrown non-Error value unchanged", async () => {
    await rejectsWith(toThread(JOBS, "throwValue", "boom"), { is: "boom" }, 'toThread(JOBS, "throwValue", "boom")');
  });

  it("toThread() rejects with an error naming the module when it cannot be loaded", async () => {
    const missing = new URL("./no_such_module.ts", import.meta.url);
    await rejectsWith(toThread(missing, "anything"), { message: "no_such_module.ts" }, "toThread() of a module that does not exist");
  });

  it("toThread() rejects with a TypeError for a function the module does not export", async () => {
    await rejectsWith(toThread(JOBS, "noSuchJob"), { name: "TypeError", message: "noSuchJob" }, 'toThread(JOBS, "noSuchJob")');
  });
});

describe("WorkerPool", () => {
  it("WorkerPool() throws RangeError for a size that is not an integer >= 1", () => {
    throwsWith(() => new WorkerPool(JOBS, { size: 0 }), { name: "RangeError" }, "new WorkerPool(JOBS, { size: 0 })");
    throwsWith(() => new WorkerPool(JOBS, { size: 1.5 }), { name: "RangeError" }, "new WorkerPool(JOBS, { size: 1.5 })");
    throwsWith(() => new WorkerPool(JOBS, { size: NaN }), { name: "RangeError" }, "new WorkerPool(JOBS, { size: NaN })");
  });

  it("WorkerPool starts threads only when jobs need them, up to size", async () => {
    await using pool = new WorkerPool(JOBS, { size: 2 });
    assert.equal(pool.threads, 0, "a new pool should not start threads before the first job");
    await pool.run("add", [1, 2]);
    assert.equal(pool.threads, 1, "one job needs one thread");
    await pool.run("add", [3, 4]);
    await pool.run("add", [5, 6]);
    assert.equal(pool.threads, 1, "jobs one after another should reuse the idle thread");
    await Promise.all([1, 2, 3].map((n) => pool.run("add", [n, n, 5])));
    assert.equal(pool.threads, 2, "three jobs at once in a pool of 2 need exactly 2 threads; yours has " + pool.threads);
  });

  it("WorkerPool.run() matches each reply to its request under concurrency", async () => {
    await using pool = new WorkerPool(JOBS, { size: 3 });
    await Promise.all([pool.run("add", [1, 1]), pool.run("add", [2, 2]), pool.run("add", [3, 3])]);
    const order: string[] = [];
    const job = (ms: number, value: string) => pool.run<string>("echoAfter", [ms, value]).then((v) => (order.push(v), v));
    const results = await Promise.all([job(60, "first sent"), job(1, "second sent"), job(30, "third sent")]);
    assert.deepEqual(results, ["first sent", "second sent", "third sent"], "a reply must go to the run() whose request has its id, not to the oldest caller");
    assert.deepEqual(order, ["second sent", "third sent", "first sent"], "the jobs should finish in the order of their durations");
  });

  it("WorkerPool.run() runs at most size jobs at once and reaches size", async () => {
    await using pool = new WorkerPool(JOBS, { size: 3 });
    await Promise.all([pool.run("add", [1, 1]), pool.run("add", [2, 2]), pool.run("add", [3, 3])]);
    const counters = shared(3);
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map(() => pool.run("occupy", [counters, 20])));
    assert.equal(counters[2], 7, "every job should run");
    assert.equal(counters[1], 3, "at the peak exactly size (3) jobs should run at once; yours ran " + counters[1]);
  });

  it("WorkerPool.run() starts waiting jobs in FIFO order", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const done: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((n) => pool.run<number>("echoAfter", [2, n]).then((v) => done.push(v))));
    assert.deepEqual(done, [0, 1, 2, 3, 4], "with one thread, jobs must run in the order run() was called");
  });

  it("WorkerPool.run() keeps the thread usable after a job throws", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    await rejectsWith(pool.run("query", ["SELECT * FROM nowhere", 0]), { name: "DbError" }, 'run("query", ["SELECT * FROM nowhere"])');
    assert.equal(await pool.run("add", [2, 2]), 4, "a job after a failed one should run normally");
    assert.equal(pool.threads, 1, "a thrown error is an answer, not a crash: the thread should be reused");
  });

  it("WorkerPool.run() rejects with DataCloneError when the arguments or the result cannot be copied", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    await rejectsWith(pool.run("echoAfter", [0, () => 1]), { name: "DataCloneError" }, "run() with a function as an argument");
    await rejectsWith(pool.run("makeCallback"), { name: "DataCloneError" }, "run() of a job that returns a function");
    assert.equal(await pool.run("add", [1, 2]), 3, "the pool should still work afterwards");
  });

  it("WorkerPool.run() runs async functions in the thread", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    assert.equal(await pool.run("doubleLater", [21, 2]), 42, "run() must resolve with the async function's resolved value");
  });
});

describe("WorkerPool cancellation", () => {
  it("WorkerPool.run() with an already aborted signal rejects with the reason and starts nothing", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const reason = { why: "cancelled before it began" };
    await rejectsWith(pool.run("add", [1, 2], { signal: AbortSignal.abort(reason) }), { is: reason }, "run() with an aborted signal");
    assert.equal(pool.threads, 0, "no thread should be started for a job that was already cancelled");
  });

  it("WorkerPool.run() aborted mid-job rejects with the exact reason and terminates the thread", async () => {
    await using pool = new WorkerPool(JOBS, { size: 2 });
    const controller = new AbortController();
    const { counter, job } = await startCounting(pool, controller.signal);
    const reason = new DOMException("the user closed the page", "AbortError");
    controller.abort(reason);
    await rejectsWith(job, { is: reason }, "run() aborted mid-job");
    await assertStopped(counter, "after the abort");
    assert.equal(pool.threads, 0, "the terminated thread must leave the pool");
  });

  it("WorkerPool.run() after an abort starts a fresh thread for the next job", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const controller = new AbortController();
    const { job } = await startCounting(pool, controller.signal);
    const next = pool.run("add", [40, 2]);
    controller.abort();
    await rejectsWith(job, { name: "AbortError" }, "run() aborted mid-job");
    assert.equal(await next, 42, "the job waiting behind the aborted one should run on a new thread");
    assert.equal(pool.threads, 1, "the pool should be back to one thread");
  });

  it("WorkerPool.run() aborted while waiting never runs", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const busy = shared(1);
    const waiting = shared(1);
    const first = pool.run("countUp", [busy, 8, 6]);
    const controller = new AbortController();
    const second = pool.run("countUp", [waiting, 6, 1], { signal: controller.signal });
    await until(() => Atomics.load(busy, 0) >= 1, "the first job to start");
    controller.abort("no longer needed");
    await rejectsWith(second, { is: "no longer needed" }, "run() aborted while it waits for a thread");
    assert.ok(Atomics.load(busy, 0) < 8, "the waiting job should be rejected at once, not when the thread is free");
    assert.equal(await first, 8, "the running job is not affected");
    await pause(10);
    assert.equal(Atomics.load(waiting, 0), 0, "an aborted waiting job must never start");
  });

  it("WorkerPool.run() removes its abort listener when the job settles", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const { signal, live } = countingSignal();
    await pool.run("add", [1, 1], { signal });
    await rejectsWith(pool.run("query", ["NOPE", 0], { signal }), { name: "DbError" }, 'run("query", ["NOPE"])');
    assert.equal(live.size, 0, "every finished job must remove its abort listener; " + live.size + " left on the signal");
  });

  it("WorkerPool [Symbol.asyncDispose]() terminates running jobs and rejects them with an AbortError", async () => {
    const pool = new WorkerPool(JOBS, { size: 2 });
    const { counter, job } = await startCounting(pool);
    const queued = pool.run("add", [1, 2]);
    const alsoQueued = pool.run("add", [3, 4]);
    await pool[Symbol.asyncDispose]();
    await rejectsWith(within(job, 500), { name: "AbortError" }, "a running job when the pool is disposed");
    await within(Promise.allSettled([queued, alsoQueued]), 500);
    await assertStopped(counter, "after dispose");
    assert.equal(pool.threads, 0, "dispose must terminate every thread");
  });

  it("WorkerPool [Symbol.asyncDispose]() rejects waiting jobs, refuses new ones and may be called twice", async () => {
    const pool = new WorkerPool(JOBS, { size: 1 });
    const { job } = await startCounting(pool);
    const waiting = pool.run("add", [1, 2]);
    await pool[Symbol.asyncDispose]();
    await rejectsWith(within(waiting, 500), { name: "AbortError" }, "a job still waiting when the pool is disposed");
    await rejectsWith(within(job, 500), { name: "AbortError" }, "the running job when the pool is disposed");
    await pool[Symbol.asyncDispose]();
    await rejectsWith(pool.run("add", [1, 2]), { name: "InvalidStateError" }, "run() after dispose");
  });
});
