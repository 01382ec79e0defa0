/**
 * Points a test file's `node:test` imports at the grader's harness: in the workspace copy only,
 * each `"node:test"` specifier (static import, re-export, or `import()` with a literal) becomes
 * the relative path of the harness's `node_test.ts`. Only the string changes, so every line and
 * column of the test file stays where it was.
 *
 * @module
 */

import { parseModule } from "./parse.ts";

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
  const program = parseModule(source);
  // A file that does not parse declares or imports nothing this reads; the runtime says why.
  if (program === null) return source;
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
  let out = source;
  for (const s of spots.sort((a, b) => b.start - a.start)) {
    out = `${out.slice(0, s.start)}${JSON.stringify(target)}${out.slice(s.end)}`;
  }
  return out;
}
