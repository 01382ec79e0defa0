/**
 * Type-checks the stub files under grade (never the tests) once per grading run, with the
 * fastest checker available (TypeScript 7's native tsc, else `deno check`), beside the tests and
 * cached by the content of its inputs, and reports each error with its file, line and message.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { cleanText } from "../formats/sanitize.ts";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { runProcess } from "./proc.ts";
import { findBinary } from "./runtimes.ts";
import { findNativeTsc, parseTsc, tscArgs } from "./tsc.ts";
import { childEnv } from "./env.ts";
import type { TypeErrorItem } from "./types.ts";
import { readCached, writeCached } from "./disk_cache.ts";

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

/** What a type check needs. */
export interface TypeCheckInput {
  /** The grader's workbook (its node_modules hold the checkers; its .workbook/ the cache). */
  toolRoot: string;
  /** The folder to check in (a workspace, or a learner's workbook). */
  dir: string;
  /** Files relative to it. */
  files: string[];
}

/**
 * Type-checks files with the fastest checker there is (native tsc, else deno check), reusing
 * the result of an earlier check of the very same inputs (the checker, the tsconfig, every
 * TypeScript file of the checked files' folders and of lib/).
 *
 * @param i What to check.
 * @returns Errors in those files, or why the check could not run.
 */
export async function typeCheck(i: TypeCheckInput): Promise<TypeCheckResult> {
  if (i.files.length === 0) return { errors: [] };
  const tsc = findNativeTsc(i.toolRoot);
  const deno = tsc ? null : findBinary("deno", i.toolRoot);
  if (!tsc && !deno) {
    return {
      errors: [],
      skipped: "type check could not run: neither TypeScript nor Deno is installed (run npm ci)",
    };
  }
  const key = cacheKey(i, tsc ?? deno!);
  const cached = readCached<TypeCheckResult>(i.toolRoot, "typecheck", key);
  if (cached) return cached;
  const result = tsc ? await runTsc(tsc, i) : await runDenoCheck(deno!, i.dir, i.files);
  if (!result.skipped) writeCached(i.toolRoot, "typecheck", key, result);
  return result;
}

async function runTsc(tsc: string, i: TypeCheckInput): Promise<TypeCheckResult> {
  const res = await runProcess(tsc, tscArgs(i.dir, i.files), {
    cwd: i.dir,
    env: childEnv(),
    timeoutMs: 120_000,
  });
  if (res.killed) return { errors: [], skipped: "type check could not run: tsc took over 120 s" };
  const text = res.stdout + res.stderr;
  const all = parseTsc(text, i.dir).map((e) => ({ ...e, message: cleanText(e.message) }));
  const wanted = new Set(i.files);
  if (res.code !== 0 && all.length === 0) {
    const first = text.trim().split("\n").filter((l) => l.trim() !== "").slice(0, 3).join(" | ");
    return {
      errors: [],
      skipped: `type check could not run: tsc exited ${res.code}${first ? `: ${first}` : ""}`,
    };
  }
  return { errors: all.filter((e) => wanted.has(e.file)) };
}

/** The inputs' hash: checker, tsconfig, and every .ts file of the checked folders and lib/. */
function cacheKey(i: TypeCheckInput, checker: string): string {
  const h = createHash("sha256").update(checker).update(String(statSync(checker).mtimeMs));
  const add = (p: string) => {
    if (existsSync(p)) h.update(p.slice(i.dir.length)).update(readFileSync(p));
  };
  add(join(i.dir, "tsconfig.json"));
  const dirs = new Set([...i.files.map((f) => dirname(join(i.dir, f))), join(i.dir, "lib")]);
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (
      const e of readdirSync(d, { withFileTypes: true }).sort((a, b) =>
        a.name.localeCompare(b.name)
      )
    ) {
      if (e.isDirectory() && e.name !== "node_modules") walk(join(d, e.name));
      else if (e.name.endsWith(".ts")) add(join(d, e.name));
    }
  };
  for (const d of [...dirs].sort()) walk(d);
  h.update(JSON.stringify(i.files));
  return h.digest("hex");
}

/**
 * Runs `deno check` on files of a workspace.
 *
 * @param deno Deno binary.
 * @param ws Workspace root.
 * @param files Workspace-relative files to check.
 * @returns Errors in those files.
 */
async function runDenoCheck(
  deno: string,
  ws: string,
  files: string[],
): Promise<TypeCheckResult> {
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
