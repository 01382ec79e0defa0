/**
 * The pseudo-terminal kit of watch_tmux.test.ts: a watch session in tmux with a TMPDIR of its own,
 * its screen, its keys, and the processes and temporary folders it has left.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { graderCommand } from "../course/self_command.ts";
import { currentRuntime } from "../engine/runtimes.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";

export const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
const tmux = (...args: string[]) => spawnSync("tmux", args, { encoding: "utf8" });
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A process of this machine: its id, parent, command line, working folder and TMPDIR. */
export interface Proc {
  pid: number;
  ppid: number;
  cmd: string;
  cwd: string;
  tmpdir: string;
}

/** Every process this user can see in /proc. */
function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmd = readFileSync(`/proc/${name}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      let cwd = "";
      let tmpdir = "";
      try {
        cwd = readlinkSync(`/proc/${name}/cwd`);
        tmpdir = readFileSync(`/proc/${name}/environ`, "utf8").split("\0")
          .find((v) => v.startsWith("TMPDIR="))?.slice(7) ?? "";
      } catch { /* another user's, or gone */ }
      out.push({ pid: Number(name), ppid, cmd, cwd, tmpdir });
    } catch { /* ended while read */ }
  }
  return out;
}

/** A watch session in tmux, started in `root` with its own TMPDIR. */
export class Session {
  readonly name: string;
  readonly tmp: string;
  constructor(readonly root: string, tag: string) {
    this.name = `workbook-watch-${process.pid}-${tag}`;
    this.tmp = mkdtempSync(join(tmpdir(), `workbook-tmux-tmp-${tag}-`));
  }

  start(args: string[]): void {
    const [cmd, pre] = graderCommand(TOOL_ROOT);
    const poll = currentRuntime() === "deno" ? ["--poll"] : [];
    const line = [
      cmd,
      ...pre.map((a) => a === join(TOOL_ROOT, "grader", "main.ts") ? "grader/main.ts" : a),
      "--watch",
      ...args,
      ...poll,
    ].map(sh).join(" ");
    // The grader runs in a subshell; the pane's own shell waits in / so that, once the grader has
    // quit, no process of the session is left in the copy or in its TMPDIR.
    const started = tmux(
      "new-session",
      "-d",
      "-s",
      this.name,
      "-x",
      "120",
      "-y",
      "40",
      `cd / && (cd ${sh(this.root)} && NO_COLOR=1 TMPDIR=${sh(this.tmp)} exec ${line}); sleep 120`,
    );
    assert.equal(started.status, 0, started.stderr);
  }

  screen(): string {
    return tmux("capture-pane", "-p", "-t", this.name).stdout ?? "";
  }

  keys(...keys: string[]): void {
    for (const k of keys) tmux("send-keys", "-t", this.name, k);
  }

  async waitFor(re: RegExp, what: string, ms = 60_000, everyMs = 200): Promise<string> {
    const end = Date.now() + ms;
    let last = "";
    while (Date.now() < end) {
      last = this.screen();
      if (re.test(last)) return last;
      await sleep(everyMs);
    }
    throw new Error(`the watch screen never showed ${what} (${re}); last screen:\n${last}`);
  }

  /**
   * The processes of this session: those with its TMPDIR (the grader and what it starts with its
   * environment), in it (the test processes, whose environment the sandbox clears), naming it (the
   * sandbox), or below the pane; not the pane's shell, its sleep, or tmux (whose server keeps the
   * command line of the session that started it).
   */
  live(): Proc[] {
    const pane = Number(tmux("display", "-p", "-t", this.name, "#{pane_pid}").stdout.trim());
    const all = processes();
    const byPid = new Map(all.map((p) => [p.pid, p]));
    const below = (p: Proc) => {
      for (let q = byPid.get(p.ppid); q; q = byPid.get(q.ppid)) if (q.pid === pane) return true;
      return false;
    };
    return all.filter((p) =>
      p.pid !== pane && p.pid !== process.pid && !/^(sleep|tmux) /.test(p.cmd) &&
      (p.tmpdir === this.tmp || p.cwd.startsWith(this.tmp) || p.cmd.includes(this.tmp) || below(p))
    );
  }

  /** Whether `holds()` comes true within `ms` (polled every 50 ms). */
  async settles(holds: () => boolean, ms = 10_000): Promise<boolean> {
    const end = Date.now() + ms;
    while (!holds() && Date.now() < end) await sleep(50);
    return holds();
  }

  /** The grader's temporary folders in this session's TMPDIR. */
  gradeDirs(): string[] {
    return readdirSync(this.tmp).filter((n) => n.startsWith("workbook-grade-"));
  }

  end(): void {
    tmux("kill-session", "-t", this.name);
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
