import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertTimeline, formatTimelines } from "../mod.ts";

describe("timelines", () => {
  it("formatTimelines() shows expected and actual side by side and marks differences", () => {
    const table = formatTimelines(
      [{ label: "a", start: 0, end: 100 }, { label: "b", start: 100, end: 300 }],
      [{ label: "a", start: 0, end: 100 }, { label: "b", start: 0, end: 200 }],
    );
    assert.equal(
      table,
      [
        "what  expected (ms)  yours (ms)",
        "a     0..100         0..100",
        "b     100..300       0..200      <-- differs",
      ].join("\n"),
    );
  });

  it("assertTimeline() passes on equal schedules in any order", () => {
    assertTimeline([{ label: "b", start: 1, end: 2 }, { label: "a", start: 0, end: 1 }], [
      { label: "a", start: 0, end: 1 },
      { label: "b", start: 1, end: 2 },
    ]);
  });

  it("assertTimeline() fails with both timelines in the message", () => {
    assert.throws(
      () =>
        assertTimeline(
          [{ label: "a", start: 0 }],
          [{ label: "a", start: 0, end: 5 }],
          "the retry schedule",
        ),
      {
        name: "AssertionError",
        message:
          /^the retry schedule differs from the expected schedule:\n.*\na +0\.\.5 +0\.\.\(running\) +<-- differs/s,
      },
    );
  });

  it("assertTimeline() attaches both schedules as plain data, a running span without an end", () => {
    const actual = [{ label: "a", start: 0 }, { label: "b", start: 5, end: 9 }];
    const expected = [{ label: "a", start: 0, end: 5 }];
    try {
      assertTimeline(actual, expected);
      assert.fail("assertTimeline() must throw");
    } catch (e) {
      assert.deepEqual((e as { timeline?: unknown }).timeline, {
        expected: [{ label: "a", start: 0, end: 5 }],
        actual: [{ label: "a", start: 0 }, { label: "b", start: 5, end: 9 }],
      });
    }
  });
});
