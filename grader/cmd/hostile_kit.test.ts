/**
 * The hostile-submission suite's kit (no tests of its own; the `hostile_*.test.ts` files use it):
 * grades a fixture submission through the real command line, under the runtime running the
 * suite, inside the sandbox, and checks what must hold whatever the submission does: the exact
 * score, the neighbours' full marks, no file of the workbook or the submission changed, no
 * process left behind, and a report that every format renders without escapes, controls, bidi
 * overrides, NUL or a secret (hostile_report.test.ts).
 *
 * @module
 */

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { makeSubmission, makeWorkbook } from "../fixtures/fixtures.ts";
import { currentRuntime, findBinary } from "../engine/runtimes.ts";
import { sandboxStatus } from "../engine/sandbox.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import type { Report, TestResult } from "../formats/result.ts";
import { assertClean, assertFormatsClean, strings, toReport } from "./hostile_report.test.ts";
import { processesWith, snapshot, watchTree } from "./hostile_watch.test.ts";

/** The runtime the suite runs under, which every case grades with. */
export const RT: "deno" | "bun" = currentRuntime() ?? "bun";

const sandbox = sandboxStatus();
/**
 * The suite's describe() options: skipped, saying why, where there is no sandbox (the grader
 * refuses to grade a submission there), except in CI, where a missing sandbox must fail.
 */
export const SUITE: { skip: string | false } = {
  skip: !sandbox.ok && !process.env.CI && `no sandbox here: ${sandbox.why}`,
};

/** The lines of the grading machine's /etc/passwd (no report may show one). */
export const PASSWD: string[] = readFileSync("/etc/passwd", "utf8").split("\n").filter((l) =>
  l.length >= 8
);

/** What a case changes in the grading run. */
export interface CaseOptions {
  /** `--timeout` (seconds per test). */
  timeoutSec?: number;
  /** Extra environment variables of the grader. */
  env?: Record<string, string>;
  /** Placeholders to replace in the submission's files (besides the built-in ones). */
  fill?: Record<string, string>;
  /** Strings that no report, format or message may contain. */
  forbidden?: string[];
  /** Grade the workbook's own copy in this mode instead of a submission. */
  mode?: "solutions";
  /** Real ms after which the grader itself is killed (default 60 s). */
  limitMs?: number;
}

/** What a graded case gave. */
export interface CaseRun {
  /** The report, read back from the JSON the command line wrote. */
  report: Report;
  /** Exit code of the grader. */
  code: number | null;
  /** Its stdout and stderr. */
  stdout: string;
  stderr: string;
  /** Wall ms. */
  ms: number;
  /** The case's marker (in the submission's text as `__MARKER__`). */
  marker: string;
}

const MAIN = join(TOOL_ROOT, "grader", "main.ts");

/**
 * Grades a fixture submission (02_greet and 03_clock solved) against the fixture workbook with
 * the real command line, and checks the workbook, the submission, the processes and the formats.
 *
 * @param name Folder under grader/fixtures/submissions.
 * @param o Options of the case.
 * @returns The run, for the case's own assertions.
 */
export async function gradeCase(name: string, o: CaseOptions = {}): Promise<CaseRun> {
  const token = randomBytes(8).toString("hex");
  const marker = `hostile-marker-${token}`;
  const wb = makeWorkbook();
  const sub = makeSubmission(wb.path, name);
  const outDir = mkdtempSync(join(tmpdir(), `hostile-out-${token}-`));
  try {
    const fill: Record<string, string> = {
      __WORKBOOK__: wb.path,
      __SUBMISSION__: sub.path,
      __MARKER__: marker,
      __TOKEN__: token,
      ...o.fill,
    };
    const dirLinks: [string, string][] = [];
    for (const [f, kind] of snapshot(sub.path)) {
      if (kind === "dir") continue;
      const text = readFileSync(join(sub.path, f), "utf8");
      const filled = Object.entries(fill).reduce((t, [k, v]) => t.replaceAll(k, v), text);
      // A file that says "// SYMLINK: target" becomes a symbolic link to the target, one that
      // says "// SYMLINK-DIR: target" turns its folder into one, "// FIFO" a named pipe.
      const special = /^\/\/ (SYMLINK: (\S+)|SYMLINK-DIR: (\S+)|FIFO)/.exec(filled);
      if (special?.[3]) {
        dirLinks.push([dirname(f), special[3]]);
        continue;
      }
      if (special) rmSync(join(sub.path, f));
      if (special?.[2]) symlinkSync(special[2], join(sub.path, f));
      else if (special) assert.equal(spawnSync("mkfifo", [join(sub.path, f)]).status, 0);
      else if (filled !== text) writeFileSync(join(sub.path, f), filled);
    }
    for (const [dir, target] of dirLinks) {
      rmSync(join(sub.path, dir), { recursive: true });
      symlinkSync(target, join(sub.path, dir));
    }
    const before = { wb: snapshot(wb.path), sub: snapshot(sub.path) };
    const out = join(outDir, "report.json");
    const args = [
      ...(RT === "deno" ? ["run", "-A", MAIN] : [MAIN]),
      "--hidden-dir",
      wb.path,
      "--submission",
      o.mode ? wb.path : sub.path,
      ...(o.mode ? [`--${o.mode}`] : []),
      "--format",
      "json",
      "--out",
      out,
      "--runtime",
      RT,
      // Bun alone is refused for submissions (bun:ffi); the suite still tests its defences.
      ...(RT === "bun" ? ["--unsafe-bun"] : []),
      ...(o.timeoutSec ? ["--timeout", String(o.timeoutSec)] : []),
      // One order: the autograders' extra schedules only re-run passing tests and can only turn a
      // pass into a fail, never raise a score, so the attacks are tested where they could; the
      // default itself is covered by grade.test.ts. (Four more orders would triple this suite.)
      "--schedules",
      "0",
    ];
    const t0 = Date.now();
    const run = await new Promise<
      { code: number | null; stdout: string; stderr: string; tree: { stop(): string[] } }
    >(
      (resolve) => {
        const child = spawn(findBinary(RT, TOOL_ROOT)!, args, {
          cwd: wb.path,
          env: { ...process.env, NO_COLOR: "1", ...o.env },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
        child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
        const guard = setTimeout(() => child.kill("SIGKILL"), o.limitMs ?? 60_000);
        const tree = watchTree(child.pid!);
        child.on("close", (code) => {
          clearTimeout(guard);
          resolve({ code, stdout, stderr, tree });
        });
      },
    );
    const ms = Date.now() - t0;
    // Nothing the grader or the submission started may outlive the grader: no descendant of it
    // seen while it ran, no process carrying the case's marker (a moment for the kernel to reap).
    const needles = [marker, token, sub.path, wb.path];
    const leftover = () => [...new Set([...run.tree.stop(), ...processesWith(needles)])];
    let left = leftover();
    for (let i = 0; i < 20 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = leftover();
    }
    for (const p of left) {
      try {
        process.kill(Number(p.split(":")[0]), "SIGKILL");
      } catch { /* it ended meanwhile */ }
    }
    assert.deepEqual(left, [], "processes outlived the grader");
    assert.deepEqual(snapshot(wb.path), before.wb, "the workbook changed");
    assert.deepEqual(snapshot(sub.path), before.sub, "the submission changed");
    assert.equal(run.code, 0, `grade exited ${run.code}: ${run.stderr.slice(-2000)}`);
    const raw = readFileSync(out, "utf8");
    const j = JSON.parse(raw) as Record<string, unknown>;
    for (const s of strings(j)) {
      assertClean("the report file (a string in it)", s, o.forbidden ?? []);
    }
    assertClean("the grader's stdout and stderr", run.stdout + run.stderr, o.forbidden ?? []);
    const report = toReport(j, RT);
    assertFormatsClean(report, o.forbidden);
    return { report, code: run.code, stdout: run.stdout, stderr: run.stderr, ms, marker };
  } finally {
    sub.cleanup();
    wb.cleanup();
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** One line per test of an exercise: status, name, reason and message (for assertion messages). */
export function describeTests(r: CaseRun, dir = "01_add"): string {
  const e = r.report.exercises.find((x) => x.dir === dir);
  if (!e) return `no exercise ${dir}`;
  return [
    `${dir}: ${e.score}/10 ${e.reason ?? ""}`,
    ...e.tests.map((t) => `  ${t.status} ${t.name} [${t.reason}] ${t.message.slice(0, 300)}`),
  ].join("\n");
}

/**
 * Asserts the exact score of 01_add and full marks for the solved neighbours (or 03_clock's
 * score, for the cases that attack it).
 *
 * @param r The run.
 * @param add 01_add's honest score.
 * @param clock 03_clock's honest score.
 */
export function assertScores(r: CaseRun, add: number, clock = 10): void {
  const got = Object.fromEntries(r.report.exercises.map((e) => [e.dir, e.score]));
  const want = { "01_add": add, "02_greet": 10, "03_clock": clock };
  assert.deepEqual(got, want, `${describeTests(r)}\n${describeTests(r, "03_clock")}`);
  assert.equal(r.report.score, add + 10 + clock);
}

/** A test's result by name. */
export function testOf(r: CaseRun, name: string, dir = "01_add"): TestResult {
  const t = r.report.exercises.find((e) => e.dir === dir)?.tests.find((x) => x.name === name);
  assert.ok(t, `no test "${name}" in ${dir}`);
  return t;
}
