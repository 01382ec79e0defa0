/**
 * Cleaning text that came from a submission before any report shows it: terminal escape
 * sequences (colours, titles, clipboard writes, hyperlinks), other C0 and C1 control characters
 * (NUL included; tab and newline kept), bidirectional overrides and isolates (which can make a
 * line read differently from what it is), and lone surrogates (not valid UTF-8 anywhere). Each
 * format then escapes for its own syntax (XML, CSV, Markdown, JSON).
 *
 * @module
 */

// ESC sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and two-byte escapes.
const ESCAPES =
  // deno-lint-ignore no-control-regex
  /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007]*\u0007?/g;
// deno-lint-ignore no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Removes what a report must never carry; keeps every printable character, tab and newline.
 *
 * @param text Text from a submission (a message, printed output, a file name).
 * @returns The cleaned text (carriage returns become newlines).
 *
 * @example
 * ```ts
 * import { cleanText } from "./sanitize.ts";
 * cleanText("ok\u001b]0;pwned\u0007 \u202eevil"); // "ok evil"
 * ```
 */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(ESCAPES, "").replace(CONTROLS, "").replace(BIDI, "")
    .replace(LONE_SURROGATE, "\ufffd");
}

/**
 * Markdown-safe inline text: cleaned, one line, with the characters Markdown or HTML would
 * interpret escaped, cut to a length.
 *
 * @param text Text from a submission.
 * @param max Longest result (default 200 characters).
 * @returns Text that renders as itself.
 */
export function markdownText(text: string, max = 200): string {
  const one = cleanText(text).replace(/\n/g, " ");
  const cut = one.length > max ? `${one.slice(0, max)}...` : one;
  return cut.replace(
    /[\\`*_{}[\]()#+\-.!|<>&~]/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;" } as Record<string, string>)[c] ?? `\\${c}`,
  );
}
