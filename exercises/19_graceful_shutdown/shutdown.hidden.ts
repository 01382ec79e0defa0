// Hidden tests for graceful shutdown: the grader runs them; no test runner discovers them by itself.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, withClock } from "../../lib/mod.ts";
import { runService } from "./shutdown.ts";
import { FakeProcess } from "./fake_process.ts";

/** Sleeps `ms` of virtual time; rejects with the signal's reason if it aborts first. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
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

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

describe("runService (hidden)", () => {
  it("runService() exits 1 when main fails on its own", withClock(async () => {
    const proc = new FakeProcess();
    const code = await runService(async () => {
      await sleep(100);
      throw new Error("database unreachable");
    }, { process: proc });
    assert.equal(code, 1, "a service that crashed should exit 1");
    assert.deepEqual(proc.exitCodes, [1], "exit(1) is called once");
  }));

  it("runService() treats main rejecting with the stop reason as a clean stop", withClock(async () => {
    const proc = new FakeProcess();
    setTimeout(() => proc.emit("SIGINT"), 100);
    const code = await runService((signal) => sleep(60_000, signal), { process: proc });
    assert.equal(code, 0, "main rethrowing the shutdown's own reason is how a cancelled task ends: exit 0");
  }));

  it("runService() exits 1 when main fails with another error during the shutdown", withClock(async () => {
    const proc = new FakeProcess();
    setTimeout(() => proc.emit("SIGTERM"), 100);
    const code = await runService(async (signal) => {
      await aborted(signal);
      throw new Error("flush failed");
    }, { process: proc, graceMs: 1000 });
    assert.equal(code, 1, "a real error while stopping is a failure, not a clean stop");
  }));

  it("runService() aborts with an AbortError naming the signal that came", withClock(async () => {
    const proc = new FakeProcess();
    let reason: unknown;
    setTimeout(() => proc.emit("SIGHUP"), 100);
    await runService(async (signal) => {
      await aborted(signal);
      reason = signal.reason;
    }, { process: proc, signals: ["SIGHUP"] });
    assert.equal((reason as Error)?.name, "AbortError", "the stop reason should be an AbortError");
    assert.match(String((reason as Error)?.message), /SIGHUP/, "the stop reason should name SIGHUP");
  }));

  it("runService() listens for SIGINT and SIGTERM by default", withClock(async () => {
    const proc = new FakeProcess();
    const done = runService((signal) => aborted(signal), { process: proc });
    assert.equal(proc.listenerCount("SIGINT"), 1, "one SIGINT handler while running");
    assert.equal(proc.listenerCount("SIGTERM"), 1, "one SIGTERM handler while running");
    proc.emit("SIGINT");
    assert.equal(await done, 0, "SIGINT stops the service cleanly");
  }));

  it("runService() listens only for the signals it was given", withClock(async () => {
    const proc = new FakeProcess();
    const done = runService((signal) => aborted(signal), { process: proc, signals: ["SIGUSR2"] });
    assert.equal(proc.listenerCount("SIGINT"), 0, "signals: [\"SIGUSR2\"] means no SIGINT handler");
    assert.equal(proc.emit("SIGUSR2"), 1, "one SIGUSR2 handler");
    await done;
  }));

  it("runService() does not abort force on a clean stop", withClock(async () => {
    const proc = new FakeProcess();
    let forceAborted: boolean | undefined;
    setTimeout(() => proc.emit("SIGTERM"), 100);
    await runService(async (signal, force) => {
      await aborted(signal);
      await sleep(200);
      forceAborted = force.aborted;
    }, { process: proc, graceMs: 1000 });
    assert.equal(forceAborted, false, "within the grace period only the stop signal aborts, not force");
  }));

  it("runService() clears the grace timer when main stops in time", withClock(async (clock) => {
    const proc = new FakeProcess();
    let pendingAtExit = -1;
    const exit = proc.exit.bind(proc);
    proc.exit = (code?: number) => {
      pendingAtExit = clock.pending().length;
      exit(code);
    };
    setTimeout(() => proc.emit("SIGTERM"), 100);
    await runService((signal) => aborted(signal), { process: proc, graceMs: 30_000 });
    assert.equal(pendingAtExit, 0, "the 30 s grace timer must be cleared before exit(): a pending timer keeps a real process alive");
  }));

  it("runService() forces at exactly graceMs after the first signal with a TimeoutError", withClock(async (clock) => {
    const proc = new FakeProcess();
    let forcedAt = -1;
    let reason: unknown;
    setTimeout(() => proc.emit("SIGTERM"), 300);
    const code = await runService(async (_signal, force) => {
      await aborted(force);
      forcedAt = clock.now();
      reason = force.reason;
    }, { process: proc, graceMs: 2000 });
    assert.equal(forcedAt, 2300, "SIGTERM at t=300 with graceMs 2000: force aborts at t=2300");
    assert.equal((reason as Error)?.name, "TimeoutError", "running out of grace time is a TimeoutError");
    assert.equal(code, 2, "a forced stop exits 2, even when main then returns normally");
  }));

  it("runService() exits 2 when main rejects with the force reason", withClock(async () => {
    const proc = new FakeProcess();
    setTimeout(() => proc.emit("SIGTERM"), 100);
    const code = await runService((_signal, force) => sleep(60_000, force), { process: proc, graceMs: 500 });
    assert.equal(code, 2, "forced after the grace period: exit 2");
  }));

  it("runService() forces at once on a second signal", withClock(async (clock) => {
    const proc = new FakeProcess();
    let reason: unknown;
    setTimeout(() => proc.emit("SIGINT"), 100);
    setTimeout(() => proc.emit("SIGINT"), 400);
    const code = await runService(async (_signal, force) => {
      await aborted(force);
      reason = force.reason;
    }, { process: proc, graceMs: 10_000 });
    assert.equal(clock.now(), 400, "the second SIGINT at t=400 forces the stop without waiting out the 10 s grace period");
    assert.equal((reason as Error)?.name, "AbortError", "a second signal forces with an AbortError");
    assert.equal(code, 2, "a forced stop exits 2");
  }));

  it("runService() runs main's cleanup before it exits", withClock(async () => {
    const proc = new FakeProcess();
    const exit = proc.exit.bind(proc);
    proc.exit = (code?: number) => {
      proc.log.push("exit called");
      exit(code);
    };
    setTimeout(() => proc.emit("SIGTERM"), 100);
    await runService(async (signal) => {
      try {
        await sleep(60_000, signal);
      } finally {
        await sleep(50);
        proc.log.push("flushed");
      }
    }, { process: proc, graceMs: 1000 });
    const order = proc.log.filter((l) => l === "flushed" || l === "exit called");
    assert.deepEqual(order, ["flushed", "exit called"],
      "exit() must wait for main's finally block: calling exit in the signal handler skips the cleanup");
  }));

  it("runService() runs main's cleanup before it exits after a forced stop", withClock(async (clock) => {
    const proc = new FakeProcess();
    let cleanedAt = -1;
    setTimeout(() => proc.emit("SIGTERM"), 100);
    await runService(async (_signal, force) => {
      try {
        await sleep(60_000, force);
      } finally {
        await sleep(20);
        cleanedAt = clock.now();
      }
    }, { process: proc, graceMs: 500 });
    assert.equal(cleanedAt, 620, "forced at t=600, the finally block still runs (done at t=620)");
    assert.equal(clock.now(), 620, "exit comes after the cleanup");
  }));

  it("runService() removes every handler and calls exit last", withClock(async () => {
    const proc = new FakeProcess();
    setTimeout(() => proc.emit("SIGTERM"), 100);
    await runService((signal) => aborted(signal), { process: proc, signals: ["SIGINT", "SIGTERM", "SIGHUP"], graceMs: 500 });
    for (const name of ["SIGINT", "SIGTERM", "SIGHUP"]) {
      assert.equal(proc.listenerCount(name), 0, `the ${name} handler must be removed on exit`);
    }
    assert.deepEqual(proc.exitCodes, [0], "exit(0) is called exactly once");
    assert.equal(proc.log.at(-1), "exit 0", "exit() is the last thing runService does");
  }));

  it("runService() removes its handlers when main fails too", withClock(async () => {
    const proc = new FakeProcess();
    await runService(() => Promise.reject(new Error("boom")), { process: proc });
    assert.equal(proc.listenerCount("SIGINT") + proc.listenerCount("SIGTERM"), 0, "handlers are removed on the failure path as well");
  }));

  it("runService() removes its handlers after a forced stop", withClock(async () => {
    const proc = new FakeProcess();
    setTimeout(() => proc.emit("SIGTERM"), 100);
    setTimeout(() => proc.emit("SIGTERM"), 200);
    await runService((_signal, force) => aborted(force), { process: proc, graceMs: 5000 });
    assert.equal(proc.listenerCount("SIGTERM"), 0, "handlers are removed on the forced path as well");
  }));

  it("runService() rejects a negative graceMs with RangeError", withClock(async () => {
    const proc = new FakeProcess();
    await rejectsWith(() => runService(async () => {}, { process: proc, graceMs: -1 }), { name: "RangeError" },
      "runService(main, { graceMs: -1 })");
    assert.deepEqual(proc.exitCodes, [], "invalid options must not exit the process");
  }));
});
