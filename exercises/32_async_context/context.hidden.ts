/**
 * Hidden tests for 32_async_context: run by the grader (`deno task grade 32`), not by `bun test`
 * or `deno test`. They pin every behaviour the README promises, in virtual time.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  ConcurrencyProbe,
  deferred,
  EventRecorder,
  isNotImplemented,
  rejectsWith,
  throwsWith,
  withClock,
} from "../../lib/mod.ts";
import {
  BackgroundQueue,
  currentRequestId,
  handle,
  type LogEntry,
  RequestLogger,
  withRequest,
} from "./context.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The log as "id: message" lines ("-" for no request), for comparisons and messages. */
function lines(entries: readonly LogEntry[]): string[] {
  return entries.map((e) => `${e.requestId ?? "-"}: ${e.message}`);
}

/** Calls `start()`; a synchronous throw (other than "not implemented") fails the test. */
function callAsync<T>(start: () => Promise<T>, what: string): Promise<T> {
  try {
    return start();
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    assert.fail(`${what} must return a rejected promise, not throw; it threw ${String(error)}`);
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

describe("task 1: withRequest() and currentRequestId()", () => {
  it(
    "withRequest() returns exactly what fn returns: a plain value at once, the same promise",
    withClock(() => {
      const value = withRequest("a", () => 42);
      assert.equal(value, 42, `withRequest("a", () => 42) must return 42 itself; yours: ${value}`);
      const promise = Promise.resolve("x");
      assert.equal(
        withRequest("a", () => promise),
        promise,
        "withRequest() must return fn's promise itself, not a new one",
      );
    }),
  );

  it(
    "withRequest() calls fn at once, synchronously",
    withClock(() => {
      let called = false;
      withRequest("a", () => {
        called = true;
      });
      assert.equal(called, true, "fn must have run by the time withRequest() returns");
    }),
  );

  it(
    "withRequest() rethrows fn's synchronous throw and restores the outer id",
    withClock(() => {
      const boom = new Error("boom");
      const after = withRequest("outer", () => {
        throwsWith(
          () =>
            withRequest("inner", () => {
              throw boom;
            }),
          { is: boom },
          'withRequest("inner", fn that throws)',
        );
        return currentRequestId();
      });
      assert.equal(
        after,
        "outer",
        `after the inner request threw, the id is "outer" again; yours: ${after}`,
      );
      assert.equal(currentRequestId(), undefined, "and outside both, no id");
    }),
  );

  it(
    "withRequest() throws a TypeError for an id that is not a string, before calling fn",
    withClock(() => {
      for (const bad of [undefined, null, 42, { id: "a" }]) {
        let called = false;
        throwsWith(
          () =>
            withRequest(bad as unknown as string, () => {
              called = true;
            }),
          { name: "TypeError" },
          `withRequest(${JSON.stringify(bad)}, fn)`,
        );
        assert.equal(called, false, `fn must not run for the id ${JSON.stringify(bad)}`);
      }
    }),
  );

  it(
    "withRequest() id does not leak into the caller's code, before or after the request ends",
    withClock(async () => {
      const request = withRequest("a", async () => {
        await sleep(5);
        return currentRequestId();
      });
      assert.equal(
        currentRequestId(),
        undefined,
        `right after withRequest() returned its promise the caller is in no request; yours: ${currentRequestId()}`,
      );
      assert.equal(await request, "a", "the request itself still sees its id");
      assert.equal(
        currentRequestId(),
        undefined,
        `after awaiting the request the caller is in no request; yours: ${currentRequestId()}`,
      );
    }),
  );

  it(
    "currentRequestId() follows .then callbacks, Promise.all children and nested async calls",
    withClock(async () => {
      const seen: (string | undefined)[] = [];
      const lookup = async () => {
        await sleep(3);
        seen.push(currentRequestId());
      };
      await withRequest("r", async () => {
        await sleep(1).then(() => seen.push(currentRequestId()));
        await Promise.all([lookup(), lookup()]);
        await (async () => {
          await lookup();
        })();
      });
      assert.deepEqual(seen, ["r", "r", "r", "r"], `every step runs as "r"; yours: [${seen}]`);
    }),
  );

  it(
    "currentRequestId() inside a queueMicrotask callback queued by a request is that request's",
    withClock(async () => {
      const seen = deferred<string | undefined>();
      withRequest("m", () => queueMicrotask(() => seen.resolve(currentRequestId())));
      assert.equal(
        await seen.promise,
        "m",
        "a microtask keeps the context of the code that queued it",
      );
    }),
  );

  it(
    "withRequest() keeps its id when awaiting a promise another request resolves",
    withClock(async () => {
      const gate = deferred<void>();
      const a = withRequest("a", async () => {
        await gate.promise;
        return currentRequestId();
      });
      await withRequest("b", async () => {
        await sleep(10);
        gate.resolve();
      });
      assert.equal(await a, "a", "the code after the await runs as the awaiting request, a");
    }),
  );

  it(
    "withRequest() nested with interleaving: each level sees its own id at every step",
    withClock(async () => {
      const seen: string[] = [];
      await withRequest("outer", async () => {
        const inner = withRequest("inner", async () => {
          await sleep(10);
          seen.push(`inner:${currentRequestId()}`);
          await sleep(10);
          seen.push(`inner:${currentRequestId()}`);
        });
        await sleep(15);
        seen.push(`outer:${currentRequestId()}`);
        await inner;
        seen.push(`outer:${currentRequestId()}`);
      });
      assert.deepEqual(
        seen,
        ["inner:inner", "outer:outer", "inner:inner", "outer:outer"],
        `yours: [${seen}]`,
      );
    }),
  );

  it(
    "RequestLogger stamps the empty id as the empty string and lines outside requests as undefined",
    withClock(() => {
      const logger = new RequestLogger();
      logger.info("outside");
      withRequest("", () => logger.info("empty id"));
      assert.deepEqual(
        logger.entries.map((e) => [e.requestId, e.message]),
        [[undefined, "outside"], ["", "empty id"]],
        `the empty id is kept as ""; yours: ${JSON.stringify(logger.entries)}`,
      );
    }),
  );

  it(
    "withRequest() keeps 200 concurrent requests apart",
    withClock(async (clock) => {
      const wrong: string[] = [];
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          withRequest(`r${i}`, async () => {
            for (let step = 0; step < 3; step++) {
              await sleep(Math.floor(clock.random() * 20));
              if (currentRequestId() !== `r${i}`) wrong.push(`r${i} saw ${currentRequestId()}`);
            }
          })),
      );
      assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} steps saw another id`);
    }),
  );
});

describe("task 2: BackgroundQueue", () => {
  it(
    "BackgroundQueue.enqueue() never runs the job during the call",
    withClock(async () => {
      const queue = new BackgroundQueue();
      let started = false;
      const done = queue.enqueue(() => {
        started = true;
      });
      assert.equal(started, false, "the job must start later, not inside enqueue()");
      await done;
      assert.equal(started, true, "the job must have run once its promise resolved");
    }),
  );

  it(
    "BackgroundQueue runs the jobs of three requests one at a time, each as its own request",
    withClock(async () => {
      const queue = new BackgroundQueue();
      const probe = new ConcurrencyProbe("jobs");
      const rec = new EventRecorder<string | undefined>();
      const job = (name: string) => () =>
        probe.run(name, async () => {
          rec.record(`${name} starts`, currentRequestId());
          await sleep(10);
          rec.record(`${name} ends`, currentRequestId());
        });
      await Promise.all(["r1", "r2", "r3"].map((id) =>
        withRequest(id, async () => {
          await sleep(Number(id[1]));
          void queue.enqueue(job(id));
        })
      ));
      await queue.idle();
      probe.assertMaxAtMost(1);
      assert.deepEqual(
        rec.events.map((e) => `${e.name} as ${e.detail}@${e.at}`),
        [
          "r1 starts as r1@1",
          "r1 ends as r1@11",
          "r2 starts as r2@11",
          "r2 ends as r2@21",
          "r3 starts as r3@21",
          "r3 ends as r3@31",
        ],
        `FIFO, one at a time, each job as its own request, also after its await:\n${rec.format()}`,
      );
    }),
  );

  it(
    "BackgroundQueue does not lend the id of the request that started it to later jobs",
    withClock(async () => {
      const queue = new BackgroundQueue();
      const seen: (string | undefined)[] = [];
      const job = async () => {
        await sleep(10);
        seen.push(currentRequestId());
      };
      withRequest("a", () => void queue.enqueue(job));
      withRequest("b", () => void queue.enqueue(job));
      await sleep(50); // the queue is idle again
      withRequest("c", () => void queue.enqueue(job));
      void queue.enqueue(job);
      await queue.idle();
      assert.deepEqual(seen, ["a", "b", "c", undefined], `yours ran the jobs as [${seen}]`);
    }),
  );

  it(
    "BackgroundQueue.enqueue() resolves with the job's value itself",
    withClock(async () => {
      const queue = new BackgroundQueue();
      const result = { rows: 3 };
      assert.equal(
        await queue.enqueue(() => Promise.resolve(result)),
        result,
        "the job's value, by identity",
      );
      assert.equal(await queue.enqueue(() => "sync"), "sync", "a synchronous job's value");
    }),
  );

  it(
    "BackgroundQueue: a job that throws synchronously rejects its promise and the next job runs",
    withClock(async () => {
      const queue = new BackgroundQueue();
      const boom = new Error("sync boom");
      const failing = callAsync(() =>
        queue.enqueue(() => {
          throw boom;
        }), "enqueue(job that throws)");
      const next = queue.enqueue(() => "still running");
      await rejectsWith(failing, { is: boom }, "the promise of a job that throws synchronously");
      assert.equal(await next, "still running", "the next job must run");
    }),
  );

  it(
    "BackgroundQueue: a failing job nobody awaits is not reported as unhandled",
    withClock(async () => {
      // Fire and forget: the clock fails the test on any unhandled rejection.
      const queue = new BackgroundQueue();
      void queue.enqueue(() => Promise.reject(new Error("nobody listens")));
      void queue.enqueue(async () => {
        await sleep(10);
        throw new Error("nobody listens either");
      });
      await sleep(100);
      await queue.idle();
    }),
  );

  it(
    "BackgroundQueue starts a job only after the previous one settled, also when it failed",
    withClock(async () => {
      const queue = new BackgroundQueue();
      const rec = new EventRecorder();
      void queue.enqueue(async () => {
        await sleep(20);
        rec.record("first fails");
        throw new Error("first");
      });
      void queue.enqueue(() => rec.record("second starts"));
      await queue.idle();
      assert.deepEqual(
        rec.events.map((e) => `${e.name}@${e.at}`),
        ["first fails@20", "second starts@20"],
        rec.format(),
      );
    }),
  );

  it(
    "BackgroundQueue: a job enqueued by a running job runs after those already queued, as its request",
    withClock(async () => {
      const queue = new BackgroundQueue();
      const seen: string[] = [];
      withRequest("a", () =>
        void queue.enqueue(async () => {
          await sleep(5);
          seen.push(`a:${currentRequestId()}`);
          void queue.enqueue(async () => {
            await sleep(5);
            seen.push(`follow-up:${currentRequestId()}`);
          });
        }));
      withRequest("b", () =>
        void queue.enqueue(async () => {
          await sleep(5);
          seen.push(`b:${currentRequestId()}`);
        }));
      await queue.idle();
      assert.deepEqual(
        seen,
        ["a:a", "b:b", "follow-up:a"],
        `the follow-up queues behind b and runs as a; yours: [${seen}]`,
      );
    }),
  );

  it(
    "BackgroundQueue.idle() resolves at once when nothing is queued",
    withClock(async (clock) => {
      const queue = new BackgroundQueue();
      let timerFired = false;
      const timer = new Promise<void>((resolve) =>
        setTimeout(() => {
          timerFired = true;
          resolve();
        }, 0)
      );
      await queue.idle();
      assert.equal(timerFired, false, "idle() of an idle queue must not wait for a timer");
      await timer;
      await queue.enqueue(() => {});
      await queue.idle();
      assert.equal(clock.now(), 0, "nothing takes time");
    }),
  );

  it(
    "BackgroundQueue.idle() does not resolve while the last job still runs",
    withClock(async (clock) => {
      const queue = new BackgroundQueue();
      void queue.enqueue(() => sleep(10));
      void queue.enqueue(() => sleep(500));
      await sleep(20); // the first job is done, the second runs
      await queue.idle();
      assert.equal(
        clock.now(),
        510,
        `the last job ends at t=510; idle() resolved at t=${clock.now()}`,
      );
    }),
  );

  it(
    "BackgroundQueue.idle() waits for jobs queued while it waits, also by jobs",
    withClock(async (clock) => {
      const queue = new BackgroundQueue();
      void queue.enqueue(async () => {
        await sleep(10);
        void queue.enqueue(() => sleep(40));
      });
      setTimeout(() => void queue.enqueue(() => sleep(100)), 5);
      const rec = new EventRecorder();
      await Promise.all([
        queue.idle().then(() => rec.record("idle 1")),
        queue.idle().then(() => rec.record("idle 2")),
      ]);
      assert.equal(
        clock.now(),
        150,
        `10 + 100 + 40 ms of jobs end at t=150; idle at t=${clock.now()}`,
      );
      assert.deepEqual(rec.names().sort(), ["idle 1", "idle 2"], "every idle() caller resolves");
    }),
  );

  it(
    "BackgroundQueue: two queues do not wait for each other",
    withClock(async (clock) => {
      const one = new BackgroundQueue();
      const two = new BackgroundQueue();
      void one.enqueue(() => sleep(100));
      await two.enqueue(() => sleep(10));
      assert.equal(
        clock.now(),
        10,
        `a job of another queue must not wait; it ended at t=${clock.now()}`,
      );
      await one.idle();
    }),
  );

  it(
    "BackgroundQueue uses the innermost request of the enqueue() call",
    withClock(async () => {
      const queue = new BackgroundQueue();
      const seen = await withRequest(
        "outer",
        () => withRequest("inner", () => queue.enqueue(() => currentRequestId())),
      );
      assert.equal(seen, "inner", `the job runs as "inner"; yours ran as ${seen}`);
    }),
  );
});

describe("task 3: handle()", () => {
  it(
    "handle() resolves with the handler's value itself",
    withClock(async () => {
      const logger = new RequestLogger();
      const page = { html: "<p>" };
      assert.equal(
        await handle("r", () => page, { logger }),
        page,
        "the handler's value, by identity",
      );
    }),
  );

  it(
    "handle() logs start before it calls the handler",
    withClock(async () => {
      const logger = new RequestLogger();
      await handle("r", () => logger.info("handler runs"), { logger });
      assert.deepEqual(
        lines(logger.entries),
        ["r: start", "r: handler runs", "r: done"],
        lines(logger.entries).join("\n"),
      );
    }),
  );

  it(
    "handle() with an already aborted signal rejects, logs nothing and never calls the handler",
    withClock(async () => {
      const logger = new RequestLogger();
      const reason = new Error("cancelled before");
      let called = false;
      await rejectsWith(
        callAsync(
          () => handle("r", () => (called = true), { logger, signal: AbortSignal.abort(reason) }),
          "handle() with an aborted signal",
        ),
        { is: reason },
        "handle() with an already aborted signal",
      );
      assert.equal(called, false, "the handler must not run");
      assert.deepEqual(lines(logger.entries), [], "nothing is logged");
    }),
  );

  it(
    "handle() aborted from inside another request logs the abort with its own id",
    withClock(async () => {
      const logger = new RequestLogger();
      const controller = new AbortController();
      const reason = new Error("admin cancelled it");
      const request = handle(
        "victim",
        (signal) =>
          new Promise((_, reject) =>
            signal!.addEventListener("abort", () => reject(signal!.reason), { once: true })
          ),
        { logger, signal: controller.signal },
      );
      await withRequest("admin", async () => {
        await sleep(30);
        controller.abort(reason);
      });
      await rejectsWith(request, { is: reason }, "the cancelled request");
      assert.deepEqual(
        lines(logger.entries),
        [
          "victim: start",
          "victim: aborted: admin cancelled it",
          "victim: failed: admin cancelled it",
        ],
        `the admin request aborted it, but the lines belong to victim; yours:\n${
          lines(logger.entries).join("\n")
        }`,
      );
    }),
  );

  it(
    "handle() aborted by AbortSignal.timeout() logs the abort with its own id",
    withClock(async (clock) => {
      const logger = new RequestLogger();
      await handle("slow", () => sleep(300), { logger, signal: AbortSignal.timeout(100) });
      const aborted = logger.entries.find((e) => e.message.startsWith("aborted"));
      assert.equal(
        aborted?.requestId,
        "slow",
        `the timeout's abort listener runs from the timers, outside any request; bind it to the request. Yours:\n${
          lines(logger.entries).join("\n")
        }`,
      );
      assert.equal(clock.now(), 300, "the handler ignores the signal and ends at t=300");
    }),
  );

  it(
    "handle() logs an abort that comes during the handler's synchronous start",
    withClock(async () => {
      const logger = new RequestLogger();
      const controller = new AbortController();
      const value = await handle("r", (signal) => {
        controller.abort(new Error("shutdown")); // the handler itself triggers a shutdown
        logger.info(`handler sees aborted=${signal!.aborted}`);
        return "finished anyway";
      }, { logger, signal: controller.signal });
      assert.equal(value, "finished anyway", "the handler decides: it resolved");
      assert.deepEqual(
        lines(logger.entries),
        ["r: start", "r: aborted: shutdown", "r: handler sees aborted=true", "r: done"],
        `the handler is running from the moment it is called: listen before calling it; yours:\n${
          lines(logger.entries).join("\n")
        }`,
      );
    }),
  );

  it(
    "handle() logs the abort at the moment it happens, between the handler's own lines",
    withClock(async () => {
      const logger = new RequestLogger();
      const controller = new AbortController();
      setTimeout(() => controller.abort("deploy"), 15);
      await rejectsWith(
        handle("r", async () => {
          await sleep(10);
          logger.info("step 1");
          await sleep(10);
          logger.info("step 2");
          throw new Error("gave up");
        }, { logger, signal: controller.signal }),
        { message: "gave up" },
        "handle() whose handler throws after the abort",
      );
      assert.deepEqual(
        lines(logger.entries),
        ["r: start", "r: step 1", "r: aborted: deploy", "r: step 2", "r: failed: gave up"],
        `a reason that is not an Error is logged with String(); yours:\n${
          lines(logger.entries).join("\n")
        }`,
      );
    }),
  );

  it(
    "handle() removes its abort listener when the handler settles, and a later abort logs nothing",
    withClock(async () => {
      for (const outcome of ["resolves", "rejects"] as const) {
        const logger = new RequestLogger();
        const { controller, active } = countingController();
        await handle("r", async () => {
          await sleep(5);
          if (outcome === "rejects") throw new Error("no");
        }, { logger, signal: controller.signal }).catch(() => {});
        assert.equal(
          active(),
          0,
          `after the handler ${outcome}, no abort listener may stay; ${active()} left`,
        );
        controller.abort(new Error("later"));
        assert.ok(
          !lines(logger.entries).some((l) => l.includes("aborted")),
          `an abort after the request ended must log nothing; yours:\n${
            lines(logger.entries).join("\n")
          }`,
        );
      }
    }),
  );

  it(
    "handle() lets a handler that ignores the abort finish and resolve",
    withClock(async (clock) => {
      const logger = new RequestLogger();
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error("stop")), 10);
      const value = await handle("r", async () => {
        await sleep(100);
        return "finished";
      }, { logger, signal: controller.signal });
      assert.equal(value, "finished", "handle() must not cut the handler short");
      assert.equal(clock.now(), 100, `it resolves when the handler does, t=100; t=${clock.now()}`);
      assert.equal(lines(logger.entries).at(-1), "r: done", "and logs done");
    }),
  );

  it(
    "handle() logs failed for a synchronous throw and rejects, never throws",
    withClock(async () => {
      const logger = new RequestLogger();
      const boom = new TypeError("bad input");
      await rejectsWith(
        callAsync(() =>
          handle("r", () => {
            throw boom;
          }, { logger }), "handle() with a throwing handler"),
        { is: boom },
        "handle() whose handler throws synchronously",
      );
      assert.deepEqual(
        lines(logger.entries),
        ["r: start", "r: failed: bad input"],
        lines(logger.entries).join("\n"),
      );
    }),
  );

  it(
    "handle() logs a thrown value that is not an Error with String()",
    withClock(async () => {
      const logger = new RequestLogger();
      await rejectsWith(
        handle("r", () => Promise.reject(404), { logger }),
        { is: 404 },
        "handle() whose handler rejects with 404",
      );
      // Not an Error, although it has a message: String() of it, as the README says.
      const lookalike = { message: "looks like an Error" };
      await rejectsWith(
        handle("r", () => Promise.reject(lookalike), { logger }),
        { is: lookalike },
        "handle() whose handler rejects with a plain object that has a message",
      );
      assert.deepEqual(
        lines(logger.entries),
        ["r: start", "r: failed: 404", "r: start", "r: failed: [object Object]"],
        `MESSAGE is error.message only for an Error, String(value) for anything else; yours:\n${
          lines(logger.entries).join("\n")
        }`,
      );
    }),
  );

  it(
    "handle() gives the handler the signal itself, and undefined without one",
    withClock(async () => {
      const logger = new RequestLogger();
      const controller = new AbortController();
      const got = await handle("r", (signal) => signal, { logger, signal: controller.signal });
      assert.equal(got, controller.signal, "the handler gets the very signal");
      const none = await handle("r", (signal) => signal, { logger });
      assert.equal(none, undefined, "without a signal the handler gets undefined");
    }),
  );

  it(
    "handle() nested inside a request logs as its own request and gives the id back",
    withClock(async () => {
      const logger = new RequestLogger();
      const after = await withRequest("outer", async () => {
        await handle("inner", () => sleep(5), { logger });
        return currentRequestId();
      });
      assert.deepEqual(
        lines(logger.entries),
        ["inner: start", "inner: done"],
        lines(logger.entries).join("\n"),
      );
      assert.equal(after, "outer", `after handle() the caller is "outer" again; yours: ${after}`);
    }),
  );

  it(
    "handle() pipeline: many requests, audit jobs and a shutdown from outside keep every line's id",
    withClock(async () => {
      const logger = new RequestLogger();
      const audit = new BackgroundQueue();
      const shutdown = new AbortController();
      const handler = (ms: number) => async (signal: AbortSignal | undefined) => {
        await sleep(ms);
        logger.info("queried");
        void audit.enqueue(async () => {
          await sleep(7);
          logger.info("audited");
        });
        if (signal?.aborted) throw signal.reason;
        await sleep(ms);
        logger.info("rendered");
      };
      setTimeout(() => shutdown.abort(new Error("shutdown")), 24);
      const ids = ["a", "b", "c", "d"];
      const results = await Promise.allSettled(
        ids.map((id, i) => handle(id, handler(5 + 10 * i), { logger, signal: shutdown.signal })),
      );
      await audit.idle();
      assert.deepEqual(results.map((r) => r.status), [
        "fulfilled",
        "fulfilled",
        "rejected",
        "rejected",
      ]);
      const expected: Record<string, string[]> = {
        a: ["start", "queried", "rendered", "done", "audited"],
        b: ["start", "queried", "audited", "aborted: shutdown", "rendered", "done"],
        c: ["start", "aborted: shutdown", "queried", "failed: shutdown", "audited"],
        d: ["start", "aborted: shutdown", "queried", "failed: shutdown", "audited"],
      };
      for (const id of ids) {
        assert.deepEqual(
          logger.entries.filter((e) => e.requestId === id).map((e) => e.message),
          expected[id],
          `request ${id}'s lines; all lines:\n${lines(logger.entries).join("\n")}`,
        );
      }
      assert.equal(
        logger.entries.filter((e) => !ids.includes(e.requestId!)).length,
        0,
        `every line belongs to a request; yours:\n${lines(logger.entries).join("\n")}`,
      );
    }),
  );
});
