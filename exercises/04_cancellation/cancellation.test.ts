/**
 * Visible tests for exercise 04. They run on the virtual clock (`clock.now()` is virtual ms).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { isAbortError, JobQueue, sleep, worker } from "./cancellation.ts";

/** The test's own abortable wait, so the worker tests do not depend on your sleep(). */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

describe("task 1: sleep()", () => {
  it("sleep() rejects with the exact abort reason, custom reasons included", withClock(async (clock) => {
    const controller = new AbortController();
    const reason = new Error("shutting down");
    setTimeout(() => controller.abort(reason), 100);
    await rejectsWith(sleep(1000, { signal: controller.signal }), { is: reason }, "sleep(1000, { signal })");
    assert.equal(clock.now(), 100, "the sleep should end at the abort (t=100)");
  }));
});

describe("task 2: isAbortError()", () => {
  it("isAbortError() recognises the signal's own reason, whatever it is", withClock(() => {
    const controller = new AbortController();
    const reason = new Error("user left");
    controller.abort(reason);
    assert.equal(isAbortError(reason, controller.signal), true, "the signal's reason is an abort even if it is a plain Error");
    assert.equal(isAbortError(new Error("disk full"), controller.signal), false, "any other error is an ordinary failure");
  }));
});

describe("task 3: JobQueue.get()", () => {
  it("JobQueue.get() aborted while waiting consumes nothing", withClock(async () => {
    const queue = new JobQueue<string>();
    const controller = new AbortController();
    const pending = queue.get({ signal: controller.signal });
    controller.abort();
    await rejectsWith(pending, { name: "AbortError" }, "queue.get({ signal }) aborted");
    queue.put("job 1");
    assert.equal(queue.size, 1, "the job must stay in the queue: the aborted get may not take it");
    assert.equal(await queue.get(), "job 1", "the next get() receives the job the aborted get() left behind");
  }));
});

describe("task 4: worker()", () => {
  it("worker() runs its cleanup, then rejects with the abort reason", withClock(async (clock) => {
    const log = new EventRecorder();
    const queue = new JobQueue<string>();
    const controller = new AbortController();
    const reason = new Error("deploy: stopping workers");
    queue.put("a");
    queue.put("b");
    const done = worker(queue, {
      signal: controller.signal,
      handle: async (job, signal) => {
        log.record(`start ${job}`);
        await wait(100, signal);
        log.record(`end ${job}`);
      },
      cleanup: async () => {
        log.record("cleanup start");
        await new Promise((resolve) => setTimeout(resolve, 50));
        log.record("cleanup end");
      },
    });
    setTimeout(() => controller.abort(reason), 150); // in the middle of job "b"
    await rejectsWith(done, { is: reason }, "worker(queue, { signal }) after the abort");
    log.record("worker rejected");
    assert.deepEqual(
      log.names(),
      ["start a", "end a", "start b", "cleanup start", "cleanup end", "worker rejected"],
      "expected: job a, job b interrupted, then the cleanup, and only then the rejection:\n" + log.format(),
    );
    assert.equal(clock.now(), 200, "abort at t=150 plus 50 ms of cleanup");
  }));

  it("worker() with an already-aborted signal never starts", withClock(async () => {
    const queue = new JobQueue<string>();
    queue.put("job");
    const controller = new AbortController();
    controller.abort();
    let handled = 0;
    let cleaned = 0;
    await rejectsWith(
      worker(queue, {
        signal: controller.signal,
        handle: async () => void handled++,
        cleanup: () => void cleaned++,
      }),
      { is: controller.signal.reason },
      "worker(queue, { signal: already aborted })",
    );
    assert.equal(handled, 0, "no job may be handled");
    assert.equal(cleaned, 0, "a worker that never started has nothing to clean up");
    assert.equal(queue.size, 1, "the job must stay in the queue");
  }));
});
