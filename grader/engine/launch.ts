/**
 * How a harness process starts: each test's real-time deadline, the generated entry module of a
 * session, and the runtime's command line (inside the sandbox when there is one).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { childEnv } from "./env.ts";
import type { GradeOptions } from "./grade_options.ts";
import { readableFor } from "./plan.ts";
import { sandboxed } from "./sandbox.ts";
import type { Launch } from "./session.ts";
import type { Runtime } from "./types.ts";
import type { Unit, Workspace } from "./workspace.ts";

/**
 * A test that runs longer than this (real time) is stopped, unless its exercise allows more:
 * tests on the virtual clock take milliseconds. The self-check modes grade known code and stop
 * sooner (many mutants loop on purpose).
 */
const TEST_DEADLINE_SEC = 10;
const TRUSTED_DEADLINE_SEC = 4;
const REALTIME_DEADLINE_SEC = 20;
const REALTIME_TRUSTED_SEC = 8;

/** The real-time deadline of one test of a unit, ms. */
export function deadlineOf(u: Unit, o: GradeOptions): number {
  // Tests with real threads take real time: a longer deadline, still well under the exercise's.
  const trusted = o.mode !== "submission";
  const limit = u.exercise.meta.realTime
    ? (trusted ? REALTIME_TRUSTED_SEC : REALTIME_DEADLINE_SEC)
    : trusted
    ? TRUSTED_DEADLINE_SEC
    : TEST_DEADLINE_SEC;
  return (o.timeoutSec ?? Math.min(limit, u.exercise.meta.timeoutSec)) * 1000;
}

let entries = 0;

/** A session's generated modules. */
export interface Entry {
  /** The entry, workspace-relative. */
  entry: string;
  /** Every file written for this session (entry and marks), absolute: removed once read. */
  files: string[];
}

/**
 * Writes the harness entry of a session into the workspace: the harness's start, the test kit,
 * then each test file preceded by its mark, then the run. Static imports only: Deno loads them
 * without any read permission, so code under test cannot read the test files' source. The mark
 * and run calls carry the session's nonce, which the harness also gets on stdin: code under test
 * cannot call them (the grader removes these files once the harness has read them).
 *
 * @param ws The workspace.
 * @param files The test files, in order.
 * @param nonce The session's nonce.
 * @returns The entry and the files written.
 */
export function writeEntry(ws: Workspace, files: string[], nonce: string): Entry {
  const dir = join(ws.ws, ".harness");
  const n = ++entries;
  const lines = [load("./start.ts"), load("../lib/mod.ts"), load(writeLibLoaded(dir))];
  const tests = writeTests(dir, n, files, nonce);
  const name = `entry-${n}.ts`;
  writeFileSync(join(dir, name), [...lines, ...tests.lines].join("\n"));
  return { entry: `.harness/${name}`, files: [...tests.written, join(dir, name)] };
}

/**
 * Writes a spare's entry (watch mode's warm start, trusted code only): the harness's start, the
 * test kit, then a wait for the grader's go, and only then the job module, which
 * {@linkcode writeJob} writes at go time with the test files as they are then.
 *
 * @param ws The workspace.
 * @param nonce The session's nonce.
 * @returns The entry, workspace-relative, and the job module's absolute path.
 */
export function writeSpareEntry(ws: Workspace, nonce: string): { entry: string; job: string } {
  const dir = join(ws.ws, ".harness");
  const n = ++entries;
  const job = `job-${n}.ts`;
  const lines = [
    load("./start.ts"),
    load("../lib/mod.ts"),
    load(writeLibLoaded(dir)),
    `import { awaitGo } from ${JSON.stringify("./hub.ts")};`,
    `awaitGo(${JSON.stringify(nonce)});`,
    // Computed, so that no runtime reads the job (or the files it imports) before the go.
    `await import(new URL(${JSON.stringify(`./${job}`)}, import.meta.url).href);`,
    "",
  ];
  writeFileSync(join(dir, `spare-${n}.ts`), lines.join("\n"));
  return { entry: `.harness/spare-${n}.ts`, job: join(dir, job) };
}

/**
 * Writes a spare's job module: each test file preceded by its mark, then the run.
 *
 * @param job Its absolute path (from {@linkcode writeSpareEntry}).
 * @param files The test files, in order.
 * @param nonce The session's nonce.
 */
export function writeJob(job: string, files: string[], nonce: string): void {
  const tests = writeTests(join(job, ".."), ++entries, files, nonce);
  writeFileSync(job, tests.lines.join("\n"));
}

/** An import statement of generated code, built from its specifier. */
function load(spec: string): string {
  return `import ${JSON.stringify(spec)};`;
}

/**
 * Right after the test kit: the clean fingerprint of the globals, and lib's run record. Written
 * into the workspace because it imports the workspace's lib/ (there is none beside
 * grader/harness).
 */
function writeLibLoaded(dir: string): string {
  mkdirSync(join(dir, "m"), { recursive: true });
  writeFileSync(
    join(dir, "lib_loaded.ts"),
    [
      `import { libLoaded } from ${JSON.stringify("./hub.ts")};`,
      `import { lastRun } from ${JSON.stringify("../lib/mod.ts")};`,
      "libLoaded(lastRun);",
      "",
    ].join("\n"),
  );
  return "./lib_loaded.ts";
}

/** Each test file's mark module and the import lines of marks and tests, then the run. */
function writeTests(
  dir: string,
  n: number,
  files: string[],
  nonce: string,
): { lines: string[]; written: string[] } {
  const lines: string[] = [];
  const written: string[] = [];
  for (const file of files) {
    const mark = `m/${n}-${Buffer.from(file).toString("hex")}.ts`;
    writeFileSync(
      join(dir, mark),
      `import { mark } from ${JSON.stringify("../hub.ts")};\nmark(${JSON.stringify(file)}, ${
        JSON.stringify(nonce)
      });\n`,
    );
    written.push(join(dir, mark));
    lines.push(load(`./${mark}`), load(`../${file}`));
  }
  lines.push(
    `import { run } from ${JSON.stringify("./hub.ts")};`,
    `await run(${JSON.stringify(nonce)});`,
    "",
  );
  return { lines, written };
}

/**
 * How to start the runtime on the harness for a group of units.
 *
 * @param extraRead Workspace-relative paths Deno may read besides the group's own (a spare's
 *   dynamic import of its job needs them).
 */
export function launchFor(
  runtime: Runtime,
  bin: string,
  ws: Workspace,
  group: Unit[],
  o: GradeOptions,
  entry: string,
  extraRead: string[] = [],
): Launch {
  const readable = [...readableFor(ws.ws, group), ...extraRead];
  const denoDir = o.sandbox ? "/tmp/deno-dir" : join(ws.runDir, "deno-dir");
  const args = runtime === "deno"
    ? [
      "run",
      "--no-prompt",
      "--no-lock",
      "--node-modules-dir=manual",
      "--allow-env=WORKBOOK_CLOCK_REPORT",
      // node:v8 reads the whole heap: code under test gets the harness's disarmed copy.
      "--import-map=.harness/import_map.json",
      ...(readable.length
        ? [`--allow-read=${
          [...readable.map((p) => join(ws.ws, p)), ...(ws.nodeModules ? [ws.nodeModules] : [])]
            .join(",")
        }`]
        : []),
      entry,
    ]
    : ["--no-install", entry];
  const env: Record<string, string> = {
    NO_COLOR: "1",
    TZ: "UTC",
    LANG: "C.UTF-8",
    DENO_NO_UPDATE_CHECK: "1",
    DENO_DIR: denoDir,
    // Bun caches the transpiled text of large modules on disk, hidden tests included: not here.
    BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0",
  };
  if (o.clockReport ?? true) env.WORKBOOK_CLOCK_REPORT = "1";
  if (o.sandbox) {
    const s = sandboxed(
      o.sandbox,
      {
        ws: ws.ws,
        readOnly: ws.nodeModules ? [ws.nodeModules] : [],
        env,
        only: [
          ".harness",
          "lib",
          "node_modules",
          "package.json",
          "deno.json",
          "tsconfig.json",
          ...group.map((u) => `exercises/${u.wsDir}`),
        ],
      },
      bin,
      args,
    );
    return { ...s, cwd: ws.ws, env: {} };
  }
  mkdirSync(denoDir, { recursive: true });
  return {
    cmd: "sh",
    args: ["-c", 'exec "$0" "$@" 2>&1', bin, ...args],
    cwd: ws.ws,
    env: { ...childEnv(o.clockReport ?? true), DENO_DIR: denoDir },
  };
}
