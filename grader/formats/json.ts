/**
 * The grader's own JSON format, schema version 1 (documented in grader/README.md). Per-test
 * fields follow the spirit of Exercism's test runner interface v3: name, status, message,
 * output, test_code (null for hidden tests), task_id.
 *
 * @module
 */

import type { ExerciseResult, Report, RuntimeRun } from "./result.ts";

/** The schema version this module writes. */
export const JSON_SCHEMA_VERSION = 1;

function exercise(e: ExerciseResult) {
  return {
    id: e.id,
    slug: e.slug,
    dir: e.dir,
    title: e.title,
    score: e.score,
    max_score: e.max_score,
    status: e.status,
    ...(e.reason ? { reason: e.reason } : {}),
    time: e.time,
    type_errors: e.type_errors,
    warnings: e.warnings,
    tests: e.tests.map((t) => ({
      name: t.name,
      file: t.file,
      status: t.status,
      hidden: t.hidden,
      message: t.message,
      output: t.output,
      reason: t.reason,
      weight: t.weight,
      ...(t.task_id !== undefined ? { task_id: t.task_id } : {}),
      ...(t.virtual_ms !== undefined ? { virtual_ms: t.virtual_ms } : {}),
      test_code: t.hidden ? null : t.test_code ?? null,
      ...(t.line !== undefined ? { line: t.line } : {}),
      ...(t.timeline !== undefined ? { timeline: t.timeline } : {}),
      ...(t.diagnosis !== undefined ? { diagnosis: t.diagnosis } : {}),
      ...(t.schedule !== undefined ? { schedule: t.schedule } : {}),
    })),
  };
}

function run(r: RuntimeRun) {
  return {
    runtime: r.runtime,
    score: r.score,
    max_score: r.max_score,
    time: r.time,
    exercises: r.exercises.map(exercise),
    ...(r.mutants ? { mutants: r.mutants } : {}),
  };
}

/**
 * The JSON document of a report.
 *
 * @param report The report.
 * @returns A plain object (schema version 1).
 */
export function toJsonObject(report: Report): Record<string, unknown> {
  return {
    schema_version: JSON_SCHEMA_VERSION,
    mode: report.mode,
    score: report.score,
    max_score: report.max_score,
    runtime: report.runtime,
    time: report.time,
    schedules: report.schedules ?? 1,
    seed: report.seed ?? 0,
    ...(report.suite ? { suite: report.suite } : {}),
    exercises: report.exercises.map(exercise),
    ...(report.runs.length > 1 ? { runs: report.runs.map(run) } : {}),
    ...(report.mutants ? { mutants: report.mutants, mutation_score: report.mutation_score } : {}),
    warnings: report.warnings,
  };
}

/**
 * Formats a report as JSON text.
 *
 * @param report The report.
 * @returns Pretty-printed JSON with a trailing newline.
 */
export function formatJson(report: Report): string {
  return JSON.stringify(toJsonObject(report), null, 2) + "\n";
}
