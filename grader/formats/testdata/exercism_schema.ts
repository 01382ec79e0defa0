/**
 * Test data for the Exercism format's tests: a validator of results.json against version 3 of
 * Exercism's test-runner interface (exercism/docs, building/tooling/test-runners/interface.md),
 * written from the spec, not from our formatter: the fields it lists and nothing else, their
 * types, the allowed statuses, when `message` and `tests` are required, the 500-character cap on
 * `output`, the 65535-character cap on the top-level message, and the top-level status agreeing
 * with the tests' ("error" only when every test errored).
 *
 * @module
 */

const STATUSES = ["pass", "fail", "error"];
const TOP_KEYS = ["version", "status", "message", "tests"];
const TEST_KEYS = ["name", "status", "message", "output", "test_code", "task_id"];

/** Characters as the spec counts them (code points). */
const chars = (s: string) => Array.from(s).length;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The problems of one test entry. */
function testProblems(t: unknown, at: string): string[] {
  if (!isObject(t)) return [`${at}: not an object`];
  const bad: string[] = [];
  for (const k of Object.keys(t)) if (!TEST_KEYS.includes(k)) bad.push(`${at}: unknown key ${k}`);
  if (typeof t.name !== "string" || t.name === "") bad.push(`${at}.name: a non-empty string`);
  if (!STATUSES.includes(t.status as string)) bad.push(`${at}.status: ${String(t.status)}`);
  if (t.status === "fail" || t.status === "error") {
    if (typeof t.message !== "string" || t.message === "") {
      bad.push(`${at}.message: required on ${t.status}`);
    }
  } else if (t.message !== undefined && t.message !== null) {
    bad.push(`${at}.message: null or absent on pass`);
  }
  if (t.output !== undefined && t.output !== null) {
    if (typeof t.output !== "string") bad.push(`${at}.output: a string`);
    else if (chars(t.output) > 500) bad.push(`${at}.output: ${chars(t.output)} chars (max 500)`);
  }
  if (t.test_code !== undefined && t.test_code !== null && typeof t.test_code !== "string") {
    bad.push(`${at}.test_code: a string`);
  }
  if (
    t.task_id !== undefined &&
    !(typeof t.task_id === "number" && Number.isInteger(t.task_id) && t.task_id >= 1)
  ) bad.push(`${at}.task_id: a task number (1 or more)`);
  return bad;
}

/**
 * Checks a parsed results.json against version 3 of the interface.
 *
 * @param doc The parsed document.
 * @returns Its problems, one line each (empty: valid).
 *
 * @example
 * ```ts
 * exercismProblems({ version: 3, status: "pass", message: null, tests: [] }); // []
 * exercismProblems({ version: 2, status: "ok" }); // ["version: 2 (expected 3)", ...]
 * ```
 */
export function exercismProblems(doc: unknown): string[] {
  if (!isObject(doc)) return ["the document is not an object"];
  const bad: string[] = [];
  for (const k of Object.keys(doc)) if (!TOP_KEYS.includes(k)) bad.push(`unknown key ${k}`);
  if (doc.version !== 3) bad.push(`version: ${String(doc.version)} (expected 3)`);
  if (!STATUSES.includes(doc.status as string)) bad.push(`status: ${String(doc.status)}`);
  if (doc.status === "error") {
    if (typeof doc.message !== "string" || doc.message === "") {
      bad.push("message: required when status is error");
    } else if (chars(doc.message) > 65535) bad.push("message: over 65535 chars");
  } else if (doc.message !== undefined && doc.message !== null) {
    bad.push("message: null or absent unless status is error");
  }
  if (doc.tests === undefined) {
    if (doc.status !== "error") bad.push("tests: required when status is pass or fail");
    return bad;
  }
  if (!Array.isArray(doc.tests)) return [...bad, "tests: an array"];
  doc.tests.forEach((t, i) => bad.push(...testProblems(t, `tests[${i}]`)));
  const statuses = doc.tests.map((t) => (isObject(t) ? t.status : undefined));
  if (doc.status === "pass" && statuses.some((s) => s !== "pass")) {
    bad.push("status: pass, but a test did not pass");
  }
  if (doc.status === "fail" && statuses.every((s) => s === "pass")) {
    bad.push("status: fail, but every test passed");
  }
  if (doc.status === "error" && statuses.some((s) => s !== "error")) {
    bad.push("status: error, but a test ran to the end (error only when every test errored)");
  }
  return bad;
}
