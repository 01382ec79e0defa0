// Real threads under the virtual clock: a Worker's reply is real work the clock must wait for
// when it is tracked, and a deadlock when it is not.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DeadlockError, runWithClock, withClock } from "../mod.ts";

const WORKER_URL = new URL("./testdata/echo_worker.ts", import.meta.url).href;

function ask(worker: Worker, value: string, delayMs: number): Promise<string> {
  return new Promise((resolve) => {
    worker.addEventListener("message", (e) => resolve((e as MessageEvent<string>).data), {
      once: true,
    });
    worker.postMessage({ value, delayMs });
  });
}

describe("virtual clock and Workers", () => {
  it(
    "clock.track() makes the clock wait for a Worker reply",
    withClock(async (clock) => {
      const worker = new Worker(WORKER_URL, { type: "module" });
      try {
        const reply = await clock.track(ask(worker, "hi", 200)); // longer than the 100 ms grace
        assert.equal(reply, "echo:hi");
        assert.equal(clock.now(), 0, "virtual time does not move while real work runs");
      } finally {
        worker.terminate();
      }
    }),
  );

  it("an untracked Worker reply that takes longer than the grace period is a deadlock", async () => {
    const worker = new Worker(WORKER_URL, { type: "module" });
    try {
      await assert.rejects(runWithClock(() => ask(worker, "hi", 400)), DeadlockError);
    } finally {
      worker.terminate();
    }
  });
});
