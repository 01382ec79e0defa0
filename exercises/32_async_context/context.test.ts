/**
 * Visible tests for 32_async_context. Run them with `bun test exercises/32_async_context` or
 * `deno test exercises/32_async_context`. Time is virtual: `clock.now()` says exactly when things
 * happen. Note: under the virtual clock a raw timer callback (`setTimeout(() => ...)`) runs with
 * no request context; awaiting a timer keeps it (see the README).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConcurrencyProbe, EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
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

describe("task 1: withRequest() and currentRequestId()", () => {
  it(
    "withRequest() keeps the id after awaits",
    withClock(async () => {
      const seen = await withRequest("req-1", async () => {
        const before = currentRequestId();
        await sleep(100);
        const after = currentRequestId();
        return [before, after];
      });
      assert.deepEqual(
        seen,
        ["req-1", "req-1"],
        `inside withRequest("req-1", fn), before and after an await, the id is "req-1"; yours saw [${seen}]`,
      );
    }),
  );

  it(
    "currentRequestId() is undefined outside any request, also after withRequest() returned",
    withClock(async () => {
      assert.equal(currentRequestId(), undefined, "before any request there is no id");
      await withRequest("req-1", () => sleep(10));
      assert.equal(
        currentRequestId(),
        undefined,
        `after the request ended the caller is in no request; yours says ${currentRequestId()}`,
      );
    }),
  );

  it(
    "withRequest() keeps concurrent requests apart",
    withClock(async () => {
      const seen: string[] = [];
      const request = (id: string, delays: number[]) =>
        withRequest(id, async () => {
          for (const ms of delays) {
            await sleep(ms);
            seen.push(`${id} sees ${currentRequestId()}`);
          }
        });
      await Promise.all([request("a", [30, 30]), request("b", [10, 40]), request("c", [20, 5])]);
      const wrong = seen.filter((s) => s.split(" sees ")[0] !== s.split(" sees ")[1]);
      assert.deepEqual(
        wrong,
        [],
        `each request must see its own id at every step; yours: ${seen.join(", ")}`,
      );
      assert.equal(seen.length, 6, "three requests of two steps each");
    }),
  );

  it(
    "withRequest() nested inside another shadows the outer id and restores it",
    withClock(async () => {
      const seen = await withRequest("outer", async () => {
        const inner = await withRequest("inner", async () => {
          await sleep(5);
          return currentRequestId();
        });
        await sleep(5);
        return [inner, currentRequestId()];
      });
      assert.deepEqual(
        seen,
        ["inner", "outer"],
        `the inner request sees "inner", the outer one "outer" again after it; yours saw [${seen}]`,
      );
    }),
  );

  it(
    "RequestLogger.info() stamps each line with the request it was written in",
    withClock(async () => {
      const logger = new RequestLogger(); // created outside any request
      logger.info("boot");
      await Promise.all([
        withRequest("a", async () => {
          logger.info("a starts");
          await sleep(20);
          logger.info("a ends");
        }),
        withRequest("b", async () => {
          await sleep(10);
          logger.info("b runs");
        }),
      ]);
      assert.deepEqual(
        lines(logger.entries),
        ["-: boot", "a: a starts", "b: b runs", "a: a ends"],
        `each line carries the id of the request that wrote it; yours:\n${
          lines(logger.entries).join("\n")
        }`,
      );
    }),
  );

  it(
    'withRequest("") is a request whose id is the empty string',
    withClock(() => {
      const seen = withRequest("", () => currentRequestId());
      assert.equal(
        seen,
        "",
        `"" is a valid id, not "no request"; currentRequestId() gave ${JSON.stringify(seen)}`,
      );
    }),
  );
});

describe("task 2: BackgroundQueue", () => {
  it(
    "BackgroundQueue runs a job in the context of the request that enqueued it",
    withClock(async () => {
      const queue = new BackgroundQueue();
      const logger = new RequestLogger();
      await withRequest("req-7", () => {
        void queue.enqueue(async () => {
          await sleep(50);
          logger.info("audit written");
        });
        logger.info("responded");
      });
      await queue.idle();
      assert.deepEqual(
        lines(logger.entries),
        ["req-7: responded", "req-7: audit written"],
        `the job runs after the request responded, still as req-7; yours:\n${
          lines(logger.entries).join("\n")
        }`,
      );
    }),
  );

  it(
    "BackgroundQueue runs jobs one at a time, first in first out",
    withClock(async () => {
      const queue = new BackgroundQueue();
      const probe = new ConcurrencyProbe("jobs");
      const rec = new EventRecorder();
      for (const [name, ms] of [["a", 30], ["b", 10], ["c", 20]] as const) {
        void queue.enqueue(() => probe.run(name, () => sleep(ms).then(() => rec.record(name))));
      }
      await queue.idle();
      probe.assertMaxAtMost(1);
      assert.deepEqual(
        rec.events.map((e) => `${e.name}@${e.at}`),
        ["a@30", "b@40", "c@60"],
        `a, then b, then c, each after the previous finished:\n${rec.format()}`,
      );
    }),
  );

  it(
    "BackgroundQueue gives a job enqueued outside any request no id, even after a request started the queue",
    withClock(async () => {
      const queue = new BackgroundQueue();
      const seen: (string | undefined)[] = [];
      const job = async () => {
        await sleep(10);
        seen.push(currentRequestId());
      };
      withRequest("first", () => void queue.enqueue(job));
      void queue.enqueue(job);
      await queue.idle();
      assert.deepEqual(
        seen,
        ["first", undefined],
        `the second job was enqueued outside any request; yours ran the jobs as [${seen}]`,
      );
    }),
  );

  it(
    "BackgroundQueue goes on after a failing job, whose promise rejects with its error",
    withClock(async () => {
      const queue = new BackgroundQueue();
      const boom = new Error("disk full");
      const failing = queue.enqueue(async () => {
        await sleep(5);
        throw boom;
      });
      const next = queue.enqueue(() => "next ran");
      await rejectsWith(failing, { is: boom }, "the promise of a failing job");
      assert.equal(await next, "next ran", "the job after a failing one must still run");
    }),
  );

  it(
    "BackgroundQueue.idle() resolves once the last job has finished",
    withClock(async (clock) => {
      const queue = new BackgroundQueue();
      void queue.enqueue(() => sleep(100));
      void queue.enqueue(() => sleep(200));
      await queue.idle();
      assert.equal(
        clock.now(),
        300,
        `the two jobs end at t=300; idle() resolved at t=${clock.now()}`,
      );
    }),
  );
});

describe("task 3: handle()", () => {
  it(
    "handle() logs start and done with the request's id",
    withClock(async () => {
      const logger = new RequestLogger();
      const value = await handle("req-1", async () => {
        await sleep(10);
        logger.info("rendering");
        return "<html>";
      }, { logger });
      assert.equal(value, "<html>", `handle() resolves with the handler's value; yours: ${value}`);
      assert.deepEqual(
        lines(logger.entries),
        ["req-1: start", "req-1: rendering", "req-1: done"],
        `yours:\n${lines(logger.entries).join("\n")}`,
      );
    }),
  );

  it(
    "handle() logs the abort when it happens, with the request's id, whoever aborts",
    withClock(async () => {
      const logger = new RequestLogger();
      const shutdown = new AbortController();
      setTimeout(() => shutdown.abort(new Error("server shutting down")), 50);
      const value = await handle("req-2", async () => {
        await sleep(100); // does not listen: finishes anyway
        return "late";
      }, { logger, signal: shutdown.signal });
      assert.equal(value, "late", "the handler decides whether to stop; this one finished");
      assert.deepEqual(
        lines(logger.entries),
        ["req-2: start", "req-2: aborted: server shutting down", "req-2: done"],
        `the abort is logged at t=50 as req-2, although a timer callback outside the request aborted the signal; yours:\n${
          lines(logger.entries).join("\n")
        }`,
      );
    }),
  );

  it(
    "handle() logs failed: MESSAGE and rejects with the handler's error",
    withClock(async () => {
      const logger = new RequestLogger();
      const error = new Error("user not found");
      await rejectsWith(
        handle("req-3", async () => {
          await sleep(5);
          throw error;
        }, { logger }),
        { is: error },
        "handle() whose handler rejects",
      );
      assert.deepEqual(
        lines(logger.entries),
        ["req-3: start", "req-3: failed: user not found"],
        `yours:\n${lines(logger.entries).join("\n")}`,
      );
    }),
  );

  it(
    "handle() rejects, and does not throw, for a request id that is not a string",
    withClock(async () => {
      const logger = new RequestLogger();
      let called = false;
      let result: Promise<unknown> | undefined;
      try {
        result = handle(42 as unknown as string, () => (called = true), { logger });
      } catch (error) {
        assert.fail(`handle() never throws synchronously; yours threw ${String(error)}`);
      }
      await rejectsWith(result, { name: "TypeError" }, "handle(42, ...)");
      assert.equal(called, false, "the handler of a request with an invalid id must not run");
      assert.deepEqual(
        lines(logger.entries),
        [],
        `nothing is logged; yours:\n${lines(logger.entries).join("\n")}`,
      );
    }),
  );

  it(
    "handle() keeps the lines of two concurrent requests apart through the whole pipeline",
    withClock(async () => {
      const logger = new RequestLogger();
      const audit = new BackgroundQueue();
      const handler = (ms: number) => async () => {
        await sleep(ms);
        logger.info("parsed");
        void audit.enqueue(async () => {
          await sleep(30);
          logger.info("audited");
        });
        await sleep(ms);
        logger.info("rendered");
      };
      await Promise.all([
        handle("slow", handler(40), { logger }),
        handle("fast", handler(10), { logger }),
      ]);
      await audit.idle();
      const of = (id: string) =>
        logger.entries.filter((e) => e.requestId === id).map((e) => e.message);
      assert.deepEqual(
        of("slow"),
        ["start", "parsed", "audited", "rendered", "done"],
        `the slow request's lines; all lines:\n${lines(logger.entries).join("\n")}`,
      );
      assert.deepEqual(
        of("fast"),
        ["start", "parsed", "rendered", "done", "audited"],
        `the fast request's lines; all lines:\n${lines(logger.entries).join("\n")}`,
      );
    }),
  );
});
