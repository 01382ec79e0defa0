/**
 * `npm run mutate -- NN` (also `deno task mutate NN`, `bun run mutate NN`): runs StrykerJS over an
 * exercise's reference solution with the exercise's visible and hidden tests as the test command,
 * prints the mutation score and every survivor, and writes `solutions/NN_slug/stryker.json`.
 * See README.md beside this file.
 *
 * @module
 */

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, USAGE, UsageError } from "./args.ts";
import {
  DEFAULT_TIMEOUT_MS,
  type MutateRuntime,
  REALTIME_TIMEOUT_MS,
  strykerConfig,
  testCommand,
} from "./config.ts";
import { readEquivalents } from "./equivalent.ts";
import {
  ensureRootDeps,
  ensureStryker,
  findNode22,
  findRuntime,
  ROOT,
  strykerCli,
} from "./install.ts";
import { asReport, readMutants } from "./report.ts";
import { inputsHash } from "./status.ts";
import { buildSummary, formatSummary, type StrykerSummary, writeSummary } from "./summary.ts";
import { killRunning, makeWorkspace, removeWorkspace, runChild } from "./workspace.ts";

/** The fields of grader's Exercise that this tool uses. */
export interface MutateExercise {
  /** Two digits. */
  id: string;
  /** Folder name. */
  dir: string;
  /** exercise.json. */
  meta: { stubs: string[]; realTime: boolean };
  /** Visible then hidden test files, relative to the exercise folder. */
  testFiles: string[];
}

/** The two functions reused from the grader's discover module. */
interface DiscoverModule {
  discoverExercises(root: string): MutateExercise[];
  selectExercises(all: MutateExercise[], ids: string[]): MutateExercise[];
}

/**
 * Loads the grader's discover module wherever the grader's current layout keeps it (it is being
 * restructured; nothing else of grader/ is imported).
 *
 * @returns `discoverExercises` and `selectExercises`.
 * @throws {Error} When neither location has it.
 */
export async function loadDiscover(): Promise<DiscoverModule> {
  for (const rel of ["../engine/discover.ts", "../discover.ts"]) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) {
      try {
        return (await import(url.href)) as DiscoverModule;
      } catch (e) {
        throw new Error(
          `Cannot load grader/${rel.slice(3)} (${(e as Error).message}): the workbook's ` +
            `dependencies may have changed since the last install; run \`npm ci\` at the root.`,
        );
      }
    }
  }
  throw new Error("grader/engine/discover.ts (or grader/discover.ts) not found");
}

/** Tool facts shared by every exercise of a run. */
interface Tools {
  node: { bin: string; version: string };
  runtime: { name: MutateRuntime; bin: string; version: string };
  cli: { script: string; version: string };
}

/** The workspace being mutated now: removed when the user interrupts. */
let current: string | null = null;

/**
 * Mutation-tests one exercise in a temporary workspace, always removed afterwards.
 *
 * @param ex The exercise.
 * @param tools Node, runtime, Stryker.
 * @param opts Concurrency and timeout.
 * @returns The summary (also written to solutions/NN_slug/stryker.json and printed).
 * @throws {Error} When Stryker fails (for example, the solution fails its own tests).
 */
async function runExercise(
  ex: MutateExercise,
  tools: Tools,
  opts: { concurrency: number; timeoutMs: number | undefined },
): Promise<StrykerSummary> {
  const inputs = inputsHash(ROOT, ex.dir, ex.meta.stubs);
  const ws = makeWorkspace(ROOT, { dir: ex.dir, stubs: ex.meta.stubs });
  current = ws.root;
  try {
    const reportFile = join(ws.root, "stryker-report.json");
    const tty = Boolean(process.stdout.isTTY);
    const config = strykerConfig({
      mutate: ws.mutate,
      command: testCommand(
        tools.runtime.name,
        tools.runtime.bin,
        ws.exerciseDir,
        ex.testFiles,
      ),
      reportFile,
      concurrency: opts.concurrency,
      timeoutMs: opts.timeoutMs ??
        (ex.meta.realTime ? REALTIME_TIMEOUT_MS : DEFAULT_TIMEOUT_MS),
      tty,
    });
    writeFileSync(
      join(ws.root, "stryker.config.json"),
      JSON.stringify(config, null, 2),
    );
    console.log(
      `\n== ${ex.dir}: mutating ${ex.meta.stubs.join(", ")} with ${
        ex.testFiles.join(" + ")
      } (${tools.runtime.name})`,
    );
    const env = {
      ...process.env,
      TZ: "UTC",
      ...(tty ? {} : { NO_COLOR: "1" }),
    };
    const started = performance.now();
    const code = await runChild(
      tools.node.bin,
      [tools.cli.script, "run", "stryker.config.json"],
      ws.root,
      env,
    );
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0 || !existsSync(reportFile)) {
      throw new Error(
        `Stryker failed on ${ex.dir} (exit ${code}); its output is above. "Failed tests in the ` +
          `initial test run" means the reference solution fails its own tests: fix that first.`,
      );
    }
    const report = asReport(JSON.parse(readFileSync(reportFile, "utf8")));
    const promises = join(ROOT, "solutions", ex.dir, "promises.json");
    const { entries, problems } = readEquivalents(promises);
    for (const p of problems) console.log(`  warning: ${p}`);
    const summary = buildSummary({
      exercise: ex.dir,
      mutants: readMutants(report, `${ws.exerciseDir}/`),
      equivalents: entries,
      mutated: ex.meta.stubs,
      inputs,
      seconds,
      runtime: tools.runtime.name,
      tools: {
        stryker: tools.cli.version,
        node: tools.node.version,
        [tools.runtime.name]: tools.runtime.version,
      },
      date: new Date(),
    });
    writeSummary(join(ROOT, "solutions", ex.dir, "stryker.json"), summary);
    console.log(formatSummary(summary, `solutions/${ex.dir}/`).join("\n"));
    console.log(`  wrote solutions/${ex.dir}/stryker.json`);
    return summary;
  } finally {
    removeWorkspace(ws.root);
    current = null;
  }
}

/**
 * Runs the command line.
 *
 * @param argv Arguments after the script name.
 * @returns The exit code: 0 when every exercise ran, 1 when one failed, 2 for a usage error.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`mutate: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const { discoverExercises, selectExercises } = await loadDiscover();
  let chosen: MutateExercise[];
  try {
    chosen = selectExercises(discoverExercises(ROOT), args.all ? [] : args.ids);
  } catch (e) {
    console.error(`mutate: ${(e as Error).message}`);
    return 2;
  }
  const missing = chosen.filter((ex) => !existsSync(join(ROOT, "solutions", ex.dir)));
  if (missing.length > 0) {
    console.error(
      `mutate: no reference solution for ${
        missing.map((m) => m.dir).join(", ")
      } (solutions/ is not in student copies)`,
    );
    return 2;
  }
  ensureRootDeps();
  ensureStryker();
  const tools: Tools = {
    node: findNode22(),
    runtime: { name: args.runtime, ...findRuntime(args.runtime) },
    cli: strykerCli(),
  };
  console.log(
    `mutate: StrykerJS ${tools.cli.version} on Node ${tools.node.version}, tests by ${args.runtime} ${tools.runtime.version}, concurrency ${args.concurrency}`,
  );
  const results: { dir: string; summary: StrykerSummary | null }[] = [];
  for (const ex of chosen) {
    try {
      results.push({
        dir: ex.dir,
        summary: await runExercise(ex, tools, args),
      });
    } catch (e) {
      console.error(`mutate: ${ex.dir}: ${(e as Error).message}`);
      results.push({ dir: ex.dir, summary: null });
    }
  }
  if (results.length > 1) {
    console.log(
      "\nexercise                        score    mutants  survived  equivalent  seconds",
    );
    for (const { dir, summary: s } of results) {
      const score = s === null ? "FAILED" : s.score === null ? "n/a" : `${s.score.toFixed(2)}%`;
      const cols = s === null
        ? ""
        : `${String(s.counts.total).padStart(9)} ${
          String(s.counts.survived + s.counts.no_coverage).padStart(9)
        } ${String(s.counts.equivalent).padStart(11)} ${s.seconds.toFixed(1).padStart(8)}`;
      console.log(`${dir.padEnd(30)} ${score.padStart(7)}${cols}`);
    }
  }
  return results.some((r) => r.summary === null) ? 1 : 0;
}

/** Interrupted: stop Stryker and its test processes, remove the workspace, exit. */
function interrupted(code: number): void {
  killRunning();
  if (current !== null) removeWorkspace(current);
  process.exit(code);
}

if (import.meta.main ?? process.argv[1] === fileURLToPath(import.meta.url)) {
  process.on("SIGINT", () => interrupted(130));
  process.on("SIGTERM", () => interrupted(143));
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    console.error(`mutate: ${(e as Error).stack ?? e}`);
    killRunning();
    if (current !== null) removeWorkspace(current);
    process.exit(1);
  });
}
