// Where a timer or promise was created: stack frames of both engines read into workbook-relative
// `path:line`, lib/ and node_modules/ skipped, code under test preferred over test files.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import "../mod.ts";
import { blame, captureError, locate, parseFrames } from "./origin.ts";

const ROOT = decodeURIComponent(new URL("../../", import.meta.url).pathname);
/** A V8 (Deno) frame line. */
const v8 = (fn: string, file: string, line: number) =>
  `    at ${fn} (file://${ROOT}${file}:${line}:7)`;
/** A JavaScriptCore (Bun) frame line, anonymous when fn is "". */
const jsc = (fn: string, file: string, line: number) =>
  fn ? `    at ${fn} (${ROOT}${file}:${line}:7)` : `    at ${ROOT}${file}:${line}:7`;
const stack = (...frames: string[]) => ["Error: here", ...frames].join("\n");

describe("parseFrames()", () => {
  it("parseFrames() reads Deno's file:// frames and Bun's plain paths alike, innermost first", () => {
    const deno = stack(v8("Lock.acquire", "exercises/08_lock/lock.ts", 90), v8("main", "m.ts", 3));
    const bun = stack(jsc("acquire", "exercises/08_lock/lock.ts", 90), jsc("main", "m.ts", 3));
    assert.deepEqual(parseFrames(deno), [
      { file: "exercises/08_lock/lock.ts", line: 90, fn: "Lock.acquire" },
      { file: "m.ts", line: 3, fn: "main" },
    ]);
    assert.deepEqual(parseFrames(bun), [
      { file: "exercises/08_lock/lock.ts", line: 90, fn: "acquire" },
      { file: "m.ts", line: 3, fn: "main" },
    ]);
  });

  it("parseFrames() names async and constructor frames, leaves anonymous ones unnamed", () => {
    const frames = parseFrames(stack(
      v8("async consumer", "q.ts", 5),
      v8("new Queue", "q.ts", 9),
      jsc("", "q.ts", 11),
      v8("Object.construct", "q.ts", 13),
      jsc("construct", "q.ts", 15),
    ));
    assert.deepEqual(frames, [
      { file: "q.ts", line: 5, fn: "consumer" },
      { file: "q.ts", line: 9, fn: "Queue" },
      { file: "q.ts", line: 11 },
      { file: "q.ts", line: 13 },
      { file: "q.ts", line: 15 },
    ]);
  });

  it("parseFrames() skips runtime internals and lines without a file", () => {
    const frames = parseFrames([
      "Error",
      "    at <anonymous>",
      "    at async executeTestNode (node:test:1448:63)",
      "    at Object.run (ext:deno_node/internal/timers.mjs:12:3)",
      "    at native code",
      v8("f", "a.ts", 4),
    ].join("\n"));
    assert.deepEqual(frames, [{ file: "a.ts", line: 4, fn: "f" }]);
  });

  it("parseFrames() keeps absolute paths outside the workbook and decodes %-escapes", () => {
    assert.deepEqual(parseFrames("    at f (file:///elsewhere/x.ts:1:1)"), [
      { file: "/elsewhere/x.ts", line: 1, fn: "f" },
    ]);
    assert.deepEqual(parseFrames(`    at g (file://${ROOT}my%20dir/b.ts:2:1)`), [
      { file: "my dir/b.ts", line: 2, fn: "g" },
    ]);
  });

  it("parseFrames() reads frames without a column and .js, .mjs, .tsx files", () => {
    const frames = parseFrames([
      `    at a (${ROOT}a.ts:12)`,
      `    at b (${ROOT}b.js:1:1)`,
      `    at c (${ROOT}c.mjs:2:1)`,
      `    at d (${ROOT}d.tsx:3:1)`,
      `    at e (${ROOT}e.json:4:1)`,
    ].join("\n"));
    assert.deepEqual(frames.map((f) => `${f.file}:${f.line}`), [
      "a.ts:12",
      "b.js:1",
      "c.mjs:2",
      "d.tsx:3",
    ]);
  });

  it("parseFrames() gives [] for an empty, missing or non-string stack", () => {
    assert.deepEqual(parseFrames(""), []);
    assert.deepEqual(parseFrames(undefined), []);
    assert.deepEqual(parseFrames(42 as unknown as string), []);
  });
});

describe("locate() and blame()", () => {
  it("locate() skips lib/ and node_modules/ and blames the code under test, with its callers", () => {
    const s = stack(
      v8("deferred", "lib/kit/deferred.ts", 38),
      v8("x", "node_modules/p-limit/index.js", 10),
      v8("Lock.acquire", "exercises/08_lock/lock.ts", 25),
      v8("withLock", "exercises/08_lock/lock.ts", 36),
      v8("lib", "lib/clock/drive.ts", 60),
      v8("test", "exercises/08_lock/lock.test.ts", 12),
    );
    assert.deepEqual(locate(s), {
      site: "exercises/08_lock/lock.ts:25",
      fn: "Lock.acquire",
      callers: ["exercises/08_lock/lock.ts:36", "exercises/08_lock/lock.test.ts:12"],
    });
    assert.equal(blame(s), "exercises/08_lock/lock.ts:25");
  });

  it("locate() prefers code under test over a test file that is nearer the top", () => {
    const s = stack(
      jsc("", "exercises/09_x/x.test.ts", 40),
      jsc("helper", "exercises/09_x/x.hidden.ts", 8),
      jsc("", "exercises/09_x/x.cpython.ts", 3),
      jsc("run", "exercises/09_x/x.ts", 17),
    );
    assert.deepEqual(locate(s), { site: "exercises/09_x/x.ts:17", fn: "run", callers: [] });
  });

  it("locate() falls back to the first test file when no code under test is on the stack", () => {
    const s = stack(jsc("", "a.test.ts", 5), jsc("outer", "b.test.ts", 6));
    assert.deepEqual(locate(s), { site: "a.test.ts:5", callers: ["b.test.ts:6"] });
  });

  it("locate() treats lib's testdata/ and lib's own test files as outside lib", () => {
    assert.equal(
      blame(stack(v8("f", "lib/clock/testdata/lock.ts", 5))),
      "lib/clock/testdata/lock.ts:5",
    );
    assert.equal(blame(stack(v8("f", "lib/kit/probe.test.ts", 9))), "lib/kit/probe.test.ts:9");
    assert.equal(blame(stack(v8("f", "mylib/clock/a.ts", 2))), "mylib/clock/a.ts:2");
  });

  it("locate() keeps at most 3 callers, each once, never the site itself", () => {
    const s = stack(
      v8("f", "a.ts", 1),
      v8("f", "a.ts", 1),
      v8("g", "b.ts", 2),
      v8("g", "b.ts", 2),
      v8("h", "c.ts", 3),
      v8("i", "d.ts", 4),
      v8("j", "e.ts", 5),
    );
    assert.deepEqual(locate(s).callers, ["b.ts:2", "c.ts:3", "d.ts:4"]);
  });

  it("locate() and blame() say unknown when every frame is lib's or there is no stack", () => {
    const s = stack(v8("f", "lib/clock/drive.ts", 1), v8("g", "node_modules/x/y.js", 2));
    assert.deepEqual(locate(s), { site: "unknown", callers: [] });
    assert.equal(blame(s), "unknown");
    assert.equal(blame(undefined), "unknown");
  });
});

describe("captureError()", () => {
  it("captureError() records this line, and blame() names it", () => {
    const error = captureError();
    const line = Number(/origin\.test\.ts:(\d+)/.exec(new Error().stack ?? "")?.[1]) - 1;
    assert.ok(error instanceof Error);
    assert.equal(blame(error.stack), `lib/clock/origin.test.ts:${line}`);
  });

  it("captureError() keeps at most `depth` frames and restores Error.stackTraceLimit", () => {
    const before = Error.stackTraceLimit;
    // Work after the call, so it is no tail call (JavaScriptCore drops the frames of those).
    let calls = 0;
    const deep = (n: number, depth: number): Error => {
      const error = n === 0 ? captureError(depth) : deep(n - 1, depth);
      calls++;
      return error;
    };
    assert.ok(parseFrames(deep(30, 3).stack).length <= 3, "depth 3 keeps 3 frames");
    assert.ok(parseFrames(deep(30, 40).stack).length >= 30, "the default depth reaches 30 frames");
    assert.ok(parseFrames(deep(30, 200).stack).length > parseFrames(deep(30, 5).stack).length);
    assert.equal(Error.stackTraceLimit, before);
    assert.ok(calls > 0);
  });
});
