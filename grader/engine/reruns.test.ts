import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { emptyOutcome, type UnitOutcome } from "./outcome.ts";
import { rerunPasses, seedVerdict, untrackedDeadlock } from "./reruns.ts";
import type { ClockConfig } from "./session.ts";
import type { Exercise, Verdict } from "./types.ts";
import type { Unit } from "./workspace.ts";

const v = (status: "pass" | "fail", extra: Partial<Verdict> = {}): Verdict => ({
  status,
  message: status === "fail" ? "AssertionError: no" : "",
  details: "",
  time: 0,
  ...extra,
});

const unit = {
  key: "01_x",
  wsDir: "01_x",
  exercise: {
    expected: [
      { file: "x.test.ts", name: "a" },
      { file: "x.test.ts", name: "b" },
      { file: "x.test.ts", name: "c" },
    ],
    testFiles: ["x.test.ts"],
  } as unknown as Exercise,
  stubSources: {},
} as Unit;

function outcomeWith(verdicts: Record<string, Verdict>): Map<string, UnitOutcome> {
  const oc = emptyOutcome();
  oc.verdicts.set("x.test.ts", new Map(Object.entries(verdicts)));
  return new Map([[unit.key, oc]]);
}

describe("untrackedDeadlock()", () => {
  it("untrackedDeadlock() is true only for a failure whose diagnosis says tracking was off", () => {
    assert.equal(untrackedDeadlock(v("fail", { diagnosis: { tracked: false } })), true);
    assert.equal(untrackedDeadlock(v("fail", { diagnosis: { tracked: true } })), false);
    assert.equal(untrackedDeadlock(v("fail")), false);
    assert.equal(untrackedDeadlock(v("pass", { diagnosis: { tracked: false } })), false);
  });
});

describe("seedVerdict()", () => {
  it("seedVerdict() fails the test, naming the seed and how to replay it, and keeps the cause", () => {
    const out = seedVerdict(v("fail", { message: "Error: not ready", schedule: { seed: 4 } }), 4);
    assert.equal(out.status, "fail");
    assert.match(
      out.message,
      /seed 4; creation order passes; replay with --seed 4\): Error: not ready$/,
    );
    assert.deepEqual(out.schedule, { seed: 4 });
  });

  it("seedVerdict() names the instant and the two events of the first swap, and counts the rest", () => {
    const schedule = {
      seed: 3,
      total: 3,
      swaps: [{
        at: 100,
        ran: { kind: "setTimeout", delay: 0, origin: "exercises/03_clock/later.ts:9" },
        aheadOf: { kind: "setTimeout", delay: 100, origin: "exercises/03_clock/later.ts:4" },
      }],
    };
    const out = seedVerdict(v("fail", { message: "Error: not ready", schedule }), 3);
    assert.match(
      out.message,
      /replay with --seed 3; first swap: at t=100 ms, setTimeout\(0 ms\) from exercises\/03_clock\/later\.ts:9 ran ahead of setTimeout\(100 ms\) from exercises\/03_clock\/later\.ts:4 \(2 more swaps after it\)\): Error: not ready$/,
    );
  });
});

describe("rerunPasses()", () => {
  it("rerunPasses() re-runs only untracked deadlocks with track on and keeps a diagnosed verdict", async () => {
    const outcomes = outcomeWith({
      a: v("fail", { diagnosis: { tracked: false } }),
      b: v("pass"),
      c: v("fail"),
    });
    const calls: { clock: ClockConfig; only: string[] }[] = [];
    await rerunPasses([unit], outcomes, {
      seed: 0,
      schedules: 0,
      track: true,
      run: (units, outs, clock) => {
        const oc = outs.get(units[0]!.key)!;
        calls.push({ clock, only: [...oc.only!] });
        oc.verdicts.set("x.test.ts", new Map([["a", v("fail", { diagnosis: { tracked: true } })]]));
        return Promise.resolve();
      },
    });
    assert.deepEqual(calls, [{
      clock: { seed: 0, track: true },
      only: ["exercises/01_x/x.test.ts\u0000a"],
    }]);
    const a = outcomes.get("01_x")!.verdicts.get("x.test.ts")!.get("a")!;
    assert.deepEqual(a.diagnosis, { tracked: true });
  });

  it("rerunPasses() runs the passing tests under seeds seed+1..seed+K and stops re-running a test once it failed", async () => {
    const outcomes = outcomeWith({ a: v("pass"), b: v("pass"), c: v("fail") });
    const seen: [number | undefined, string[]][] = [];
    await rerunPasses([unit], outcomes, {
      seed: 10,
      schedules: 3,
      track: false,
      run: (units, outs, clock) => {
        const oc = outs.get(units[0]!.key)!;
        seen.push([clock.seed, [...oc.only!].map((id) => id.split("\u0000")[1]!)]);
        const m = new Map<string, Verdict>();
        for (const id of oc.only!) {
          const name = id.split("\u0000")[1]!;
          m.set(name, name === "b" && clock.seed === 12 ? v("fail") : v("pass"));
        }
        oc.verdicts.set("x.test.ts", m);
        return Promise.resolve();
      },
    });
    assert.deepEqual(seen, [[11, ["a", "b"]], [12, ["a", "b"]], [13, ["a"]]]);
    const b = outcomes.get("01_x")!.verdicts.get("x.test.ts")!.get("b")!;
    assert.match(b.message, /seed 12/);
    assert.equal(outcomes.get("01_x")!.verdicts.get("x.test.ts")!.get("a")!.status, "pass");
  });

  it("rerunPasses() runs nothing when nothing deadlocked and schedules is 0", async () => {
    let runs = 0;
    await rerunPasses([unit], outcomeWith({ a: v("pass") }), {
      seed: 0,
      schedules: 0,
      track: true,
      run: () => {
        runs++;
        return Promise.resolve();
      },
    });
    assert.equal(runs, 0);
  });
});
