/**
 * Where the runtimes' binaries are and which runtime the grader itself runs on.
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { delimiter, join, resolve } from "node:path";
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
 * The oldest release of each runtime the workbook is tested with (`.ci/oldest_runtimes.sh` grades
 * with exactly these in CI). Measured: the releases just before grade wrongly (see the README's
 * "Supported runtimes"). Deno 2.8.1 lacks `syncBuiltinESMExports` in node:module, so no test file
 * loads; Bun 1.3.14 cannot clone a Worker's load error (exercise 20 loses a test) and Bun 1.3.0
 * grades decorators and `SuppressedError` wrongly (exercises 22 and 31).
 */
export const MIN_VERSION: Record<Runtime, string> = { deno: "2.8.2", bun: "1.4.0" };

const versions = new Map<string, string | null>();

/** The release of the runtime executing this code, or null under Node. */
function ownVersion(): string | null {
  const g = globalThis as { Deno?: { version?: { deno?: string } }; Bun?: { version?: string } };
  return g.Deno?.version?.deno ?? g.Bun?.version ?? null;
}

/**
 * The version `path --version` prints, or null when it does not run (cached per process). The
 * running runtime's own binary answers from memory: some Deno releases (2.5) rewrite the
 * arguments of a child that is their own executable as Node's (`deno run --version`).
 */
export function versionOf(path: string): string | null {
  if (path === process.execPath && currentRuntime() !== null) return ownVersion();
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

/**
 * The environment variables that name a runtime's binary and override the search (for a test of
 * a given release, or a runtime installed somewhere unusual): `WORKBOOK_DENO=/opt/deno-2.9.0/deno`.
 */
export const BINARY_ENV: Record<Runtime, string> = { deno: "WORKBOOK_DENO", bun: "WORKBOOK_BUN" };

/** Why the last search for a runtime found nothing, for MissingRuntimeError. */
type Refusal =
  | { kind: "old"; path: string; version: string; from: "system" | "env"; root: string }
  | { kind: "broken-env"; path: string };

/** The last refusal per runtime (set by findBinary, cleared when it finds one). */
const refused = new Map<Runtime, Refusal>();

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
 * Finds a runtime's binary that actually runs. `WORKBOOK_DENO` / `WORKBOOK_BUN` (BINARY_ENV), when
 * set, decide alone: that binary or none. Otherwise the pinned binaries of node_modules come first,
 * whichever runtime started the grader: the npm platform package (`@deno/<platform>`,
 * `@oven/bun-<platform>`, in npm's, Bun's or `deno install`'s layout), then
 * `node_modules/.bin/<name>`. Then a system install: the grader's own executable when it is that
 * runtime, then PATH. Every candidate is checked with `--version` once, because an install that
 * skipped a postinstall script leaves a placeholder in node_modules/.bin (Bun's "postinstall script
 * was not run", Deno's Node-only launcher on a machine without Node); a system or WORKBOOK_*
 * binary older than MIN_VERSION is refused (MissingRuntimeError then names both versions).
 *
 * @param runtime Runtime to find.
 * @param root Workbook root whose node_modules to look in.
 * @returns Absolute path of the binary, or null when none that runs and is recent enough exists.
 *
 * @example
 * ```ts
 * import { findBinary } from "./runtimes.ts";
 * findBinary("bun", process.cwd()); // e.g. ".../node_modules/@oven/bun-linux-x64/bin/bun"
 * ```
 */
export function findBinary(runtime: Runtime, root: string): string | null {
  refused.delete(runtime);
  const forced = process.env[BINARY_ENV[runtime]];
  if (forced) {
    const path = resolve(forced);
    const v = existsSync(path) ? versionOf(path) : null;
    if (v === null) refused.set(runtime, { kind: "broken-env", path });
    else if (!atLeast(v, MIN_VERSION[runtime])) {
      refused.set(runtime, { kind: "old", path, version: v, from: "env", root });
    } else return path;
    return null;
  }
  const pinned = [
    ...platformCandidates(runtime, root),
    join(root, "node_modules", ".bin", runtime),
  ];
  for (const c of pinned) {
    if (existsSync(c) && versionOf(c) !== null) return c;
  }
  const system: string[] = [];
  if (currentRuntime() === runtime) system.push(process.execPath);
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir) system.push(join(dir, runtime));
  }
  for (const c of system) {
    if (!existsSync(c)) continue;
    const v = versionOf(c);
    if (v === null) continue;
    if (atLeast(v, MIN_VERSION[runtime])) return c;
    if (!refused.has(runtime)) {
      refused.set(runtime, { kind: "old", path: c, version: v, from: "system", root });
    }
  }
  return null;
}

/** The pinned release of a runtime (package.json's devDependency), or null when unreadable. */
export function pinnedVersion(runtime: Runtime, root: string): string | null {
  try {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const v = pkg.devDependencies?.[runtime];
    return typeof v === "string" && /^\d+\.\d+\.\d+$/.test(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * The commands that bring a runtime up to date: its own upgrade command (to the pinned release
 * when known), or an install of the pinned release into node_modules, which the grader then
 * prefers (with only Deno: the Deno tasks' installer with `--all`).
 */
export function upgradeAdvice(runtime: Runtime, pinned: string | null): string {
  const own = runtime === "deno"
    ? `deno upgrade --version ${pinned ?? MIN_VERSION.deno}`
    : "bun upgrade";
  const installs = runtime === "deno"
    ? "`npm install`, `bun install` or `deno run -A grader/setup/ensure_deps.ts --all`"
    : "`npm install` or `bun install`";
  return `upgrade it with \`${own}\`, or install the pinned ${runtime}${
    pinned ? ` ${pinned}` : ""
  } into the workbook's node_modules (${installs}), which the grader then prefers`;
}

/** Raised when a runtime the user asked for is not installed, or only too old a release is. */
export class MissingRuntimeError extends Error {
  /** @param runtime The runtime that is missing (the message says why findBinary found none). */
  constructor(runtime: Runtime) {
    const why = refused.get(runtime);
    const env = BINARY_ENV[runtime];
    let message: string;
    if (why?.kind === "broken-env") {
      message = `Cannot grade under ${runtime}: ${env}=${why.path} does not run ` +
        `(\`${why.path} --version\` failed); point ${env} at a ${runtime} binary, or unset it`;
    } else if (why?.kind === "old") {
      message =
        `Cannot grade under ${runtime}: ${
          why.from === "env" ? `${env}=${why.path}` : why.path
        } is ${runtime} ${why.version}, older than ${runtime} ${
          MIN_VERSION[runtime]
        }, the oldest release this workbook is tested with (an older one grades wrongly): ` +
        upgradeAdvice(runtime, pinnedVersion(runtime, why.root));
    } else {
      message =
        `Cannot grade under ${runtime}: no "${runtime}" binary in node_modules/.bin or on ` +
        `PATH (run "npm ci", or install ${runtime}, or choose another --runtime)`;
    }
    super(message);
    this.name = "MissingRuntimeError";
  }
}
