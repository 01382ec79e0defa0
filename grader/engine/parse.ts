/**
 * One way to parse a TypeScript module for the grader's static reading of sources (the tests a
 * file declares, its node:test imports, the folder graph): @babel/parser with TypeScript and
 * decorators, recovering from errors where it can.
 *
 * @module
 */

import { parse } from "@babel/parser";

/** A Babel AST node (the grader reads only a few fields of it). */
// deno-lint-ignore no-explicit-any
export type AstNode = any;

/**
 * Parses a module's text.
 *
 * @param source The text.
 * @returns Its program, or null when it does not parse at all.
 *
 * @example
 * ```ts
 * import { parseModule } from "./parse.ts";
 * parseModule('import { it } from "node:test";')?.body.length; // 1
 * ```
 */
export function parseModule(source: string): AstNode | null {
  try {
    return parse(source, {
      sourceType: "module",
      plugins: ["typescript", "decorators"],
      errorRecovery: true,
    }).program;
  } catch {
    // Not even error recovery could read it: callers treat it as declaring nothing.
    return null;
  }
}
