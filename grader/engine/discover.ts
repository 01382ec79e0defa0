/**
 * Finds the exercises of a workbook (`exercises/NN_slug/` with an `exercise.json`), reads their
 * metadata and the tests their pristine test files declare, and resolves the ids a user types.
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { cached, codeKey, hashKey } from "./disk_cache.ts";
import { type Extraction, extractTests } from "./testnames.ts";
import { TOOL_ROOT } from "./tool_root.ts";
import type { Exercise, ExerciseMeta, ExpectedTest } from "./types.ts";

/** Folder names of exercises: two digits, an underscore, a lowercase snake_case slug. */
export const EXERCISE_DIR = /^(\d{2})_([a-z0-9]+(?:_[a-z0-9]+)*)$/;

/** A problem found while reading exercise metadata. */
export class ExerciseError extends Error {
  /** @param message What is wrong, naming the file. */
  constructor(message: string) {
    super(message);
    this.name = "ExerciseError";
  }
}

/**
 * Reads and validates an `exercise.json`, filling in defaults.
 *
 * @param file Path of the exercise.json.
 * @returns The metadata.
 * @throws {ExerciseError} When the file is missing, not JSON, or a field has the wrong type.
 */
export function readMeta(file: string): ExerciseMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ExerciseError(`Cannot read ${file}: ${(e as Error).message}`);
  }
  const o = raw as Record<string, unknown>;
  const bad = (what: string): never => {
    throw new ExerciseError(`Invalid ${file}: ${what}`);
  };
  if (typeof o !== "object" || o === null || Array.isArray(o)) bad("expected a JSON object");
  if (typeof o.title !== "string" || o.title === "") bad('"title" must be a non-empty string');
  if (
    !Array.isArray(o.stubs) || o.stubs.length === 0 ||
    !o.stubs.every((s) => typeof s === "string" && s !== "")
  ) {
    bad('"stubs" must be a non-empty array of file names');
  }
  const weights: Record<string, number> = {};
  if (o.weights !== undefined) {
    if (typeof o.weights !== "object" || o.weights === null || Array.isArray(o.weights)) {
      bad('"weights" must be an object');
    }
    for (const [k, v] of Object.entries(o.weights as object)) {
      if (typeof v !== "number" || !(v >= 0)) {
        bad(`weight of "${k}" must be a number >= 0, received ${JSON.stringify(v)}`);
      }
      weights[k] = v as number;
    }
  }
  if (o.timeoutSec !== undefined && !(typeof o.timeoutSec === "number" && o.timeoutSec > 0)) {
    bad(`"timeoutSec" must be a positive number, received ${JSON.stringify(o.timeoutSec)}`);
  }
  if (o.realTime !== undefined && typeof o.realTime !== "boolean") {
    bad('"realTime" must be a boolean');
  }
  const optional: Partial<ExerciseMeta> = {};
  for (const k of ["part", "difficulty", "minutes"] as const) {
    if (o[k] === undefined) continue;
    if (!Number.isInteger(o[k]) || (o[k] as number) <= 0) {
      bad(`"${k}" must be a positive integer, received ${JSON.stringify(o[k])}`);
    }
    optional[k] = o[k] as number;
  }
  return {
    ...optional,
    title: o.title as string,
    stubs: o.stubs as string[],
    weights,
    timeoutSec: (o.timeoutSec as number | undefined) ?? 30,
    realTime: (o.realTime as boolean | undefined) ?? false,
  };
}

/**
 * Lists the test files of an exercise folder: visible `*.test.ts` first, then hidden
 * `*.hidden.ts`, each sorted by name.
 *
 * @param dir Exercise folder.
 * @returns File names relative to the folder.
 */
export function listTestFiles(dir: string): string[] {
  const names = readdirSync(dir).sort();
  return [
    ...names.filter((f) => f.endsWith(".test.ts")),
    ...names.filter((f) => f.endsWith(".hidden.ts")),
  ];
}

/**
 * Lists the CPython conformance files of an exercise folder (`*.cpython.ts`), sorted by name.
 *
 * @param dir Exercise folder.
 * @returns File names relative to the folder.
 */
export function listCPythonFiles(dir: string): string[] {
  return readdirSync(dir).sort().filter((f) => f.endsWith(".cpython.ts"));
}

const memory = new Map<string, Extraction>();
const CODE = codeKey(
  new URL("./testnames.ts", import.meta.url).href,
  new URL("./parse.ts", import.meta.url).href,
);

/** What a test file declares, cached by its content (a parse costs tens of ms per file). */
function declaredTests(source: string): Extraction {
  return cached(memory, TOOL_ROOT, "tests", hashKey(CODE, source), () => extractTests(source));
}

/**
 * Reads the expected tests of an exercise's test files.
 *
 * @param dir Exercise folder holding the pristine test files.
 * @param testFiles Test files relative to it.
 * @returns Declared tests and groups, file by file, in source order.
 */
export function expectedTests(dir: string, testFiles: string[]): ExpectedTest[] {
  const out: ExpectedTest[] = [];
  for (const file of testFiles) {
    const source = readFileSync(join(dir, file), "utf8");
    const hidden = file.endsWith(".hidden.ts");
    for (const t of declaredTests(source).tests) {
      out.push({
        file,
        name: t.name,
        group: t.group,
        hidden,
        line: t.line,
        nameLine: t.nameLine,
        ...(hidden || t.group ? {} : { code: source.slice(t.start, t.end) }),
      });
    }
  }
  return out;
}

/** Defines `key` as computed on first read, then kept (enumerable, like a plain field). */
function lazy<K extends keyof Exercise>(ex: Exercise, key: K, compute: () => Exercise[K]): void {
  let value: Exercise[K] | undefined;
  Object.defineProperty(ex, key, {
    enumerable: true,
    configurable: true,
    get: () => (value ??= compute()),
    set: (v: Exercise[K]) => {
      value = v;
    },
  });
}

/**
 * Discovers the exercises under `root/exercises`, in course order.
 *
 * @param root Workbook root holding the pristine exercises.
 * @param onInvalid Called for an invalid exercise.json, which is then skipped; without it, it throws.
 * @returns Exercises; empty when the folder has none.
 * @throws {ExerciseError} When an exercise.json is invalid and no `onInvalid` is given.
 */
export function discoverExercises(
  root: string,
  onInvalid?: (dir: string, error: ExerciseError) => void,
): Exercise[] {
  const base = join(root, "exercises");
  if (!existsSync(base)) return [];
  const out: Exercise[] = [];
  for (const dir of readdirSync(base).sort()) {
    const m = EXERCISE_DIR.exec(dir);
    const full = join(base, dir);
    if (!m || !statSync(full).isDirectory() || !existsSync(join(full, "exercise.json"))) continue;
    let meta: ExerciseMeta;
    try {
      meta = readMeta(join(full, "exercise.json"));
    } catch (e) {
      if (onInvalid && e instanceof ExerciseError) {
        onInvalid(dir, e);
        continue;
      }
      throw e;
    }
    const testFiles = listTestFiles(full);
    const cpythonFiles = listCPythonFiles(full);
    const ex = {
      id: m[1]!,
      dir,
      slug: m[2]!,
      meta,
      pristineDir: full,
      testFiles,
      cpythonFiles,
    } as Exercise;
    // Parsed on first use: `grade 08` reads one exercise's tests, not all 32 (2.8 s before).
    lazy(ex, "expected", () => expectedTests(full, testFiles));
    lazy(ex, "cpythonExpected", () => expectedTests(full, cpythonFiles));
    out.push(ex);
  }
  return out;
}

/**
 * Resolves user-typed ids ("7", "07", "09_event_start_signal", "event_start_signal").
 *
 * @param all Discovered exercises.
 * @param ids Ids as typed; empty selects all.
 * @returns The selected exercises in course order.
 * @throws {RangeError} Naming the unknown id and the valid choices.
 */
export function selectExercises(all: Exercise[], ids: string[]): Exercise[] {
  if (ids.length === 0) return all;
  const chosen = new Set<Exercise>();
  for (const raw of ids) {
    const id = raw.replace(/\/+$/, "").replace(/^exercises\//, "");
    const num = /^\d+$/.test(id) ? String(Number(id)).padStart(2, "0") : null;
    const ex = all.find((e) => (num !== null && e.id === num) || e.dir === id || e.slug === id);
    if (!ex) {
      const choices = all.length === 0
        ? "there are no exercises"
        : `valid: ${all.map((e) => e.dir).join(", ")}`;
      throw new RangeError(`Unknown exercise "${raw}": ${choices}`);
    }
    chosen.add(ex);
  }
  return all.filter((e) => chosen.has(e));
}
