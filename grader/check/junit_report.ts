/**
 * Reads the JUnit reports of `deno test` and `bun test` into verdicts keyed by file and full
 * test name ("group > sub > name"). These reports are written by the runner after the test code
 * ran, so student code cannot forge them through stdout.
 *
 * Deno lists each file's top-level tests under a testsuite named after the file, and every nested
 * `it`/`describe` (a "step") under one shared testsuite named "ext:deno_node/testing.ts", in run
 * order, already named "group > name". Files run one after another, so the steps of a file's
 * top-level group follow each other: they are matched back to the group in order.
 * Bun nests a testsuite per `describe` inside the file's testsuite; the full name is built from
 * the nesting.
 *
 * @module
 */

import type { Runtime, Verdict } from "../engine/types.ts";
import { parseXml, type XmlElement } from "./xml.ts";

/** Verdicts per file (path as given to the runner, without "./") and full test name. */
export type VerdictMap = Map<string, Map<string, Verdict>>;

/** What was read from one report. */
export interface ParsedReport {
  /** Verdicts by file and name. */
  verdicts: VerdictMap;
  /** Steps that could not be matched to a file (Deno only), by name. */
  unmatched: string[];
  /**
   * Signs that code under test registered tests of its own (the runners let any module call
   * `describe`/`it`/`Deno.test`): a name reported twice for one file, a test registered from a
   * file that is not one of the test files run (Deno), a step that belongs to no group (Deno), a
   * group that did not finish while its steps say they passed (Deno). Only filled when `groups`
   * names the test files run (grading), not for the project's own suites.
   */
  anomalies: Anomaly[];
}

/** A sign of tampering in a report: the file it concerns (null when unknown) and what. */
export interface Anomaly {
  /** Test file (or other module) it concerns, as given to the runner; null when unknown. */
  file: string | null;
  /** What was seen. */
  what: string;
}

/**
 * Group names per file, used to match Deno's steps to their file. A file absent from the map is
 * matched by name prefix alone.
 */
export type GroupIndex = Map<string, Set<string>>;

function verdictOf(tc: XmlElement, runtime: Runtime): Verdict {
  const time = Number(tc.attrs.time ?? "0") || 0;
  const bad = tc.children.find((c) => c.name === "failure" || c.name === "error");
  if (bad) {
    let message = bad.attrs.message ?? "";
    if (runtime === "deno") {
      message = message.replace(/^Uncaught (\(in promise\) )?/, "");
      if (bad.name === "error" && message === "Cancelled") {
        message = "Cancelled: the test did not finish (the process exited while it ran)";
      }
    } else {
      const type = bad.attrs.type;
      if (type && type !== "" && !message.startsWith(type)) message = `${type}: ${message}`;
    }
    return { status: "fail", message: message.trimEnd(), details: bad.text.trimEnd(), time };
  }
  if (tc.children.some((c) => c.name === "skipped")) {
    return { status: "skipped", message: "", details: "", time };
  }
  return { status: "pass", message: "", details: "", time };
}

/** The verdict with the line the runner gives for it (test files only: Deno's steps have none). */
function withLine(v: Verdict, tc: XmlElement): Verdict {
  const line = Number(tc.attrs.line);
  return Number.isInteger(line) && line > 0 ? { ...v, line } : v;
}

/** Records a verdict; a second one for the same file and name is an anomaly and never replaces the first. */
function put(map: VerdictMap, file: string, name: string, v: Verdict, anomalies?: Anomaly[]): void {
  let m = map.get(file);
  if (!m) map.set(file, m = new Map());
  if (!m.has(name)) m.set(name, v);
  else anomalies?.push({ file, what: `test reported twice: ${name}` });
}

/** Deno's message for a group whose only failures are its steps. */
const STEPS_FAILED = /^\d+ test steps? failed\.?$/;

function normFile(f: string): string {
  return f.replace(/^\.\//, "");
}

function suitesOf(root: XmlElement): XmlElement[] {
  return root.name === "testsuites"
    ? root.children.filter((c) => c.name === "testsuite")
    : root.name === "testsuite"
    ? [root]
    : [];
}

function parseDeno(root: XmlElement, groups: GroupIndex): ParsedReport {
  const verdicts: VerdictMap = new Map();
  const anomalies: Anomaly[] = [];
  const grading = groups.size > 0;
  const suites = suitesOf(root);
  // Steps are listed under "ext:..." suites named after the code that ran them (usually
  // ext:deno_node/testing.ts, sometimes ext:core/01_core.js); each keeps run order, so each is a
  // queue consumed group by group.
  const queues = suites
    .filter((s) => s.attrs.name?.startsWith("ext:"))
    .map((s) => ({ steps: s.children.filter((c) => c.name === "testcase"), at: 0 }));
  for (const suite of suites) {
    const sname = suite.attrs.name ?? "";
    if (sname.startsWith("ext:")) continue;
    const file = normFile(sname);
    const known = groups.get(file);
    const foreign = grading && !known;
    for (const tc of suite.children) {
      if (tc.name !== "testcase") continue;
      const name = tc.attrs.name ?? "";
      const top = verdictOf(tc, "deno");
      // A test registered from a module that is not a test file run: code under test called
      // describe/it/Deno.test itself.
      if (foreign) anomalies.push({ file, what: `test registered from ${file}: ${name}` });
      put(verdicts, file, name, withLine(top, tc), grading ? anomalies : undefined);
      if (known && !known.has(name)) continue;
      // A group that failed for another reason than its steps (the process exited in it, its
      // body threw) did not run all its steps: none of them is credited.
      const cut = grading && top.status === "fail" && !STEPS_FAILED.test(top.message);
      const prefix = `${name} > `;
      const seen = new Set<string>();
      for (const q of queues) {
        while (q.at < q.steps.length) {
          const sn = q.steps[q.at]!.attrs.name ?? "";
          if (!sn.startsWith(prefix) || seen.has(sn)) break;
          seen.add(sn);
          let v = verdictOf(q.steps[q.at]!, "deno");
          if (cut && v.status === "pass") {
            v = {
              ...v,
              status: "fail",
              message: `the group did not finish: ${top.message}`,
              details: top.details,
            };
          }
          put(verdicts, file, sn, v, grading ? anomalies : undefined);
          q.at++;
        }
      }
    }
  }
  const unmatched = queues.flatMap((q) => q.steps.slice(q.at).map((s) => s.attrs.name ?? ""));
  if (grading) {
    for (const name of unmatched) {
      anomalies.push({ file: null, what: `a step no test group ran: ${name}` });
    }
  }
  return { verdicts, unmatched, anomalies };
}

function parseBun(root: XmlElement, grading: boolean): ParsedReport {
  const verdicts: VerdictMap = new Map();
  const anomalies: Anomaly[] = [];
  const walk = (el: XmlElement, file: string, path: string[]): void => {
    for (const c of el.children) {
      if (c.name === "testsuite") walk(c, file, [...path, c.attrs.name ?? ""]);
      else if (c.name === "testcase") {
        put(
          verdicts,
          file,
          [...path, c.attrs.name ?? ""].join(" > "),
          withLine(verdictOf(c, "bun"), c),
          grading ? anomalies : undefined,
        );
      }
    }
  };
  for (const suite of suitesOf(root)) {
    const file = normFile(suite.attrs.file ?? suite.attrs.name ?? "");
    walk(suite, file, []);
  }
  return { verdicts, unmatched: [], anomalies };
}

/**
 * Parses a runner's JUnit report.
 *
 * @param xml Report text.
 * @param runtime The runner that wrote it.
 * @param groups Top-level group names per file (Deno step matching). When it is not empty it
 *   names every test file run, and the report is checked for tests the code under test registered.
 * @returns Verdicts by file and full name (an empty map for an empty or unreadable report), and anomalies.
 *
 * @example
 * ```ts
 * const { verdicts } = parseJUnit(text, "bun", new Map());
 * verdicts.get("exercises/01_x/x.test.ts")?.get("group > name")?.status; // "pass"
 * ```
 */
export function parseJUnit(xml: string, runtime: Runtime, groups: GroupIndex): ParsedReport {
  const root = parseXml(xml);
  if (!root) return { verdicts: new Map(), unmatched: [], anomalies: [] };
  return runtime === "deno" ? parseDeno(root, groups) : parseBun(root, groups.size > 0);
}

/** Counts of a unit-test report. */
export interface ReportCounts {
  /** Leaf tests that passed. */
  passed: number;
  /** Leaf tests that failed. */
  failed: number;
  /** Full names of failed leaf tests, "file: name". */
  failures: string[];
}

/** How many lines of a failure's message the count keeps. */
export const FAILURE_LINES = 20;

/**
 * Counts the leaf tests of a report (groups excluded: a name that prefixes another name in the
 * same file followed by " > " is a group). Used for the project's own unit suites.
 *
 * @param xml Report text.
 * @param runtime The runner that wrote it.
 * @returns Passed and failed counts.
 */
export function countReport(xml: string, runtime: Runtime): ReportCounts {
  const { verdicts, unmatched } = parseJUnit(xml, runtime, new Map());
  const counts: ReportCounts = { passed: 0, failed: 0, failures: [] };
  for (const [file, m] of verdicts) {
    const names = [...m.keys()];
    for (const [name, v] of m) {
      if (names.some((o) => o.startsWith(`${name} > `))) continue;
      if (v.status === "pass") counts.passed++;
      else if (v.status === "fail") {
        counts.failed++;
        // The message's first lines, indented under the test: a CI log is often all there is.
        const lines = v.message.split("\n");
        const shown = lines.slice(0, FAILURE_LINES).join("\n      ");
        const more = lines.length > FAILURE_LINES
          ? `\n      (${lines.length - FAILURE_LINES} more lines)`
          : "";
        counts.failures.push(`${file}: ${name}: ${shown}${more}`);
      }
    }
  }
  for (const name of unmatched) {
    counts.failed++;
    counts.failures.push(`unmatched step: ${name}`);
  }
  return counts;
}
