/**
 * Best-effort attribution of a runner's printed output to tests, for display only (verdicts
 * never come from here). Deno frames each test's output between "------- output -------" and
 * "----- output end -----"; Bun prints a test's output before its "(pass)"/"(fail)" line.
 *
 * @module
 */

import type { Runtime } from "./types.ts";

/** Output per file (as given to the runner, without "./") and full test name. */
export type OutputMap = Map<string, Map<string, string>>;

/** Default cap of one test's output, in bytes. */
export const OUTPUT_CAP = 4096;

/**
 * Caps text to a number of bytes, appending a visible note when something was cut.
 *
 * @param text Text.
 * @param cap Maximum bytes kept.
 * @returns The text, or its head and "[output truncated: N bytes cut]".
 */
export function capOutput(text: string, cap = OUTPUT_CAP): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= cap) return text;
  const head = new TextDecoder().decode(bytes.slice(0, cap)).replace(/\uFFFD+$/, "");
  return `${head}\n[output truncated: ${
    bytes.length - new TextEncoder().encode(head).length
  } bytes cut]`;
}

function add(map: OutputMap, file: string, name: string, text: string): void {
  if (!text) return;
  let m = map.get(file);
  if (!m) map.set(file, m = new Map());
  m.set(name, (m.get(name) ?? "") + text);
}

function captureDeno(out: string): OutputMap {
  const map: OutputMap = new Map();
  let file = "";
  const stack: string[] = [];
  let capturing = false;
  let buf: string[] = [];
  for (const line of out.split("\n")) {
    if (capturing) {
      if (/^-{5} (post-test )?output end -{5}$/.test(line)) {
        capturing = false;
        add(map, file, stack.join(" > "), buf.join("\n") + "\n");
        buf = [];
      } else buf.push(line);
      continue;
    }
    const run = /^running \d+ tests? from (.+)$/.exec(line);
    if (run) {
      file = run[1]!.replace(/^\.\//, "");
      stack.length = 0;
      continue;
    }
    if (/^-{7} (post-test )?output -{7}$/.test(line)) {
      capturing = true;
      continue;
    }
    const start = /^( *)(.+) \.\.\.$/.exec(line);
    if (start) {
      stack.length = Math.floor(start[1]!.length / 2);
      stack.push(start[2]!);
    }
  }
  return map;
}

function captureBun(out: string): OutputMap {
  const map: OutputMap = new Map();
  let file = "";
  let buf: string[] = [];
  for (const line of out.split("\n")) {
    const header = /^(\S.*\.(?:test|hidden|cpython)\.ts):$/.exec(line);
    if (header) {
      file = header[1]!.replace(/^\.\//, "");
      buf = [];
      continue;
    }
    const result = /^\((pass|fail|skip|todo)\) (.+?)(?: \[[\d.]+m?s\])?$/.exec(line);
    if (result) {
      // Keep what the test printed; drop Bun's source excerpt and stack of a failure.
      const cut = buf.findIndex((l) => /^\s*\d+ \| /.test(l) || /^error: /.test(l));
      const kept = cut >= 0 ? buf.slice(0, cut) : buf;
      if (kept.length > 0) add(map, file, result[2]!, kept.join("\n") + "\n");
      buf = [];
      continue;
    }
    buf.push(line);
  }
  return map;
}

/**
 * Splits a runner's combined output into per-test output.
 *
 * @param out Combined stdout and stderr of the runner (uncoloured).
 * @param runtime The runner.
 * @returns Output by file and test name.
 */
export function captureOutput(out: string, runtime: Runtime): OutputMap {
  return runtime === "deno" ? captureDeno(out) : captureBun(out);
}

/** A line the virtual clock prints after each run when WORKBOOK_CLOCK_REPORT=1. */
const CLOCK_LINE = /^##workbook-clock (\{.*\})\s*$/;

/**
 * Splits a test's captured output into what the test printed and the virtual time its clock
 * runs reached (the sum over the test's `withClock` runs). For display only: a student can print
 * such a line too, and nothing scores on it.
 *
 * @param output The test's captured output.
 * @returns The output without clock lines, and the virtual ms (undefined when no clock ran).
 *
 * @example
 * ```ts
 * import { splitClockReport } from "./capture.ts";
 * splitClockReport('hi\n##workbook-clock {"virtualMs":2000,"timers":3}\n');
 * // { output: "hi\n", virtualMs: 2000 }
 * ```
 */
export function splitClockReport(output: string): { output: string; virtualMs?: number } {
  let virtualMs: number | undefined;
  const kept: string[] = [];
  for (const line of output.split("\n")) {
    const m = CLOCK_LINE.exec(line);
    if (!m) {
      kept.push(line);
      continue;
    }
    try {
      const ms = (JSON.parse(m[1]!) as { virtualMs?: unknown }).virtualMs;
      if (typeof ms === "number" && Number.isFinite(ms)) virtualMs = (virtualMs ?? 0) + ms;
    } catch {
      // A clock line that was cut or forged by printed output is shown as output, not counted.
      kept.push(line);
    }
  }
  return { output: kept.join("\n"), ...(virtualMs !== undefined ? { virtualMs } : {}) };
}
