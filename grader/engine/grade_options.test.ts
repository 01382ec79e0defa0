import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { discoverExercises } from "./discover.ts";
import { inPlace } from "./grade_options.ts";
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
