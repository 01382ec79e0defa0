import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { optionHelp, parseCommandLine, UsageError } from "./options.ts";
import { discoverExercises, selectExercises } from "../engine/discover.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { currentRuntime, findBinary } from "../engine/runtimes.ts";

describe("parseCommandLine()", () => {
  it("parseCommandLine() reads ids, options with and without '='", () => {
    const o = parseCommandLine([
      "7",
      "03_x",
      "--runtime=both",
      "--format",
      "json",
      "--timeout",
      "2.5",
      "--jobs",
      "3",
      "--fail-under",
      "50",
    ]);
    assert.equal(o.command, "grade");
    assert.deepEqual(o.args, ["7", "03_x"]);
    assert.deepEqual(Object.fromEntries(o.opts), {
      runtime: "both",
      format: "json",
      timeout: "2.5",
      jobs: "3",
      "fail-under": "50",
    });
  });
  it("parseCommandLine() names the bad value and the valid choices", () => {
    assert.throws(
      () => parseCommandLine(["--format", "xml"]),
      (e: unknown) =>
        e instanceof UsageError &&
        /"xml".*pretty, json, gradescope, junit, classroom, markdown/.test(e.message),
    );
    assert.throws(
      () => parseCommandLine(["--runtime", "node"]),
      /Invalid value for --runtime: "node" \(valid: deno, bun, both\)/,
    );
    assert.throws(
      () => parseCommandLine(["--bogus"]),
      /Unknown option: --bogus \(valid for "grade": --runtime/,
    );
    assert.throws(() => parseCommandLine(["--jobs", "0"]), /positive integer/);
    assert.throws(() => parseCommandLine(["--timeout"]), /--timeout needs a value/);
    assert.throws(() => parseCommandLine(["--stubs", "--solutions"]), /Choose one of/);
    assert.throws(
      () => parseCommandLine(["list", "--format", "json"]),
      /--format does not apply to "list" \(it is for: grade\)/,
    );
    assert.throws(
      () => parseCommandLine(["watch", "--runtime", "both"]),
      /"both" \(valid for "watch": deno, bun\)/,
    );
  });
  it("parseCommandLine() reads every subcommand the README documents", () => {
    assert.equal(parseCommandLine(["list"]).command, "list");
    const h = parseCommandLine(["hint", "7", "2"]);
    assert.deepEqual([h.command, h.args], ["hint", ["7", "2"]]);
    const w = parseCommandLine(["--watch", "7", "--poll"]);
    assert.deepEqual([w.command, w.args, w.opts.get("poll")], ["watch", ["7"], true]);
    assert.equal(parseCommandLine(["grade", "--watch"]).command, "watch");
    assert.equal(parseCommandLine(["reset", "3", "-y"]).opts.get("yes"), true);
    assert.equal(parseCommandLine(["export", "--student=out"]).opts.get("student"), "out");
    assert.deepEqual(parseCommandLine(["batch", "subs", "--jobs", "4"]).args, ["subs"]);
    assert.deepEqual(parseCommandLine(["collect", "a", "b"]).args, ["a", "b"]);
    assert.equal(parseCommandLine(["grade", "7"]).command, "grade");
    assert.throws(
      () => parseCommandLine(["batch", "subs", "--bogus"]),
      /Unknown option: --bogus \(valid for "batch"/,
    );
    assert.throws(() => parseCommandLine(["export", "--student"]), /--student needs a value/);
    assert.throws(() => parseCommandLine(["reset", "3", "--yes=1"]), /--yes takes no value/);
  });
  it("optionHelp() lists each option a command takes", () => {
    assert.match(optionHelp("grade"), /--format FORMAT +report format .*\(pretty\|json/);
    assert.match(optionHelp("reset"), /-y, --yes/);
    assert.doesNotMatch(optionHelp("list"), /--format/);
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
    const pre = rt === "deno"
      ? ["run", "-A", join(TOOL_ROOT, "grader", "main.ts")]
      : [join(TOOL_ROOT, "grader", "main.ts")];
    return spawnSync(bin, [...pre, ...args], {
      cwd: wb.path,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
  };

  it("selectExercises() accepts 1, 01, a folder name and a slug, and names valid choices", () => {
    const all = discoverExercises(wb.path);
    assert.deepEqual(selectExercises(all, ["1", "02", "03_clock", "greet"]).map((e) => e.dir), [
      "01_add",
      "02_greet",
      "03_clock",
    ]);
    assert.throws(
      () => selectExercises(all, ["9"]),
      /Unknown exercise "9": valid: 01_add, 02_greet, 03_clock/,
    );
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
    const ok = run(
      "--hidden-dir",
      wb.path,
      "--submission",
      wb.path,
      "--solutions",
      "--format",
      "json",
      "1",
      "2",
    );
    assert.equal(ok.status, 0, ok.stderr);
    const j = JSON.parse(ok.stdout);
    assert.equal(j.schema_version, 1);
    assert.equal(j.score, 20);
    assert.equal(j.max_score, 20);
    const low = run(
      "--hidden-dir",
      wb.path,
      "--submission",
      wb.path,
      "--stubs",
      "--fail-under",
      "1",
      "2",
    );
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
    assert.deepEqual(
      JSON.parse(readFileSync(p, "utf8")).hints["02_greet"],
      { "0": 2 },
      "HINTS.md without task sections counts as task 0",
    );
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

describe("a corrupt progress file", () => {
  it("every command that reads progress moves a corrupt file aside with a message and goes on", () => {
    const wb = makeWorkbook();
    try {
      // A self-contained workbook: its own grader (so progress is kept in it) and the tools' node_modules.
      cpSync(join(TOOL_ROOT, "grader"), join(wb.path, "grader"), {
        recursive: true,
        filter: (src) => !/[/\\](fixtures|node_modules)$/.test(src),
      });
      symlinkSync(join(TOOL_ROOT, "node_modules"), join(wb.path, "node_modules"), "dir");
      const rt = currentRuntime() ?? "bun";
      const bin = findBinary(rt, TOOL_ROOT)!;
      const main = join(wb.path, "grader", "main.ts");
      const progress = join(wb.path, ".workbook-progress.json");
      const commands = [["1"], ["list"], ["hint", "1"], ["solution", "1"]];
      for (const [i, args] of commands.entries()) {
        writeFileSync(progress, `{ "broken": ${i}`);
        const r = spawnSync(bin, [...(rt === "deno" ? ["run", "-A"] : []), main, ...args!], {
          cwd: wb.path,
          encoding: "utf8",
          env: { ...process.env, NO_COLOR: "1" },
        });
        assert.equal(r.status, 0, `grade ${args!.join(" ")} must go on: ${r.stderr}`);
        assert.match(
          r.stderr,
          /\.workbook-progress\.json could not be read: it is not valid JSON.*moved to \.workbook\/progress\.corrupt-/,
          `grade ${args!.join(" ")} must say where the file went`,
        );
        const aside = readdirSync(join(wb.path, ".workbook")).filter((f) =>
          f.startsWith("progress.corrupt-")
        );
        assert.equal(aside.length, i + 1, `grade ${args!.join(" ")} keeps every corrupt file`);
        assert.ok(
          aside.some((f) =>
            readFileSync(join(wb.path, ".workbook", f), "utf8") === `{ "broken": ${i}`
          ),
        );
      }
    } finally {
      wb.cleanup();
    }
  });
});
