/**
 * The project's whole test-suite, run by `grade check` (`npm test`, `deno task test`, `bun run test`).
 *
 * 1. Unit suites (`lib/**\/*.test.ts`, `grader/**\/*.test.ts`; not fixtures, not exercises) under
 *    `deno test` and under `bun test`, counted from their JUnit reports.
 * 2. Static checks: deno lint, deno fmt --check, tsc, deno check, folder cycles, file sizes.
 * 3. The self-check: authoring lint, solutions on both runtimes, stubs on both runtimes, mutants
 *    on one runtime (Bun, the faster).
 * A runtime that is not installed is reported as skipped, loudly. Prints a summary and ends with
 * exactly one line `N passed, M failed`; exits non-zero when M > 0.
 *
 * @module
 */

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { countReport } from "./junit_report.ts";
import { runProcess } from "../engine/proc.ts";
import { childEnv } from "../engine/env.ts";
import { findBinary } from "../engine/runtimes.ts";
import { selfCheck } from "./selfcheck.ts";
import { staticChecks } from "./static.ts";
import type { Runtime } from "../engine/types.ts";

/**
 * Lists unit-test files: `*.test.ts` under lib/ and grader/, skipping fixtures and node_modules.
 *
 * @param base Workbook root.
 * @returns Paths relative to the root, sorted.
 */
export function unitTestFiles(base: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (name === "node_modules" || name === "fixtures" || name.startsWith(".")) continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".test.ts")) found.push(relative(base, p));
    }
  };
  walk(join(base, "lib"));
  walk(join(base, "grader"));
  return found;
}

/** The whole unit suite of one runtime must end within this (the hostile suites grade for real). */
const UNIT_SUITE_LIMIT_MS = 900_000;

async function unitSuite(
  root: string,
  rt: Runtime,
  files: string[],
): Promise<{ passed: number; failed: number; lines: string[] }> {
  const bin = findBinary(rt, root)!;
  const dir = mkdtempSync(join(tmpdir(), "workbook-unit-"));
  const report = join(dir, "report.xml");
  try {
    const args = rt === "deno"
      ? ["test", "--no-check", "-A", `--junit-path=${report}`, ...files]
      : [
        "test",
        // Bun's default per-test limit (5 s) is too short for the grading tests on a loaded
        // 2-core machine; tests that need less say so themselves.
        "--timeout=120000",
        "--reporter=junit",
        `--reporter-outfile=${report}`,
        ...files.map((f) => `./${f}`),
      ];
    const env = { ...childEnv(), ...(process.env.CI ? { CI: process.env.CI } : {}) };
    const res = await runProcess("sh", ["-c", 'exec "$0" "$@" 2>&1', bin, ...args], {
      cwd: root,
      env,
      timeoutMs: UNIT_SUITE_LIMIT_MS,
    });
    const lines: string[] = [];
    if (res.killed || !existsSync(report)) {
      const tail = (res.stdout + res.stderr).trim().split("\n").slice(-15).join("\n");
      return {
        passed: 0,
        failed: 1,
        lines: [
          `${rt} unit suites: no report (${
            res.killed ? `killed after ${UNIT_SUITE_LIMIT_MS / 1000} s` : `exit code ${res.code}`
          })`,
          tail,
        ],
      };
    }
    const c = countReport(readFileSync(report, "utf8"), rt);
    for (const f of c.failures) lines.push(`  FAIL ${f}`);
    let failed = c.failed;
    if (res.code !== 0 && failed === 0) {
      failed = 1;
      lines.push(`  FAIL ${rt} test exited ${res.code} although its report lists no failure:`);
      lines.push((res.stdout + res.stderr).trim().split("\n").slice(-10).join("\n"));
    }
    return { passed: c.passed, failed, lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the whole test-suite and prints a summary ending with `N passed, M failed`.
 *
 * @param root The workbook.
 * @param out Prints one line.
 * @returns The exit code: 0 when nothing failed.
 */
export async function projectTest(root: string, out: (line?: string) => void): Promise<number> {
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  const files = unitTestFiles(root);
  const installed = (["deno", "bun"] as const).filter((r) => findBinary(r, root));
  const missing = (["deno", "bun"] as const).filter((r) => !installed.includes(r));
  for (const r of missing) {
    out(
      `!!! SKIPPED: ${r} is not installed (no node_modules/.bin/${r}, none on PATH): its suites and self-check did not run !!!`,
    );
  }
  out(`== unit suites (${files.length} files)`);
  for (const rt of installed) {
    if (files.length === 0) break;
    const t0 = Date.now();
    const r = await unitSuite(root, rt, files);
    out(
      `${rt}: ${r.passed} passed, ${r.failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
    for (const l of r.lines) out(l);
    passed += r.passed;
    failed += r.failed;
  }
  out("");
  out("== static checks");
  for (const item of await staticChecks(root)) {
    if (item.ok) passed++;
    else {
      failed++;
      out(`FAIL ${item.name}`);
      if (item.detail) out(item.detail.split("\n").map((l) => `     ${l}`).join("\n"));
    }
  }
  out("");
  out("== self-check");
  const sc = await selfCheck({ toolRoot: root, runtimes: ["deno", "bun"], log: out });
  for (const item of sc.items) {
    if (item.ok) passed++;
    else {
      failed++;
      out(`FAIL ${item.name}`);
      if (item.detail) out(item.detail.split("\n").map((l) => `     ${l}`).join("\n"));
    }
  }
  const by = (prefix: string) => {
    const xs = sc.items.filter((i) => i.name.startsWith(prefix));
    return `${xs.filter((i) => i.ok).length}/${xs.length}`;
  };
  out(
    `${sc.exercises} exercises: lint ${by("lint ")}, solutions ${by("solution ")}, stubs ${
      by("stub ")
    }, mutants ${by("mutant ")} caught (mutation score ${Math.round(sc.mutationScore * 100)}%)`,
  );
  for (const r of sc.skipped) out(`!!! SKIPPED: self-check on ${r} (not installed) !!!`);
  out(`total time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  out(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}
