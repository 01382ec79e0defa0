import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverExercises } from "../engine/discover.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { listMutants } from "../engine/mutants.ts";
import { currentRuntime, findBinary } from "../engine/runtimes.ts";
import { exportStudent, studentKeeps } from "./export_student.ts";
import { listFiles } from "./copy.ts";

const rt = currentRuntime() ?? "bun";
const bin = findBinary(rt, TOOL_ROOT)!;
const temp = (tag: string) => mkdtempSync(join(tmpdir(), `workbook-course-${tag}-`));

/** Runs a workbook's own grader CLI and returns its JSON report. */
function gradeJson(
  root: string,
  args: string[],
): {
  score: number;
  exercises: {
    dir: string;
    score: number;
    tests: { name: string; status: string; hidden: boolean }[];
  }[];
} {
  const main = join(root, "grader", "main.ts");
  const pre = rt === "deno" ? ["run", "-A", main] : [main];
  const extra = rt === "bun" && args.includes("--submission") ? ["--unsafe-bun"] : [];
  const r = spawnSync(bin, [...pre, ...args, "--runtime", rt, ...extra, "--format", "json"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  assert.equal(r.status, 0, `grade ${args.join(" ")} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe("studentKeeps()", () => {
  it("studentKeeps() drops solutions, mutants, hidden tests and the grader's own tests and fixtures", () => {
    for (
      const p of [
        "solutions/",
        "solutions/01_x/x.ts",
        "exercises/01_x/x.hidden.ts",
        "grader/fixtures/",
        "grader/grade.test.ts",
        "grader/learn/learn.test.ts",
        "grader/project_test.ts",
        "exercises/AUTHORING.md",
        ".ci/run",
        "grader/templates/gradescope/",
      ]
    ) {
      assert.equal(studentKeeps(p), false, p);
    }
    for (
      const p of [
        "README.md",
        "package.json",
        "package-lock.json",
        "lib/mod.ts",
        "lib/kit/probe.test.ts",
        "exercises/01_x/x.ts",
        "exercises/01_x/x.test.ts",
        "exercises/01_x/HINTS.md",
        "exercises/01_x/exercise.json",
        "grader/main.ts",
        "grader/learn/watch.ts",
      ]
    ) {
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
  }, { timeout: 120_000 });
  after(() => rmSync(join(stu, ".."), { recursive: true, force: true }));

  it(
    "exportStudent() leaves out solutions, mutants, hidden tests and fixtures and adds the snapshot and workflow",
    {
      timeout: 60_000,
    },
    () => {
      const files = listFiles(stu, () => true);
      assert.equal(
        files.some((f) =>
          f.startsWith("solutions/") || f.includes("/mutants/") || f.endsWith(".hidden.ts") ||
          f.includes("fixtures")
        ),
        false,
      );
      for (const ex of discoverExercises(TOOL_ROOT)) {
        for (const s of ex.meta.stubs) {
          assert.ok(
            existsSync(join(stu, ".workbook", "pristine", "exercises", ex.dir, s)),
            `${ex.dir}/${s} snapshot`,
          );
        }
      }
      assert.ok(existsSync(join(stu, ".github", "workflows", "classroom.yml")));
      assert.equal(
        JSON.parse(readFileSync(join(stu, "package.json"), "utf8")).scripts.test,
        "bun test exercises",
      );
      assert.throws(() => exportStudent(TOOL_ROOT, stu), /not empty/);
    },
  );

  it("a student copy's README names only commands its package.json and deno.json have, and files it has", () => {
    const readme = readFileSync(join(stu, "README.md"), "utf8");
    const scripts = JSON.parse(readFileSync(join(stu, "package.json"), "utf8")).scripts;
    const tasks = JSON.parse(readFileSync(join(stu, "deno.json"), "utf8")).tasks;
    const problems: string[] = [];
    // Commands: `deno task X` needs a deno.json task, `bun run X` / `npm run X` a script.
    for (const m of readme.matchAll(/\b(deno task|bun run|npm run|npm) ([a-z][\w:-]*)/g)) {
      const [what, tool, name] = [m[0], m[1]!, m[2]!];
      if (tool === "npm" && name !== "test") continue;
      const has = tool === "deno task" ? name in tasks : name in scripts;
      if (!has) {
        problems.push(
          `command ${what}: not in the copy's ${
            tool === "deno task" ? "deno.json" : "package.json"
          }`,
        );
      }
    }
    for (const m of readme.matchAll(/^\| `([\w:-]+)` +\|/gm)) {
      if (!(m[1]! in scripts && m[1]! in tasks)) problems.push(`commands table: ${m[1]}`);
    }
    // Files and folders: code spans, link targets and the layout's first column. Placeholders
    // (NN_slug, <time>, *.ts) and what installing or grading creates are not files to look for.
    const made = /^(node_modules|\.workbook-progress\.json|\.workbook\/backups|origin\/)/;
    const paths = [
      ...[...readme.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!),
      ...[...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!),
      ...(/## Layout\n\n```\n([\s\S]*?)```/.exec(readme)?.[1] ?? "").split("\n")
        .map((l) => l.split(/\s+/)[0]!).filter(Boolean),
    ].filter((p) => /^\.?[\w-]+\/|^[\w-]+\.(md|ts|json|cjs|yml)$/.test(p) && !p.includes("://"));
    assert.ok(paths.length > 10, `the README names files: ${paths.join(" ")}`);
    for (const p of new Set(paths)) {
      if (/NN|_slug|<|\*|NAME/.test(p) || made.test(p)) continue;
      // A bare file name is an exercise's own file (HINTS.md); the others are from the root.
      const found = p.includes("/")
        ? existsSync(join(stu, p))
        : discoverExercises(stu).some((e) => existsSync(join(e.pristineDir, p))) ||
          existsSync(join(stu, p));
      if (!found) problems.push(`file ${p}: not in the copy`);
    }
    // Nothing the copy cannot do: no bench, no project test-suite or self-check, no solutions.
    for (
      const word of [
        /\bbench\b/i,
        /test-suite/i,
        /self-check/i,
        /AUTHORING/,
        /solutions\//,
        /\.ci\//,
      ]
    ) {
      for (const line of readme.split("\n").filter((l) => word.test(l))) {
        problems.push(`${word}: ${line}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it("a student copy's visible tests fail on the stub and pass with the solution (bun test)", {
    timeout: 60_000,
  }, () => {
    const bun = findBinary("bun", TOOL_ROOT)!;
    const ex = discoverExercises(TOOL_ROOT)[0]!;
    const run = () =>
      spawnSync(bun, ["test", `exercises/${ex.dir}`], { cwd: stu, encoding: "utf8" });
    assert.notEqual(run().status, 0, "the stub must fail its visible tests");
    for (const s of ex.meta.stubs) {
      cpSync(join(TOOL_ROOT, "solutions", ex.dir, s), join(stu, "exercises", ex.dir, s));
    }
    const ok = run();
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  });

  it(
    "a student copy graded with --hidden-dir scores the same as the full workbook, hidden tests included",
    { timeout: 120_000 },
    () => {
      const all = discoverExercises(TOOL_ROOT);
      const [a, b] = [all[0]!, all[1]!];
      for (const s of a.meta.stubs) {
        cpSync(
          join(TOOL_ROOT, "solutions", a.dir, s),
          join(stu, "exercises", a.dir, s),
        );
      }
      const [m] = listMutants(TOOL_ROOT, b);
      for (const [stub, text] of Object.entries(m!.files)) {
        writeFileSync(join(stu, "exercises", b.dir, stub), text);
      }
      const fromCopy = gradeJson(stu, [a.id, b.id, "--hidden-dir", TOOL_ROOT]);
      const full = gradeJson(TOOL_ROOT, [a.id, b.id, "--submission", stu]);
      const shape = (r: typeof full) =>
        r.exercises.map((e) => ({
          dir: e.dir,
          score: e.score,
          tests: e.tests.map((t) => `${t.name}:${t.status}`),
        }));
      assert.deepEqual(shape(fromCopy), shape(full));
      assert.equal(fromCopy.exercises[0]!.score, 10);
      assert.ok(fromCopy.exercises[1]!.score < 10, "the mutant must lose points");
      assert.ok(fromCopy.exercises[0]!.tests.some((t) => t.hidden), "hidden tests must run");
      const visibleOnly = gradeJson(stu, [a.id]);
      assert.equal(visibleOnly.exercises[0]!.tests.some((t) => t.hidden), false);
    },
  );
});
