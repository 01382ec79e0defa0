/**
 * Builds what StrykerJS is given for one exercise: the test command (Bun or Deno over the
 * exercise's visible and hidden test files) and the Stryker configuration object, written as
 * `stryker.config.json` into the temporary workspace. Pure functions: nothing here runs anything.
 *
 * @module
 */

/** The runtimes that can run an exercise's tests under Stryker's command runner. */
export type MutateRuntime = "bun" | "deno";

/** Default number of test processes Stryker runs at once. */
export const DEFAULT_CONCURRENCY = 2;

/** Stryker's absolute timeout allowance per mutant (ms), for virtual-clock exercises. */
export const DEFAULT_TIMEOUT_MS = 5000;

/** The allowance for exercises that run real threads (`"realTime": true`). */
export const REALTIME_TIMEOUT_MS = 10000;

/**
 * Quotes a word for `/bin/sh` (Stryker's command runner runs its command through a shell).
 *
 * @param word Any string.
 * @returns The word unchanged when it is made of safe characters, else single-quoted.
 *
 * @example
 * ```ts
 * shellQuote("./a.ts"); // "./a.ts"
 * shellQuote("it's"); // "'it'\\''s'"
 * ```
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./=:@%+,-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * The shell command that runs an exercise's tests once, failing at the first failing test.
 *
 * @param runtime Which runtime runs the tests.
 * @param bin Absolute path of the runtime's executable.
 * @param exerciseDir The exercise folder relative to the workspace (`exercises/08_lock`).
 * @param testFiles Its test files (visible, then hidden), relative to the exercise folder.
 * @returns The command, to run with the workspace as working directory.
 *
 * @example
 * ```ts
 * testCommand("bun", "/usr/bin/bun", "exercises/08_lock", ["lock.test.ts", "lock.hidden.ts"]);
 * // "/usr/bin/bun test --bail ./exercises/08_lock/lock.test.ts ./exercises/08_lock/lock.hidden.ts"
 * ```
 */
export function testCommand(
  runtime: MutateRuntime,
  bin: string,
  exerciseDir: string,
  testFiles: readonly string[],
): string {
  const files = testFiles.map((f) => shellQuote(`./${exerciseDir}/${f}`));
  const args = runtime === "bun" ? ["test", "--bail", ...files] : [
    "test",
    "--no-check",
    "--no-prompt",
    "--no-lock",
    "--node-modules-dir=manual",
    "--allow-all",
    "--fail-fast",
    ...files,
  ];
  return [shellQuote(bin), ...args].join(" ");
}

/** What {@link strykerConfig} needs to know. */
export interface ConfigInput {
  /** The files to mutate, relative to the workspace (`exercises/08_lock/lock.ts`). */
  mutate: readonly string[];
  /** The test command from {@link testCommand}. */
  command: string;
  /** Absolute path where Stryker's JSON reporter writes its report. */
  reportFile: string;
  /** Test processes at once. */
  concurrency: number;
  /** Stryker's `timeoutMS`. */
  timeoutMs: number;
  /** Whether the console is a terminal (a redrawn progress bar) or not (appended lines). */
  tty: boolean;
}

/**
 * The Stryker configuration for one exercise's temporary workspace.
 *
 * - `testRunner: "command"` with the exercise's own test command; coverage analysis is off
 *   (the command runner reports no coverage), so every mutant runs the whole suite.
 * - `inPlace: true`: the workspace is already a throw-away copy, so Stryker need not copy it
 *   again into a sandbox.
 * - Only the JSON reporter (read back by `report.ts`) and a progress reporter: no HTML report, no
 *   log file, no incremental file, no threshold that would make Stryker fail.
 *
 * @param input See {@link ConfigInput}.
 * @returns A plain object to write as `stryker.config.json`.
 *
 * @example
 * ```ts
 * const config = strykerConfig({
 *   mutate: ["exercises/08_lock/lock.ts"], command: "bun test ./exercises/08_lock/lock.test.ts",
 *   reportFile: "/tmp/ws/report.json", concurrency: 2, timeoutMs: 5000, tty: false,
 * });
 * config.testRunner; // "command"
 * ```
 */
export function strykerConfig(input: ConfigInput): Record<string, unknown> {
  if (input.mutate.length === 0) {
    throw new RangeError("strykerConfig: nothing to mutate");
  }
  if (!Number.isInteger(input.concurrency) || input.concurrency < 1) {
    throw new RangeError(
      `strykerConfig: concurrency must be an integer >= 1, received ${input.concurrency}`,
    );
  }
  if (!Number.isFinite(input.timeoutMs) || input.timeoutMs <= 0) {
    throw new RangeError(
      `strykerConfig: timeoutMs must be a positive number, received ${input.timeoutMs}`,
    );
  }
  return {
    testRunner: "command",
    commandRunner: { command: input.command },
    coverageAnalysis: "off",
    mutate: [...input.mutate],
    ignorePatterns: ["node_modules", ".stryker-tmp", "reports"],
    inPlace: true,
    concurrency: input.concurrency,
    timeoutMS: input.timeoutMs,
    timeoutFactor: 1.5,
    dryRunTimeoutMinutes: 5,
    reporters: ["json", input.tty ? "progress" : "progress-append-only"],
    jsonReporter: { fileName: input.reportFile },
    thresholds: { high: 90, low: 80, break: null },
    logLevel: "info",
    fileLogLevel: "off",
    incremental: false,
    allowConsoleColors: input.tty,
    cleanTempDir: true,
  };
}
