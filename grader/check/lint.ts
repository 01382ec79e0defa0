/**
 * The authoring lint: every rule of exercises/AUTHORING.md marked "must" that can be checked
 * without running anything. Each problem names the file and what to fix.
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  EXERCISE_DIR,
  ExerciseError,
  expectedTests,
  listTestFiles,
  readMeta,
} from "../engine/discover.ts";
import { lintContent } from "./lint_content.ts";
import { listMutants, strayMutantFiles } from "../engine/mutants.ts";

/** Which rules apply: the course's (default) or a lighter set for small fixture workbooks. */
export interface LintRules {
  /** The fewest mutants an exercise may have (12 for the course). */
  minMutants: number;
  /** Whether the course-content rules of lint_content.ts apply (tasks, hints, promises, ...). */
  content: boolean;
}

/** The course's rules. */
export const COURSE_RULES: LintRules = { minMutants: 12, content: true };
import { duplicateNames, extractTests } from "../engine/testnames.ts";
import type { Exercise } from "../engine/types.ts";

/** Problems of one exercise folder. */
export interface LintResult {
  /** Folder name under exercises/. */
  exercise: string;
  /** Problems, empty when the exercise is clean. */
  problems: string[];
}

const FILE_EXT = /\.(ts|tsx|js|mjs|cjs|json|md|toml|txt|yaml|yml)$/;
const PATH_START = /^(\.\.?\/|exercises\/|solutions\/|lib\/|grader\/)/;

/**
 * File names a README mentions in backticks that look like paths: a known file extension, or a
 * relative path starting with ./, ../ or a top-level folder.
 *
 * @param markdown README text.
 * @returns The mentioned paths, each once.
 */
export function mentionedPaths(markdown: string): string[] {
  const out = new Set<string>();
  const noFences = markdown.replace(/```[\s\S]*?```/g, "");
  for (const m of noFences.matchAll(/`([^`\s]+)`/g)) {
    const t = m[1]!;
    if (!/^[\w.@/-]+$/.test(t)) continue;
    if (FILE_EXT.test(t) || PATH_START.test(t)) out.add(t);
  }
  return [...out];
}

/**
 * The first stub a test file imports before it imports lib/ (or at all, when it never imports
 * lib/). lib/ must load first: it freezes the assert objects and its own classes before the code
 * under test runs (lib/kit/harden.ts).
 *
 * @param source A test file's source.
 * @param stubs The exercise's stub files.
 * @returns The offending stub, or undefined.
 *
 * @example
 * ```ts
 * import { stubImportedBeforeLib } from "./lint.ts";
 * stubImportedBeforeLib('import { a } from "./a.ts";\nimport "../../lib/mod.ts";', ["a.ts"]); // "a.ts"
 * ```
 */
export function stubImportedBeforeLib(source: string, stubs: string[]): string | undefined {
  const imports = [
    ...source.matchAll(/^\s*import\b[^;]*?from\s+["']([^"']+)["']|^\s*import\s+["']([^"']+)["']/gm),
  ]
    .map((m) => m[1] ?? m[2]!);
  const libAt = imports.findIndex((p) => /(^|\/)lib\/(mod|kit\/|clock\/)/.test(p));
  for (const [i, p] of imports.entries()) {
    const stub = stubs.find((s) => p === `./${s}`);
    if (stub && (libAt === -1 || i < libAt)) return stub;
  }
  return undefined;
}

/**
 * Lints one exercise folder.
 *
 * @param root Workbook root (holding exercises/ and solutions/).
 * @param dir Folder name under exercises/.
 * @param rules Which rules apply (default: the course's).
 * @returns The exercise's problems.
 */
export function lintExercise(
  root: string,
  dir: string,
  rules: LintRules = COURSE_RULES,
): LintResult {
  const problems: string[] = [];
  const exDir = join(root, "exercises", dir);
  const rel = `exercises/${dir}`;
  if (!EXERCISE_DIR.test(dir)) {
    problems.push(`${rel}: folder name must be NN_slug (two digits, lowercase snake_case)`);
  }
  let meta: ReturnType<typeof readMeta> | null = null;
  try {
    meta = readMeta(join(exDir, "exercise.json"));
  } catch (e) {
    problems.push(e instanceof ExerciseError ? e.message.replace(root + "/", "") : String(e));
  }
  const readme = join(exDir, "README.md");
  if (!existsSync(readme)) problems.push(`${rel}/README.md is missing`);
  else {
    for (const p of mentionedPaths(readFileSync(readme, "utf8"))) {
      if (!existsSync(join(exDir, p)) && !existsSync(join(root, p))) {
        problems.push(
          `${rel}/README.md names \`${p}\`, which exists neither in ${rel}/ nor at the workbook root`,
        );
      }
    }
  }
  const hints = join(exDir, "HINTS.md");
  if (!existsSync(hints)) problems.push(`${rel}/HINTS.md is missing`);
  else {
    const text = readFileSync(hints, "utf8");
    for (const level of [1, 2]) {
      if (!new RegExp(`^##\\s+Level\\s+${level}\\b`, "m").test(text)) {
        problems.push(`${rel}/HINTS.md has no "## Level ${level}" section`);
      }
    }
  }
  const testFiles = existsSync(exDir) ? listTestFiles(exDir) : [];
  if (!testFiles.some((f) => f.endsWith(".test.ts"))) {
    problems.push(`${rel} has no visible test file (*.test.ts)`);
  }
  if (!testFiles.some((f) => f.endsWith(".hidden.ts"))) {
    problems.push(`${rel} has no hidden test file (*.hidden.ts)`);
  }
  for (const f of testFiles) {
    const { tests, nonLiteral } = extractTests(readFileSync(join(exDir, f), "utf8"));
    for (const n of nonLiteral) {
      problems.push(
        `${rel}/${f}:${n.line}: ${n.callee}() needs a string-literal name (the grader lists tests statically)`,
      );
    }
    for (const d of duplicateNames(tests)) {
      problems.push(`${rel}/${f}: test name "${d}" is used more than once`);
    }
    if (!tests.some((t) => !t.group)) problems.push(`${rel}/${f} declares no test`);
  }
  if (meta) {
    for (const f of testFiles) {
      const late = stubImportedBeforeLib(readFileSync(join(exDir, f), "utf8"), meta.stubs);
      if (late) {
        problems.push(
          `${rel}/${f} imports ./${late} before lib/ (import ../../lib/mod.ts first: it freezes what the code under test could patch)`,
        );
      }
    }
    for (const stub of meta.stubs) {
      const p = join(exDir, stub);
      if (!existsSync(p)) problems.push(`${rel}/${stub} (a stub in exercise.json) is missing`);
      else if (!readFileSync(p, "utf8").includes("// TODO:")) {
        problems.push(`${rel}/${stub} has no "// TODO:" comment`);
      }
      if (!existsSync(join(root, "solutions", dir, stub))) {
        problems.push(`solutions/${dir}/${stub} (the solution of stub ${stub}) is missing`);
      }
    }
    const ex: Exercise = {
      id: dir.slice(0, 2),
      dir,
      slug: dir.slice(3),
      meta,
      pristineDir: exDir,
      testFiles,
      expected: [],
      cpythonFiles: [],
      cpythonExpected: [],
    };
    const mutants = listMutants(root, ex);
    if (rules.content) {
      problems.push(...lintContent({
        root,
        dir,
        meta,
        rawMeta: JSON.parse(readFileSync(join(exDir, "exercise.json"), "utf8")),
        expected: expectedTests(exDir, testFiles),
        mutants: mutants.map((m) => m.name),
      }));
    }
    if (mutants.length < rules.minMutants) {
      problems.push(
        `solutions/${dir}/mutants/ has ${mutants.length} mutant patch(es); at least ${rules.minMutants} are needed`,
      );
    }
    for (const m of mutants) {
      if (!m.description) {
        problems.push(
          `solutions/${dir}/mutants/${m.name}.patch must start with a line "MUTANT: what is wrong"`,
        );
      }
      if (m.problem) problems.push(`solutions/${dir}/mutants/${m.name}.patch ${m.problem}`);
    }
    for (const f of strayMutantFiles(root, dir)) {
      problems.push(
        `solutions/${dir}/mutants/${f} is not a patch: mutants are unified diffs against the solution (NAME.patch)`,
      );
    }
  }
  return { exercise: dir, problems };
}

/**
 * Lints every exercise folder of a workbook.
 *
 * @param root Workbook root.
 * @param rules Which rules apply (default: the course's).
 * @returns One result per folder under exercises/ (files such as AUTHORING.md are skipped).
 */
export function lintWorkbook(root: string, rules: LintRules = COURSE_RULES): LintResult[] {
  const base = join(root, "exercises");
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .sort()
    .filter((d) => statSync(join(base, d)).isDirectory())
    .map((d) => lintExercise(root, d, rules));
}

/** The project-level documents whose file names must exist. */
export const PROJECT_DOCS = [
  "README.md",
  "lib/README.md",
  "grader/README.md",
  "exercises/AUTHORING.md",
];

/**
 * Files that exist only once the tools have run, so documents may name them freely: the progress
 * file, a Gradescope results file, the workflow a student export writes.
 */
const GENERATED = new Set([
  ".workbook-progress.json",
  "results.json",
  ".github/workflows/classroom.yml",
]);

/** A placeholder in a documented path: NN_slug, 07_slug, NAME, FILE.zip, ... */
const PLACEHOLDER = /(^|[/_])(NN|slug|NAME|FILE|DIR|ID|BOOK)([._/]|$)|\.\.\.$/;

/**
 * Lints the project-level documents: every file name they mention in backticks must exist
 * relative to the workbook root or to the document's folder, or be a file every exercise has
 * (`HINTS.md`), or be relative to an exercise folder (`../../lib/mod.ts`, `./crawler.ts` in the
 * authoring guide's examples), unless it is a placeholder or a file the tools generate.
 *
 * @param root Workbook root.
 * @returns One result per document that exists.
 *
 * @example
 * ```ts
 * import { lintDocs } from "./lint.ts";
 * lintDocs(".").every((r) => r.problems.length === 0);
 * ```
 */
export function lintDocs(root: string): LintResult[] {
  const exerciseDirs = existsSync(join(root, "exercises"))
    ? readdirSync(join(root, "exercises")).filter((d) => EXERCISE_DIR.test(d)).map((d) =>
      join(root, "exercises", d)
    )
    : [];
  const exists = (doc: string, p: string) =>
    existsSync(join(root, p)) || existsSync(join(root, dirname(doc), p)) ||
    exerciseDirs.some((d) => existsSync(join(d, p)));
  return PROJECT_DOCS.filter((doc) => existsSync(join(root, doc))).map((doc) => {
    const text = readFileSync(join(root, doc), "utf8");
    const problems = mentionedPaths(text)
      .filter((p) => !GENERATED.has(p) && !PLACEHOLDER.test(p) && !exists(doc, p))
      .map((p) => `${doc} mentions \`${p}\`, which does not exist`);
    return { exercise: doc, problems };
  });
}
