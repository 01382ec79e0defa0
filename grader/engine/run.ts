/**
 * Runs a plan's units under one runtime with the grader's harness: the units are split into as
 * many groups as there are jobs (Worker exercises alone, for their read permission under Deno),
 * and each group runs in one harness process. When a process ends early (a test looped, exited
 * or ate the memory, or an exercise changed a shared global), the test that was running is
 * charged alone and a new process goes on with the tests still undecided. So one exercise's
 * crash or hang costs only its own test, never a neighbour's verdict.
 *
 * @module
 */

import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import pLimit from "p-limit";
import type { GradeOptions } from "./grade_options.ts";
import { deadlineOf, launchFor, writeEntry } from "./launch.ts";
import { locateLoadErrors } from "./load_error.ts";
import { decided, emptyOutcome, mergeSession, undecided, type UnitOutcome } from "./outcome.ts";
import { classifyMessage } from "./classify.ts";
import { chunk, pickRoot, unitFiles } from "./plan.ts";
import { rerunPasses } from "./reruns.ts";
import { findBinary, MissingRuntimeError } from "./runtimes.ts";
import { type ClockConfig, runSession, type SessionResult, type SessionUnit } from "./session.ts";
import { scoreUnit } from "./score.ts";
import { typeCheck } from "./typecheck.ts";
import type { ExerciseResult, Runtime, TypeErrorItem } from "./types.ts";
import { createWorkspace, type Unit } from "./workspace.ts";

/** Per-run result of one unit before merging. */
export interface UnitResult {
  /** The unit. */
  unit: Unit;
  /** Its score. */
  result: ExerciseResult;
  /** Output of its sessions. */
  stdoutText: string;
}

/** Whether an outcome in a shared process shows a failure another exercise could have caused. */
function neighbourCouldCause(oc: UnitOutcome): boolean {
  if (oc.tampering.length > 0 || oc.loadErrors.size > 0 || oc.gaveUp) return true;
  for (const m of oc.verdicts.values()) {
    for (const v of m.values()) {
      if (v.status !== "fail") continue;
      const reason = classifyMessage(v.message);
      if (reason === "crash" || reason === "cpu-loop" || reason === "unhandled-rejection") {
        return true;
      }
    }
  }
  return false;
}

/** Whether a session said hello and then nothing: no test file loaded, no verdict, no end. */
function nothingRan(r: SessionResult): boolean {
  return r.loaded.size === 0 && r.verdicts.size === 0 && !r.finished &&
    [...r.loadErrors.keys()].every((f) => f === "");
}

/** At most this many processes per group (each one decides at least one test). */
const MAX_SESSIONS = 200;

/** The tests of a unit that failed, as "file\0name" with workspace-relative files. */
function failedKeys(u: Unit, oc: UnitOutcome): Set<string> {
  const out = new Set<string>();
  for (const [f, m] of oc.verdicts) {
    for (const [name, v] of m) {
      if (v.status === "fail") out.add(`exercises/${u.wsDir}/${f}\u0000${name}`);
    }
  }
  return out;
}

/** A mutant's stop groups that no failing test satisfies yet. */
function stopLeft(u: Unit, oc: UnitOutcome): string[][] {
  const failed = failedKeys(u, oc);
  return (u.stop ?? []).filter((g) => !g.some((k) => failed.has(k)));
}

/** Whether a mutant was caught enough to stop running it. */
function caughtEnough(u: Unit, oc: UnitOutcome): boolean {
  if (!u.stop) return false;
  return u.stop.length === 0 ? failedKeys(u, oc).size > 0 : stopLeft(u, oc).length === 0;
}

/** What ended a session that left tests undecided, for their message. */
function gaveUpWhy(r: SessionResult): string {
  const tail = r.text.split("\n").filter((l) => l.trim() && !l.startsWith("##workbook-harness"))
    .slice(-6).join(" | ").slice(0, 600);
  if (r.end.spawnError) return `crash: the runtime could not start: ${r.end.spawnError}`;
  return `crash: the test process ended before these tests ran (${
    r.end.killed ? `killed: ${r.end.killed}` : `exit code ${r.end.code}`
  })${tail ? `: ${tail}` : ""}`;
}

/**
 * Grades units under one runtime.
 *
 * @param runtime The runtime.
 * @param units The units.
 * @param o The grading options.
 * @param doTypeCheck Whether to type-check the stub files beside the tests.
 * @returns Results per unit, type errors by unit key, and notes for the report.
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
  // A spare (watch mode) that fits this grade has its workspace ready and its process waiting.
  const spare = o.spare?.claim(runtime, units) ? o.spare : null;
  const ws = spare?.ws ?? createWorkspace(pickRoot(o, "lib"), o.toolRoot, units);
  const notes: string[] = [];
  try {
    // The type check runs beside the tests (it only reads the workspace).
    const stubFiles = units.flatMap((u) =>
      Object.entries(u.stubSources).filter(([, s]) => s !== null).map(([stub]) =>
        `exercises/${u.wsDir}/${stub}`
      )
    );
    const tcPromise = doTypeCheck
      ? typeCheck({ toolRoot: o.toolRoot, dir: ws.ws, files: stubFiles })
      : null;
    const outcomes = new Map<string, UnitOutcome>(units.map((u) => [u.key, emptyOutcome()]));
    const guard = o.mode === "submission";
    let done = 0;
    /**
     * Runs a group's tests in as many sessions as it takes, filling `outcomes` (one per unit).
     * `main` counts progress; re-runs (a seed, tracking) do not.
     */
    /** One process over some units, started now. */
    const session = (
      plan: { units: SessionUnit[]; clock: ClockConfig },
      group: Unit[],
    ): Promise<SessionResult> => {
      const files = plan.units.flatMap((u) => u.files);
      const nonce = randomBytes(16).toString("hex");
      const entry = writeEntry(ws, files, nonce);
      // An earlier process of this group took the hidden tests away once it had read them.
      ws.restore(files);
      const launch = launchFor(runtime, bin, ws, group, o, entry.entry);
      return runSession(launch, { ...plan, nonce }, {
        runtime,
        guard,
        onHello: () => {
          ws.hide(files);
          for (const f of entry.files) rmSync(f, { force: true });
        },
        ...(o.signal ? { signal: o.signal } : {}),
      });
    };
    const runGroup = async (
      group: Unit[],
      outcomes: Map<string, UnitOutcome>,
      clock: ClockConfig,
      main: boolean,
    ): Promise<void> => {
      const progressed = (u: Unit) => {
        if (main) o.onProgress?.(++done, units.length, `${runtime}: ${u.key}`);
      };
      let pending = group;
      for (let n = 0; pending.length > 0 && n < MAX_SESSIONS; n++) {
        o.signal?.throwIfAborted();
        const plan = {
          units: pending.map((u) => ({
            key: u.key,
            files: unitFiles(u).filter((f) =>
              !outcomes.get(u.key)!.loadErrors.has(f.split("/").pop()!)
            ),
            skip: decided(u, outcomes.get(u.key)!),
            deadlineMs: deadlineOf(u, o),
            ...(u.stop ? { stop: stopLeft(u, outcomes.get(u.key)!) } : {}),
          })),
          clock,
        };
        let r = spare && n === 0 && main
          ? await spare.run(group[0]!, o.signal)
          : await session(plan, group);
        // A spare's job that did not even load (a syntax error: nothing ran after its hello) runs
        // again cold, where the runtime's own complaint names the place.
        if (spare && n === 0 && main && nothingRan(r)) r = await session(plan, group);
        o.signal?.throwIfAborted();
        // The module graph did not load, or code changed globals while loading: which exercise is
        // at fault is found by running each one alone.
        if ((!r.started || r.taintedAtLoad) && pending.length > 1) {
          if (r.taintedAtLoad) {
            notes.push(
              `${runtime}: globals changed while the exercises loaded (${
                r.taintedAtLoad.slice(0, 3).join(", ")
              }); each exercise ran alone`,
            );
          }
          await Promise.all(pending.map((u) => runGroup([u], outcomes, clock, main)));
          return;
        }
        if (!r.started) {
          // The runtime's whole complaint (its first error names the place; load_error.ts finds it).
          const why = r.text.split("\n").filter((l) => l.trim()).slice(-40).join("\n");
          for (const u of pending) {
            for (const f of u.exercise.testFiles) outcomes.get(u.key)!.loadErrors.set(f, why);
          }
          for (const u of pending) progressed(u);
          return;
        }
        let progress = false;
        for (const u of pending) {
          const oc = outcomes.get(u.key)!;
          const before = undecided(u, oc).length;
          mergeSession(u, oc, r);
          if (undecided(u, oc).length < before || r.unitsDone.has(u.key)) progress = true;
        }
        if (r.tainted) {
          notes.push(
            `${runtime}: ${r.tainted.unit} changed shared globals (${
              r.tainted.what.slice(0, 3).join(", ")
            }); the exercises after it ran in a fresh process`,
          );
        }
        for (const u of pending) if (u.stop) outcomes.get(u.key)!.stopped = true;
        const next = pending.filter((u) =>
          !caughtEnough(u, outcomes.get(u.key)!) &&
          !r.unitsDone.has(u.key) && undecided(u, outcomes.get(u.key)!).length > 0
        );
        for (const u of pending.filter((x) => !next.includes(x))) progressed(u);
        if (next.length > 0 && !progress) {
          for (const u of next) outcomes.get(u.key)!.gaveUp = gaveUpWhy(r);
          for (const u of next) progressed(u);
          break;
        }
        pending = next;
      }
    };
    // Worker exercises run alone: under Deno only they may read their own files.
    const groups = [
      ...chunk(units.filter((u) => !u.exercise.meta.realTime), jobs),
      ...units.filter((u) => u.exercise.meta.realTime).map((u) => [u]),
    ];
    const limit = pLimit(jobs);
    const clock: ClockConfig = o.seed ? { seed: o.seed } : {};
    // Worker exercises mostly wait for real time: they start at once, beside the CPU-bound groups,
    // instead of queueing behind them for a process slot.
    await Promise.all(
      groups.map((g) =>
        g[0]!.exercise.meta.realTime
          ? runGroup(g, outcomes, clock, true)
          : limit(() => runGroup(g, outcomes, clock, true))
      ),
    );
    // A submission's exercise that failed in a shared process in a way a neighbour could have
    // caused (a crash, a loop, an unhandled error, tampering, a load error) runs again alone,
    // and only that run counts: a stray timer or a late throw of one exercise never costs
    // another its points.
    if (o.mode === "submission") {
      const suspects = groups.filter((g) => g.length > 1).flat()
        .filter((u) => neighbourCouldCause(outcomes.get(u.key)!));
      await Promise.all(suspects.map((u) =>
        limit(async () => {
          const alone = new Map([[u.key, emptyOutcome()]]);
          await runGroup([u], alone, clock, false);
          outcomes.set(u.key, alone.get(u.key)!);
        })
      ));
    }
    // Deadlocks re-run with promise tracking (to name where the work waits), and with
    // --schedules, passing tests under other same-instant orders.
    await rerunPasses(units, outcomes, {
      seed: o.seed ?? 0,
      schedules: o.mode === "mutants" ? 0 : o.schedules ?? 0,
      track: o.mode !== "mutants",
      run: (subset, outs, c) =>
        Promise.all(
          chunk(subset, jobs).map((g) => limit(() => runGroup(g, outs, c, false))),
        ).then(() => {}),
    });
    const typeErrors = new Map<string, TypeErrorItem[]>();
    if (tcPromise) {
      const tc = await tcPromise;
      if (tc.skipped) notes.push(tc.skipped);
      for (const e of tc.errors) {
        const m = /^exercises\/([^/]+)\/(.*)$/.exec(e.file);
        const key = m ? units.find((u) => u.wsDir === m[1])?.key : undefined;
        if (!key) continue;
        typeErrors.set(key, [...(typeErrors.get(key) ?? []), e]);
      }
    }
    const results = units.map((u) => {
      const oc = outcomes.get(u.key)!;
      locateLoadErrors(u, oc, ws.ws);
      return { unit: u, result: scoreUnit(u, oc), stdoutText: oc.text };
    });
    return { results, typeErrors, notes };
  } finally {
    ws.cleanup();
  }
}
