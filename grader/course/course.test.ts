import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { discoverExercises } from "../engine/discover.ts";
import { makeWorkbook, type FixtureDir } from "../fixtures/fixtures.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { currentRuntime, findBinary } from "../engine/runtimes.ts";
import { batchGrade } from "./batch.ts";
import { collectSubmission } from "./collect.ts";
import { exportGradescope } from "./export_gradescope.ts";
import { exportStudent, studentKeeps } from "./export_student.ts";
import { csvCell, formatGradebook } from "./gradebook.ts";
import { listFiles } from "./copy.ts";

const rt = currentRuntime() ?? "bun";
const bin = findBinary(rt, TOOL_ROOT)!;
const temp = (tag: string) => mkdtempSync(join(tmpdir(), `workbook-course-${tag}-`));

/** Runs a workbook's own grader CLI and returns its JSON report. */
function gradeJson(root: string, args: string[]): { score: number; exercises: { dir: string; score: number; tests: { name: string; status: string; hidden: boolean }[] }[] } {
  const main = join(root, "grader", "main.ts");
  const pre = rt === "deno" ? ["run", "-A", main] : [main];
  const r = spawnSync(bin, [...pre, ...args, "--runtime", rt, "--format", "json"], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  assert.equal(r.status, 0, `grade ${args.join(" ")} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe("studentKeeps()", () => {
  it("studentKeeps() drops solutions, mutants, hidden tests and the grader's own tests and fixtures", () => {
    for (const p of ["solutions/", "solutions/01_x/x.ts", "exercises/01_x/x.hidden.ts", "grader/fixtures/", "grader/grade.test.ts", "grader/learn/learn.test.ts", "grader/project_test.ts", "exercises/AUTHORING.md", ".ci/run", "grader/templates/gradescope/"]) {
      assert.equal(studentKeeps(p), false, p);
    }
    for (const p of ["README.md", "package.json", "package-lock.json", "lib/mod.ts", "lib/kit/probe.test.ts", "exercises/01_x/x.ts", "exercises/01_x/x.test.ts", "exercises/01_x/HINTS.md", "exercises/01_x/exercise.json", "grader/main.ts", "grader/learn/watch.ts"]) {
      assert.equal(studentKeeps(p), true, p);
    }
  });
});

describe("export --student", () => {
  let stu: string;
  before(() => {
    stu = join(temp("stu"), "copy");
    exportStudent(TOOL_ROOT, stu);
    symlinkSync(join(TOOL_ROOT, "node_modules"), join(stu, "node_modules"), "dir");
  });
  after(() => rmSync(join(stu, ".."), { recursive: true, force: true }));

  it("exportStudent() leaves out solutions, mutants, hidden tests and fixtures and adds the snapshot and workflow", () => {
    const files = listFiles(stu, () => true);
    assert.equal(files.some((f) => f.startsWith("solutions/") || f.includes("/mutants/") || f.endsWith(".hidden.ts") || f.includes("fixtures")), false);
    for (const ex of discoverExercises(TOOL_ROOT)) {
      for (const s of ex.meta.stubs) assert.ok(existsSync(join(stu, ".workbook", "pristine", "exercises", ex.dir, s)), `${ex.dir}/${s} snapshot`);
    }
    assert.ok(existsSync(join(stu, ".github", "workflows", "classroom.yml")));
    assert.equal(JSON.parse(readFileSync(join(stu, "package.json"), "utf8")).scripts.test, "bun test exercises");
    assert.throws(() => exportStudent(TOOL_ROOT, stu), /not empty/);
  });

  it("a student copy's visible tests fail on the stub and pass with the solution (bun test)", { timeout: 60_000 }, () => {
    const bun = findBinary("bun", TOOL_ROOT)!;
    const ex = discoverExercises(TOOL_ROOT)[0]!;
    const run = () => spawnSync(bun, ["test", `exercises/${ex.dir}`], { cwd: stu, encoding: "utf8" });
    assert.notEqual(run().status, 0, "the stub must fail its visible tests");
    for (const s of ex.meta.stubs) cpSync(join(TOOL_ROOT, "solutions", ex.dir, s), join(stu, "exercises", ex.dir, s));
    const ok = run();
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  });

  it("a student copy graded with --hidden-dir scores the same as the full workbook, hidden tests included", { timeout: 120_000 }, () => {
    const all = discoverExercises(TOOL_ROOT);
    const [a, b] = [all[0]!, all[1]!];
    for (const s of a.meta.stubs) cpSync(join(TOOL_ROOT, "solutions", a.dir, s), join(stu, "exercises", a.dir, s));
    const mutant = join(TOOL_ROOT, "solutions", b.dir, "mutants");
    const m = readFileSync(join(mutant, spawnSync("ls", [mutant], { encoding: "utf8" }).stdout.split("\n")[0]!), "utf8");
    writeFileSync(join(stu, "exercises", b.dir, b.meta.stubs[0]!), m);
    const fromCopy = gradeJson(stu, [a.id, b.id, "--hidden-dir", TOOL_ROOT]);
    const full = gradeJson(TOOL_ROOT, [a.id, b.id, "--submission", stu]);
    const shape = (r: typeof full) => r.exercises.map((e) => ({ dir: e.dir, score: e.score, tests: e.tests.map((t) => `${t.name}:${t.status}`) }));
    assert.deepEqual(shape(fromCopy), shape(full));
    assert.equal(fromCopy.exercises[0]!.score, 10);
    assert.ok(fromCopy.exercises[1]!.score < 10, "the mutant must lose points");
    assert.ok(fromCopy.exercises[0]!.tests.some((t) => t.hidden), "hidden tests must run");
    const visibleOnly = gradeJson(stu, [a.id]);
    assert.equal(visibleOnly.exercises[0]!.tests.some((t) => t.hidden), false);
  });
});

describe("export --gradescope", () => {
  it("exportGradescope() zips setup.sh, an executable run_autograder and the workbook with hidden tests, without solutions", () => {
    const dir = temp("gs");
    try {
      const zip = join(dir, "autograder.zip");
      const r = exportGradescope(TOOL_ROOT, zip);
      const names = Object.keys(unzipSync(readFileSync(zip)));
      assert.deepEqual(names.slice(0, 2), ["setup.sh", "run_autograder"]);
      assert.deepEqual(new Set(names), new Set(r.entries));
      assert.ok(names.some((n) => n.endsWith(".hidden.ts")));
      assert.ok(names.includes("package-lock.json") && names.includes("grader/main.ts"));
      assert.equal(names.some((n) => n.startsWith("solutions/") || n.includes("/mutants/") || n.includes("fixtures")), false);
      const script = readFileSync(join(TOOL_ROOT, "grader", "templates", "gradescope", "run_autograder"), "utf8");
      assert.match(script, /--runtime deno/);
      assert.match(script, /--format gradescope --out \/autograder\/results\/results.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("collectSubmission()", () => {
  let wb: FixtureDir;
  before(() => {
    wb = makeWorkbook();
  });
  after(() => wb.cleanup());

  it("collectSubmission() takes stubs from a workbook, exercise folders or loose files, and nothing else", () => {
    const src = temp("src");
    const dst = temp("dst");
    try {
      mkdirSync(join(src, "02_greet"), { recursive: true });
      writeFileSync(join(src, "02_greet", "greet.ts"), "// mine\n");
      writeFileSync(join(src, "add.ts"), "// loose\n");
      writeFileSync(join(src, "add.test.ts"), "// an edited test is ignored\n");
      symlinkSync("/etc/passwd", join(src, "later.ts"));
      const c = collectSubmission(src, discoverExercises(wb.path), dst);
      assert.deepEqual(c.found.sort(), ["01_add/add.ts", "02_greet/greet.ts"]);
      assert.deepEqual(c.missing, ["03_clock/later.ts"]);
      assert.match(c.refused.join("\n"), /symbolic link/);
      assert.equal(readFileSync(join(dst, "exercises", "01_add", "add.ts"), "utf8"), "// loose\n");
      assert.equal(readFileSync(join(dst, "exercises", "03_clock", "later.ts"), "utf8"), readFileSync(join(wb.path, "exercises", "03_clock", "later.ts"), "utf8"));
      assert.equal(existsSync(join(dst, "exercises", "01_add", "add.test.ts")), false);
    } finally {
      rmSync(src, { recursive: true, force: true });
      rmSync(dst, { recursive: true, force: true });
    }
  });
});

describe("batch", () => {
  let wb: FixtureDir;
  let dir: string;
  before(() => {
    wb = makeWorkbook();
    dir = temp("batch");
    const subs = join(dir, "subs");
    const put = (student: string, rel: string, text: string) => {
      mkdirSync(join(subs, student, rel, ".."), { recursive: true });
      writeFileSync(join(subs, student, rel), text);
    };
    const sol = (f: string) => readFileSync(join(wb.path, "solutions", f), "utf8");
    put("ada", "exercises/01_add/add.ts", sol("01_add/add.ts"));
    put("ada", "exercises/02_greet/greet.ts", sol("02_greet/greet.ts"));
    put("ada", "exercises/03_clock/later.ts", sol("03_clock/later.ts"));
    put("bob", "02_greet/greet.ts", sol("02_greet/greet.ts"));
    put("=cmd|x", "add.ts", "export function add(a: number, b: number): number {\n  while (Date.now() > 0) { /* spin */ }\n  return a + b;\n}\nexport async function addLater(a: number, b: number): Promise<number> {\n  return a + b;\n}\n");
    put("eve", "exercises/01_add/add.ts", 'console.log("10 passed, 0 failed");\nprocess.exit(0);\n' + sol("01_add/add.ts"));
    mkdirSync(join(subs, "empty"), { recursive: true });
  });
  after(() => {
    wb.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("batchGrade() writes one gradebook row and one JSON per student and survives hostile submissions", { timeout: 120_000 }, async () => {
    const out = join(dir, "book.csv");
    const r = await batchGrade({ toolRoot: TOOL_ROOT, dir: join(dir, "subs"), hiddenDir: wb.path, out, jobs: 3, runtime: rt, timeoutSec: 3 });
    const by = new Map(r.rows.map((x) => [x.student, x]));
    assert.deepEqual([...by.keys()].sort(), ["=cmd|x", "ada", "bob", "empty", "eve"]);
    assert.equal(by.get("ada")!.total, 30);
    assert.equal(by.get("bob")!.scores["02_greet"], 10);
    assert.equal(by.get("bob")!.scores["01_add"], 0);
    assert.equal(by.get("=cmd|x")!.scores["01_add"], 0);
    assert.match(by.get("=cmd|x")!.note, /cpu-loop/);
    assert.equal(by.get("eve")!.scores["01_add"], 0);
    assert.equal(by.get("empty")!.total, 0);
    assert.match(by.get("empty")!.note, /no stub files/);
    for (const x of r.rows) assert.equal(x.status, "graded", `${x.student}: ${x.note}`);
    const csv = readFileSync(out, "utf8").split("\n");
    assert.equal(csv[0], "student,01_add,02_greet,03_clock,total,max,status,note");
    assert.ok(csv.some((l) => l.startsWith("'=cmd|x,")), "formula-like names are defused");
    assert.ok(existsSync(join(dir, "book", "ada.json")));
    assert.equal(JSON.parse(readFileSync(join(dir, "book", "ada.json"), "utf8")).report.score, 30);
  });

  it("formatGradebook() quotes cells and fills missing scores with 0", () => {
    assert.equal(csvCell('a "b", c'), '"a ""b"", c"');
    assert.equal(csvCell("-1"), "'-1");
    assert.equal(csvCell(-1), "-1");
    const text = formatGradebook(["01_a"], [{ student: "x", scores: {}, total: 0, max: 10, status: "error", note: "n" }]);
    assert.equal(text, "student,01_a,total,max,status,note\nx,0,0,10,error,n\n");
  });
});
