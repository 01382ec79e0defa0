/**
 * Output formats of the grader, by name.
 *
 * @module
 */

import type { Report } from "./result.ts";
import { formatClassroom } from "./classroom.ts";
import { formatExercism } from "./exercism.ts";
import { formatGradescope, type Visibility } from "./gradescope.ts";
import { formatHtml } from "./html.ts";
import { formatJson } from "./json.ts";
import { formatJUnit } from "./junit.ts";
import { formatMarkdown } from "./markdown.ts";
import { formatPretty } from "./pretty.ts";

/** Output formats. */
export const FORMATS = [
  "pretty",
  "json",
  "gradescope",
  "junit",
  "classroom",
  "markdown",
  "exercism",
  "html",
] as const;
/** An output format. */
export type Format = (typeof FORMATS)[number];

/** Options shared by the formats. */
export interface FormatOptions {
  /** Colour the pretty format. */
  color: boolean;
  /** Gradescope visibility of hidden tests. */
  hiddenVisibility: Visibility;
}

/**
 * Renders a report in a format.
 *
 * @param report The report.
 * @param format Format name.
 * @param opts Colour and visibility.
 * @returns Text.
 */
export function formatReport(report: Report, format: Format, opts: FormatOptions): string {
  switch (format) {
    case "pretty":
      return formatPretty(report, { color: opts.color });
    case "json":
      return formatJson(report);
    case "gradescope":
      return formatGradescope(report, opts.hiddenVisibility);
    case "junit":
      return formatJUnit(report);
    case "classroom":
      return formatClassroom(report);
    case "markdown":
      return formatMarkdown(report);
    case "exercism":
      return formatExercism(report);
    case "html":
      return formatHtml(report);
  }
}
