// Visible tests for graceful shutdown. Run: `bun test exercises/19_graceful_shutdown` or
// `deno test exercises/19_graceful_shutdown`. Signals come from the fake process in
// `fake_process.ts` (proc.emit("SIGTERM")), and exit() is recorded, never real.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { withClock } from "../../lib/mod.ts";
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

describe("runService", () => {
  it("runService() exits 0 when main finishes on its own", withClock(async (clock) => {
    const proc = new FakeProcess();
    const code = await runService(() => sleep(500), { process: proc });
    assert.equal(code, 0, "a service that finished by itself should exit 0");
    assert.deepEqual(proc.exitCodes, [0], "exit(0) should be called once");
    assert.equal(clock.now(), 500, "it exits when main finishes (t=500)");
  }));

  it("runService() aborts main's signal on the first SIGTERM, with a reason", withClock(async () => {
    const proc = new FakeProcess();
    let reason: unknown;
    const done = runService(async (signal) => {
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      reason = signal.reason;
    }, { process: proc });
    setTimeout(() => proc.emit("SIGTERM"), 100);
    assert.equal(await done, 0, "main returned after the signal: a clean stop");
    assert.equal((reason as Error)?.name, "AbortError", "the stop reason should be an AbortError");
    assert.match((reason as Error).message, /SIGTERM/, "the stop reason should name the signal");
  }));

  it("runService() lets main finish the job in hand before exiting 0", withClock(async (clock) => {
    const proc = new FakeProcess();
    const log: string[] = [];
    setTimeout(() => proc.emit("SIGTERM"), 250);
    const code = await runService(async (signal, force) => {
      for (let job = 1; !signal.aborted; job++) {
        log.push(`start ${job}@${clock.now()}`);
        await sleep(100, force); // finish the job unless time runs out
        log.push(`done ${job}@${clock.now()}`);
      }
    }, { process: proc, graceMs: 1000 });
    assert.deepEqual(log, ["start 1@0", "done 1@100", "start 2@100", "done 2@200", "start 3@200", "done 3@300"],
      "SIGTERM at t=250 lets job 3 finish (t=300) and starts no job after it");
    assert.equal(code, 0, "draining within the grace period is a clean stop");
    assert.equal(clock.now(), 300, "exit comes right after main returned");
  }));

  it("runService() force-aborts after graceMs and exits non-zero", withClock(async (clock) => {
    const proc = new FakeProcess();
    setTimeout(() => proc.emit("SIGTERM"), 100);
    const code = await runService((_signal, force) => sleep(60_000, force), { process: proc, graceMs: 1000 });
    assert.notEqual(code, 0, "a service that had to be forced must not report a clean stop");
    assert.equal(clock.now(), 1100, "SIGTERM at t=100 + graceMs 1000: force at t=1100");
    assert.deepEqual(proc.exitCodes, [code], "process.exit() is called exactly once, as the very last step, with the code runService() resolves with (never from inside the signal handler)");
  }));

  it("runService() removes its signal handlers before it exits", withClock(async () => {
    const proc = new FakeProcess();
    await runService(() => sleep(10), { process: proc, signals: ["SIGINT", "SIGTERM"] });
    assert.equal(proc.listenerCount("SIGINT"), 0, "no SIGINT handler may stay installed after exit");
    assert.equal(proc.listenerCount("SIGTERM"), 0, "no SIGTERM handler may stay installed after exit");
    assert.equal(proc.log.at(-1), "exit 0", "exit() comes last, after the handlers are removed");
  }));
});
