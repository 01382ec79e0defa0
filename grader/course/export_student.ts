/**
 * `grade export --student DIR`: a copy of the workbook for students. It keeps the stubs, the
 * visible tests, READMEs, hints, exercise.json, lib/, the grader and the configs; it leaves out
 * solutions/ (and with them every mutant), hidden tests (`*.hidden.ts`), the grader's own tests
 * and fixtures, and the authoring guide. It adds a snapshot of the pristine stubs
 * (`.workbook/pristine/`, for `grade reset`), a GitHub Classroom workflow, a .gitignore, and
 * package.json / deno.json tasks whose `test` runs the visible tests (the full project test-suite
 * needs the solutions).
 *
 * @module
 */

import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { discoverExercises } from "../engine/discover.ts";
import { snapshotPath } from "../engine/pristine.ts";
import { copyFiles, ensureEmptyDir, listFiles } from "./copy.ts";

/** Top-level files a student copy keeps. */
const TOP_FILES = new Set([
  "README.md",
  "package.json",
  "package-lock.json",
  "deno.json",
  "tsconfig.json",
]);

/** Grader files only the workbook's authors need (tests, fixtures, the self-check). */
const AUTHOR_ONLY = [
  /^grader\/fixtures\//,
  /\.test\.ts$/,
  /^grader\/fixtures\.ts$/,
  /^grader\/project_test\.ts$/,
  /^grader\/selfcheck\.ts$/,
  /^grader\/bench\.ts$/,
  /^grader\/templates\/gradescope\//,
];

/**
 * Whether a workbook path belongs in a student copy.
 *
 * @param rel `/`-separated path relative to the workbook root (folders end with "/").
 * @returns true to copy it.
 *
 * @example
 * ```ts
 * studentKeeps("exercises/01_sleep_and_gather/gather.hidden.ts"); // false
 * studentKeeps("exercises/01_sleep_and_gather/gather.test.ts"); // true
 * ```
 */
export function studentKeeps(rel: string): boolean {
  const top = rel.split("/")[0]!;
  if (!rel.includes("/")) return TOP_FILES.has(rel);
  if (top === "lib") return true;
  if (top === "exercises") {
    if (rel === "exercises/AUTHORING.md") return false;
    return !rel.endsWith(".hidden.ts") && !/\/mutants\//.test(rel);
  }
  if (top === "grader") {
    if (rel.endsWith("/")) return !AUTHOR_ONLY.some((r) => r.test(rel));
    return !AUTHOR_ONLY.some((r) => r.test(rel));
  }
  return false;
}

/** What {@linkcode exportStudent} wrote. */
export interface StudentExport {
  /** Files written, relative to the target. */
  files: string[];
  /** Exercises exported. */
  exercises: string[];
}

const STUDENT_NOTE =
  `> **Student copy.** This copy has the stubs and the visible tests; the solutions and the hidden
> tests stay with your instructor. \`npm test\` (or \`bun test\`, or \`deno task test\`) runs the visible
> tests, \`npm run grade\` scores them, and \`npm run grade -- --watch\` re-grades as you save.
> \`.workbook/pristine/\` keeps the original stubs for \`grade reset ID\`; do not edit it.

`;

const GITIGNORE = `node_modules/
.workbook-progress.json
.workbook/backups/
.grade/
*.log
`;

/** What each command a student copy documents does there (the others are not advertised). */
const STUDENT_COMMANDS: [string, string][] = [
  ["grade", "Grades the exercises (see above)."],
  [
    "test",
    "Runs the visible tests of every exercise (`bun test exercises` or `deno test exercises`).",
  ],
  ["check", "Type-checks `lib`, `grader` and `exercises` with `tsc` and `deno check`."],
];

/** Removes the sentence that starts with `start`: up to its first full stop outside brackets. */
function dropSentence(text: string, start: string): string {
  const at = text.indexOf(start);
  if (at === -1) return text;
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i]!;
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (c === "." && depth === 0 && /^(\s|$)/.test(text.slice(i + 1, i + 2))) {
      const before = text.slice(0, at).replace(/ $/, "");
      const after = text.slice(i + 1).replace(/^[ \n]/, (w) => (before.endsWith("\n") ? "" : w));
      return before + after;
    }
  }
  return text;
}

/** The `## heading` sections of a Markdown text: the text before the first, then each section. */
function sections(text: string): string[] {
  return text.split(/(?=^## )/m);
}

/**
 * The workbook's README as a student copy needs it: only commands its package.json and deno.json
 * have, only files it has. The instructors' section goes; the project commands are those of the
 * copy; the quick start's test column runs the visible tests; the layout names no solutions/ and
 * no CI; nothing mentions the hidden tests as part of the student's grade, the authoring guide, the
 * self-check modes, or the solutions' folder.
 *
 * @param readme The full workbook's README.
 * @param scripts The copy's package.json scripts.
 * @param tasks The copy's deno.json tasks.
 * @returns The copy's README (the student note first).
 *
 * @example
 * ```ts
 * studentReadme("# W\n\n## For instructors\n\nexport\n", {}, {}); // no "For instructors"
 * ```
 */
export function studentReadme(
  readme: string,
  scripts: Record<string, string>,
  tasks: Record<string, string>,
): string {
  const both = STUDENT_COMMANDS.filter(([n]) => n in scripts && n in tasks);
  const width = Math.max(...both.map(([n]) => n.length + 2), 4);
  const text = Math.max(...both.map(([, d]) => d.length), 12);
  const commands = [
    "## Commands",
    "",
    "The same names exist as `deno task NAME`, `bun run NAME` and `npm run NAME`:",
    "",
    `| ${"Task".padEnd(width)} | ${"What it does".padEnd(text)} |`,
    `| ${"-".repeat(width)} | ${"-".repeat(text)} |`,
    ...both.map(([n, d]) => `| ${`\`${n}\``.padEnd(width)} | ${d.padEnd(text)} |`),
    "",
    "",
  ].join("\n");
  const out = sections(dropSentence(readme, "The self-check modes are")).flatMap((sec) => {
    const head = /^## (.*)$/m.exec(sec)?.[1]?.trim() ?? "";
    if (head === "For instructors") return [];
    if (head === "Project commands") return [commands];
    return [
      sec
        .replace(
          /Run the project's own test-suite( *)\|/,
          (_m, pad: string) => `${"Run the visible tests".padEnd(32 + pad.length)}|`,
        )
        .replace(/Grade it, with the hidden tests too: /, "Grade it: ")
        .replace(/\s*`exercises\/AUTHORING\.md`\s+has\s+the\s+full\s+contract\./, "")
        .replace(/, \*\.hidden\.ts \(hidden\)/, "")
        .replace(
          /- \*\*Solutions\.\*\*[\s\S]*?(?=\n- \*\*|\n\n)/,
          "- **Solutions.** This copy has no reference solutions: your instructor has them.",
        )
        .split("\n")
        .filter((l) => !/^(solutions\/|\.ci\/)/.test(l))
        .map((l) =>
          l.startsWith("grader/ ")
            ? l.replace(
              /the grading CLI.*\(grader\/README\.md\)/,
              "the grading CLI and its formats (grader/README.md)",
            )
            : l
        )
        .join("\n"),
    ];
  });
  return STUDENT_NOTE + out.join("");
}

function rewriteJson(file: string, edit: (o: Record<string, unknown>) => void): void {
  const o = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  edit(o);
  writeFileSync(file, JSON.stringify(o, null, 2) + "\n");
}

/**
 * Writes a student copy of a workbook.
 *
 * @param root The full workbook (with solutions and hidden tests).
 * @param target A missing or empty folder.
 * @param templates Folder holding classroom.yml (default: root/grader/templates).
 * @returns What was written.
 * @throws {Error} When the target is not empty or the workbook has no exercises.
 *
 * @example
 * ```ts
 * exportStudent(".", "/tmp/student-copy");
 * ```
 */
export function exportStudent(
  root: string,
  target: string,
  templates = join(root, "grader", "templates"),
): StudentExport {
  const exercises = discoverExercises(root);
  if (exercises.length === 0) {
    throw new Error(
      `Cannot export "${root}": it has no exercises/NN_slug folders with an exercise.json`,
    );
  }
  ensureEmptyDir(target, "a student copy");
  const files = listFiles(root, studentKeeps);
  copyFiles(root, target, files);
  for (const ex of exercises) {
    for (const stub of ex.meta.stubs) {
      const dst = snapshotPath(target, ex.dir, stub);
      mkdirSync(dirname(dst), { recursive: true });
      copyFileSync(join(ex.pristineDir, stub), dst);
      files.push(dst.slice(target.length + 1));
    }
  }
  if (existsSync(join(target, "package.json"))) {
    rewriteJson(join(target, "package.json"), (o) => {
      const s = (o.scripts ?? {}) as Record<string, string>;
      s.test = "bun test exercises";
      if (s.check) s.check = s.check.replace(/ solutions\b/g, "");
      delete s.bench;
      o.scripts = s;
    });
  }
  if (existsSync(join(target, "deno.json"))) {
    rewriteJson(join(target, "deno.json"), (o) => {
      const t = (o.tasks ?? {}) as Record<string, string>;
      t.test =
        "deno run --allow-all grader/setup/ensure_deps.ts && deno test --allow-all --no-check exercises";
      if (t.check) t.check = t.check.replace(/ solutions\b/g, "");
      delete t.bench;
      o.tasks = t;
    });
  }
  if (existsSync(join(target, "tsconfig.json"))) {
    rewriteJson(join(target, "tsconfig.json"), (o) => {
      if (Array.isArray(o.include)) o.include = o.include.filter((x) => x !== "solutions");
    });
  }
  if (existsSync(join(target, "README.md"))) {
    const read = (f: string, key: string) =>
      existsSync(join(target, f))
        ? (JSON.parse(readFileSync(join(target, f), "utf8"))[key] ?? {}) as Record<string, string>
        : {};
    writeFileSync(
      join(target, "README.md"),
      studentReadme(
        readFileSync(join(target, "README.md"), "utf8"),
        read("package.json", "scripts"),
        read("deno.json", "tasks"),
      ),
    );
  }
  writeFileSync(join(target, ".gitignore"), GITIGNORE);
  files.push(".gitignore");
  const wf = join(templates, "classroom.yml");
  if (existsSync(wf)) {
    mkdirSync(join(target, ".github", "workflows"), { recursive: true });
    copyFileSync(wf, join(target, ".github", "workflows", "classroom.yml"));
    files.push(".github/workflows/classroom.yml");
  }
  return { files: files.sort(), exercises: exercises.map((e) => e.dir) };
}
