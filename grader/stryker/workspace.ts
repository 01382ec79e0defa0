/**
 * The temporary workspace Stryker mutates for one exercise: a copy of lib/, the root configs and
 * the exercise folder with the reference solution's files in place of the stubs, and a symbolic
 * link to the root node_modules. The tests import `./stub.ts` and `../../lib/mod.ts`, so they run
 * there unchanged. Also the child process that runs Stryker, killed with its whole process group
 * when the user interrupts.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Root files copied into every workspace when they exist. */
export const ROOT_CONFIGS: readonly string[] = [
  "package.json",
  "deno.json",
  "tsconfig.json",
  "bunfig.toml",
];

/** The exercise facts a workspace needs. */
export interface WorkspaceExercise {
  /** Folder name (`08_lock`). */
  dir: string;
  /** The stub files (exercise.json "stubs"), relative to the exercise folder. */
  stubs: readonly string[];
}

/** A workspace on disk. */
export interface Workspace {
  /** Its absolute path. */
  root: string;
  /** The exercise folder relative to it (`exercises/08_lock`). */
  exerciseDir: string;
  /** The files Stryker mutates, relative to it. */
  mutate: string[];
}

/**
 * Builds a workspace for an exercise in a new temporary folder.
 *
 * @param workbook The workbook root (holding lib/, exercises/, solutions/, node_modules/).
 * @param ex The exercise.
 * @param base Folder to create it in (the system's temporary folder by default).
 * @returns The workspace; remove it with {@link removeWorkspace}.
 * @throws {Error} When a stub has no reference solution; the half-built folder is removed.
 */
export function makeWorkspace(
  workbook: string,
  ex: WorkspaceExercise,
  base: string = tmpdir(),
): Workspace {
  const root = mkdtempSync(join(base, `workbook-mutate-${ex.dir}-`));
  try {
    const exerciseDir = `exercises/${ex.dir}`;
    cpSync(join(workbook, "lib"), join(root, "lib"), { recursive: true });
    for (const f of ROOT_CONFIGS) {
      if (existsSync(join(workbook, f))) {
        cpSync(join(workbook, f), join(root, f));
      }
    }
    cpSync(join(workbook, exerciseDir), join(root, exerciseDir), {
      recursive: true,
    });
    for (const stub of ex.stubs) {
      const solution = join(workbook, "solutions", ex.dir, stub);
      if (!existsSync(solution)) {
        throw new Error(
          `${ex.dir}: no reference solution solutions/${ex.dir}/${stub}`,
        );
      }
      cpSync(solution, join(root, exerciseDir, stub));
    }
    const modules = join(workbook, "node_modules");
    if (existsSync(modules)) {
      symlinkSync(
        modules,
        join(root, "node_modules"),
        process.platform === "win32" ? "junction" : "dir",
      );
    }
    return {
      root,
      exerciseDir,
      mutate: ex.stubs.map((s) => `${exerciseDir}/${s}`),
    };
  } catch (e) {
    removeWorkspace(root);
    throw e;
  }
}

/**
 * Removes a workspace (the node_modules link only, never its target). Never throws.
 *
 * @param root The workspace's path.
 */
export function removeWorkspace(root: string): void {
  try {
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  } catch (e) {
    console.error(`mutate: could not remove ${root}: ${(e as Error).message}`);
  }
}

/** The Stryker process running now, if any (killed by {@link killRunning}). */
let running: ChildProcess | null = null;

/**
 * Runs a command in its own process group with inherited output and waits for it.
 *
 * @param bin Executable.
 * @param args Arguments.
 * @param cwd Working directory.
 * @param env Environment.
 * @returns Its exit code (1 when killed by a signal).
 */
export function runChild(
  bin: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...args], {
      cwd,
      env,
      stdio: "inherit",
      detached: process.platform !== "win32",
    });
    running = child;
    child.on("error", (e) => {
      running = null;
      reject(e);
    });
    child.on("exit", (code) => {
      running = null;
      resolve(code ?? 1);
    });
  });
}

/** Kills the running Stryker process and everything it started (its process group). */
export function killRunning(): void {
  const child = running;
  if (!child?.pid) return;
  try {
    if (process.platform === "win32") child.kill("SIGKILL");
    else process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}
