/**
 * Visible tests for 31_modern_primitives. Run them with `bun test exercises/31_modern_primitives`
 * or `deno test exercises/31_modern_primitives`. Time is virtual: `AbortSignal.timeout()` and
 * `setTimeout` run on the workbook's clock, and `clock.now()` says exactly when things happen.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  EventRecorder,
  isNotImplemented,
  rejectsWith,
  throwsWith,
  withClock,
} from "../../lib/mod.ts";
import { once, openAll, type Opener, runJob, timeoutSignal } from "./modern.ts";

/** Calls `start()`; a synchronous throw (other than "not implemented") fails the test. */
function callAsync<T>(start: () => Promise<T>, what: string): Promise<T> {
  try {
    return start();
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    assert.fail(`${what} must return a rejected promise, not throw; it threw ${String(error)}`);
  }
}

/** A sleep that stops early, rejecting with the signal's reason, when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
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
}

/** Records, with its virtual time, when `signal` aborts. */
function watch(signal: AbortSignal, rec: EventRecorder, name = "aborted"): void {
  signal.addEventListener("abort", () => rec.record(name), { once: true });
}

/** A fake resource: records its close, which takes `closeMs` and may fail. */
class FakeResource implements AsyncDisposable {
  closes = 0;
  constructor(
    readonly name: string,
    readonly rec: EventRecorder,
    readonly closeMs = 0,
    readonly closeError?: Error,
  ) {}
  async [Symbol.asyncDispose](): Promise<void> {
    this.rec.record(`close ${this.name}`);
    if (this.closeMs > 0) await sleep(this.closeMs);
    this.closes++;
    this.rec.record(`closed ${this.name}`);
    if (this.closeError) throw this.closeError;
  }
}

interface FakeOptions {
  openMs?: number;
  closeMs?: number;
  openError?: Error;
  closeError?: Error;
}

/** An opener for a FakeResource: records "open NAME" and "opened NAME"; may fail. */
function fake(rec: EventRecorder, name: string, options: FakeOptions = {}): Opener<FakeResource> {
  return async (signal) => {
    rec.record(`open ${name}`);
    if (options.openMs) await sleep(options.openMs, signal);
    if (options.openError) throw options.openError;
    rec.record(`opened ${name}`);
    return new FakeResource(name, rec, options.closeMs, options.closeError);
  };
}

/** An EventTarget that knows how many listeners are still attached. */
class CountingTarget extends EventTarget {
  readonly #live = new Map<EventListenerOrEventListenerObject, { type: string; once: boolean }>();
  added = 0;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: AddEventListenerOptions | boolean,
  ): void {
    if (listener) {
      this.added++;
      const opts = typeof options === "object" ? options : {};
      this.#live.set(listener, { type, once: !!opts.once });
      opts.signal?.addEventListener("abort", () => this.#live.delete(listener));
    }
    super.addEventListener(type, listener, options);
  }
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: EventListenerOptions | boolean,
  ): void {
    if (listener) this.#live.delete(listener);
    super.removeEventListener(type, listener, options);
  }
  override dispatchEvent(event: Event): boolean {
    for (const [listener, info] of [...this.#live]) {
      if (info.type === event.type && info.once) this.#live.delete(listener);
    }
    return super.dispatchEvent(event);
  }
  /** Listeners still attached. */
  get live(): number {
    return this.#live.size;
  }
}

describe("task 1: timeoutSignal()", () => {
  it(
    "timeoutSignal() aborts at the deadline with a TimeoutError",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      const signal = timeoutSignal(500);
      watch(signal, rec);
      assert.equal(signal.aborted, false, "timeoutSignal(500) must not be aborted when returned");
      await sleep(1000);
      assert.deepEqual(
        rec.events.map((e) => e.at),
        [500],
        `timeoutSignal(500) must abort once, at t=500:\n${rec.format()}`,
      );
      assert.equal(
        signal.reason?.name,
        "TimeoutError",
        `the reason must be a DOMException named TimeoutError; yours is ${String(signal.reason)}`,
      );
      assert.equal(clock.now(), 1000, "the test sleeps until t=1000");
    }),
  );

  it(
    "timeoutSignal() aborts with the caller's reason when the caller cancels first",
    withClock(async (clock) => {
      const user = new AbortController();
      const reason = new Error("user pressed stop");
      const signal = timeoutSignal(1000, { signal: user.signal });
      setTimeout(() => user.abort(reason), 200);
      await sleep(300);
      assert.equal(signal.aborted, true, "the caller aborted at t=200: the signal must be aborted");
      assert.equal(
        signal.reason,
        reason,
        `the reason must be the caller's reason itself; yours is ${String(signal.reason)}`,
      );
      await sleep(1000);
      assert.equal(
        signal.reason,
        reason,
        "the deadline at t=1000 comes later and must not replace the caller's reason",
      );
      assert.equal(clock.now(), 1300, "the test sleeps until t=1300");
    }),
  );

  it(
    "timeoutSignal(Infinity) never times out",
    withClock(async (clock) => {
      const signal = timeoutSignal(Infinity);
      await sleep(3_600_000);
      assert.equal(
        signal.aborted,
        false,
        "Infinity means no deadline (Python's asyncio.timeout(None)); yours aborted",
      );
      assert.equal(clock.now(), 3_600_000, "the test sleeps for an hour");
    }),
  );

  it(
    "timeoutSignal() refuses a negative ms with a RangeError",
    withClock(() => {
      throwsWith(() => timeoutSignal(-1), { name: "RangeError" }, "timeoutSignal(-1)");
    }),
  );

  it(
    "timeoutSignal() refuses a finite ms above 2^31 - 1 with a RangeError",
    withClock(() => {
      // A timer cannot wait that long: Deno's AbortSignal.timeout(2 ** 31) would abort at once.
      throwsWith(() => timeoutSignal(2 ** 31), { name: "RangeError" }, "timeoutSignal(2 ** 31)");
      throwsWith(() => timeoutSignal(1e300), { name: "RangeError" }, "timeoutSignal(1e300)");
    }),
  );

  it(
    "timeoutSignal(0) aborts at t=0, after the call returns",
    withClock(async () => {
      const rec = new EventRecorder();
      const signal = timeoutSignal(0);
      assert.equal(
        signal.aborted,
        false,
        "timeoutSignal(0) aborts on the next turn of the timers, not during the call",
      );
      watch(signal, rec);
      // Look one virtual millisecond later: a setTimeout(0) due at t=0 too may run before or
      // after the deadline's timer (the runtimes promise no order between them).
      await sleep(1);
      assert.equal(signal.aborted, true, "timeoutSignal(0) must have aborted by t=1");
      assert.deepEqual(
        rec.times("aborted"),
        [0],
        `timeoutSignal(0) aborts at t=0: no time passes; yours aborted at [${
          rec.times("aborted")
        }]`,
      );
    }),
  );
});

describe("task 2: once()", () => {
  it(
    "once() resolves with the first event of its type",
    withClock(async (clock) => {
      const target = new EventTarget();
      setTimeout(() => target.dispatchEvent(new CustomEvent("ready", { detail: "first" })), 100);
      setTimeout(() => target.dispatchEvent(new CustomEvent("ready", { detail: "second" })), 200);
      const event = await once<CustomEvent<string>>(target, "ready");
      assert.equal(
        event.detail,
        "first",
        `once() must resolve with the first "ready" event; yours resolved with ${event?.detail}`,
      );
      assert.equal(clock.now(), 100, `the first event comes at t=100; yours at t=${clock.now()}`);
      await sleep(200);
    }),
  );

  it(
    "once() rejects with the signal's reason when aborted while waiting",
    withClock(async (clock) => {
      const target = new EventTarget();
      const controller = new AbortController();
      const reason = new Error("gave up");
      setTimeout(() => controller.abort(reason), 50);
      await rejectsWith(
        once(target, "ready", { signal: controller.signal }),
        { is: reason },
        "once(target, type, { signal }) aborted at t=50",
      );
      assert.equal(
        clock.now(),
        50,
        `it must reject when the signal aborts, at t=50; t=${clock.now()}`,
      );
    }),
  );

  it(
    "once() skips events its filter refuses",
    withClock(async () => {
      const target = new EventTarget();
      const wanted = once<CustomEvent<number>>(target, "tick", {
        filter: (event) => event.detail % 2 === 0,
      });
      for (const n of [1, 3, 4, 6]) target.dispatchEvent(new CustomEvent("tick", { detail: n }));
      const event = await wanted;
      assert.equal(
        event.detail,
        4,
        `the first even tick is 4; once() with the filter resolved with ${event?.detail}`,
      );
    }),
  );

  it(
    "once() with an already aborted signal rejects at once",
    withClock(async () => {
      const target = new CountingTarget();
      const reason = new Error("cancelled before");
      await rejectsWith(
        callAsync(
          () => once(target, "ready", { signal: AbortSignal.abort(reason) }),
          "once() with an aborted signal",
        ),
        { is: reason },
        "once(target, type, { signal: AbortSignal.abort(reason) })",
      );
      assert.equal(target.added, 0, `no listener may be added; yours added ${target.added}`);
    }),
  );

  it(
    "once() removes its listener once the event came",
    withClock(async () => {
      const target = new CountingTarget();
      const got = once(target, "ready");
      target.dispatchEvent(new Event("ready"));
      await got;
      assert.equal(
        target.live,
        0,
        `once() must remove its listener from the target after the event; ${target.live} left`,
      );
    }),
  );
});

describe("task 3: openAll()", () => {
  it(
    "openAll() opens in order and the bundle closes in reverse order",
    withClock(async () => {
      const rec = new EventRecorder();
      {
        await using bundle = await openAll([fake(rec, "db"), fake(rec, "cache"), fake(rec, "log")]);
        rec.record("use " + bundle.resources.map((r) => r.name).join(","));
      }
      assert.deepEqual(
        rec.names().filter((n) => !n.startsWith("closed")),
        [
          "open db",
          "opened db",
          "open cache",
          "opened cache",
          "open log",
          "opened log",
          "use db,cache,log",
          "close log",
          "close cache",
          "close db",
        ],
        `open in order, use, then close last opened first:\n${rec.format()}`,
      );
    }),
  );

  it(
    "openAll() closes what it opened when an opener fails",
    withClock(async () => {
      const rec = new EventRecorder();
      const broken = new Error("cache is down");
      await rejectsWith(
        openAll([fake(rec, "db"), fake(rec, "log"), fake(rec, "cache", { openError: broken })]),
        { is: broken },
        "openAll() whose third opener fails",
      );
      assert.deepEqual(
        rec.names().filter((n) => n.startsWith("close ")),
        ["close log", "close db"],
        `the two opened resources must be closed, last opened first:\n${rec.format()}`,
      );
    }),
  );

  it(
    "openAll() hands over the opened resources, in opener order",
    withClock(async () => {
      const rec = new EventRecorder();
      await using bundle = await openAll([fake(rec, "db", { openMs: 30 }), fake(rec, "cache")]);
      assert.deepEqual(
        bundle.resources.map((r) => r.name),
        ["db", "cache"],
        `resources must follow the openers' order; yours: [${
          bundle.resources.map((r) => r?.name)
        }]`,
      );
      assert.deepEqual(
        rec.names().filter((n) => n.startsWith("close")),
        [],
        `nothing is closed before the bundle is disposed:\n${rec.format()}`,
      );
    }),
  );

  it(
    "openAll() with an already aborted signal calls no opener",
    withClock(async () => {
      const rec = new EventRecorder();
      const reason = new Error("cancelled before it started");
      await rejectsWith(
        openAll([fake(rec, "db")], { signal: AbortSignal.abort(reason) }),
        { is: reason },
        "openAll([db], { signal: AbortSignal.abort(reason) })",
      );
      assert.deepEqual(rec.names(), [], `no opener may run:\n${rec.format()}`);
    }),
  );

  it(
    "openAll() rejects with a SuppressedError when a close fails during its cleanup",
    withClock(async () => {
      const rec = new EventRecorder();
      const openError = new Error("log is full");
      const closeError = new Error("db close failed");
      const error = await rejectsWith(
        openAll([fake(rec, "db", { closeError }), fake(rec, "log", { openError })]),
        { name: "SuppressedError" },
        "openAll() whose second opener fails and whose first resource fails to close",
      ) as SuppressedError;
      assert.equal(
        error.error,
        closeError,
        `the SuppressedError's error must be the close's error; yours is ${String(error.error)}`,
      );
      assert.equal(
        error.suppressed,
        openError,
        `its suppressed must be the opener's error; yours is ${String(error.suppressed)}`,
      );
    }),
  );
});

describe("task 4: runJob()", () => {
  it(
    "runJob() runs the body between opening and closing and resolves with its value",
    withClock(async () => {
      const rec = new EventRecorder();
      const value = await runJob([fake(rec, "db"), fake(rec, "cache")], async ({ resources }) => {
        rec.record("body " + resources.map((r) => r.name).join(","));
        await sleep(10);
        return 42;
      });
      assert.equal(value, 42, `runJob() must resolve with the body's value; yours gave ${value}`);
      assert.deepEqual(
        rec.names().filter((n) => !n.startsWith("opened") && !n.startsWith("closed")),
        ["open db", "open cache", "body db,cache", "close cache", "close db"],
        `open, run, close in reverse:\n${rec.format()}`,
      );
    }),
  );

  it(
    "runJob() closes everything in reverse order when the body throws",
    withClock(async () => {
      const rec = new EventRecorder();
      const failure = new Error("query failed");
      await rejectsWith(
        runJob([fake(rec, "db"), fake(rec, "cache")], async () => {
          await sleep(10);
          throw failure;
        }),
        { is: failure },
        "runJob() whose body throws",
      );
      assert.deepEqual(
        rec.names().filter((n) => n.startsWith("close ")),
        ["close cache", "close db"],
        `both resources must be closed, last opened first:\n${rec.format()}`,
      );
    }),
  );

  it(
    "runJob() stops a body that honours the signal at timeoutMs with a TimeoutError",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      await rejectsWith(
        runJob([fake(rec, "db")], ({ signal }) => sleep(10_000, signal), { timeoutMs: 300 }),
        { name: "TimeoutError" },
        "runJob([db], body that sleeps 10 s, { timeoutMs: 300 })",
      );
      assert.equal(
        clock.now(),
        300,
        `the job must stop at t=300; yours stopped at t=${clock.now()}`,
      );
      assert.ok(rec.names().includes("close db"), `db must still be closed:\n${rec.format()}`);
    }),
  );

  it(
    "runJob() runs deferred cleanups in reverse order before the resources close",
    withClock(async () => {
      const rec = new EventRecorder();
      await runJob([fake(rec, "db")], ({ defer }) => {
        defer(() => rec.record("remove temp file 1"));
        defer(async () => {
          await sleep(5);
          rec.record("remove temp file 2");
        });
      });
      assert.deepEqual(
        rec.names().filter((n) => n.startsWith("remove") || n.startsWith("close ")),
        ["remove temp file 2", "remove temp file 1", "close db"],
        `deferred cleanups run last registered first, then the resources close:\n${rec.format()}`,
      );
    }),
  );

  it(
    "runJob() waits for the body to stop before closing after an abort",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      const user = new AbortController();
      const reason = new Error("user cancelled");
      setTimeout(() => user.abort(reason), 100);
      await rejectsWith(
        runJob([fake(rec, "db")], async ({ signal }) => {
          try {
            await sleep(10_000, signal);
          } finally {
            await sleep(50); // the body needs 50 ms to roll back
            rec.record("body stopped");
          }
        }, { signal: user.signal }),
        { is: reason },
        "runJob() cancelled by the caller at t=100",
      );
      assert.deepEqual(
        rec.events.filter((e) => e.name === "body stopped" || e.name === "close db").map((e) =>
          `${e.name}@${e.at}`
        ),
        ["body stopped@150", "close db@150"],
        `db closes only after the body stopped at t=150:\n${rec.format()}`,
      );
      assert.equal(clock.now(), 150, `runJob() settles at t=150; yours at t=${clock.now()}`);
    }),
  );

  it(
    "runJob() rejects with a SuppressedError when the body and a cleanup both fail",
    withClock(async () => {
      const rec = new EventRecorder();
      const bodyError = new Error("body failed");
      const closeError = new Error("close failed");
      const error = await rejectsWith(
        runJob([fake(rec, "db", { closeError })], () => {
          throw bodyError;
        }),
        { name: "SuppressedError" },
        "runJob() whose body and whose close both fail",
      ) as SuppressedError;
      assert.equal(error.error, closeError, "the SuppressedError's error is the cleanup's error");
      assert.equal(error.suppressed, bodyError, "its suppressed is the body's error");
    }),
  );

  it(
    "runJob() rejects, and does not throw, for an invalid timeoutMs",
    withClock(async () => {
      const rec = new EventRecorder();
      const job = callAsync(
        () => runJob([fake(rec, "db")], () => "never", { timeoutMs: NaN }),
        "runJob(..., { timeoutMs: NaN })",
      );
      await rejectsWith(job, { name: "RangeError" }, "runJob(..., { timeoutMs: NaN })");
    }),
  );
});
