/**
 * Scores a unit from its outcome: a verdict per declared test (a test without one fails),
 * weights, the exercise's points, status and reason, and the merge of several runtimes' results.
 *
 * @module
 */

import { passedPoints } from "../formats/points.ts";
import { cleanText } from "../formats/sanitize.ts";
import { capOutput, splitClockReport } from "./capture.ts";
import { redactHiddenSource } from "./redact.ts";
import { classifyMessage, NO_VERDICT, statusOf, taskIdOf } from "./classify.ts";
import type { UnitOutcome } from "./outcome.ts";
import type { ExerciseResult, ExerciseStatus, Runtime, TestResult, Verdict } from "./types.ts";
import type { Unit } from "./workspace.ts";

/** The message of a mutant's test that was not run because the mutant was already caught. */
export const NOT_RUN = "not run: the mutant was already caught by an earlier test";

/** Points per exercise. */
export const MAX_POINTS = 10;

/** Rounds to two decimals. */
export const round2 = (x: number) => Math.round(x * 100) / 100;

/** Plain data with every string (keys included) passed through `f`. */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === "string") return f(value);
  if (Array.isArray(value)) return value.map((x) => mapStrings(x, f));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [f(k), mapStrings(v, f)]),
  );
}

/**
 * Scores the declared tests of a unit from its runner outcome.
 *
 * @returns The exercise result (status computed without the "stubs unchanged" rule).
 */
export function scoreUnit(u: Unit, o: UnitOutcome): ExerciseResult {
  const ex = u.exercise;
  const tests: TestResult[] = [];
  const safe = (text: string) => redactHiddenSource(ex, cleanText(text));
  const warnings: string[] = [];
  let time = 0;
  const refusedStub = Object.entries(u.refused ?? {})[0];
  // A refused stub was replaced by a module that fails to load: its tests say why, not the
  // runtime's link error ("export 'add' not found").
  const tampered = refusedStub
    ? `crash: the grader did not take ${refusedStub[0]} from the submission: ${refusedStub[1]}`
    : o.tampering.length > 0
    ? `tampering: the code under test registered tests of its own (${o.tampering[0]})`
    : null;
  for (const t of ex.expected) {
    if (t.group) continue;
    const found = o.verdicts.get(t.file)?.get(t.name);
    const v: Verdict | undefined = tampered
      ? { status: "fail", message: tampered, details: "", time: found?.time ?? 0 }
      : found;
    const weight = ex.meta.weights[t.name] ?? 1;
    const { output: printed, virtualMs } = splitClockReport(
      o.outputs.get(t.file)?.get(t.name) ?? "",
    );
    // Printed output of a hidden test is withheld (its size is shown); any other is cleaned of
    // terminal escapes and the like, and of hidden test source.
    const shown = t.hidden && printed.trim()
      ? `[output withheld: ${
        new TextEncoder().encode(printed).length
      } bytes printed during a hidden test]`
      : printed.trim()
      ? safe(printed)
      : "";
    const output = capOutput(shown);
    const base = {
      name: t.name,
      file: t.file,
      hidden: t.hidden,
      weight,
      output,
      ...(virtualMs !== undefined ? { virtual_ms: virtualMs } : {}),
      ...(t.code !== undefined ? { test_code: t.code } : {}),
      line: t.line,
    };
    if (v) time += v.time;
    if (v && v.status === "pass") {
      tests.push({ ...base, status: "pass", message: "", reason: null, time: v.time });
    } else if (v && v.status === "fail") {
      // The kit's structured facts carry text the code under test chose (a describer, an event
      // name): cleaned and redacted like a message.
      const facts = {
        ...(v.timeline !== undefined ? { timeline: mapStrings(v.timeline, safe) } : {}),
        ...(v.diagnosis !== undefined ? { diagnosis: mapStrings(v.diagnosis, safe) } : {}),
        ...(v.schedule !== undefined ? { schedule: mapStrings(v.schedule, safe) } : {}),
      };
      const reason = classifyMessage(v.message);
      const task = taskIdOf(v.message);
      tests.push({
        ...base,
        status: statusOf(reason),
        message: capOutput(safe(v.message)),
        reason,
        time: v.time,
        ...facts,
        ...(task !== undefined ? { task_id: task } : {}),
      });
    } else {
      const load = o.loadErrors.get(t.file);
      const message = o.stopped && load === undefined
        ? NOT_RUN
        : load !== undefined
        ? `crash: the test file did not load: ${load}`
        : o.gaveUp ?? NO_VERDICT;
      const reason = classifyMessage(message);
      tests.push({
        ...base,
        status: statusOf(reason),
        message: capOutput(safe(message)),
        reason,
        time: 0,
      });
    }
  }
  const expectedNames = new Set(ex.expected.map((t) => `${t.file}\u0000${t.name}`));
  for (const [file, m] of o.verdicts) {
    for (const name of m.keys()) {
      if (!expectedNames.has(`${file}\u0000${name}`)) {
        warnings.push(
          safe(
            `ignored a test the pristine sources do not declare: ${file}: ${name.slice(0, 200)}`,
          ),
        );
      }
    }
  }
  const missing = Object.entries(u.stubSources).filter(([, src]) => src === null).map(([s]) => s);
  let reason: string | undefined;
  const loadError = [...o.loadErrors].find(([f]) => ex.testFiles.includes(f));
  if (tampered) reason = `${tampered}; every test of the exercise fails`;
  else if (missing.length > 0) {
    reason = `crash: missing stub file(s) in the submission: ${missing.join(", ")}`;
  } else if (loadError) {
    reason = `crash: ${loadError[0]} did not load: ${loadError[1].split("\n")[0]}`;
  } else if (o.gaveUp) reason = o.gaveUp;
  else {
    const memory = tests.filter((t) => /^killed: memory/.test(t.message)).length;
    const loops = tests.filter((t) => t.reason === "cpu-loop").length - memory;
    const crashes = tests.filter((t) => t.reason === "crash").length;
    if (memory > 0 && loops === 0) {
      reason = `cpu-loop: ${memory} test(s) were stopped when memory grew past the limit`;
    } else if (loops > 0) {
      reason = `cpu-loop: ${loops} test(s) never finished and were stopped at the deadline`;
    } else if (crashes > 0) reason = `crash: the process ended during ${crashes} test(s)`;
  }
  return finish({
    id: ex.id,
    dir: ex.dir,
    slug: ex.slug,
    title: ex.meta.title,
    score: 0,
    max_score: MAX_POINTS,
    status: "in-progress",
    ...(reason ? { reason: safe(reason) } : {}),
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
export function exerciseStatus(
  tests: TestResult[],
  score: number,
  stubsUnchanged: boolean,
): ExerciseStatus {
  if (stubsUnchanged || (tests.length > 0 && tests.every((t) => t.reason === "not-started"))) {
    return "not-started";
  }
  if (tests.length > 0 && tests.every((t) => t.status === "pass") && score === MAX_POINTS) {
    return "done";
  }
  return "in-progress";
}

/** Recomputes score and status from tests. */
export function finish(
  r: ExerciseResult,
  stubsUnchanged = false,
  scoreTypeErrors = false,
): ExerciseResult {
  // The sum of the passed tests' points, shared to the cent (formats/points.ts): the per-test
  // points of every format add up to it exactly.
  let score = passedPoints(MAX_POINTS, r.tests);
  let reason = r.reason;
  if (scoreTypeErrors && r.type_errors.length > 0) {
    score = 0;
    reason = `type-error: ${r.type_errors.length} type error(s) in the stub files`;
  }
  const out: ExerciseResult = {
    ...r,
    score,
    status: exerciseStatus(r.tests, score, stubsUnchanged),
  };
  if (reason) out.reason = reason;
  else delete out.reason;
  return out;
}

/** Merges one exercise's results across runtimes: a test passes only if it passed on every runtime. */
export function mergeExercise(rs: { runtime: Runtime; r: ExerciseResult }[]): ExerciseResult {
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
