/**
 * The hostile-submission suite's watch over what a grading run leaves (no tests of its own;
 * hostile_kit.test.ts uses it): a picture of every file of a folder, the processes whose
 * command line holds a marker, and every descendant of the grader recorded while it runs.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";

/** Every file, folder and link under a folder, with a hash of each file's content. */
export function snapshot(dir: string, rel = "", out = new Map<string, string>()) {
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = lstatSync(join(dir, r));
    if (st.isSymbolicLink()) out.set(r, `link ${readlinkSync(join(dir, r))}`);
    else if (st.isDirectory()) {
      out.set(r, "dir");
      snapshot(dir, r, out);
    } else if (st.isFile()) {
      const h = createHash("sha256").update(readFileSync(join(dir, r))).digest("hex");
      out.set(r, `${st.mode.toString(8)} ${h}`);
    } else out.set(r, `special ${st.mode.toString(8)}`);
  }
  return out;
}

/** Processes whose command line holds one of the needles (not this one). */
export function processesWith(needles: string[]): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    let cmd = "";
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\u0000", " ");
    } catch {
      continue; // it ended meanwhile
    }
    if (needles.some((n) => cmd.includes(n))) found.push(`${pid}: ${cmd.slice(0, 200)}`);
  }
  return found;
}

/** A live process's parent and start time (null when it is gone or a zombie). */
function procStat(pid: string): { ppid: string; start: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return f[0] === "Z" || f[0] === "X" ? null : { ppid: f[1]!, start: f[19]! };
  } catch {
    return null; // it ended meanwhile
  }
}

/**
 * Records every descendant of a process while it runs (polled from /proc every 100 ms, so an
 * orphan is still known by the parent it had when first seen; one orphaned within 100 ms of its
 * start escapes this watch, which is why the fixtures that spawn also mark their processes).
 *
 * @param root The process.
 * @returns `stop()`, which gives the descendants still alive, with their command lines.
 */
export function watchTree(root: number): { stop(): string[] } {
  const seen = new Map<string, string>([[String(root), procStat(String(root))?.start ?? "?"]]);
  const poll = () => {
    const kids = new Map<string, string[]>();
    const starts = new Map<string, string>();
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      const st = procStat(pid);
      if (!st) continue;
      starts.set(pid, st.start);
      kids.set(st.ppid, [...(kids.get(st.ppid) ?? []), pid]);
    }
    const todo = [...seen.keys()].filter((p) => starts.get(p) === seen.get(p));
    while (todo.length > 0) {
      for (const kid of kids.get(todo.pop()!) ?? []) {
        if (seen.get(kid) === starts.get(kid)) continue;
        seen.set(kid, starts.get(kid)!);
        todo.push(kid);
      }
    }
  };
  poll();
  const timer = setInterval(poll, 100);
  return {
    stop() {
      clearInterval(timer);
      poll();
      const alive = [...seen].filter(([pid, start]) =>
        pid !== String(root) && procStat(pid)?.start === start
      );
      const lines = alive.length > 0 ? processesWith([""]) : [];
      return alive.map(([pid]) => lines.find((l) => l.startsWith(`${pid}: `)) ?? `${pid}: ?`);
    },
  };
}
