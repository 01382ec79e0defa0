/**
 * Locates a load error: the runtimes say where a module failed to load (a syntax error, a throw at
 * import, a missing module or export) in their own words and with the workspace's temporary paths.
 * This finds the place (preferring the student's stub), and puts it first as
 * `exercises/NN_x/file.ts:line:column: message`, followed by the offending line with a caret,
 * then what the runtime printed, with workbook-relative paths. A hidden test's line is never
 * quoted: its place is given, its text withheld.
 *
 * @module
 */

import { lstatSync, readFileSync, realpathSync } from "node:fs";
import { join, posix } from "node:path";
import type { UnitOutcome } from "./outcome.ts";
import { redactHiddenSource } from "./redact.ts";
import type { Exercise } from "./types.ts";
import { isHiddenTest, type Unit } from "./workspace.ts";

/** Where the text of a load error comes from. */
export interface LoadErrorContext {
  /** The exercise. */
  exercise: Exercise;
  /** The workspace root (its absolute paths are made relative). */
  ws: string;
  /** The exercise's folder name inside the workspace (a mutant's differs from the exercise's). */
  wsDir: string;
  /** The stub files graded (relative to the exercise folder). */
  stubs: readonly string[];
}

/** A place in a workbook file, 1-based. */
interface Place {
  file: string;
  line: number;
  column: number;
}

const LINE_CAP = 240;
const PLACE = /((?:exercises|lib)\/[^\s:'"()`]+?\.[cm]?[jt]sx?):(\d+):(\d+)/g;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Whether the file may be quoted: a stub, a visible file of the exercise, or lib. The place comes
 * from text the code under test can write (an error's stack), so a path that steps out of its
 * folder (`exercises/01_x/../../solutions/01_x/x.ts`) is never read.
 */
function quotable(ctx: LoadErrorContext, file: string): boolean {
  if (file.split("/").some((seg) => seg === "" || seg === "." || seg === "..")) return false;
  if (isHiddenTest(file) || /\/mutants\//.test(file)) return false;
  return file.startsWith(`exercises/${ctx.exercise.dir}/`) || file.startsWith("lib/");
}

/** The text of a workbook file as graded: stubs from the workspace, the rest pristine. */
function sourceOf(ctx: LoadErrorContext, file: string): string | null {
  if (!quotable(ctx, file)) return null;
  const prefix = `exercises/${ctx.exercise.dir}/`;
  const rel = file.startsWith(prefix) ? file.slice(prefix.length) : null;
  const path = rel !== null && ctx.stubs.includes(rel)
    ? join(ctx.ws, "exercises", ctx.wsDir, rel)
    : rel !== null
    ? join(ctx.exercise.pristineDir, rel)
    : join(ctx.exercise.pristineDir, "..", "..", file);
  try {
    const st = lstatSync(path);
    if (!st.isFile() || st.size > 1 << 20) return null;
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** Replaces the workspace's absolute paths (and file URLs) with workbook-relative ones. */
function relativize(text: string, ctx: LoadErrorContext): string {
  const roots = new Set([ctx.ws]);
  try {
    roots.add(realpathSync(ctx.ws));
  } catch { /* gone already */ }
  let out = text;
  for (const root of roots) {
    out = out.replace(new RegExp(`(?:file://)?${escapeRe(root)}/`, "g"), "");
  }
  if (ctx.wsDir !== ctx.exercise.dir) {
    out = out.replaceAll(`exercises/${ctx.wsDir}/`, `exercises/${ctx.exercise.dir}/`);
  }
  return out;
}

/** Line and column (1-based) of an offset in a text. */
function placeAt(file: string, text: string, offset: number): Place {
  const before = text.slice(0, offset).split("\n");
  return { file, line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** The place of a module specifier in the file that imports it (Bun names no line). */
function findSpecifier(ctx: LoadErrorContext, file: string, spec: string): Place | null {
  const src = sourceOf(ctx, file);
  if (src === null) return null;
  const m = new RegExp(`(["'])${escapeRe(spec)}\\1`).exec(src);
  return m ? placeAt(file, src, m.index) : null;
}

/** The place where a visible file of the exercise imports `name` from `module` (Bun names none). */
function findImporter(ctx: LoadErrorContext, module: string, name: string): Place | null {
  const ex = ctx.exercise;
  // Visible files only: the message can be the stub's own text, and must not probe hidden tests.
  const files = [...ex.testFiles.filter((f) => !isHiddenTest(f)), ...ctx.stubs];
  for (const f of files) {
    const file = `exercises/${ex.dir}/${f}`;
    if (file === module) continue;
    const src = sourceOf(ctx, file);
    if (src === null) continue;
    const re =
      /^[ \t]*import\s+(?:type\s+)?(?:[\w$]+\s*,\s*)?\{([^}]*)\}\s*from\s*(["'])([^"']+)\2/gm;
    for (let m = re.exec(src); m; m = re.exec(src)) {
      const target = posix.normalize(posix.join(posix.dirname(file), m[3]!));
      if (
        target !== module &&
        target.replace(/\.[cm]?[jt]sx?$/, "") !== module.replace(/\.[cm]?[jt]sx?$/, "")
      ) continue;
      const n = new RegExp(`(^|[\\s,{])(${escapeRe(name)})\\b`).exec(m[1]!);
      if (!n) continue;
      const at = m.index + m[0].indexOf("{") + 1 + n.index + n[1]!.length;
      return placeAt(file, src, at);
    }
  }
  return null;
}

/** The first place in the text, preferring a stub's, then the exercise's, then lib's. */
function pickPlace(ctx: LoadErrorContext, text: string): { place: Place; index: number } | null {
  const found: { place: Place; index: number }[] = [];
  for (const m of text.matchAll(PLACE)) {
    found.push({
      place: { file: m[1]!, line: Number(m[2]), column: Number(m[3]) },
      index: m.index!,
    });
  }
  const stubFiles = ctx.stubs.map((s) => `exercises/${ctx.exercise.dir}/${s}`);
  return found.find((f) => stubFiles.includes(f.place.file)) ??
    found.find((f) => f.place.file.startsWith("exercises/")) ?? found[0] ?? null;
}

/** The runtime's message for the error reported at `index`: the nearest error line up to it. */
function headlineAt(text: string, index: number): string {
  const lines = text.split("\n");
  const at = text.slice(0, index).split("\n").length - 1;
  const isError = (l: string) =>
    /^\s*(error: |Uncaught |[A-Z]\w*(Error|Exception)\b)/.test(l) && !/^\s*at\s/.test(l);
  const clean = (l: string) => l.trim().replace(/^error: /, "").replace(/^Uncaught /, "");
  for (let i = at; i >= 0; i--) if (isError(lines[i]!)) return clean(lines[i]!);
  const first = lines.find((l) => l.trim() && !/^\s*(at\s|\d+ \||\|?\s*[\^~]+\s*$)/.test(l));
  return first ? clean(first) : "the module did not load";
}

/** The offending line and a caret under its column, or why it is not shown. */
function quote(ctx: LoadErrorContext, p: Place): string {
  const src = sourceOf(ctx, p.file);
  if (src === null) {
    return isHiddenTest(p.file) ? "  (a line of a hidden test, withheld)" : "";
  }
  const line = src.split("\n")[p.line - 1];
  if (line === undefined) return "";
  const text = line.replace(/\r$/, "");
  const shown = text.length > LINE_CAP ? `${text.slice(0, LINE_CAP)} ...` : text;
  const n = String(p.line);
  const caret = p.column - 1 <= LINE_CAP
    ? `\n  ${" ".repeat(n.length)} | ${text.slice(0, p.column - 1).replace(/[^\t]/g, " ")}^`
    : "";
  return `  ${n} | ${shown}${caret}`;
}

/** Withholds the runtime's own code frames (`12 | source`) that show a hidden test's line. */
function withholdFrames(ctx: LoadErrorContext, text: string): string {
  return text.split("\n").map((l) => {
    const m = /^\s*\d+ \| (.*)$/.exec(l);
    if (!m) return l;
    const code = m[1]!;
    return redactHiddenSource(ctx.exercise, code) !== code
      ? "[a line of a hidden test, withheld]"
      : l;
  }).join("\n");
}

/**
 * Puts the place of a load error first, with its offending line.
 *
 * @param text What the runtime (or the harness) said when the module graph failed.
 * @param ctx The exercise, workspace and stubs.
 * @returns `file:line:column: message`, the line with a caret, then the runtime's text (paths
 *   relative); the runtime's text alone (paths relative) when it names no place.
 *
 * @example
 * ```ts
 * locateLoadError("error: Unexpected }\n    at /tmp/g/ws/exercises/01_a/a.ts:3:1", ctx);
 * // "exercises/01_a/a.ts:3:1: Unexpected }\n  3 | }\n    | ^\nerror: Unexpected }\n    at exercises/01_a/a.ts:3:1"
 * ```
 */
export function locateLoadError(text: string, ctx: LoadErrorContext): string {
  const rel = withholdFrames(ctx, relativize(text, ctx)).trim();
  let picked = pickPlace(ctx, rel);
  let headline = picked ? headlineAt(rel, picked.index) : "";
  if (!picked) {
    const missing = /Cannot find (?:module|package) '([^']+)' from '([^']+)'/.exec(rel);
    const noExport = /Export named '([^']+)' not found in module '([^']+)'/.exec(rel);
    const place = missing
      ? findSpecifier(ctx, missing[2]!, missing[1]!)
      : noExport
      ? findImporter(ctx, noExport[2]!, noExport[1]!)
      : null;
    if (!place) return rel;
    picked = { place, index: 0 };
    headline = headlineAt(rel, (missing ?? noExport)!.index);
  }
  const { file, line, column } = picked.place;
  const q = quote(ctx, picked.place);
  // What the runtime said after that place (its other errors, the callers); its banner dropped.
  const end = rel.indexOf("\n", picked.index);
  const rest = (end === -1 ? "" : rel.slice(end + 1)).split("\n")
    .filter((l) => !/^Bun v\d[^\n]*\)$/.test(l.trim())).join("\n").trim();
  return `${file}:${line}:${column}: ${headline}${q ? `\n${q}` : ""}${rest ? `\n${rest}` : ""}`;
}

/**
 * Locates every load error of a unit's outcome in place (see {@linkcode locateLoadError}).
 *
 * @param u The unit.
 * @param o Its outcome.
 * @param ws The workspace root.
 */
export function locateLoadErrors(u: Unit, o: UnitOutcome, ws: string): void {
  const ctx: LoadErrorContext = {
    exercise: u.exercise,
    ws,
    wsDir: u.wsDir,
    stubs: Object.keys(u.stubSources),
  };
  for (const [f, text] of o.loadErrors) o.loadErrors.set(f, locateLoadError(text, ctx));
}
