/**
 * How the learner started the grader, so every command it prints can be pasted as it is:
 * `deno task grade hint 1`, `bun run grade hint 1`, `npm run grade -- hint 1`. Read from the
 * environment the task runners set (npm and Bun set `npm_lifecycle_event` and
 * `npm_config_user_agent`; under Deno the README's form is `deno task grade`).
 *
 * @module
 */

import { currentRuntime } from "../engine/runtimes.ts";

/** The runner that started the grader. */
export type Invocation = "deno-task" | "bun-run" | "npm-run" | "direct";

/**
 * Which runner started the grader.
 *
 * @param env The environment (default: the process's).
 * @returns The invocation.
 */
export function invocation(env: Record<string, string | undefined> = process.env): Invocation {
  const agent = env.npm_config_user_agent ?? "";
  if (env.npm_lifecycle_event && agent.startsWith("bun/")) return "bun-run";
  if (env.npm_lifecycle_event && agent.startsWith("npm/")) return "npm-run";
  // Under Deno the grader is started by `deno task grade` (the README's only Deno form).
  if (currentRuntime() === "deno") return "deno-task";
  return "direct";
}

/**
 * A grader command as the learner should type it.
 *
 * @param args The grader's arguments ("hint 1").
 * @param how How the grader was started (default: this process).
 * @returns The whole command line.
 *
 * @example
 * ```ts
 * import { command } from "./invocation.ts";
 * command("hint 1", "npm-run"); // "npm run grade -- hint 1"
 * ```
 */
export function command(args: string, how: Invocation = invocation()): string {
  switch (how) {
    case "deno-task":
      return `deno task grade ${args}`;
    case "bun-run":
      return `bun run grade ${args}`;
    case "npm-run":
      return `npm run grade -- ${args}`;
    case "direct":
      return `${currentRuntime() ?? "bun"} grader/main.ts ${args}`;
  }
}

/**
 * Settings npm has itself: npm may export them without any flag (in CI, npm_config_yes=true), so
 * their variables say nothing about what was typed.
 */
const NPM_OWN = new Set(["yes", "color", "json", "force", "global", "dry-run", "all", "long"]);

/**
 * Options npm took for itself: `npm run grade --format json` (without `--`) makes npm read
 * `--format` as its own setting (`npm_config_format`) and pass only `json` on. Each is named with
 * the spelling that works.
 *
 * @param names The grader's option names.
 * @param env The environment (default: the process's).
 * @returns One sentence per swallowed option (empty outside npm).
 */
export function swallowedByNpm(
  names: readonly string[],
  env: Record<string, string | undefined> = process.env,
): string[] {
  if (invocation(env) !== "npm-run") return [];
  return names
    .filter((n) => !NPM_OWN.has(n))
    .filter((n) => env[`npm_config_${n.replace(/-/g, "_")}`] !== undefined)
    .map((n) =>
      `npm took --${n} for itself: put it after --, as in: npm run grade -- --${n}${
        env[`npm_config_${n.replace(/-/g, "_")}`] === "true" ? "" : " VALUE"
      }`
    );
}
