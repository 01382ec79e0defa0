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

import { Buffer } from "node:buffer";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import pLimit from "p-limit";
import { childEnv } from "./env.ts";
import type { GradeOptions } from "./grade_options.ts";
import { decided, emptyOutcome, mergeSession, undecided, type UnitOutcome } from "./outcome.ts";
import { chunk, pickRoot, readableFor, unitFiles } from "./plan.ts";
import { findBinary, MissingRuntimeError } from "./runtimes.ts";
import { sandboxed } from "./sandbox.ts";
import { type Launch, runSession, type SessionResult } from "./session.ts";
import { scoreUnit } from "./score.ts";
import { typeCheck } from "./typecheck.ts";
import type { ExerciseResult, Runtime, TypeErrorItem } from "./types.ts";
import { createWorkspace, type Unit, type Workspace } from "./workspace.ts";

/** Per-run result of one unit before merging. */
export interface UnitResult {
  /** The unit. */
  unit: Unit;
  /** Its score. */
  result: ExerciseResult;
  /** Output of its sessions. */
  stdoutText: string;
}

/**
 * A test that runs longer than this (real time) is stopped, unless its exercise allows more:
 * tests on the virtual clock take milliseconds. The self-check modes grade known code and stop
 * sooner (many mutants loop on purpose).
 */
const TEST_DEADLINE_SEC = 10;
const TRUSTED_DEADLINE_SEC = 4;
const REALTIME_DEADLINE_SEC = 20;
const REALTIME_TRUSTED_SEC = 8;
/** At most this many processes per group (each one decides at least one test). */
const MAX_SESSIONS = 200;

/** The real-time deadline of one test of a unit, ms. */
function deadlineOf(u: Unit, o: GradeOptions): number {
  // Tests with real threads take real time: a longer deadline, still well under the exercise's.
  const trusted = o.mode !== "submission";
  const limit = u.exercise.meta.realTime
    ? (trusted ? REALTIME_TRUSTED_SEC : REALTIME_DEADLINE_SEC)
    : trusted
    ? TRUSTED_DEADLINE_SEC
    : TEST_DEADLINE_SEC;
  return (o.timeoutSec ?? Math.min(limit, u.exercise.meta.timeoutSec)) * 1000;
}

let entries = 0;

/**
 * Writes the harness entry of a session into the workspace: the harness's start, the test kit,
 * then each test file preceded by its mark, then the run. Static imports only: Deno loads them
 * without any read permission, so code under test cannot read the test files' source.
 */
function writeEntry(ws: Workspace, files: string[]): string {
  const dir = join(ws.ws, ".harness");
  mkdirSync(join(dir, "m"), { recursive: true });
  // Import statements of generated code, built from their specifiers (never written out here, so
  // no tool mistakes them for imports of this module).
  const load = (spec: string) => `import ${JSON.stringify(spec)};`;
  const lines = [load("./start.ts"), load("../lib/mod.ts"), load("./lib_loaded.ts")];
  for (const file of files) {
    const mark = `m/${Buffer.from(file).toString("hex")}.ts`;
    writeFileSync(
      join(dir, mark),
      `import { mark } from ${JSON.stringify("../hub.ts")};\nmark(${JSON.stringify(file)});\n`,
    );
    lines.push(load(`./${mark}`), load(`../${file}`));
  }
  lines.push(`import { run } from ${JSON.stringify("./hub.ts")};`, "await run();", "");
  const name = `entry-${++entries}.ts`;
  writeFileSync(join(dir, name), lines.join("\n"));
  return `.harness/${name}`;
}

/** How to start the runtime on the harness for a group of units. */
function launchFor(
  runtime: Runtime,
  bin: string,
  ws: Workspace,
  group: Unit[],
  o: GradeOptions,
  entry: string,
): Launch {
  const readable = readableFor(ws.ws, group);
  const denoDir = o.sandbox ? "/tmp/deno-dir" : join(ws.runDir, "deno-dir");
  const args = runtime === "deno"
    ? [
      "run",
      "--no-prompt",
      "--no-lock",
      "--node-modules-dir=manual",
      "--allow-env=WORKBOOK_CLOCK_REPORT",
      ...(readable.length
        ? [`--allow-read=${
          [...readable.map((p) => join(ws.ws, p)), ...(ws.nodeModules ? [ws.nodeModules] : [])]
            .join(",")
        }`]
        : []),
      entry,
    ]
    : ["--no-install", entry];
  const env: Record<string, string> = {
    NO_COLOR: "1",
    TZ: "UTC",
    LANG: "C.UTF-8",
    DENO_NO_UPDATE_CHECK: "1",
    DENO_DIR: denoDir,
    // Bun caches the transpiled text of large modules on disk, hidden tests included: not here.
    BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0",
  };
  if (o.clockReport ?? true) env.WORKBOOK_CLOCK_REPORT = "1";
  if (o.sandbox) {
    const s = sandboxed(
      o.sandbox,
      { ws: ws.ws, readOnly: ws.nodeModules ? [ws.nodeModules] : [], env },
      bin,
      args,
    );
    return { ...s, cwd: ws.ws, env: {} };
  }
  mkdirSync(denoDir, { recursive: true });
  return {
    cmd: "sh",
    args: ["-c", 'exec "$0" "$@" 2>&1', bin, ...args],
    cwd: ws.ws,
    env: { ...childEnv(o.clockReport ?? true), DENO_DIR: denoDir },
  };
}

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
  const ws = createWorkspace(pickRoot(o, "lib"), o.toolRoot, units);
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
    const runGroup = async (group: Unit[]) => {
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
        };
        const files = plan.units.flatMap((u) => u.files);
        const entry = writeEntry(ws, files);
        // An earlier process of this group took the hidden tests away once it had read them.
        ws.restore(files);
        const r = await runSession(launchFor(runtime, bin, ws, group, o, entry), plan, {
          runtime,
          guard,
          onHello: () => ws.hide(files),
          ...(o.signal ? { signal: o.signal } : {}),
        });
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
          await Promise.all(pending.map((u) => runGroup([u])));
          return;
        }
        if (!r.started) {
          const why = `crash: the test files did not load: ${
            r.text.split("\n").filter((l) => l.trim()).slice(-8).join("\n")
          }`;
          for (const u of pending) {
            for (const f of u.exercise.testFiles) outcomes.get(u.key)!.loadErrors.set(f, why);
          }
          for (const u of pending) o.onProgress?.(++done, units.length, `${runtime}: ${u.key}`);
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
        for (const u of pending.filter((x) => !next.includes(x))) {
          o.onProgress?.(++done, units.length, `${runtime}: ${u.key}`);
        }
        if (next.length > 0 && !progress) {
          for (const u of next) outcomes.get(u.key)!.gaveUp = gaveUpWhy(r);
          for (const u of next) o.onProgress?.(++done, units.length, `${runtime}: ${u.key}`);
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
    await Promise.all(groups.map((g) => limit(() => runGroup(g))));
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
      return { unit: u, result: scoreUnit(u, oc), stdoutText: oc.text };
    });
    return { results, typeErrors, notes };
  } finally {
    ws.cleanup();
  }
}
