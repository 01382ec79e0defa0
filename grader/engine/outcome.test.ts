import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decided, emptyOutcome, mergeSession, undecided } from "./outcome.ts";
import type { SessionResult } from "./session_types.ts";
import type { Exercise, ExpectedTest, Verdict } from "./types.ts";
import type { Unit } from "./workspace.ts";

const v = (status: Verdict["status"], message = ""): Verdict => ({
  status,
  message,
  details: "",
  time: 0,
});

const t = (file: string, name: string, group = false): ExpectedTest => ({
  file,
  name,
  group,
  hidden: file.endsWith(".hidden.ts"),
  line: 1,
  nameLine: 1,
});

const unit = {
  key: "01_x~m",
  wsDir: "01_x__m",
  exercise: {
    testFiles: ["x.test.ts", "x.hidden.ts"],
    expected: [
      t("x.test.ts", "g", true),
      t("x.test.ts", "g > a"),
      t("x.test.ts", "g > b"),
      t("x.hidden.ts", "c"),
    ],
  } as unknown as Exercise,
  stubSources: {},
} as Unit;

const VIS = "exercises/01_x__m/x.test.ts";
const HID = "exercises/01_x__m/x.hidden.ts";

function session(over: Partial<SessionResult> = {}): SessionResult {
  return {
    verdicts: new Map(),
    outputs: new Map(),
    loadErrors: new Map(),
    loaded: new Set(),
    tampering: new Map(),
    unitsDone: new Set(),
    tainted: null,
    taintedAtLoad: null,
    started: true,
    finished: true,
    end: { code: 0, killed: null },
    text: "",
    ms: 1,
    ...over,
  };
}

describe("emptyOutcome()", () => {
  it("emptyOutcome() has no verdict, output, load error or tampering, and no `only` unless given", () => {
    const o = emptyOutcome();
    assert.deepEqual(o, {
      verdicts: new Map(),
      outputs: new Map(),
      loadErrors: new Map(),
      tampering: [],
      gaveUp: null,
      text: "",
      stopped: false,
    });
    assert.equal("only" in o, false);
    const only = new Set([`${VIS}\u0000g > a`]);
    assert.equal(emptyOutcome(only).only, only);
  });
});

describe("mergeSession()", () => {
  it("mergeSession() files the unit's verdicts by exercise-relative file and ignores other units'", () => {
    const o = emptyOutcome();
    mergeSession(
      unit,
      o,
      session({
        verdicts: new Map([
          [VIS, new Map([["g > a", v("pass")]])],
          [HID, new Map([["c", v("fail", "Error: no")]])],
          ["exercises/01_x/x.test.ts", new Map([["g > b", v("pass")]])],
        ]),
      }),
    );
    assert.deepEqual(
      o.verdicts,
      new Map([
        ["x.test.ts", new Map([["g > a", v("pass")]])],
        ["x.hidden.ts", new Map([["c", v("fail", "Error: no")]])],
      ]),
    );
  });

  it("mergeSession() lets a later session's verdict replace an earlier one of the same test", () => {
    const o = emptyOutcome();
    mergeSession(unit, o, session({ verdicts: new Map([[VIS, new Map([["g > a", v("fail")]])]]) }));
    mergeSession(
      unit,
      o,
      session({
        verdicts: new Map([[VIS, new Map([["g > b", v("pass")], ["g > a", v("pass")]])]]),
      }),
    );
    assert.deepEqual(
      o.verdicts.get("x.test.ts"),
      new Map([["g > a", v("pass")], ["g > b", v("pass")]]),
    );
  });

  it('mergeSession() appends each session\'s output per test, load output under ""', () => {
    const o = emptyOutcome();
    mergeSession(
      unit,
      o,
      session({ outputs: new Map([[VIS, new Map([["", "load\n"], ["g > a", "one\n"]])]]) }),
    );
    mergeSession(unit, o, session({ outputs: new Map([[VIS, new Map([["g > a", "two\n"]])]]) }));
    assert.deepEqual(
      o.outputs.get("x.test.ts"),
      new Map([["", "load\n"], ["g > a", "one\ntwo\n"]]),
    );
    assert.equal(o.outputs.has("x.hidden.ts"), false);
  });

  it("mergeSession() keeps load errors by file and the tampering found for this unit's key", () => {
    const o = emptyOutcome();
    mergeSession(
      unit,
      o,
      session({
        loadErrors: new Map([[HID, "SyntaxError: line 3"], ["exercises/01_x/x.test.ts", "x"]]),
        tampering: new Map([["01_x~m", ["registered a test"]], ["01_x", ["other"]]]),
      }),
    );
    mergeSession(unit, o, session({ tampering: new Map([["01_x~m", ["patched Promise"]]]) }));
    assert.deepEqual(o.loadErrors, new Map([["x.hidden.ts", "SyntaxError: line 3"]]));
    assert.deepEqual(o.tampering, ["registered a test", "patched Promise"]);
  });

  it("mergeSession() keeps the sessions' text, at most 16384 characters in all", () => {
    const o = emptyOutcome();
    mergeSession(unit, o, session({ text: "a".repeat(16_000) }));
    mergeSession(unit, o, session({ text: "b".repeat(1000) }));
    mergeSession(unit, o, session({ text: "c" }));
    assert.equal(o.text, "a".repeat(16_000) + "b".repeat(384));
  });
});

describe("undecided()", () => {
  it("undecided() lists the declared tests without a verdict, groups left out, in course order", () => {
    const o = emptyOutcome();
    assert.deepEqual(undecided(unit, o), [
      `${VIS}\u0000g > a`,
      `${VIS}\u0000g > b`,
      `${HID}\u0000c`,
    ]);
    o.verdicts.set("x.test.ts", new Map([["g > b", v("fail")]]));
    assert.deepEqual(undecided(unit, o), [`${VIS}\u0000g > a`, `${HID}\u0000c`]);
  });

  it("undecided() leaves out the tests of a file that did not load", () => {
    const o = emptyOutcome();
    o.loadErrors.set("x.test.ts", "SyntaxError");
    assert.deepEqual(undecided(unit, o), [`${HID}\u0000c`]);
  });

  it("undecided() of a re-run lists only the tests it is about", () => {
    const o = emptyOutcome(new Set([`${HID}\u0000c`, `${VIS}\u0000g`]));
    assert.deepEqual(undecided(unit, o), [`${HID}\u0000c`]);
    o.verdicts.set("x.hidden.ts", new Map([["c", v("pass")]]));
    assert.deepEqual(undecided(unit, o), []);
  });
});

describe("decided()", () => {
  it("decided() lists each test with a verdict under the unit's workspace folder", () => {
    const o = emptyOutcome();
    assert.deepEqual(decided(unit, o), []);
    o.verdicts.set("x.hidden.ts", new Map([["c", v("skipped")]]));
    o.verdicts.set("x.test.ts", new Map([["g > a", v("pass")]]));
    assert.deepEqual(decided(unit, o), [`${HID}\u0000c`, `${VIS}\u0000g > a`]);
  });

  it("decided() of a re-run adds every test it is not about, groups left out", () => {
    const o = emptyOutcome(new Set([`${VIS}\u0000g > b`]));
    assert.deepEqual(decided(unit, o), [`${VIS}\u0000g > a`, `${HID}\u0000c`]);
    o.verdicts.set("x.test.ts", new Map([["g > b", v("pass")]]));
    assert.deepEqual(decided(unit, o), [
      `${VIS}\u0000g > b`,
      `${VIS}\u0000g > a`,
      `${HID}\u0000c`,
    ]);
  });
});
