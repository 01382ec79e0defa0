/**
 * The benchmark behind `grade bench` (`npm run bench`, `deno task bench`, `bun run bench`).
 *
 * Per runtime, after one warm-up: the wall time to grade every exercise's solution (the grader
 * as users run it: workspace, sandbox when there is one, harness, scoring); the bare runner over
 * the same test files in its fastest form (`deno test` over one generated module importing them
 * all; `bun test` over the files), which is the floor; the virtual time the tests simulated and
 * the virtual/wall speed-up; one exercise graded from the command line to the verdict (median of
 * 5) against the bare runner on that exercise; watch mode's re-grade of that exercise in the running
 * grader with its spare process (median of 5); and the real time until a deadlock is named. The
 * output lines are stable (documented in grader/README.md):
 *
 * ```
 * bench RUNTIME: grade X.XXs, bare Y.YYs, ratio R.RR, virtual V.Vs, speedup S.Sx
 * bench RUNTIME: one exercise X.XXs (median of 5), bare Y.YYs
 * bench RUNTIME: watch re-grade X.XXs (median of 5)
 * bench RUNTIME: deadlock named after X ms
 * bench deno/bun: R.RR
 * ```
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverExercises } from "../engine/discover.ts";
import { childEnv } from "../engine/env.ts";
import { grade } from "../engine/grade.ts";
import { inPlace } from "../engine/grade_options.ts";
import { Spare } from "../engine/spare.ts";
import { buildUnits } from "../engine/plan.ts";
import { runProcess } from "../engine/proc.ts";
import { findBinary } from "../engine/runtimes.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import type { Exercise, Runtime } from "../engine/types.ts";
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
    } catch {
      // A line cut or forged by printed output counts nothing.
    }
  }
  return total;
}

/**
 * The median of some numbers.
 *
 * @param xs Numbers (at least one).
 * @returns The median.
 */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The bare runner over some exercises' solutions: wall seconds and the virtual ms simulated. */
async function bare(rt: Runtime, exercises: Exercise[]): Promise<{ s: number; virtualMs: number }> {
  const base = {
    toolRoot: TOOL_ROOT,
    pristineRoot: TOOL_ROOT,
    submissionRoot: TOOL_ROOT,
    exercises,
    mode: "solutions" as const,
    runtimes: [rt],
  };
  const { units } = buildUnits(base);
  const ws = createWorkspace(TOOL_ROOT, TOOL_ROOT, units, { harness: false });
  try {
    const files = units.flatMap((u) =>
      u.exercise.testFiles.map((f) => `exercises/${u.wsDir}/${f}`)
    );
    let args: string[];
    if (rt === "deno") {
      // Deno's fastest form: one module importing every test file (one isolate, not one per file).
      writeFileSync(
        join(ws.ws, "all.test.ts"),
        files.map((f) => `import ${JSON.stringify(`./${f}`)};`).join("\n") + "\n",
      );
      args = ["test", "--no-check", "--no-lock", "--node-modules-dir=manual", "-A", "all.test.ts"];
    } else args = ["test", "--timeout", "60000", ...files.map((f) => `./${f}`)];
    const r = await runProcess("sh", [
      "-c",
      'exec "$0" "$@" 2>&1',
      findBinary(rt, TOOL_ROOT)!,
      ...args,
    ], {
      cwd: ws.ws,
      env: childEnv(true),
      timeoutMs: 600_000,
    });
    return { s: r.ms / 1000, virtualMs: sumVirtualMs(r.stdout + r.stderr) };
  } finally {
    ws.cleanup();
  }
}

/** One exercise from the command line to its verdict (the grader's whole start-up included). */
function oneExercise(rt: Runtime, id: string): number {
  const bin = findBinary(rt, TOOL_ROOT)!;
  const main = join(TOOL_ROOT, "grader", "main.ts");
  const t0 = performance.now();
  spawnSync(bin, [
    ...(rt === "deno" ? ["run", "-A"] : []),
    main,
    id,
    "--solutions",
    "--runtime",
    rt,
    "--no-color",
  ], {
    cwd: TOOL_ROOT,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: "ignore",
  });
  return (performance.now() - t0) / 1000;
}

/** Real ms until the clock names a deadlock, measured in the runtime's own process. */
function deadlockMs(rt: Runtime): number {
  const code =
    `import { runWithClock } from ${JSON.stringify(join(TOOL_ROOT, "lib", "mod.ts"))};\n` +
    "const t0 = performance.now();\ntry { await runWithClock(() => new Promise(() => {})); } catch {}\n" +
    "console.log(Math.round(performance.now() - t0));\n";
  const r = spawnSync(findBinary(rt, TOOL_ROOT)!, [
    ...(rt === "deno" ? ["eval", "--ext=ts"] : ["-e"]),
    code,
  ], { cwd: TOOL_ROOT, encoding: "utf8" });
  return Number(/(\d+)\s*$/.exec(r.stdout)?.[1] ?? NaN);
}

/**
 * What watch mode does after a save, five times: a learner's copy of one exercise (its visible
 * tests, the solution saved in its stub) graded in place in the running grader with the spare
 * process watch mode keeps waiting (engine/spare.ts), timed from the grade's call to its report.
 */
async function watchRegrades(rt: Runtime, ex: Exercise): Promise<number[]> {
  const root = mkdtempSync(join(tmpdir(), "workbook-bench-watch-"));
  try {
    for (const f of ["package.json", "deno.json", "tsconfig.json"]) {
      copyFileSync(join(TOOL_ROOT, f), join(root, f));
    }
    cpSync(join(TOOL_ROOT, "lib"), join(root, "lib"), { recursive: true });
    symlinkSync(join(TOOL_ROOT, "node_modules"), join(root, "node_modules"), "dir");
    const dir = join(root, "exercises", ex.dir);
    cpSync(ex.pristineDir, dir, {
      recursive: true,
      filter: (src) => !/\.(hidden|cpython)\.ts$/.test(src),
    });
    for (const s of ex.meta.stubs) {
      copyFileSync(join(TOOL_ROOT, "solutions", ex.dir, s), join(dir, s));
    }
    const o = inPlace(root, discoverExercises(root, () => {}), rt);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const spare = new Spare(o, rt);
      await spare.ready;
      const t0 = performance.now();
      await grade({ ...o, spare });
      times.push((performance.now() - t0) / 1000);
      spare.dispose();
    }
    return times;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Benchmarks one runtime.
 *
 * @param rt The runtime.
 * @param log Progress lines.
 * @returns The summary lines, and the whole workbook's grade time.
 */
export async function benchRuntime(
  rt: Runtime,
  log: (line: string) => void,
): Promise<{ lines: string[]; gradeS: number }> {
  const exercises = discoverExercises(TOOL_ROOT, () => {});
  const base = {
    toolRoot: TOOL_ROOT,
    pristineRoot: TOOL_ROOT,
    submissionRoot: TOOL_ROOT,
    exercises,
    mode: "solutions" as const,
    runtimes: [rt],
  };
  await grade(base); // warm-up (caches), not measured
  const t0 = performance.now();
  const report = await grade(base);
  const gradeS = (performance.now() - t0) / 1000;
  const floor = await bare(rt, exercises);
  log(`${rt}: ${exercises.length} exercises, score ${report.score}/${report.max_score}`);
  const one = exercises.find((e) => e.dir.startsWith("08_")) ?? exercises[0]!;
  const times = Array.from({ length: 5 }, () => oneExercise(rt, one.id));
  const oneBare = await bare(rt, [one]);
  const watchTimes = await watchRegrades(rt, one);
  const ratio = floor.s > 0 ? gradeS / floor.s : 0;
  const speedup = gradeS > 0 ? floor.virtualMs / 1000 / gradeS : 0;
  return {
    gradeS,
    lines: [
      `bench ${rt}: grade ${gradeS.toFixed(2)}s, bare ${floor.s.toFixed(2)}s, ratio ${
        ratio.toFixed(2)
      }, virtual ${(floor.virtualMs / 1000).toFixed(1)}s, speedup ${speedup.toFixed(1)}x`,
      `bench ${rt}: one exercise ${median(times).toFixed(2)}s (median of 5), bare ${
        oneBare.s.toFixed(2)
      }s`,
      `bench ${rt}: watch re-grade ${median(watchTimes).toFixed(2)}s (median of 5)`,
      `bench ${rt}: deadlock named after ${deadlockMs(rt)} ms`,
    ],
  };
}
