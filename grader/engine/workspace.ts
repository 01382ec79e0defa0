/**
 * Temporary grading workspaces. A workspace is a throw-away workbook in the OS temp folder:
 * pristine `lib/` and configs, `node_modules` linked to the grader's, and per graded unit an
 * exercise folder holding the pristine tests and support files plus the stub files under test
 * (the student's, a solution, a pristine stub, or a mutant). The student's files are only read.
 * Workspaces are removed when grading ends, on exit and on Ctrl-C.
 *
 * @module
 */

import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { Buffer } from "node:buffer";
import { dirname, join, relative } from "node:path";
import { fileModule } from "../harness/node_test.ts";
import { copySubmitted } from "./submitted.ts";
import { fileURLToPath } from "node:url";
import { killAllChildren } from "./proc.ts";
import { pointTestsAtHarness } from "./rewrite.ts";

/** The harness folder (grader/harness), copied into each workspace as .harness/. */
export const HARNESS: string = fileURLToPath(new URL("../harness", import.meta.url));
import type { Exercise } from "./types.ts";

/** One thing to grade: an exercise with a given set of stub files. */
export interface Unit {
  /** Unique key, e.g. "03_x" or "03_x~mutant_name". */
  key: string;
  /** The exercise. */
  exercise: Exercise;
  /** Folder name inside the workspace's exercises/ (a sibling of the others). */
  wsDir: string;
  /** Stub file -> absolute path of the file to put there, or null when the source lacks it. */
  stubSources: Record<string, string | null>;
  /** Stub file -> text to write there instead of its source (a mutant's patched files). */
  stubTexts?: Record<string, string>;
  /** Stub files the workspace refused to take from the submission, with why (set when built). */
  refused?: Record<string, string>;
  /** The submission folder the stub sources must stay inside (untrusted sources only). */
  stubRoot?: string;
  /** A mutant's stop groups (see plan.ts stopGroups); absent: every test runs. */
  stop?: string[][];
}

/** A created workspace. */
export interface Workspace {
  /** The run's temp folder (holds ws/ and reports/). */
  runDir: string;
  /** The workspace root (the runner's cwd). */
  ws: string;
  /** Folder for report files, outside the workspace. */
  reports: string;
  /** Real path of the linked node_modules, or null. */
  nodeModules: string | null;
  /** Removes the run folder. */
  cleanup(): void;
  /**
   * Takes hidden test files (workspace-relative; others are ignored) out of the workspace: once a
   * harness has read its modules, code under test must not find them on disk.
   */
  hide(files: string[]): void;
  /** Puts hidden test files back before the next harness process reads them. */
  restore(files: string[]): void;
}

/** Whether a test file is one the student never sees (hidden tests, CPython conformance). */
export function isHiddenTest(file: string): boolean {
  return file.endsWith(".hidden.ts") || file.endsWith(".cpython.ts");
}

const liveDirs = new Set<string>();
let hooked = false;

function hookCleanup(): void {
  if (hooked) return;
  hooked = true;
  // Whatever way the grader ends, no test process and no temporary folder outlives it.
  process.on("exit", () => {
    killAllChildren();
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
  });
  const onSignal = (sig: string) => {
    killAllChildren();
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
    liveDirs.clear();
    process.exit(sig === "SIGINT" ? 130 : sig === "SIGHUP" ? 129 : 143);
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => onSignal(sig));
}

/** Copies a folder recursively, skipping the given relative paths. */
function copyDir(src: string, dst: string, skip: Set<string>, rel = ""): void {
  mkdirSync(dst, { recursive: true });
  for (const name of readdirSync(src)) {
    const r = rel ? `${rel}/${name}` : name;
    if (skip.has(r) || name === "node_modules") continue;
    const s = join(src, name);
    const st = statSync(s);
    if (st.isDirectory()) copyDir(s, join(dst, name), skip, r);
    else if (st.isFile()) copyFileSync(s, join(dst, name));
  }
}

/**
 * Copies a unit's submitted stubs into its exercise folder of a workspace, each read safely
 * (submitted.ts); a refused stub's reason goes into `u.refused`.
 *
 * @param u The unit.
 * @param dst The unit's folder in the workspace.
 */
export function copyStubs(u: Unit, dst: string): void {
  for (const [stub, src] of Object.entries(u.stubSources)) {
    if (src === null) continue;
    mkdirSync(dirname(join(dst, stub)), { recursive: true });
    const why = copySubmitted(src, join(dst, stub), stub, u.stubRoot);
    if (why !== null) u.refused = { ...u.refused, [stub]: why };
  }
}

/**
 * Builds a workspace for some units.
 *
 * @param pristineRoot Workbook holding pristine lib/ and configs (the hidden dir or the grader's root).
 * @param toolRoot The grader's own workbook (node_modules, and lib/configs when the pristine root lacks them).
 * @param units What to grade.
 * @param o `harness: false` leaves the test files as they are and copies no harness (the bench's
 *   bare runner).
 * @returns The workspace; call `cleanup()` when done.
 */
export function createWorkspace(
  pristineRoot: string,
  toolRoot: string,
  units: Unit[],
  o: { harness?: boolean } = {},
): Workspace {
  hookCleanup();
  const runDir = mkdtempSync(join(tmpdir(), "workbook-grade-"));
  liveDirs.add(runDir);
  const ws = join(runDir, "ws");
  const reports = join(runDir, "reports");
  mkdirSync(ws);
  mkdirSync(reports);
  const pick = (
    rel: string,
  ) => (existsSync(join(pristineRoot, rel)) ? join(pristineRoot, rel) : join(toolRoot, rel));
  // lib without its own tests and their data: nothing under test imports them (half the files).
  if (existsSync(pick("lib"))) {
    cpSync(pick("lib"), join(ws, "lib"), {
      recursive: true,
      filter: (src) => !src.endsWith(".test.ts") && !/[/\\]testdata$/.test(src),
    });
  }
  for (const f of ["package.json", "deno.json", "tsconfig.json"]) {
    if (existsSync(pick(f))) copyFileSync(pick(f), join(ws, f));
  }
  let nodeModules: string | null = null;
  if (existsSync(join(toolRoot, "node_modules"))) {
    nodeModules = realpathSync(join(toolRoot, "node_modules"));
    symlinkSync(nodeModules, join(ws, "node_modules"), "dir");
  }
  // The harness the runtime runs, and every test file pointed at its node:test.
  const harness = o.harness ?? true;
  if (harness) {
    cpSync(HARNESS, join(ws, ".harness"), {
      recursive: true,
      filter: (src) => !src.endsWith(".test.ts"),
    });
  }
  const hidden = new Map<string, string>();
  if (harness) {
    mkdirSync(join(ws, ".harness", "t"), { recursive: true });
    writeFileSync(
      join(ws, ".harness", "import_map.json"),
      JSON.stringify({ imports: { "node:v8": "./node_v8.ts", "v8": "./node_v8.ts" } }),
    );
  }
  for (const u of units) {
    const dst = join(ws, "exercises", u.wsDir);
    const stubs = new Set(u.exercise.meta.stubs);
    copyDir(u.exercise.pristineDir, dst, stubs);
    for (const f of harness ? [...u.exercise.testFiles, ...u.exercise.cpythonFiles] : []) {
      const p = join(dst, f);
      if (!existsSync(p)) continue;
      // Each test file gets its own node:test module, so its tests are its own whatever order
      // the modules evaluate in.
      const rel = `exercises/${u.wsDir}/${f}`;
      const shim = join(ws, ".harness", "t", `${Buffer.from(rel).toString("hex")}.ts`);
      writeFileSync(shim, fileModule(rel));
      const target = relative(dirname(p), shim).replaceAll("\\", "/");
      const text = pointTestsAtHarness(readFileSync(p, "utf8"), target);
      writeFileSync(p, text);
      if (isHiddenTest(f)) hidden.set(rel, text);
    }
    copyStubs(u, dst);
    for (const [stub, text] of Object.entries(u.stubTexts ?? {})) {
      writeFileSync(join(dst, stub), text);
    }
  }
  return {
    runDir,
    ws,
    reports,
    nodeModules,
    cleanup() {
      rmSync(runDir, { recursive: true, force: true });
      liveDirs.delete(runDir);
    },
    hide(files) {
      for (const f of files) if (hidden.has(f)) rmSync(join(ws, f), { force: true });
    },
    restore(files) {
      for (const f of files) {
        const text = hidden.get(f);
        if (text !== undefined && !existsSync(join(ws, f))) writeFileSync(join(ws, f), text);
      }
    },
  };
}
