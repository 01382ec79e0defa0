/**
 * The OS sandbox around every process that runs code under test: bubblewrap (`bwrap`) with fresh
 * user, pid, network, ipc, uts and cgroup namespaces; only the workspace, node_modules and the
 * runtime visible, read-only; a private /tmp (Deno's cache goes there and vanishes with it); a
 * cleared environment; no way to signal or outlive the grader (`--die-with-parent`, the pid
 * namespace) or to type into its terminal (`--new-session`).
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readlinkSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";

/** Where bwrap is, or why it cannot be used. */
export type SandboxStatus = { ok: true; bwrap: string } | { ok: false; why: string };

let cached: SandboxStatus | undefined;

/**
 * Whether bubblewrap works here: installed, and allowed to create namespaces (some container
 * platforms forbid it; then it fails at once, and so does this check).
 *
 * @returns The status, cached for the process.
 */
export function sandboxStatus(): SandboxStatus {
  if (cached) return cached;
  const bwrap = ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"].find((p) => existsSync(p));
  if (!bwrap) {
    cached = {
      ok: false,
      why: "bubblewrap (bwrap) is not installed: on Debian or Ubuntu, apt-get install bubblewrap",
    };
    return cached;
  }
  const r = spawnSync(
    bwrap,
    ["--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"],
    { encoding: "utf8", timeout: 10_000 },
  );
  cached = r.status === 0 ? { ok: true, bwrap } : {
    ok: false,
    why: `bwrap cannot create namespaces here: ${
      (r.stderr || r.error?.message || `exit ${r.status}`).trim()
    }`,
  };
  return cached;
}

/** The system folders a runtime needs to start (its dynamic libraries), bound read-only. */
function systemBinds(): string[] {
  const out = ["--ro-bind", "/usr", "/usr"];
  for (const p of ["/bin", "/sbin", "/lib", "/lib64", "/lib32"]) {
    if (!existsSync(p)) continue;
    const st = lstatSync(p);
    if (st.isSymbolicLink()) out.push("--symlink", readlinkSync(p), p);
    else out.push("--ro-bind", p, p);
  }
  return out;
}

/** The size of the sandbox's /tmp (Deno's cache of the workspace's modules lives there). */
export const TMP_BYTES = 256 * 1024 * 1024;

/** What a sandboxed process sees. */
export interface SandboxView {
  /** The workspace (bound read-only, and the working directory). */
  ws: string;
  /** Other folders to bind read-only (node_modules' real path, the runtime's folder). */
  readOnly: string[];
  /** Environment variables to set (nothing else passes). */
  env: Record<string, string>;
  /**
   * The workspace entries this process may see (relative paths; links are recreated as links).
   * Absent: the whole workspace. A group's process sees only its own exercises, so it cannot
   * read another group's hidden tests before that group's harness has read them.
   */
  only?: string[];
}

/** The binds that show the workspace, or only the listed entries of it. */
function workspaceBinds(view: SandboxView): string[] {
  if (!view.only) return ["--ro-bind", view.ws, view.ws];
  const out = ["--dir", view.ws];
  for (const rel of view.only) {
    const p = join(view.ws, rel);
    let st;
    try {
      st = lstatSync(p);
    } catch {
      // Not in this workspace (an optional config file).
      continue;
    }
    if (st.isSymbolicLink()) out.push("--symlink", readlinkSync(p), p);
    else out.push("--ro-bind", p, p);
  }
  return out;
}

/**
 * The bwrap command line that runs `cmd args` in the sandbox, stdout and stderr merged.
 *
 * @param bwrap The bwrap binary.
 * @param view What the process sees.
 * @param cmd The program (its folder is bound read-only when outside the other binds).
 * @param args Its arguments.
 * @returns Command and arguments.
 */
export function sandboxed(
  bwrap: string,
  view: SandboxView,
  cmd: string,
  args: string[],
): { cmd: string; args: string[] } {
  const real = realpathSync(cmd);
  const binds = new Set([...view.readOnly.map((p) => realpathSync(p)), dirname(real)]);
  const out = [
    "--unshare-all",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    ...systemBinds(),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    // Files in a tmpfs belong to no process, so the memory cap cannot see them: the size can.
    "--size",
    String(TMP_BYTES),
    "--tmpfs",
    "/tmp",
    ...[...binds].flatMap((p) => ["--ro-bind", p, p]),
    ...workspaceBinds(view),
    "--clearenv",
    ...Object.entries({ PATH: "/usr/bin:/bin", HOME: "/tmp", TMPDIR: "/tmp", ...view.env }).flatMap(
      ([k, v]) => ["--setenv", k, v],
    ),
    "--chdir",
    view.ws,
    "/bin/sh",
    "-c",
    'exec "$0" "$@" 2>&1',
    real,
    ...args,
  ];
  return { cmd: bwrap, args: out };
}
