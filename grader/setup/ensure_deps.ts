/**
 * First-run bootstrap for `deno task ...` on a machine with only Deno: installs package.json's
 * dependencies into node_modules/ with `deno install` when they are missing, then exits.
 *
 * Why: deno.json sets `"nodeModulesDir": "manual"` so that Deno uses the node_modules/ that npm or
 * Bun installed as it is (in "auto" mode Deno re-lays node_modules/ in its own layout and skips
 * Bun's postinstall, which breaks the Bun binary). Manual mode never installs by itself, so the
 * tasks call this first. It does nothing when the dependencies are present.
 *
 * What it installs:
 * - by default (`deno task grade`): every devDependency except the runtimes themselves (`deno`,
 *   `bun`). Deno is already running, and grading under Deno needs no Bun: about 50 MB instead of
 *   about 350 MB (Deno would fetch its own 90 MB binary and two 100 MB Bun builds). A fresh clone
 *   gets these from a scratch folder (`.workbook/cache/`) holding package.json without the
 *   runtimes, whose node_modules/ then moves into place: `deno install` has no way to leave
 *   packages out.
 * - with `--all` (`deno task test`, `mutate`, `bench`: they compare Deno with Bun): everything
 *   package.json pins, the runtimes too.
 * Deno runs no install script (deno.json's `allowScripts` denies the three there are, so it does
 * not ask): the grader finds both binaries in their npm platform packages.
 *
 * Run: `deno run -A grader/setup/ensure_deps.ts [--all]` (the deno.json tasks do). Prints nothing
 * when there is nothing to do.
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The npm packages that are the runtimes: a Deno-only learner needs neither. */
export const RUNTIME_PACKAGES = ["deno", "bun"];

/**
 * The devDependencies to install.
 *
 * @param pkg package.json's contents.
 * @param all Whether to include the runtimes.
 * @returns Name to pinned version.
 */
export function wantedDeps(
  pkg: { devDependencies?: Record<string, string> },
  all: boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, version] of Object.entries(pkg.devDependencies ?? {})) {
    if (all || !RUNTIME_PACKAGES.includes(name)) out[name] = version;
  }
  return out;
}

/** The wanted packages that node_modules/ lacks. */
function missingIn(root: string, wanted: Record<string, string>): string[] {
  return Object.keys(wanted).filter((n) =>
    !existsSync(join(root, "node_modules", n, "package.json"))
  );
}

/** `deno install` in `cwd`, its output shown; true when it succeeded. */
function denoInstall(cwd: string): boolean {
  const r = spawnSync(process.execPath, ["install", "--no-lock"], { cwd, stdio: "inherit" });
  return r.status === 0;
}

/**
 * Installs the wanted devDependencies when some are missing.
 *
 * @param root The workbook.
 * @param all Whether the runtimes' packages are wanted too.
 * @returns False when the install failed.
 */
export function ensureDeps(root: string, all: boolean): boolean {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const wanted = wantedDeps(pkg, all);
  const missing = missingIn(root, wanted);
  if (missing.length === 0) return true;
  console.error(
    `First run: installing the workbook's dependencies with \`deno install\` (${
      all ? "Deno and Bun included" : "Deno's own share"
    }) ...`,
  );
  if (all || existsSync(join(root, "node_modules"))) {
    // Top up what is there (`deno install` keeps what it finds).
    return denoInstall(root) && missingIn(root, wanted).length === 0;
  }
  const scratch = join(root, ".workbook", "cache", `deno-install-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    writeFileSync(
      join(scratch, "package.json"),
      JSON.stringify({ name: pkg.name, private: true, type: pkg.type, devDependencies: wanted }),
    );
    writeFileSync(
      join(scratch, "deno.json"),
      JSON.stringify({ nodeModulesDir: "manual", lock: false }),
    );
    if (!denoInstall(scratch)) return false;
    renameSync(join(scratch, "node_modules"), join(root, "node_modules"));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return missingIn(root, wanted).length === 0;
}

if (import.meta.main) {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  if (!ensureDeps(root, process.argv.includes("--all"))) {
    console.error(
      "Could not install the dependencies from the npm registry. Check your network, or " +
        "install them with `npm ci` or `bun install`.",
    );
    process.exit(1);
  }
}
