/**
 * Static extraction of the tests a test file declares: `describe`, `it` and `test` calls with
 * string-literal names, nested by the describe calls they sit in. The file is parsed with
 * @babel/parser (a kept TypeScript parser, rather than a hand-written tokenizer), so comments,
 * strings, templates and regular expressions never count. The grader compares this list with the
 * runner's report: a declared test without a verdict failed.
 *
 * @module
 */

import { parseModule } from "./parse.ts";

/** One declared test or group. */
export interface DeclaredTest {
  /** Full name, groups joined with " > ". */
  name: string;
  /** True for a `describe`. */
  group: boolean;
  /** 1-based line of the call (Deno reports this one). */
  line: number;
  /** 1-based line of the name argument (Bun reports this one; the same line unless wrapped). */
  nameLine: number;
  /** Offset of the call's first character (its callee) in the source. */
  start: number;
  /** Offset just after the call's closing parenthesis (the source's length if unclosed). */
  end: number;
}

/** A call whose name is not a string literal (the authoring lint rejects it). */
export interface NonLiteralName {
  /** The function called (describe, it, test). */
  callee: string;
  /** 1-based line. */
  line: number;
}

/** The result of {@linkcode extractTests}. */
export interface Extraction {
  /** Declared tests and groups in source order. */
  tests: DeclaredTest[];
  /** Calls whose first argument is not a literal name. */
  nonLiteral: NonLiteralName[];
}

const CALLEES = new Set(["describe", "it", "test"]);
/** Modifiers that keep a test from running: such a test is not expected to report. */
const SKIPPING = new Set(["skip", "todo"]);

// deno-lint-ignore no-explicit-any
type Node = any;

/** The callee name and modifier of `it(...)`, `it.only(...)`, `describe.skip(...)`, or undefined. */
function calleeOf(node: Node): { name: string; modifier?: string } | undefined {
  const c = node.callee;
  if (c?.type === "Identifier" && CALLEES.has(c.name)) return { name: c.name };
  if (
    c?.type === "MemberExpression" && !c.computed && c.object?.type === "Identifier" &&
    CALLEES.has(c.object.name) && c.property?.type === "Identifier"
  ) {
    return { name: c.object.name, modifier: c.property.name };
  }
  return undefined;
}

/** The literal name of a call's first argument: a string, or a template without `${}`. */
function literalName(arg: Node): string | undefined {
  if (arg?.type === "StringLiteral") return arg.value;
  if (arg?.type === "TemplateLiteral" && arg.expressions.length === 0) {
    return arg.quasis.map((q: Node) => q.value.cooked).join("");
  }
  return undefined;
}

/**
 * Lists the tests a test file declares, statically.
 *
 * @param source The test file's text.
 * @returns Declared tests and groups in source order, and calls with non-literal names.
 *
 * @example Nested groups
 * ```ts
 * const { tests } = extractTests(`describe("a", () => { it("b", () => {}); });`);
 * // tests: [{ name: "a", group: true, line: 1 }, { name: "a > b", group: false, line: 1 }]
 * ```
 */
export function extractTests(source: string): Extraction {
  const tests: DeclaredTest[] = [];
  const nonLiteral: NonLiteralName[] = [];
  const program = parseModule(source);
  // A file that does not parse declares or imports nothing this reads; the runtime says why.
  if (program === null) return { tests, nonLiteral };
  const walk = (node: Node, groups: string[]): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const n of node) walk(n, groups);
      return;
    }
    if (node.type === "CallExpression") {
      const callee = calleeOf(node);
      if (callee) {
        const name = literalName(node.arguments[0]);
        if (name === undefined) {
          nonLiteral.push({ callee: callee.name, line: node.loc.start.line });
        } else {
          const full = [...groups, name].join(" > ");
          if (!SKIPPING.has(callee.modifier ?? "")) {
            tests.push({
              name: full,
              group: callee.name === "describe",
              line: node.loc.start.line,
              nameLine: node.arguments[0].loc.start.line,
              start: node.start,
              end: node.end,
            });
          }
          // A skipped group's tests never run: none of them is declared.
          if (SKIPPING.has(callee.modifier ?? "")) return;
          const inner = callee.name === "describe" ? [...groups, name] : groups;
          for (const a of node.arguments.slice(1)) walk(a, inner);
          return;
        }
      }
    }
    for (const key of Object.keys(node)) {
      if (
        key === "loc" || key === "leadingComments" || key === "trailingComments" ||
        key === "innerComments"
      ) continue;
      const v = node[key];
      if (v !== null && typeof v === "object") walk(v, groups);
    }
  };
  walk(program, []);
  return { tests, nonLiteral };
}

/**
 * Finds names declared more than once in one file.
 *
 * @param tests Declared tests of one file.
 * @returns Duplicate full names, each once.
 */
export function duplicateNames(tests: DeclaredTest[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const t of tests) {
    if (seen.has(t.name)) dups.add(t.name);
    seen.add(t.name);
  }
  return [...dups];
}
