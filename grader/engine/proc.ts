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

/** Children alive now (killAllChildren ends them all). */
export const live: Set<ChildProcess> = new Set<ChildProcess>();

/** Kills every child process still running (used on SIGINT). */
export function killAllChildren(): void {
  for (const c of live) killGroup(c);
}

/**
 * Kills a child's whole process group.
 *
 * @param c The child (started detached, so it leads its group).
 */
export function killGroup(c: ChildProcess): void {
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
