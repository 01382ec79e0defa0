import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Registry } from "./registry.ts";
import {
  describeError,
  ordered,
  type PlanUnit,
  record,
  runTest,
  runText,
  satisfied,
  schedulePart,
} from "./test_run.ts";

/** A registered test named `name` running `fn`. */
const t = (fn: () => unknown, name = "t") => ({ name, fn });

/** A closed registry of files a.test.ts (x, g > y, z) and b.test.ts (p, q). */
function registry(): Registry {
  const r = new Registry(["a.test.ts", "b.test.ts"]);
  const noop = () => {};
  r.test("a.test.ts", "x", noop, undefined, false);
  r.group("a.test.ts", "g", () => r.test("a.test.ts", "y", noop, undefined, false), false);
  r.test("a.test.ts", "z", noop, undefined, false);
  r.test("b.test.ts", "p", noop, undefined, false);
  r.test("b.test.ts", "q", noop, undefined, false);
  r.close();
  return r;
}

/** "file name" of each job, in order. */
const names = (unit: PlanUnit) => ordered(unit, registry()).map((j) => `${j.file} ${j.t.name}`);

describe("record()", () => {
  it("record() makes an empty record with no prototype", () => {
    const r = record<number>();
    assert.equal(Object.getPrototypeOf(r), null);
    assert.deepEqual(Object.keys(r), []);
    assert.equal("toString" in r, false);
  });
});

describe("describeError()", () => {
  it("describeError() gives 'Name: message' and the stack of an error, in a record with no prototype", () => {
    const e = new TypeError("bad value");
    const f = describeError(e);
    assert.equal(f.m, "TypeError: bad value");
    assert.equal(f.d, e.stack);
    assert.equal(Object.getPrototypeOf(f), null);
    assert.equal("tl" in f || "dx" in f, false);
  });

  it("describeError() says Error for an empty or missing name and '' for a missing stack", () => {
    assert.equal(describeError({ name: "", message: "m" }).m, "Error: m");
    assert.equal(describeError({ name: 7, message: "m", stack: 3 }).m, "Error: m");
    assert.equal(describeError({ message: "" }).m, "Error: ");
    assert.equal(describeError({ message: "m" }).d, "");
  });

  it("describeError() writes a thrown non-error as 'Uncaught <text>', with no details", () => {
    assert.deepEqual({ ...describeError("text") }, { m: "Uncaught text", d: "" });
    assert.equal(describeError(undefined).m, "Uncaught undefined");
    assert.equal(describeError(42).m, "Uncaught 42");
    assert.equal(describeError({ message: 5 }).m, "Uncaught [object Object]");
  });

  it("describeError() cuts the stack and an uncaught value's text to 8000 characters", () => {
    const f = describeError({ message: "m", stack: "s".repeat(9000) });
    assert.equal(f.d, "s".repeat(8000));
    assert.equal(describeError("v".repeat(9000)).m, `Uncaught ${"v".repeat(7991)}`);
  });

  it("describeError() copies the kit's timeline and diagnosis as plain data, never calling a getter", () => {
    let called = false;
    const timeline = { expected: ["a@0"], actual: ["a@5"] };
    Object.defineProperty(timeline, "trap", {
      enumerable: true,
      get: () => {
        called = true;
        return 1;
      },
    });
    const e = Object.assign(new Error("late"), { timeline, diagnosis: { blocked: ["t1"] } });
    const f = describeError(e);
    assert.equal(called, false);
    assert.deepEqual(JSON.parse(JSON.stringify(f.tl)), { expected: ["a@0"], actual: ["a@5"] });
    assert.deepEqual(JSON.parse(JSON.stringify(f.dx)), { blocked: ["t1"] });
    assert.notEqual(f.tl, timeline);
    const plain = describeError(Object.assign(new Error("x"), { timeline: "not facts" }));
    assert.equal("tl" in plain, false, "a timeline that is not an object is left out");
  });

  it("describeError() reads hostile values without throwing", () => {
    const getterThrows = {
      get message(): string {
        throw new Error("no");
      },
      toString: () => "hostile",
    };
    assert.equal(describeError(getterThrows).m, "Uncaught hostile");
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    assert.equal(describeError(proxy).m, "Uncaught [a value that throws when turned into text]");
  });
});

describe("runTest()", () => {
  it("runTest() passes a test whose function returns or resolves, with an empty message", async () => {
    const stray: unknown[] = [];
    for (const fn of [() => {}, async () => {}, () => Promise.resolve(3)]) {
      const o = await runTest(t(fn), 5000, stray);
      assert.deepEqual({ ...o }, { s: "pass", m: "", d: "" });
      assert.equal(Object.getPrototypeOf(o), null);
    }
  });

  it("runTest() fails a test that throws synchronously or rejects, with the error's message", async () => {
    const stray: unknown[] = [];
    const sync = await runTest(
      t(() => {
        throw new RangeError("sync");
      }),
      5000,
      stray,
    );
    assert.equal(sync.s, "fail");
    assert.equal(sync.m, "RangeError: sync");
    assert.match(sync.d, /sync/);
    const rejected = await runTest(t(() => Promise.reject("plain")), 5000, stray);
    assert.equal(rejected.s, "fail");
    assert.equal(rejected.m, "Uncaught plain");
  });

  it("runTest() fails a test that never settles once the real-time limit passes, naming it", async () => {
    const o = await runTest(t(() => new Promise(() => {})), 30, []);
    assert.equal(o.s, "fail");
    assert.equal(
      o.m,
      "Error: the test never settled: it was still waiting after 30 ms of real time",
    );
  });

  it("runTest() fails a passing test when something was left unhandled, and empties the list", async () => {
    const stray: unknown[] = [];
    const o = await runTest(
      t(() => {
        stray.push(new Error("late"), new Error("later"));
      }),
      5000,
      stray,
    );
    assert.equal(o.s, "fail");
    assert.equal(
      o.m,
      "UnhandledRejectionError: a promise rejected with nobody awaiting it: Error: late",
    );
    assert.match(o.d, /late/);
    assert.equal(stray.length, 0);
    assert.equal((await runTest(t(() => {}), 5000, stray)).s, "pass", "the next test is clean");
  });

  it("runTest() waits one turn of timers after the test, so a rejection noticed then counts", async () => {
    const stray: unknown[] = [];
    const o = await runTest(
      t(() => {
        setTimeout(() => stray.push("noticed late"), 0);
      }),
      5000,
      stray,
    );
    assert.equal(o.s, "fail");
    assert.match(o.m, /nobody awaiting it: Uncaught noticed late$/);
  });

  it("runTest() reports the test's own failure, not a stray one, and empties the list", async () => {
    const stray: unknown[] = [new Error("stray")];
    const o = await runTest(
      t(() => {
        throw new Error("own");
      }),
      5000,
      stray,
    );
    assert.equal(o.m, "Error: own");
    assert.equal(stray.length, 0);
  });
});

describe("ordered()", () => {
  it("ordered() lists the unit's files' tests in file then registration order without stop", () => {
    const unit = { key: "u", files: ["b.test.ts", "a.test.ts"], skip: [] };
    assert.deepEqual(names(unit), [
      "b.test.ts p",
      "b.test.ts q",
      "a.test.ts x",
      "a.test.ts g > y",
      "a.test.ts z",
    ]);
    assert.deepEqual(names({ key: "u", files: [], skip: [] }), []);
    assert.deepEqual(names({ key: "u", files: ["c.test.ts"], skip: [] }), []);
  });

  it("ordered() puts the stop groups' tests first, keeping registration order in both parts", () => {
    const unit = {
      key: "m",
      files: ["a.test.ts", "b.test.ts"],
      skip: [],
      stop: [["b.test.ts\u0000q"], ["a.test.ts\u0000g > y", "a.test.ts\u0000missing"]],
    };
    assert.deepEqual(names(unit), [
      "a.test.ts g > y",
      "b.test.ts q",
      "a.test.ts x",
      "a.test.ts z",
      "b.test.ts p",
    ]);
    assert.deepEqual(names({ ...unit, stop: [] }).length, 5);
  });
});

describe("satisfied()", () => {
  it("satisfied() with no group is whether any test failed", () => {
    assert.equal(satisfied([], record(), true), true);
    assert.equal(satisfied([], record(), false), false);
  });

  it("satisfied() needs a failed test in every group", () => {
    const failed = record<true>();
    failed["a\u0000x"] = true;
    assert.equal(satisfied([["a\u0000x", "a\u0000y"]], failed, true), true);
    assert.equal(satisfied([["a\u0000x"], ["a\u0000y"]], failed, true), false);
    assert.equal(satisfied([["a\u0000x"], []], failed, true), false, "an empty group is never met");
    failed["a\u0000y"] = true;
    assert.equal(satisfied([["a\u0000x"], ["a\u0000y"]], failed, true), true);
  });
});

describe("runText() and schedulePart()", () => {
  it("runText() gives the last run as JSON, read through own data only", () => {
    const run = { seed: 7, schedule: { swaps: [1, 2] }, f: () => 0, n: NaN };
    assert.equal(runText(() => run), '{"seed":7,"schedule":{"swaps":[1,2]},"n":null}');
  });

  it("runText() gives '' when lastRun throws", () => {
    assert.equal(
      runText(() => {
        throw new Error("no run");
      }),
      "",
    );
  });

  it("schedulePart() keeps the schedule, its swaps cut to 20", () => {
    const swaps = Array.from({ length: 25 }, (_, i) => i);
    const part = schedulePart(JSON.stringify({ seed: 1, schedule: { seed: 1, swaps } }));
    assert.deepEqual(Object.keys(part), ["sc"]);
    const sc = part.sc as { seed: number; swaps: number[] };
    assert.equal(sc.seed, 1);
    assert.deepEqual([...sc.swaps], swaps.slice(0, 20));
    const few = schedulePart('{"schedule":{"swaps":[3,4]}}').sc as { swaps: number[] };
    assert.deepEqual([...few.swaps], [3, 4]);
  });

  it("schedulePart() gives an empty record when there is no schedule object", () => {
    for (const text of ["null", "{}", '{"schedule":3}', '{"schedule":null}', "[1]"]) {
      const part = schedulePart(text);
      assert.deepEqual(Object.keys(part), [], text);
      assert.equal(Object.getPrototypeOf(part), null);
    }
  });
});
