/**
 * A schedule as a picture: an SVG Gantt chart of a timeline, one row per task, a bar per span on
 * a shared time axis in virtual ms. For a failing schedule test each row has two lanes, the
 * expected spans above the actual ones, and rows that differ are tinted and marked "≠". A span
 * that never ended is drawn to the chart's end, dashed, with an arrow.
 *
 * A pure function of its input: no ids, no scripts, no external references, styles as
 * attributes (so several charts can sit in one page), every label escaped; sized by the data
 * (rows and label width) and capped in rows, saying how many were left out.
 *
 * @module
 */

import { escapeXml } from "./escape_xml.ts";
import {
  type Span,
  ticks,
  type TimelinePair,
  type TimelineRow,
  timelineRows,
  timeRange,
} from "./timeline_data.ts";

/** Options of a chart. */
export interface GanttOptions {
  /** A caption above the chart (the test's name). */
  title?: string;
  /** Rows drawn; the rest are counted in a note (default 40). */
  maxRows?: number;
  /** Width of the time axis in px (default 560). */
  plotWidth?: number;
}

/** Rows drawn by default. */
export const MAX_GANTT_ROWS = 40;

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12"';
const COLORS = {
  expected: "#9aa5b1",
  actual: "#2f6fdf",
  wrong: "#d9480f",
  differs: "#fff0e6",
  grid: "#e3e6ea",
  text: "#1f2328",
  muted: "#59636e",
};
const CHAR_W = 7;
const LANE = 11;
const PAD = 8;

const num = (n: number) => String(Math.round(n * 10) / 10);
const spanText = (s: Span) => `${num(s.start)}..${s.end === undefined ? "(running)" : num(s.end)}`;

interface Layout {
  x: (ms: number) => number;
  to: number;
  lanes: number;
}

function bar(s: Span, lane: "expected" | "actual", wrong: boolean, y: number, l: Layout): string {
  const x0 = l.x(s.start);
  const running = s.end === undefined;
  const w = Math.max(2, l.x(running ? l.to : s.end!) - x0);
  const fill = lane === "expected" ? COLORS.expected : wrong ? COLORS.wrong : COLORS.actual;
  const tip = escapeXml(
    `${s.label}: ${lane === "expected" ? "expected" : "yours"} ${spanText(s)} ms`,
  );
  const shape = running
    ? `fill="${fill}" fill-opacity="0.35" stroke="${fill}" stroke-width="1.5" stroke-dasharray="4 3"`
    : `fill="${fill}"`;
  const arrow = running
    ? `<path d="M${num(x0 + w)} ${num(y)} l6 ${LANE / 2} l-6 ${LANE / 2} z" fill="${fill}"/>`
    : "";
  return `<g class="span ${lane}${running ? " running" : ""}"><title>${tip}</title>` +
    `<rect x="${num(x0)}" y="${num(y)}" width="${num(w)}" height="${LANE}" rx="2" ${shape}/>` +
    `${arrow}</g>`;
}

function rowSvg(r: TimelineRow, y: number, width: number, labelW: number, l: Layout): string {
  const h = l.lanes * LANE + PAD;
  const out = [`<g class="row${r.differs && l.lanes > 1 ? " differs" : ""}">`];
  if (r.differs && l.lanes > 1) {
    out.push(
      `<rect x="0" y="${y}" width="${width}" height="${h}" fill="${COLORS.differs}" fill-opacity="0.8"/>`,
      `<text x="${labelW - 4}" y="${
        y + h / 2 + 4
      }" text-anchor="end" fill="${COLORS.wrong}" font-weight="bold">≠</text>`,
    );
  }
  out.push(
    `<text class="label" x="4" y="${y + h / 2 + 4}" fill="${COLORS.text}">${
      escapeXml(r.label)
    }</text>`,
  );
  let laneY = y + PAD / 2;
  if (l.lanes > 1) {
    for (const s of r.expected) out.push(bar(s, "expected", false, laneY, l));
    laneY += LANE;
  }
  for (const s of r.actual) out.push(bar(s, "actual", r.differs && l.lanes > 1, laneY, l));
  out.push("</g>");
  return out.join("");
}

/**
 * Draws timelines as an SVG Gantt chart. With expected spans, each row shows the expected
 * schedule above the actual one and marks the rows that differ; with none, one lane per row.
 *
 * @param pair The expected (may be empty) and the actual timelines.
 * @param opts Title, row cap, plot width.
 * @returns An SVG document (`<svg class="gantt">` with one `<g class="row">` per task drawn).
 *
 * @example
 * ```ts
 * import { ganttSvg } from "./gantt_svg.ts";
 * ganttSvg({ expected: [{ label: "a", start: 0, end: 100 }], actual: [{ label: "a", start: 0 }] });
 * ```
 */
export function ganttSvg(pair: TimelinePair, opts: GanttOptions = {}): string {
  const all = timelineRows(pair);
  const rows = all.slice(0, Math.max(1, opts.maxRows ?? MAX_GANTT_ROWS));
  const hidden = all.length - rows.length;
  const lanes = pair.expected.length > 0 ? 2 : 1;
  const plotW = opts.plotWidth ?? 560;
  const labelW = Math.min(
    60 * CHAR_W,
    Math.max(8 * CHAR_W, ...rows.map((r) => r.label.length * CHAR_W)),
  ) + 24;
  const width = labelW + plotW + 48;
  const [from, to] = timeRange(rows);
  const layout: Layout = { x: (ms) => labelW + ((ms - from) / (to - from)) * plotW, to, lanes };
  const rowH = lanes * LANE + PAD;
  const top = (opts.title ? 22 : 0) + 22;
  const bodyH = rows.length * rowH;
  const height = top + bodyH + 30 + (hidden > 0 ? 18 : 0);
  const label = opts.title ? escapeXml(opts.title) : "timeline";
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="gantt" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}" ${FONT}>`,
    `<title>${label}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (opts.title) {
    out.push(`<text x="4" y="15" font-weight="bold" fill="${COLORS.text}">${label}</text>`);
  }
  // Legend: what each colour and shape means.
  const ly = top - 8;
  const legend: [string, string][] = lanes > 1
    ? [[COLORS.expected, "expected"], [COLORS.actual, "yours"], [COLORS.wrong, "yours, differs"]]
    : [[COLORS.actual, "ran"]];
  let lx = labelW;
  for (const [color, text] of legend) {
    out.push(
      `<rect x="${lx}" y="${ly - 9}" width="12" height="10" fill="${color}"/>`,
      `<text x="${lx + 16}" y="${ly}" fill="${COLORS.muted}">${text}</text>`,
    );
    lx += 24 + text.length * CHAR_W;
  }
  out.push(
    `<rect x="${lx}" y="${
      ly - 9
    }" width="12" height="10" fill="${COLORS.muted}" fill-opacity="0.35" stroke="${COLORS.muted}" stroke-dasharray="4 3"/>`,
    `<text x="${lx + 16}" y="${ly}" fill="${COLORS.muted}">still running</text>`,
  );
  // Grid and axis.
  const axisY = top + bodyH;
  for (const t of ticks(from, to)) {
    const x = num(layout.x(t));
    out.push(
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${axisY + 4}" stroke="${COLORS.grid}"/>`,
      `<text x="${x}" y="${axisY + 16}" text-anchor="middle" fill="${COLORS.muted}">${
        num(t)
      }</text>`,
    );
  }
  out.push(
    `<line x1="${labelW}" y1="${axisY}" x2="${
      labelW + plotW
    }" y2="${axisY}" stroke="${COLORS.muted}"/>`,
    `<text x="${labelW + plotW + 22}" y="${axisY + 16}" fill="${COLORS.muted}">ms</text>`,
  );
  rows.forEach((r, i) => out.push(rowSvg(r, top + i * rowH, width, labelW, layout)));
  if (hidden > 0) {
    out.push(
      `<text x="4" y="${axisY + 34}" fill="${COLORS.muted}">… ${hidden} more task${
        hidden === 1 ? "" : "s"
      } not shown</text>`,
    );
  }
  out.push("</svg>");
  return out.join("\n");
}
