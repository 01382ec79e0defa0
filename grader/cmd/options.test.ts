import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs, UsageError } from "./options.ts";
import { discoverExercises, selectExercises } from "../engine/discover.ts";
import { makeWorkbook, type FixtureDir } from "../fixtures/fixtures.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { currentRuntime, findBinary } from "../engine/runtimes.ts";

describe("parseArgs()", () => {
  it("parseArgs() reads ids, options with and without '='", () => {
    const o = parseArgs(["7", "03_x", "--runtime=both", "--format", "json", "--timeout", "2.5", "--jobs", "3", "--fail-under", "50"]);
    assert.deepEqual(o.ids, ["7", "03_x"]);
    assert.equal(o.runtime, "both");
    assert.equal(o.format, "json");
    assert.equal(o.timeoutSec, 2.5);
    assert.equal(o.jobs, 3);
    assert.equal(o.failUnder, 50);
  });
  it("parseArgs() names the bad value and the valid choices", () => {
    assert.throws(() => parseArgs(["--format", "xml"]), (e: unknown) => e instanceof UsageError && /"xml".*pretty, json, gradescope, junit, classroom, markdown/.test(e.message));
    assert.throws(() => parseArgs(["--runtime", "node"]), /Invalid value for --runtime: "node" \(valid: deno, bun, both\)/);
    assert.throws(() => parseArgs(["--bogus"]), /Unknown option: --bogus/);
    assert.throws(() => parseArgs(["--jobs", "0"]), /positive integer/);
    assert.throws(() => parseArgs(["--timeout"]), /needs a value/);
    assert.throws(() => parseArgs(["--stubs", "--solutions"]), /Choose one of/);
  });
  it("parseArgs() reads the list and hint subcommands", () => {
    assert.equal(parseArgs(["list"]).command, "list");
    const h = parseArgs(["hint", "7", "2"]);
    assert.deepEqual([h.command, h.ids, h.level], ["hint", ["7"], 2]);
    assert.throws(() => parseArgs(["hint"]), /Usage: grade hint ID/);
  });
});

describe("grade command line", () => {
  let wb: FixtureDir;
  before(() => {
    wb = makeWorkbook();
  });
  after(() => wb.cleanup());
  const rt = currentRuntime() ?? "bun";
  const bin = findBinary(rt, TOOL_ROOT)!;
  const run = (...args: string[]) => {
    const pre = rt === "deno" ? ["run", "-A", join(TOOL_ROOT, "grader", "main.ts")] : [join(TOOL_ROOT, "grader", "main.ts")];
    return spawnSync(bin, [...pre, ...args], { cwd: wb.path, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  };

  it("selectExercises() accepts 1, 01, a folder name and a slug, and names valid choices", () => {
    const all = discoverExercises(wb.path);
    assert.deepEqual(selectExercises(all, ["1", "02", "03_clock", "greet"]).map((e) => e.dir), ["01_add", "02_greet", "03_clock"]);
    assert.throws(() => selectExercises(all, ["9"]), /Unknown exercise "9": valid: 01_add, 02_greet, 03_clock/);
  });

  it("grade exits 2 on an unknown id or option, naming it on stderr", () => {
    const r = run("--hidden-dir", wb.path, "--submission", wb.path, "42");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Unknown exercise "42"/);
    const o = run("--frobnicate");
    assert.equal(o.status, 2);
    assert.match(o.stderr, /Unknown option: --frobnicate/);
  });

  it("grade --solutions --format json gives full marks and exits 0; --fail-under exits 1 on the stubs", () => {
    const ok = run("--hidden-dir", wb.path, "--submission", wb.path, "--solutions", "--format", "json", "1", "2");
    assert.equal(ok.status, 0, ok.stderr);
    const j = JSON.parse(ok.stdout);
    assert.equal(j.schema_version, 1);
    assert.equal(j.score, 20);
    assert.equal(j.max_score, 20);
    const low = run("--hidden-dir", wb.path, "--submission", wb.path, "--stubs", "--fail-under", "1", "2");
    assert.equal(low.status, 1);
    assert.match(low.stdout, /02_greet\s+0\/10\s+not started/);
  });

  it("grade hint shows the next level and remembers it in .workbook-progress.json", () => {
    const h1 = run("--hidden-dir", wb.path, "--submission", wb.path, "hint", "2");
    assert.equal(h1.status, 0, h1.stderr);
    assert.match(h1.stdout, /hint level 1 of 3/);
    const h2 = run("--hidden-dir", wb.path, "--submission", wb.path, "hint", "2");
    assert.match(h2.stdout, /hint level 2 of 3/);
    const p = join(wb.path, ".workbook-progress.json");
    assert.ok(existsSync(p));
    assert.equal(JSON.parse(readFileSync(p, "utf8")).hints["02_greet"], 2);
    const bad = run("--hidden-dir", wb.path, "--submission", wb.path, "hint", "2", "9");
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /no hint level 9 \(valid: 1, 2, 3\)/);
  });

  it("grade list shows every exercise", () => {
    const r = run("--hidden-dir", wb.path, "--submission", wb.path, "list");
    assert.equal(r.status, 0);
    assert.match(r.stdout, /01_add: Add/);
    assert.match(r.stdout, /03_clock: Clock/);
  });
});
