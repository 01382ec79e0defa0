/**
 * A unit's outcome: what the harness sessions said about its tests, keyed by the
 * exercise-relative test file. Sessions are merged as they come (a unit may need several when a
 * test killed its process), and printed output is kept per test.
 *
 * @module
 */

import type { SessionResult } from "./session.ts";
import type { Verdict } from "./types.ts";
import type { Unit } from "./workspace.ts";

/** Everything the sessions said about one unit. */
export interface UnitOutcome {
  /** Verdicts by exercise-relative file and full name. */
  verdicts: Map<string, Map<string, Verdict>>;
  /** Printed output by file and name ("" for output while the file loaded). */
  outputs: Map<string, Map<string, string>>;
  /** Files that did not load, with why (syntax error with its line, exit, kill). */
  loadErrors: Map<string, string>;
  /** Signs that the code under test registered tests of its own. */
  tampering: string[];
  /** Why tests are left without a verdict, when the sessions gave up on them. */
  gaveUp: string | null;
  /** Output of the sessions, for messages. */
  text: string;
  /** A mutant run stopped once caught: tests without a verdict were not run. */
  stopped: boolean;
  /** A re-run: only these tests ("file\0name", workspace-relative file) run; absent: all. */
  only?: Set<string>;
}

/**
 * An empty outcome.
 *
 * @param only For a re-run, the only tests to run.
 * @returns The outcome.
 */
export function emptyOutcome(only?: Set<string>): UnitOutcome {
  return {
    ...(only ? { only } : {}),
    verdicts: new Map(),
    outputs: new Map(),
    loadErrors: new Map(),
    tampering: [],
    gaveUp: null,
    text: "",
    stopped: false,
  };
}

/**
 * Adds one session's findings about a unit to its outcome.
 *
 * @param u The unit.
 * @param o Its outcome so far (changed in place).
 * @param r The session's result.
 */
export function mergeSession(u: Unit, o: UnitOutcome, r: SessionResult): void {
  for (const f of u.exercise.testFiles) {
    const key = `exercises/${u.wsDir}/${f}`;
    for (const [name, v] of r.verdicts.get(key) ?? []) {
      if (!o.verdicts.has(f)) o.verdicts.set(f, new Map());
      o.verdicts.get(f)!.set(name, v);
    }
    for (const [name, text] of r.outputs.get(key) ?? []) {
      if (!o.outputs.has(f)) o.outputs.set(f, new Map());
      o.outputs.get(f)!.set(name, (o.outputs.get(f)!.get(name) ?? "") + text);
    }
    const err = r.loadErrors.get(key);
    if (err !== undefined) o.loadErrors.set(f, err);
  }
  o.tampering.push(...(r.tampering.get(u.key) ?? []));
  if (o.text.length < 16_384) o.text += r.text.slice(0, 16_384 - o.text.length);
}

/**
 * The tests of a unit still to run: declared, without a verdict, in a file that loaded.
 *
 * @param u The unit.
 * @param o Its outcome.
 * @returns "file\0name" of each (workspace-relative file).
 */
export function undecided(u: Unit, o: UnitOutcome): string[] {
  return u.exercise.expected
    .filter((t) => !t.group && !o.loadErrors.has(t.file) && !o.verdicts.get(t.file)?.has(t.name))
    .map((t) => `exercises/${u.wsDir}/${t.file}\u0000${t.name}`)
    .filter((id) => !o.only || o.only.has(id));
}

/**
 * The tests of a unit already decided (to skip in a next session).
 *
 * @param u The unit.
 * @param o Its outcome.
 * @returns "file\0name" of each (workspace-relative file).
 */
export function decided(u: Unit, o: UnitOutcome): string[] {
  const out: string[] = [];
  for (const [f, m] of o.verdicts) {
    for (const name of m.keys()) out.push(`exercises/${u.wsDir}/${f}\u0000${name}`);
  }
  if (o.only) {
    // A re-run skips every test it is not about.
    for (const t of u.exercise.expected) {
      const id = `exercises/${u.wsDir}/${t.file}\u0000${t.name}`;
      if (!t.group && !o.only.has(id)) out.push(id);
    }
  }
  return out;
}
