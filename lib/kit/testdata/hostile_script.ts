// Run as a plain script, the way the grader's harness runs tests: lib loads first, then hostile
// code under test (argument: the module's name in this folder), then tests that must keep their
// verdicts. Prints each verdict as JSON.
import * as lib from "../../mod.ts";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;
const which: string = g.Deno ? g.Deno.args[0] : g.process.argv[2];
const hostile = await import(`./${which}.ts`);

const out: Record<string, unknown> = {};
const verdict = async (name: string, run: () => unknown) => {
  try {
    out[name] = { ok: await run() };
  } catch (e) {
    out[name] = { error: `${(e as Error).name}: ${(e as Error).message}`.slice(0, 200) };
  }
};

await verdict("failingBody", () =>
  lib.withClock(() => {
    throw new Error("boom");
  })());
await verdict("failingAfterSleep", () =>
  lib.withClock(async (clock) => {
    await clock.sleep(10);
    throw new Error("late boom");
  })());
await verdict("deadlock", () => lib.withClock({ graceMs: 20 }, () => new Promise(() => {}))());
await verdict("sleeps", () =>
  lib.runWithClock(async (clock) => {
    await clock.sleep(1000);
    hostile.tryToMoveTime?.();
    await clock.sleep(1000);
    hostile.tryToMoveTime?.();
    return [clock.now(), lib.virtualNow(), clock.trace.length, hostile.findClocks?.() ?? []];
  }));
await verdict("probe", () =>
  lib.runWithClock(async (clock) => {
    const probe = new lib.ConcurrencyProbe("tasks");
    const task = probe.wrap((ms: number) => clock.sleep(ms));
    const a = task(100), b = task(100), c = task(100);
    await a;
    await b;
    await c;
    probe.assertMaxAtMost(2);
  }));
await verdict(
  "timeline",
  () =>
    lib.assertTimeline([{ label: "a", start: 0, end: 200 }], [{ label: "a", start: 0, end: 100 }]),
);
await verdict("recorder", () =>
  lib.runWithClock(async (clock) => {
    const r = new lib.EventRecorder();
    r.record("x");
    await clock.sleep(5);
    r.record("y");
    return [r.names(), r.times("y")];
  }));
await verdict("network", () =>
  lib.runWithClock(async (clock) => {
    const net = new lib.SimulatedNetwork({ "https://a.test/": { latencyMs: 100 } });
    const page = await net.fetch("https://a.test/");
    return [page.status, clock.now(), net.requests.length];
  }));
await verdict(
  "rejectsWith",
  () => lib.rejectsWith(() => Promise.reject(new TypeError("x")), { name: "RangeError" }, "f()"),
);
await verdict("leak", () =>
  lib.runWithClock(async (clock) => {
    lib.createTask(() => clock.sleep(500));
    await clock.sleep(10);
  }));
await verdict("schedule", () =>
  lib.runWithClock(async (clock) => {
    const log: number[] = [];
    for (let i = 0; i < 6; i++) {
      // Through the clock's own sleeps: all due at t=10, each with its own delay.
      void (async () => {
        await clock.sleep(i);
        await clock.sleep(10 - i);
        log[log.length] = i;
      })();
    }
    await clock.sleep(20);
    const s = clock.schedule;
    return [s.seed, s.choices > 0, s.total === s.swaps.length, log.length];
  }, { shuffle: 3 }));
await verdict("diagnosis", async () => {
  const { ForgetfulLock, withLock } = await import("../../clock/testdata/lock.ts");
  const error = await lib.runWithClock(async (clock) => {
    const lock = new ForgetfulLock();
    clock.onDiagnose(() => `Lock: ${lock.waiting} waiting`);
    const job = () => clock.sleep(10);
    const a = withLock(lock, job), b = withLock(lock, job);
    await a;
    await b;
  }, { track: true, graceMs: 20 }).then(() => undefined, (e) => e);
  const d = error?.diagnosis;
  return [error?.name, d?.waits[0]?.site.replace(/:\d+$/, ""), d?.waits[0]?.count, d?.details];
});
out.claims = hostile.tryToClaim?.() ?? [];
out.hijacked = [...new Set(hostile.hijacked ?? [])];
out.clocksOutsideRuns = hostile.findClocks?.() ?? [];
console.log(JSON.stringify(out));
g.process?.exit?.(0);
