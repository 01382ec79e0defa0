/**
 * Reads one unit's share of a runner's result: its verdicts and printed output, whether it was
 * killed, and any sign that the code under test registered tests of its own.
 *
 * @module
 */

import type { TestRunResult } from "./runner.ts";
import type { Verdict } from "./types.ts";
import type { Unit } from "./workspace.ts";

/** What the runner said about one unit, keyed by the exercise-relative test file. */
export interface UnitOutcome {
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

/**
 * The signs of tampering that concern a unit: anomalies of its own files, anomalies no unit of the
 * run owns, and verdicts registered at another line than the pristine test's call.
 */
export function tamperingOf(u: Unit, r: TestRunResult, run: Unit[]): string[] {
  const dirOf = (file: string | null) =>
    file === null ? undefined : /^exercises\/([^/]+)\//.exec(file)?.[1];
  const owned = new Set(run.map((x) => x.wsDir));
  const out = r.anomalies
    .filter((a) => {
      const dir = dirOf(a.file);
      return dir === u.wsDir || dir === undefined || !owned.has(dir);
    })
    .map((a) => a.what);
  for (const t of u.exercise.expected) {
    const line = r.verdicts.get(`exercises/${u.wsDir}/${t.file}`)?.get(t.name)?.line;
    // Deno gives the line of the call, Bun the line of the test's name.
    if (line !== undefined && line !== t.line && line !== t.nameLine) {
      out.push(`${t.file}: "${t.name}" registered at line ${line}, declared at line ${t.line}`);
    }
  }
  return out;
}

/** The unit's outcome from a run that may have covered other units too. */
export function extract(u: Unit, r: TestRunResult, timeoutSec: number, run: Unit[]): UnitOutcome {
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

/** Whether every declared test of the unit got a verdict. */
export function complete(u: Unit, o: UnitOutcome): boolean {
  return u.exercise.expected.every((t) => {
    if (t.group) return true;
    const v = o.verdicts.get(t.file)?.get(t.name);
    return v !== undefined && v.status !== "skipped";
  });
}

/** The unit whose test file the runner announced last (where a killed batch was stuck). */
export function lastStarted(text: string, batch: Unit[]): Unit | undefined {
  let last: string | undefined;
  for (const line of text.split("\n")) {
    const m = /^running \d+ tests? from \.\/(exercises\/\S+)$/.exec(line) ??
      /^(exercises\/\S+\.(?:test|hidden|cpython)\.ts):$/.exec(line);
    if (m) last = m[1];
  }
  const dir = last?.split("/")[1];
  return dir === undefined ? undefined : batch.find((u) => u.wsDir === dir);
}
