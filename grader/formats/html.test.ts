import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatTimelines } from "../../lib/kit/timeline.ts";
import { formatHtml, MAX_CHARTS, MAX_TEXT } from "./html.ts";
import type { ExerciseResult, Report } from "./result.ts";
import { sampleTest as test } from "./testdata/sample_report.ts";

const expected = [{ label: "task 0", start: 0, end: 100 }, {
  label: "task 1",
  start: 100,
  end: 200,
}];
const actual = [{ label: "task 0", start: 0, end: 100 }, { label: "task 1", start: 0 }];
const schedule = test("task 1: Sem > runs in order", {
  status: "fail",
  reason: "assertion",
  message: `AssertionError: the schedule differs from the expected schedule:\n${
    formatTimelines(expected, actual)
  }`,
  virtual_ms: 200,
});

const exercise = (over: Partial<ExerciseResult> = {}): ExerciseResult => ({
  id: "11",
  dir: "11_semaphore",
  slug: "semaphore",
  title: "Semaphore <&>",
  score: 5,
  max_score: 10,
  status: "in-progress",
  tests: [
    test("task 1: Sem > acquires"),
    schedule,
    test("task 2: <script>alert(1)</script>", {
      hidden: true,
      status: "error",
      reason: "cpu-loop",
      message: "CPU loop: killed </pre><img src=x onerror=alert(1)>",
      output: "printed \u001b[31mred\u001b[0m\n",
    }),
  ],
  type_errors: [{
    file: "exercises/11_semaphore/semaphore.ts",
    line: 3,
    column: 1,
    message: "TS1: <x>",
  }],
  warnings: [],
  time: 0.1,
  ...over,
});

const report = (exercises: ExerciseResult[]): Report => ({
  mode: "submission",
  runs: [],
  exercises,
  score: 5,
  max_score: 10,
  runtime: "deno",
  time: 1.25,
  warnings: [],
});

describe("formatHtml", () => {
  it("formatHtml() shows the total, a table of exercises, and each test with its verdict", () => {
    const html = formatHtml(report([exercise()]));
    assert.match(html, /^<!doctype html>\n<html lang="en"><head><meta charset="utf-8">/);
    assert.match(html, /<title>Workbook grade: 5 \/ 10<\/title>/);
    assert.match(html, /<h1>Workbook grade: 5 \/ 10<\/h1>/);
    assert.match(html, /<a href="#ex-11_semaphore">11_semaphore: Semaphore &lt;&amp;&gt;<\/a>/);
    assert.match(html, /<td class="num">1 \/ 3<\/td>/);
    assert.match(
      html,
      /<li class="test pass"><span class="verdict">pass<\/span>task 1: Sem &gt; acquires/,
    );
    assert.match(
      html,
      /<li class="test fail"><span class="verdict">fail<\/span>task 1: Sem &gt; runs/,
    );
    assert.match(html, /<li class="test error"><span class="verdict">error<\/span>/);
    assert.match(html, /<span class="tag">hidden<\/span><span class="reason">cpu-loop<\/span>/);
    assert.match(html, /exercises\/11_semaphore\/semaphore.ts:3:1: TS1: &lt;x&gt;/);
    assert.match(html, /<span class="tag">virtual t=200 ms<\/span>/);
  });

  it("formatHtml() puts the whole failure message in an escaped <pre>, and the output apart", () => {
    const html = formatHtml(report([exercise()]));
    assert.match(html, /<pre>AssertionError: the schedule differs[^<]*\nwhat +expected \(ms\)/);
    assert.match(
      html,
      /<pre>CPU loop: killed &lt;\/pre&gt;&lt;img src=x onerror=alert\(1\)&gt;<\/pre>/,
    );
    assert.match(html, /<details><summary>output<\/summary><pre>printed red<\/pre><\/details>/);
    assert.doesNotMatch(html, /<script|<img/);
    assert.ok(!html.includes("\u001b"), "no terminal escape");
  });

  it("formatHtml() draws the Gantt chart of a failing test that carries a timeline", () => {
    const html = formatHtml(report([exercise()]));
    const figures = html.match(/<figure class="timeline"><svg [^]*?<\/svg><\/figure>/g) ?? [];
    assert.equal(figures.length, 1, "only the schedule test has a timeline");
    assert.equal(figures[0]!.match(/<g class="row[ "]/g)?.length, 2, "one row per task");
    assert.match(figures[0]!, /<g class="row differs">/);
  });

  it("formatHtml() is self-contained: no script, no external reference, a CSP that forbids both", () => {
    const html = formatHtml(report([exercise()]));
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/,
    );
    assert.doesNotMatch(
      html,
      /<script|<link|<img|<iframe|<object| src="| href="[^#]|url\(|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/,
    );
  });

  it("formatHtml() caps long messages and the number of charts", () => {
    const long = test("long", { status: "fail", message: "x".repeat(MAX_TEXT + 50) });
    const html = formatHtml(report([exercise({ tests: [long] })]));
    assert.match(html, /\.\.\. \(50 more characters\)<\/pre>/);
    const many = Array.from({ length: MAX_CHARTS + 5 }, (_, i) => ({ ...schedule, name: `s${i}` }));
    const charts = formatHtml(report([exercise({ tests: many })])).match(/<figure/g) ?? [];
    assert.equal(charts.length, MAX_CHARTS);
  });

  it("formatHtml() shows the mutants' table in mutant mode", () => {
    const html = formatHtml({
      ...report([]),
      mode: "mutants",
      mutants: [{
        exercise: "11_semaphore",
        mutant: "lifo",
        description: "wakes <last> first",
        caught: false,
        caught_by: [],
      }],
    });
    assert.match(html, /Mutation score: 0 \/ 1/);
    assert.match(
      html,
      /<td>lifo<div class="muted">wakes &lt;last&gt; first<\/div><\/td><td><strong>no/,
    );
  });
});
