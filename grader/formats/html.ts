/**
 * A self-contained HTML report (`grade --format html --out report.html`): the total, a table of
 * exercises, then each exercise's tests with their verdicts, failures with their whole messages,
 * and the Gantt chart of every failing test that carries a timeline.
 *
 * One file that reads the same offline: inline CSS, inline SVG, no script, no font, no image
 * file, no link out; a Content-Security-Policy (`default-src 'none'`) makes the browser refuse
 * any load or script even if an escape were ever missed. Every string from the report is escaped
 * and capped.
 *
 * @module
 */

import { escapeXml } from "./escape_xml.ts";
import { DEADLOCK_NOTE, whereToLook } from "./failure.ts";
import { ganttSvg } from "./gantt_svg.ts";
import { loadFrame } from "./located.ts";
import type { ExerciseResult, Report, TestResult } from "./result.ts";
import { timelineOf } from "./timeline_data.ts";

/** Characters of a message or an output shown before "... (N more characters)". */
export const MAX_TEXT = 8000;
/** Gantt charts drawn per report; later timeline failures show their message only. */
export const MAX_CHARTS = 30;

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328;
  margin: 0 auto; padding: 16px 24px 48px; max-width: 1100px; background: #fff; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 17px; margin: 28px 0 6px; padding-top: 8px; border-top: 1px solid #d1d9e0; }
.meta, .muted { color: #59636e; }
table { border-collapse: collapse; margin: 12px 0; }
th, td { border: 1px solid #d1d9e0; padding: 4px 10px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.tests { list-style: none; padding: 0; margin: 6px 0; }
li.test { padding: 3px 0; }
li.test.fail, li.test.error { padding: 6px 0 10px; }
.verdict { display: inline-block; min-width: 44px; padding: 0 6px; margin-right: 8px; border-radius: 4px;
  font-size: 12px; font-weight: 600; text-align: center; color: #fff; }
.pass .verdict { background: #1a7f37; } .fail .verdict { background: #cf222e; }
.error .verdict { background: #9a6700; }
.tag { font-size: 12px; color: #59636e; margin-left: 6px; }
.reason { font-size: 12px; background: #fff8c5; border: 1px solid #d4a72c; border-radius: 4px;
  padding: 0 4px; margin-left: 6px; }
pre { background: #f6f8fa; border: 1px solid #d1d9e0; border-radius: 6px; padding: 8px 10px;
  margin: 6px 0 0 52px; overflow-x: auto; white-space: pre; font: 12px/1.4 ui-monospace, monospace; }
details { margin: 6px 0 0 52px; } details pre { margin-left: 0; }
figure.timeline { margin: 8px 0 4px 52px; overflow-x: auto; }
.status-done { color: #1a7f37; } .status-in-progress { color: #9a6700; }
.status-not-started { color: #59636e; }
.note { margin: 4px 0; }
`;

function capped(text: string, max = MAX_TEXT): string {
  return text.length > max
    ? `${text.slice(0, max)}\n... (${text.length - max} more characters)`
    : text;
}

const pre = (text: string) => `<pre>${escapeXml(capped(text.replace(/\s+$/, "")))}</pre>`;
const anchor = (e: ExerciseResult) => `ex-${e.dir.replace(/[^\w-]/g, "_")}`;

function testItem(t: TestResult, chart: { left: number }): string {
  const verdict = t.status === "pass" ? "pass" : t.status === "fail" ? "fail" : "error";
  const out = [
    `<li class="test ${verdict}"><span class="verdict">${verdict}</span>${escapeXml(t.name)}`,
  ];
  if (t.hidden) out.push(`<span class="tag">hidden</span>`);
  if (t.reason) out.push(`<span class="reason">${escapeXml(t.reason)}</span>`);
  if (t.status !== "pass" && t.virtual_ms !== undefined) {
    out.push(`<span class="tag">virtual t=${t.virtual_ms} ms</span>`);
  }
  if (t.status !== "pass") {
    // The picture first: the schedule is the point of the test; the message's table follows.
    const pair = timelineOf(t);
    if (pair && chart.left > 0) {
      chart.left--;
      out.push(`<figure class="timeline">${ganttSvg(pair)}</figure>`);
    }
    out.push(pre(t.message || "(no message)"));
    if (t.output) {
      out.push(`<details><summary>output</summary>${pre(t.output)}</details>`);
    }
  }
  out.push("</li>");
  return out.join("");
}

function exerciseSection(e: ExerciseResult, chart: { left: number }): string {
  const passed = e.tests.filter((t) => t.status === "pass").length;
  const out = [
    `<section class="exercise" id="${anchor(e)}">`,
    `<h2>${escapeXml(`${e.dir}: ${e.title}`)} <span class="meta">${e.score} / ${e.max_score} · ` +
    `<span class="status-${escapeXml(e.status)}">${escapeXml(e.status)}</span> · ` +
    `${passed} / ${e.tests.length} tests passed</span></h2>`,
  ];
  if (e.reason) out.push(`<p class="note">${escapeXml(e.reason)}</p>`);
  const frame = loadFrame(e);
  if (frame) {
    out.push(`<p class="note">did not load: ${escapeXml(frame.place)}</p>`);
    if (frame.source) out.push(pre(frame.source));
  }
  const look = whereToLook(e.tests.filter((t) => t.status !== "pass"));
  if (look) out.push(`<p class="note">where to look: ${escapeXml(look)}</p>`);
  if (e.type_errors.length > 0) {
    out.push(
      `<p class="note">type errors:</p>`,
      pre(e.type_errors.map((x) => `${x.file}:${x.line}:${x.column}: ${x.message}`).join("\n")),
    );
  }
  for (const w of e.warnings) out.push(`<p class="note muted">${escapeXml(w)}</p>`);
  out.push(`<ul class="tests">`, ...e.tests.map((t) => testItem(t, chart)), `</ul></section>`);
  return out.join("\n");
}

function mutantTable(report: Report): string {
  const ms = report.mutants ?? [];
  const caught = ms.filter((m) => m.caught).length;
  return [
    `<p>Mutation score: ${caught} / ${ms.length}</p>`,
    `<table><tr><th>Exercise</th><th>Mutant</th><th>Caught</th><th>Caught by</th></tr>`,
    ...ms.map((m) =>
      `<tr class="${m.caught ? "pass" : "fail"}"><td>${escapeXml(m.exercise)}</td><td>${
        escapeXml(m.mutant)
      }<div class="muted">${escapeXml(m.description)}</div></td><td>${
        m.caught ? "yes" : "<strong>no</strong>"
      }</td><td>${escapeXml(m.caught_by.slice(0, 3).join("; "))}</td></tr>`
    ),
    `</table>`,
  ].join("\n");
}

/**
 * Formats a report as one self-contained HTML page.
 *
 * @param report The report.
 * @returns An HTML document (UTF-8).
 */
export function formatHtml(report: Report): string {
  const title = `Workbook grade: ${report.score} / ${report.max_score}`;
  const out = [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeXml(title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${escapeXml(title)}</h1>`,
    `<p class="meta">Runtime: ${escapeXml(report.runtime)} · mode: ${escapeXml(report.mode)} · ${
      report.time.toFixed(1)
    } s</p>`,
  ];
  for (const w of report.warnings) out.push(`<p class="note muted">${escapeXml(w)}</p>`);
  if (report.mutants) {
    out.push(mutantTable(report), "</body></html>");
    return out.join("\n") + "\n";
  }
  out.push(
    `<table><tr><th>Exercise</th><th>Score</th><th>Status</th><th>Tests passed</th></tr>`,
    ...report.exercises.map((e) =>
      `<tr><td><a href="#${anchor(e)}">${escapeXml(`${e.dir}: ${e.title}`)}</a></td>` +
      `<td class="num">${e.score} / ${e.max_score}</td><td class="status-${escapeXml(e.status)}">${
        escapeXml(e.status)
      }</td><td class="num">${
        e.tests.filter((t) => t.status === "pass").length
      } / ${e.tests.length}</td></tr>`
    ),
    `</table>`,
  );
  if (report.exercises.some((e) => e.tests.some((t) => t.reason === "deadlock"))) {
    out.push(`<p class="note muted">${escapeXml(DEADLOCK_NOTE)}</p>`);
  }
  const chart = { left: MAX_CHARTS };
  for (const e of report.exercises) out.push(exerciseSection(e, chart));
  out.push("</body></html>");
  return out.join("\n") + "\n";
}
