/**
 * The workbook's self-check: the authoring lint, every solution at full marks, every stub at zero
 * on its hidden tests (fast, failing as "not implemented"), and every mutant caught. Each check
 * is an item that passes or fails; `grader/project_test.ts` counts them.
 *
 * @module
 */

import { discoverExercises } from "../engine/discover.ts";
import { grade } from "../engine/grade.ts";
import { AUTOGRADER_SCHEDULES } from "../engine/grade_options.ts";
import { COURSE_RULES, lintDocs, lintExercise, type LintRules, lintWorkbook } from "./lint.ts";
import { readPromises } from "./promises.ts";
import { join } from "node:path";
import { findBinary } from "../engine/runtimes.ts";
import { strykerStatus } from "../stryker/status.ts";
import type { MutantResult, Runtime } from "../engine/types.ts";

/** One self-check item. */
export interface CheckItem {
  /** What was checked. */
  name: string;
  /** Whether it holds. */
  ok: boolean;
  /** Why not (or a note). */
  detail?: string;
}

/** Options of {@linkcode selfCheck}. */
export interface SelfCheckOptions {
  /** The grader's workbook (node_modules, binaries). */
  toolRoot: string;
  /** The workbook to check (default toolRoot). */
  root?: string;
  /** Runtimes for solutions and stubs (default both). */
  runtimes?: Runtime[];
  /** The one runtime for mutants (default: every runtime of `runtimes`, Bun first). */
  mutantRuntime?: Runtime;
  /** Parallel processes. */
  jobs?: number;
  /** Progress messages. */
  log?: (line: string) => void;
  /** Lint rules (default: the course's). */
  rules?: LintRules;
  /** Only these exercise folders (default: all), and no project documents. */
  only?: string[];
}

/** What {@linkcode selfCheck} found. */
export interface SelfCheckResult {
  /** Items. */
  items: CheckItem[];
  /** Runtimes skipped because they are not installed. */
  skipped: Runtime[];
  /** Number of exercises checked. */
  exercises: number;
  /** Caught / all mutants, the lowest over the runtimes (1 when there are none). */
  mutationScore: number;
  /** Wall seconds per phase. */
  timings: Record<string, number>;
}

/**
 * Runs the self-check.
 *
 * @param o Options.
 * @returns Items, skipped runtimes and timings.
 */
export async function selfCheck(o: SelfCheckOptions): Promise<SelfCheckResult> {
  const root = o.root ?? o.toolRoot;
  const log = o.log ?? (() => {});
  const items: CheckItem[] = [];
  const timings: Record<string, number> = {};
  const time = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await f();
    } finally {
      timings[label] = Math.round((Date.now() - t0) / 100) / 10;
      log(`  ${label}: ${timings[label]} s`);
    }
  };
  const lints = o.only
    ? o.only.map((d) => lintExercise(root, d, o.rules ?? COURSE_RULES))
    : [...lintDocs(root), ...lintWorkbook(root, o.rules ?? COURSE_RULES)];
  for (const l of lints) {
    items.push({
      name: `lint ${l.exercise}`,
      ok: l.problems.length === 0,
      ...(l.problems.length ? { detail: l.problems.join("\n") } : {}),
    });
  }
  const exercises = discoverExercises(root, () => {}).filter((e) =>
    !o.only || o.only.includes(e.dir)
  );
  const wanted = o.runtimes ?? ["deno", "bun"];
  const runtimes = wanted.filter((r) => findBinary(r, o.toolRoot));
  const skipped = wanted.filter((r) => !runtimes.includes(r));
  const base = {
    toolRoot: o.toolRoot,
    pristineRoot: root,
    submissionRoot: root,
    exercises,
    ...(o.jobs ? { jobs: o.jobs } : {}),
  };
  let mutationScore = 1;
  if (exercises.length > 0) {
    for (const rt of runtimes) {
      const sol = await time(
        `solutions ${rt}`,
        // The solutions are type-checked in place of the stubs (they import the exercise's given
        // files, which exist only beside the stubs).
        // Under the autograders' default schedules too: a correct submission must never lose a
        // point to an order of same-instant timers the runtimes do not promise.
        () =>
          grade({
            ...base,
            mode: "solutions",
            runtimes: [rt],
            typeCheck: rt === runtimes[0],
            schedules: AUTOGRADER_SCHEDULES,
          }),
      );
      for (const e of sol.exercises) {
        const bad = e.tests.filter((t) => t.status !== "pass");
        const typeErrors = e.type_errors.map((t) =>
          `type error ${t.file}:${t.line}:${t.column} ${t.message}`
        );
        items.push({
          name: `solution ${e.dir} full marks in ${
            1 + AUTOGRADER_SCHEDULES
          } schedules and no type error on ${rt}`,
          ok: e.score === e.max_score && bad.length === 0 && e.tests.length > 0 &&
            typeErrors.length === 0,
          ...(bad.length || e.reason || e.tests.length === 0 || typeErrors.length
            ? {
              detail: [
                e.reason,
                e.tests.length === 0 ? "no tests found" : "",
                ...typeErrors,
                ...bad.map((t) => `${t.name}: [${t.reason}] ${t.message.split("\n")[0]}`),
              ].filter(Boolean).join("\n"),
            }
            : {}),
        });
      }
      const cpy = await time(
        `cpython ${rt}`,
        () => grade({ ...base, mode: "solutions", suite: "cpython", runtimes: [rt] }),
      );
      for (const e of cpy.exercises) {
        const bad = e.tests.filter((t) => t.status !== "pass");
        items.push({
          name: `cpython cases of ${e.dir} hold for the solution on ${rt}`,
          ok: bad.length === 0 && e.tests.length > 0 && !e.reason,
          ...(bad.length || e.reason
            ? {
              detail: [e.reason, ...bad.map((t) => `${t.name}: ${t.message.split("\n")[0]}`)]
                .filter(Boolean).join("\n"),
            }
            : {}),
        });
      }
      const alt = await time(
        `alternatives ${rt}`,
        () => grade({ ...base, mode: "alternatives", runtimes: [rt] }),
      );
      for (const e of alt.exercises) {
        const bad = e.tests.filter((t) => t.status !== "pass");
        items.push({
          name: `alternative ${e.dir} full marks on ${rt}`,
          ok: e.score === e.max_score && bad.length === 0,
          ...(bad.length || e.reason
            ? {
              detail: [e.reason, ...bad.map((t) => `${t.name}: ${t.message.split("\n")[0]}`)]
                .filter(Boolean).join("\n"),
            }
            : {}),
        });
      }
      const stubs = await time(
        `stubs ${rt}`,
        () => grade({ ...base, mode: "stubs", runtimes: [rt] }),
      );
      for (const e of stubs.exercises) {
        const ex = exercises.find((x) => x.dir === e.dir)!;
        const problems: string[] = [];
        for (const t of e.tests) {
          if (t.hidden && t.status === "pass") {
            problems.push(`hidden test passes with the stub: ${t.name}`);
          }
          if (t.status !== "pass" && t.reason !== "not-started") {
            problems.push(
              `fails for the wrong reason (${t.reason}, not not-started): ${t.name}: ${
                t.message.split("\n")[0]
              }`,
            );
          }
        }
        if (e.time > ex.meta.timeoutSec / 2) {
          problems.push(`took ${e.time} s, over half its ${ex.meta.timeoutSec} s limit`);
        }
        items.push({
          name: `stub ${e.dir} scores 0 on hidden tests, not-started, fast, on ${rt}`,
          ok: problems.length === 0,
          ...(problems.length ? { detail: problems.join("\n") } : {}),
        });
      }
    }
    // Every mutant on every runtime (a mutant one runtime's tests miss is a hole there too);
    // Bun first, as it is the faster. The promise tables are checked on the first.
    const mrts = o.mutantRuntime && runtimes.includes(o.mutantRuntime)
      ? [o.mutantRuntime]
      : [...runtimes].sort((a, b) => (a === "bun" ? -1 : b === "bun" ? 1 : 0));
    for (const [i, mrt] of mrts.entries()) {
      const mut = await time(
        `mutants ${mrt}`,
        () => grade({ ...base, mode: "mutants", runtimes: [mrt] }),
      );
      for (const m of mut.mutants ?? []) {
        items.push({
          name: `mutant ${m.exercise}/${m.mutant} caught on ${mrt}`,
          ok: m.caught,
          ...(m.caught ? {} : { detail: `every test passed; the mutant: ${m.description}` }),
        });
      }
      mutationScore = Math.min(mutationScore, mut.mutation_score ?? 1);
      if (i === 0) {
        items.push(...promiseKills(root, exercises.map((e) => e.dir), mut.mutants ?? []));
      }
    }
  }
  // Stryker's last recorded run per exercise (npm run mutate): reported, not a check, since it
  // is not run here and goes out of date with every edit of a solution or its tests.
  for (const e of exercises) o.log?.(`  ${e.dir}: ${strykerStatus(root, e.dir).message}`);
  return { items, skipped, exercises: exercises.length, mutationScore, timings };
}

/**
 * The promise tables' check: for each row, every mutant it names is caught by at least one of the
 * row's tests (the mutant proves that those tests can fail).
 *
 * @param root Workbook root.
 * @param dirs Exercise folders.
 * @param mutants Mutant results with the tests that caught each.
 * @returns One item per exercise that has a promise table.
 */
export function promiseKills(root: string, dirs: string[], mutants: MutantResult[]): CheckItem[] {
  const items: CheckItem[] = [];
  for (const dir of dirs) {
    const { table } = readPromises(join(root, "solutions", dir, "promises.json"));
    if (!table) continue;
    const problems: string[] = [];
    for (const row of table.promises) {
      for (const m of row.mutants) {
        const r = mutants.find((x) => x.exercise === dir && x.mutant === m);
        if (!r) continue; // a missing mutant is the lint's finding
        if (!r.caught_by.some((t) => row.tests.includes(t))) {
          problems.push(
            `"${row.id}": mutant ${m} is caught by none of the row's tests` +
              (r.caught_by.length
                ? ` (it is caught by: ${r.caught_by.slice(0, 3).join("; ")})`
                : " (nothing catches it)"),
          );
        }
      }
    }
    items.push({
      name: `promises of ${dir}: each mutant caught by its row's tests`,
      ok: problems.length === 0,
      ...(problems.length ? { detail: problems.join("\n") } : {}),
    });
  }
  return items;
}
