/**
 * Where the runtimes' binaries are and which runtime the grader itself runs on.
 *
 * @module
 */

import { existsSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { delimiter, join } from "node:path";
import type { Runtime } from "./types.ts";

/**
 * The runtime executing this code.
 *
 * @returns "deno" under Deno, "bun" under Bun, null under anything else (Node).
 */
export function currentRuntime(): Runtime | null {
  if (typeof (globalThis as { Deno?: unknown }).Deno !== "undefined") return "deno";
  if (typeof (globalThis as { Bun?: unknown }).Bun !== "undefined") return "bun";
  return null;
}

/** Where each runtime's own binary sits inside its npm platform package. */
const PLATFORM_BINARY: Record<Runtime, { scope: string; prefix: string; file: string }> = {
  deno: { scope: "@deno", prefix: "", file: "deno" },
  bun: { scope: "@oven", prefix: "bun-", file: join("bin", "bun") },
};

const verified = new Map<string, boolean>();

/** True when `path` runs and prints a version (cached per process). */
function runs(path: string): boolean {
  let ok = verified.get(path);
  if (ok === undefined) {
    const r = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 20_000 });
    ok = r.status === 0 && /\d+\.\d+/.test(r.stdout ?? "");
    verified.set(path, ok);
  }
  return ok;
}

/** The platform packages' binaries, in the layouts npm, Bun and `deno install` produce. */
function platformCandidates(runtime: Runtime, root: string): string[] {
  const { scope, prefix, file } = PLATFORM_BINARY[runtime];
  const nm = join(root, "node_modules");
  const out: string[] = [];
  const scopeDir = join(nm, scope);
  if (existsSync(scopeDir)) {
    for (const pkg of readdirSync(scopeDir)) {
      if (pkg.startsWith(prefix + process.platform)) out.push(join(scopeDir, pkg, file));
    }
  }
  const denoLayout = join(nm, ".deno");
  if (existsSync(denoLayout)) {
    for (const entry of readdirSync(denoLayout)) {
      if (!entry.startsWith(`${scope}+${prefix}${process.platform}`)) continue;
      const pkgDir = join(denoLayout, entry, "node_modules", scope);
      if (!existsSync(pkgDir)) continue;
      for (const pkg of readdirSync(pkgDir)) out.push(join(pkgDir, pkg, file));
    }
  }
  return out.filter((p) => existsSync(p)).sort((a, b) =>
    Number(a.includes("musl")) - Number(b.includes("musl"))
  );
}

/**
 * Finds a runtime's binary that actually runs: the grader's own executable when it is that
 * runtime, then the binary of the npm platform package (`@deno/<platform>`,
 * `@oven/bun-<platform>`, in npm's, Bun's or `deno install`'s layout), then
 * `node_modules/.bin/<name>`, then PATH. Each candidate is checked with `--version` once, because
 * an install that skipped a postinstall script leaves a placeholder in node_modules/.bin (Bun's
 * "postinstall script was not run", Deno's Node-only launcher on a machine without Node).
 *
 * @param runtime Runtime to find.
 * @param root Workbook root whose node_modules to look in.
 * @returns Absolute path of the binary, or null when it is not installed.
 *
 * @example
 * ```ts
 * import { findBinary } from "./runtimes.ts";
 * findBinary("bun", process.cwd()); // e.g. ".../node_modules/@oven/bun-linux-x64/bin/bun"
 * ```
 */
export function findBinary(runtime: Runtime, root: string): string | null {
  const candidates: string[] = [];
  if (currentRuntime() === runtime) candidates.push(process.execPath);
  candidates.push(...platformCandidates(runtime, root));
  candidates.push(join(root, "node_modules", ".bin", runtime));
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir) candidates.push(join(dir, runtime));
  }
  for (const c of candidates) {
    if (existsSync(c) && runs(c)) return c;
  }
  return null;
}

/** Raised when a runtime the user asked for is not installed. */
export class MissingRuntimeError extends Error {
  /** @param runtime The runtime that is missing. */
  constructor(runtime: Runtime) {
    super(
      `Cannot grade under ${runtime}: no "${runtime}" binary in node_modules/.bin or on PATH ` +
        `(run "npm ci", or install ${runtime}, or choose another --runtime)`,
    );
    this.name = "MissingRuntimeError";
  }
}
