import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Registry } from "./registry.ts";

describe("Registry", () => {
  it("Registry keeps each file's tests under full names, in registration order", () => {
    const r = new Registry(["a.ts", "b.ts"]);
    r.group("a.ts", "g", () => {
      r.test("b.ts", "other file", () => {}, {}, false);
      r.test("a.ts", "one", () => {}, {}, false);
    }, false);
    r.test("a.ts", "two", () => {}, {}, false);
    assert.deepEqual(r.testsOf("a.ts").map((t) => t.name), ["g > one", "two"]);
    assert.deepEqual(r.testsOf("b.ts").map((t) => t.name), ["other file"], "groups are per file");
    assert.deepEqual(r.anomalies(), []);
  });

  it("Registry reports a name registered twice in a file and keeps the first", () => {
    const r = new Registry(["a.ts"]);
    const first = () => {};
    r.test("a.ts", "x", first, {}, false);
    r.test("a.ts", "x", () => {}, {}, false);
    assert.equal(r.testsOf("a.ts")[0]!.fn, first);
    assert.equal(r.testsOf("a.ts").length, 1);
    assert.match(r.anomalies()[0]!.what, /registered twice/);
  });

  it("Registry refuses tests after close() and for files outside the plan, as anomalies", () => {
    const r = new Registry(["a.ts"]);
    r.test("zzz.ts", "x", () => {}, {}, false);
    r.close();
    r.test("a.ts", "late", () => {}, {}, false);
    assert.deepEqual(r.testsOf("a.ts"), []);
    const what = r.anomalies().map((a) => a.what);
    assert.match(what[0]!, /belongs to no test file/);
    assert.match(what[1]!, /after the test files had loaded/);
    assert.deepEqual(r.anomalies(), [], "anomalies are handed out once");
  });

  it("Registry leaves out skipped tests and groups but still counts their names", () => {
    const r = new Registry(["a.ts"]);
    r.group("a.ts", "skipped", () => r.test("a.ts", "in", () => {}, {}, false), true);
    r.test("a.ts", "s", () => {}, {}, true);
    r.test("a.ts", "s", () => {}, {}, false);
    assert.deepEqual(r.testsOf("a.ts"), []);
    assert.equal(r.anomalies().length, 1);
  });
});
