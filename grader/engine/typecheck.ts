/**
 * Type-checks the stub files under grade (never the tests) once per grading run, with
 * `deno check`, and reports each error with its file, line and the compiler's message.
 *
 * @module
 */

import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanText } from "../formats/sanitize.ts";
import { runProcess } from "./proc.ts";
import { childEnv } from "./env.ts";
import type { TypeErrorItem } from "./types.ts";

/** Outcome of a type check. */
export interface TypeCheckResult {
  /** Errors located in the checked files, by workspace-relative file. */
  errors: TypeErrorItem[];
  /** Set when the check could not run, saying why (shown in the report, never "no errors"). */
  skipped?: string;
}

/**
 * Parses `deno check` output into errors.
 *
 * @param text Combined output of deno check (uncoloured).
 * @param ws Workspace root, to make paths relative.
 * @returns Errors with workspace-relative paths.
 */
export function parseDenoCheck(text: string, ws: string): TypeErrorItem[] {
  const out: TypeErrorItem[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const head = /^(?:error: )?(TS\d+) \[ERROR\]: (.*)$/.exec(lines[i]!);
    if (!head) continue;
    const msg = [head[2]!];
    for (let j = i + 1; j < lines.length; j++) {
      const at = /^\s+at (file:\/\/\S+?):(\d+):(\d+)\s*$/.exec(lines[j]!);
      if (at) {
        let file = at[1]!;
        try {
          file = relative(ws, fileURLToPath(file));
        } catch { /* keep the URL */ }
        out.push({
          file,
          line: Number(at[2]),
          column: Number(at[3]),
          message: cleanText(`${head[1]}: ${msg.join(" ").trim()}`),
        });
        i = j;
        break;
      }
      if (/^(?:error: )?TS\d+ \[ERROR\]/.test(lines[j]!)) break;
    }
  }
  return out;
}

/**
 * Runs `deno check` on files of a workspace.
 *
 * @param deno Deno binary, or null when Deno is not installed.
 * @param ws Workspace root.
 * @param files Workspace-relative files to check.
 * @returns Errors in those files.
 */
export async function typeCheck(
  deno: string | null,
  ws: string,
  files: string[],
): Promise<TypeCheckResult> {
  if (files.length === 0) return { errors: [] };
  if (!deno) return { errors: [], skipped: "type check skipped: Deno is not installed" };
  const res = await runProcess("sh", [
    "-c",
    'exec "$0" "$@" 2>&1',
    deno,
    "check",
    "--no-lock",
    "--node-modules-dir=manual",
    ...files,
  ], {
    cwd: ws,
    env: childEnv(),
    timeoutMs: 120_000,
  });
  if (res.killed) return { errors: [], skipped: "type check skipped: deno check took over 120 s" };
  const wanted = new Set(files);
  // deno-lint-ignore no-control-regex
  const text = (res.stdout + res.stderr).replace(/\x1b\[[0-9;]*m/g, "");
  const all = parseDenoCheck(text, ws);
  const errors = all.filter((e) => wanted.has(e.file));
  if (res.code !== 0 && all.length === 0) {
    // deno check failed, but not with type errors it could place (a syntax error, a missing
    // module, a crash): say that it could not run rather than "no errors".
    const first = text.trim().split("\n").filter((l) => l.trim() !== "").slice(0, 3).join(" | ");
    return {
      errors,
      skipped: `type check could not run: deno check exited ${res.code}${
        first ? `: ${first}` : ""
      }`,
    };
  }
  return { errors };
}
