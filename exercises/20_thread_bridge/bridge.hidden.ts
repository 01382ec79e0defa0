/**
 * Hidden tests of 20_thread_bridge: every behaviour the exercise pins. Real threads, so real time
 * with durations of a few milliseconds; shared memory tells what each thread is doing.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DbError, isNotImplemented, rejectsWith } from "../../lib/mod.ts";
import { deserializeError, toThread } from "./bridge.ts";
import { handle, serializeError } from "./worker_host.ts";

const JOBS = new URL("./jobs.ts", import.meta.url);

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));

async function until(ready: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!ready()) {
    if (Date.now() > deadline) assert.fail(`waited ${limitMs} ms for ${what}`);
    await pause(2);
  }
}

/** `work`, or a rejection if it is still pending after `limitMs` of real time (instead of a hang). */
function within<T>(work: Promise<T>, limitMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} was still pending after ${limitMs} ms`)),
      limitMs,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Asserts that `counter[0]` stops growing: the thread that was counting is gone. */
async function assertStopped(counter: Int32Array, what: string): Promise<void> {
  const before = Atomics.load(counter, 0);
  await pause(60);
  const after = Atomics.load(counter, 0);
  assert.ok(
    after <= before + 1,
    `${what}: the job kept counting (${before} -> ${after}), so its thread was not terminated`,
  );
}

/**
 * Runs `body` with `globalThis.Worker` wrapped to count the Workers started and terminated (the
 * README says to start them with `new Worker(...)`).
 */
async function countingWorkers<T>(
  body: () => Promise<T>,
): Promise<
  { started: number; terminated: number; types: unknown[]; result: PromiseSettledResult<T> }
> {
  const g = globalThis as unknown as { Worker: typeof Worker };
  const Real = g.Worker;
  const stats = { started: 0, terminated: 0, types: [] as unknown[] };
  g.Worker = class extends Real {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      stats.started++;
      stats.types.push(options?.type);
    }
    override terminate(): void {
      stats.terminated++;
      super.terminate();
    }
  };
  try {
    const [result] = await Promise.allSettled([body()]);
    // An unfinished stub is "not started", not a wrong answer.
    if (result.status === "rejected" && isNotImplemented(result.reason)) throw result.reason;
    return { ...stats, result };
  } finally {
    g.Worker = Real;
  }
}

/** A signal that counts its live abort listeners. */
function countingSignal() {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: AddEventListenerOptions | boolean,
  ) => {
    if (type === "abort") live.add(listener);
    add(type, listener, options);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: EventListenerOptions | boolean,
  ) => {
    if (type === "abort") live.delete(listener);
    remove(type, listener, options);
  }) as typeof signal.removeEventListener;
  return { controller, signal, live };
}

describe("task 1: serializeError() (hidden)", () => {
  it("serializeError() output survives structured clone with every field", () => {
    const data = structuredClone(
      serializeError(
        Object.assign(new RangeError("too many rows"), { limit: 500, table: "users" }),
      ),
    );
    assert.equal(
      data.kind,
      "error",
      'serializeError() of an Error must give { kind: "error", ... }',
    );
    if (data.kind !== "error") return;
    assert.equal(data.name, "RangeError", `name after structured clone; yours ${data.name}`);
    assert.deepEqual(
      data.fields,
      { limit: 500, table: "users" },
      `custom fields after structured clone; yours ${JSON.stringify(data.fields)}`,
    );
    assert.equal(
      data.cause,
      undefined,
      `an error without a cause gives data without a cause; yours ${JSON.stringify(data.cause)}`,
    );
  });

  it("serializeError() keeps message, stack and cause out of fields, even when they are enumerable", () => {
    // Class fields are own enumerable properties, these three included.
    class HttpError extends Error {
      override message = "503 from upstream";
      override stack = "HttpError: 503 from upstream\n    at fetchUser (api.ts:12)";
      override cause = "maintenance window";
      status = 503;
    }
    const data = serializeError(new HttpError());
    assert.equal(
      data.kind,
      "error",
      'serializeError() of an Error must give { kind: "error", ... }',
    );
    if (data.kind !== "error") return;
    assert.deepEqual(
      data.fields,
      { status: 503 },
      `fields holds the custom properties only, never name, message, stack or cause (they have places of their own); yours ${
        JSON.stringify(data.fields)
      }`,
    );
    assert.equal(data.message, "503 from upstream", "the message");
    assert.equal(
      data.stack,
      "HttpError: 503 from upstream\n    at fetchUser (api.ts:12)",
      "the stack",
    );
    assert.deepEqual(
      data.cause,
      { kind: "value", value: "maintenance window" },
      `the cause, serialized; yours ${JSON.stringify(data.cause)}`,
    );
  });

  it("serializeError() keeps a thrown non-Error value as it is", () => {
    assert.deepEqual(serializeError("boom"), { kind: "value", value: "boom" }, "a thrown string");
    assert.deepEqual(
      serializeError({ code: 7 }),
      { kind: "value", value: { code: 7 } },
      "a thrown object that is not an Error",
    );
  });

  it("serializeError() serializes the cause as well", () => {
    const error = new TypeError("could not load user 7", {
      cause: new DbError("database is locked", "SQLITE_BUSY", "SELECT 1"),
    });
    const data = serializeError(error);
    assert.equal(
      data.kind,
      "error",
      'serializeError() of an Error must give { kind: "error", ... }',
    );
    if (data.kind !== "error") return;
    assert.equal(data.cause?.kind, "error", "the cause should be serialized like any error");
    if (data.cause?.kind !== "error") return;
    assert.equal(data.cause.name, "DbError", "the cause's name");
    assert.deepEqual(
      data.cause.fields,
      { code: "SQLITE_BUSY", sql: "SELECT 1" },
      "the cause's fields",
    );
  });

  it("serializeError() keeps a cause that is not an Error, and an error's name set by assignment", () => {
    const error = new Error("request failed", { cause: "timeout after 30 s" });
    error.name = "UpstreamError";
    const data = structuredClone(serializeError(error));
    assert.equal(
      data.kind,
      "error",
      'serializeError() of an Error must give { kind: "error", ... }',
    );
    if (data.kind !== "error") return;
    assert.equal(data.name, "UpstreamError", `the name set on the error; yours ${data.name}`);
    assert.deepEqual(
      data.fields,
      {},
      `name is not a custom field; yours ${JSON.stringify(data.fields)}`,
    );
    assert.deepEqual(
      data.cause,
      { kind: "value", value: "timeout after 30 s" },
      `a string cause is serialized as a value; yours ${JSON.stringify(data.cause)}`,
    );
  });

  it("serializeError() keeps a cause that is undefined, and adds none when there is none", () => {
    const data = serializeError(new Error("retry failed", { cause: undefined }));
    assert.equal(
      data.kind,
      "error",
      'serializeError() of an Error must give { kind: "error", ... }',
    );
    if (data.kind !== "error") return;
    assert.ok(
      "cause" in data,
      "new Error(message, { cause: undefined }) has a cause (its value is undefined): serialize it",
    );
    assert.deepEqual(
      data.cause,
      { kind: "value", value: undefined },
      `an undefined cause is a value like any other; yours ${JSON.stringify(data.cause)}`,
    );
    const plain = serializeError(new Error("no cause"));
    assert.ok(
      !("cause" in plain),
      `an error without a cause gets no cause; yours ${JSON.stringify(plain)}`,
    );
  });

  it("serializeError() leaves non-enumerable own properties out of fields", () => {
    const error = Object.assign(new Error("locked"), { code: "SQLITE_BUSY" });
    Object.defineProperty(error, "connection", { value: "db#3", enumerable: false });
    const data = serializeError(error);
    assert.equal(
      data.kind,
      "error",
      'serializeError() of an Error must give { kind: "error", ... }',
    );
    if (data.kind !== "error") return;
    assert.deepEqual(
      data.fields,
      { code: "SQLITE_BUSY" },
      `fields holds the own enumerable properties only; yours ${JSON.stringify(data.fields)}`,
    );
  });
});

describe("task 2: deserializeError() (hidden)", () => {
  it("deserializeError() rebuilds the cause chain", () => {
    const error = deserializeError({
      kind: "error",
      name: "TypeError",
      message: "could not load user 7",
      fields: {},
      cause: {
        kind: "error",
        name: "DbError",
        message: "database is locked",
        fields: { code: "SQLITE_BUSY" },
      },
    }) as Error;
    const cause = error.cause as DbError;
    assert.ok(cause instanceof Error, "the cause must be rebuilt as an Error too");
    assert.equal(
      typeof error.stack,
      "string",
      `data without a stack (the given worker_main.ts sends such errors) keeps the stack the new Error got; yours: ${error.stack}`,
    );
    assert.equal(cause.name, "DbError", "the cause's name");
    assert.equal(cause.code, "SQLITE_BUSY", "the cause's custom field code");
  });

  it("deserializeError() returns a thrown non-Error value unchanged", () => {
    assert.equal(
      deserializeError({ kind: "value", value: "boom" }),
      "boom",
      '{ kind: "value", value: "boom" } gives back "boom"',
    );
    assert.deepEqual(
      deserializeError({ kind: "value", value: { code: 7 } }),
      { code: 7 },
      "a thrown non-Error object comes back as it is",
    );
  });
});

describe("task 3: handle() (hidden)", () => {
  it("handle() awaits an async function", async () => {
    const reply = await handle({
      id: 2,
      moduleUrl: JOBS.href,
      fnName: "doubleLater",
      args: [21, 1],
    });
    assert.deepEqual(
      reply,
      { id: 2, ok: true, value: 42 },
      "the reply must carry the resolved value, not a promise",
    );
  });

  it("handle() replies with a TypeError for a name the module does not export", async () => {
    const reply = await handle({ id: 4, moduleUrl: JOBS.href, fnName: "dropAllTables", args: [] });
    assert.equal(reply.ok, false, "an unknown function must fail, not hang or crash the worker");
    if (reply.ok || reply.error.kind !== "error") return;
    assert.equal(
      reply.error.name,
      "TypeError",
      `a missing export is a TypeError; yours ${reply.error.name}`,
    );
    assert.match(
      reply.error.message,
      /dropAllTables/,
      "the message should name the missing function",
    );
  });

  it("handle() replies ok: false when the module cannot be loaded", async () => {
    const missing = new URL("./no_such_module.ts", import.meta.url).href;
    const reply = await handle({ id: 5, moduleUrl: missing, fnName: "anything", args: [] });
    assert.equal(reply.id, 5, "the reply keeps the request's id");
    assert.equal(reply.ok, false, "a module that cannot be imported is a failed job, not a crash");
    if (reply.ok || reply.error.kind !== "error") return;
    assert.match(reply.error.message, /no_such_module/, "the message should name the module");
  });

  it("handle() never rejects, also for a thrown non-Error value", async () => {
    const reply = await handle({ id: 6, moduleUrl: JOBS.href, fnName: "throwValue", args: [404] });
    assert.deepEqual(
      reply,
      { id: 6, ok: false, error: { kind: "value", value: 404 } },
      `a thrown 404 replies { ok: false, error: { kind: "value", value: 404 } }; yours ${
        JSON.stringify(reply)
      }`,
    );
  });
});

describe("task 4: toThread() (hidden)", () => {
  it("toThread() starts one module Worker, copies arguments to it and the result back", async () => {
    const order = { id: 7, lines: [{ sku: "A-1", qty: 2 }] };
    const { started, types, result } = await countingWorkers(() =>
      toThread<typeof order>(JOBS, "echoAfter", [1, order])
    );
    assert.equal(started, 1, `one Worker per call; yours started ${started}`);
    assert.deepEqual(
      types,
      ["module"],
      `start it with new Worker(HOST_URL, { type: "module" }) (Deno runs no other kind); yours passed type ${
        types.map(String).join(", ")
      }`,
    );
    assert.equal(result.status, "fulfilled", `the call should succeed; yours: ${result.status}`);
    if (result.status !== "fulfilled") return;
    const back = result.value;
    assert.deepEqual(back, order, "the value should come back intact");
    assert.notEqual(back, order, "threads share no objects: the result is a copy");
  });

  it("toThread() resolves with an async function's value, and defaults args to []", async () => {
    assert.equal(
      await toThread(JOBS, "doubleLater", [21, 2]),
      42,
      "the async job's resolved value",
    );
    assert.deepEqual(await toThread(JOBS, "echoArgs"), [], "toThread(url, fnName) calls fnName()");
  });

  it("toThread() keeps the cause of a worker's error, and a thrown non-Error value", async () => {
    const error = await rejectsWith(
      toThread(JOBS, "loadUser", [7]),
      { name: "TypeError", message: "could not load user 7" },
      'toThread(JOBS, "loadUser", [7])',
    ) as Error;
    const cause = error.cause as DbError | undefined;
    assert.equal(cause?.name, "DbError", "the cause's name must survive");
    assert.equal(cause?.code, "SQLITE_BUSY", "the cause's code must survive");
    await rejectsWith(
      toThread(JOBS, "throwValue", ["boom"]),
      { is: "boom" },
      'toThread(JOBS, "throwValue", ["boom"])',
    );
  });

  it("toThread() rejects for a module that cannot be loaded and for a missing export", async () => {
    const missing = new URL("./no_such_module.ts", import.meta.url);
    await rejectsWith(
      toThread(missing, "anything"),
      { message: "no_such_module.ts" },
      "toThread() of a module that does not exist",
    );
    await rejectsWith(
      toThread(JOBS, "noSuchJob"),
      { name: "TypeError", message: "noSuchJob" },
      'toThread(JOBS, "noSuchJob")',
    );
  });

  it("toThread() ends its Worker after the job throws", async () => {
    const counter = shared(1);
    await rejectsWith(
      toThread(JOBS, "tickThenThrow", [counter]),
      { name: "DbError" },
      'toThread(JOBS, "tickThenThrow", [counter])',
    );
    await assertStopped(counter, "after toThread() rejected");
  });

  it("toThread() rejects with DataCloneError for arguments it cannot copy, and ends its Worker", async () => {
    const { started, terminated, result } = await countingWorkers(() =>
      toThread(JOBS, "echoAfter", [0, () => 1])
    );
    assert.equal(
      result.status,
      "rejected",
      "a function as an argument cannot be copied to a thread",
    );
    if (result.status === "rejected") {
      assert.equal((result.reason as Error)?.name, "DataCloneError", `the error: ${result.reason}`);
    }
    assert.ok(
      terminated >= started,
      `every Worker started must be ended: ${started} started, ${terminated} terminated`,
    );
  });

  it("toThread() rejects with DataCloneError for a result it cannot copy", async () => {
    await rejectsWith(
      within(toThread(JOBS, "makeCallback"), 5000, 'toThread(JOBS, "makeCallback")'),
      { name: "DataCloneError" },
      "toThread() of a job that returns a function",
    );
  });

  it("toThread() rejects when the thread dies without replying, and ends it", async () => {
    const { started, terminated, result } = await countingWorkers(() =>
      within(
        toThread(JOBS, "crashLater", ["segfault in the driver"]),
        5000,
        "toThread() of a crashing job",
      )
    );
    assert.equal(
      result.status,
      "rejected",
      "a thread that dies must reject the call, not leave it pending",
    );
    if (result.status === "rejected") {
      assert.ok(
        result.reason instanceof Error,
        `it rejects with an Error; yours: ${result.reason}`,
      );
      assert.match(
        (result.reason as Error).message,
        /segfault in the driver/,
        "the error should carry the worker's message",
      );
    }
    assert.equal(started, 1, `one Worker per call; yours started ${started}`);
    assert.equal(
      terminated,
      1,
      `the dead Worker is terminated too; yours terminated ${terminated}`,
    );
  });

  it("toThread() runs each call in its own thread, so calls run at the same time", async () => {
    // meet() succeeds only when 3 calls are inside it at once, each blocking its own thread.
    const counter = shared(1);
    const results = await Promise.all(
      [1, 2, 3].map(() => toThread<number>(JOBS, "meet", [counter, 3, 5000])),
    );
    assert.deepEqual(
      results.map((n) => n >= 3),
      [true, true, true],
      `three calls at once must run in three threads at the same time; they saw ${results}`,
    );
  });

  it("toThread() rejects (never throws) with a TypeError for a relative module path", async () => {
    let call: Promise<unknown>;
    try {
      call = toThread("./jobs.ts", "add", [1, 2]);
    } catch (error) {
      if (isNotImplemented(error)) throw error;
      assert.fail(`toThread() must report every problem as a rejection; yours threw ${error}`);
    }
    await rejectsWith(
      call,
      { name: "TypeError" },
      'toThread("./jobs.ts", ...) (not an absolute URL)',
    );
  });
});

describe("task 5: toThread() cancellation (hidden)", () => {
  it("toThread() with an already aborted signal starts no Worker", async () => {
    const reason = new DOMException("too late", "AbortError");
    const { started, result } = await countingWorkers(() =>
      toThread(JOBS, "add", [1, 2], { signal: AbortSignal.abort(reason) })
    );
    assert.equal(result.status, "rejected", "an already aborted call rejects");
    if (result.status === "rejected") {
      assert.equal(result.reason, reason, "with the signal's reason itself");
    }
    assert.equal(
      started,
      0,
      `no Worker may start for a call already cancelled; yours started ${started}`,
    );
  });

  it("toThread() rejects with the exact reason, whatever it is", async () => {
    const counter = shared(1);
    const controller = new AbortController();
    const job = toThread(JOBS, "countUp", [counter, 400, 5], { signal: controller.signal });
    job.catch(() => {});
    await until(() => Atomics.load(counter, 0) >= 1, "the job to start counting");
    controller.abort("no longer needed");
    await rejectsWith(job, { is: "no longer needed" }, "toThread() aborted with a string reason");
  });

  it("toThread() rejects at once when aborted during a long synchronous call", async () => {
    const counter = shared(1);
    const controller = new AbortController();
    const job = toThread(JOBS, "startThenBlock", [counter, 2000], { signal: controller.signal });
    job.catch(() => {});
    await until(() => Atomics.load(counter, 0) >= 1, "the job to start");
    const reason = new Error("cancelled by the user");
    controller.abort(reason);
    await rejectsWith(
      within(job, 1000, "the aborted call"),
      { is: reason },
      "toThread() aborted while its thread is blocked for 2 s",
    );
  });

  it("toThread() aborted while its Worker starts ends that Worker", async () => {
    const controller = new AbortController();
    const { started, terminated, result } = await countingWorkers(async () => {
      const job = toThread(JOBS, "add", [1, 2], { signal: controller.signal });
      controller.abort();
      return await job;
    });
    assert.equal(result.status, "rejected", "the aborted call rejects");
    if (result.status === "rejected") {
      assert.equal(
        (result.reason as Error)?.name,
        "AbortError",
        "with the signal's default reason",
      );
    }
    assert.ok(terminated >= started, `${started} Worker(s) started, only ${terminated} terminated`);
  });

  it("toThread() removes its abort listener when the call settles", async () => {
    const { signal, live } = countingSignal();
    await toThread(JOBS, "add", [1, 1], { signal });
    await rejectsWith(
      toThread(JOBS, "query", ["NOPE", 0], { signal }),
      { name: "DbError" },
      'toThread(JOBS, "query", ["NOPE", 0])',
    );
    assert.equal(
      live.size,
      0,
      `every finished call must remove its abort listener; ${live.size} left`,
    );
  });

  it("toThread() is not affected by an abort after it settled", async () => {
    const controller = new AbortController();
    const value = await toThread(JOBS, "add", [40, 2], { signal: controller.signal });
    assert.doesNotThrow(() => controller.abort(), "aborting afterwards must not throw");
    assert.equal(value, 42, "the result stays");
  });

  it("toThread() rejects with a falsy reason as it is: 0, an empty string, null, false", async () => {
    for (const reason of [0, "", null, false]) {
      const controller = new AbortController();
      const job = toThread(JOBS, "echoAfter", [2000, "late"], { signal: controller.signal });
      job.catch(() => {});
      controller.abort(reason);
      await rejectsWith(
        within(job, 1000, "the aborted call"),
        { is: reason },
        `toThread() aborted with ${JSON.stringify(reason)} as its reason`,
      );
      await rejectsWith(
        toThread(JOBS, "add", [1, 2], { signal: AbortSignal.abort(reason) }),
        { is: reason },
        `toThread() with a signal already aborted with ${JSON.stringify(reason)}`,
      );
    }
  });

  it("toThread() settles on the abort itself, before any timer runs", async () => {
    const counter = shared(1);
    const controller = new AbortController();
    const reason = new Error("cancelled by the user");
    let outcome = "still pending";
    const job = toThread(JOBS, "startThenBlock", [counter, 2000], { signal: controller.signal });
    job.then(
      () => (outcome = "resolved"),
      (error) => (outcome = error === reason ? "rejected with the reason" : `rejected: ${error}`),
    );
    await until(() => Atomics.load(counter, 0) >= 1, "the job to start");
    controller.abort(reason);
    await pause(0);
    assert.equal(
      outcome,
      "rejected with the reason",
      "an abort rejects the call at once (in the abort listener), not after a delay or the thread's end",
    );
  });
});
