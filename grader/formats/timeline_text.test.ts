import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { timelineText } from "./timeline_text.ts";

const pair = {
  expected: [{ label: "task 0", start: 0, end: 100 }, { label: "task 1", start: 100, end: 200 }],
  actual: [{ label: "task 0", start: 0, end: 100 }, { label: "task 1", start: 0 }],
};

describe("timelineText", () => {
  it("timelineText() draws an axis, then per task the expected bar above yours, differing rows marked", () => {
    assert.equal(
      timelineText(pair, { width: 20 }),
      [
        "                  0        100      200 ms",
        "                  ┬─────────┬─────────┬",
        "task 0   expected ██████████            0..100",
        "         yours    ██████████            0..100",
        "task 1 ≠ expected           ██████████  100..200",
        "         yours    ░░░░░░░░░░░░░░░░░░░░  0..(running)  <-- differs",
        "                  █ a span  ░ still running when the test ended",
      ].join("\n"),
    );
  });

  it("timelineText() with nothing expected draws one 'ran' line per task and marks nothing", () => {
    const text = timelineText({ expected: [], actual: pair.actual }, { width: 20 });
    assert.match(text, /^task 0 {3}ran █{20} {2}0\.\.100$/m);
    assert.match(text, /^task 1 {3}ran ░{20} {2}0\.\.\(running\)$/m);
    assert.doesNotMatch(text, /≠|differs|expected/);
  });

  it("timelineText() colours the differing bars red only when asked", () => {
    assert.ok(!timelineText(pair).includes("\x1b["));
    assert.ok(timelineText(pair, { color: true }).includes(`\x1b[31m${"░".repeat(50)}\x1b[0m`));
  });

  it("timelineText() caps rows and long labels, and shows every span of a task", () => {
    const actual = Array.from({ length: 8 }, (_, i) => ({ label: `t${i}`, start: i, end: i + 1 }));
    actual.push({ label: "t0", start: 5, end: 6 });
    const text = timelineText({ expected: [], actual }, { width: 16, maxRows: 3 });
    assert.match(text, /^t0 {5}ran █{3} {10}█{3} {2}0\.\.1, 5\.\.6$/m);
    assert.match(text, /^\.\.\. 5 more tasks not shown$/m);
    const long = timelineText({
      expected: [],
      actual: [{ label: "x".repeat(50), start: 0, end: 1 }],
    });
    assert.match(long, new RegExp(`^${"x".repeat(29)}… `, "m"));
  });
});
