/**
 * Finds where in the learner's code a timer was created, as `exercises/10_x/crawler.ts:42`.
 *
 * Stack formats differ (V8 under Deno prints `file:///...`, JavaScriptCore under Bun prints plain
 * paths), so frames are normalised to a path relative to the workbook root and a line number; the
 * column is dropped because the two engines disagree on it.
 *
 * @module
 */

const ROOT = decodeURIComponent(new URL("../../", import.meta.url).pathname);
// A frame's path starts right after "(" or "at "; runtime internals ("ext:deno_node/...",
// "node:test:...") do not start with "/" or "file://" and are skipped.
const FRAME = /(?:\(|at )((?:file:\/\/)?\/[^\s()]+?\.[cm]?[jt]sx?):(\d+)(?::\d+)?/;

/** One parsed stack frame: a workbook-relative file and a line. */
export interface Frame {
  file: string;
  line: number;
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
  for (const line of (stack ?? "").split("\n")) {
    const m = FRAME.exec(line);
    if (!m) continue;
    let file = decodeURIComponent(m[1].replace(/^file:\/\//, ""));
    if (file.startsWith(ROOT)) file = file.slice(ROOT.length);
    frames.push({ file, line: Number(m[2]) });
  }
  return frames;
}

const isTestFile = (f: Frame) => /\.(test|hidden)\.[cm]?[jt]s$/.test(f.file);
const isInfrastructure = (f: Frame) =>
  f.file.includes("node_modules/") || f.file.startsWith("node:") ||
  (/(^|\/)lib\/(clock|kit)\//.test(f.file) && !isTestFile(f));

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
  const frames = parseFrames(stack).filter((f) => !isInfrastructure(f));
  const chosen = frames.find((f) => !isTestFile(f)) ?? frames[0];
  return chosen ? `${chosen.file}:${chosen.line}` : "unknown";
}

/**
 * Captures the current call stack with room for deep call chains. The frames are recorded now;
 * reading `.stack` (the expensive part) is left to whoever needs the text.
 *
 * @returns A fresh Error holding the stack.
 *
 * @example
 * ```ts
 * import { blame, captureError } from "./origin.ts";
 * blame(captureError().stack); // the caller's file:line
 * ```
 */
export function captureError(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const error = new Error();
  Error.stackTraceLimit = limit;
  return error;
}
