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

/**
 * The oldest release of each runtime the workbook is tested with (CI runs the suite once with
 * these): older ones grade wrongly (see the README's "Supported runtimes").
 */
export const MIN_VERSION: Record<Runtime, string> = { deno: "2.9.0", bun: "1.4.0" };

const versions = new Map<string, string | null>();

/** The version `path --version` prints, or null when it does not run (cached per process). */
export function versionOf(path: string): string | null {
  if (!versions.has(path)) {
    const r = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 20_000 });
    const m = r.status === 0 ? /(\d+\.\d+\.\d+)/.exec(r.stdout ?? "") : null;
    versions.set(path, m ? m[1]! : null);
  }
  return versions.get(path)!;
}

/**
 * Whether version `a` is at least `b` (numeric major.minor.patch).
 *
 * @param a A version.
 * @param b The minimum.
 * @returns True when a >= b.
 */
export function atLeast(a: string, b: string): boolean {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return true;
}

/** Runtimes found but too old, by runtime, for the error message. */
const tooOld = new Map<Runtime, { path: string; version: string }>();

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
  // The pinned binaries of node_modules first, whichever runtime started the grader; then a
  // system install, which must not be older than the oldest release the workbook is tested with.
  const pinned = [
    ...platformCandidates(runtime, root),
    join(root, "node_modules", ".bin", runtime),
  ];
  const system: string[] = [];
  if (currentRuntime() === runtime) system.push(process.execPath);
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir) system.push(join(dir, runtime));
  }
  for (const c of pinned) {
    if (existsSync(c) && versionOf(c) !== null) return c;
  }
  for (const c of system) {
    if (!existsSync(c)) continue;
    const v = versionOf(c);
    if (v === null) continue;
    if (atLeast(v, MIN_VERSION[runtime])) return c;
    if (!tooOld.has(runtime)) tooOld.set(runtime, { path: c, version: v });
  }
  return null;
}

/** Raised when a runtime the user asked for is not installed. */
export class MissingRuntimeError extends Error {
  /** @param runtime The runtime that is missing. */
  constructor(runtime: Runtime) {
    const old = tooOld.get(runtime);
    super(
      old
        ? `Cannot grade under ${runtime}: ${old.path} is ${runtime} ${old.version}, older than ${
          MIN_VERSION[runtime]
        }, ` +
          `the oldest this workbook is tested with (it would grade wrongly). Upgrade it (${
            runtime === "deno" ? "deno upgrade" : "bun upgrade"
          }), or run npm install to get the pinned one`
        : `Cannot grade under ${runtime}: no "${runtime}" binary in node_modules/.bin or on PATH ` +
          `(run "npm ci", or install ${runtime}, or choose another --runtime)`,
    );
    this.name = "MissingRuntimeError";
  }
}
