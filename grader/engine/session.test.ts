import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { currentRuntime, findBinary } from "./runtimes.ts";
import { MARKER, runSession, type SessionUnit } from "./session.ts";
import type { SessionOptions } from "./session_types.ts";
import { TOOL_ROOT } from "./tool_root.ts";

const runtime = currentRuntime() ?? "bun";
const BIN = findBinary(runtime, TOOL_ROOT) ?? process.execPath;
const FAKE = join(TOOL_ROOT, "grader", "engine", "testdata", "fake_harness.ts");
const LIMIT = { timeout: 20_000 };
const F = "a.test.ts";

type Step = [string, ...unknown[]];

/** Runs the fake harness through `steps` as one session of `units`. */
function session(
  steps: Step[],
  o: Partial<SessionOptions> & { units?: SessionUnit[]; env?: Record<string, string> } = {},
) {
  const { units = [unit("u", 300)], env = {}, ...options } = o;
  return runSession(
    {
      cmd: BIN,
      args: runtime === "deno" ? ["run", "-A", FAKE] : [FAKE],
      cwd: TOOL_ROOT,
      env: { FAKE_STEPS: JSON.stringify(steps), ...env },
    },
    { units, nonce: "n1" },
    { runtime, guard: false, ...options },
  );
}

function unit(key: string, deadlineMs: number, files = [F]): SessionUnit {
  return { key, files, skip: [], deadlineMs };
}

const start = (n: string, u = "u"): Step => ["send", { k: "start", u, f: F, n }];
const result = (
  n: string,
  s: string,
  more = {},
): Step => ["send", { k: "result", f: F, n, s, ...more }];
const DONE: Step = ["send", { k: "done" }];
const OPEN: Step[] = [["hello"], ["go"], ["send", { k: "load", u: "u", f: F }]];

describe("runSession()", () => {
  it("runSession() sends the plan; a signed result line is a verdict", LIMIT, async () => {
    const units: SessionUnit[] = [
      { key: "u", files: [F], skip: [`${F}\u0000old`], deadlineMs: 2000, stop: [["x"]] },
      unit("v", 3000, ["b.test.ts"]),
    ];
    const r = await session(
      [...OPEN, start("p"), ["plan", F, "p"], ["send", { k: "unit-done", u: "u" }], DONE],
      { units, guard: true },
    );
    const v = r.verdicts.get(F)?.get("p");
    assert.equal(v?.status, "pass");
    assert.deepEqual(JSON.parse(v!.message), {
      units: [
        { key: "u", files: [F], skip: [`${F}\u0000old`], stop: [["x"]] },
        { key: "v", files: ["b.test.ts"], skip: [] },
      ],
      testTimeoutMs: 1500,
      guard: true,
      clock: {},
      nonce: "n1",
    });
    assert.deepEqual([r.started, r.finished, [...r.loaded], [...r.unitsDone]], [true, true, [F], [
      "u",
    ]]);
    assert.deepEqual([r.end.code, r.end.killed], [0, null]);
  });

  it("runSession() allows 1000 ms a test at least, and tells a spare", LIMIT, async () => {
    const r = await session([["hello"], ["plan", F, "p"]], {
      spare: true,
      hold: Promise.resolve(),
    });
    const plan = JSON.parse(r.verdicts.get(F)!.get("p")!.message);
    assert.deepEqual([plan.testTimeoutMs, plan.spare, plan.clock], [1000, true, {}]);
  });

  it("runSession() prints forged, replayed, skipped or unsigned lines", LIMIT, async () => {
    const fake = { k: "result", u: "u", f: F, n: "t", s: "pass" };
    const r = await session([
      ...OPEN,
      start("p"),
      result("p", "pass", { ms: 250 }),
      start("t"),
      ["forge", fake],
      ["send", fake, 9],
      ["replay", 2],
      ["print", `${MARKER}${JSON.stringify({ ...fake, q: 4 })}`],
      ["print", `${MARKER}hello`],
      result("t", "fail", { m: "real failure" }),
      DONE,
    ]);
    const t = r.verdicts.get(F)?.get("t");
    assert.deepEqual([t?.status, t?.message], ["fail", "real failure"]);
    assert.deepEqual(r.verdicts.get(F)?.get("p"), {
      status: "pass",
      message: "",
      details: "",
      time: 0.25,
    });
    const printed = r.outputs.get(F)!.get("t")!.split("\n").filter((l) => l.startsWith(MARKER));
    assert.equal(
      printed.length,
      5,
      `all five lines are the test's output:\n${printed.join("\n")}`,
    );
    assert.ok(printed[2]!.includes('"n":"p"'), "the replayed line is printed output");
    assert.equal(r.finished, true);
  });

  it("runSession() accepts no signed line before the hello", LIMIT, async () => {
    const r = await session([result("t", "pass"), ["hello"], ["go"], DONE]);
    assert.deepEqual([r.verdicts.size, r.started, r.finished], [0, true, false]);
  });

  it("runSession() gives output to the running test, or its loading file", LIMIT, async () => {
    const r = await session([
      ["hello"],
      ["go"],
      ["print", "before any file"],
      ["send", { k: "load", u: "u", f: F }],
      ["print", "while loading"],
      start("t"),
      ["print", "in t"],
      result("t", "pass"),
      ["print", "between tests"],
      start("s"),
      ["print", "in s"],
      result("s", "pass"),
      DONE,
    ]);
    const of = (n: string) => r.outputs.get(F)?.get(n)?.trim().split(/\n+/);
    assert.deepEqual(of(""), ["while loading", "between tests"]);
    assert.deepEqual([of("t"), of("s")], [["in t"], ["in s"]]);
    assert.deepEqual([...r.outputs.keys()], [F]);
    assert.ok(r.text.includes("before any file\n"), "all output is kept in text");
  });

  it("runSession() fails alone a test running at its unit's deadline", LIMIT, async () => {
    const r = await session([
      ["hello"],
      ["go"],
      ["send", { k: "load", u: "u", f: F }],
      start("p"),
      result("p", "pass"),
      ["send", { k: "unit-done", u: "u" }],
      ["send", { k: "load", u: "v", f: F }],
      start("t", "v"),
      ["print", "stuck"],
      ["hang"],
    ], { units: [unit("u", 5000), unit("v", 300)] });
    const t = r.verdicts.get(F)?.get("t");
    assert.equal(t?.status, "fail");
    assert.match(t!.message, /^CPU loop \/ no progress: this test was still running after 0 s/);
    assert.equal(t!.details, "stuck");
    assert.equal(r.verdicts.get(F)?.get("p")?.status, "pass");
    assert.deepEqual([r.end.killed, r.end.code, r.finished], ["deadline:300", null, false]);
  });

  it("runSession() extends no deadline for a line saying nothing new", LIMIT, async () => {
    const r = await session([...OPEN, start("t"), ["spin", {
      k: "start",
      u: "u",
      f: F,
      n: "t",
    }]]);
    assert.equal(r.end.killed, "deadline:300");
    assert.match(r.verdicts.get(F)!.get("t")!.message, /^CPU loop/);
  });

  it("runSession() makes a file loading at the deadline a load error", LIMIT, async () => {
    const r = await session([...OPEN, ["print", "loading"], ["hang"]]);
    const e = r.loadErrors.get(F) ?? "";
    assert.match(e, /^CPU loop \/ no progress: .* \(while the test file loaded\)\nloading$/);
    assert.equal(r.verdicts.size, 0);
  });

  it("runSession() fails as a crash the test during which it exited", LIMIT, async () => {
    const boom: Step = ["print", "boom"];
    const r = await session([...OPEN, start("p"), result("p", "pass"), start("t"), boom, [
      "exit",
      3,
    ]]);
    assert.deepEqual(r.verdicts.get(F)?.get("t"), {
      status: "fail",
      message:
        "crash: the process exited (code 3) while this test ran: process.exit() or a fatal error in the code under test",
      details: "boom",
      time: 0,
    });
    assert.equal(r.verdicts.get(F)?.get("p")?.status, "pass");
    assert.deepEqual([r.end.code, r.end.killed], [3, null]);
  });

  it("runSession() fails no test after the harness said done", LIMIT, async () => {
    const r = await session([...OPEN, start("t"), DONE, ["exit", 3]]);
    assert.deepEqual([r.verdicts.size, r.finished, r.end.code], [0, true, 3]);
  });

  it("runSession() records load errors, tampering, taints, extra fields", LIMIT, async () => {
    const r = await session([
      ["hello"],
      ["go"],
      ["send", { k: "tainted-at-load", what: ["Promise.prototype.then"] }],
      ["send", { k: "load", u: "u", f: F }],
      ["send", { k: "load-error", u: "u", m: "SyntaxError: x", d: "at line 3" }],
      ["send", { k: "load-error", u: "u", f: "b.test.ts", m: "gone" }],
      start("t"),
      result("t", "odd", { m: "no", d: "why", ms: 7, tl: [1], dx: "dx", sc: { a: 1 } }),
      ["send", { k: "tamper", u: "u", what: "one" }],
      ["send", { k: "tamper", u: "u", what: "two" }],
      ["send", { k: "no-such-kind", u: "u" }],
      ["send", { k: "tainted", u: "u", what: ["setTimeout"] }],
      DONE,
    ]);
    assert.deepEqual([...r.loadErrors], [[F, "SyntaxError: x\nat line 3"], [
      "b.test.ts",
      "gone",
    ]]);
    assert.deepEqual(r.verdicts.get(F)?.get("t"), {
      status: "fail",
      message: "no",
      details: "why",
      time: 0.007,
      timeline: [1],
      diagnosis: "dx",
      schedule: { a: 1 },
    });
    assert.deepEqual([...r.tampering], [["u", ["one", "two"]]]);
    assert.deepEqual(r.tainted, { unit: "u", what: ["setTimeout"] });
    assert.deepEqual(r.taintedAtLoad, ["Promise.prototype.then"]);
  });

  it("runSession() with hold sends the go once the hold settles", LIMIT, async () => {
    const dir = mkdtempSync(join(tmpdir(), "session-test-"));
    const flag = join(dir, "flag");
    let hellos = 0;
    try {
      // The hold settles well after the hello: a go sent at the hello finds no flag.
      const hold = new Promise<void>((resolve) => {
        setTimeout(() => (writeFileSync(flag, ""), resolve()), 300);
      });
      const r = await session([["hello"], ["got-go", F, "t"], DONE], {
        hold,
        onHello: () => hellos++,
        env: { FAKE_FLAG: flag },
      });
      assert.equal(r.verdicts.get(F)?.get("t")?.message, "after:go flag:true");
      assert.deepEqual([hellos, r.finished], [1, true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runSession() kills the process when its signal aborts", LIMIT, async () => {
    const ac = new AbortController();
    const held = await session([["hello"], ["got-go", F, "t"]], {
      hold: new Promise(() => {}),
      onHello: () => ac.abort(),
      signal: ac.signal,
    });
    assert.deepEqual([held.started, held.finished, held.end.killed, held.verdicts.size], [
      true,
      false,
      "aborted",
      0,
    ]);
    const early = await session([["hello"], ["go"]], { signal: AbortSignal.abort() });
    assert.deepEqual([early.end.killed, early.end.code, early.finished], [
      "aborted",
      null,
      false,
    ]);
  });

  it("runSession() reports a runtime that could not start", LIMIT, async () => {
    const r = await runSession(
      { cmd: join(TOOL_ROOT, "no-such-runtime"), args: [], cwd: TOOL_ROOT, env: {} },
      { units: [unit("u", 300)], nonce: "n" },
      { runtime, guard: false },
    );
    assert.match(r.end.spawnError ?? "", /ENOENT|no such file|not found/i);
    assert.deepEqual([r.started, r.verdicts.size], [false, 0]);
  });
});
