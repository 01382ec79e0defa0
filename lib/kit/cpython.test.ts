import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createTask, expectedDifference, sleepZero, withClock } from "../mod.ts";

describe("createTask()", () => {
  it(
    "createTask() starts the body in a microtask, before a 0 ms timer",
    withClock(async () => {
      const order: string[] = [];
      const timer = sleepZero().then(() => order.push("timer"));
      const t = createTask(() => order.push("task"));
      assert.equal(order.length, 0, "the body must not run synchronously");
      await t.promise;
      await timer;
      assert.deepEqual(order, ["task", "timer"]);
      assert.equal(t.done(), true);
    }),
  );

  it(
    "createTask() cancel() aborts the body's signal with the reason",
    withClock(async () => {
      const t = createTask((signal) =>
        new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)))
      );
      await sleepZero();
      const reason = new Error("stop");
      t.cancel(reason);
      await assert.rejects(t.promise, (e) => e === reason);
    }),
  );
});

describe("expectedDifference()", () => {
  it("expectedDifference() passes when the CPython assertions fail", async () => {
    await expectedDifference("differs", () => assert.equal(1, 2))();
  });

  it("expectedDifference() lets a stub's not implemented error through", async () => {
    await assert.rejects(
      expectedDifference("differs", () => {
        throw new Error("not implemented: x (task 1)");
      })(),
      /not implemented/,
    );
  });

  it("expectedDifference() fails once the code behaves as CPython", async () => {
    await assert.rejects(expectedDifference("differs", () => {})(), /remove the mark/);
  });
});
