/**
 * Plans a grading run: the units to grade (one per exercise, mutant or alternative, each with the
 * stub files to put in place), the suite's test files, and how units are split into batches.
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { GradeOptions } from "./grade_options.ts";
import { listAlternatives, listMutants } from "./mutants.ts";
import { pathPresent } from "./path_present.ts";
import type { Exercise } from "./types.ts";
import type { Unit } from "./workspace.ts";

/**
 * The exercises as the chosen suite sees them: for the CPython suite, each exercise that has
 * conformance files, with those files as its tests.
 *
 * @param exercises Discovered exercises.
 * @param suite The suite.
 * @returns Exercises to grade.
 */
export function suiteExercises(
  exercises: Exercise[],
  suite: "grade" | "cpython" = "grade",
): Exercise[] {
  if (suite === "grade") return exercises;
  return exercises
    .filter((e) => e.cpythonFiles.length > 0)
    .map((e) => ({
      ...e,
      testFiles: e.cpythonFiles,
      expected: e.cpythonExpected,
      meta: { ...e.meta, weights: {} },
    }));
}

/** The wall-clock limit of a unit, seconds. */
export function timeoutOf(u: Unit, o: GradeOptions): number {
  return o.timeoutSec ?? u.exercise.meta.timeoutSec;
}

/**
 * What a batch's tests may read under Deno: for each real-time (Worker) exercise, its own files
 * except the test files, plus lib/; nothing for the others.
 */
export function readableFor(ws: string, batch: Unit[]): string[] {
  const paths = new Set<string>();
  for (const u of batch.filter((x) => x.exercise.meta.realTime)) {
    for (const f of readdirSync(join(ws, "exercises", u.wsDir))) {
      if (!/\.(test|hidden|cpython)\.ts$/.test(f)) paths.add(`exercises/${u.wsDir}/${f}`);
    }
    paths.add("lib");
  }
  return [...paths];
}

/** The unit's test files, relative to the workspace. */
export function unitFiles(u: Unit): string[] {
  return u.exercise.testFiles.map((f) => `exercises/${u.wsDir}/${f}`);
}

/** Splits units into `n` batches of similar test counts, keeping course order inside each. */
export function chunk(units: Unit[], n: number): Unit[][] {
  const k = Math.max(1, Math.min(n, units.length));
  const bins: { units: Unit[]; load: number }[] = Array.from(
    { length: k },
    () => ({ units: [], load: 0 }),
  );
  const sorted = [...units].sort((a, b) => b.exercise.expected.length - a.exercise.expected.length);
  for (const u of sorted) {
    const bin = bins.reduce((m, b) => (b.load < m.load ? b : m));
    bin.units.push(u);
    bin.load += u.exercise.expected.length + 1;
  }
  const order = new Map(units.map((u, i) => [u.key, i]));
  return bins.map((b) => b.units.sort((x, y) => order.get(x.key)! - order.get(y.key)!)).filter((
    b,
  ) => b.length > 0);
}

/** The root that holds `rel`: the pristine workbook when it has it, else the grader's. */
export function pickRoot(o: GradeOptions, rel: string): string {
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
): {
  units: Unit[];
  mutants: Map<string, { exercise: string; mutant: string; description: string }>;
  broken: string[];
} {
  const units: Unit[] = [];
  const broken: string[] = [];
  const mutants = new Map<string, { exercise: string; mutant: string; description: string }>();
  const solRoot = pickRoot(o, "solutions");
  for (const ex of suiteExercises(o.exercises, o.suite)) {
    const from = (dir: string): Record<string, string | null> =>
      Object.fromEntries(
        ex.meta.stubs.map((s) => [s, pathPresent(join(dir, s)) ? join(dir, s) : null]),
      );
    if (o.mode === "mutants") {
      for (const m of listMutants(solRoot, ex)) {
        if (m.problem) {
          broken.push(
            `mutant solutions/${ex.dir}/mutants/${m.name}.patch was not graded: it ${m.problem}`,
          );
          continue;
        }
        const key = `${ex.dir}~${m.name}`;
        const stubSources = from(join(solRoot, "solutions", ex.dir));
        const wsDir = `${ex.dir}__${m.name}`;
        units.push({
          key,
          exercise: ex,
          wsDir,
          stubSources,
          stubTexts: m.files,
          ...(o.allTests ? {} : { stop: stopGroups(solRoot, ex, m.name, wsDir) }),
        });
        mutants.set(key, { exercise: ex.dir, mutant: m.name, description: m.description });
      }
      continue;
    }
    if (o.mode === "alternatives") {
      // Another correct style of the solution: files it lacks come from the reference solution.
      for (const alt of listAlternatives(solRoot, ex.dir)) {
        const stubSources = from(join(solRoot, "solutions", ex.dir));
        for (
          const [stub, path] of Object.entries(
            from(join(solRoot, "solutions", ex.dir, "alternatives", alt)),
          )
        ) {
          if (path !== null) stubSources[stub] = path;
        }
        units.push({
          key: `${ex.dir}~${alt}`,
          exercise: ex,
          wsDir: `${ex.dir}__alt_${alt}`,
          stubSources,
        });
      }
      continue;
    }
    const dir = o.mode === "solutions"
      ? join(solRoot, "solutions", ex.dir)
      : o.mode === "stubs"
      ? ex.pristineDir
      : join(o.submissionRoot, "exercises", ex.dir);
    units.push({
      key: ex.dir,
      exercise: ex,
      wsDir: ex.dir,
      stubSources: from(dir),
      ...(o.mode === "submission" ? { stubRoot: o.submissionRoot } : {}),
    });
  }
  return { units, mutants, broken };
}

/**
 * When a mutant's run may stop: once each row of the promise table that names it has a failing
 * test (rows' tests run first), or at its first failing test when no row names it. That decides
 * "caught" and the promise check in a few tests instead of all of them.
 *
 * @param root The root holding solutions/.
 * @param ex The exercise.
 * @param mutant The mutant's name.
 * @param wsDir The unit's folder in the workspace.
 * @returns The stop groups ("file\0name" per test, workspace-relative files).
 */
export function stopGroups(root: string, ex: Exercise, mutant: string, wsDir: string): string[][] {
  const file = join(root, "solutions", ex.dir, "promises.json");
  if (!existsSync(file)) return [];
  let rows: { tests?: unknown; mutants?: unknown }[];
  try {
    rows = (JSON.parse(readFileSync(file, "utf8")) as { promises?: typeof rows }).promises ?? [];
  } catch {
    // A malformed table is the lint's finding; the mutant then stops at its first failure.
    return [];
  }
  const fileOf = new Map(ex.expected.filter((t) => !t.group).map((t) => [t.name, t.file]));
  return rows
    .filter((r) => Array.isArray(r.mutants) && r.mutants.includes(mutant) && Array.isArray(r.tests))
    .map((r) =>
      (r.tests as string[]).filter((n) => fileOf.has(n)).map((n) =>
        `exercises/${wsDir}/${fileOf.get(n)}\u0000${n}`
      )
    )
    .filter((g) => g.length > 0);
}
