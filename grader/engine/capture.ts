/**
 * A test's printed output as reports show it: capped at a few kilobytes with a visible note, and
 * the virtual clock's report lines taken out (their virtual time is kept apart).
 *
 * @module
 */

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
