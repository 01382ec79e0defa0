/**
 * Runs a child process in its own process group with a wall-clock kill, an optional no-output
 * (stall) kill, a memory cap, and capped capture of its output. Killing the group also stops
 * grandchildren. Written here rather than taken from a library (execa and the like): none kills
 * on a stall and on resident memory, and kills the whole group, together.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

/** Options of {@linkcode runProcess}. */
export interface RunOptions {
  /** Working directory. */
  cwd: string;
  /** Environment (replaces the parent's). */
  env: Record<string, string>;
  /** Wall-clock limit in milliseconds. */
  timeoutMs: number;
  /** Kill when no output arrives for this many milliseconds (0: never). */
  stallMs?: number;
  /** Bytes of stdout+stderr kept (default 4 MiB); the rest is counted and dropped. */
  maxOutput?: number;
  /**
   * Kill when the process's resident memory exceeds this many MiB (default DEFAULT_MAX_RSS_MB; 0: never).
   * Checked every 250 ms from /proc on Linux; elsewhere only the wall clock applies. A test that
   * loops on microtasks (an endless synchronous source into an unbounded buffer) never yields to
   * the clock and can grow by gigabytes a second.
   */
  maxRssMb?: number;
}

/** Default memory cap of a test process, in MiB (see {@linkcode RunOptions.maxRssMb}). */
export const DEFAULT_MAX_RSS_MB = 2048;

/** Why a child process was killed. */
export type KillCause = "timeout" | "stall" | "memory";

/** What happened to a child process. */
export interface RunResult {
  /** Exit code, null when killed by a signal. */
  code: number | null;
  /** "timeout", "stall", "memory", or null when it exited by itself. */
  killed: KillCause | null;
  /** Captured stdout (capped). */
  stdout: string;
  /** Captured stderr (capped). */
  stderr: string;
  /** Bytes dropped by the cap. */
  dropped: number;
  /** Wall milliseconds. */
  ms: number;
  /** Set when the process could not start. */
  spawnError?: string;
}

const live = new Set<ChildProcess>();

/** Kills every child process still running (used on SIGINT). */
export function killAllChildren(): void {
  for (const c of live) killGroup(c);
}

function killGroup(c: ChildProcess): void {
  if (c.pid === undefined) return;
  try {
    process.kill(-c.pid, "SIGKILL");
  } catch {
    // No process group (it already ended, or the platform has none): kill the child alone.
    try {
      c.kill("SIGKILL");
    } catch { /* already gone: nothing left to kill */ }
  }
}

/** Resident memory of a process in kB (0 when unknown). */
function rssKb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    // The process has just exited (or /proc is absent): it holds no memory to cap.
    return 0;
  }
}

/**
 * Runs a command and waits for it.
 *
 * @param cmd Executable.
 * @param args Arguments.
 * @param opts Directory, environment and limits.
 * @returns Exit status, kill cause and captured output.
 *
 * @example
 * ```ts
 * const r = await runProcess("deno", ["--version"], { cwd: ".", env: {}, timeoutMs: 5000 });
 * r.code; // 0
 * ```
 */
export function runProcess(cmd: string, args: string[], opts: RunOptions): Promise<RunResult> {
  const start = Date.now();
  const max = opts.maxOutput ?? 4 * 1024 * 1024;
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(cmd, args, {
        cwd: opts.cwd,
        env: opts.env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (e) {
      resolve({
        code: null,
        killed: null,
        stdout: "",
        stderr: "",
        dropped: 0,
        ms: 0,
        spawnError: (e as Error).message,
      });
      return;
    }
    live.add(child);
    const out: string[] = [];
    const err: string[] = [];
    let kept = 0;
    let dropped = 0;
    let killed: RunResult["killed"] = null;
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    const kill = (why: KillCause) => {
      if (killed) return;
      killed = why;
      killGroup(child);
    };
    const armStall = () => {
      if (!opts.stallMs) return;
      if (stallTimer) clearTimeout(stallTimer);
      stallTimer = setTimeout(() => kill("stall"), opts.stallMs);
    };
    armStall();
    const timer = setTimeout(() => kill("timeout"), opts.timeoutMs);
    const maxRss = (opts.maxRssMb ?? DEFAULT_MAX_RSS_MB) * 1024; // kB, as /proc reports it
    const memoryTimer = maxRss > 0 && process.platform === "linux"
      ? setInterval(() => {
        if (child.pid !== undefined && rssKb(child.pid) > maxRss) kill("memory");
      }, 250)
      : undefined;
    const take = (sink: string[]) => (chunk: Buffer | string) => {
      const s = typeof chunk === "string" ? chunk : chunk.toString("utf8");
      armStall();
      if (kept >= max) {
        dropped += s.length;
        return;
      }
      const room = max - kept;
      sink.push(s.length > room ? s.slice(0, room) : s);
      if (s.length > room) dropped += s.length - room;
      kept += Math.min(room, s.length);
    };
    child.stdout?.on("data", take(out));
    child.stderr?.on("data", take(err));
    let spawnError: string | undefined;
    child.on("error", (e) => {
      spawnError = e.message;
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (memoryTimer) clearInterval(memoryTimer);
      if (stallTimer) clearTimeout(stallTimer);
      live.delete(child);
      // Leftover grandchildren of a finished runner are not allowed to outlive it.
      killGroup(child);
      resolve({
        code: killed ? null : code,
        killed,
        stdout: out.join(""),
        stderr: err.join(""),
        dropped,
        ms: Date.now() - start,
        ...(spawnError ? { spawnError } : {}),
      });
    });
  });
}

/** Resident memory of a process and all its descendants, in kB (Linux; 0 elsewhere). */
export function treeRssKb(pid: number): number {
  let total = rssKb(pid);
  let children: string[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(
      Boolean,
    );
  } catch {
    // The process ended meanwhile (or /proc lacks the file): no children to add.
    return total;
  }
  for (const c of children) total += treeRssKb(Number(c));
  return total;
}

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
