/**
 * Hidden tests for the TaskGroup exercise: run by the grader only.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, NetworkError, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
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

describe("taskGroup() (hidden)", () => {
  it("taskGroup() runs its tasks concurrently and ends with the last one", withClock(async (clock) => {
    const ends: number[] = [];
    await taskGroup((tg) => {
      for (const ms of [1000, 3000, 2000]) {
        tg.spawn(async (signal) => {
          await sleep(ms, signal);
          ends.push(clock.now());
        });
      }
    });
    assert.deepEqual(ends, [1000, 2000, 3000]);
    assert.equal(clock.now(), 3000, "three tasks of 1, 3 and 2 s run together: the group ends at t=3000");
  }));

  it("taskGroup() card scenario: the failure arrives at exactly t=2000 with no leaked timers", withClock(async (clock) => {
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
    assert.equal(clock.now(), 2000, "the group should reject at exactly t=2000");
    assert.deepEqual(error.errors, [boom], "only the real failure; the siblings' AbortErrors must not be in it");
    assert.equal(bodySawAbortAt, 2000, "the body is aborted too (through tg.signal) at t=2000");
    assert.deepEqual(log.times("start"), [0, 0, 0, 0, 0]);
    assert.deepEqual(log.times("finished"), [], "no sibling may run to completion:\n" + log.format());
    assert.deepEqual(log.times("cancelled"), [2000, 2000, 2000, 2000]);
    assert.deepEqual(clock.pending(), [], "no timer may be left after the group rejects");
  }));

  it("taskGroup() waits for every child's cleanup before rejecting", withClock(async (clock) => {
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
    assert.equal((error as AggregateError).errors.length, 1);
    assert.deepEqual(log.format().split("\n"), [
      't=2100 closed "cache"',
      't=2300 closed "db"',
      "t=2300 rejected",
    ], "the group must reject only after every cleanup has finished");
  }));

  it("taskGroup() aborts tg.signal with an AbortError when a task fails", withClock(async () => {
    let groupSignal: AbortSignal | undefined;
    await rejectsWith(
      taskGroup((tg) => {
        groupSignal = tg.signal;
        tg.spawn(() => Promise.reject(new Error("fails at once")));
      }),
      { name: "AggregateError" },
      "taskGroup() with a failing task",
    );
    assert.equal(groupSignal?.aborted, true, "tg.signal should be aborted after a failure");
    assert.equal((groupSignal?.reason as Error).name, "AbortError");
  }));

  it("taskGroup() collects every real failure in the AggregateError", withClock(async (clock) => {
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
            throw inCleanup; // replaces the AbortError: a real failure
          }
        });
      }),
      { instanceOf: AggregateError },
      "taskGroup() with three failing tasks",
    ) as AggregateError;
    assert.deepEqual(error.errors, [first, inCleanup, stubborn], "all three real failures, in the order they happened");
    assert.equal(clock.now(), 1500);
  }));

  it("taskGroup() rejects with an AggregateError even for a single failure", withClock(async () => {
    const boom = new TypeError("x is undefined");
    const error = await rejectsWith(
      taskGroup((tg) => {
        tg.spawn(() => {
          throw boom; // a synchronous throw inside a task is a failure of that task
        });
      }),
      { instanceOf: AggregateError },
      "taskGroup() with one failing task",
    ) as AggregateError;
    assert.deepEqual(error.errors, [boom]);
  }));

  it("taskGroup() includes the body's own error and cancels the tasks", withClock(async (clock) => {
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
    assert.deepEqual(error.errors, [bodyError]);
    assert.equal(cancelledAt, 700, "a failing body cancels the tasks");
  }));

  it("Task.cancel() stops one task without failing the group", withClock(async (clock) => {
    const reason = new Error("not needed any more");
    let cancelledResult: unknown;
    const value = await taskGroup(async (tg) => {
      const slow = tg.spawn((signal) => sleep(10_000, signal));
      const other = tg.spawn(async (signal) => {
        await sleep(2000, signal);
        return "other done";
      });
      await sleep(500);
      slow.cancel(reason);
      cancelledResult = await slow.result.catch((e) => e);
      assert.equal(tg.signal.aborted, false, "cancelling one task must not abort the group");
      return await other.result;
    });
    assert.equal(cancelledResult, reason, "the cancelled task's result rejects with the reason given to cancel()");
    assert.equal(value, "other done");
    assert.equal(clock.now(), 2000, "the other task runs to completion");
  }));

  it("taskGroup() rejects with the outer signal's reason when aborted from outside", withClock(async (clock) => {
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
    assert.deepEqual(cancelled, [1, 2]);
    assert.equal(clock.now(), 1200);
  }));

  it("taskGroup() with an already-aborted signal rejects at once and runs nothing", withClock(async () => {
    const controller = new AbortController();
    controller.abort();
    let ran = false;
    await rejectsWith(
      () => taskGroup(() => {
        ran = true;
      }, { signal: controller.signal }),
      { is: controller.signal.reason },
      "taskGroup(body, { signal }) with an aborted signal",
    );
    assert.equal(ran, false, "the body must not run");
  }));

  it("TaskGroup.spawn() after the group has finished throws InvalidStateError", withClock(async () => {
    let saved: TaskGroup | undefined;
    await taskGroup((tg) => {
      saved = tg;
    });
    throwsWith(() => saved!.spawn(async () => 1), { name: "InvalidStateError" }, "tg.spawn() after taskGroup() resolved");
  }));

  it("TaskGroup.spawn() from a task adds to the group, which waits for it", withClock(async (clock) => {
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
    assert.deepEqual(done, ["child", "grandchild"], "the group must also wait for the grandchild that the child spawned at t=500");
    assert.equal(clock.now(), 1500, "the group waits for a task spawned by a task: it ends at t=1500");
  }));

  it("TaskGroup.spawn() from a task: a grandchild's failure fails the group", withClock(async (clock) => {
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
    assert.deepEqual(error.errors, [boom]);
    assert.equal(clock.now(), 200);
  }));

  it("TaskGroup.cancel() ends the group quietly at the moment it is called", withClock(async (clock) => {
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
    assert.equal(value, undefined, "a cancelled body has no value");
    assert.deepEqual(cancelled, [1, 2, 3]);
    assert.equal(clock.now(), 800);
    assert.deepEqual(clock.pending(), []);
  }));

  it("taskGroup() does not report a failed task whose result nobody awaits as unhandled", withClock(async () => {
    // The clock fails a test on any unhandled rejection: the group owns its tasks' errors.
    await rejectsWith(
      taskGroup((tg) => {
        tg.spawn(async () => {
          throw new Error("nobody awaits me");
        });
        tg.spawn(async (signal) => {
          await sleep(10, signal);
        });
      }),
      { name: "AggregateError" },
      "taskGroup() with an unawaited failing task",
    );
  }));
});

describe("splitErrors() (hidden)", () => {
  it("splitErrors() splits by class, keeping the very error objects in order", withClock(() => {
    const n1 = new NetworkError("https://a.test/", 1);
    const n2 = new NetworkError("https://b.test/", 2);
    const other = new RangeError("bad input");
    const [net, rest] = splitErrors(new AggregateError([n1, other, n2], "3 failed"), NetworkError);
    assert.ok(net instanceof AggregateError);
    assert.deepEqual(net.errors, [n1, n2]);
    assert.ok(rest instanceof AggregateError);
    assert.deepEqual(rest.errors, [other]);
  }));

  it("splitErrors() accepts a predicate", withClock(() => {
    const a = Object.assign(new Error("a"), { code: "ECONNRESET" });
    const b = Object.assign(new Error("b"), { code: "ENOENT" });
    const [resets, rest] = splitErrors(
      new AggregateError([a, b]),
      (e) => (e as { code?: string }).code === "ECONNRESET",
    );
    assert.deepEqual(resets?.errors, [a]);
    assert.deepEqual((rest as AggregateError).errors, [b]);
  }));

  it("splitErrors() returns undefined for an empty side", withClock(() => {
    const group = new AggregateError([new TypeError("t1"), new TypeError("t2")], "all type errors");
    const [all, none] = splitErrors(group, TypeError);
    assert.equal(none, undefined, "nothing is left when every error matches");
    assert.deepEqual(all?.errors, group.errors);
    const [nothing, everything] = splitErrors(group, RangeError);
    assert.equal(nothing, undefined, "nothing matched");
    assert.deepEqual((everything as AggregateError).errors, group.errors);
  }));

  it("splitErrors() keeps nested groups nested", withClock(() => {
    const deepNet = new NetworkError("https://deep.test/", 1);
    const deepOther = new SyntaxError("bad JSON");
    const top = new NetworkError("https://top.test/", 1);
    const inner = new AggregateError([deepNet, deepOther], "inner group");
    const [net, rest] = splitErrors(new AggregateError([top, inner], "outer group"), NetworkError);
    assert.ok(net);
    assert.equal(net.errors[0], top);
    assert.ok(net.errors[1] instanceof AggregateError, "the nested group stays a nested AggregateError");
    assert.deepEqual((net.errors[1] as AggregateError).errors, [deepNet]);
    assert.equal((net.errors[1] as AggregateError).message, "inner group");
    const restGroup = rest as AggregateError;
    assert.equal(restGroup.errors.length, 1);
    assert.deepEqual((restGroup.errors[0] as AggregateError).errors, [deepOther]);
  }));

  it("splitErrors() passes an error that is not an AggregateError through unchanged when it does not match", withClock(() => {
    const reason = new DOMException("shutting down", "AbortError");
    const [net, rest] = splitErrors(reason, NetworkError);
    assert.equal(net, undefined);
    assert.equal(rest, reason, "an abort reason must come back as is, so it can be rethrown unchanged");
    const failure = new NetworkError("https://a.test/", 1);
    const [wrapped, left] = splitErrors(failure, NetworkError);
    assert.deepEqual(wrapped?.errors, [failure], "a matching lone error comes back in a group of one");
    assert.equal(left, undefined);
  }));

  it("splitErrors() handles a taskGroup failure like except*", withClock(async (clock) => {
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
              await sleep(100);
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
    assert.deepEqual(handled, ["https://a.test/"]);
    assert.deepEqual(error.errors, [fatal], "only the unhandled TypeError is rethrown");
    assert.equal(clock.now(), 100);
  }));
});
