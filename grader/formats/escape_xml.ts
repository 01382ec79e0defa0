/**
 * Text from a report made safe inside XML, SVG or HTML: cleaned of what no report may carry
 * (sanitize.ts), then the five markup characters replaced by entities, so it is read as text in
 * an element and in a quoted attribute alike.
 *
 * @module
 */

import { cleanText } from "./sanitize.ts";

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for an XML, SVG or HTML element or quoted attribute.
 *
 * @param text Text from a submission (a label, a message, a test name).
 * @returns The cleaned text with `& < > " '` as entities.
 *
 * @example
 * ```ts
 * import { escapeXml } from "./escape_xml.ts";
 * escapeXml('<b title="x">&'); // "&lt;b title=&quot;x&quot;&gt;&amp;"
 * ```
 */
export function escapeXml(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
