// The HTML report in a real browser: a mutant of 11_semaphore (waiters woken last-in first-out)
// is graded for real, its JSON report rendered by formatHtml, and the page opened in headless
// Chromium over the DevTools protocol. It must load with no console error and no request but
// its own file, draw one SVG row per task of each failing timeline, and a screenshot of it is
// taken (WORKBOOK_SCREENSHOT=path.png keeps it: that is how grader/formats/report-example.png is
// made). Without Chromium the test is skipped, saying so; in CI (CI=true) that is a failure.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { applyPatch } from "diff";
import { currentRuntime } from "../engine/runtimes.ts";
import { sandboxStatus } from "../engine/sandbox.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { MAX_GANTT_ROWS } from "../formats/gantt_svg.ts";
import { formatHtml } from "../formats/html.ts";
import type { Report } from "../formats/result.ts";
import { timelineOf, timelineRows } from "../formats/timeline_data.ts";
import { dispatch } from "./mod.ts";
import { capture } from "./testdata/capture.ts";
import { findChromium, withPage } from "./testdata/chromium.ts";

const RT = currentRuntime() ?? "bun";
const CHROMIUM = findChromium();
const EXERCISE = "11_semaphore";
const MUTANT = "lifo_waiters";

describe("the HTML report in headless Chromium", {
  skip: !CHROMIUM && !process.env.CI &&
    "chromium is not installed (apt-get install chromium): the HTML report's browser test did not run",
}, () => {
  let dir: string;
  let report: Report;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "grader-html-chromium-"));
    const sub = join(dir, "submission", "exercises", EXERCISE);
    mkdirSync(sub, { recursive: true });
    const solution = readFileSync(join(TOOL_ROOT, "solutions", EXERCISE, "semaphore.ts"), "utf8");
    const patch = readFileSync(
      join(TOOL_ROOT, "solutions", EXERCISE, "mutants", `${MUTANT}.patch`),
      "utf8",
    ).replace(/^MUTANT:.*\n/, "");
    const mutant = applyPatch(solution, patch);
    assert.ok(typeof mutant === "string", `the ${MUTANT} patch applies`);
    writeFileSync(join(sub, "semaphore.ts"), mutant);
    const { io, o } = capture();
    const json = join(dir, "report.json");
    const code = await dispatch([
      "11",
      "--submission",
      join(dir, "submission"),
      "--hidden-dir",
      TOOL_ROOT,
      "--runtime",
      RT,
      "--format",
      "json",
      "--out",
      json,
      ...(RT === "bun" ? ["--unsafe-bun"] : []),
      ...(sandboxStatus().ok ? [] : ["--unsafe-no-sandbox"]),
    ], { toolRoot: TOOL_ROOT, io });
    assert.equal(code, 0, o.err);
    report = JSON.parse(readFileSync(json, "utf8")) as Report;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(
    "the report of a failing exercise loads with no console error, one SVG row per task, and a screenshot",
    {
      timeout: 120_000,
    },
    async () => {
      assert.ok(CHROMIUM, "chromium is not installed: CI must install it (.ci/run does)");
      const e = report.exercises[0]!;
      assert.ok(e.score < 10, `the mutant fails some tests (scored ${e.score})`);
      const rows = e.tests.map(timelineOf).filter((p) => p !== undefined)
        .map((p) => Math.min(MAX_GANTT_ROWS, timelineRows(p).length));
      assert.ok(rows.length > 0, "a failing timeline test");
      const file = join(dir, "report.html");
      writeFileSync(file, formatHtml(report));
      const png = await withPage(CHROMIUM, async (page) => {
        // The recorder is not blind: a page with a console error and a refused load shows both.
        await page.goto(
          `data:text/html,<img src="http://127.0.0.1:9/x.png"><script>console.error("seen")</script>`,
        );
        assert.ok(
          page.record.errors.some((x) => x.includes("seen")),
          page.record.errors.join("\n"),
        );
        page.record.errors.length = 0;
        page.record.requests.length = 0;

        const url = pathToFileURL(file).href;
        await page.goto(url);
        assert.deepEqual(page.record.errors, [], "no console error, exception or refused load");
        assert.deepEqual(page.record.requests, [url], "nothing loaded but the report itself");
        assert.equal(await page.evaluate("document.title"), `Workbook grade: ${report.score} / 10`);
        const drawn = await page.evaluate<number[]>(
          `[...document.querySelectorAll("figure.timeline svg.gantt")].map((s) => s.querySelectorAll("g.row").length)`,
        );
        assert.deepEqual(drawn, rows, "one SVG row per task of each failing timeline");
        const box = await page.evaluate<{ width: number; height: number; bottom: number }>(
          `(() => { const r = document.querySelector("li.test.fail figure.timeline").closest("li").getBoundingClientRect();
          return { width: r.width, height: r.height, bottom: r.bottom + window.scrollY }; })()`,
        );
        assert.ok(
          box.width > 300 && box.height > 100,
          `the chart is drawn (${JSON.stringify(box)})`,
        );
        // The page down to the end of the first failing schedule test: heading, table, picture.
        return await page.screenshot({
          x: 0,
          y: 0,
          width: 1000,
          height: Math.ceil(box.bottom),
        });
      });
      assert.deepEqual([...png.slice(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], "a PNG");
      assert.ok(png.length > 10_000, `a screenshot with content (${png.length} bytes)`);
      writeFileSync(join(dir, "report.png"), png);
      if (process.env.WORKBOOK_SCREENSHOT) writeFileSync(process.env.WORKBOOK_SCREENSHOT, png);
    },
  );
});
