import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { currentRuntime } from "../engine/runtimes.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { checkCommand } from "./check.ts";
import { dispatch } from "./mod.ts";
import { capture } from "./testdata/capture.ts";

describe("checkCommand", () => {
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

  it("checkCommand refuses an unknown id and options of other commands before checking", async () => {
    assert.match(checkCommand.usage, /^check \[ID \.\.\.\]/);
    const unknown = await run(["check", "9"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^grade: Unknown exercise "9": valid: 01_add, 02_greet, 03_clock\n/);
    const format = await run(["check", "1", "--format", "json"]);
    assert.equal(format.code, 2);
    assert.equal(unknown.out + format.out, "");
  });

  it("checkCommand ID prints each failed item with its detail and ends with the count, exit 1", {
    timeout: 180_000,
  }, async () => {
    // The fixture's exercises are smaller than the course rules ask (12 mutants, content rules):
    // the lint item fails, the solution, stub and mutant items pass.
    const r = await run(["check", "2", "--runtime", currentRuntime() ?? "bun", "--jobs", "2"]);
    assert.equal(r.code, 1, r.out + r.err);
    const fails = r.out.split("\n").filter((l) => l.startsWith("FAIL "));
    assert.ok(fails.length >= 1, r.out);
    assert.ok(fails.every((l) => /^FAIL lint 02_greet/.test(l)), fails.join("\n"));
    assert.match(r.out, /\n {5}\S/, "the detail is indented under its item");
    const last = /(\d+) passed, (\d+) failed\n$/.exec(r.out);
    assert.ok(last, r.out);
    assert.equal(Number(last[2]), fails.length);
    assert.ok(Number(last[1]) >= 3, "solution, stub and mutants of 02_greet pass");
  });
});
