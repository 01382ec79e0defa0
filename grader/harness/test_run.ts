/**
 * Running one test and reading what it left: the hand-made race against a real-time limit, the
 * failure's message and the kit's plain facts, the order a unit's tests run in (a mutant's stop
 * groups first), and the clock's record of a failed run under a seed. Everything runs after code
 * under test has loaded, so it uses only captured intrinsics, index loops and null-prototype
 * records (see hub.ts).
 *
 * @module
 */

import { I, safeGet, safeText } from "./intrinsics.ts";
import { copyPlain } from "./json.ts";
import { append, rec, type Registered, type Registry } from "./registry.ts";

const DETAILS_CAP = 8000;

/** A record without a prototype: no patched Object.prototype getter or setter touches it. */
export function record<T>(): Record<string, T> {
  return I.create(null) as Record<string, T>;
}

/** One unit of the plan. */
export interface PlanUnit {
  key: string;
  files: string[];
  skip: string[];
  /**
   * Stop this unit early (a mutant): run these groups' tests first ("file\0name"), and stop once
   * each group has a failing test; an empty list stops at the first failure. Absent: run all.
   */
  stop?: string[][];
}

/** What a test's failure says: message, stack, and the kit's plain facts. */
export interface Failure {
  m: string;
  d: string;
  tl?: unknown;
  dx?: unknown;
}

/** "Name: message" and the stack of a thrown value (a null-prototype record). */
export function describeError(e: unknown): Failure {
  try {
    return readError(e);
  } catch {
    // A value that throws however it is read (a revoked Proxy): described by its kind only.
    return rec({ m: `Uncaught ${typeof e} value the grader could not read`, d: "" });
  }
}

/** describeError's reading, which may throw on a hostile value. */
function readError(e: unknown): Failure {
  const name = safeGet(e, "name");
  const message = safeGet(e, "message");
  if (typeof message === "string") {
    const stack = safeGet(e, "stack");
    const out: Failure = rec({
      m: `${typeof name === "string" && name ? name : "Error"}: ${message}`,
      d: I.apply(I.slice, typeof stack === "string" ? stack : "", [0, DETAILS_CAP]) as string,
    });
    // Structured facts the kit attaches: a schedule's expected and actual timelines, a
    // deadlock's diagnosis. Plain data, copied through own data properties, never code.
    const tl = copyPlain(safeGet(e, "timeline"));
    const dx = copyPlain(safeGet(e, "diagnosis"));
    if (tl !== undefined && typeof tl === "object") out.tl = tl;
    if (dx !== undefined && typeof dx === "object") out.dx = dx;
    return out;
  }
  return rec({ m: I.apply(I.slice, `Uncaught ${safeText(e)}`, [0, DETAILS_CAP]) as string, d: "" });
}

/** A test's verdict: a null-prototype record (it passes through a promise). */
export interface Outcome extends Failure {
  s: "pass" | "fail";
}

/**
 * Runs one test: "pass" when its function settles without throwing and nothing was left
 * unhandled (`stray`, filled by the harness's handlers, is emptied).
 *
 * @param t The test.
 * @param limitMs Real ms before it fails as never settling.
 * @param stray Errors nobody handled while it ran.
 * @returns Its outcome (a null-prototype record: it passes through a promise).
 */
export async function runTest(t: Registered, limitMs: number, stray: unknown[]): Promise<Outcome> {
  let timer: unknown;
  let failure: unknown;
  let failed = false;
  try {
    // A race by hand: Promise.race would iterate its array through a patchable iterator.
    await new I.Promise<void>((resolve, reject) => {
      timer = I.setTimeout(
        () =>
          reject(
            new Error(
              `the test never settled: it was still waiting after ${limitMs} ms of real time`,
            ),
          ),
        limitMs,
      );
      I.Promise.resolve().then(() => t.fn()).then(() => resolve(), reject);
    });
    await new I.Promise<void>((r) => I.setTimeout(() => r(), 0));
  } catch (e) {
    failure = e;
    failed = true;
  } finally {
    I.clearTimeout(timer);
  }
  if (failed) {
    stray.length = 0;
    const f = describeError(failure) as Outcome;
    f.s = "fail";
    return f;
  }
  if (stray.length > 0) {
    const f = describeError(stray[0]);
    stray.length = 0;
    return rec({
      s: "fail",
      m: `UnhandledRejectionError: a promise rejected with nobody awaiting it: ${f.m}`,
      d: f.d,
    });
  }
  return rec({ s: "pass", m: "", d: "" });
}

/** One test to run: its file and registration (a null-prototype record). */
export interface Job {
  file: string;
  t: Registered;
}

/**
 * A unit's tests in the order to run them: its stop groups' tests first, then the rest.
 *
 * @param unit The unit.
 * @param registry The registry.
 * @returns The tests with their files.
 */
export function ordered(unit: PlanUnit, registry: Registry): Job[] {
  const first = record<true>();
  if (unit.stop) {
    for (let i = 0; i < unit.stop.length; i++) {
      const g = unit.stop[i]!;
      for (let j = 0; j < g.length; j++) first[g[j]!] = true;
    }
  }
  const head: Job[] = [];
  const rest: Job[] = [];
  for (let i = 0; i < unit.files.length; i++) {
    const file = unit.files[i]!;
    const tests = registry.testsOf(file);
    for (let j = 0; j < tests.length; j++) {
      const x: Job = rec({ file, t: tests[j]! });
      append(`${file}\u0000${x.t.name}` in first ? head : rest, x);
    }
  }
  for (let i = 0; i < rest.length; i++) append(head, rest[i]!);
  return head;
}

/** Whether each stop group has a failing test (an empty list: whether any test failed). */
export function satisfied(
  groups: string[][],
  failed: Record<string, true>,
  anyFailed: boolean,
): boolean {
  if (groups.length === 0) return anyFailed;
  for (let i = 0; i < groups.length; i++) {
    let hit = false;
    for (let j = 0; j < groups[i]!.length; j++) if (groups[i]![j]! in failed) hit = true;
    if (!hit) return false;
  }
  return true;
}

/**
 * The last clock run as JSON text ("null" when there is none, "" when it cannot be read).
 *
 * @param lastRun lib's lastRun, when lib has loaded.
 * @returns JSON text.
 */
export function runText(lastRun: (() => unknown) | undefined): string {
  try {
    return I.stringify(copyPlain(lastRun?.() ?? null) ?? null);
  } catch {
    // A record that does not serialise: treated as no record.
    return "";
  }
}

/** `{ sc: schedule }` from a run record's JSON, its swaps capped at 20. */
export function schedulePart(text: string): Record<string, unknown> {
  const copy = copyPlain(I.parse(text)) as { schedule?: { swaps?: unknown[] } } | null;
  const sc = copy?.schedule;
  if (!sc || typeof sc !== "object") return rec({});
  if (I.isArray(sc.swaps) && sc.swaps.length > 20) sc.swaps.length = 20;
  return rec({ sc });
}
