/**
 * The hostile-submission suite's report checks (no tests of its own; hostile_kit.test.ts uses
 * them): a report read back from its JSON, rendered in every format, and every text checked for
 * escapes, controls, bidi overrides, NUL, lone surrogates and forbidden strings; JUnit parsed by
 * saxes, a strict XML parser independent of the grader.
 *
 * @module
 */

import assert from "node:assert/strict";
import { SaxesParser } from "saxes";
import { formatPrettyFull } from "../formats/failure.ts";
import { formatClassroom } from "../formats/classroom.ts";
import { formatGradescope } from "../formats/gradescope.ts";
import { formatJson } from "../formats/json.ts";
import { formatJUnit } from "../formats/junit.ts";
import { formatMarkdown } from "../formats/markdown.ts";
import { formatPretty } from "../formats/pretty.ts";
import type { Report, Runtime, TestResult } from "../formats/result.ts";

const BAD =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Strings of a parsed JSON document, deep. */
export function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) strings(x, strings(k, out));
  }
  return out;
}

/** Throws when some text carries what no report may, naming where. */
export function assertClean(where: string, text: string, forbidden: string[]): void {
  const m = BAD.exec(text);
  assert.equal(
    m,
    null,
    `${where}: U+${m?.[0].charCodeAt(0).toString(16).padStart(4, "0")} in ${
      JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 60), (m?.index ?? 0) + 40))
    }`,
  );
  for (const f of forbidden) {
    const at = text.indexOf(f);
    assert.ok(at < 0, `${where} shows ${JSON.stringify(f)}: ${text.slice(at - 80, at + 80)}`);
  }
}

/** Parses XML with saxes (strict: it throws on any malformation). */
function strictXml(xml: string): void {
  const parser = new SaxesParser();
  parser.on("error", (e) => {
    throw e;
  });
  parser.write(xml).close();
}

/** The report back from the JSON document (the fields the formats read). */
export function toReport(j: Record<string, unknown>, runtime: Runtime): Report {
  // deno-lint-ignore no-explicit-any
  const exercises = (j.exercises as any[]).map((e) => ({
    ...e,
    // deno-lint-ignore no-explicit-any
    tests: e.tests.map(({ test_code, ...t }: any): TestResult => ({
      ...t,
      time: 0,
      ...(test_code !== null ? { test_code } : {}),
    })),
  }));
  const r = j as unknown as Report;
  return {
    mode: r.mode,
    runs: [{ runtime, score: r.score, max_score: r.max_score, exercises, time: r.time }],
    exercises,
    score: r.score,
    max_score: r.max_score,
    runtime: r.runtime,
    time: r.time,
    warnings: r.warnings,
  };
}

/**
 * Renders a report in every format and checks each: JSON parses, JUnit is well-formed XML, and
 * no text (nor any string inside the JSON ones) carries escapes, controls, bidi overrides, NUL,
 * lone surrogates or a forbidden string.
 */
export function assertFormatsClean(report: Report, forbidden: string[] = []): void {
  const texts: Record<string, string> = {
    json: formatJson(report),
    gradescope: formatGradescope(report, "hidden"),
    "gradescope (visible)": formatGradescope(report, "visible"),
    junit: formatJUnit(report),
    classroom: formatClassroom(report),
    markdown: formatMarkdown(report),
    pretty: formatPretty(report, { color: false }),
    "pretty (full)": formatPrettyFull(report, false),
  };
  strictXml(texts.junit!);
  for (const [name, text] of Object.entries(texts)) {
    assertClean(name, text, forbidden);
    if (name === "json" || name.startsWith("gradescope") || name === "classroom") {
      for (const s of strings(JSON.parse(text))) {
        assertClean(`${name} (a string in it)`, s, forbidden);
      }
    }
  }
}
