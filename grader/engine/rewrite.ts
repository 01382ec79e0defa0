/**
 * Points a test file's `node:test` imports at the grader's harness: in the workspace copy only,
 * each `"node:test"` specifier (static import, re-export, or `import()` with a literal) becomes
 * the relative path of the harness's `node_test.ts`. Only the string changes, so every line and
 * column of the test file stays where it was.
 *
 * @module
 */

import { cached, codeKey, hashKey } from "./disk_cache.ts";
import { parseModule } from "./parse.ts";
import { TOOL_ROOT } from "./tool_root.ts";

// deno-lint-ignore no-explicit-any
type Node = any;

/**
 * Rewrites the `node:test` specifiers of a test file.
 *
 * @param source The test file's text.
 * @param target The harness module, relative to the test file (`../../.harness/node_test.ts`).
 * @returns The rewritten text (unchanged when it imports nothing from node:test or does not parse).
 *
 * @example
 * ```ts
 * import { pointTestsAtHarness } from "./rewrite.ts";
 * pointTestsAtHarness('import { it } from "node:test";', "../../.harness/node_test.ts");
 * // 'import { it } from "../../.harness/node_test.ts";'
 * ```
 */
export function pointTestsAtHarness(source: string, target: string): string {
  let out = source;
  for (const s of testImportSpots(source)) {
    out = `${out.slice(0, s.start)}${JSON.stringify(target)}${out.slice(s.end)}`;
  }
  return out;
}

const memory = new Map<string, { start: number; end: number }[]>();
const CODE = codeKey(import.meta.url, new URL("./parse.ts", import.meta.url).href);

/**
 * Where a source names `node:test` as an import specifier, last first (cached by content: a
 * parse costs tens of ms per test file).
 *
 * @param source The test file's text.
 * @returns The specifiers' string literal spans.
 */
export function testImportSpots(source: string): { start: number; end: number }[] {
  return cached(memory, TOOL_ROOT, "rewrite", hashKey(CODE, source), () => findSpots(source));
}

function findSpots(source: string): { start: number; end: number }[] {
  const program = parseModule(source);
  // A file that does not parse imports nothing this reads; the runtime says why.
  if (program === null) return [];
  const spots: { start: number; end: number }[] = [];
  const visit = (node: Node): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const isSpecifier = (s: Node) => s?.type === "StringLiteral" && s.value === "node:test";
    if (
      (node.type === "ImportDeclaration" || node.type === "ExportNamedDeclaration" ||
        node.type === "ExportAllDeclaration") && isSpecifier(node.source)
    ) {
      spots.push({ start: node.source.start, end: node.source.end });
    }
    // import("node:test"): an ImportExpression for @babel/parser 8 (a CallExpression before).
    const dynamic = node.type === "ImportExpression"
      ? node.source
      : node.type === "CallExpression" && node.callee?.type === "Import"
      ? node.arguments[0]
      : undefined;
    if (isSpecifier(dynamic)) spots.push({ start: dynamic.start, end: dynamic.end });
    for (const key of Object.keys(node)) {
      if (key === "loc" || key.endsWith("Comments")) continue;
      const v = node[key];
      if (v !== null && typeof v === "object") visit(v);
    }
  };
  visit(program);
  return spots.sort((a, b) => b.start - a.start);
}
