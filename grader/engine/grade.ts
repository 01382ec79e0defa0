/**
 * The grading engine: builds a workspace per runtime, runs the selected exercises' pristine tests
 * against the stubs under grade in one runner process per batch, falls back to one process per
 * exercise for any exercise whose verdicts are incomplete (or whose batch was killed), then scores
 * every declared test from the runner's JUnit report.
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { capOutput, splitClockReport } from "./capture.ts";
import { classifyMessage, cpuLoopMessage, NO_FILE_VERDICT, NO_VERDICT, statusOf, taskIdOf } from "./classify.ts";
import type { GroupIndex } from "./junit_report.ts";
import { listAlternatives, listMutants } from "./mutants.ts";
import { pool } from "./proc.ts";
import { reportPath, runTests, type TestRunResult } from "./runner.ts";
import { findBinary, MissingRuntimeError } from "./runtimes.ts";
import { stubsEdited } from "./status.ts";
import { typeCheck } from "./typecheck.ts";
import type {
  Exercise,
  ExerciseResult,
  ExerciseStatus,
  Mode,
  MutantResult,
  Report,
  Runtime,
  RuntimeRun,
  TestResult,
  TypeErrorItem,
  Verdict,
} from "./types.ts";
import { createWorkspace, type Unit } from "./workspace.ts";

/** Points per exercise. */
export const MAX_POINTS = 10;

/** Options of {@linkcode grade}. */
export interface GradeOptions {
  /** The grader's own workbook (node_modules, binaries). */
  toolRoot: string;
  /** Where pristine tests, lib and stubs come from (--hidden-dir, else toolRoot). */
  pristineRoot: string;
  /** The student's workbook (--submission, else toolRoot). */
  submissionRoot: string;
  /** Exercises to grade, in order. */
  exercises: Exercise[];
  /** What to grade in place of the stubs. */
  mode: Mode;
  /** Runtimes, in order. */
  runtimes: Runtime[];
  /** Per-exercise wall-clock limit overriding exercise.json, seconds. */
  timeoutSec?: number;
  /** Parallel processes (default: CPU count). */
  jobs?: number;
  /** Whether type errors cost the exercise its points. */
  typeErrors?: "report" | "score";
  /** Type-check the stub files. */
  typeCheck?: boolean;
  /** Ask the clock library for its virtual-time report (bench). */
  clockReport?: boolean;
  /** Kill a batch after this many seconds without output (default 5). */
  stallSec?: number;
  /** Run batches (default true); false runs every exercise in its own process. */
  batch?: boolean;
  /** Which tests: the graded ones (visible and hidden, default) or the CPython conformance cases. */
  suite?: "grade" | "cpython";
  /** Progress callback. */
  onProgress?: (done: number, total: number, label: string) => void;
}

/**
 * The exercises as the chosen suite sees them: for the CPython suite, each exercise that has
 * conformance files, with those files as its tests.
 *
 * @param exercises Discovered exercises.
 * @param suite The suite.
 * @returns Exercises to grade.
 */
export function suiteExercises(exercises: Exercise[], suite: "grade" | "cpython" = "grade"): Exercise[] {
  if (suite === "grade") return exercises;
  return exercises
    .filter((e) => e.cpythonFiles.length > 0)
    .map((e) => ({ ...e, testFiles: e.cpythonFiles, expected: e.cpythonExpected, meta: { ...e.meta, weights: {} } }));
}

/** What the runner said about one unit, keyed by the exercise-relative test file. */
interface UnitOutcome {
  verdicts: Map<string, Map<string, Verdict>>;
  outputs: Map<string, Map<string, string>>;
  killedAfter: number | null;
  /** Why the process was killed, when it was. */
  killedBy: "timeout" | "stall" | "memory" | null;
  reportedFiles: Set<string>;
  reported: boolean;
  text: string;
  code: number | null;
  rawText: string;
  /** Signs that the code under test registered tests of its own: every test of the unit fails. */
  tampering: string[];
}

/** Per-run result of one unit before merging. */
interface UnitResult {
  unit: Unit;
  result: ExerciseResult;
  stdoutText: string;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function timeoutOf(u: Unit, o: GradeOptions): number {
  return o.timeoutSec ?? u.exercise.meta.timeoutSec;
}

/**
 * What a batch's tests may read under Deno: for each real-time (Worker) exercise, its own files
 * except the test files, plus lib/; nothing for the others.
 */
function readableFor(ws: string, batch: Unit[]): string[] {
  const paths = new Set<string>();
  for (const u of batch.filter((x) => x.exercise.meta.realTime)) {
    for (const f of readdirSync(join(ws, "exercises", u.wsDir))) {
      if (!/\.(test|hidden|cpython)\.ts$/.test(f)) paths.add(`exercises/${u.wsDir}/${f}`);
    }
    paths.add("lib");
  }
  return [...paths];
}

function unitFiles(u: Unit): string[] {
  return u.exercise.testFiles.map((f) => `exercises/${u.wsDir}/${f}`);
}

function groupIndex(units: Unit[]): GroupIndex {
  const idx: GroupIndex = new Map();
  for (const u of units) {
    for (const f of u.exercise.testFiles) {
      idx.set(
        `exercises/${u.wsDir}/${f}`,
        new Set(u.exercise.expected.filter((t) => t.file === f && t.group && !t.name.includes(" > ")).map((t) => t.name)),
      );
    }
  }
  return idx;
}

/**
 * The signs of tampering that concern a unit: anomalies of its own files, anomalies no unit of the
 * run owns, and verdicts registered at another line than the pristine test's call.
 */
function tamperingOf(u: Unit, r: TestRunResult, run: Unit[]): string[] {
  const dirOf = (file: string | null) => file === null ? undefined : /^exercises\/([^/]+)\//.exec(file)?.[1];
  const owned = new Set(run.map((x) => x.wsDir));
  const out = r.anomalies
    .filter((a) => {
      const dir = dirOf(a.file);
      return dir === u.wsDir || dir === undefined || !owned.has(dir);
    })
    .map((a) => a.what);
  for (const t of u.exercise.expected) {
    const line = r.verdicts.get(`exercises/${u.wsDir}/${t.file}`)?.get(t.name)?.line;
    if (line !== undefined && line !== t.line) out.push(`${t.file}: "${t.name}" registered at line ${line}, declared at line ${t.line}`);
  }
  return out;
}

function extract(u: Unit, r: TestRunResult, timeoutSec: number, run: Unit[]): UnitOutcome {
  const verdicts = new Map<string, Map<string, Verdict>>();
  const outputs = new Map<string, Map<string, string>>();
  const reportedFiles = new Set<string>();
  for (const f of u.exercise.testFiles) {
    const key = `exercises/${u.wsDir}/${f}`;
    const v = r.verdicts.get(key);
    if (v) {
      verdicts.set(f, v);
      reportedFiles.add(f);
    }
    const out = r.outputs.get(key);
    if (out) outputs.set(f, out);
  }
  return {
    verdicts,
    outputs,
    killedAfter: r.killed ? timeoutSec : null,
    killedBy: r.killed,
    reportedFiles,
    reported: r.reported,
    text: r.text,
    code: r.code,
    rawText: r.text,
    tampering: tamperingOf(u, r, run),
  };
}

function complete(u: Unit, o: UnitOutcome): boolean {
  return u.exercise.expected.every((t) => {
    if (t.group) return true;
    const v = o.verdicts.get(t.file)?.get(t.name);
    return v !== undefined && v.status !== "skipped";
  });
}

/** The unit whose test file the runner announced last (where a killed batch was stuck). */
function lastStarted(text: string, batch: Unit[]): Unit | undefined {
  let last: string | undefined;
  for (const line of text.split("\n")) {
    const m = /^running \d+ tests? from \.\/(exercises\/\S+)$/.exec(line) ?? /^(exercises\/\S+\.(?:test|hidden|cpython)\.ts):$/.exec(line);
    if (m) last = m[1];
  }
  const dir = last?.split("/")[1];
  return dir === undefined ? undefined : batch.find((u) => u.wsDir === dir);
}

/** Splits units into `n` batches of similar test counts, keeping course order inside each. */
function chunk(units: Unit[], n: number): Unit[][] {
  const k = Math.max(1, Math.min(n, units.length));
  const bins: { units: Unit[]; load: number }[] = Array.from({ length: k }, () => ({ units: [], load: 0 }));
  const sorted = [...units].sort((a, b) => b.exercise.expected.length - a.exercise.expected.length);
  for (const u of sorted) {
    const bin = bins.reduce((m, b) => (b.load < m.load ? b : m));
    bin.units.push(u);
    bin.load += u.exercise.expected.length + 1;
  }
  const order = new Map(units.map((u, i) => [u.key, i]));
  return bins.map((b) => b.units.sort((x, y) => order.get(x.key)! - order.get(y.key)!)).filter((b) => b.length > 0);
}

/**
 * Scores the declared tests of a unit from its runner outcome.
 *
 * @returns The exercise result (status computed without the "stubs unchanged" rule).
 */
function scoreUnit(u: Unit, o: UnitOutcome): ExerciseResult {
  const ex = u.exercise;
  const tests: TestResult[] = [];
  const warnings: string[] = [];
  let time = 0;
  const tampered = o.tampering.length > 0 ? `tampering: the code under test registered tests of its own (${o.tampering[0]})` : null;
  for (const t of ex.expected) {
    if (t.group) continue;
    const found = o.verdicts.get(t.file)?.get(t.name);
    const v: Verdict | undefined = tampered ? { status: "fail", message: tampered, details: "", time: found?.time ?? 0 } : found;
    const weight = ex.meta.weights[t.name] ?? 1;
    const { output: printed, virtualMs } = splitClockReport(o.outputs.get(t.file)?.get(t.name) ?? "");
    const output = capOutput(printed.trim() ? printed : "");
    const base = {
      name: t.name,
      file: t.file,
      hidden: t.hidden,
      weight,
      output,
      ...(virtualMs !== undefined ? { virtual_ms: virtualMs } : {}),
      ...(t.code !== undefined ? { test_code: t.code } : {}),
    };
    if (v) time += v.time;
    if (v && v.status === "pass") {
      tests.push({ ...base, status: "pass", message: "", reason: null, time: v.time });
    } else if (v && v.status === "fail") {
      const reason = classifyMessage(v.message);
      const task = taskIdOf(v.message);
      tests.push({
        ...base,
        status: statusOf(reason),
        message: capOutput(v.message),
        reason,
        time: v.time,
        ...(task !== undefined ? { task_id: task } : {}),
      });
    } else {
      const killed = o.killedAfter !== null;
      tests.push({
        ...base,
        status: "error",
        message: killed ? cpuLoopMessage(o.killedAfter!, o.killedBy ?? undefined) : o.reportedFiles.has(t.file) ? NO_VERDICT : NO_FILE_VERDICT,
        reason: killed ? "cpu-loop" : "crash",
        time: 0,
      });
    }
  }
  const expectedNames = new Set(ex.expected.map((t) => `${t.file}\u0000${t.name}`));
  for (const [file, m] of o.verdicts) {
    for (const name of m.keys()) {
      if (!expectedNames.has(`${file}\u0000${name}`)) warnings.push(`ignored a test the pristine sources do not declare: ${file}: ${name}`);
    }
  }
  const missing = Object.entries(u.stubSources).filter(([, src]) => src === null).map(([s]) => s);
  let reason: string | undefined;
  if (tampered) reason = `${tampered}; every test of the exercise fails`;
  else if (o.killedAfter !== null) reason = `cpu-loop: ${cpuLoopMessage(o.killedAfter, o.killedBy ?? undefined)}`;
  else if (missing.length > 0) reason = `crash: missing stub file(s) in the submission: ${missing.join(", ")}`;
  else if (!o.reported || o.reportedFiles.size < ex.testFiles.length) {
    const excerpt = o.text.split("\n").filter((l) => /error|Error/.test(l)).slice(0, 3).join(" | ").slice(0, 400);
    reason = o.reported
      ? `crash: a test file did not load or the process exited early${excerpt ? `: ${excerpt}` : ""}`
      : `crash: the runner wrote no report (exit code ${o.code})${excerpt ? `: ${excerpt}` : ""}`;
  }
  return finish({
    id: ex.id,
    dir: ex.dir,
    slug: ex.slug,
    title: ex.meta.title,
    score: 0,
    max_score: MAX_POINTS,
    status: "in-progress",
    ...(reason ? { reason } : {}),
    tests,
    type_errors: [],
    warnings,
    time: round2(time),
  });
}

/**
 * An exercise's status: "not-started" when its stubs are unchanged or every failure is the
 * stub's TODO error, "done" when every test passes at full marks, else "in-progress".
 *
 * @param tests The exercise's test results.
 * @param score Its points out of 10.
 * @param stubsUnchanged Whether the submitted stubs equal the pristine ones.
 * @returns The status.
 *
 * @example
 * ```ts
 * import { exerciseStatus } from "./grade.ts";
 * exerciseStatus([], 0, true); // "not-started"
 * ```
 */
export function exerciseStatus(tests: TestResult[], score: number, stubsUnchanged: boolean): ExerciseStatus {
  if (stubsUnchanged || (tests.length > 0 && tests.every((t) => t.reason === "not-started"))) return "not-started";
  if (tests.length > 0 && tests.every((t) => t.status === "pass") && score === MAX_POINTS) return "done";
  return "in-progress";
}

/** Recomputes score and status from tests. */
function finish(r: ExerciseResult, stubsUnchanged = false, scoreTypeErrors = false): ExerciseResult {
  const total = r.tests.reduce((s, t) => s + t.weight, 0);
  const passed = r.tests.filter((t) => t.status === "pass").reduce((s, t) => s + t.weight, 0);
  let score = total > 0 ? round2((MAX_POINTS * passed) / total) : 0;
  let reason = r.reason;
  if (scoreTypeErrors && r.type_errors.length > 0) {
    score = 0;
    reason = `type-error: ${r.type_errors.length} type error(s) in the stub files`;
  }
  const out: ExerciseResult = { ...r, score, status: exerciseStatus(r.tests, score, stubsUnchanged) };
  if (reason) out.reason = reason;
  else delete out.reason;
  return out;
}

function sameFile(a: string | null, b: string): boolean {
  if (a === null || !existsSync(b)) return false;
  return readFileSync(a, "utf8") === readFileSync(b, "utf8");
}

function pickRoot(o: GradeOptions, rel: string): string {
  return existsSync(join(o.pristineRoot, rel)) ? o.pristineRoot : o.toolRoot;
}

/**
 * The units to grade in a mode: one per exercise, or one per mutant.
 *
 * @param o Options.
 * @returns Units, with the mutants' descriptions by unit key.
 */
export function buildUnits(
  o: GradeOptions,
): { units: Unit[]; mutants: Map<string, { exercise: string; mutant: string; description: string }>; broken: string[] } {
  const units: Unit[] = [];
  const broken: string[] = [];
  const mutants = new Map<string, { exercise: string; mutant: string; description: string }>();
  const solRoot = pickRoot(o, "solutions");
  for (const ex of suiteExercises(o.exercises, o.suite)) {
    const from = (dir: string): Record<string, string | null> =>
      Object.fromEntries(ex.meta.stubs.map((s) => [s, existsSync(join(dir, s)) ? join(dir, s) : null]));
    if (o.mode === "mutants") {
      for (const m of listMutants(solRoot, ex)) {
        if (m.problem) {
          broken.push(`mutant solutions/${ex.dir}/mutants/${m.name}.patch was not graded: it ${m.problem}`);
          continue;
        }
        const key = `${ex.dir}~${m.name}`;
        const stubSources = from(join(solRoot, "solutions", ex.dir));
        units.push({ key, exercise: ex, wsDir: `${ex.dir}__${m.name}`, stubSources, stubTexts: m.files });
        mutants.set(key, { exercise: ex.dir, mutant: m.name, description: m.description });
      }
      continue;
    }
    if (o.mode === "alternatives") {
      // Another correct style of the solution: files it lacks come from the reference solution.
      for (const alt of listAlternatives(solRoot, ex.dir)) {
        const stubSources = from(join(solRoot, "solutions", ex.dir));
        for (const [stub, path] of Object.entries(from(join(solRoot, "solutions", ex.dir, "alternatives", alt)))) {
          if (path !== null) stubSources[stub] = path;
        }
        units.push({ key: `${ex.dir}~${alt}`, exercise: ex, wsDir: `${ex.dir}__alt_${alt}`, stubSources });
      }
      continue;
    }
    const dir = o.mode === "solutions"
      ? join(solRoot, "solutions", ex.dir)
      : o.mode === "stubs"
      ? ex.pristineDir
      : join(o.submissionRoot, "exercises", ex.dir);
    units.push({ key: ex.dir, exercise: ex, wsDir: ex.dir, stubSources: from(dir) });
  }
  return { units, mutants, broken };
}

/**
 * Grades units under one runtime.
 *
 * @returns Results per unit, and type errors when asked to check.
 */
async function gradeRuntime(
  runtime: Runtime,
  units: Unit[],
  o: GradeOptions,
  doTypeCheck: boolean,
): Promise<{ results: UnitResult[]; typeErrors: Map<string, TypeErrorItem[]>; notes: string[] }> {
  const bin = findBinary(runtime, o.toolRoot);
  if (!bin) throw new MissingRuntimeError(runtime);
  const jobs = o.jobs ?? availableParallelism();
  const ws = createWorkspace(pickRoot(o, "lib"), o.toolRoot, units);
  const notes: string[] = [];
  try {
    // The type check runs beside the tests (it only reads the workspace).
    const tcPromise = doTypeCheck
      ? typeCheck(
        findBinary("deno", o.toolRoot),
        ws.ws,
        units.flatMap((u) =>
          Object.entries(u.stubSources).filter(([, s]) => s !== null).map(([stub]) => `exercises/${u.wsDir}/${stub}`)
        ),
      )
      : null;
    const outcomes = new Map<string, UnitOutcome>();
    const groups = groupIndex(units);
    let done = 0;
    const progress = (label: string, n: number) => {
      done += n;
      o.onProgress?.(done, units.length, `${runtime}: ${label}`);
    };
    const runUnits = async (batch: Unit[], label: string, isolated: boolean) => {
      const limit = Math.max(...batch.map((u) => timeoutOf(u, o)));
      const r = await runTests({
        runtime,
        bin,
        ws: ws.ws,
        nodeModules: ws.nodeModules,
        reportFile: reportPath(ws.reports, `${runtime}-${label}`),
        files: batch.flatMap(unitFiles),
        // A batch gets its slowest exercise's limit plus 2 s per extra exercise: a CPU loop is
        // caught sooner by the stall kill, and one runner process is slower than one exercise.
        timeoutMs: (limit + 2 * (batch.length - 1)) * 1000,
        testTimeoutMs: limit * 1000,
        stallMs: isolated ? 0 : (o.stallSec ?? 5) * 1000,
        groups,
        clockReport: o.clockReport ?? true,
        readable: readableFor(ws.ws, batch),
      });
      const ocs = batch.map((u) => extract(u, r, limit, batch));
      // Tests registered by code under test can shift other exercises' verdicts in a batch: on any
      // sign of it, every exercise of the batch is graded alone.
      const clean = ocs.every((oc) => oc.tampering.length === 0);
      for (const [i, u] of batch.entries()) {
        const oc = ocs[i]!;
        if (isolated || (!r.killed && clean && complete(u, oc))) {
          outcomes.set(u.key, oc);
          progress(u.key, 1);
        }
      }
      return r;
    };
    // A killed batch names its culprit (the file it was running); the culprit is graded alone and
    // the rest of the batch runs again as a batch. Without a culprit, every unit is graded alone.
    const runBatch = async (batch: Unit[], label: string, depth: number): Promise<void> => {
      const r = await runUnits(batch, label, batch.length === 1);
      if (!r.killed || batch.length === 1) return;
      const culprit = lastStarted(r.text, batch);
      notes.push(
        `${runtime}: a batch of ${batch.length} was killed (${r.killed})` +
          (culprit ? ` while running ${culprit.key}; graded it alone` : "; graded each alone"),
      );
      if (!culprit || depth >= 6) return;
      const rest = batch.filter((u) => u !== culprit && !outcomes.has(u.key));
      if (rest.length > 0) await runBatch(rest, `${label}r`, depth + 1);
    };
    // Real-time exercises (Workers) run on their own: they alone get read access under Deno.
    const batchable = units.filter((u) => !u.exercise.meta.realTime);
    // Bun runs every test file of a process in one global scope: a submission's stub that
    // replaces a global (setTimeout, AbortController, a prototype) would change the verdicts of
    // the exercises after it. Deno runs each test file in its own isolate. So under Bun a
    // submission's exercises run one process each; the self-check modes grade trusted code.
    const shareGlobals = runtime === "bun" && o.mode === "submission";
    if (o.batch !== false && !shareGlobals && batchable.length > 1) {
      await Promise.all(chunk(batchable, jobs).map((c, i) => runBatch(c, `batch${i}`, 0)));
    }
    const rest = units.filter((u) => !outcomes.has(u.key));
    await pool(rest, jobs, (u) => runUnits([u], `solo-${u.key}`, true));
    let typeErrors = new Map<string, TypeErrorItem[]>();
    if (tcPromise) {
      const tc = await tcPromise;
      if (tc.skipped) notes.push(tc.skipped);
      typeErrors = new Map();
      for (const e of tc.errors) {
        const m = /^exercises\/([^/]+)\/(.*)$/.exec(e.file);
        const key = m ? units.find((u) => u.wsDir === m[1])?.key : undefined;
        if (!key || !m) continue;
        const list = typeErrors.get(key) ?? [];
        list.push({ ...e, file: `exercises/${m[1]}/${m[2]}` });
        typeErrors.set(key, list);
      }
    }
    const results = units.map((u) => {
      const oc = outcomes.get(u.key)!;
      return { unit: u, result: scoreUnit(u, oc), stdoutText: oc.rawText };
    });
    return { results, typeErrors, notes };
  } finally {
    ws.cleanup();
  }
}

/** Merges one exercise's results across runtimes: a test passes only if it passed on every runtime. */
function mergeExercise(rs: { runtime: Runtime; r: ExerciseResult }[]): ExerciseResult {
  if (rs.length === 1) return rs[0]!.r;
  const first = rs[0]!.r;
  const tests = first.tests.map((t, i) => {
    const bad = rs.find((x) => x.r.tests[i]!.status !== "pass");
    if (!bad) return t;
    const bt = bad.r.tests[i]!;
    return { ...bt, message: `[${bad.runtime}] ${bt.message}` };
  });
  const reasons = rs.filter((x) => x.r.reason).map((x) => `[${x.runtime}] ${x.r.reason}`);
  const merged: ExerciseResult = {
    ...first,
    tests,
    warnings: [...new Set(rs.flatMap((x) => x.r.warnings))],
    time: round2(rs.reduce((s, x) => s + x.r.time, 0)),
  };
  if (reasons.length > 0) merged.reason = reasons.join("; ");
  else delete merged.reason;
  return merged;
}

/**
 * Grades the selected exercises under the selected runtimes.
 *
 * @param o What and how to grade.
 * @returns The report.
 * @throws {MissingRuntimeError} When a runtime is not installed.
 *
 * @example
 * ```ts
 * const report = await grade({ toolRoot, pristineRoot: toolRoot, submissionRoot: toolRoot,
 *   exercises, mode: "solutions", runtimes: ["bun"] });
 * report.score === report.max_score; // true when every solution passes
 * ```
 */
export async function grade(o: GradeOptions): Promise<Report> {
  const started = Date.now();
  const { units, mutants, broken } = buildUnits(o);
  const runs: RuntimeRun[] = [];
  const perRuntime: Map<Runtime, UnitResult[]> = new Map();
  const warnings: string[] = [...broken];
  let typeErrors = new Map<string, TypeErrorItem[]>();
  const times = new Map<Runtime, number>();
  for (const [i, runtime] of o.runtimes.entries()) {
    const t0 = Date.now();
    const r = await gradeRuntime(runtime, units, o, i === 0 && (o.typeCheck ?? false));
    times.set(runtime, round2((Date.now() - t0) / 1000));
    if (i === 0) typeErrors = r.typeErrors;
    warnings.push(...r.notes);
    perRuntime.set(runtime, r.results);
  }
  const scoreTE = o.typeErrors === "score";
  const inPlace = resolve(o.submissionRoot) === resolve(o.pristineRoot);
  const finalize = (u: Unit, r: ExerciseResult): ExerciseResult => {
    const te = typeErrors.get(u.key) ?? [];
    // Graded in place (a learner's own copy), the stubs are the pristine files' own folder:
    // whether they were edited is decided from the pristine snapshot or git instead.
    const unchanged = o.mode === "submission" && (inPlace
      ? stubsEdited(o.pristineRoot, u.exercise.dir) === false
      : u.exercise.meta.stubs.every((s) => sameFile(u.stubSources[s] ?? null, join(u.exercise.pristineDir, s))));
    const named = o.mode === "alternatives" ? { ...r, dir: u.key } : r;
    return finish({ ...named, type_errors: te }, unchanged || o.mode === "stubs", scoreTE);
  };
  for (const runtime of o.runtimes) {
    const results = perRuntime.get(runtime)!;
    const exercises = o.mode === "mutants" ? [] : results.map((x) => finalize(x.unit, x.result));
    const mres: MutantResult[] | undefined = o.mode === "mutants"
      ? results.map((x) => {
        const info = mutants.get(x.unit.key)!;
        const failed = x.result.tests.filter((t) => t.status !== "pass").map((t) => t.name);
        return { ...info, caught: failed.length > 0, caught_by: failed };
      })
      : undefined;
    runs.push({
      runtime,
      score: round2(exercises.reduce((s, e) => s + e.score, 0)),
      max_score: exercises.length * MAX_POINTS,
      exercises,
      ...(mres ? { mutants: mres } : {}),
      time: times.get(runtime) ?? 0,
    });
  }
  const exercises = o.mode === "mutants" ? [] : units.map((u, i) =>
    finalize(
      u,
      mergeExercise(o.runtimes.map((rt) => ({ runtime: rt, r: perRuntime.get(rt)![i]!.result }))),
    )
  );
  const report: Report = {
    mode: o.mode,
    runs,
    exercises,
    score: round2(exercises.reduce((s, e) => s + e.score, 0)),
    max_score: exercises.length * MAX_POINTS,
    runtime: o.runtimes.length === 1 ? o.runtimes[0]! : "both",
    time: round2((Date.now() - started) / 1000),
    warnings,
  };
  if (o.mode === "mutants") {
    const merged: MutantResult[] = units.map((u, i) => {
      const per = runs.map((r) => r.mutants![i]!);
      const caughtBy = [...new Set(per.flatMap((m) => m.caught_by))];
      return { ...per[0]!, caught: per.some((m) => m.caught), caught_by: caughtBy };
    });
    report.mutants = merged;
    report.mutation_score = merged.length > 0 ? round2(merged.filter((m) => m.caught).length / merged.length) : 1;
  }
  return report;
}
