/**
 * Visible tests for the TaskGroup exercise. Run them with `bun test exercises/18_taskgroup` or
 * `deno test exercises/18_taskgroup`. Time is virtual: a 5-second task takes no real time.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { splitErrors, type TaskGroup, taskGroup } from "./taskgroup.ts";

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

describe("task 1: taskGroup() runs tasks together", () => {
  it(
    "taskGroup() waits for every spawned task and returns the body's value",
    withClock(async (clock) => {
      const done: string[] = [];
      const value = await taskGroup((tg) => {
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
      assert.equal(
        clock.now(),
        3000,
        "the tasks run concurrently: the group ends with the longest, at t=3000",
      );
    }),
  );

  it(
    "Task.result resolves with what the task returned",
    withClock(async () => {
      const sum = await taskGroup(async (tg) => {
        const a = tg.spawn(async (signal) => {
          await sleep(100, signal);
          return 20;
        });
        const b = tg.spawn(() => 22);
        return (await a.result) + (await b.result);
      });
      assert.equal(sum, 42, "a.result is 20 and b.result is 22");
    }),
  );
  it(
    "TaskGroup.spawn() starts the task before it returns",
    withClock(async () => {
      const started: string[] = [];
      await taskGroup((tg) => {
        tg.spawn(() => {
          started.push("task");
        });
        started.push("after spawn");
      });
      assert.deepEqual(
        started,
        ["task", "after spawn"],
        "tg.spawn(fn) calls fn at once, like calling an async function does",
      );
    }),
  );

  it(
    "TaskGroup.spawn() from a task: the group also waits for the new task",
    withClock(async (clock) => {
      let grandchildDone = false;
      await taskGroup((tg) => {
        tg.spawn(async (signal) => {
          await sleep(100, signal);
          tg.spawn(async (inner) => {
            await sleep(400, inner);
            grandchildDone = true;
          });
        });
      });
      assert.equal(
        grandchildDone,
        true,
        "a task spawned by a task (after the body returned) belongs to the group too",
      );
      assert.equal(
        clock.now(),
        500,
        `the group ends when the grandchild does, at t=500; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "TaskGroup.spawn() after the group has finished throws InvalidStateError",
    withClock(async () => {
      let saved: TaskGroup | undefined;
      await taskGroup((tg) => {
        saved = tg;
      });
      throwsWith(
        () => saved!.spawn(() => 1),
        { name: "InvalidStateError", message: /is finished/ },
        "tg.spawn() after taskGroup() resolved",
      );
    }),
  );
});

describe("task 2: taskGroup() fails and cancels as a group", () => {
  it(
    "taskGroup() cancels the siblings when one task fails after 2 s",
    withClock(async (clock) => {
      // The product card's scenario: five tasks, one fails after 2 s, the others are cancelled and
      // their cleanup finishes before the group rejects.
      const log = new EventRecorder<number>();
      const boom = new Error("task 3 failed");
      const error = await rejectsWith(
        taskGroup((tg) => {
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
      assert.deepEqual(
        error.errors,
        [boom],
        "the AggregateError holds task 3's error and nothing else",
      );
      assert.deepEqual(
        log.names(),
        ["cleanup", "cleanup", "cleanup", "cleanup"],
        "every sibling is cancelled, none finishes:\n" + log.format(),
      );
      assert.deepEqual(
        log.times("cleanup"),
        [2000, 2000, 2000, 2000],
        "every sibling is cancelled at t=2000, the moment task 3 fails",
      );
      assert.deepEqual(clock.pending(), [], "no timer may outlive the group");
    }),
  );

  it(
    "taskGroup() waits for the siblings' cleanup before rejecting",
    withClock(async (clock) => {
      const cleaned: number[] = [];
      await rejectsWith(
        taskGroup((tg) => {
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
    }),
  );

  it(
    "TaskGroup.cancel() stops every task and the group resolves quietly",
    withClock(async (clock) => {
      const value = await taskGroup(async (tg) => {
        tg.spawn((signal) => sleep(5000, signal));
        tg.spawn((signal) => sleep(9000, signal));
        await sleep(1000);
        tg.cancel();
        return "stopped";
      });
      assert.equal(
        value,
        "stopped",
        "tg.cancel() is a quiet stop: the group resolves with the body's value",
      );
      assert.equal(
        clock.now(),
        1000,
        "tg.cancel() at t=1000 aborts the 5 s and 9 s tasks at once: the group ends at t=1000",
      );
    }),
  );
  it(
    "Task.cancel() stops one task and the group goes on",
    withClock(async (clock) => {
      const value = await taskGroup((tg) => {
        const slow = tg.spawn((signal) => sleep(10_000, signal));
        tg.spawn((signal) => sleep(1000, signal));
        slow.cancel();
        return "fine";
      });
      assert.equal(
        value,
        "fine",
        "cancelling one task is not a failure: the group resolves with the body's value",
      );
      assert.equal(
        clock.now(),
        1000,
        `the other task still runs to t=1000; the group ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "taskGroup() aborted by the outer signal rejects with its reason",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => controller.abort(reason), 500);
      await rejectsWith(
        taskGroup((tg) => {
          tg.spawn((signal) => sleep(5000, signal));
        }, { signal: controller.signal }),
        { is: reason },
        "taskGroup(body, { signal }) aborted at t=500",
      );
      assert.equal(
        clock.now(),
        500,
        `the outer abort at t=500 cancels the task at once; the group ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "taskGroup() with an already-aborted signal does not run the body",
    withClock(async () => {
      let ran = false;
      const reason = new Error("too late");
      await rejectsWith(
        () =>
          taskGroup(() => {
            ran = true;
          }, { signal: AbortSignal.abort(reason) }),
        { is: reason },
        "taskGroup(body, { signal }) with an aborted signal",
      );
      assert.equal(ran, false, "the body must not run when the signal is already aborted");
    }),
  );

  it(
    "taskGroup() treats a task that throws synchronously as a failed task",
    withClock(async () => {
      const boom = new TypeError("no such page");
      const error = await rejectsWith(
        taskGroup((tg) => {
          tg.spawn(() => {
            throw boom;
          });
        }),
        { instanceOf: AggregateError },
        "taskGroup() with a task that throws before any await",
      ) as AggregateError;
      assert.deepEqual(error.errors, [boom], "the AggregateError holds the task's error");
    }),
  );

  it(
    "TaskGroup.spawn() while the group shuts down throws InvalidStateError",
    withClock(async () => {
      let refusal: unknown;
      await rejectsWith(
        taskGroup(async (tg) => {
          tg.spawn(() => Promise.reject(new Error("failed")));
          try {
            await sleep(1000, tg.signal); // aborted by the failure
          } catch (e) {
            try {
              tg.spawn((signal) => sleep(10, signal));
            } catch (refused) {
              refusal = refused;
            }
            throw e;
          }
        }),
        { name: "AggregateError" },
        "taskGroup() with a failing task",
      );
      assert.equal(
        (refusal as Error)?.name,
        "InvalidStateError",
        `spawning after a failure must throw an InvalidStateError; yours ${
          refusal === undefined ? "accepted the task" : `threw ${String(refusal)}`
        }`,
      );
      assert.match(
        (refusal as Error).message,
        /is shutting down/,
        "its message says the group 'is shutting down'",
      );
    }),
  );

  it(
    "TaskGroup.cancel(reason) aborts tg.signal and every task's signal with that very reason",
    withClock(async () => {
      const reason = new Error("enough results");
      let seen: unknown[] = [];
      await taskGroup(async (tg) => {
        const tasks = [1, 2].map(() => tg.spawn((signal) => sleep(10_000, signal)));
        await sleep(100);
        tg.cancel(reason);
        seen = [tg.signal.reason, ...tasks.map((t) => t.signal.reason)];
      });
      assert.deepEqual(
        seen.map((r) => r === reason),
        [true, true, true],
        `tg.cancel(reason) must abort tg.signal and both tasks' signals with that very reason; they got ${
          seen.map(String).join(", ")
        }`,
      );
    }),
  );
});

describe("task 3: splitErrors()", () => {
  it(
    "splitErrors() separates the errors of one class from the rest",
    withClock(() => {
      const timeout = new RangeError("too slow");
      const crash = new TypeError("undefined is not a function");
      const group = new AggregateError([timeout, crash], "2 tasks failed");
      const [ranges, rest] = splitErrors(group, RangeError);
      assert.deepEqual(
        ranges?.errors,
        [timeout],
        "the matched part is an AggregateError holding only the RangeError",
      );
      assert.ok(rest instanceof AggregateError, "the rest is an AggregateError too");
      assert.deepEqual(rest.errors, [crash], "the rest holds only the TypeError");
    }),
  );
  it(
    "splitErrors() takes a predicate",
    withClock(() => {
      const slow = Object.assign(new Error("slow"), { retry: true });
      const fatal = new Error("fatal");
      const [retryable, rest] = splitErrors(
        new AggregateError([slow, fatal]),
        (e) => (e as { retry?: boolean }).retry === true,
      );
      assert.deepEqual(
        retryable?.errors,
        [slow],
        "the predicate picked the error with retry: true",
      );
      assert.deepEqual((rest as AggregateError).errors, [fatal], "the rest holds the other");
    }),
  );

  it(
    "splitErrors() returns a lone error that does not match unchanged",
    withClock(() => {
      const reason = new DOMException("stopped", "AbortError");
      const [matched, rest] = splitErrors(reason, RangeError);
      assert.equal(matched, undefined, "nothing matched");
      assert.equal(
        rest,
        reason,
        "the very same error comes back as the rest, so it can be rethrown as is",
      );
    }),
  );

  it(
    "splitErrors() keeps a nested AggregateError nested",
    withClock(() => {
      const deep = new RangeError("deep");
      const inner = new AggregateError([deep, new TypeError("other")], "inner");
      const [ranges] = splitErrors(new AggregateError([inner], "outer"), RangeError);
      const nested = ranges?.errors[0];
      assert.ok(
        nested instanceof AggregateError,
        "the matched side holds a nested AggregateError, as the original did",
      );
      assert.deepEqual(nested.errors, [deep], "the nested group holds only the RangeError");
    }),
  );
});
