/**
 * First-run bootstrap for `deno task ...` on a machine with only Deno: installs package.json's
 * dependencies into node_modules/ with `deno install` when they are missing, then exits.
 *
 * Why: deno.json sets `"nodeModulesDir": "manual"` so that Deno uses the node_modules/ that npm or
 * Bun installed as it is (in "auto" mode Deno re-lays node_modules/ in its own layout and skips
 * Bun's postinstall, which breaks the Bun binary). Manual mode never installs by itself, so the
 * tasks call this first. It does nothing when the dependencies are present.
 *
 * Run: `deno run -A grader/setup/ensure_deps.ts` (the deno.json tasks do). Prints nothing when there is
 * nothing to do.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const marker = `${root}node_modules/@sinonjs/fake-timers/package.json`;

if (!existsSync(marker)) {
  console.error("First run: installing the workbook's dependencies with `deno install` ...");
  const result = spawnSync(process.execPath, ["install"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0 || !existsSync(marker)) {
    console.error(
      "Could not install the dependencies (@sinonjs/fake-timers and the runtimes) from the npm " +
        "registry. Check your network, or install them with `npm ci` or `bun install`.",
    );
    process.exit(1);
  }
}
