/**
 * The benchmark behind `grade bench` (`npm run bench`, `deno task bench`, `bun run bench`).
 *
 * Per runtime: the wall time to grade every exercise with --solutions; the wall time of the bare
 * runner over the same test files in one process (the floor); their ratio (target <= 1.5); the
 * virtual time the tests simulated (the clock library prints `##workbook-clock {"virtualMs":N}`
 * lines when WORKBOOK_CLOCK_REPORT=1) and the virtual/wall speedup. Ends with one line per runtime:
 * `bench RUNTIME: grade X.XXs, bare Y.YYs, ratio R.RR, virtual V.Vs, speedup S.Sx`.
 *
 * @module
 */

import { discoverExercises } from "../engine/discover.ts";
import { grade } from "../engine/grade.ts";
import { buildUnits } from "../engine/plan.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { childEnv } from "../engine/env.ts";
import { runProcess } from "../engine/proc.ts";
import { findBinary } from "../engine/runtimes.ts";
import type { Runtime } from "../engine/types.ts";
import { createWorkspace } from "../engine/workspace.ts";

/**
 * Sums the virtual milliseconds of `##workbook-clock` lines.
 *
 * @param text Runner output.
 * @returns Total virtual ms (0 when there are none).
 */
export function sumVirtualMs(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/##workbook-clock (\{[^\n]*\})/g)) {
    try {
      const v = Number((JSON.parse(m[1]!) as { virtualMs?: unknown }).virtualMs);
      if (Number.isFinite(v)) total += v;
    } catch { /* a line cut or forged: ignore */ }
  }
  return total;
}

/**
 * Benchmarks one runtime.
 *
 * @param rt The runtime.
 * @param log Progress lines.
 * @returns The summary line `bench RUNTIME: ...`.
 */
export async function benchRuntime(rt: Runtime, log: (line: string) => void): Promise<string> {
  const exercises = discoverExercises(TOOL_ROOT, () => {});
  const base = {
    toolRoot: TOOL_ROOT,
    pristineRoot: TOOL_ROOT,
    submissionRoot: TOOL_ROOT,
    exercises,
    mode: "solutions" as const,
    runtimes: [rt],
  };
  // Warm-up (module cache), not measured.
  await grade(base);
  const t0 = performance.now();
  const report = await grade(base);
  const gradeS = (performance.now() - t0) / 1000;
  const { units } = buildUnits(base);
  const ws = createWorkspace(TOOL_ROOT, TOOL_ROOT, units, { harness: false });
  let bareS = 0;
  let virtualMs = 0;
  try {
    const files = units.flatMap((u) =>
      u.exercise.testFiles.map((f) => `exercises/${u.wsDir}/${f}`)
    );
    // The bare runner: `deno test` / `bun test` over the same (unrewritten) test files, in one process.
    const bin = findBinary(rt, TOOL_ROOT)!;
    const args = rt === "deno"
      ? ["test", "--no-check", "--no-lock", "--node-modules-dir=manual", "-A", ...files]
      : ["test", "--timeout", "60000", ...files.map((f) => `./${f}`)];
    const r = await runProcess("sh", ["-c", 'exec "$0" "$@" 2>&1', bin, ...args], {
      cwd: ws.ws,
      env: childEnv(true),
      timeoutMs: 600_000,
    });
    bareS = r.ms / 1000;
    virtualMs = sumVirtualMs(r.stdout + r.stderr);
  } finally {
    ws.cleanup();
  }
  const ratio = bareS > 0 ? gradeS / bareS : 0;
  const speedup = gradeS > 0 ? virtualMs / 1000 / gradeS : 0;
  log(
    `${rt}: ${exercises.length} exercises, score ${report.score}/${report.max_score}; grade ${
      gradeS.toFixed(2)
    } s, bare runner ${bareS.toFixed(2)} s`,
  );
  return `bench ${rt}: grade ${gradeS.toFixed(2)}s, bare ${bareS.toFixed(2)}s, ratio ${
    ratio.toFixed(2)
  }, virtual ${(virtualMs / 1000).toFixed(1)}s, speedup ${speedup.toFixed(1)}x`;
}
