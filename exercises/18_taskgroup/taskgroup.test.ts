/**
 * Visible tests for the TaskGroup exercise. Run them with `bun test exercises/18_taskgroup` or
 * `deno test exercises/18_taskgroup`. Time is virtual: a 5-second task takes no real time.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { splitErrors, taskGroup } from "./taskgroup.ts";

/** Sleeps `ms` of virtual time; rejects with the signal's reason (and clears its timer) on abort. */
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

describe("taskGroup() runs tasks together (task 1)", () => {
  it("taskGroup() waits for every spawned task and returns the body's value", withClock(async (clock) => {
    const done: string[] = [];
    const value = await taskGroup(async (tg) => {
      tg.spawn(async (signal) => {
        await sleep(1000, signal);
        done.push("a");
      });
      tg.spawn(async (signal) => {
        await sleep(3000, signal);
        done.push("b");
      });
      return "body done";
    });
    assert.equal(value, "body done", "taskGroup() resolves with what the body returned");
    assert.deepEqual(done, ["a", "b"], "the group must not finish before its tasks");
    assert.equal(clock.now(), 3000, "the tasks run concurrently: the group ends with the longest, at t=3000");
  }));

  it("Task.result resolves with what the task returned", withClock(async () => {
    const sum = await taskGroup(async (tg) => {
      const a = tg.spawn(async (signal) => {
        await sleep(100, signal);
        return 20;
      });
      const b = tg.spawn(() => 22);
      return (await a.result) + (await b.result);
    });
    assert.equal(sum, 42, "a.result is 20 and b.result is 22");
  }));
});

describe("taskGroup() failures and cancellation (task 2)", () => {
  it("taskGroup() cancels the siblings when one task fails after 2 s", withClock(async (clock) => {
    // The product card's scenario: five tasks, one fails after 2 s, the others are cancelled and
    // their cleanup finishes before the group rejects.
    const log = new EventRecorder<number>();
    const boom = new Error("task 3 failed");
    const error = await rejectsWith(
      taskGroup(async (tg) => {
        for (const id of [1, 2, 3, 4, 5]) {
          tg.spawn(async (signal) => {
            try {
              if (id === 3) {
                await sleep(2000, signal);
                throw boom;
              }
              await sleep(id * 1000 + 3000, signal);
              log.record("finished", id);
            } finally {
              if (id !== 3) log.record("cleanup", id);
            }
          });
        }
      }),
      { name: "AggregateError" },
      "taskGroup() with a task failing at t=2000",
    ) as AggregateError;
    assert.equal(clock.now(), 2000, "the group should reject at t=2000, when task 3 fails");
    assert.deepEqual(error.errors, [boom], "the AggregateError holds task 3's error and nothing else");
    assert.deepEqual(log.names(), ["cleanup", "cleanup", "cleanup", "cleanup"], "every sibling is cancelled, none finishes:\n" + log.format());
    assert.deepEqual(log.times("cleanup"), [2000, 2000, 2000, 2000], "every sibling is cancelled at t=2000, the moment task 3 fails");
    assert.deepEqual(clock.pending(), [], "no timer may outlive the group");
  }));

  it("taskGroup() waits for the siblings' cleanup before rejecting", withClock(async (clock) => {
    const cleaned: number[] = [];
    await rejectsWith(
      taskGroup(async (tg) => {
        tg.spawn(async (signal) => {
          await sleep(500, signal);
          throw new Error("failed at t=500");
        });
        tg.spawn(async (signal) => {
          try {
            await sleep(10_000, signal);
          } finally {
            await sleep(250); // closing a connection takes a while
            cleaned.push(clock.now());
          }
        });
      }),
      { name: "AggregateError" },
      "taskGroup() with a failing task",
    );
    assert.deepEqual(cleaned, [750], "the sibling's cleanup (t=500 to 750) must finish first");
    assert.equal(clock.now(), 750, "reject only at t=750, after the cleanup");
  }));

  it("TaskGroup.cancel() stops every task and the group resolves quietly", withClock(async (clock) => {
    const value = await taskGroup(async (tg) => {
      tg.spawn((signal) => sleep(5000, signal));
      tg.spawn((signal) => sleep(9000, signal));
      await sleep(1000);
      tg.cancel();
      return "stopped";
    });
    assert.equal(value, "stopped", "tg.cancel() is a quiet stop: the group resolves with the body's value");
    assert.equal(clock.now(), 1000, "tg.cancel() at t=1000 aborts the 5 s and 9 s tasks at once: the group ends at t=1000");
  }));
});

describe("splitErrors() (task 3)", () => {
  it("splitErrors() separates the errors of one class from the rest", withClock(() => {
    const timeout = new RangeError("too slow");
    const crash = new TypeError("undefined is not a function");
    const group = new AggregateError([timeout, crash], "2 tasks failed");
    const [ranges, rest] = splitErrors(group, RangeError);
    assert.deepEqual(ranges?.errors, [timeout], "the matched part is an AggregateError holding only the RangeError");
    assert.ok(rest instanceof AggregateError, "the rest is an AggregateError too");
    assert.deepEqual(rest.errors, [crash], "the rest holds only the TypeError");
  }));
});
