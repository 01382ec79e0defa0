/**
 * The hostile-submission suite's kit (no tests of its own; the `hostile_*.test.ts` files use it):
 * grades a fixture submission through the real command line, under the runtime running the
 * suite, inside the sandbox, and checks what must hold whatever the submission does: the exact
 * score, the neighbours' full marks, no file of the workbook or the submission changed, no
 * process left behind, and a report that every format renders without escapes, controls, bidi
 * overrides, NUL or a secret.
 *
 * @module
 */

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SaxesParser } from "saxes";
import { makeSubmission, makeWorkbook } from "../fixtures/fixtures.ts";
import { currentRuntime, findBinary } from "../engine/runtimes.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { formatPrettyFull } from "../formats/failure.ts";
import { formatClassroom } from "../formats/classroom.ts";
import { formatGradescope } from "../formats/gradescope.ts";
import { formatJson } from "../formats/json.ts";
import { formatJUnit } from "../formats/junit.ts";
import { formatMarkdown } from "../formats/markdown.ts";
import { formatPretty } from "../formats/pretty.ts";
import type { Report, TestResult } from "../formats/result.ts";

/** The runtime the suite runs under, which every case grades with. */
export const RT: "deno" | "bun" = currentRuntime() ?? "bun";

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

const BAD =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Every file, folder and link under a folder, with a hash of each file's content. */
export function snapshot(dir: string, rel = "", out = new Map<string, string>()) {
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = lstatSync(join(dir, r));
    if (st.isSymbolicLink()) out.set(r, `link ${readlinkSync(join(dir, r))}`);
    else if (st.isDirectory()) {
      out.set(r, "dir");
      snapshot(dir, r, out);
    } else {
      const h = createHash("sha256").update(readFileSync(join(dir, r))).digest("hex");
      out.set(r, `${st.mode.toString(8)} ${h}`);
    }
  }
  return out;
}

/** Processes whose command line holds one of the needles (not this one). */
export function processesWith(needles: string[]): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    let cmd = "";
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\u0000", " ");
    } catch {
      continue; // it ended meanwhile
    }
    if (needles.some((n) => cmd.includes(n))) found.push(`${pid}: ${cmd.slice(0, 200)}`);
  }
  return found;
}

/** Strings of a parsed JSON document, deep. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) strings(x, strings(k, out));
  }
  return out;
}

/** Throws when some text carries what no report may, naming where. */
function assertClean(where: string, text: string, forbidden: string[]): void {
  const m = BAD.exec(text);
  assert.equal(
    m,
    null,
    `${where}: U+${m?.[0].charCodeAt(0).toString(16).padStart(4, "0")} in ${
      JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 60), (m?.index ?? 0) + 40))
    }`,
  );
  for (const f of forbidden) {
    const at = text.indexOf(f);
    assert.ok(at < 0, `${where} shows ${JSON.stringify(f)}: ${text.slice(at - 80, at + 80)}`);
  }
}

/** Parses XML with saxes (strict: it throws on any malformation). */
function strictXml(xml: string): void {
  const parser = new SaxesParser();
  parser.on("error", (e) => {
    throw e;
  });
  parser.write(xml).close();
}

/** The report back from the JSON document (the fields the formats read). */
function toReport(j: Record<string, unknown>): Report {
  // deno-lint-ignore no-explicit-any
  const exercises = (j.exercises as any[]).map((e) => ({
    ...e,
    // deno-lint-ignore no-explicit-any
    tests: e.tests.map(({ test_code, ...t }: any): TestResult => ({
      ...t,
      time: 0,
      ...(test_code !== null ? { test_code } : {}),
    })),
  }));
  const r = j as unknown as Report;
  return {
    mode: r.mode,
    runs: [{ runtime: RT, score: r.score, max_score: r.max_score, exercises, time: r.time }],
    exercises,
    score: r.score,
    max_score: r.max_score,
    runtime: r.runtime,
    time: r.time,
    warnings: r.warnings,
  };
}

/**
 * Renders a report in every format and checks each: JSON parses, JUnit is well-formed XML, and
 * no text (nor any string inside the JSON ones) carries escapes, controls, bidi overrides, NUL,
 * lone surrogates or a forbidden string.
 */
export function assertFormatsClean(report: Report, forbidden: string[] = []): void {
  const texts: Record<string, string> = {
    json: formatJson(report),
    gradescope: formatGradescope(report, "hidden"),
    "gradescope (visible)": formatGradescope(report, "visible"),
    junit: formatJUnit(report),
    classroom: formatClassroom(report),
    markdown: formatMarkdown(report),
    pretty: formatPretty(report, { color: false }),
    "pretty (full)": formatPrettyFull(report, false),
  };
  strictXml(texts.junit!);
  for (const [name, text] of Object.entries(texts)) {
    assertClean(name, text, forbidden);
    if (name === "json" || name.startsWith("gradescope") || name === "classroom") {
      for (const s of strings(JSON.parse(text))) {
        assertClean(`${name} (a string in it)`, s, forbidden);
      }
    }
  }
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
    for (const [f, kind] of snapshot(sub.path)) {
      if (kind === "dir") continue;
      const text = readFileSync(join(sub.path, f), "utf8");
      const filled = Object.entries(fill).reduce((t, [k, v]) => t.replaceAll(k, v), text);
      if (filled !== text) writeFileSync(join(sub.path, f), filled);
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
      ...(o.timeoutSec ? ["--timeout", String(o.timeoutSec)] : []),
    ];
    const t0 = Date.now();
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
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
        const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
        child.on("close", (code) => {
          clearTimeout(guard);
          resolve({ code, stdout, stderr });
        });
      },
    );
    const ms = Date.now() - t0;
    // Nothing the submission started may outlive the grader (a moment for the kernel to reap).
    const needles = [marker, token, sub.path, wb.path];
    let left = processesWith(needles);
    for (let i = 0; i < 20 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = processesWith(needles);
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
    const report = toReport(j);
    assertFormatsClean(report, o.forbidden);
    return { report, ...run, ms, marker };
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
 * Asserts the exact score of 01_add and full marks for the solved neighbours.
 *
 * @param r The run.
 * @param add 01_add's honest score.
 */
export function assertScores(r: CaseRun, add: number): void {
  const got = Object.fromEntries(r.report.exercises.map((e) => [e.dir, e.score]));
  assert.deepEqual(got, { "01_add": add, "02_greet": 10, "03_clock": 10 }, describeTests(r));
  assert.equal(r.report.score, add + 20);
}

/** A test's result by name. */
export function testOf(r: CaseRun, name: string, dir = "01_add"): TestResult {
  const t = r.report.exercises.find((e) => e.dir === dir)?.tests.find((x) => x.name === name);
  assert.ok(t, `no test "${name}" in ${dir}`);
  return t;
}
