// The Exercism entry end to end: run.sh (under dash, the POSIX sh) grades exercise 01 of this
// workbook as Exercism would call it, and every results.json it writes is checked against the
// spec's fields (formats/testdata/exercism_schema.ts), for a solution, a stub, a mutant, a syntax
// error, an exit at import, an unknown slug and a missing folder.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMutant } from "../engine/mutants.ts";
import { sandboxStatus } from "../engine/sandbox.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { HIDDEN_TEST_CODE } from "../formats/exercism.ts";
import { exercismProblems } from "../formats/testdata/exercism_schema.ts";

const RUN_SH = join(TOOL_ROOT, "grader", "exercism", "run.sh");
const EX = join(TOOL_ROOT, "exercises", "01_sleep_and_gather");
const SOL = join(TOOL_ROOT, "solutions", "01_sleep_and_gather");
const SH = existsSync("/usr/bin/dash") ? "/usr/bin/dash" : "sh";

interface Doc {
  version: number;
  status: string;
  message: string | null;
  tests: {
    name: string;
    status: string;
    message?: string;
    test_code?: string;
    task_id?: number;
  }[];
}

describe("grader/exercism/run.sh", { timeout: 180_000 }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "grader-exercism-run-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A solution folder as Exercism hands it over: the exercise's files, the stub as given. */
  const solution = (name: string, stub: string) => {
    const sol = join(dir, name);
    mkdirSync(join(sol, ".exercism"), { recursive: true });
    copyFileSync(join(EX, "gather.test.ts"), join(sol, "gather.test.ts"));
    copyFileSync(join(EX, "README.md"), join(sol, "README.md"));
    writeFileSync(join(sol, ".exercism", "config.json"), '{"files":{"solution":["gather.ts"]}}\n');
    writeFileSync(join(sol, "gather.ts"), stub);
    return sol;
  };
  /** Runs run.sh the way Exercism does; checks what every run must do. */
  const run = (slug: string, sol: string, env: Record<string, string> = {}) => {
    const out = join(dir, `out-${slug}-${sol.split("/").pop()}`);
    mkdirSync(out, { recursive: true });
    const before = snapshot(sol);
    const r = spawnSync(SH, [RUN_SH, slug, `${sol}/`, `${out}/`], {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...process.env,
        // Known code from this repository: graded without the sandbox where there is none.
        ...(sandboxStatus().ok ? {} : { WORKBOOK_EXERCISM_FLAGS: "--unsafe-no-sandbox" }),
        ...env,
      },
    });
    assert.equal(r.status, 0, `run.sh exited ${r.status}: ${r.stderr}`);
    assert.deepEqual(readdirSync(out), ["results.json"], "only results.json in OUTPUT_DIR");
    const text = readFileSync(join(out, "results.json"), "utf8");
    assert.ok(text.length < 500_000, "results.json under Exercism's 500 kB");
    const doc = JSON.parse(text) as Doc;
    assert.deepEqual(exercismProblems(doc), [], text.slice(0, 2000));
    assert.deepEqual(snapshot(sol), before, "the solution folder is left as it was");
    return doc;
  };
  const snapshot = (d: string): string[] =>
    existsSync(d)
      ? readdirSync(d, { recursive: true }).map(String).sort().map((f) =>
        statSync(join(d, f)).isFile() ? `${f}:${readFileSync(join(d, f), "utf8")}` : f
      )
      : [];
  const stub = readFileSync(join(EX, "gather.ts"), "utf8");
  const reference = readFileSync(join(SOL, "gather.ts"), "utf8");

  it("run.sh is an executable POSIX shell script", () => {
    assert.ok((statSync(RUN_SH).mode & 0o111) !== 0, "executable");
    assert.equal(readFileSync(RUN_SH, "utf8").split("\n")[0], "#!/bin/sh");
    const syntax = spawnSync(SH, ["-n", RUN_SH], { encoding: "utf8" });
    assert.equal(syntax.status, 0, syntax.stderr);
  });

  it("a solution passes: status pass, every test with its task and visible code", () => {
    const doc = run("sleep-and-gather", solution("reference", reference));
    assert.equal(doc.version, 3);
    assert.deepEqual([doc.status, doc.message], ["pass", null]);
    assert.ok(doc.tests.length >= 40, `${doc.tests.length} tests`);
    assert.ok(doc.tests.every((t) => t.status === "pass" && t.message === undefined));
    assert.ok(doc.tests.every((t) => t.task_id === Number(/^task (\d+):/.exec(t.name)![1])));
    const visible = readFileSync(join(EX, "gather.test.ts"), "utf8");
    const shown = doc.tests.filter((t) => t.test_code !== HIDDEN_TEST_CODE);
    assert.ok(shown.length > 0 && shown.length < doc.tests.length, "visible and hidden tests");
    for (const t of shown) {
      const title = t.name.split(" > ").pop()!;
      assert.ok(t.test_code!.includes(JSON.stringify(title)), `${t.name}: its own code`);
      assert.ok(visible.includes(t.test_code!.split("\n")[1]!.trim()), `${t.name}: from the file`);
    }
  });

  it("the stub fails: status fail, every test failing as not started, naming its task", () => {
    const doc = run("01_sleep_and_gather", solution("stub", stub));
    assert.deepEqual([doc.status, doc.message], ["fail", null]);
    for (const t of doc.tests) {
      assert.equal(t.status, "fail", t.name);
      assert.match(t.message!, /^\[not-started\] .*not implemented: \w+ \(task \d\)/, t.name);
    }
  });

  it("a mutant fails the tests that catch it, with their messages, and passes the others", () => {
    const patch = readFileSync(join(SOL, "mutants", "gather_completion_order.patch"), "utf8");
    const mutant = applyMutant(patch, SOL, ["gather.ts"]).files["gather.ts"]!;
    const doc = run("sleep-and-gather", solution("mutant", mutant));
    assert.equal(doc.status, "fail");
    const failed = doc.tests.filter((t) => t.status === "fail");
    assert.ok(failed.length > 0 && failed.length < doc.tests.length / 2, `${failed.length} failed`);
    assert.ok(failed.some((t) => t.name.includes("input order")), "the order test caught it");
    for (const t of failed) assert.match(t.message!, /^\[assertion\] /, t.name);
  });

  it("a syntax error is an error naming the file, line and column, with the line", () => {
    const broken = `${reference}\nexport const broken = {;\n`;
    const line = broken.split("\n").length - 1;
    const doc = run("sleep-and-gather", solution("syntax", broken));
    assert.equal(doc.status, "error");
    assert.ok(doc.message!.startsWith("The code did not load"), doc.message!);
    assert.ok(doc.message!.includes(`\ngather.ts:${line}:24: SyntaxError`), doc.message!);
    assert.ok(doc.message!.includes(`${line} | export const broken = {;`), doc.message!);
    assert.ok(doc.tests.every((t) => t.status === "error"));
    assert.ok(!doc.message!.includes("exercises/"), "paths as the solution folder has them");
  });

  it("an exit at import is an error saying the code crashed while loading", () => {
    const exits = `import process from "node:process";\nprocess.exit(3);\n${reference}`;
    const doc = run("sleep-and-gather", solution("exit", exits));
    assert.equal(doc.status, "error");
    assert.match(
      doc.message!,
      /^The code crashed while the tests loaded it .*\n.*exited \(code 3\)/,
    );
    assert.ok(doc.tests.every((t) => t.status === "error" && t.message!.length > 0));
  });

  it("an unknown slug and a missing folder give an error results.json and exit 0", () => {
    const unknown = run("two-fer", solution("unknown", reference));
    assert.deepEqual([unknown.status, unknown.tests], ["error", []]);
    assert.match(
      unknown.message!,
      /^Unknown exercise "two-fer": this test runner grades sleep-and-gather, /,
    );
    const missing = run("sleep-and-gather", join(dir, "nowhere"));
    assert.equal(missing.message, `The solution folder ${join(dir, "nowhere")} does not exist.`);
  });

  it("run.sh finds the workbook through WORKBOOK_ROOT when copied out of it (an image's bin/)", () => {
    const bin = join(dir, "image", "bin");
    mkdirSync(bin, { recursive: true });
    cpSync(RUN_SH, join(bin, "run.sh"));
    const out = join(dir, "image-out");
    const env = { ...process.env, WORKBOOK_ROOT: TOOL_ROOT };
    const r = spawnSync(SH, [join(bin, "run.sh"), "nope", dir, out], { encoding: "utf8", env });
    assert.equal(r.status, 0, r.stderr);
    assert.match(JSON.parse(readFileSync(join(out, "results.json"), "utf8")).message, /^Unknown/);
    const lost = spawnSync(SH, [join(bin, "run.sh"), "nope", dir, out], {
      encoding: "utf8",
      env: { ...process.env, WORKBOOK_ROOT: "" },
    });
    assert.equal(lost.status, 3, "no workbook above it: the runner failed");
    const doc = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    assert.deepEqual(exercismProblems(doc), []);
    assert.match(doc.message, /^The test runner failed: no workbook found/);
  });
});
