/**
 * Command-line arguments of `npm run mutate`. Pure.
 *
 * @module
 */

import { DEFAULT_CONCURRENCY, type MutateRuntime } from "./config.ts";

/** Parsed arguments. */
export interface MutateArgs {
  /** Exercise ids as typed (`8`, `08`, `08_lock`, `lock`). */
  ids: string[];
  /** `--all`: every exercise. */
  all: boolean;
  /** `--runtime bun|deno` (default bun). */
  runtime: MutateRuntime;
  /** `--concurrency N` (default {@link DEFAULT_CONCURRENCY}). */
  concurrency: number;
  /** `--timeout-ms MS`: Stryker's timeoutMS; undefined picks the default per exercise. */
  timeoutMs: number | undefined;
  /** `--help`. */
  help: boolean;
}

/** Printed by `--help` and after a usage error. */
export const USAGE = `Usage: npm run mutate -- <ID...> | --all [options]
       deno task mutate <ID...>      bun run mutate <ID...>

Runs StrykerJS over each exercise's reference solution (solutions/NN_slug/), with the exercise's
visible and hidden tests as the test command, prints the mutation score and every survivor, and
writes solutions/NN_slug/stryker.json. Installs StrykerJS and Node 22 into grader/stryker/ on
first use.

  ID                 08, 8, 08_lock or lock; several may be given
  --all              every exercise
  --runtime R        bun (default) or deno: which runtime runs the tests
  --concurrency N    test processes at once (default ${DEFAULT_CONCURRENCY})
  --timeout-ms MS    Stryker's per-mutant timeout allowance (default 5000, 10000 for realtime)
  --help             this text`;

/** A wrong command line; the message says what and {@link USAGE} follows it. */
export class UsageError extends Error {
  /** @param message What is wrong. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Parses `npm run mutate`'s arguments.
 *
 * @param argv The arguments after the script name.
 * @returns The parsed arguments.
 * @throws {UsageError} For an unknown option, a bad value, or neither ids nor `--all`.
 *
 * @example
 * ```ts
 * parseArgs(["08", "--concurrency", "1"]).concurrency; // 1
 * ```
 */
export function parseArgs(argv: readonly string[]): MutateArgs {
  const out: MutateArgs = {
    ids: [],
    all: false,
    runtime: "bun",
    concurrency: DEFAULT_CONCURRENCY,
    timeoutMs: undefined,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") {
        throw new UsageError(`${flag} needs a value`);
      }
      return v;
    };
    const positiveInt = (v: string): number => {
      const n = Number(v);
      if (!/^\d+$/.test(v) || !Number.isInteger(n) || n < 1) {
        throw new UsageError(
          `${flag} needs a whole number >= 1, received "${v}"`,
        );
      }
      return n;
    };
    if (flag === "--all") out.all = true;
    else if (flag === "--help" || flag === "-h") out.help = true;
    else if (flag === "--runtime") {
      const v = value();
      if (v !== "bun" && v !== "deno") {
        throw new UsageError(`--runtime must be bun or deno, received "${v}"`);
      }
      out.runtime = v;
    } else if (flag === "--concurrency") out.concurrency = positiveInt(value());
    else if (flag === "--timeout-ms") out.timeoutMs = positiveInt(value());
    else if (flag.startsWith("-")) {
      throw new UsageError(`Unknown option ${flag}`);
    } else out.ids.push(arg);
  }
  if (!out.help && out.all && out.ids.length > 0) {
    throw new UsageError("Give exercise ids or --all, not both");
  }
  if (!out.help && !out.all && out.ids.length === 0) {
    throw new UsageError(
      "Which exercises? Give ids (npm run mutate -- 08) or --all",
    );
  }
  return out;
}
