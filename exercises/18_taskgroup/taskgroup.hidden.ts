/**
 * Hidden tests for the TaskGroup exercise: run by the grader only.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, NetworkError, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { splitErrors, type Task, type TaskGroup, taskGroup } from "./taskgroup.ts";

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

/** Counts the abort listeners added to and removed from `signal`. */
function countListeners(signal: AbortSignal) {
  const count = { added: 0, removed: 0 };
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((
    ...a: Parameters<AbortSignal["addEventListener"]>
  ) => (count.added++, add(...a))) as AbortSignal["addEventListener"];
  signal.removeEventListener = ((
    ...a: Parameters<AbortSignal["removeEventListener"]>
  ) => (count.removed++, remove(...a))) as AbortSignal["removeEventListener"];
  return count;
}

describe("task 1: taskGroup() runs tasks together", () => {
  it(
    "taskGroup() runs its tasks concurrently and ends with the last one",
    withClock(async (clock) => {
      const ends: number[] = [];
      await taskGroup((tg) => {
        for (const ms of [1000, 3000, 2000]) {
          tg.spawn(async (signal) => {
            await sleep(ms, signal);
            ends.push(clock.now());
          });
        }
      });
      assert.deepEqual(
        ends,
        [1000, 2000, 3000],
        `the three tasks should end at t=1000, 2000 and 3000; they ended at ${ends.join(", ")}`,
      );
      assert.equal(
        clock.now(),
        3000,
        `three tasks of 1, 3 and 2 s run together: the group ends at t=3000, yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "taskGroup() with no task resolves with the body's value at once, also for a body that is not async",
    withClock(async (clock) => {
      assert.equal(
        await taskGroup(() => "sync value"),
        "sync value",
        "a plain (not async) body's return value is the group's value",
      );
      // deno-lint-ignore require-await
      assert.equal(await taskGroup(async () => 7), 7, "an async body's value is the group's value");
      assert.equal(
        clock.now(),
        0,
        `with no task there is nothing to wait for; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "TaskGroup.spawn() calls fn before it returns, with the task's signal",
    withClock(async () => {
      let called = false;
      let received: AbortSignal | undefined;
      let task: Task<number> | undefined;
      await taskGroup((tg) => {
        task = tg.spawn(async (signal) => {
          called = true;
          received = signal;
          await sleep(10, signal);
          return 1;
        });
        assert.equal(
          called,
          true,
          "tg.spawn(fn) must call fn at once (up to its first await), not later",
        );
        assert.equal(received?.aborted, false, "fn receives a signal that is not aborted");
      });
      assert.equal(task?.signal, received, "task.signal must be the very signal fn received");
    }),
  );

  it(
    "TaskGroup.spawn() from a task adds to the group, which waits for it",
    withClock(async (clock) => {
      const done: string[] = [];
      await taskGroup((tg) => {
        tg.spawn(async (signal) => {
          await sleep(500, signal);
          tg.spawn(async (inner) => {
            await sleep(1000, inner);
            done.push("grandchild");
          });
          done.push("child");
        });
      });
      assert.deepEqual(
        done,
        ["child", "grandchild"],
        `the group must also wait for the grandchild that the child spawned at t=500 (the body had returned by then); done: ${
          done.join(", ")
        }`,
      );
      assert.equal(
        clock.now(),
        1500,
        `the group waits for a task spawned by a task: it ends at t=1500, yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "TaskGroup.spawn() after the group has finished throws InvalidStateError 'is finished' and never calls fn",
    withClock(async () => {
      let saved: TaskGroup | undefined;
      await taskGroup((tg) => {
        saved = tg;
      });
      let called = false;
      throwsWith(
        () => saved!.spawn(() => (called = true)),
        { name: "InvalidStateError", message: /is finished/ },
        "tg.spawn() after taskGroup() resolved",
      );
      assert.equal(called, false, "a refused task must never run");
    }),
  );

  it(
    "TaskGroup.spawn() after a failed group has finished says 'is finished', not 'is shutting down'",
    withClock(async () => {
      let saved: TaskGroup | undefined;
      await rejectsWith(
        taskGroup((tg) => {
          saved = tg;
          tg.spawn(() => Promise.reject(new Error("failed")));
        }),
        { name: "AggregateError" },
        "taskGroup() with a failing task",
      );
      throwsWith(
        () => saved!.spawn(() => 1),
        { name: "InvalidStateError", message: /is finished/ },
        "tg.spawn() after the failed group rejected (CPython checks 'is finished' first)",
      );
    }),
  );

  it(
    "taskGroup() waits for its tasks without timers of its own (no polling)",
    withClock(async (clock) => {
      await taskGroup((tg) => {
        tg.spawn((signal) => sleep(1000, signal));
        tg.spawn(async (signal) => {
          await sleep(300, signal);
          tg.spawn((inner) => sleep(2000, inner));
        });
      });
      const delays = clock.trace.map((t) => t.delay).sort((a, b) => a - b);
      assert.deepEqual(
        delays,
        [300, 1000, 2000],
        `only the tasks' own three sleeps should fire; the clock saw timers of ${
          delays.join(", ")
        } ms: wait on the tasks' promises, do not poll`,
      );
      assert.equal(
        clock.now(),
        2300,
        `the grandchild ends at t=2300; the group ended at t=${clock.now()}`,
      );
    }),
  );
});

describe("task 2: taskGroup() fails and cancels as a group", () => {
  it(
    "taskGroup() card scenario: the failure arrives at exactly t=2000 with no leaked timers",
    withClock(async (clock) => {
      const log = new EventRecorder<number>();
      const boom = new Error("task 3 crashed after 2 s");
      let bodySawAbortAt = -1;
      const error = await rejectsWith(
        taskGroup(async (tg) => {
          for (const id of [1, 2, 3, 4, 5]) {
            tg.spawn(async (signal) => {
              log.record("start", id);
              try {
                await sleep(id === 3 ? 2000 : 4000 + id * 500, signal);
                if (id === 3) throw boom;
                log.record("finished", id);
              } catch (e) {
                if (e === signal.reason) log.record("cancelled", id);
                throw e;
              }
            });
          }
          try {
            await sleep(60_000, tg.signal);
          } finally {
            bodySawAbortAt = clock.now();
          }
        }),
        { instanceOf: AggregateError },
        "taskGroup() whose task 3 fails at t=2000",
      ) as AggregateError;
      assert.equal(
        clock.now(),
        2000,
        `the group should reject at exactly t=2000; yours rejected at t=${clock.now()}`,
      );
      assert.deepEqual(
        error.errors,
        [boom],
        "only the real failure; the siblings' AbortErrors must not be in it",
      );
      assert.equal(
        bodySawAbortAt,
        2000,
        `the body is aborted too (through tg.signal) at t=2000; yours at t=${bodySawAbortAt}`,
      );
      assert.deepEqual(
        log.times("start"),
        [0, 0, 0, 0, 0],
        "all five tasks start at t=0:\n" + log.format(),
      );
      assert.deepEqual(
        log.times("finished"),
        [],
        "no sibling may run to completion:\n" + log.format(),
      );
      assert.deepEqual(
        log.times("cancelled"),
        [2000, 2000, 2000, 2000],
        "the four siblings are cancelled at t=2000:\n" + log.format(),
      );
      assert.deepEqual(clock.pending(), [], "no timer may be left after the group rejects");
    }),
  );

  it(
    "taskGroup() waits for every child's cleanup before rejecting",
    withClock(async () => {
      const log = new EventRecorder<string>();
      const error = await rejectsWith(
        taskGroup((tg) => {
          tg.spawn(async (signal) => {
            await sleep(2000, signal);
            throw new Error("boom");
          });
          for (const [name, cleanupMs] of [["db", 300], ["cache", 100]] as const) {
            tg.spawn(async (signal) => {
              try {
                await sleep(10_000, signal);
              } finally {
                await sleep(cleanupMs);
                log.record("closed", name);
              }
            });
          }
        }),
        { name: "AggregateError" },
        "taskGroup() with a failing task and slow cleanups",
      );
      log.record("rejected");
      assert.equal((error as AggregateError).errors.length, 1, "one real failure");
      assert.deepEqual(
        log.format().split("\n"),
        [
          't=2100 closed "cache"',
          't=2300 closed "db"',
          "t=2300 rejected",
        ],
        "the group must reject only after every cleanup has finished; what happened:\n" +
          log.format(),
      );
    }),
  );

  it(
    "taskGroup() aborts tg.signal with an AbortError when a task fails",
    withClock(async () => {
      let groupSignal: AbortSignal | undefined;
      const boom = new Error("fails at once");
      await rejectsWith(
        taskGroup((tg) => {
          groupSignal = tg.signal;
          tg.spawn(() => Promise.reject(boom));
        }),
        { name: "AggregateError" },
        "taskGroup() with a failing task",
      );
      assert.equal(groupSignal?.aborted, true, "tg.signal should be aborted after a failure");
      assert.equal(
        (groupSignal?.reason as Error)?.name,
        "AbortError",
        `tg.signal's reason should be an error named AbortError, not the failure itself; it was ${
          String(groupSignal?.reason)
        }`,
      );
    }),
  );

  it(
    "taskGroup() collects every real failure in the AggregateError, in the order they happened",
    withClock(async (clock) => {
      const first = new Error("first");
      const stubborn = new Error("ignores the abort and fails later");
      const inCleanup = new Error("cleanup failed");
      const error = await rejectsWith(
        taskGroup((tg) => {
          tg.spawn(async (signal) => {
            await sleep(1000, signal);
            throw first;
          });
          tg.spawn(async () => {
            await sleep(1500); // does not listen to its signal
            throw stubborn;
          });
          tg.spawn(async (signal) => {
            try {
              await sleep(5000, signal);
            } finally {
              // deno-lint-ignore no-unsafe-finally
              throw inCleanup; // replaces the AbortError: a real failure
            }
          });
        }),
        { instanceOf: AggregateError },
        "taskGroup() with three failing tasks",
      ) as AggregateError;
      assert.deepEqual(
        error.errors.map((e) => (e as Error).message),
        [first, inCleanup, stubborn].map((e) => e.message),
        "all three real failures, in the order they happened (t=1000, the cleanup at t=1000, t=1500), not in the order the tasks were spawned",
      );
      assert.deepEqual(
        error.errors,
        [first, inCleanup, stubborn],
        "the AggregateError holds the very error objects",
      );
      assert.equal(
        clock.now(),
        1500,
        `the task ignoring its signal fails at t=1500; the group rejected at t=${clock.now()}`,
      );
    }),
  );

  it(
    "Task.result of a failed task rejects with that very error",
    withClock(async () => {
      const boom = new RangeError("bad page");
      let task: Task<never> | undefined;
      await rejectsWith(
        taskGroup((tg) => {
          task = tg.spawn(async (signal) => {
            await sleep(10, signal);
            throw boom;
          });
        }),
        { name: "AggregateError" },
        "taskGroup() with a failing task",
      );
      await rejectsWith(task!.result, { is: boom }, "task.result of the failed task");
    }),
  );

  it(
    "TaskGroup.spawn() of a function that throws synchronously returns a task that fails the group",
    withClock(async () => {
      const boom = new TypeError("x is undefined");
      let bodyWentOn = false;
      let task: Task<never> | undefined;
      const error = await rejectsWith(
        taskGroup((tg) => {
          task = tg.spawn(() => {
            throw boom; // a synchronous throw inside a task is a failure of that task
          });
          bodyWentOn = true;
        }),
        { instanceOf: AggregateError },
        "taskGroup() with a task that throws synchronously",
      ) as AggregateError;
      assert.equal(
        bodyWentOn,
        true,
        "tg.spawn() itself must not throw the task's error: the body goes on",
      );
      assert.deepEqual(error.errors, [boom], "the task's error is in the AggregateError");
      await rejectsWith(
        task!.result,
        { is: boom },
        "task.result of the task that threw synchronously",
      );
    }),
  );

  it(
    "taskGroup() includes the body's own error and cancels the tasks",
    withClock(async (clock) => {
      const bodyError = new Error("body failed");
      let cancelledAt = -1;
      const error = await rejectsWith(
        taskGroup(async (tg) => {
          tg.spawn(async (signal) => {
            try {
              await sleep(5000, signal);
            } finally {
              cancelledAt = clock.now();
            }
          });
          await sleep(700);
          throw bodyError;
        }),
        { instanceOf: AggregateError },
        "taskGroup() whose body throws at t=700",
      ) as AggregateError;
      assert.deepEqual(error.errors, [bodyError], "the body's error is a real failure");
      assert.equal(
        cancelledAt,
        700,
        `a failing body cancels the tasks at t=700; yours at t=${cancelledAt}`,
      );
    }),
  );

  it(
    "taskGroup() counts the body's own error thrown after the group aborted as a real failure",
    withClock(async () => {
      const taskError = new Error("task failed at t=100");
      const bodyError = new Error("the body failed while it stopped");
      const error = await rejectsWith(
        taskGroup(async (tg) => {
          tg.spawn(async () => {
            await sleep(100);
            throw taskError;
          });
          try {
            await sleep(5000, tg.signal);
          } finally {
            // deno-lint-ignore no-unsafe-finally
            throw bodyError; // not tg.signal's reason: a failure of its own
          }
        }),
        { instanceOf: AggregateError },
        "a group whose task fails at t=100 and whose body then throws in its finally",
      ) as AggregateError;
      assert.deepEqual(
        error.errors,
        [taskError, bodyError],
        "the body stopped with an error that is not tg.signal's reason: it is a real failure too, after the task's",
      );
    }),
  );

  it(
    "taskGroup() with a body that throws synchronously still cancels and awaits its tasks",
    withClock(async (clock) => {
      const bodyError = new Error("thrown before any await");
      let cleanedAt = -1;
      const error = await rejectsWith(
        () =>
          taskGroup((tg) => {
            tg.spawn(async (signal) => {
              try {
                await sleep(5000, signal);
              } finally {
                await sleep(40);
                cleanedAt = clock.now();
              }
            });
            throw bodyError;
          }),
        { instanceOf: AggregateError },
        "taskGroup() whose plain (not async) body throws",
      ) as AggregateError;
      assert.deepEqual(
        error.errors,
        [bodyError],
        "the synchronous throw is a real failure, in an AggregateError",
      );
      assert.equal(
        cleanedAt,
        40,
        `the task is cancelled at t=0 and its cleanup ends at t=40, before the group rejects; cleanup ended at t=${cleanedAt}`,
      );
      assert.equal(
        clock.now(),
        40,
        `the group rejects after the cleanup, at t=40; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "taskGroup() counts an AbortError that is not the task's own signal's reason as a real failure",
    withClock(async () => {
      const foreign = new DOMException("the request timed out", "AbortError");
      const error = await rejectsWith(
        taskGroup((tg) => {
          tg.spawn(async (signal) => {
            await sleep(100, signal);
            throw foreign; // e.g. a fetch aborted by its own timeout, not by the group
          });
        }),
        { instanceOf: AggregateError },
        "taskGroup() whose task rejects with an unrelated AbortError",
      ) as AggregateError;
      assert.deepEqual(
        error.errors,
        [foreign],
        "a cancellation is recognised by identity (error === signal.reason), not by its name",
      );
    }),
  );

  it(
    "Task.cancel() stops one task without failing the group",
    withClock(async (clock) => {
      const reason = new Error("not needed any more");
      let cancelledResult: unknown;
      let groupAborted: boolean | undefined;
      const value = await taskGroup(async (tg) => {
        const slow = tg.spawn((signal) => sleep(10_000, signal));
        const other = tg.spawn(async (signal) => {
          await sleep(2000, signal);
          return "other done";
        });
        await sleep(500);
        slow.cancel(reason);
        cancelledResult = await slow.result.catch((e) => e);
        groupAborted = tg.signal.aborted;
        return await other.result;
      });
      assert.equal(groupAborted, false, "cancelling one task must not abort the group");
      assert.equal(
        cancelledResult,
        reason,
        "the cancelled task's result rejects with the reason given to cancel()",
      );
      assert.equal(value, "other done", "the group resolves with the body's value");
      assert.equal(
        clock.now(),
        2000,
        `the other task runs to completion at t=2000; the group ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "TaskGroup.cancel(reason) with a custom reason ends the group quietly",
    withClock(async (clock) => {
      const reason = { why: "enough results" }; // not even an Error
      const value = await taskGroup(async (tg) => {
        for (let i = 0; i < 3; i++) tg.spawn((signal) => sleep(10_000, signal));
        await sleep(300);
        tg.cancel(reason);
        return "done early";
      });
      assert.equal(
        value,
        "done early",
        "tasks that stop with the group's own reason are cancellations, whatever the reason is",
      );
      assert.equal(
        clock.now(),
        300,
        `tg.cancel() at t=300 ends the group at t=300; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "TaskGroup.cancel() and Task.cancel() without a reason abort with an AbortError",
    withClock(async () => {
      const names: unknown[] = [];
      await taskGroup((tg) => {
        const one = tg.spawn((signal) => sleep(10_000, signal));
        tg.spawn((signal) => sleep(10_000, signal));
        one.cancel();
        names.push((one.signal.reason as Error | undefined)?.name);
        tg.cancel();
        names.push((tg.signal.reason as Error | undefined)?.name);
      });
      assert.deepEqual(
        names,
        ["AbortError", "AbortError"],
        "task.cancel() and tg.cancel() without a reason abort with an error named AbortError, as AbortController.abort() does",
      );
    }),
  );

  it(
    "TaskGroup.cancel() does not hide a real failure: a task that fails in its cleanup makes the group reject",
    withClock(async () => {
      const inCleanup = new Error("could not flush the log");
      const error = await rejectsWith(
        taskGroup(async (tg) => {
          tg.spawn(async (signal) => {
            try {
              await sleep(5000, signal);
            } finally {
              // deno-lint-ignore no-unsafe-finally
              throw inCleanup;
            }
          });
          await sleep(100);
          tg.cancel();
          return "cancelled early";
        }),
        { instanceOf: AggregateError },
        "tg.cancel() at t=100 while a task throws in its finally",
      ) as AggregateError;
      assert.deepEqual(
        error.errors,
        [inCleanup],
        "tg.cancel() is quiet about cancellations only: the real failure in the cleanup wins",
      );
    }),
  );

  it(
    "taskGroup() counts a task that throws undefined before any abort as a real failure",
    withClock(async () => {
      const error = await rejectsWith(
        taskGroup((tg) => {
          tg.spawn(async () => {
            await sleep(10);
            throw undefined; // its signal has not aborted, so its reason is undefined too
          });
          tg.spawn((signal) => sleep(1000, signal));
        }),
        { instanceOf: AggregateError },
        "a group whose task throws undefined at t=10",
      ) as AggregateError;
      assert.deepEqual(
        error.errors,
        [undefined],
        "only an aborted signal has a reason: `throw undefined` before any abort is a failure, not a cancellation",
      );
    }),
  );

  it(
    "TaskGroup.cancel() ends the group quietly at the moment it is called",
    withClock(async (clock) => {
      const cancelled: number[] = [];
      const value = await taskGroup(async (tg) => {
        for (const id of [1, 2, 3]) {
          tg.spawn(async (signal) => {
            try {
              await sleep(10_000, signal);
            } finally {
              cancelled.push(id);
            }
          });
        }
        setTimeout(() => tg.cancel(), 800);
        await sleep(60_000, tg.signal); // interrupted by cancel(): not an error
        return "unreachable";
      });
      assert.equal(
        value,
        undefined,
        "a cancelled body has no value: the group resolves with undefined",
      );
      assert.deepEqual(cancelled, [1, 2, 3], "every task is cancelled");
      assert.equal(
        clock.now(),
        800,
        `tg.cancel() at t=800 ends the group then; yours at t=${clock.now()}`,
      );
      assert.deepEqual(clock.pending(), [], "no timer may be left");
    }),
  );

  it(
    "TaskGroup.spawn() while the group shuts down after a failure throws InvalidStateError 'is shutting down'",
    withClock(async () => {
      let refusal: unknown;
      let lateCalled = false;
      const boom = new Error("first failure");
      const error = await rejectsWith(
        taskGroup((tg) => {
          tg.spawn(async (signal) => {
            await sleep(10, signal);
            throw boom;
          });
          tg.spawn(async (signal) => {
            try {
              await sleep(1000, signal);
            } catch (e) {
              try {
                tg.spawn(() => (lateCalled = true)); // cleanup that tries to start more work
              } catch (refused) {
                refusal = refused;
              }
              throw e;
            }
          });
        }),
        { instanceOf: AggregateError },
        "taskGroup() whose cancelled task tries to spawn",
      ) as AggregateError;
      assert.equal(
        (refusal as Error)?.name,
        "InvalidStateError",
        `tg.spawn() during the shutdown must throw an InvalidStateError; it ${
          refusal === undefined ? "returned normally" : `threw ${String(refusal)}`
        }`,
      );
      assert.match(
        (refusal as Error).message,
        /is shutting down/,
        "the message says the group 'is shutting down', as CPython's does",
      );
      assert.equal(lateCalled, false, "the refused task must never run");
      assert.deepEqual(error.errors, [boom], "only the first failure is a real one");
    }),
  );

  it(
    "TaskGroup.spawn() after tg.cancel() throws InvalidStateError 'is shutting down'",
    withClock(async () => {
      let called = false;
      await taskGroup((tg) => {
        tg.spawn((signal) => sleep(1000, signal));
        tg.cancel();
        throwsWith(() => tg.spawn(() => (called = true)), {
          name: "InvalidStateError",
          message: /is shutting down/,
        }, "tg.spawn() right after tg.cancel()");
      });
      assert.equal(called, false, "the refused task must never run");
    }),
  );

  it(
    "TaskGroup.spawn() after the outer signal aborted throws InvalidStateError 'is shutting down'",
    withClock(async () => {
      const controller = new AbortController();
      const reason = new Error("outer stop");
      let refusal: unknown;
      await rejectsWith(
        taskGroup(async (tg) => {
          tg.spawn((signal) => sleep(1000, signal));
          await sleep(100);
          controller.abort(reason);
          try {
            tg.spawn((signal) => sleep(10, signal));
          } catch (refused) {
            refusal = refused;
          }
        }, { signal: controller.signal }),
        { is: reason },
        "taskGroup(body, { signal }) aborted from outside at t=100",
      );
      assert.equal(
        (refusal as Error)?.name,
        "InvalidStateError",
        `once the outer signal aborted, tg.signal is aborted and spawn() must throw an InvalidStateError; yours ${
          refusal === undefined ? "accepted the task" : `threw ${String(refusal)}`
        }`,
      );
      assert.match(
        (refusal as Error).message,
        /is shutting down/,
        "the message says the group 'is shutting down'",
      );
    }),
  );

  it(
    "taskGroup() rejects with the outer signal's reason when aborted from outside",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("server shutting down");
      const cancelled: number[] = [];
      setTimeout(() => controller.abort(reason), 1200);
      await rejectsWith(
        taskGroup(async (tg) => {
          for (const id of [1, 2]) {
            tg.spawn(async (signal) => {
              try {
                await sleep(5000, signal);
              } finally {
                cancelled.push(id);
              }
            });
          }
          await sleep(60_000, tg.signal);
        }, { signal: controller.signal }),
        { is: reason },
        "taskGroup(body, { signal }) aborted at t=1200",
      );
      assert.deepEqual(cancelled, [1, 2], "both tasks are cancelled");
      assert.equal(clock.now(), 1200, `the group rejects at t=1200; yours at t=${clock.now()}`);
    }),
  );

  it(
    "taskGroup() aborted from outside while a task fails in its cleanup rejects with the AggregateError",
    withClock(async () => {
      const controller = new AbortController();
      const inCleanup = new Error("could not close the file");
      setTimeout(() => controller.abort(new Error("outer")), 100);
      const error = await rejectsWith(
        taskGroup((tg) => {
          tg.spawn(async (signal) => {
            try {
              await sleep(5000, signal);
            } finally {
              // deno-lint-ignore no-unsafe-finally
              throw inCleanup;
            }
          });
        }, { signal: controller.signal }),
        { instanceOf: AggregateError },
        "taskGroup(body, { signal }) aborted at t=100 with a failing cleanup",
      ) as AggregateError;
      assert.deepEqual(
        error.errors,
        [inCleanup],
        "real failures win over the outer abort, as in CPython",
      );
    }),
  );

  it(
    "taskGroup() with an already-aborted signal rejects at once and runs nothing",
    withClock(async () => {
      const controller = new AbortController();
      const reason = new Error("gone before we started");
      controller.abort(reason);
      let ran = false;
      await rejectsWith(
        () =>
          taskGroup(() => {
            ran = true;
          }, { signal: controller.signal }),
        { is: reason },
        "taskGroup(body, { signal }) with an aborted signal",
      );
      assert.equal(ran, false, "the body must not run");
    }),
  );

  it(
    "taskGroup() leaves no listener on the outer signal",
    withClock(async () => {
      const controller = new AbortController();
      const count = countListeners(controller.signal);
      await taskGroup((tg) => {
        tg.spawn((signal) => sleep(100, signal));
      }, { signal: controller.signal });
      await rejectsWith(
        taskGroup((tg) => {
          tg.spawn(() => Promise.reject(new Error("failed")));
        }, { signal: controller.signal }),
        { name: "AggregateError" },
        "a failing group on the same outer signal",
      );
      assert.equal(
        count.added - count.removed,
        0,
        `every listener added to the outer signal must be removed when the group ends; ${count.added} added, ${count.removed} removed`,
      );
    }),
  );

  it(
    "TaskGroup.spawn() from a task: a grandchild's failure fails the group",
    withClock(async (clock) => {
      const boom = new Error("grandchild failed");
      const error = await rejectsWith(
        taskGroup((tg) => {
          tg.spawn((signal) => sleep(10_000, signal));
          tg.spawn(async (signal) => {
            await sleep(100, signal);
            tg.spawn(async (inner) => {
              await sleep(100, inner);
              throw boom;
            });
          });
        }),
        { instanceOf: AggregateError },
        "taskGroup() whose grandchild fails at t=200",
      ) as AggregateError;
      assert.deepEqual(error.errors, [boom], "the grandchild's error");
      assert.equal(clock.now(), 200, `the group rejects at t=200; yours at t=${clock.now()}`);
    }),
  );

  it(
    "taskGroup() does not report a failed task whose result nobody awaits as unhandled",
    withClock(async (clock) => {
      // The clock fails a test on any unhandled rejection: the group owns its tasks' errors, also
      // while the group is still running (here for 1 s after the failure, in a cleanup).
      await rejectsWith(
        taskGroup((tg) => {
          tg.spawn(() => Promise.reject(new Error("nobody awaits me")));
          tg.spawn(async (signal) => {
            try {
              await sleep(10, signal);
            } finally {
              await sleep(1000);
            }
          });
        }),
        { name: "AggregateError" },
        "taskGroup() with an unawaited failing task",
      );
      assert.equal(
        clock.now(),
        1000,
        `the group waits for the 1 s cleanup; it ended at t=${clock.now()}`,
      );
    }),
  );
});

describe("task 3: splitErrors()", () => {
  it(
    "splitErrors() splits by class, keeping the very error objects in order and the group's message",
    withClock(() => {
      const n1 = new NetworkError("https://a.test/", 1);
      const n2 = new NetworkError("https://b.test/", 2);
      const other = new RangeError("bad input");
      const [net, rest] = splitErrors(
        new AggregateError([n1, other, n2], "3 failed"),
        NetworkError,
      );
      assert.ok(net instanceof AggregateError, "the matched side is an AggregateError");
      assert.deepEqual(net.errors, [n1, n2], "the matched side holds n1 and n2, in order");
      assert.equal(net.message, "3 failed", "the matched side keeps the original's message");
      assert.ok(rest instanceof AggregateError, "the rest is an AggregateError");
      assert.deepEqual(rest.errors, [other], "the rest holds the RangeError");
      assert.equal(rest.message, "3 failed", "the rest keeps the original's message");
    }),
  );

  it(
    "splitErrors() accepts a predicate, also one written as a function expression",
    withClock(() => {
      const a = Object.assign(new Error("a"), { code: "ECONNRESET" });
      const b = Object.assign(new Error("b"), { code: "ENOENT" });
      const [resets, rest] = splitErrors(
        new AggregateError([a, b]),
        (e) => (e as { code?: string }).code === "ECONNRESET",
      );
      assert.deepEqual(resets?.errors, [a], "the arrow predicate matched a");
      assert.deepEqual((rest as AggregateError).errors, [b], "b is the rest");
      const [viaFunction, left] = splitErrors(new AggregateError([a, b]), function (e) {
        return (e as { code?: string }).code === "ENOENT";
      });
      assert.deepEqual(
        viaFunction?.errors,
        [b],
        "a `function (e) { ... }` is a predicate too (it has a prototype, but it is not an error class)",
      );
      assert.deepEqual((left as AggregateError).errors, [a], "a is the rest");
    }),
  );

  it(
    "splitErrors() returns undefined for an empty side",
    withClock(() => {
      const group = new AggregateError(
        [new TypeError("t1"), new TypeError("t2")],
        "all type errors",
      );
      const [all, none] = splitErrors(group, TypeError);
      assert.equal(none, undefined, "nothing is left when every error matches");
      assert.deepEqual(all?.errors, group.errors, "everything matched");
      const [nothing, everything] = splitErrors(group, RangeError);
      assert.equal(nothing, undefined, "nothing matched");
      assert.deepEqual(
        (everything as AggregateError).errors,
        group.errors,
        "everything is the rest",
      );
    }),
  );

  it(
    "splitErrors() of an AggregateError with no errors gives [undefined, undefined]",
    withClock(() => {
      const [matched, rest] = splitErrors(new AggregateError([], "nothing failed"), Error);
      assert.deepEqual(
        [matched, rest],
        [undefined, undefined],
        "both sides are empty, so both are undefined",
      );
    }),
  );

  it(
    "splitErrors() keeps nested groups nested",
    withClock(() => {
      const deepNet = new NetworkError("https://deep.test/", 1);
      const deepOther = new SyntaxError("bad JSON");
      const top = new NetworkError("https://top.test/", 1);
      const inner = new AggregateError([deepNet, deepOther], "inner group");
      const [net, rest] = splitErrors(
        new AggregateError([top, inner], "outer group"),
        NetworkError,
      );
      assert.ok(net, "some errors matched");
      assert.equal(net.errors[0], top, "the top-level NetworkError comes first");
      assert.ok(
        net.errors[1] instanceof AggregateError,
        "the nested group stays a nested AggregateError",
      );
      assert.deepEqual(
        (net.errors[1] as AggregateError).errors,
        [deepNet],
        "the nested matched group holds deepNet",
      );
      assert.equal(
        (net.errors[1] as AggregateError).message,
        "inner group",
        "the nested group keeps its message",
      );
      const restGroup = rest as AggregateError;
      assert.equal(restGroup.errors.length, 1, "the rest holds only the nested group");
      assert.deepEqual(
        (restGroup.errors[0] as AggregateError).errors,
        [deepOther],
        "the nested rest holds the SyntaxError",
      );
    }),
  );

  it(
    "splitErrors() drops a nested group that is left with nothing",
    withClock(() => {
      const inner = new AggregateError([
        new NetworkError("https://a.test/", 1),
        new NetworkError("https://b.test/", 1),
      ], "inner");
      const lone = new RangeError("bad input");
      const [, rest] = splitErrors(new AggregateError([lone, inner], "outer"), NetworkError);
      assert.ok(rest instanceof AggregateError, "the rest is an AggregateError");
      assert.deepEqual(
        rest.errors,
        [lone],
        "the inner group matched entirely, so the rest must not hold an empty AggregateError",
      );
    }),
  );

  it(
    "splitErrors() drops a nested AggregateError that was empty to begin with",
    withClock(() => {
      const a = new TypeError("a");
      const b = new RangeError("b");
      const [matched, rest] = splitErrors(
        new AggregateError([a, new AggregateError([], "empty"), b], "outer"),
        TypeError,
      );
      assert.deepEqual(
        [matched?.errors, (rest as AggregateError | undefined)?.errors],
        [[a], [b]],
        "an empty nested group holds nothing to match or to keep: neither side may contain it",
      );
    }),
  );

  it(
    "splitErrors() calls match on the leaves only, never on a nested AggregateError",
    withClock(() => {
      const t = new TypeError("t");
      const r = new RangeError("r");
      const inner = new AggregateError([t, "plain string"], "inner");
      const [errors, rest] = splitErrors(new AggregateError([r, inner], "outer"), Error);
      assert.deepEqual(
        errors?.errors.map((e) => e instanceof AggregateError ? [e.message, e.errors] : e),
        [r, ["inner", [t]]],
        "split by Error: the inner group is walked (an AggregateError is an Error too, but it is not a leaf), so only its TypeError matches",
      );
      assert.deepEqual(
        (rest as AggregateError | undefined)?.errors.map((e) =>
          e instanceof AggregateError ? [e.message, e.errors] : e
        ),
        [["inner", ["plain string"]]],
        "the string leaf of the inner group stays in the rest, nested as it was",
      );
      const seen: unknown[] = [];
      splitErrors(new AggregateError([r, inner], "outer"), (e) => (seen.push(e), false));
      assert.ok(
        seen.every((e) => !(e instanceof AggregateError)),
        `match may be called on leaves only; yours was called on ${
          seen.filter((e) => e instanceof AggregateError).length
        } AggregateError(s)`,
      );
    }),
  );

  it(
    "splitErrors() passes an error that is not an AggregateError through unchanged when it does not match",
    withClock(() => {
      const reason = new DOMException("shutting down", "AbortError");
      const [net, rest] = splitErrors(reason, NetworkError);
      assert.equal(net, undefined, "nothing matched");
      assert.equal(
        rest,
        reason,
        "an abort reason must come back as is, so it can be rethrown unchanged",
      );
      const failure = new NetworkError("https://a.test/", 1);
      const [wrapped, left] = splitErrors(failure, NetworkError);
      assert.deepEqual(
        wrapped?.errors,
        [failure],
        "a matching lone error comes back in a group of one",
      );
      assert.equal(left, undefined, "nothing is left");
    }),
  );

  it(
    "splitErrors() handles values that are not errors",
    withClock(() => {
      const [strings, rest] = splitErrors(
        new AggregateError(["oops", 42, new Error("real")]),
        (e) => typeof e === "string",
      );
      assert.deepEqual(
        strings?.errors,
        ["oops"],
        "the predicate sees every thrown value, strings included",
      );
      assert.deepEqual(
        (rest as AggregateError).errors.map(String),
        ["42", "Error: real"],
        "the rest keeps the others in order",
      );
      const [none, same] = splitErrors("thrown string", Error);
      assert.equal(none, undefined, "a string is not an instance of Error");
      assert.equal(same, "thrown string", "it comes back unchanged");
    }),
  );

  it(
    "splitErrors() handles a taskGroup failure like except*",
    withClock(async (clock) => {
      const handled: string[] = [];
      const fatal = new TypeError("bug");
      const error = await rejectsWith(
        (async () => {
          try {
            await taskGroup((tg) => {
              tg.spawn(async (signal) => {
                await sleep(100, signal);
                throw new NetworkError("https://a.test/", 1);
              });
              tg.spawn(async () => {
                await sleep(150); // ignores its signal, so it fails whatever happens first
                throw fatal;
              });
            });
          } catch (e) {
            const [network, rest] = splitErrors(e, NetworkError);
            for (const n of network?.errors ?? []) handled.push((n as NetworkError).url);
            if (rest) throw rest;
          }
        })(),
        { instanceOf: AggregateError },
        "the rest of the split, rethrown",
      ) as AggregateError;
      assert.deepEqual(handled, ["https://a.test/"], "the NetworkError is handled");
      assert.deepEqual(error.errors, [fatal], "only the unhandled TypeError is rethrown");
      assert.equal(
        clock.now(),
        150,
        `the group rejects when the last task ends, at t=150; yours at t=${clock.now()}`,
      );
    }),
  );
});
