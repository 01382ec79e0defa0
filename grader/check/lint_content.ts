/**
 * The course-content rules of the authoring lint: numbered tasks in the README, a `// TODO:` per
 * task, three hint levels with a section per task, tests named after their task with enough of
 * them visible, difficulty and minutes, and the promise table that ties every promise of the
 * README to a test and a mutant. Each rule returns problems that name the file and the fix.
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { lintPromises } from "./promises.ts";
import { join } from "node:path";
import type { ExerciseMeta, ExpectedTest } from "../engine/types.ts";

/** Visible tests must be at least this share of the hidden ones. */
export const VISIBLE_RATIO = 0.4;

/** Hint levels every HINTS.md has: a nudge, the approach, a skeleton. */
export const HINT_LEVELS = 3;

/**
 * The numbered tasks of a README: the top-level items `1. ...` of its "## Your tasks" section.
 *
 * @param readme The README's text.
 * @returns Task numbers in order (empty when there is no such section).
 *
 * @example
 * ```ts
 * import { readmeTasks } from "./lint_content.ts";
 * readmeTasks("## Your tasks\n\n1. **a**\n2. **b**\n\n## How to run\n"); // [1, 2]
 * ```
 */
export function readmeTasks(readme: string): number[] {
  const start = readme.search(/^## Your tasks\s*$/m);
  if (start < 0) return [];
  const rest = readme.slice(start).split("\n").slice(1);
  const end = rest.findIndex((l) => /^## /.test(l));
  return (end < 0 ? rest : rest.slice(0, end)).flatMap((l) => {
    const m = /^(\d+)\. /.exec(l);
    return m ? [Number(m[1])] : [];
  });
}

/**
 * The hint sections of a HINTS.md: per level (`## Level N`), the tasks it has a section for
 * (`### Task K`).
 *
 * @param hints The HINTS.md text.
 * @returns Level -> task -> section text.
 */
export function hintSections(hints: string): Map<number, Map<number, string>> {
  const out = new Map<number, Map<number, string>>();
  let level: Map<number, string> | null = null;
  let task: number | null = null;
  for (const line of hints.split("\n")) {
    const l = /^## Level (\d+)\b/.exec(line);
    if (l) {
      level = new Map();
      out.set(Number(l[1]), level);
      task = null;
      continue;
    }
    if (/^## /.test(line)) {
      level = null;
      continue;
    }
    const t = /^### Task (\d+)\b/.exec(line);
    if (t && level) {
      task = Number(t[1]);
      level.set(task, "");
      continue;
    }
    if (level && task !== null) level.set(task, `${level.get(task)}${line}\n`);
  }
  for (const m of out.values()) for (const [k, v] of m) m.set(k, v.trim());
  return out;
}

/**
 * The task a test belongs to: its name starts with `task N: `.
 *
 * @param name The test's full name.
 * @returns N, or undefined.
 */
export function taskOfTest(name: string): number | undefined {
  const m = /^task (\d+): /.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** What {@linkcode lintContent} needs to know about an exercise. */
export interface ContentInput {
  /** Workbook root. */
  root: string;
  /** Folder name. */
  dir: string;
  /** Metadata, with the raw exercise.json for the fields the grader itself does not use. */
  meta: ExerciseMeta;
  /** The raw exercise.json object. */
  rawMeta: Record<string, unknown>;
  /** Declared tests of the visible and hidden files. */
  expected: ExpectedTest[];
  /** Mutant names. */
  mutants: string[];
}

/**
 * Lints an exercise's course content.
 *
 * @param x The exercise.
 * @returns Problems, each naming a file.
 */
export function lintContent(x: ContentInput): string[] {
  const rel = `exercises/${x.dir}`;
  const problems: string[] = [];
  const { difficulty, minutes, part } = x.rawMeta;
  if (
    !(Number.isInteger(difficulty) && (difficulty as number) >= 1 && (difficulty as number) <= 5)
  ) {
    problems.push(`${rel}/exercise.json needs "difficulty": an integer from 1 to 5`);
  }
  if (!(Number.isInteger(minutes) && (minutes as number) > 0)) {
    problems.push(`${rel}/exercise.json needs "minutes": a positive integer`);
  }
  if (!(Number.isInteger(part) && (part as number) >= 1)) {
    problems.push(`${rel}/exercise.json needs "part": the course part (1, 2, ...)`);
  }
  const readmePath = join(x.root, rel, "README.md");
  const tasks = existsSync(readmePath) ? readmeTasks(readFileSync(readmePath, "utf8")) : [];
  if (tasks.length === 0) {
    problems.push(
      `${rel}/README.md needs a "## Your tasks" section with numbered tasks (1. 2. ...)`,
    );
    return problems;
  }
  if (tasks.some((t, i) => t !== i + 1)) {
    problems.push(
      `${rel}/README.md numbers its tasks ${tasks.join(", ")}: number them 1, 2, 3, ...`,
    );
  }
  const todos = x.meta.stubs
    .filter((s) => existsSync(join(x.root, rel, s)))
    .reduce(
      (n, s) => n + (readFileSync(join(x.root, rel, s), "utf8").match(/\/\/ TODO:/g) ?? []).length,
      0,
    );
  if (todos < tasks.length) {
    problems.push(
      `${rel}: the stubs have ${todos} "// TODO:" comment(s) for ${tasks.length} tasks: one per task at least`,
    );
  }
  for (
    const f of readdirSync(join(x.root, rel)).filter((f) =>
      f.endsWith(".ts") && !x.meta.stubs.includes(f)
    )
  ) {
    if (/\.(test|hidden|cpython)\.ts$/.test(f)) continue;
    if (!readFileSync(join(x.root, rel, f), "utf8").startsWith("// GIVEN:")) {
      problems.push(
        `${rel}/${f} is neither a stub nor a test: given code must start with "// GIVEN: what it is; you do not edit it"`,
      );
    }
  }
  const hintsPath = join(x.root, rel, "HINTS.md");
  if (existsSync(hintsPath)) {
    const sections = hintSections(readFileSync(hintsPath, "utf8"));
    for (let level = 1; level <= HINT_LEVELS; level++) {
      const m = sections.get(level);
      if (!m) {
        problems.push(
          `${rel}/HINTS.md has no "## Level ${level}" (levels: 1 a nudge, 2 the approach, 3 a skeleton)`,
        );
        continue;
      }
      for (const t of tasks) {
        if (!m.get(t)) {
          problems.push(
            `${rel}/HINTS.md level ${level} has no (or an empty) "### Task ${t}" section`,
          );
        }
      }
    }
  }
  const tests = x.expected.filter((t) => !t.group);
  for (const t of tests) {
    const k = taskOfTest(t.name);
    if (k === undefined || !tasks.includes(k)) {
      problems.push(
        `${rel}/${t.file}: "${t.name}" must start with "task N: " for one of the README's tasks (${
          tasks.join(", ")
        })`,
      );
    }
  }
  const visible = tests.filter((t) => !t.hidden);
  const hidden = tests.filter((t) => t.hidden);
  if (visible.length < Math.ceil(VISIBLE_RATIO * hidden.length)) {
    problems.push(
      `${rel}: ${visible.length} visible tests for ${hidden.length} hidden ones; at least ${
        Math.ceil(VISIBLE_RATIO * hidden.length)
      } visible are needed (40%)`,
    );
  }
  for (const t of tasks) {
    if (!visible.some((v) => taskOfTest(v.name) === t)) {
      problems.push(`${rel}: task ${t} has no visible test`);
    }
  }
  problems.push(...lintPromises(x, tasks, tests));
  return problems;
}
