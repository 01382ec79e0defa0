/**
 * Runs a plan's units under one runtime: batches of exercises in one runner process each, and
 * any unit whose batch was killed, tampered with or left tests without a verdict graded again in
 * a process of its own, so one exercise's crash or hang costs only its own score.
 *
 * @module
 */

import { availableParallelism } from "node:os";
import pLimit from "p-limit";
import type { GradeOptions } from "./grade_options.ts";
import { complete, extract, lastStarted, type UnitOutcome } from "./outcome.ts";
import { chunk, groupIndex, pickRoot, readableFor, timeoutOf, unitFiles } from "./plan.ts";
import { reportPath, runTests } from "./runner.ts";
import { findBinary, MissingRuntimeError } from "./runtimes.ts";
import { scoreUnit } from "./score.ts";
import { typeCheck } from "./typecheck.ts";
import type { ExerciseResult, Runtime, TypeErrorItem } from "./types.ts";
import { createWorkspace, type Unit } from "./workspace.ts";

/** Per-run result of one unit before merging. */
export interface UnitResult {
  unit: Unit;
  result: ExerciseResult;
  stdoutText: string;
}

/**
 * Grades units under one runtime.
 *
 * @returns Results per unit, and type errors when asked to check.
 */
export async function gradeRuntime(
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
          Object.entries(u.stubSources).filter(([, s]) => s !== null).map(([stub]) =>
            `exercises/${u.wsDir}/${stub}`
          )
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
    const limit = pLimit(jobs);
    await Promise.all(rest.map((u) => limit(() => runUnits([u], `solo-${u.key}`, true))));
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
