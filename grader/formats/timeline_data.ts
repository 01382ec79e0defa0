/**
 * The timelines a failing schedule test carries, read defensively (a submission shapes what a
 * test reports), and laid out as rows for the pictures: one row per task label, each with the
 * expected spans and the actual ones, marked when they differ. The SVG Gantt chart, the Mermaid
 * block and the terminal bars all draw from these rows.
 *
 * @module
 */

import type { TestResult } from "./result.ts";
import { cleanText } from "./sanitize.ts";

/** One span of a timeline: a label and its start and end in virtual ms (no end: still running). */
export interface Span {
  /** Task label. */
  label: string;
  /** Start, virtual ms. */
  start: number;
  /** End, virtual ms; absent while the task still ran when the test ended. */
  end?: number;
}

/** A failed schedule: what the test expected and what happened (`expected` may be empty). */
export interface TimelinePair {
  /** The intended schedule. */
  expected: Span[];
  /** What the code under test did. */
  actual: Span[];
}

/** One task of a picture: its spans on each side, and whether the two sides differ. */
export interface TimelineRow {
  /** Task label (cleaned, capped). */
  label: string;
  /** Expected spans, by start. */
  expected: Span[];
  /** Actual spans, by start. */
  actual: Span[];
  /** True when the expected and the actual spans are not the same. */
  differs: boolean;
}

/** Spans read from one side of a timeline; more are ignored. */
export const MAX_SPANS = 2000;
/** Longest label kept, in characters. */
export const MAX_LABEL = 80;

function label(v: unknown): string {
  const s = cleanText(String(v)).replace(/[\t\n]/g, " ");
  return s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s;
}

function spans(v: unknown): Span[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Span[] = [];
  for (const x of v.slice(0, MAX_SPANS)) {
    if (typeof x !== "object" || x === null) return undefined;
    const { label: l, start, end } = x as Record<string, unknown>;
    if (typeof l !== "string" || typeof start !== "number" || !Number.isFinite(start)) {
      return undefined;
    }
    if (end !== undefined && (typeof end !== "number" || !Number.isFinite(end))) return undefined;
    out.push(end === undefined ? { label: label(l), start } : { label: label(l), start, end });
  }
  return out;
}

/** "0..1000", "5..(running)" or "-" (formatTimelines' cells in lib/kit/timeline.ts). */
function parseCell(cell: string, l: string): Span | undefined | null {
  const m = /^(-?[\d.e+]+)\.\.(?:(-?[\d.e+]+)|\(running\))$/.exec(cell.trim());
  if (!m) return cell.trim() === "-" ? undefined : null;
  const start = Number(m[1]);
  const end = m[2] === undefined ? undefined : Number(m[2]);
  if (!Number.isFinite(start) || (end !== undefined && !Number.isFinite(end))) return null;
  return end === undefined ? { label: l, start } : { label: l, start, end };
}

/**
 * Reads the side-by-side table that `assertTimeline` puts in its message (`what  expected (ms)
 * yours (ms)`), for a report whose test carries no structured timeline. The header's column
 * positions cut each row, so labels may hold spaces.
 *
 * @param message A failure message.
 * @returns The two timelines, or undefined when the message holds no such table.
 */
export function parseTimelineTable(message: string): TimelinePair | undefined {
  const lines = message.split("\n");
  const h = lines.findIndex((l) => /^what +expected \(ms\) +yours \(ms\)/.test(l));
  if (h < 0) return undefined;
  const colE = lines[h]!.indexOf("expected (ms)");
  const colA = lines[h]!.indexOf("yours (ms)");
  const pair: TimelinePair = { expected: [], actual: [] };
  for (const line of lines.slice(h + 1, h + 1 + MAX_SPANS)) {
    if (line.length <= colA) break;
    const l = line.slice(0, colE).trimEnd();
    const e = parseCell(line.slice(colE, colA), l);
    const a = parseCell(line.slice(colA).replace(/ +<-- differs$/, ""), l);
    if (e === null || a === null || !l) break;
    if (e) pair.expected.push({ ...e, label: label(l) });
    if (a) pair.actual.push({ ...a, label: label(l) });
  }
  return pair.expected.length + pair.actual.length > 0 ? pair : undefined;
}

/**
 * The timelines of a failing test: its `timeline` field when it has the documented shape
 * (`{ expected: TimelineEntry[], actual: TimelineEntry[] }`), else the table in its message.
 *
 * @param t A test result.
 * @returns The pair, or undefined for a passing test or one without a timeline.
 */
export function timelineOf(t: TestResult): TimelinePair | undefined {
  if (t.status === "pass") return undefined;
  if (typeof t.timeline === "object" && t.timeline !== null) {
    const { expected, actual } = t.timeline as Record<string, unknown>;
    const e = spans(expected ?? []);
    const a = spans(actual);
    if (e && a && e.length + a.length > 0) return { expected: e, actual: a };
  }
  return parseTimelineTable(t.message);
}

const key = (s: Span) => `${s.start}..${s.end ?? "running"}`;
const byStart = (x: Span, y: Span) =>
  x.start - y.start || (x.end ?? Infinity) - (y.end ?? Infinity);

/**
 * One row per label, in order of first appearance (expected first, then actual), with each
 * side's spans and whether they differ.
 *
 * @param pair The timelines.
 * @returns The rows.
 *
 * @example
 * ```ts
 * import { timelineRows } from "./timeline_data.ts";
 * timelineRows({ expected: [{ label: "a", start: 0, end: 1 }], actual: [] })[0].differs; // true
 * ```
 */
export function timelineRows(pair: TimelinePair): TimelineRow[] {
  const rows = new Map<string, TimelineRow>();
  const row = (l: string) =>
    rows.get(l) ??
      rows.set(l, { label: l, expected: [], actual: [], differs: false }).get(l)!;
  for (const s of pair.expected) row(s.label).expected.push(s);
  for (const s of pair.actual) row(s.label).actual.push(s);
  for (const r of rows.values()) {
    r.expected.sort(byStart);
    r.actual.sort(byStart);
    r.differs = r.expected.map(key).join() !== r.actual.map(key).join();
  }
  return [...rows.values()];
}

/**
 * The time the pictures span: from 0 (or the earliest start, if negative) to the latest start
 * or end; a span still running is drawn to this end.
 *
 * @param rows The rows.
 * @returns `[from, to]` in virtual ms, `to > from`.
 */
export function timeRange(rows: TimelineRow[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const r of rows) {
    for (const s of [...r.expected, ...r.actual]) {
      lo = Math.min(lo, s.start);
      hi = Math.max(hi, s.start, s.end ?? s.start);
    }
  }
  return [lo, hi > lo ? hi : lo + 1];
}

/**
 * Round tick values for an axis: multiples of 1, 2 or 5 times a power of ten, about `count` of
 * them, covering `[from, to]`.
 *
 * @param from Axis start.
 * @param to Axis end.
 * @param count About how many ticks.
 * @returns Tick values from `from` up to `to`.
 *
 * @example
 * ```ts
 * import { ticks } from "./timeline_data.ts";
 * ticks(0, 4000, 5); // [0, 1000, 2000, 3000, 4000]
 * ```
 */
export function ticks(from: number, to: number, count = 6): number[] {
  const raw = (to - from) / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(from / step) * step; v <= to + step * 1e-9; v += step) {
    out.push(Number(v.toPrecision(12)));
  }
  return out;
}
