import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { currentRuntime } from "../engine/runtimes.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { ProgressStore } from "../learner/progress.ts";
import { dispatch } from "./mod.ts";
import { solutionCommand } from "./solution.ts";
import { capture } from "./testdata/capture.ts";

describe("solutionCommand", () => {
  let wb: FixtureDir;
  beforeEach(() => {
    wb = makeWorkbook();
    symlinkSync(join(TOOL_ROOT, "node_modules"), join(wb.path, "node_modules"));
  });
  afterEach(() => wb.cleanup());
  const run = async (argv: string[]) => {
    const { io, o } = capture();
    return { code: await dispatch(argv, { toolRoot: wb.path, io }), ...o };
  };
  const rt = currentRuntime() ?? "bun";

  it("solutionCommand needs one known id", async () => {
    assert.equal(solutionCommand.usage, "solution ID");
    for (const argv of [["solution"], ["solution", "1", "2"]]) {
      const r = await run(argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.err, /^grade: Usage: grade solution ID\n/);
    }
    const unknown = await run(["solution", "9"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /Unknown exercise "9"/);
  });

  it("solutionCommand grades the exercise afresh and keeps the solution hidden until it passes", {
    timeout: 120_000,
  }, async () => {
    const r = await run(["solution", "2", "--runtime", rt]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^grading 02_greet \.\.\.\n/);
    assert.match(r.out, /^The solution of 02_greet is shown once your version passes every test/);
    assert.ok(!r.out.includes("==> solutions/"));
    assert.equal(
      new ProgressStore(wb.path).read().last["02_greet"]?.score,
      0,
      "the grade is recorded",
    );
  });

  it(
    "solutionCommand shows solutions/NN/<stub> once the exercise passes",
    { timeout: 120_000 },
    async () => {
      const solution = readFileSync(join(wb.path, "solutions", "02_greet", "greet.ts"), "utf8");
      writeFileSync(join(wb.path, "exercises", "02_greet", "greet.ts"), solution);
      const r = await run(["solution", "greet", "--runtime", rt]);
      assert.equal(r.code, 0, r.err);
      assert.equal(
        r.out,
        `02_greet is done. The reference solution, to compare with yours:\n\n==> solutions/02_greet/greet.ts <==\n${solution.trimEnd()}\n`,
      );
    },
  );
});
