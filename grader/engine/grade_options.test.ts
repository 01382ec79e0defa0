import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { discoverExercises } from "./discover.ts";
import { AUTOGRADER_SCHEDULES, inPlace, schedulesFor } from "./grade_options.ts";
import { TOOL_ROOT } from "./tool_root.ts";

describe("inPlace()", () => {
  it("inPlace() grades the learner's workbook as its own pristine root, its stubs as a submission, with no type check", () => {
    const ex = discoverExercises(TOOL_ROOT).slice(0, 1);
    assert.deepEqual(inPlace("/wb", ex, "deno"), {
      toolRoot: "/wb",
      pristineRoot: "/wb",
      submissionRoot: "/wb",
      exercises: ex,
      mode: "submission",
      runtimes: ["deno"],
      typeCheck: false,
    });
  });
});

describe("schedulesFor()", () => {
  it("schedulesFor() gives an autograder AUTOGRADER_SCHEDULES (4) other orders, a learner none", () => {
    assert.equal(AUTOGRADER_SCHEDULES, 4);
    assert.equal(schedulesFor(undefined, true), 4);
    assert.equal(schedulesFor(undefined, false), 0);
  });

  it("schedulesFor() lets an explicit --schedules win, 0 included", () => {
    assert.equal(schedulesFor(0, true), 0);
    assert.equal(schedulesFor(16, true), 16);
    assert.equal(schedulesFor(2, false), 2);
  });
});
