/**
 * A watched child process: started in its own group, fed its input, its output streamed to the
 * caller, killable at any moment (a per-test deadline), and its whole tree's memory capped (see
 * proc.ts for the group kill and the memory reading).
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { DEFAULT_MAX_RSS_MB, killGroup, live, treeRssKb } from "./proc.ts";

/** Options of {@linkcode spawnWatched}. */
export interface WatchedOptions {
  /** Working directory. */
  cwd: string;
  /** Environment (replaces the parent's). */
  env: Record<string, string>;
  /** Written to stdin, which is then closed (unless `keepInputOpen`). */
  input: string;
  /** Leave stdin open after `input`: `Watched.finishInput()` writes the rest and closes it. */
  keepInputOpen?: boolean;
  /** Called with each chunk of stdout and stderr, merged, as it arrives. */
  onOutput: (text: string) => void;
  /** Memory cap of the whole process tree, MiB (default DEFAULT_MAX_RSS_MB; 0: none). */
  maxRssMb?: number;
}

/** A running watched process. */
export interface Watched {
  /** Kills the whole process group (once), recording why. */
  kill(cause: string): void;
  /** Writes the last of the input and closes stdin (with `keepInputOpen`). */
  finishInput(text: string): void;
  /** Settles when the process and its output have ended. */
  done: Promise<{ code: number | null; killed: string | null; ms: number; spawnError?: string }>;
}

/**
 * Starts a process in its own group, feeds it `input` on stdin, streams its output, and lets the
 * caller kill it at any moment (a per-test deadline). The whole tree's memory is capped.
 *
 * @param cmd Executable.
 * @param args Arguments.
 * @param o Directory, environment, input and output callback.
 * @returns The handle.
 */
export function spawnWatched(cmd: string, args: string[], o: WatchedOptions): Watched {
  const start = Date.now();
  let killed: string | null = null;
  let child: ChildProcess;
  try {
    child = spawn(cmd, args, {
      cwd: o.cwd,
      env: o.env,
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
  } catch (e) {
    return {
      kill: () => {},
      finishInput: () => {},
      done: Promise.resolve({ code: null, killed: null, ms: 0, spawnError: (e as Error).message }),
    };
  }
  live.add(child);
  const kill = (cause: string) => {
    if (killed) return;
    killed = cause;
    killGroup(child);
  };
  const maxRss = (o.maxRssMb ?? DEFAULT_MAX_RSS_MB) * 1024;
  const memoryTimer = maxRss > 0 && process.platform === "linux"
    ? setInterval(() => {
      if (child.pid !== undefined && treeRssKb(child.pid) > maxRss) kill("memory");
    }, 250)
    : undefined;
  child.stdin?.on("error", () => {
    // The process exited before reading its input (it crashed at start): its exit says why.
  });
  if (o.keepInputOpen) child.stdin?.write(o.input);
  else child.stdin?.end(o.input);
  let inputOpen = o.keepInputOpen === true;
  const finishInput = (text: string) => {
    if (!inputOpen) return;
    inputOpen = false;
    child.stdin?.end(text);
  };
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stdout?.on("data", (s: string) => o.onOutput(s));
  child.stderr?.on("data", (s: string) => o.onOutput(s));
  let spawnError: string | undefined;
  child.on("error", (e) => {
    spawnError = e.message;
  });
  const done = new Promise<
    { code: number | null; killed: string | null; ms: number; spawnError?: string }
  >((resolve) => {
    child.on("close", (code) => {
      if (memoryTimer) clearInterval(memoryTimer);
      live.delete(child);
      // Leftover grandchildren of a finished process are not allowed to outlive it.
      killGroup(child);
      resolve({
        code: killed ? null : code,
        killed,
        ms: Date.now() - start,
        ...(spawnError ? { spawnError } : {}),
      });
    });
  });
  return { kill, finishInput, done };
}
