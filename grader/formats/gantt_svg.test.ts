import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { XMLValidator } from "fast-xml-parser";
import { ganttSvg } from "./gantt_svg.ts";
import type { TimelinePair } from "./timeline_data.ts";

const semaphore: TimelinePair = {
  expected: [
    { label: "task 0", start: 0, end: 1000 },
    { label: "task 1", start: 0, end: 1000 },
    { label: "task 2", start: 1000, end: 2000 },
  ],
  actual: [
    { label: "task 0", start: 0, end: 1000 },
    { label: "task 1", start: 0, end: 1000 },
    { label: "task 2", start: 0 },
  ],
};

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe("ganttSvg", () => {
  it("ganttSvg() draws one row per task, expected above actual, and marks the rows that differ", () => {
    const svg = ganttSvg(semaphore, { title: "Semaphore(2)" });
    assert.equal(XMLValidator.validate(svg), true, "well-formed XML");
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="gantt" /);
    assert.equal(count(svg, /<g class="row[ "]/g), 3, "one row per label");
    assert.equal(count(svg, /<g class="row differs">/g), 1, "task 2 differs");
    assert.equal(count(svg, /class="span expected"/g), 3);
    assert.equal(count(svg, /class="span actual/g), 3);
    assert.match(svg, /<title>task 2: expected 1000\.\.2000 ms<\/title>/);
    assert.match(svg, /<title>task 2: yours 0\.\.\(running\) ms<\/title>/);
    assert.match(svg, /<text [^>]*font-weight="bold"[^>]*>Semaphore\(2\)<\/text>/);
  });

  it("ganttSvg() draws a span that never ended to the chart's end, dashed, with an arrow", () => {
    const svg = ganttSvg(semaphore, { plotWidth: 500 });
    const running = /<g class="span actual running">.*?<\/g>/.exec(svg)?.[0] ?? "";
    assert.match(running, /stroke-dasharray="4 3"/);
    assert.match(running, /<path d=/, "an arrow at the end");
    const x = Number(/<rect x="([\d.]+)"/.exec(running)![1]);
    const w = Number(/width="([\d.]+)"/.exec(running)![1]);
    const end = Number(/<text x="([\d.]+)"[^>]*text-anchor="middle"[^>]*>2000</.exec(svg)![1]);
    assert.equal(x + w, end, "the running bar ends where the chart ends (2000 ms)");
  });

  it("ganttSvg() escapes labels and titles: no markup of a submission survives", () => {
    const evil = `</text><script>alert(1)</script><a href="javascript:x">&`;
    const svg = ganttSvg(
      { expected: [], actual: [{ label: evil, start: 0, end: 5 }] },
      { title: `"><img src=x onerror=alert(1)>` },
    );
    assert.equal(XMLValidator.validate(svg), true);
    assert.doesNotMatch(svg, /<script|<img|<a /);
    assert.match(svg, /&lt;\/text&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(svg, /aria-label="&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;"/);
  });

  it("ganttSvg() with only actual spans draws one lane and no expected legend", () => {
    const svg = ganttSvg({ expected: [], actual: semaphore.actual });
    assert.equal(count(svg, /class="span expected"/g), 0);
    assert.doesNotMatch(svg, />expected</);
    assert.equal(count(svg, /<g class="row differs">/g), 0, "nothing to differ from");
  });

  it("ganttSvg() is sized by the data and caps its rows, saying how many it left out", () => {
    const rows = (n: number, label = "t") => ({
      expected: [],
      actual: Array.from(
        { length: n },
        (_, i) => ({ label: `${label}${i}`, start: i, end: i + 1 }),
      ),
    });
    const size = (svg: string) => /width="(\d+)" height="(\d+)"/.exec(svg)!.slice(1).map(Number);
    const [w3, h3] = size(ganttSvg(rows(3)));
    const [, h6] = size(ganttSvg(rows(6)));
    const [wLong] = size(ganttSvg(rows(3, "a much longer task label ")));
    assert.ok(h6! > h3!, "more rows, taller");
    assert.ok(wLong! > w3!, "longer labels, wider");
    const capped = ganttSvg(rows(50), { maxRows: 10 });
    assert.equal(count(capped, /<g class="row[ "]/g), 10);
    assert.match(capped, /… 40 more tasks not shown/);
    assert.doesNotMatch(ganttSvg(rows(10), { maxRows: 10 }), /not shown/);
  });

  it("ganttSvg() is deterministic and has no ids, scripts or external references", () => {
    const a = ganttSvg(semaphore, { title: "x" });
    assert.equal(a, ganttSvg(semaphore, { title: "x" }));
    assert.doesNotMatch(a, / id=|<script|href=|url\(/);
  });

  it("ganttSvg() puts round ticks in ms on the axis", () => {
    const svg = ganttSvg(semaphore);
    const labels = [...svg.matchAll(/text-anchor="middle"[^>]*>([\d.]+)<\/text>/g)].map((m) =>
      m[1]
    );
    assert.deepEqual(labels, ["0", "500", "1000", "1500", "2000"]);
    assert.match(svg, />ms<\/text>/);
  });
});
