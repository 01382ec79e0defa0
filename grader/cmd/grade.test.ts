import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { currentRuntime } from "../engine/runtimes.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { type FixtureDir, makeSubmission, makeWorkbook } from "../fixtures/fixtures.ts";
import { PROGRESS_FILE, ProgressStore } from "../learner/progress.ts";
import { gradeCommand } from "./grade.ts";
import { dispatch } from "./mod.ts";
import { capture } from "./testdata/capture.ts";

// deno-lint-ignore no-explicit-any -- the tests read the JSON report the way a consumer would
type Json = Record<string, any>;

describe("gradeCommand", () => {
  const rt = currentRuntime() ?? "bun";
  let wb: FixtureDir;
  let dir: string;
  beforeEach(() => {
    wb = makeWorkbook();
    symlinkSync(join(TOOL_ROOT, "node_modules"), join(wb.path, "node_modules"));
    dir = mkdtempSync(join(tmpdir(), "grader-cmd-grade-"));
  });
  afterEach(() => {
    wb.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = async (argv: string[]) => {
    const { io, o } = capture();
    return { code: await dispatch(argv, { toolRoot: wb.path, io }), ...o };
  };

  it("gradeCommand refuses an unknown id and a bad option value before grading", async () => {
    assert.equal(gradeCommand.usage, "[ID ...] [options]");
    const unknown = await run(["9"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^grade: Unknown exercise "9": valid: 01_add, 02_greet, 03_clock\n/);
    const format = await run(["1", "--format", "xml"]);
    assert.equal(format.code, 2);
    assert.match(
      format.err,
      /Invalid value for --format: "xml" \(valid: pretty, json, gradescope, junit, classroom, markdown, exercism, html\)/,
    );
    assert.ok(!existsSync(join(wb.path, PROGRESS_FILE)), "nothing graded, nothing recorded");
  });

  it(
    "gradeCommand grades the learner's copy, prints the report in the format asked, and records it",
    {
      timeout: 120_000,
    },
    async () => {
      const r = await run(["1", "--format", "json", "--runtime", rt]);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out) as Json;
      assert.equal(j.mode, "submission");
      assert.equal(j.runtime, rt);
      assert.equal(j.schedules, 1, "a learner's own grade runs one order");
      assert.deepEqual(j.exercises.map((e: Json) => [e.dir, e.score, e.status]), [
        ["01_add", 0, "not-started"],
      ]);
      assert.equal(j.exercises[0].tests.length, 4);
      assert.deepEqual(new ProgressStore(wb.path).read().last["01_add"], {
        score: 0,
        max_score: 10,
        status: "not-started",
        failing_tasks: [],
      });
    },
  );

  it("gradeCommand writes --out instead of stdout and exits 1 below --fail-under", {
    timeout: 120_000,
  }, async () => {
    const out = join(dir, "report.xml");
    const r = await run([
      "add",
      "--format",
      "junit",
      "--out",
      out,
      "--fail-under",
      "5",
      "--runtime",
      rt,
    ]);
    assert.equal(r.code, 1, r.err);
    assert.equal(r.out, "");
    assert.match(r.err, /grade: score 0 is below --fail-under 5\n$/);
    assert.match(
      readFileSync(out, "utf8"),
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /,
    );
  });

  it("gradeCommand --solutions grades solutions/ at full marks and records nothing", {
    timeout: 120_000,
  }, async () => {
    const r = await run([
      "2",
      "--solutions",
      "--format",
      "json",
      "--runtime",
      rt,
      "--fail-under",
      "10",
    ]);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as Json;
    assert.equal(j.mode, "solutions");
    assert.equal(j.score, 10);
    assert.ok(!existsSync(join(wb.path, PROGRESS_FILE)));
  });

  it(
    "gradeCommand --submission grades another copy against this one's tests, under 4 other schedules, and records nothing",
    {
      timeout: 120_000,
    },
    async () => {
      const sub = makeSubmission(wb.path, "pass");
      try {
        const r = await run([
          "2",
          "--submission",
          sub.path,
          "--format",
          "json",
          "--runtime",
          rt,
          "--unsafe-no-sandbox",
          ...(rt === "bun" ? ["--unsafe-bun"] : []),
        ]);
        assert.equal(r.code, 0, r.err);
        const j = JSON.parse(r.out) as Json;
        assert.deepEqual(j.exercises.map((e: Json) => [e.dir, e.score]), [["02_greet", 10]]);
        assert.equal(j.schedules, 5, "someone else's code: creation order and 4 other schedules");
        assert.ok(!existsSync(join(wb.path, PROGRESS_FILE)));
        assert.ok(!existsSync(join(sub.path, PROGRESS_FILE)));
      } finally {
        sub.cleanup();
      }
    },
  );
});
