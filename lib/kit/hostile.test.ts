// Code under test that loads after lib and attacks it (issue 15): replaces the global Promise
// binding, the timer globals and the time sources, searches every global for a fake-clock
// object to rewind, and swaps builtins lib might call for versions that lie to lib alone. Each
// runs in a child process of the same runtime (lib first, then the hostile module, then tests),
// as the grader's harness runs them; every test keeps the verdict it deserves.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runtimeName } from "../clock/real.ts";

const SCRIPT = fileURLToPath(new URL("./testdata/hostile_script.ts", import.meta.url));

// deno-lint-ignore no-explicit-any
function attack(name: string): Record<string, any> {
  const args = runtimeName === "deno" ? ["run", "--no-check", "-A", SCRIPT, name] : [SCRIPT, name];
  const out = execFileSync(process.execPath, args, { encoding: "utf8", timeout: 30_000 });
  return JSON.parse(out.trim().split("\n").pop()!);
}

/** The verdicts every attack must leave as they are. */
// deno-lint-ignore no-explicit-any
function assertVerdicts(v: Record<string, any>): void {
  assert.deepEqual(v.failingBody, { error: "Error: boom" });
  assert.deepEqual(v.failingAfterSleep, { error: "Error: late boom" });
  assert.match(v.deadlock.error ?? "passed", /^DeadlockError: deadlock at t=0 ms/);
  assert.deepEqual(v.sleeps, { ok: [2000, 2000, 2, []] }, "two 1 s sleeps end at t=2000 ms");
  assert.match(v.probe.error ?? "passed", /at most 2 tasks may run at once; yours ran 3/);
  assert.match(v.timeline.error ?? "passed", /differs from the expected schedule/);
  assert.deepEqual(v.recorder, { ok: [["x", "y"], [5]] });
  assert.deepEqual(v.network, { ok: [200, 100, 1] }, "100 ms of simulated latency");
  assert.match(v.rejectsWith.error ?? "passed", /should fail with an error named RangeError/);
  assert.match(v.leak.error ?? "passed", /^LeakedTimersError: 1 timer still pending/);
  assert.deepEqual(v.schedule, { ok: [3, true, true, 6] });
  assert.deepEqual(v.diagnosis, {
    ok: ["DeadlockError", "lib/clock/testdata/lock.ts", 1, ["Lock: 1 waiting"]],
  });
}

describe("lib against hostile code under test", () => {
  it("a stub that replaces the global Promise with a subclass whose resolve() succeeds at once passes nothing", () => {
    assertVerdicts(attack("swap_promise"));
  });

  it("a stub that replaces the timer globals, Date and performance.now changes nothing the clock does for the test", () => {
    assertVerdicts(attack("replace_timers"));
  });

  it("no object reachable from globalThis can rewind or advance virtual time (no Date.clock, performance.clock, Intl.clock, Temporal.clock), nor can lib's own modules be made to", () => {
    const v = attack("find_clock");
    assertVerdicts(v);
    assert.deepEqual(v.clocksOutsideRuns, []);
    assert.deepEqual(v.claims, ["host", "recorder"], "lib's setters refuse code under test");
  });

  it("builtins replaced after lib loads (arrays, Set, Map, Math, Reflect, Function.prototype, Object, JSON, strings, RegExp, iteration) are never called by lib", () => {
    const v = attack("patch_builtins");
    assertVerdicts(v);
    assert.deepEqual(v.hijacked, [], "lib called a builtin replaced after it loaded");
  });
});
