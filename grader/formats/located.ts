/**
 * The place of a load error, for the formats that show one line per test (Markdown) or a
 * summary (Gradescope): the grader puts a module's load error first in each test's message as
 * `exercises/NN_x/file.ts:line:column: message`, then the offending line and a caret
 * (engine/load_error.ts). This reads them back once per exercise.
 *
 * @module
 */

import type { ExerciseResult } from "./result.ts";

/** A located load error: its first line and the quoted source under it. */
export interface LoadFrame {
  /** `file:line:column: message`. */
  place: string;
  /** The offending line and its caret (`  62 | code` / `     |   ^`), or "" when withheld. */
  source: string;
}

const PLACE = /^((?:exercises|lib)\/\S+?:\d+:\d+: .*)$/;

/**
 * The located load error of an exercise, from its first failing test that carries one.
 *
 * @param e The exercise result.
 * @returns The place and source lines, or null when no test failed to load at a known place.
 *
 * @example
 * ```ts
 * loadFrame(result)?.place; // "exercises/01_x/x.ts:4:2: Unexpected }"
 * ```
 */
export function loadFrame(e: ExerciseResult): LoadFrame | null {
  for (const t of e.tests) {
    if (t.status === "pass") continue;
    const body = t.message.replace(/^(\[\w+\] )?crash: the test file did not load: /, "");
    if (body === t.message) continue;
    const lines = body.split("\n");
    const m = PLACE.exec(lines[0]!);
    if (!m) continue;
    const source: string[] = [];
    for (const l of lines.slice(1, 3)) {
      if (/^ {2}(\d+| +) \| /.test(l) || /^ {2}\(a line of a hidden test, withheld\)$/.test(l)) {
        source.push(l);
      } else break;
    }
    return { place: m[1]!, source: source.join("\n") };
  }
  return null;
}
