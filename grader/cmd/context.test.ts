import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { currentRuntime } from "../engine/runtimes.ts";
import { sandboxStatus } from "../engine/sandbox.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import {
  CannotGradeError,
  colorOn,
  exercisesOf,
  EXIT,
  type Io,
  num,
  positionals,
  PROCESS_IO,
  runtimesOf,
  sandboxFor,
  str,
  workbookOption,
} from "./context.ts";
import { parseCommandLine, UsageError } from "./options.ts";

const io = (stdoutTTY: boolean): Io => ({
  out: () => {},
  err: () => {},
  stdoutTTY,
  stderrTTY: false,
});

describe("EXIT and PROCESS_IO", () => {
  it("EXIT holds the documented exit codes: 0 done, 1 below --fail-under, 2 usage, 3 could not grade", () => {
    assert.deepEqual(EXIT, { ok: 0, failUnder: 1, usage: 2, cannotGrade: 3 });
  });

  it("PROCESS_IO reports whether the process's own streams are terminals", () => {
    assert.equal(PROCESS_IO.stdoutTTY, process.stdout.isTTY === true);
    assert.equal(PROCESS_IO.stderrTTY, process.stderr.isTTY === true);
  });
});

describe("runtimesOf()", () => {
  it("runtimesOf() takes --runtime, both meaning Deno then Bun, else the runtime running the grader", () => {
    const of = (argv: string[]) => runtimesOf(parseCommandLine(argv), "/nowhere");
    assert.deepEqual(of(["--runtime", "both"]), ["deno", "bun"]);
    assert.deepEqual(of(["--runtime", "bun"]), ["bun"]);
    assert.deepEqual(of(["hint", "1"]), [currentRuntime()!]);
    assert.deepEqual(of(["list"]), [currentRuntime()!]);
  });
});

describe("str() and positionals()", () => {
  it("str() gives an option's string value, and nothing for a flag or an absent option", () => {
    const p = parseCommandLine(["--format", "json", "--stubs"]);
    assert.equal(str(p, "format"), "json");
    assert.equal(str(p, "stubs"), undefined);
    assert.equal(str(p, "out"), undefined);
  });

  it("num() gives a number option's value as a number, and nothing when it is absent", () => {
    const p = parseCommandLine(["--schedules", "0", "--jobs", "3"]);
    assert.equal(num(p, "schedules"), 0);
    assert.equal(num(p, "jobs"), 3);
    assert.equal(num(p, "timeout"), undefined);
  });

  it("positionals() returns exactly n arguments, or a usage error with the usage line", () => {
    assert.deepEqual(positionals(parseCommandLine(["reset", "7"]), 1, "reset ID"), ["7"]);
    assert.throws(
      () => positionals(parseCommandLine(["reset"]), 1, "reset ID [--yes]"),
      (e) => e instanceof UsageError && e.message === "Usage: grade reset ID [--yes]",
    );
    assert.throws(
      () => positionals(parseCommandLine(["reset", "1", "2"]), 1, "reset ID"),
      UsageError,
    );
  });
});

describe("workbookOption() and exercisesOf()", () => {
  let wb: FixtureDir;
  let empty: string;
  before(() => {
    wb = makeWorkbook();
    empty = mkdtempSync(join(tmpdir(), "grader-context-"));
  });
  after(() => {
    wb.cleanup();
    rmSync(empty, { recursive: true, force: true });
  });

  it("workbookOption() gives the fallback without the option, the absolute folder with it", () => {
    assert.equal(workbookOption(parseCommandLine([]), "submission", "/fallback"), "/fallback");
    assert.equal(
      workbookOption(parseCommandLine(["--submission", wb.path]), "submission", "/fallback"),
      wb.path,
    );
  });

  it("workbookOption() refuses a folder without exercises/, naming the option and the folder", () => {
    assert.throws(
      () => workbookOption(parseCommandLine(["--hidden-dir", empty]), "hidden-dir", "/x"),
      (e) =>
        e instanceof UsageError &&
        e.message === `Invalid value for --hidden-dir: "${empty}" has no exercises/ folder`,
    );
  });

  it("exercisesOf() selects by the ids typed, and turns an unknown id into a usage error", () => {
    const r = exercisesOf(wb.path, ["greet", "1"]);
    assert.deepEqual(r.all.map((e) => e.dir), ["01_add", "02_greet", "03_clock"]);
    assert.deepEqual(r.selected.map((e) => e.dir), ["01_add", "02_greet"]);
    assert.throws(
      () => exercisesOf(wb.path, ["9"]),
      (e) => e instanceof UsageError && /^Unknown exercise "9": valid: 01_add/.test(e.message),
    );
  });
});

describe("colorOn()", () => {
  it("colorOn() colours a terminal unless --no-color, NO_COLOR or --out says otherwise", () => {
    const saved = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    try {
      assert.equal(colorOn(parseCommandLine([]), io(true)), true);
      assert.equal(colorOn(parseCommandLine([]), io(false)), false);
      assert.equal(colorOn(parseCommandLine(["--no-color"]), io(true)), false);
      assert.equal(colorOn(parseCommandLine(["--out", "r.txt"]), io(true)), false);
      process.env.NO_COLOR = "1";
      assert.equal(colorOn(parseCommandLine([]), io(true)), false);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });
});

describe("sandboxFor()", () => {
  it("sandboxFor() uses bubblewrap when it works, and never runs someone else's code without it unless told", () => {
    const s = sandboxStatus();
    const trusted = sandboxFor(parseCommandLine([]), false);
    if (s.ok) {
      assert.equal(trusted, s.bwrap);
      assert.equal(sandboxFor(parseCommandLine([]), true), s.bwrap);
    } else {
      assert.equal(trusted, false, "a learner's own copy runs without the sandbox");
      assert.throws(
        () => sandboxFor(parseCommandLine([]), true),
        (e) => e instanceof CannotGradeError && /--unsafe-no-sandbox/.test(e.message),
      );
      assert.equal(sandboxFor(parseCommandLine(["--unsafe-no-sandbox"]), true), false);
    }
  });
});
