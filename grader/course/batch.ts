/**
 * `grade batch DIR`: grades every sub-folder of DIR (one per student, named after the student)
 * into a gradebook CSV and one JSON per student. Each submission is collected into a temp
 * workbook (only its stub files are taken; see collect.ts) and graded by a child grader process
 * with a wall-clock kill, so an infinite loop, an exit at import, missing files or a crash of the
 * grader itself costs that student's row and nothing else.
 *
 * @module
 */

import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { basename, dirname, extname, join } from "node:path";
import { discoverExercises } from "../engine/discover.ts";
import pLimit from "p-limit";
import { runProcess } from "../engine/proc.ts";
import type { Runtime } from "../engine/types.ts";
import { collectSubmission } from "./collect.ts";
import { formatGradebook, type GradebookRow } from "./gradebook.ts";
import { graderCommand } from "./self_command.ts";

/** Options of {@linkcode batchGrade}. */
export interface BatchOptions {
  /** The grader's workbook (node_modules, grader). */
  toolRoot: string;
  /** Folder of submissions, one sub-folder per student. */
  dir: string;
  /** Full workbook with the hidden tests (default toolRoot). */
  hiddenDir?: string;
  /** Gradebook CSV path (default DIR/../gradebook.csv). */
  out?: string;
  /** Students graded at once (default: CPUs / 2, at least 1). */
  jobs?: number;
  /** Runtime (default deno: it sandboxes student code). */
  runtime?: Runtime;
  /** Per-exercise wall-clock limit passed to the grader, seconds. */
  timeoutSec?: number;
  /** Other schedules per passing test, passed to the grader (default: the grader's, 4). */
  schedules?: number;
  /** Let each student's grade run without the sandbox (`--unsafe-no-sandbox`). */
  unsafeNoSandbox?: boolean;
  /** Called after each student. */
  onStudent?: (row: GradebookRow, done: number, total: number) => void;
}

/** What a batch produced. */
export interface BatchResult {
  /** Gradebook CSV path. */
  csv: string;
  /** Folder of per-student JSON files. */
  jsonDir: string;
  /** Rows, in student order. */
  rows: GradebookRow[];
}

/**
 * A file-name-safe version of a student's folder name.
 *
 * @param name Folder name.
 * @returns Letters, digits, ".", "_" and "-" only; a name that had to change gets a short hash of
 *   the original, so two students never share a file.
 */
export function safeName(name: string): string {
  const plain = name.replace(/[^\w.-]/g, "_").replace(/^\.+/, "_") || "_";
  // Names that differ only in characters the file name drops ("same name", "same_name") must not
  // share a report: an altered name carries a short hash of the original.
  return plain === name
    ? plain
    : `${plain}-${createHash("sha256").update(name).digest("hex").slice(0, 8)}`;
}

/**
 * Grades a folder of submissions.
 *
 * @param o What to grade and where to write.
 * @returns The gradebook's path, the JSON folder and the rows.
 * @throws {Error} When DIR is missing or the hidden workbook has no exercises.
 *
 * @example
 * ```ts
 * const r = await batchGrade({ toolRoot: ".", dir: "submissions", out: "book.csv" });
 * r.rows[0].total;
 * ```
 */
export async function batchGrade(o: BatchOptions): Promise<BatchResult> {
  if (!existsSync(o.dir) || !statSync(o.dir).isDirectory()) {
    throw new Error(`Cannot batch-grade "${o.dir}": not a folder`);
  }
  const hidden = o.hiddenDir ?? o.toolRoot;
  const exercises = discoverExercises(hidden);
  if (exercises.length === 0) {
    throw new Error(
      `Cannot batch-grade: "${hidden}" has no exercises (give the full workbook with --hidden-dir)`,
    );
  }
  const students = readdirSync(o.dir).filter((n) =>
    !n.startsWith(".") && statSync(join(o.dir, n)).isDirectory()
  ).sort();
  const csv = o.out ?? join(dirname(o.dir.replace(/\/+$/, "")), "gradebook.csv");
  const jsonDir = join(dirname(csv), basename(csv, extname(csv)));
  mkdirSync(jsonDir, { recursive: true });
  const jobs = o.jobs ?? Math.max(1, Math.floor(availableParallelism() / 2));
  const inner = Math.max(1, Math.floor(availableParallelism() / jobs));
  const runtime = o.runtime ?? "deno";
  const [cmd, pre] = graderCommand(o.toolRoot);
  const limitMs = (exercises.reduce((s, e) => s + (o.timeoutSec ?? e.meta.timeoutSec), 0) + 120) *
    1000;
  const max = exercises.length * 10;
  let done = 0;
  const limit = pLimit(jobs);
  const rows = await Promise.all(students.map((student) =>
    limit(async () => {
      const work = mkdtempSync(join(tmpdir(), "workbook-batch-"));
      const row: GradebookRow = { student, scores: {}, total: 0, max, status: "error", note: "" };
      const notes: string[] = [];
      let report: unknown = null;
      try {
        const sub = join(work, "sub");
        const got = collectSubmission(join(o.dir, student), exercises, sub);
        if (got.found.length === 0) notes.push("no stub files found in the submission");
        else if (got.missing.length > 0) notes.push(`missing: ${got.missing.join(" ")}`);
        if (got.refused.length > 0) {
          notes.push(`refused: ${got.refused.map((r) => basename(r.split(":")[0]!)).join(" ")}`);
        }
        const jsonOut = join(work, "report.json");
        const args = [
          ...pre,
          "--submission",
          sub,
          "--hidden-dir",
          hidden,
          "--runtime",
          runtime,
          "--format",
          "json",
          "--out",
          jsonOut,
          ...(o.unsafeNoSandbox ? ["--unsafe-no-sandbox"] : []),
          // The caller chose Bun knowingly (the command refuses it without --unsafe-bun).
          ...(runtime === "bun" ? ["--unsafe-bun"] : []),
          "--jobs",
          String(inner),
          "--no-color",
          ...(o.timeoutSec !== undefined ? ["--timeout", String(o.timeoutSec)] : []),
          // Absent: the grade's own default for someone else's code (AUTOGRADER_SCHEDULES).
          ...(o.schedules !== undefined ? ["--schedules", String(o.schedules)] : []),
        ];
        const env: Record<string, string> = {};
        for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
        env.NO_COLOR = "1";
        const r = await runProcess(cmd, args, { cwd: o.toolRoot, env, timeoutMs: limitMs });
        if (r.killed) notes.push(`the grader was killed after ${Math.round(r.ms / 1000)} s`);
        else if (r.code !== 0 && r.code !== 1) {
          notes.push(
            `the grader exited ${r.code}: ${
              (r.stderr || r.stdout).trim().split("\n").slice(-2).join(" | ").slice(0, 300)
            }`,
          );
        }
        if (existsSync(jsonOut)) {
          report = JSON.parse(readFileSync(jsonOut, "utf8"));
          const rep = report as {
            score: number;
            exercises: { dir: string; score: number; reason?: string }[];
          };
          for (const e of rep.exercises) row.scores[e.dir] = e.score;
          row.total = rep.score;
          row.status = "graded";
          const crashed = rep.exercises.filter((e) => e.reason).map((e) =>
            `${e.dir}: ${e.reason!.split(":")[0]}`
          );
          if (crashed.length > 0) notes.push(crashed.join("; "));
        }
        row.note = notes.join("; ");
        writeFileSync(
          join(jsonDir, `${safeName(student)}.json`),
          JSON.stringify(
            { student, status: row.status, note: row.note, collected: got, report },
            null,
            2,
          ) + "\n",
        );
      } catch (e) {
        row.status = "error";
        row.note = [...notes, `could not grade: ${(e as Error).message}`].join("; ");
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
      o.onStudent?.(row, ++done, students.length);
      return row;
    })
  ));
  writeFileSync(csv, formatGradebook(exercises.map((e) => e.dir), rows));
  return { csv, jsonDir, rows };
}
