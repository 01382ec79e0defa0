/**
 * The grading engine's entry: plans the units, runs them under each runtime, scores them and
 * merges the runtimes' results into one report (a test passes only if it passed everywhere).
 *
 * @module
 */

import { cleanText } from "../formats/sanitize.ts";
import { readSubmitted } from "./submitted.ts";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { GradeOptions } from "./grade_options.ts";
import { buildUnits } from "./plan.ts";
import { sandboxStatus } from "./sandbox.ts";
import { gradeRuntime, type UnitResult } from "./run.ts";
import { finish, MAX_POINTS, mergeExercise, NOT_RUN, round2 } from "./score.ts";
import { stubsEdited } from "./status.ts";
import { PristineView } from "./pristine_view.ts";
import type {
  ExerciseResult,
  MutantResult,
  Report,
  Runtime,
  RuntimeRun,
  TypeErrorItem,
} from "./types.ts";
import type { Unit } from "./workspace.ts";

export type { GradeOptions } from "./grade_options.ts";

function sameFile(a: string | null, b: string): boolean {
  if (a === null || !existsSync(b)) return false;
  // Never opened blindly: the submitted path may be a pipe or a link (see submitted.ts).
  const r = readSubmitted(a);
  return "bytes" in r && new TextDecoder().decode(r.bytes) === readFileSync(b, "utf8");
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
  if (o.sandbox === undefined) {
    const s = sandboxStatus();
    o = { ...o, sandbox: s.ok ? s.bwrap : false };
  }
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
    // Notes can quote what the code under test named (a global): cleaned like its output.
    warnings.push(...r.notes.map((n) => cleanText(n).slice(0, 1000)));
    perRuntime.set(runtime, r.results);
  }
  const scoreTE = o.typeErrors === "score";
  const inPlace = resolve(o.submissionRoot) === resolve(o.pristineRoot);
  // One reading of git for every exercise graded in place.
  const view = new PristineView(o.pristineRoot);
  const finalize = (u: Unit, r: ExerciseResult): ExerciseResult => {
    const te = typeErrors.get(u.key) ?? [];
    // Graded in place (a learner's own copy), the stubs are the pristine files' own folder:
    // whether they were edited is decided from the pristine snapshot or git instead.
    const unchanged = o.mode === "submission" &&
      (inPlace
        ? stubsEdited(o.pristineRoot, u.exercise.dir, view) === false
        : u.exercise.meta.stubs.every((s) =>
          sameFile(u.stubSources[s] ?? null, join(u.exercise.pristineDir, s))
        ));
    const named = o.mode === "alternatives" ? { ...r, dir: u.key } : r;
    return finish({ ...named, type_errors: te }, unchanged || o.mode === "stubs", scoreTE);
  };
  for (const runtime of o.runtimes) {
    const results = perRuntime.get(runtime)!;
    const exercises = o.mode === "mutants" ? [] : results.map((x) => finalize(x.unit, x.result));
    const mres: MutantResult[] | undefined = o.mode === "mutants"
      ? results.map((x) => {
        const info = mutants.get(x.unit.key)!;
        const failed = x.result.tests.filter((t) => t.status !== "pass" && t.message !== NOT_RUN)
          .map((t) => t.name);
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
    schedules: 1 + (o.mode === "mutants" ? 0 : o.schedules ?? 0),
    seed: o.seed ?? 0,
    ...(o.suite === "cpython" ? { suite: "cpython" as const } : {}),
  };
  if (o.mode === "mutants") {
    const merged: MutantResult[] = units.map((_u, i) => {
      const per = runs.map((r) => r.mutants![i]!);
      const caughtBy = [...new Set(per.flatMap((m) => m.caught_by))];
      return { ...per[0]!, caught: per.some((m) => m.caught), caught_by: caughtBy };
    });
    report.mutants = merged;
    report.mutation_score = merged.length > 0
      ? round2(merged.filter((m) => m.caught).length / merged.length)
      : 1;
  }
  return report;
}
