/**
 * Visible tests of 20_thread_bridge. Run them with `bun test exercises/20_thread_bridge` or
 * `deno test --no-check --allow-read exercises/20_thread_bridge` (the README says why the flags).
 *
 * This exercise runs real threads, so unlike the rest of the workbook its tests run on real time,
 * with durations of a few milliseconds. Threads report what they are doing through shared memory
 * (`SharedArrayBuffer` + `Atomics`), which both threads see at once: a counter that keeps growing
 * says a thread is still alive; a job that waits for the main thread's heartbeats says the main
 * thread was free while the job ran. No test depends on how fast this machine is.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DbError, rejectsWith } from "../../lib/mod.ts";
import { deserializeError, toThread } from "./bridge.ts";
import { handle, type SerializedThrown, serializeError } from "./worker_host.ts";

/** The module whose exported functions the tests run in Workers. */
const JOBS = new URL("./jobs.ts", import.meta.url);

/** A real pause (this exercise runs on real time). */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Shared memory: `n` 32-bit counters both threads can read and write. */
const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));

/** Waits until `ready()` holds, checking every 2 ms; fails after `limitMs` of real time. */
async function until(ready: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!ready()) {
    if (Date.now() > deadline) assert.fail(`waited ${limitMs} ms for ${what}`);
    await pause(2);
  }
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

describe("task 1: serializeError()", () => {
  it("serializeError() records name, message, stack and custom fields as plain data", () => {
    const error = new DbError("no such table: invoices", "SQLITE_ERROR", "SELECT * FROM invoices");
    const data = serializeError(error);
    assert.equal(data.kind, "error", `an Error serializes with kind: "error"; yours: ${data.kind}`);
    if (data.kind !== "error") return;
    assert.equal(data.name, "DbError", `name: "DbError" expected, yours ${data.name}`);
    assert.equal(data.message, "no such table: invoices", `message; yours ${data.message}`);
    assert.equal(data.stack, error.stack, "the worker's stack should travel too");
    assert.deepEqual(
      data.fields,
      { code: "SQLITE_ERROR", sql: "SELECT * FROM invoices" },
      `fields: the error's own custom properties (not name, message, stack or cause); yours ${
        JSON.stringify(data.fields)
      }`,
    );
    assert.ok(
      !((data as object) instanceof Error),
      "the result must be plain data, not an Error (structured clone would strip it)",
    );
  });

  it("serializeError() keeps an error-shaped object that is not an Error as a value", () => {
    const thrown = { name: "DbError", message: "database is locked", code: "SQLITE_BUSY" };
    assert.deepEqual(
      serializeError(thrown),
      { kind: "value", value: thrown },
      "a plain object with a name and a message is still not an Error: it travels as a value",
    );
  });
});

describe("task 2: deserializeError()", () => {
  it("deserializeError() rebuilds an Error with the original name, message, stack and fields", () => {
    const data: SerializedThrown = {
      kind: "error",
      name: "DbError",
      message: "database is locked",
      stack: "DbError: database is locked\n    at query (jobs.ts:42:11)",
      fields: { code: "SQLITE_BUSY", sql: "UPDATE users SET name = 'x'" },
    };
    const error = deserializeError(data) as DbError;
    assert.ok(error instanceof Error, `the rebuilt error must be an Error; yours is ${error}`);
    assert.equal(error.name, "DbError", `name; yours ${error.name}`);
    assert.equal(error.message, "database is locked", `message; yours ${error.message}`);
    assert.equal(error.code, "SQLITE_BUSY", `code; yours ${error.code}`);
    assert.equal(error.sql, "UPDATE users SET name = 'x'", `sql; yours ${error.sql}`);
    assert.equal(
      error.stack,
      data.stack,
      "the stack should be the worker's, where it really failed",
    );
  });

  it("deserializeError() after serializeError() and structured clone keeps what clone alone loses", () => {
    const original = new DbError(
      "database is locked",
      "SQLITE_BUSY",
      "UPDATE users SET name = 'x'",
    );
    const raw = structuredClone(original) as Error & { code?: string };
    assert.equal(
      raw.code,
      undefined,
      "structured clone drops custom fields (the problem to solve)",
    );
    const rebuilt = deserializeError(structuredClone(serializeError(original))) as DbError;
    assert.equal(rebuilt.name, "DbError", `name after the round trip; yours ${rebuilt.name}`);
    assert.equal(rebuilt.code, "SQLITE_BUSY", `code after the round trip; yours ${rebuilt.code}`);
    assert.equal(
      rebuilt.sql,
      "UPDATE users SET name = 'x'",
      `sql after the round trip; yours ${rebuilt.sql}`,
    );
  });
});

describe("task 3: handle()", () => {
  it("handle() replies with the request's id and the function's result", async () => {
    const reply = await handle({ id: 41, moduleUrl: JOBS.href, fnName: "add", args: [20, 22] });
    assert.deepEqual(
      reply,
      { id: 41, ok: true, value: 42 },
      `the reply is { id, ok: true, value } with the request's id; yours ${JSON.stringify(reply)}`,
    );
  });

  it("handle() replies ok: false with the serialized error when the function throws", async () => {
    const reply = await handle({
      id: 3,
      moduleUrl: JOBS.href,
      fnName: "query",
      args: ["DROP TABLE users", 0],
    });
    assert.equal(reply.id, 3, "the reply keeps the request's id");
    assert.equal(reply.ok, false, "a throwing function gives ok: false");
    if (reply.ok) return;
    assert.equal(
      reply.error.kind,
      "error",
      'reply.error must be serializeError(error): { kind: "error", name, message, fields, ... }, not the raw Error',
    );
    if (reply.error.kind !== "error") return;
    assert.equal(reply.error.name, "DbError", `reply.error.name; yours ${reply.error.name}`);
    assert.deepEqual(
      reply.error.fields,
      { code: "SQLITE_ERROR", sql: "DROP TABLE users" },
      "reply.error.fields: the DbError's code and sql",
    );
  });
});

describe("task 4: toThread()", () => {
  it("toThread() runs an exported function in a Worker and resolves with its result", async () => {
    assert.equal(await toThread(JOBS, "add", [2, 3]), 5, "add(2, 3) in a Worker");
    const rows = await toThread(JOBS, "query", ["SELECT * FROM users"]);
    assert.deepEqual(
      rows,
      [{ id: 1, name: "ada" }, { id: 2, name: "alan" }],
      "the rows of the blocking query",
    );
  });

  it("toThread() leaves the event loop free: a heartbeat keeps beating while the job blocks", async () => {
    // The job blocks its thread until the main thread has beaten 5 times. If the job ran on the
    // main thread, nothing could beat: it would give up after 3 s and throw.
    const beats = shared(1);
    const heart = setInterval(() => {
      Atomics.add(beats, 0, 1);
      Atomics.notify(beats, 0);
    }, 2);
    try {
      const seen = await toThread<number>(JOBS, "waitForHeartbeats", [beats, 5, 3000]);
      assert.ok(seen >= 5, `the job should have seen at least 5 heartbeats; it saw ${seen}`);
    } finally {
      clearInterval(heart);
    }
  });

  it("toThread() rejects with the worker's DbError, keeping its name, message, code and sql", async () => {
    const error = await rejectsWith(
      toThread(JOBS, "query", ["SELECT * FROM invoices"]),
      { name: "DbError", message: "no such table: invoices" },
      'toThread(JOBS, "query", ["SELECT * FROM invoices"])',
    ) as DbError;
    assert.equal(
      error.code,
      "SQLITE_ERROR",
      "the DbError's code must survive the trip between threads",
    );
    assert.equal(error.sql, "SELECT * FROM invoices", "the DbError's sql must survive the trip");
  });

  it("toThread() rejects with the DbError of an async job, keeping its name and fields", async () => {
    // queryLater awaits a timer in the thread, then throws: its promise rejects after the call.
    const error = await rejectsWith(
      toThread(JOBS, "queryLater", ["SELECT * FROM invoices", 1]),
      { name: "DbError", message: "no such table: invoices" },
      'toThread(JOBS, "queryLater", ["SELECT * FROM invoices", 1])',
    ) as DbError;
    assert.equal(
      error.code,
      "SQLITE_ERROR",
      "a rejection of an async job is a failed job like a throw: its fields survive too",
    );
  });

  it("toThread() ends its Worker once the result is in", async () => {
    // tickForever starts a timer in the thread and returns at once: the counter keeps growing for
    // as long as the thread lives.
    const counter = shared(1);
    assert.equal(await toThread(JOBS, "tickForever", [counter]), "ticking", "the job's result");
    await assertStopped(counter, "after toThread() resolved");
  });
});

describe("task 5: toThread() cancellation", () => {
  it("toThread() aborted mid-job terminates its thread and rejects with the reason", async () => {
    const counter = shared(1);
    const controller = new AbortController();
    const job = toThread(JOBS, "countUp", [counter, 400, 5], { signal: controller.signal });
    job.catch(() => {}); // checked below; this only keeps an early failure from going unhandled
    await until(() => Atomics.load(counter, 0) >= 2, "the job to start counting");
    const reason = new Error("user cancelled");
    controller.abort(reason);
    await rejectsWith(job, { is: reason }, "toThread() aborted mid-job");
    await assertStopped(counter, "after the abort");
  });

  it("toThread() with an already aborted signal rejects with its reason and runs nothing", async () => {
    const counter = shared(1);
    const reason = { why: "cancelled before it began" };
    await rejectsWith(
      toThread(JOBS, "countUp", [counter, 5, 1], { signal: AbortSignal.abort(reason) }),
      { is: reason },
      "toThread() with an aborted signal",
    );
    await pause(100);
    assert.equal(
      Atomics.load(counter, 0),
      0,
      "a call that was already cancelled must not run the job",
    );
  });
});
