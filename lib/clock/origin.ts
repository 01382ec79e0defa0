/**
 * Finds where in the learner's code a timer or a promise was created, as
 * `exercises/10_x/crawler.ts:42`, and which lines called it.
 *
 * Stack formats differ (V8 under Deno prints `file:///...`, JavaScriptCore under Bun prints plain
 * paths), so frames are normalised to a path relative to the workbook root and a line number; the
 * column is dropped because the two engines disagree on it. Function names are the engine's own
 * (`Lock.acquire` under Deno, `acquire` under Bun).
 *
 * @module
 */
import {
  $decodeURIComponent,
  $Error,
  $exec,
  $filter,
  $find,
  $includes,
  $indexOf,
  $push,
  $replace,
  $split,
  $startsWith,
  $strSlice,
} from "./intrinsics.ts";

const ROOT = decodeURIComponent(new URL("../../", import.meta.url).pathname);
// A frame's path starts right after "(" or "at "; runtime internals ("ext:deno_node/...",
// "node:test:...") do not start with "/" or "file://" and are skipped.
const FRAME = /(?:\(|at )((?:file:\/\/)?\/[^\s()]+?\.[cm]?[jt]sx?):(\d+)(?::\d+)?/;
// "at Lock.acquire (" / "at async consumer (" / "at new Queue (": the function's name.
const FN = /^\s*at (?:async )?(?:new )?([^\s()<>]+) \(/;
const TEST_FILE = /\.(test|hidden|cpython)\.[cm]?[jt]s$/;
// lib's own code; its testdata/ is code under test for lib's own tests.
const LIB = /(^|\/)lib\/(clock|kit)\/(?!testdata\/)/;

/** One parsed stack frame: a workbook-relative file and a line, and the function if named. */
export interface Frame {
  /** Path relative to the workbook root (absolute outside it). */
  file: string;
  /** Line number. */
  line: number;
  /** The engine's name of the function, if any. */
  fn?: string;
}

/**
 * Parses the frames of a stack trace, keeping those that point to a file.
 *
 * @param stack An `Error().stack` string from Deno or Bun.
 * @returns Frames, innermost first, with paths relative to the workbook root when inside it.
 *
 * @example
 * ```ts
 * import { parseFrames } from "./origin.ts";
 * parseFrames("Error\n    at f (file:///w/a.ts:3:9)")[0].line; // 3
 * ```
 */
export function parseFrames(stack: string | undefined): Frame[] {
  const frames: Frame[] = [];
  const lines = $split(typeof stack === "string" ? stack : "", "\n");
  for (let i = 0; i < lines.length; i++) {
    const m = $exec(FRAME, lines[i]);
    if (!m) continue;
    let file = $decodeURIComponent($replace(m[1], /^file:\/\//, ""));
    if ($startsWith(file, ROOT)) file = $strSlice(file, ROOT.length);
    const fn = $exec(FN, lines[i])?.[1];
    const frame: Frame = { file, line: +m[2] };
    if (fn !== undefined && fn !== "Object.construct" && fn !== "construct") frame.fn = fn;
    $push(frames, frame);
  }
  return frames;
}

const isTestFile = (f: Frame) => $exec(TEST_FILE, f.file) !== null;
const isInfrastructure = (f: Frame) =>
  $includes(f.file, "node_modules/") || $startsWith(f.file, "node:") ||
  ($exec(LIB, f.file) !== null && !isTestFile(f));

/** Where something was created and who called it. */
export interface Site {
  /** `path:line` of the creation site, or "unknown". */
  site: string;
  /** The function the site is in, if the engine named it. */
  fn?: string;
  /** `path:line` of the callers outside lib/ (innermost first, at most 3). */
  callers: string[];
}

/**
 * The creation site to blame and its callers: the first frame outside lib/ and node_modules/,
 * preferring code under test over the test file itself.
 *
 * @param stack A stack captured where the thing was created.
 * @returns The site, its function and its callers.
 *
 * @example
 * ```ts
 * import { locate } from "./origin.ts";
 * locate(new Error().stack).site; // e.g. "exercises/08_lock/lock.ts:90"
 * ```
 */
export function locate(stack: string | undefined): Site {
  const frames = $filter(parseFrames(stack), (f) => !isInfrastructure(f));
  const chosen = $find(frames, (f) => !isTestFile(f)) ?? frames[0];
  if (!chosen) return { site: "unknown", callers: [] };
  const site = `${chosen.file}:${chosen.line}`;
  const callers: string[] = [];
  for (let i = $indexOf(frames, chosen) + 1; i < frames.length && callers.length < 3; i++) {
    const at = `${frames[i].file}:${frames[i].line}`;
    if (at !== site && $indexOf(callers, at) < 0) $push(callers, at);
  }
  return chosen.fn === undefined ? { site, callers } : { site, fn: chosen.fn, callers };
}

/**
 * The creation site to blame: the first frame outside lib/ and node_modules/, preferring code
 * under test over the test file itself.
 *
 * @param stack A stack captured where the timer was created.
 * @returns `path:line`, or `"unknown"` when no frame qualifies.
 *
 * @example
 * ```ts
 * import { blame } from "./origin.ts";
 * blame(new Error().stack); // e.g. "exercises/06_wait_for/timeouts.ts:17"
 * ```
 */
export function blame(stack: string | undefined): string {
  return locate(stack).site;
}

/**
 * Captures the current call stack with room for deep call chains. The frames are recorded now;
 * reading `.stack` (the expensive part) is left to whoever needs the text.
 *
 * @param depth How many frames to keep (a deep chain needs more; fewer cost less).
 * @returns A fresh Error holding the stack.
 *
 * @example
 * ```ts
 * import { blame, captureError } from "./origin.ts";
 * blame(captureError().stack); // the caller's file:line
 * ```
 */
export function captureError(depth = 40): Error {
  const limit = $Error.stackTraceLimit;
  $Error.stackTraceLimit = depth;
  const error = new $Error();
  $Error.stackTraceLimit = limit;
  return error;
}
