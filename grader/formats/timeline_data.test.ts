import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatTimelines } from "../../lib/kit/timeline.ts";
import type { TestResult } from "./result.ts";
import {
  MAX_LABEL,
  parseTimelineTable,
  ticks,
  timelineOf,
  timelineRows,
  timeRange,
} from "./timeline_data.ts";

const failing = (over: Partial<TestResult>): TestResult => ({
  name: "t",
  file: "x.test.ts",
  hidden: false,
  status: "fail",
  message: "",
  output: "",
  reason: "assertion",
  weight: 1,
  time: 0,
  ...over,
});

const expected = [
  { label: "task 0", start: 0, end: 1000 },
  { label: "a  two  spaces", start: 1000, end: 2000 },
  { label: "only expected", start: 0, end: 5 },
];
const actual = [
  { label: "task 0", start: 0, end: 1000 },
  { label: "a  two  spaces", start: 3000, end: 4000 },
  { label: "still running", start: 250 },
];

describe("timeline_data", () => {
  it("parseTimelineTable() reads back the table assertTimeline writes, labels with spaces too", () => {
    const message = `AssertionError: the schedule differs from the expected schedule:\n${
      formatTimelines(expected, actual)
    }`;
    const pair = parseTimelineTable(message)!;
    assert.deepEqual(pair.expected, expected.map((e) => ({ ...e, label: e.label })));
    assert.deepEqual(pair.actual, actual);
    assert.equal(parseTimelineTable("AssertionError: 1 !== 2"), undefined);
  });

  it("timelineOf() prefers the structured field, checks its shape, and ignores passing tests", () => {
    const t = failing({ timeline: { expected, actual }, message: "no table" });
    assert.deepEqual(timelineOf(t), { expected, actual });
    assert.equal(timelineOf({ ...t, status: "pass" }), undefined);
    const bad = [
      { expected: "x", actual },
      { expected, actual: [{ label: 1, start: 0 }] },
      { expected, actual: [{ label: "a", start: NaN }] },
      { expected, actual: [{ label: "a", start: 0, end: "9" }] },
      { expected: [], actual: [] },
    ];
    for (const timeline of bad) {
      assert.equal(timelineOf(failing({ timeline })), undefined, JSON.stringify(timeline));
    }
    const fromMessage = failing({
      timeline: { nonsense: true },
      message: `x differs from the expected schedule:\n${formatTimelines(expected, actual)}`,
    });
    assert.equal(timelineOf(fromMessage)?.actual.length, 3, "falls back to the message's table");
  });

  it("timelineOf() cleans labels: control characters and newlines go, long ones are cut", () => {
    const long = "x".repeat(500);
    const pair = timelineOf(failing({
      timeline: {
        expected: [],
        actual: [{ label: `a\u001b[31m\nb`, start: 0 }, { label: long, start: 1 }],
      },
    }))!;
    assert.equal(pair.actual[0]!.label, "a b");
    assert.equal(pair.actual[1]!.label.length, MAX_LABEL);
    assert.ok(pair.actual[1]!.label.endsWith("…"));
  });

  it("timelineRows() gives one row per label in first-seen order and marks the rows that differ", () => {
    const rows = timelineRows({
      expected,
      actual: [...actual, { label: "task 0", start: 2000, end: 2500 }],
    });
    assert.deepEqual(rows.map((r) => [r.label, r.differs]), [
      ["task 0", true],
      ["a  two  spaces", true],
      ["only expected", true],
      ["still running", true],
    ]);
    assert.equal(rows[0]!.actual.length, 2, "a label may have several spans");
    const same = timelineRows({ expected: [expected[0]!], actual: [expected[0]!] });
    assert.equal(same[0]!.differs, false);
  });

  it("timeRange() spans 0 to the last start or end; ticks() are round and cover it", () => {
    assert.deepEqual(timeRange(timelineRows({ expected, actual })), [0, 4000]);
    assert.deepEqual(timeRange([]), [0, 1]);
    const negative = timelineRows({ expected: [], actual: [{ label: "a", start: -5 }] });
    assert.deepEqual(timeRange(negative), [-5, 0]);
    assert.deepEqual(ticks(0, 4000, 5), [0, 1000, 2000, 3000, 4000]);
    assert.deepEqual(ticks(0, 450, 6), [0, 100, 200, 300, 400]);
    assert.deepEqual(ticks(0, 1, 4), [0, 0.5, 1]);
  });
});
