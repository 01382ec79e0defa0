/**
 * Hidden tests for 31_modern_primitives: run by the grader (`deno task grade 31`), not by
 * `bun test` or `deno test`. They pin every behaviour the README promises, in virtual time.
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

/**
 * An AbortController whose signal counts the abort listeners added to it and not yet removed
 * (a listener added with `{ once: true }` counts as removed once the signal has aborted).
 */
function countingController(): { controller: AbortController; active: () => number } {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Map<unknown, boolean>(); // listener -> added with { once: true }
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") {
        live.set(listener, typeof opts === "object" && !!(opts as AddEventListenerOptions)?.once);
      }
      add(type, listener, opts as AddEventListenerOptions);
    }) as typeof signal.addEventListener;
  signal.removeEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") live.delete(listener);
      remove(type, listener, opts as EventListenerOptions);
    }) as typeof signal.removeEventListener;
  const active = () => [...live.values()].filter((once) => !(once && signal.aborted)).length;
  return { controller, active };
}

/** A signal that aborts with a TimeoutError after `ms` (the platform's, not the student's). */
function timeoutSignalFor(ms: number): AbortSignal {
  return AbortSignal.timeout(ms);
}

/**
 * Every error a SuppressedError tree holds, newest first (`error` before `suppressed`). How the
 * SuppressedErrors nest depends on how the cleanups are structured; this order does not.
 */
function flatten(error: unknown): unknown[] {
  if (error instanceof SuppressedError) {
    return [...flatten(error.error), ...flatten(error.suppressed)];
  }
  return [error];
}

/** "name@t" for the events whose name starts with one of `prefixes`. */
function stamps(rec: EventRecorder, ...prefixes: string[]): string[] {
  return rec.events
    .filter((e) => prefixes.some((p) => e.name.startsWith(p)))
    .map((e) => `${e.name}@${e.at}`);
}

/** Timers the clock holds, of either kind a deadline can use. */
function deadlineTimers(
  clock: { pending(): { kind: string; delay: number }[] },
): { kind: string; delay: number }[] {
  return clock.pending().filter((t) => t.kind === "AbortSignal.timeout" || t.kind === "setTimeout");
}

describe("task 1: timeoutSignal()", () => {
  it(
    "timeoutSignal() aborts at exactly t=ms, not a moment earlier",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      const signal = timeoutSignal(250);
      signal.addEventListener("abort", () => rec.record("aborted"), { once: true });
      await sleep(249);
      assert.equal(signal.aborted, false, "timeoutSignal(250) must not be aborted at t=249");
      // Look one virtual millisecond after the deadline: a timer of the test due at t=250 too
      // may run before or after the deadline's timer (the runtimes promise no order).
      await sleep(2);
      assert.equal(signal.aborted, true, "timeoutSignal(250) must be aborted by t=251");
      assert.deepEqual(
        rec.times("aborted"),
        [250],
        `timeoutSignal(250) must abort at t=250 exactly; yours aborted at [${
          rec.times("aborted")
        }]`,
      );
      assert.ok(
        signal.reason instanceof DOMException && signal.reason.name === "TimeoutError",
        `the reason must be a DOMException named TimeoutError; yours is ${String(signal.reason)}`,
      );
      assert.equal(clock.now(), 251, "the test ends at t=251");
    }),
  );

  it(
    "timeoutSignal() arms one timer of exactly ms and none for Infinity",
    withClock((clock) => {
      const before = deadlineTimers(clock).length;
      timeoutSignal(Infinity);
      timeoutSignal(Infinity, { signal: new AbortController().signal });
      assert.equal(
        deadlineTimers(clock).length,
        before,
        `timeoutSignal(Infinity) needs no timer; yours armed ${
          deadlineTimers(clock).length - before
        }`,
      );
      timeoutSignal(750, { signal: new AbortController().signal });
      const armed = deadlineTimers(clock).slice(before);
      assert.deepEqual(
        armed.map((t) => t.delay),
        [750],
        `timeoutSignal(750) must arm one timer of 750 ms; yours armed [${
          armed.map((t) => `${t.kind} ${t.delay} ms`)
        }]`,
      );
    }),
  );

  it(
    "timeoutSignal() keeps the TimeoutError when the caller cancels after the deadline",
    withClock(async () => {
      const user = new AbortController();
      const signal = timeoutSignal(100, { signal: user.signal });
      await sleep(200);
      user.abort(new Error("too late"));
      assert.equal(
        signal.reason?.name,
        "TimeoutError",
        `the deadline came first, so its reason stays; yours is ${String(signal.reason)}`,
      );
    }),
  );

  it(
    "timeoutSignal() with an already aborted caller signal is aborted at once with the same reason",
    withClock(() => {
      const reason = { why: "cancelled earlier" }; // a reason need not be an Error
      const signal = timeoutSignal(1000, { signal: AbortSignal.abort(reason) });
      assert.equal(signal.aborted, true, "the result must be aborted when returned");
      assert.equal(signal.reason, reason, "its reason must be the caller's reason itself");
    }),
  );

  it(
    "timeoutSignal(Infinity, { signal }) follows the caller's signal only",
    withClock(async (clock) => {
      const user = new AbortController();
      const reason = new Error("stop");
      const signal = timeoutSignal(Infinity, { signal: user.signal });
      await sleep(86_000_000);
      assert.equal(signal.aborted, false, "no deadline: it must not abort on its own");
      user.abort(reason);
      assert.equal(signal.aborted, true, "it must abort when the caller's signal aborts");
      assert.equal(signal.reason, reason, "with the caller's reason itself");
      assert.equal(clock.now(), 86_000_000, "the test sleeps for almost a day");
    }),
  );

  it(
    "timeoutSignal() throws a RangeError for NaN, -Infinity and a non-number",
    withClock(() => {
      throwsWith(() => timeoutSignal(NaN), { name: "RangeError" }, "timeoutSignal(NaN)");
      for (const ms of ["100", undefined, null]) {
        throwsWith(
          () => timeoutSignal(ms as unknown as number),
          { name: "RangeError" },
          `timeoutSignal(${JSON.stringify(ms) ?? ms}) (ms must be a number; "100" is a string)`,
        );
      }
      throwsWith(
        () => timeoutSignal(-Infinity),
        { name: "RangeError" },
        "timeoutSignal(-Infinity)",
      );
      throwsWith(
        () => timeoutSignal(-0.5, { signal: new AbortController().signal }),
        { name: "RangeError" },
        "timeoutSignal(-0.5, { signal })",
      );
    }),
  );

  it(
    "timeoutSignal(2^31 - 1) is a valid deadline that does not abort early",
    withClock(async () => {
      let signal: AbortSignal | undefined;
      assert.doesNotThrow(() => {
        signal = timeoutSignal(2 ** 31 - 1);
      }, "timeoutSignal(2 ** 31 - 1) (about 24.8 days) is the longest valid deadline; yours threw");
      await sleep(60_000);
      assert.equal(
        signal!.aborted,
        false,
        "a deadline 24.8 days away has not passed after one minute; yours aborted",
      );
    }),
  );

  it(
    "timeoutSignal() accepts a fractional ms",
    withClock(async () => {
      let signal: AbortSignal | undefined;
      assert.doesNotThrow(() => {
        signal = timeoutSignal(2.5);
      }, "timeoutSignal(2.5) is a valid deadline; yours threw");
      await sleep(3);
      assert.equal(signal?.aborted, true, "timeoutSignal(2.5) must have aborted by t=3");
    }),
  );

  it(
    "timeoutSignal(0, { signal }) aborts with a TimeoutError on the next turn",
    withClock(async () => {
      const rec = new EventRecorder();
      const signal = timeoutSignal(0, { signal: new AbortController().signal });
      assert.equal(signal.aborted, false, "not during the call");
      signal.addEventListener("abort", () => rec.record("aborted"), { once: true });
      // Look one virtual millisecond later: a setTimeout(0) due at t=0 too may run before or
      // after the deadline's timer (the runtimes promise no order between them).
      await sleep(1);
      assert.equal(signal.reason?.name, "TimeoutError", "a TimeoutError, by t=1");
      assert.deepEqual(
        rec.times("aborted"),
        [0],
        `at t=0, on the next turn of the timers; yours aborted at [${rec.times("aborted")}]`,
      );
    }),
  );
});

describe("task 2: once()", () => {
  it(
    "once() resolves with the very event object, at the time it is dispatched",
    withClock(async (clock) => {
      const target = new EventTarget();
      const event = new Event("done");
      setTimeout(() => target.dispatchEvent(event), 70);
      const got = await once(target, "done");
      assert.equal(got, event, "once() must resolve with the dispatched event object itself");
      assert.equal(clock.now(), 70, `the event comes at t=70; yours resolved at t=${clock.now()}`);
    }),
  );

  it(
    "once() resolves with the first of several events dispatched in a row",
    withClock(async () => {
      const target = new EventTarget();
      const got = once<CustomEvent<number>>(target, "n");
      for (const n of [1, 2, 3]) target.dispatchEvent(new CustomEvent("n", { detail: n }));
      assert.equal((await got).detail, 1, "the first of 1, 2, 3 is 1");
    }),
  );

  it(
    "once() ignores events of other types",
    withClock(async () => {
      const target = new EventTarget();
      const got = once<CustomEvent<string>>(target, "close");
      target.dispatchEvent(new CustomEvent("message", { detail: "hello" }));
      target.dispatchEvent(new CustomEvent("close", { detail: "bye" }));
      assert.equal((await got).detail, "bye", 'only a "close" event counts');
    }),
  );

  it(
    "once() with an already aborted signal rejects with its reason and adds no listener",
    withClock(async () => {
      const target = new CountingTarget();
      const { controller, active } = countingController();
      const reason = "cancelled"; // a reason need not be an Error
      controller.abort(reason);
      await rejectsWith(
        callAsync(() => once(target, "ready", { signal: controller.signal }), "once() aborted"),
        { is: reason },
        "once(target, type, { signal: aborted })",
      );
      assert.equal(
        target.added,
        0,
        `no listener may be added to the target; yours added ${target.added}`,
      );
      assert.equal(active(), 0, `no abort listener may stay; ${active()} left`);
    }),
  );

  it(
    "once() removes both listeners when the signal aborts",
    withClock(async () => {
      const target = new CountingTarget();
      const { controller, active } = countingController();
      const waiting = once(target, "ready", { signal: controller.signal });
      await sleep(10);
      controller.abort(new Error("stop"));
      await waiting.catch(() => {});
      assert.equal(
        target.live,
        0,
        `the target must have no listener left; yours has ${target.live}`,
      );
      assert.equal(
        active(),
        0,
        `the signal must have no abort listener left; yours has ${active()}`,
      );
    }),
  );

  it(
    "once() removes its abort listener when the event comes",
    withClock(async () => {
      const target = new CountingTarget();
      const { controller, active } = countingController();
      const waiting = once(target, "ready", { signal: controller.signal });
      target.dispatchEvent(new Event("ready"));
      await waiting;
      assert.equal(
        active(),
        0,
        `a long-lived signal must not keep the listener of a finished once(); ${active()} left`,
      );
      assert.equal(target.live, 0, `the target must have no listener left; ${target.live} left`);
    }),
  );

  it(
    "once() rejects with what the filter threw and removes both listeners",
    withClock(async () => {
      const target = new CountingTarget();
      const { controller, active } = countingController();
      const bad = new TypeError("cannot read detail");
      const waiting = once(target, "tick", {
        signal: controller.signal,
        filter: () => {
          throw bad;
        },
      });
      target.dispatchEvent(new Event("tick"));
      await rejectsWith(waiting, { is: bad }, "once() whose filter throws");
      assert.equal(target.live, 0, `the target must have no listener left; ${target.live} left`);
      assert.equal(active(), 0, `the signal must have no abort listener left; ${active()} left`);
    }),
  );

  it(
    "once() calls the filter once per event, and not after it resolved",
    withClock(async () => {
      const target = new EventTarget();
      const seen: number[] = [];
      const got = once<CustomEvent<number>>(target, "n", {
        filter: (event) => {
          seen.push(event.detail);
          return event.detail > 1;
        },
      });
      for (const n of [1, 2, 3, 4]) target.dispatchEvent(new CustomEvent("n", { detail: n }));
      assert.equal((await got).detail, 2, "the first event above 1 is 2");
      assert.deepEqual(seen, [1, 2], `the filter must see 1 and 2 only; it saw [${seen}]`);
    }),
  );

  it(
    "once() keeps the event when the signal aborts after it came",
    withClock(async () => {
      const target = new EventTarget();
      const controller = new AbortController();
      const event = new Event("ready");
      const waiting = once(target, "ready", { signal: controller.signal });
      target.dispatchEvent(event);
      controller.abort(new Error("too late"));
      assert.equal(await waiting, event, "the event came first: once() must resolve with it");
    }),
  );

  it(
    "once() waits for the event, however long it takes, without a timer",
    withClock(async (clock) => {
      const target = new EventTarget();
      const waiting = once(target, "ready");
      assert.equal(clock.pending().length, 0, "once() must not arm a timer (no polling)");
      setTimeout(() => target.dispatchEvent(new Event("ready")), 3_600_000);
      await waiting;
      assert.equal(clock.now(), 3_600_000, "the event comes after an hour");
      assert.equal(
        clock.trace.length,
        1,
        `only the test's own timer may fire; ${clock.trace.length} did`,
      );
    }),
  );

  it(
    "two once() calls on the same target both get the event",
    withClock(async () => {
      const target = new EventTarget();
      const a = once(target, "ready");
      const b = once(target, "ready");
      const event = new Event("ready");
      target.dispatchEvent(event);
      assert.deepEqual(await Promise.all([a, b]), [event, event], "both must resolve with it");
    }),
  );

  it(
    "once() combines with timeoutSignal(): it rejects with the TimeoutError at the deadline",
    withClock(async (clock) => {
      const target = new CountingTarget();
      const signal = timeoutSignal(400);
      const error = await rejectsWith(
        once(target, "ready", { signal }),
        { name: "TimeoutError" },
        "once(target, type, { signal: timeoutSignal(400) })",
      );
      assert.equal(error, signal.reason, "the rejection is the signal's reason itself");
      assert.equal(clock.now(), 400, `it must reject at t=400; it settled at t=${clock.now()}`);
      assert.equal(target.live, 0, "no listener may stay on the target");
    }),
  );
});

describe("task 3: openAll()", () => {
  it(
    "openAll() calls the next opener only after the previous one resolved",
    withClock(async () => {
      const rec = new EventRecorder();
      await using bundle = await openAll([
        fake(rec, "a", { openMs: 10 }),
        fake(rec, "b", { openMs: 20 }),
        fake(rec, "c", { openMs: 30 }),
      ]);
      assert.deepEqual(
        stamps(rec, "open "),
        ["open a@0", "open b@10", "open c@30"],
        `each opener starts when the previous one resolved:\n${rec.format()}`,
      );
      assert.equal(bundle.resources.length, 3, "three resources");
    }),
  );

  it(
    "openAll() bundle closes one at a time, last opened first, each close awaited",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      const bundle = await openAll([
        fake(rec, "a", { closeMs: 30 }),
        fake(rec, "b", { closeMs: 20 }),
        fake(rec, "c", { closeMs: 10 }),
      ]);
      await bundle[Symbol.asyncDispose]();
      assert.deepEqual(
        stamps(rec, "close ", "closed "),
        [
          "close c@0",
          "closed c@10",
          "close b@10",
          "closed b@30",
          "close a@30",
          "closed a@60",
        ],
        `close c, then b once c is closed, then a:\n${rec.format()}`,
      );
      assert.equal(
        clock.now(),
        60,
        `the dispose resolves when a is closed, at t=60; t=${clock.now()}`,
      );
    }),
  );

  it(
    "openAll() resolves with the opened values themselves, in opener order",
    withClock(async () => {
      const one = { [Symbol.asyncDispose]: async () => {} };
      const two = { [Symbol.asyncDispose]: async () => {} };
      const slowOne: Opener<typeof one> = async () => {
        await sleep(50);
        return one;
      };
      await using bundle = await openAll([slowOne, () => two]);
      assert.equal(bundle.resources[0], one, "resources[0] is what the first opener resolved with");
      assert.equal(bundle.resources[1], two, "resources[1] is what the second opener returned");
      assert.equal(bundle.resources.length, 2, "two resources");
    }),
  );

  it(
    "openAll([]) resolves with an empty bundle",
    withClock(async (clock) => {
      const bundle = await openAll([]);
      assert.deepEqual([...bundle.resources], [], "no openers, no resources");
      await bundle[Symbol.asyncDispose]();
      assert.equal(clock.now(), 0, "nothing to open or close takes no time");
    }),
  );

  it(
    "openAll() with one opener opens and closes it once",
    withClock(async () => {
      const rec = new EventRecorder();
      const bundle = await openAll([fake(rec, "only")]);
      await bundle[Symbol.asyncDispose]();
      assert.deepEqual(
        rec.names(),
        ["open only", "opened only", "close only", "closed only"],
        `open once, close once:\n${rec.format()}`,
      );
    }),
  );

  it(
    "openAll() closes nothing before the bundle is disposed",
    withClock(async () => {
      const rec = new EventRecorder();
      const bundle = await openAll([fake(rec, "a"), fake(rec, "b")]);
      await sleep(100);
      assert.deepEqual(
        rec.names().filter((n) => n.startsWith("close")),
        [],
        `a successful openAll() hands the resources over open; yours closed some:\n${rec.format()}`,
      );
      await bundle[Symbol.asyncDispose]();
      assert.deepEqual(
        rec.names().filter((n) => n.startsWith("close ")),
        ["close b", "close a"],
        `disposing the bundle closes both:\n${rec.format()}`,
      );
    }),
  );

  it(
    "openAll() bundle disposed twice closes each resource once",
    withClock(async () => {
      const rec = new EventRecorder();
      const bundle = await openAll([fake(rec, "a"), fake(rec, "b")]);
      await bundle[Symbol.asyncDispose]();
      await bundle[Symbol.asyncDispose]();
      const resources = bundle.resources as readonly { closes: number }[];
      assert.deepEqual(
        resources.map((r) => r.closes),
        [1, 1],
        `each resource must be closed exactly once:\n${rec.format()}`,
      );
    }),
  );

  it(
    "openAll() closes what it opened, last first, before it rejects",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      const broken = new Error("c is down");
      await rejectsWith(
        openAll([
          fake(rec, "a", { closeMs: 10 }),
          fake(rec, "b", { closeMs: 10 }),
          fake(rec, "c", { openMs: 5, openError: broken }),
          fake(rec, "d"),
        ]),
        { is: broken },
        "openAll() whose third opener fails at t=5",
      );
      rec.record("rejected");
      assert.deepEqual(
        stamps(rec, "close", "rejected", "open d"),
        ["close b@5", "closed b@15", "close a@15", "closed a@25", "rejected@25"],
        `close b, then a, then reject; d is never opened:\n${rec.format()}`,
      );
      assert.equal(clock.now(), 25, "the test ends at t=25");
    }),
  );

  it(
    "openAll() treats an opener that throws synchronously like one that rejects",
    withClock(async () => {
      const rec = new EventRecorder();
      const broken = new Error("thrown at once");
      const throwing: Opener<null> = () => {
        throw broken;
      };
      await rejectsWith(
        callAsync(() => openAll([fake(rec, "a"), throwing]), "openAll() with a throwing opener"),
        { is: broken },
        "openAll([a, opener that throws synchronously])",
      );
      assert.deepEqual(
        rec.names().filter((n) => n.startsWith("close ")),
        ["close a"],
        `a must be closed:\n${rec.format()}`,
      );
      const first = await rejectsWith(
        callAsync(() => openAll([throwing]), "openAll() whose first opener throws"),
        { is: broken },
        "openAll([opener that throws synchronously])",
      );
      assert.equal(first, broken, "the error itself");
    }),
  );

  it(
    "openAll() keeps closing when a close fails, and the dispose rejects with that error",
    withClock(async () => {
      const rec = new EventRecorder();
      const closeError = new Error("b close failed");
      const bundle = await openAll([
        fake(rec, "a"),
        fake(rec, "b", { closeError }),
        fake(rec, "c"),
      ]);
      await rejectsWith(
        () => bundle[Symbol.asyncDispose](),
        { is: closeError },
        "disposing the bundle",
      );
      assert.deepEqual(
        rec.names().filter((n) => n.startsWith("closed ")),
        ["closed c", "closed b", "closed a"],
        `a must still be closed after b failed:\n${rec.format()}`,
      );
    }),
  );

  it(
    "openAll() bundle dispose with two failing closes rejects with a SuppressedError of both",
    withClock(async () => {
      const rec = new EventRecorder();
      const aError = new Error("a close failed");
      const cError = new Error("c close failed");
      const bundle = await openAll([
        fake(rec, "a", { closeError: aError }),
        fake(rec, "b"),
        fake(rec, "c", { closeError: cError }),
      ]);
      const error = await rejectsWith(
        () => bundle[Symbol.asyncDispose](),
        { name: "SuppressedError" },
        "disposing a bundle whose c and a fail to close",
      ) as SuppressedError;
      assert.deepEqual(
        flatten(error).map(String),
        [aError, cError].map(String),
        "the SuppressedError holds a's failure (the last) and c's (the earlier)",
      );
      assert.deepEqual(
        rec.names().filter((n) => n.startsWith("closed ")),
        ["closed c", "closed b", "closed a"],
        `every close must run:\n${rec.format()}`,
      );
    }),
  );

  it(
    "openAll() with a failing opener and two failing closes keeps all three errors, newest first",
    withClock(async () => {
      const rec = new EventRecorder();
      const openError = new Error("c cannot open");
      const aError = new Error("a close failed");
      const bError = new Error("b close failed");
      const error = await rejectsWith(
        openAll([
          fake(rec, "a", { closeError: aError }),
          fake(rec, "b", { closeError: bError }),
          fake(rec, "c", { openError }),
        ]),
        { name: "SuppressedError" },
        "openAll() whose c fails to open and whose b and a fail to close",
      ) as SuppressedError;
      assert.deepEqual(
        flatten(error).map(String),
        [aError, bError, openError].map(String),
        "the SuppressedErrors must hold every error, newest first: a's close, b's close, the opener's",
      );
    }),
  );

  it(
    "openAll() passes the signal to every opener, and undefined without one",
    withClock(async () => {
      const controller = new AbortController();
      const seen: unknown[] = [];
      const spy: Opener<null> = (signal) => {
        seen.push(signal);
        return null;
      };
      await using _with = await openAll([spy, spy], { signal: controller.signal });
      assert.deepEqual(seen, [controller.signal, controller.signal], "each opener gets the signal");
      seen.length = 0;
      await using _without = await openAll([spy]);
      assert.deepEqual(seen, [undefined], "without a signal, openers get undefined");
    }),
  );

  it(
    "openAll() aborted while an opener runs closes the earlier resources and rejects with the reason",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      const controller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => controller.abort(reason), 15);
      await rejectsWith(
        openAll([
          fake(rec, "a", { openMs: 10 }),
          fake(rec, "b", { openMs: 100 }),
          fake(rec, "c"),
        ], { signal: controller.signal }),
        { is: reason },
        "openAll() aborted at t=15 while b opens",
      );
      assert.equal(clock.now(), 15, `the opener stops at the abort, t=15; t=${clock.now()}`);
      assert.deepEqual(
        rec.names().filter((n) => n.startsWith("close ") || n === "open c"),
        ["close a"],
        `a is closed, c never opened:\n${rec.format()}`,
      );
    }),
  );

  it(
    "openAll() aborted while an opener ignores the signal closes that resource too",
    withClock(async () => {
      const rec = new EventRecorder();
      const controller = new AbortController();
      const reason = new Error("shutting down");
      const stubborn: Opener<FakeResource> = async () => {
        rec.record("open b");
        await sleep(100); // does not listen to the signal
        return new FakeResource("b", rec);
      };
      setTimeout(() => controller.abort(reason), 50);
      await rejectsWith(
        openAll([fake(rec, "a"), stubborn, fake(rec, "c")], { signal: controller.signal }),
        { is: reason },
        "openAll() aborted at t=50 while an opener that ignores the signal runs until t=100",
      );
      assert.deepEqual(
        rec.names().filter((n) => n.startsWith("close ") || n === "open c"),
        ["close b", "close a"],
        `b resolved after the abort and must be closed too; c must not open:\n${rec.format()}`,
      );
      const rec2 = new EventRecorder();
      const lastOne: Opener<FakeResource> = async () => {
        await sleep(100); // does not listen to the signal
        return new FakeResource("last", rec2);
      };
      await rejectsWith(
        openAll([fake(rec2, "x"), lastOne], { signal: timeoutSignalFor(50) }),
        { name: "TimeoutError" },
        "openAll() whose last opener resolves after the signal aborted",
      );
      assert.deepEqual(
        rec2.names().filter((n) => n.startsWith("close ")),
        ["close last", "close x"],
        `the last resource, opened after the abort, must be closed as well:\n${rec2.format()}`,
      );
    }),
  );

  it(
    "openAll() rejects with a TypeError for a value that cannot be closed, and closes the others",
    withClock(async () => {
      const rec = new EventRecorder();
      const notClosable = (() => ({ name: "plain object" })) as unknown as Opener<null>;
      await rejectsWith(
        openAll([fake(rec, "a"), notClosable, fake(rec, "c")]),
        { instanceOf: TypeError },
        "openAll() whose second opener resolves with a plain object",
      );
      assert.deepEqual(
        rec.names().filter((n) => n.startsWith("close ") || n === "open c"),
        ["close a"],
        `a must be closed and c never opened:\n${rec.format()}`,
      );
    }),
  );

  it(
    "openAll() accepts null, undefined and Disposable resources",
    withClock(async () => {
      const rec = new EventRecorder();
      const syncOne: Disposable = { [Symbol.dispose]: () => rec.record("close sync") };
      const bundle = await openAll<Disposable | AsyncDisposable | null | undefined>([
        fake(rec, "a"),
        () => null,
        () => Promise.resolve(undefined),
        () => syncOne,
      ]);
      assert.deepEqual(
        [bundle.resources[1], bundle.resources[2], bundle.resources[3]],
        [null, undefined, syncOne],
        "null and undefined are kept as they are",
      );
      await bundle[Symbol.asyncDispose]();
      assert.deepEqual(
        rec.names().filter((n) => n.startsWith("close ")),
        ["close sync", "close a"],
        `a Disposable is closed with [Symbol.dispose](); null and undefined are skipped:\n${rec.format()}`,
      );
    }),
  );
});

describe("task 4: runJob()", () => {
  it(
    "runJob() starts the body once everything is open and closes only after it settled",
    withClock(async () => {
      const rec = new EventRecorder();
      await runJob(
        [fake(rec, "a", { openMs: 10 }), fake(rec, "b", { openMs: 10 })],
        async () => {
          rec.record("body start");
          await sleep(100);
          rec.record("body end");
        },
      );
      assert.deepEqual(
        stamps(rec, "opened", "body", "close "),
        [
          "opened a@10",
          "opened b@20",
          "body start@20",
          "body end@120",
          "close b@120",
          "close a@120",
        ],
        `open both, run the body, then close:\n${rec.format()}`,
      );
    }),
  );

  it(
    "runJob() treats a body that throws synchronously like one that rejects",
    withClock(async () => {
      const rec = new EventRecorder();
      const failure = new Error("sync failure");
      await rejectsWith(
        callAsync(
          () =>
            runJob([fake(rec, "a")], () => {
              throw failure;
            }),
          "runJob() with a throwing body",
        ),
        { is: failure },
        "runJob() whose body throws synchronously",
      );
      assert.ok(rec.names().includes("close a"), `a must be closed:\n${rec.format()}`);
    }),
  );

  it(
    "runJob() passes the caller's abort to the body with the same reason, and cleans up",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      const user = new AbortController();
      const reason = new Error("user cancelled");
      let bodySignal: AbortSignal | undefined;
      setTimeout(() => user.abort(reason), 80);
      await rejectsWith(
        runJob([fake(rec, "a")], ({ signal }) => {
          bodySignal = signal;
          return sleep(1000, signal);
        }, { signal: user.signal, timeoutMs: 500 }),
        { is: reason },
        "runJob() cancelled by the caller at t=80",
      );
      assert.equal(bodySignal?.reason, reason, "the body's signal aborts with the caller's reason");
      assert.equal(clock.now(), 80, `the job stops at t=80; t=${clock.now()}`);
      assert.ok(rec.names().includes("close a"), `a must be closed:\n${rec.format()}`);
    }),
  );

  it(
    "runJob() with timeoutMs and a caller signal stops at whichever comes first",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      const user = new AbortController();
      setTimeout(() => user.abort(new Error("late")), 900);
      await rejectsWith(
        runJob([fake(rec, "a")], ({ signal }) => sleep(5000, signal), {
          signal: user.signal,
          timeoutMs: 300,
        }),
        { name: "TimeoutError" },
        "runJob() with timeoutMs 300 and a caller who cancels at t=900",
      );
      assert.equal(clock.now(), 300, `the deadline comes first, at t=300; t=${clock.now()}`);
      await sleep(700);
    }),
  );

  it(
    "runJob() with timeoutMs 0 stops the body on the next turn, at t=0",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      await rejectsWith(
        runJob([fake(rec, "a")], ({ signal }) => sleep(1000, signal), { timeoutMs: 0 }),
        { name: "TimeoutError" },
        "runJob([a], body that sleeps 1 s, { timeoutMs: 0 })",
      );
      assert.equal(
        clock.now(),
        0,
        `timeoutMs 0 is a deadline of now; the job ended at t=${clock.now()}`,
      );
      assert.ok(rec.names().includes("closed a"), `a must be closed:\n${rec.format()}`);
    }),
  );

  it(
    "runJob() resolves with a value the body returns after the deadline",
    withClock(async (clock) => {
      const value = await runJob([], async ({ signal }) => {
        await sleep(500); // ignores the signal
        return signal.aborted ? "finished anyway" : "in time";
      }, { timeoutMs: 100 });
      assert.equal(
        value,
        "finished anyway",
        `the body decides: its late value is the result; yours gave ${String(value)}`,
      );
      assert.equal(clock.now(), 500, "the body ran to its end at t=500");
    }),
  );

  it(
    "runJob() without timeoutMs never times out",
    withClock(async (clock) => {
      const value = await runJob([], async ({ signal }) => {
        await sleep(36_000_000, signal);
        return signal.aborted;
      });
      assert.equal(value, false, "without timeoutMs, the job's signal never aborts");
      assert.equal(clock.now(), 36_000_000, "the body sleeps for 10 hours");
    }),
  );

  it(
    "runJob() gives the body an AbortSignal even without options",
    withClock(async () => {
      const got = await runJob([], ({ signal }) => signal);
      assert.ok(
        got instanceof AbortSignal,
        `the body must receive an AbortSignal; got ${String(got)}`,
      );
      assert.equal(got.aborted, false, "not aborted");
    }),
  );

  it(
    "runJob() with a negative timeoutMs rejects with a RangeError and opens nothing",
    withClock(async () => {
      const rec = new EventRecorder();
      let called = false;
      await rejectsWith(
        callAsync(
          () => runJob([fake(rec, "a")], () => (called = true), { timeoutMs: -1 }),
          "runJob(..., { timeoutMs: -1 })",
        ),
        { name: "RangeError" },
        "runJob(..., { timeoutMs: -1 })",
      );
      assert.deepEqual(rec.names(), [], `nothing may be opened:\n${rec.format()}`);
      assert.equal(called, false, "the body must not run");
    }),
  );

  it(
    "runJob() takes timeoutMs: undefined as no deadline, and refuses one above 2^31 - 1",
    withClock(async (clock) => {
      const aborted = await callAsync(
        () =>
          runJob([], async ({ signal }) => {
            await sleep(36_000_000, signal);
            return signal.aborted;
          }, { timeoutMs: undefined }),
        "runJob(..., { timeoutMs: undefined })",
      );
      assert.equal(
        aborted,
        false,
        "timeoutMs: undefined is the default, no deadline; yours aborted",
      );
      assert.equal(clock.now(), 36_000_000, "the body sleeps for 10 hours");
      const rec = new EventRecorder();
      await rejectsWith(
        callAsync(
          () => runJob([fake(rec, "a")], () => "ran", { timeoutMs: 2 ** 31 }),
          "runJob(..., { timeoutMs: 2 ** 31 })",
        ),
        { name: "RangeError" },
        "runJob(..., { timeoutMs: 2 ** 31 }) (more than 24.8 days)",
      );
      assert.deepEqual(rec.names(), [], `nothing may be opened:\n${rec.format()}`);
    }),
  );

  it(
    "runJob() timing out while opening closes what was opened and never runs the body",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      let called = false;
      await rejectsWith(
        runJob(
          [fake(rec, "a", { openMs: 50 }), fake(rec, "b", { openMs: 500 })],
          () => (called = true),
          { timeoutMs: 200 },
        ),
        { name: "TimeoutError" },
        "runJob() with timeoutMs 200 whose second opener takes 500 ms",
      );
      assert.equal(clock.now(), 200, `the opener stops at t=200; t=${clock.now()}`);
      assert.equal(called, false, "the body must not run");
      assert.deepEqual(
        rec.names().filter((n) => n.startsWith("close ")),
        ["close a"],
        `a must be closed:\n${rec.format()}`,
      );
    }),
  );

  it(
    "runJob() with an already aborted signal opens nothing and never runs the body",
    withClock(async () => {
      const rec = new EventRecorder();
      const reason = new Error("cancelled before");
      let called = false;
      await rejectsWith(
        runJob([fake(rec, "a")], () => (called = true), { signal: AbortSignal.abort(reason) }),
        { is: reason },
        "runJob() with an aborted signal",
      );
      assert.deepEqual(rec.names(), [], `nothing may be opened:\n${rec.format()}`);
      assert.equal(called, false, "the body must not run");
    }),
  );

  it(
    "runJob() lets every cleanup run to its end after a timeout",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      await rejectsWith(
        runJob(
          [fake(rec, "a", { closeMs: 40 }), fake(rec, "b", { closeMs: 40 })],
          async ({ signal, defer }) => {
            defer(async () => {
              await sleep(40);
              rec.record("temp removed");
            });
            await sleep(1000, signal);
          },
          { timeoutMs: 100 },
        ),
        { name: "TimeoutError" },
        "runJob() with timeoutMs 100",
      );
      assert.deepEqual(
        stamps(rec, "temp", "closed"),
        ["temp removed@140", "closed b@180", "closed a@220"],
        `the cleanups take 40 ms each and are not cut short by the abort:\n${rec.format()}`,
      );
      assert.equal(
        clock.now(),
        220,
        `runJob() settles after the last close, t=220; t=${clock.now()}`,
      );
    }),
  );

  it(
    "runJob() runs every cleanup when one fails, and nests the errors",
    withClock(async () => {
      const rec = new EventRecorder();
      const bodyError = new Error("body failed");
      const deferError = new Error("temp file locked");
      const error = await rejectsWith(
        runJob([fake(rec, "a")], ({ defer }) => {
          defer(() => rec.record("first cleanup"));
          defer(() => {
            throw deferError;
          });
          throw bodyError;
        }),
        { name: "SuppressedError" },
        "runJob() whose body and a deferred cleanup fail",
      ) as SuppressedError;
      assert.equal(error.error, deferError, "error: the cleanup's");
      assert.equal(error.suppressed, bodyError, "suppressed: the body's");
      assert.deepEqual(
        rec.names().filter((n) => n === "first cleanup" || n.startsWith("closed")),
        ["first cleanup", "closed a"],
        `the other cleanup and the close still run:\n${rec.format()}`,
      );
    }),
  );

  it(
    "runJob() defer() after the job has ended throws a ReferenceError",
    withClock(async () => {
      let later: ((cleanup: () => void) => void) | undefined;
      await runJob([], ({ defer }) => {
        later = defer;
      });
      throwsWith(
        () => later!(() => {}),
        { instanceOf: ReferenceError },
        "defer() called after runJob() resolved",
      );
    }),
  );

  it(
    "runJob() with no openers runs the body with no resources",
    withClock(async () => {
      const got = await runJob([], ({ resources }) => [...resources]);
      assert.deepEqual(got, [], "resources is empty");
    }),
  );

  it(
    "runJob() closes the resources when the body rejects after the deadline with its own error",
    withClock(async () => {
      const rec = new EventRecorder();
      const own = new Error("rollback failed");
      await rejectsWith(
        runJob([fake(rec, "a")], async ({ signal }) => {
          try {
            await sleep(1000, signal);
          } catch {
            throw own; // an error of its own replaces the TimeoutError
          }
        }, { timeoutMs: 10 }),
        { is: own },
        "runJob() whose body turns the timeout into its own error",
      );
      assert.ok(rec.names().includes("closed a"), `a must be closed:\n${rec.format()}`);
    }),
  );
});
