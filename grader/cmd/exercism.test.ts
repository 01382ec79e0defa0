import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sandboxStatus } from "../engine/sandbox.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { exercismProblems } from "../formats/testdata/exercism_schema.ts";
import { BUN_UNTRUSTED } from "./context.ts";
import { exercismCommand } from "./exercism.ts";
import { dispatch } from "./mod.ts";
import { capture } from "./testdata/capture.ts";

// The fixture's code is known: graded without the sandbox where there is none.
const noSandbox = sandboxStatus().ok ? [] : ["--unsafe-no-sandbox"];

describe("exercismCommand", () => {
  let wb: FixtureDir;
  let dir: string;
  beforeEach(() => {
    wb = makeWorkbook();
    dir = mkdtempSync(join(tmpdir(), "grader-cmd-exercism-"));
  });
  afterEach(() => {
    wb.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = async (argv: string[]) => {
    const { io, o } = capture();
    const code = await dispatch(["exercism", "--hidden-dir", wb.path, ...noSandbox, ...argv], {
      toolRoot: wb.path,
      io,
    });
    return { code, ...o };
  };
  const results = (out: string) => {
    const doc = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    assert.deepEqual(exercismProblems(doc), []);
    return doc as { status: string; message: string | null; tests: { status: string }[] };
  };

  it("exercismCommand grades a solution folder and writes only OUTPUT_DIR/results.json", async () => {
    assert.equal(exercismCommand.usage, "exercism SLUG SOLUTION_DIR OUTPUT_DIR");
    copyFileSync(join(wb.path, "solutions", "01_add", "add.ts"), join(dir, "add.ts"));
    const out = join(dir, "out", "nested");
    const r = await run(["--", "add", `${dir}/`, `${out}/`]);
    assert.equal(r.code, 0, r.err);
    assert.equal(results(out).status, "pass");
    assert.deepEqual(readdirSync(out), ["results.json"], "no temporary file left");
    assert.match(r.out, /^01_add: pass, (\d+)\/\1 tests passed\nwrote .*results\.json\n$/);
  });

  it("exercismCommand grades the pristine stub: status fail, every test failing", async () => {
    copyFileSync(join(wb.path, "exercises", "01_add", "add.ts"), join(dir, "add.ts"));
    const r = await run(["01_add", dir, dir]);
    assert.equal(r.code, 0, r.err);
    const doc = results(dir);
    assert.equal(doc.status, "fail");
    assert.ok(doc.tests.every((t) => t.status === "fail"));
  });

  it("exercismCommand writes a results.json in error and exits 0 for an unknown slug or a missing folder", async () => {
    for (
      const [slug, sol, says] of [
        ["two-fer", dir, /^Unknown exercise "two-fer"/],
        ["add", join(dir, "missing"), /^The solution folder .*missing does not exist\.$/],
        ["add", dir, /^No solution file found: exercise add needs add\.ts/],
      ] as const
    ) {
      const out = join(dir, `out-${slug}`);
      const r = await run([slug, sol, out]);
      assert.equal(r.code, 0, `${slug}: ${r.err}`);
      const doc = results(out);
      assert.equal(doc.status, "error");
      assert.match(doc.message!, says);
    }
  });

  it("exercismCommand exits 3 with a results.json in error when the grader cannot grade", async () => {
    copyFileSync(join(wb.path, "solutions", "01_add", "add.ts"), join(dir, "add.ts"));
    const before = process.env.WORKBOOK_DENO;
    process.env.WORKBOOK_DENO = join(dir, "no-such-deno");
    try {
      const r = await run(["--runtime", "deno", "add", dir, dir]);
      assert.equal(r.code, 3);
      assert.match(
        results(dir).message!,
        /^The test runner could not grade this solution: .*WORKBOOK_DENO/,
      );
      assert.match(r.err, /^grade: cannot grade: /);
    } finally {
      if (before === undefined) delete process.env.WORKBOOK_DENO;
      else process.env.WORKBOOK_DENO = before;
    }
  });

  it("exercismCommand refuses a wrong command line and Bun alone, writing nothing", async () => {
    const out = join(dir, "out");
    const few = await run(["add", dir]);
    assert.equal(few.code, 2);
    assert.match(few.err, /Usage: grade exercism SLUG SOLUTION_DIR OUTPUT_DIR/);
    const bun = await run(["--runtime", "bun", "add", dir, out]);
    assert.equal(bun.code, 2);
    assert.ok(bun.err.includes(BUN_UNTRUSTED));
    const other = await run(["--format", "json", "add", dir, out]);
    assert.equal(other.code, 2);
    assert.match(other.err, /--format does not apply to "exercism"/);
    assert.equal(existsSync(out), false);
  });

  it("grade --format exercism grades as a runner would: Bun alone is refused, as for Classroom", async () => {
    const { io, o } = capture();
    const code = await dispatch(["1", "--format", "exercism", "--runtime", "bun"], {
      toolRoot: wb.path,
      io,
    });
    assert.equal(code, 2);
    assert.ok(o.err.includes(BUN_UNTRUSTED), o.err);
  });
});
