/**
 * A schedule in the terminal (`grade --timeline N`): text bars on a ms axis, one row per task,
 * the expected lane above the actual one, rows that differ marked "≠" (and red with colour).
 * Spans that never ended run to the axis' end in a lighter shade. Built from the same rows as the
 * SVG chart (timeline_data.ts).
 *
 * @module
 */

import { type Span, ticks, type TimelinePair, timelineRows, timeRange } from "./timeline_data.ts";

/** Options of the text chart. */
export interface TimelineTextOptions {
  /** Characters of the time axis (default 50). */
  width?: number;
  /** ANSI colours (default false). */
  color?: boolean;
  /** Rows drawn; the rest are counted in a last line (default 40). */
  maxRows?: number;
}

const FULL = "█";
const RUNNING = "░";
const paint = (on: boolean, code: number, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
const num = (n: number) => String(Math.round(n * 10) / 10);
const spanText = (s: Span) => `${num(s.start)}..${s.end === undefined ? "(running)" : num(s.end)}`;

function lane(spans: Span[], width: number, x: (ms: number) => number): string {
  const cells = Array.from({ length: width }, () => " ");
  for (const s of spans) {
    const a = Math.min(width - 1, Math.max(0, Math.floor(x(s.start))));
    const b = s.end === undefined ? width : Math.max(a + 1, Math.min(width, Math.ceil(x(s.end))));
    for (let i = a; i < b; i++) cells[i] = s.end === undefined ? RUNNING : FULL;
  }
  return cells.join("");
}

/**
 * Draws timelines as text bars: an axis in virtual ms, then per task an "expected" and a "yours"
 * line (only "ran" when there is nothing expected), each followed by its spans in numbers.
 *
 * @param pair The expected (may be empty) and the actual timelines.
 * @param opts Width, colour, row cap.
 * @returns Lines joined by "\n", without a trailing newline.
 *
 * @example
 * ```ts
 * import { timelineText } from "./timeline_text.ts";
 * timelineText({ expected: [], actual: [{ label: "a", start: 0, end: 100 }] }, { width: 20 });
 * ```
 */
export function timelineText(pair: TimelinePair, opts: TimelineTextOptions = {}): string {
  const width = Math.max(10, opts.width ?? 50);
  const color = opts.color ?? false;
  const all = timelineRows(pair);
  const rows = all.slice(0, Math.max(1, opts.maxRows ?? 40));
  const both = pair.expected.length > 0;
  const [from, to] = timeRange(rows);
  const x = (ms: number) => ((ms - from) / (to - from)) * width;
  const labelW = Math.min(30, Math.max(4, ...rows.map((r) => r.label.length)));
  const kindW = both ? 9 : 4;
  const indent = " ".repeat(labelW + 3 + kindW);
  // The axis: tick values over their positions, then a ruler with a mark at each tick.
  const axis = Array.from({ length: width + 12 }, () => " ");
  const ruler = Array.from({ length: width + 1 }, () => "─");
  for (const t of ticks(from, to, Math.max(2, Math.floor(width / 10)))) {
    const at = Math.round(x(t));
    const text = num(t);
    const start = Math.max(0, Math.min(at - Math.floor(text.length / 2), width + 1 - text.length));
    if (axis.slice(start, start + text.length + 1).every((c) => c === " ")) {
      text.split("").forEach((c, i) => (axis[start + i] = c));
    }
    ruler[Math.min(width, at)] = "┬";
  }
  const out = [
    `${indent}${axis.join("").trimEnd()} ms`,
    `${indent}${ruler.join("")}`,
  ];
  for (const r of rows) {
    const mark = both && r.differs ? paint(color, 31, "≠") : " ";
    const name = r.label.length > labelW ? `${r.label.slice(0, labelW - 1)}…` : r.label;
    const head = `${name.padEnd(labelW)} ${mark} `;
    const numbers = (spans: Span[]) => spans.map(spanText).join(", ") || "-";
    if (both) {
      out.push(
        `${head}${"expected".padEnd(kindW)}${paint(color, 90, lane(r.expected, width, x))}  ${
          numbers(r.expected)
        }`,
      );
    }
    const actual = paint(color, both && r.differs ? 31 : 34, lane(r.actual, width, x));
    const tail = both && r.differs ? paint(color, 31, "  <-- differs") : "";
    out.push(
      `${both ? " ".repeat(labelW + 3) : head}${(both ? "yours" : "ran").padEnd(kindW)}${actual}  ${
        numbers(r.actual)
      }${tail}`,
    );
  }
  if (all.length > rows.length) out.push(`... ${all.length - rows.length} more tasks not shown`);
  out.push(`${indent}${FULL} a span  ${RUNNING} still running when the test ended`);
  return out.map((l) => l.trimEnd()).join("\n");
}
