/**
 * A failing schedule as a Mermaid gantt block, for the Markdown report and GitHub's job summary.
 *
 * Why Mermaid and not inline SVG: GitHub's Markdown sanitizer removes an inline `<svg>` element
 * (github/markup#1065, #556: "SVG in the <img> tag is a completely different context"; only an
 * SVG *file* shown through `<img>` survives), and a job summary is a single Markdown file with no
 * place to upload one. A fenced ```` ```mermaid ```` block is drawn wherever GitHub renders
 * Markdown (github/roadmap#372), job summaries included (projects print Mermaid graphs into
 * `$GITHUB_STEP_SUMMARY`, e.g. haidaraM/ansible-playbook-grapher#221). Elsewhere it stays a
 * readable code block.
 *
 * Times: `dateFormat x` reads each start and end as Unix ms (mermaid-js/mermaid#3028 draws
 * millisecond timelines with it), so virtual ms map to instants after 1970-01-01T00:00Z, and
 * `axisFormat %Q` (d3's "milliseconds since the epoch") labels the axis in those same ms in
 * every time zone. Ends are absolute instants, not durations (older Mermaid reads no "ms"
 * duration). `todayMarker off`, else a line for today would stretch the axis to this year.
 *
 * Labels: Mermaid's gantt lexer ends a task name at `:`, `#` or `;`, starts a comment at `%` or
 * `#`, and reads a line that begins with a keyword (`section`, `title`, `click`, a date, ...) as
 * that statement. Those characters become look-alikes (`∶`, `♯`, `,`, `％`), backticks (which could
 * close the fence) and `<>&"` are replaced too, and a label that begins like a keyword gets a
 * zero-width space in front (no `\s`, so the lexer keeps it as text).
 *
 * @module
 */

import { cleanText } from "./sanitize.ts";
import { type Span, type TimelinePair, timelineRows, timeRange } from "./timeline_data.ts";

/** Rows drawn per block by default. */
export const MAX_MERMAID_ROWS = 30;

// Look-alikes found in common Latin fonts (a full-width colon shows as a box without CJK fonts).
const LOOKALIKE: Record<string, string> = {
  ":": "\u2236",
  "#": "\u266f",
  ";": ",",
  "%": "\uff05",
  "`": "\u02cb",
  "<": "\u2039",
  ">": "\u203a",
  "&": "+",
  '"': "\u201d",
};
const KEYWORD =
  /^(gantt|dateformat|axisformat|tickinterval|todaymarker|inclusiveenddates|topaxis|includes|excludes|weekday|weekend|title|section|click|call|href|acctitle|accdescr|\d{4}-\d\d-\d\d)/i;

/**
 * A label Mermaid's gantt parser reads as plain text: one line, no syntax, capped.
 *
 * @param text A label or title from a report.
 * @param max Longest result (default 60 characters).
 * @returns Safe text ("(blank)" for an empty label).
 *
 * @example
 * ```ts
 * import { mermaidText } from "./mermaid_gantt.ts";
 * mermaidText("a: b #c"); // "a∶ b ♯c"
 * ```
 */
export function mermaidText(text: string, max = 60): string {
  let s = cleanText(text).replace(/\s+/g, " ").trim();
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  s = s.replace(/[:#;%`<>&"]/g, (c) => LOOKALIKE[c]!);
  if (!s) return "(blank)";
  return KEYWORD.test(s) ? `\u200b${s}` : s;
}

/** Options of a block. */
export interface MermaidOptions {
  /** The chart's title (the test's name). */
  title?: string;
  /** Rows drawn; the rest are counted in the title (default 30). */
  maxRows?: number;
}

/**
 * A fenced Mermaid gantt block of a failing schedule: a section "expected" (drawn as done, grey)
 * and a section "yours" whose rows that differ are `crit` (red) and whose spans still running
 * are `active` and end at the chart's end.
 *
 * @param pair The expected (may be empty) and the actual timelines.
 * @param opts Title and row cap.
 * @returns Markdown lines: the fence, the diagram, the closing fence.
 *
 * @example
 * ```ts
 * import { mermaidGantt } from "./mermaid_gantt.ts";
 * mermaidGantt({ expected: [], actual: [{ label: "a", start: 0, end: 100 }] }).join("\n");
 * ```
 */
export function mermaidGantt(pair: TimelinePair, opts: MermaidOptions = {}): string[] {
  const all = timelineRows(pair);
  const rows = all.slice(0, Math.max(1, opts.maxRows ?? MAX_MERMAID_ROWS));
  const hidden = all.length - rows.length;
  const [, to] = timeRange(rows);
  const title = [opts.title ?? "", hidden > 0 ? `(${hidden} more tasks not shown)` : ""]
    .filter(Boolean).join(" ");
  const out = ["```mermaid", "gantt"];
  if (title) out.push(`  title ${mermaidText(title, 100)}`);
  out.push("  dateFormat x", "  axisFormat %Q", "  todayMarker off");
  let n = 0;
  const task = (s: Span, tags: string[]) => {
    const running = s.end === undefined;
    const all = running ? [...tags, "active"] : tags;
    const start = Math.round(s.start);
    const end = Math.max(Math.round(running ? to : s.end!), start);
    n++;
    out.push(`  ${mermaidText(s.label)} :${[...all, `s${n}`, start, end].join(", ")}`);
  };
  if (pair.expected.length > 0) {
    out.push("  section expected");
    for (const r of rows) for (const s of r.expected) task(s, ["done"]);
    out.push("  section yours");
  } else out.push("  section ran");
  for (const r of rows) {
    for (const s of r.actual) task(s, r.differs && pair.expected.length > 0 ? ["crit"] : []);
  }
  out.push("```");
  return out;
}
