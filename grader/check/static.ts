/**
 * The project's static checks, each an item of `grade check`: `deno lint` and `deno fmt --check`
 * over the whole repository, `tsc` and `deno check` over the code, no import cycle between the
 * folders of grader/ and lib/, and no file there over 300 lines.
 *
 * @module
 */

import { parseModule } from "../engine/parse.ts";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { runProcess } from "../engine/proc.ts";
import { childEnv } from "../engine/env.ts";
import { findBinary } from "../engine/runtimes.ts";
import type { CheckItem } from "./selfcheck.ts";

/** The longest a file of grader/ or lib/ may be. */
export const MAX_LINES = 300;

/** The TypeScript files under a folder, skipping node_modules and fixtures. */
function tsFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d).sort()) {
      if (name === "node_modules" || name === "fixtures" || name.startsWith(".")) continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".ts")) out.push(relative(root, p));
    }
  };
  walk(join(root, dir));
  return out;
}

/**
 * The relative module specifiers a source imports: import and export declarations and `import()`
 * with a literal, read with @babel/parser, so text in comments or strings never counts.
 *
 * @param source A module's text.
 * @returns The specifiers starting with ./ or ../.
 */
export function relativeImports(source: string): string[] {
  const out: string[] = [];
  const program = parseModule(source);
  // A file that does not parse declares or imports nothing this reads; the runtime says why.
  if (program === null) return out;
  // deno-lint-ignore no-explicit-any
  const visit = (node: any): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    // Declarations, and import() (an ImportExpression for @babel/parser 8).
    const spec =
      node.source?.type === "StringLiteral" && /(Declaration|ImportExpression)$/.test(node.type)
        ? node.source.value
        : node.type === "CallExpression" && node.callee?.type === "Import" &&
            node.arguments[0]?.type === "StringLiteral"
        ? node.arguments[0].value
        : undefined;
    if (typeof spec === "string" && /^\.\.?\//.test(spec)) out.push(spec);
    for (const k of Object.keys(node)) if (k !== "loc" && !k.endsWith("Comments")) visit(node[k]);
  };
  visit(program);
  return out;
}

/**
 * The import graph of folders: folder -> folders its non-test modules import from.
 *
 * @param root Workbook root.
 * @param dirs Top folders to read (grader, lib).
 * @returns The edges.
 */
export function folderGraph(root: string, dirs: string[]): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of dirs.flatMap((d) => tsFiles(root, d))) {
    if (file.endsWith(".test.ts")) continue;
    const from = dirname(file);
    for (const spec of relativeImports(readFileSync(join(root, file), "utf8"))) {
      const to = dirname(normalize(join(from, spec)));
      if (to === from || to.startsWith("..")) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  return edges;
}

/**
 * The cycles of a graph (its strongly connected components of more than one node).
 *
 * @param edges The graph.
 * @returns Each cycle's nodes, sorted.
 */
export function cycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  let n = 0;
  const visit = (v: string) => {
    index.set(v, n);
    low.set(v, n++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      for (;;) {
        const w = stack.pop()!;
        on.delete(w);
        comp.push(w);
        if (w === v) break;
      }
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

/**
 * Files of grader/ and lib/ longer than {@linkcode MAX_LINES}.
 *
 * @param root Workbook root.
 * @returns "path (N lines)" per file.
 */
export function longFiles(root: string): string[] {
  return ["grader", "lib"].flatMap((d) => tsFiles(root, d)).flatMap((f) => {
    const lines = readFileSync(join(root, f), "utf8").split("\n").length - 1;
    return lines > MAX_LINES ? [`${f} (${lines} lines)`] : [];
  });
}

async function tool(root: string, label: string, cmd: string, args: string[]): Promise<CheckItem> {
  // deno-lint-ignore no-control-regex
  const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");
  const r = await runProcess(cmd, args, {
    cwd: root,
    env: { ...childEnv(), NO_COLOR: "1" },
    timeoutMs: 300_000,
  });
  const text = strip(r.stdout + r.stderr + (r.spawnError ?? "")).trim();
  const ok = r.code === 0 && !r.killed;
  return {
    name: label,
    ok,
    ...(ok ? {} : { detail: text.split("\n").slice(-40).join("\n") || `exit code ${r.code}` }),
  };
}

/**
 * `deno lint` and `deno fmt --check` over some exercises' folders and their solutions, for the
 * self-check of those exercises (`grade check NN`); the project test runs them over everything.
 *
 * @param root Workbook root.
 * @param dirs Exercise folder names.
 * @returns Two items.
 */
export async function exerciseStaticChecks(root: string, dirs: string[]): Promise<CheckItem[]> {
  const deno = findBinary("deno", root);
  const paths = dirs.flatMap((d) => [`exercises/${d}`, `solutions/${d}`])
    .filter((p) => existsSync(join(root, p)));
  const label = dirs.length === 1 ? dirs[0]! : `${dirs.length} exercises`;
  if (!deno) {
    return [{
      name: `deno lint and fmt of ${label}`,
      ok: false,
      detail: "Deno is not installed: run npm ci (or install Deno 2)",
    }];
  }
  return [
    await tool(root, `deno lint of ${label}`, deno, ["lint", "--quiet", ...paths]),
    await tool(root, `deno fmt --check of ${label}`, deno, ["fmt", "--check", "--quiet", ...paths]),
  ];
}

/**
 * Runs every static check.
 *
 * @param root Workbook root.
 * @returns One item per check.
 */
export async function staticChecks(root: string): Promise<CheckItem[]> {
  const deno = findBinary("deno", root);
  const items: CheckItem[] = [];
  const cyc = cycles(folderGraph(root, ["grader", "lib"]));
  items.push({
    name: "no import cycle between folders of grader/ and lib/",
    ok: cyc.length === 0,
    ...(cyc.length ? { detail: cyc.map((c) => c.join(" <-> ")).join("\n") } : {}),
  });
  const long = longFiles(root);
  items.push({
    name: `no file of grader/ or lib/ over ${MAX_LINES} lines`,
    ok: long.length === 0,
    ...(long.length ? { detail: long.join("\n") } : {}),
  });
  if (!deno) {
    items.push({
      name: "deno lint, deno fmt --check, deno check",
      ok: false,
      detail: "Deno is not installed: run npm ci (or install Deno 2)",
    });
  } else {
    items.push(await tool(root, "deno lint (whole repository)", deno, ["lint", "--quiet"]));
    items.push(
      await tool(root, "deno fmt --check (whole repository)", deno, ["fmt", "--check", "--quiet"]),
    );
    items.push(
      await tool(root, "deno check grader lib", deno, ["check", "--quiet", "grader", "lib"]),
    );
  }
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const runner = deno ?? findBinary("bun", root);
  if (existsSync(tsc) && runner) {
    items.push(
      await tool(root, "tsc -p tsconfig.json", runner, [
        ...(runner === deno ? ["run", "-A"] : []),
        tsc,
        "-p",
        "tsconfig.json",
      ]),
    );
  } else {items.push({
      name: "tsc -p tsconfig.json",
      ok: false,
      detail: "TypeScript is not installed: run npm ci",
    });}
  return items;
}
