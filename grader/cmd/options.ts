/**
 * The grader's one option table and its parser. Every subcommand reads its flags from this table
 * through `node:util`'s `parseArgs` (built into Node, Deno and Bun), so a flag is spelled and
 * checked the same way everywhere, and `--help` is generated from the same table.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type CommandName, COMMANDS, OPTIONS, type OptionSpec } from "./option_table.ts";

export { type CommandName, COMMANDS, OPTIONS, type OptionSpec } from "./option_table.ts";

/** A command-line mistake; the message names the bad value and the valid choices. */
export class UsageError extends Error {
  /** @param message What is wrong. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** What the command line asked for. */
export interface ParsedCommand {
  /** The subcommand. */
  command: CommandName;
  /** Positional arguments after it. */
  args: string[];
  /** Options by long name: a string value, or true for a flag. */
  opts: Map<string, string | true>;
}

function checkValue(o: OptionSpec, v: string): void {
  if (o.choices && !o.choices.includes(v)) {
    throw new UsageError(`Invalid value for --${o.name}: "${v}" (valid: ${o.choices.join(", ")})`);
  }
  const n = Number(v);
  const bad = (want: string) =>
    new UsageError(`Invalid value for --${o.name}: "${v}" (expected ${want})`);
  if (o.check === "positive" && (v.trim() === "" || !Number.isFinite(n) || n <= 0)) {
    throw bad("a positive number");
  }
  if (o.check === "positive-int" && (!Number.isInteger(n) || n <= 0)) {
    throw bad("a positive integer");
  }
  if (o.check === "non-negative" && (v.trim() === "" || !Number.isFinite(n) || n < 0)) {
    throw bad("a number >= 0");
  }
  if (o.check === "count" && (v.trim() === "" || !Number.isSafeInteger(n) || n < 0)) {
    throw bad("a whole number >= 0");
  }
}

/** The parseArgs error codes, turned into sentences that name the option. */
function usageFrom(e: unknown, command: CommandName): UsageError {
  const err = e as { code?: string; message?: string };
  const msg = err.message ?? "";
  const name = /--[\w-]+/.exec(msg)?.[0] ?? /'(-[^' ,]+)/.exec(msg)?.[1] ?? "";
  if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const valid = OPTIONS.filter((o) => o.commands.includes(command)).map((o) => `--${o.name}`);
    return new UsageError(`Unknown option: ${name} (valid for "${command}": ${valid.join(", ")})`);
  }
  if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const spec = OPTIONS.find((o) => `--${o.name}` === name || `-${o.short}` === name);
    return new UsageError(
      spec?.value ? `Option --${spec.name} needs a value` : `Option ${name} takes no value`,
    );
  }
  return new UsageError(err.message ?? String(e));
}

/**
 * Parses a command line: the subcommand (the first argument that names one, else "grade"; the
 * `--watch` flag means "watch"), its positional arguments and its options, each checked against
 * the table (an option another command takes is refused, naming the valid ones).
 *
 * @param argv Arguments after the script.
 * @returns The parsed command.
 * @throws {UsageError} On an unknown option, a missing or invalid value.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./options.ts";
 * parseCommandLine(["hint", "7"]).command; // "hint"
 * parseCommandLine(["7", "--format", "json"]).opts.get("format"); // "json"
 * ```
 */
export function parseCommandLine(argv: string[]): ParsedCommand {
  const config = Object.fromEntries(
    OPTIONS.map((
      o,
    ) => [o.name, {
      type: o.value ? "string" as const : "boolean" as const,
      ...(o.short ? { short: o.short } : {}),
    }]),
  );
  // The subcommand is the first positional argument (an option's value is not one).
  const first = parseArgs({
    args: argv,
    options: config,
    allowPositionals: true,
    strict: false,
    tokens: true,
  }).tokens
    .find((t) => t.kind === "positional");
  const named = first?.kind === "positional" &&
    (COMMANDS as readonly string[]).includes(first.value);
  let command: CommandName = named ? (first.value as CommandName) : "grade";
  const rest = named ? argv.filter((_a, i) => i !== first.index) : [...argv];
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: config, allowPositionals: true, strict: true });
  } catch (e) {
    throw usageFrom(e, command);
  }
  const opts = new Map<string, string | true>();
  for (const [k, v] of Object.entries(parsed.values)) {
    if (v !== undefined && v !== false) opts.set(k, v as string | true);
  }
  if (opts.has("watch")) command = "watch";
  for (const [k, v] of opts) {
    const spec = OPTIONS.find((o) => o.name === k)!;
    if (!spec.commands.includes(command)) {
      const users = spec.commands.filter((c) => c !== "help").join(", ");
      throw new UsageError(`Option --${k} does not apply to "${command}" (it is for: ${users})`);
    }
    if (typeof v === "string") checkValue(spec, v);
  }
  const modes = ["solutions", "stubs", "mutants", "alternatives"].filter((m) => opts.has(m));
  if (modes.length > 1) {
    throw new UsageError(
      `Choose one of --solutions, --stubs, --mutants, --alternatives (received ${
        modes.map((m) => `--${m}`).join(" and ")
      })`,
    );
  }
  if (opts.get("runtime") === "both" && !["grade", "check"].includes(command)) {
    throw new UsageError(`Invalid value for --runtime: "both" (valid for "${command}": deno, bun)`);
  }
  return { command, args: parsed.positionals, opts };
}

/**
 * The help text of the options a command takes, one line each, generated from the table.
 *
 * @param command The command.
 * @returns Lines, aligned.
 */
export function optionHelp(command: CommandName): string {
  const rows = OPTIONS.filter((o) => o.commands.includes(command)).map((o) => {
    const left = `${o.short ? `-${o.short}, ` : ""}--${o.name}${
      o.value ? ` ${o.choices && o.choices.length <= 3 ? o.choices.join("|") : o.value}` : ""
    }`;
    const choices = o.choices && o.choices.length > 3 ? ` (${o.choices.join("|")})` : "";
    return [left, o.help + choices] as const;
  });
  const w = Math.max(0, ...rows.map(([l]) => l.length)) + 2;
  return rows.map(([l, r]) => `  ${l.padEnd(w)}${r}`).join("\n");
}
