/**
 * Invokes `deno test` or `bun test` on a set of files in a workspace and reads back its JUnit
 * report. Deno runs with the narrowest permissions that work: read the workspace and the
 * linked node_modules, read one environment variable; no write, net, run, ffi or sys.
 *
 * @module
 */

import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { captureOutput, type OutputMap } from "./capture.ts";
import { type Anomaly, type GroupIndex, parseJUnit, type VerdictMap } from "./junit_report.ts";
import { type KillCause, runProcess } from "./proc.ts";
import type { Runtime } from "./types.ts";

/** Inputs of {@linkcode runTests}. */
export interface TestRun {
  /** Runtime. */
  runtime: Runtime;
  /** Its binary. */
  bin: string;
  /** Workspace root (cwd). */
  ws: string;
  /** Real path of node_modules (readable under Deno), or null. */
  nodeModules: string | null;
  /** Report file path, outside the workspace. */
  reportFile: string;
  /** Test files relative to the workspace. */
  files: string[];
  /** Wall-clock limit, ms. */
  timeoutMs: number;
  /** Per-test limit given to Bun, ms. */
  testTimeoutMs: number;
  /** Kill after this long without output, ms (0: never). */
  stallMs: number;
  /** Group names per file for Deno's step matching. */
  groups: GroupIndex;
  /** Set WORKBOOK_CLOCK_REPORT=1 in the child. */
  clockReport?: boolean;
  /**
   * Under Deno, paths (relative to the workspace) the tests may read, besides node_modules. Only
   * exercises that start Workers need any (Deno checks read access when a Worker loads its
   * module): their own non-test files and lib/. Test files are never readable, so code under
   * test cannot read the hidden tests' source. Module imports need no read permission.
   */
  readable?: string[];
}

/** What a test run produced. */
export interface TestRunResult {
  /** Verdicts by file and full name (empty when no report was written). */
  verdicts: VerdictMap;
  /** Printed output by file and test name (display only). */
  outputs: OutputMap;
  /** True when the runner wrote a report. */
  reported: boolean;
  /** "timeout" / "stall" / "memory" when killed. */
  killed: KillCause | null;
  /** Exit code. */
  code: number | null;
  /** Combined output of the runner (capped). */
  text: string;
  /** Wall ms. */
  ms: number;
  /** Deno steps the grader could not place. */
  unmatched: string[];
  /** Signs that code under test registered tests of its own (see `parseJUnit`). */
  anomalies: Anomaly[];
}

/**
 * The environment of a test process: just enough to run, uncoloured, in UTC.
 *
 * @param clockReport Ask the clock library to print its virtual-time report.
 * @returns Environment variables.
 */
export function childEnv(clockReport = false): Record<string, string> {
  const env: Record<string, string> = {
    NO_COLOR: "1",
    TZ: "UTC",
    DENO_NO_UPDATE_CHECK: "1",
    LANG: "C.UTF-8",
  };
  for (const k of ["PATH", "HOME", "TMPDIR", "DENO_DIR", "XDG_CACHE_HOME", "BUN_INSTALL"]) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  if (clockReport) env.WORKBOOK_CLOCK_REPORT = "1";
  return env;
}

/**
 * The runner's argument list (after the binary).
 *
 * @param r The run.
 * @returns Arguments.
 */
export function runnerArgs(r: TestRun): string[] {
  if (r.runtime === "deno") {
    const read = [
      ...(r.readable ?? []).map((p) => join(r.ws, p)),
      ...(r.nodeModules ? [r.nodeModules] : []),
    ].join(",");
    return [
      "test",
      "--no-check",
      "--no-prompt",
      "--no-lock",
      "--node-modules-dir=manual",
      ...(r.readable?.length ? [`--allow-read=${read}`] : []),
      "--allow-env=WORKBOOK_CLOCK_REPORT",
      `--junit-path=${r.reportFile}`,
      ...r.files,
    ];
  }
  return [
    "test",
    "--reporter=junit",
    `--reporter-outfile=${r.reportFile}`,
    "--timeout",
    String(r.testTimeoutMs),
    ...r.files.map((f) => `./${f}`),
  ];
}

/**
 * Runs the test files and reads the report.
 *
 * @param r What to run.
 * @returns Verdicts, outputs and how the process ended.
 */
export async function runTests(r: TestRun): Promise<TestRunResult> {
  rmSync(r.reportFile, { force: true });
  // `sh -c 'exec ...' 2>&1` merges stdout and stderr in order, for output attribution.
  const res = await runProcess("sh", ["-c", 'exec "$0" "$@" 2>&1', r.bin, ...runnerArgs(r)], {
    cwd: r.ws,
    env: childEnv(r.clockReport),
    timeoutMs: r.timeoutMs,
    stallMs: r.stallMs,
  });
  const text = res.stdout + res.stderr + (res.spawnError ? `\n${res.spawnError}` : "");
  let verdicts: VerdictMap = new Map();
  let unmatched: string[] = [];
  let anomalies: Anomaly[] = [];
  const reported = !res.killed && existsSync(r.reportFile);
  if (reported) {
    const parsed = parseJUnit(readFileSync(r.reportFile, "utf8"), r.runtime, r.groups);
    verdicts = parsed.verdicts;
    unmatched = parsed.unmatched;
    anomalies = parsed.anomalies;
  }
  return {
    verdicts,
    outputs: captureOutput(text, r.runtime),
    reported,
    killed: res.killed,
    code: res.code,
    text,
    ms: res.ms,
    unmatched,
    anomalies,
  };
}

/**
 * The report path for a run inside a reports folder.
 *
 * @param reports Reports folder.
 * @param label Unique label.
 * @returns Path of the JUnit file.
 */
export function reportPath(reports: string, label: string): string {
  return join(reports, `${label.replace(/[^A-Za-z0-9_.-]/g, "_")}.xml`);
}
