import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseArgs, USAGE, UsageError } from "./args.ts";
import { DEFAULT_CONCURRENCY } from "./config.ts";

/** The UsageError message parseArgs(argv) throws (fails the test when it does not throw one). */
function usageMessage(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (e) {
    assert.ok(
      e instanceof UsageError,
      `parseArgs(${JSON.stringify(argv)}) threw ${e}`,
    );
    return e.message;
  }
  assert.fail(`parseArgs(${JSON.stringify(argv)}) should be a usage error`);
}

describe("parseArgs()", () => {
  it("parseArgs() fills every default for ids alone", () => {
    assert.deepEqual(parseArgs(["08"]), {
      ids: ["08"],
      all: false,
      runtime: "bun",
      concurrency: DEFAULT_CONCURRENCY,
      timeoutMs: undefined,
      help: false,
    });
  });

  it("parseArgs() keeps ids as typed and in order, one that holds '=' too", () => {
    assert.deepEqual(parseArgs(["8", "08_lock", "lock", "lock", "a=b"]).ids, [
      "8",
      "08_lock",
      "lock",
      "lock",
      "a=b",
    ]);
  });

  it("parseArgs() reads a value after '=' or as the next argument alike", () => {
    const inline = parseArgs([
      "--runtime=deno",
      "--concurrency=3",
      "--timeout-ms=7000",
      "--all",
    ]);
    const apart = parseArgs([
      "--runtime",
      "deno",
      "--concurrency",
      "3",
      "--timeout-ms",
      "7000",
      "lock",
    ]);
    assert.deepEqual([inline.runtime, inline.concurrency, inline.timeoutMs], [
      "deno",
      3,
      7000,
    ]);
    assert.deepEqual([
      apart.runtime,
      apart.concurrency,
      apart.timeoutMs,
      apart.all,
    ], [
      "deno",
      3,
      7000,
      false,
    ]);
    assert.deepEqual(apart.ids, ["lock"], "a value is not taken for an id");
  });

  it("parseArgs() lets the last of a repeated option win", () => {
    const a = parseArgs([
      "--runtime",
      "deno",
      "--runtime=bun",
      "--concurrency=4",
      "--concurrency=1",
      "1",
    ]);
    assert.deepEqual([a.runtime, a.concurrency], ["bun", 1]);
  });

  it("parseArgs() accepts whole numbers with leading zeros and refuses the rest by name", () => {
    assert.equal(parseArgs(["--concurrency", "007", "08"]).concurrency, 7);
    assert.equal(parseArgs(["--timeout-ms=1", "08"]).timeoutMs, 1);
    for (
      const v of ["0", "-1", "1.5", "1e3", " 2", "0x10", "abc", "+3", "00"]
    ) {
      assert.equal(
        usageMessage(["--concurrency", v, "08"]),
        `--concurrency needs a whole number >= 1, received "${v}"`,
      );
      assert.equal(
        usageMessage([`--timeout-ms=${v}`, "08"]),
        `--timeout-ms needs a whole number >= 1, received "${v}"`,
      );
    }
  });

  it("parseArgs() refuses an option whose value is missing or empty", () => {
    assert.equal(
      usageMessage(["08", "--concurrency"]),
      "--concurrency needs a value",
    );
    assert.equal(
      usageMessage(["08", "--timeout-ms="]),
      "--timeout-ms needs a value",
    );
    assert.equal(
      usageMessage(["08", "--runtime", ""]),
      "--runtime needs a value",
    );
  });

  it("parseArgs() takes the next argument as the value even when it looks like an option", () => {
    assert.equal(
      usageMessage(["--runtime", "--all"]),
      '--runtime must be bun or deno, received "--all"',
    );
    assert.equal(
      usageMessage(["--runtime", "node", "08"]),
      '--runtime must be bun or deno, received "node"',
    );
    assert.equal(
      usageMessage(["--runtime=Bun", "08"]),
      '--runtime must be bun or deno, received "Bun"',
    );
  });

  it("parseArgs() refuses an unknown option, named without its value", () => {
    assert.equal(usageMessage(["--bogus", "08"]), "Unknown option --bogus");
    assert.equal(usageMessage(["--bogus=1", "08"]), "Unknown option --bogus");
    assert.equal(usageMessage(["-x", "08"]), "Unknown option -x");
    assert.equal(usageMessage(["08", "-"]), "Unknown option -");
  });

  it("parseArgs() needs ids or --all, not both and not neither", () => {
    assert.equal(
      usageMessage(["08", "--all"]),
      "Give exercise ids or --all, not both",
    );
    assert.equal(
      usageMessage(["--all", "lock"]),
      "Give exercise ids or --all, not both",
    );
    assert.equal(
      usageMessage([]),
      "Which exercises? Give ids (npm run mutate -- 08) or --all",
    );
    assert.equal(
      usageMessage(["--runtime", "deno"]),
      "Which exercises? Give ids (npm run mutate -- 08) or --all",
    );
    const all = parseArgs(["--all", "--all"]);
    assert.deepEqual([all.all, all.ids], [true, []]);
  });

  it("parseArgs() with --help or -h needs neither ids nor --all, and allows both", () => {
    assert.equal(parseArgs(["--help"]).help, true);
    assert.equal(parseArgs(["-h"]).help, true);
    const both = parseArgs(["08", "--all", "-h"]);
    assert.deepEqual([both.help, both.all, both.ids], [true, true, ["08"]]);
  });

  it("parseArgs() still refuses a bad value with --help", () => {
    assert.equal(
      usageMessage(["--help", "--concurrency", "0"]),
      '--concurrency needs a whole number >= 1, received "0"',
    );
  });
});

describe("UsageError and USAGE", () => {
  it("UsageError is an Error named UsageError carrying its message", () => {
    const e = new UsageError("what is wrong");
    assert.ok(e instanceof Error);
    assert.equal(e.name, "UsageError");
    assert.equal(e.message, "what is wrong");
  });

  it("USAGE names every option parseArgs() reads and the default concurrency", () => {
    for (
      const option of [
        "--all",
        "--runtime",
        "--concurrency",
        "--timeout-ms",
        "--help",
      ]
    ) {
      assert.ok(USAGE.includes(option), option);
    }
    assert.ok(USAGE.includes(`(default ${DEFAULT_CONCURRENCY})`));
    assert.ok(
      USAGE.startsWith("Usage: npm run mutate -- <ID...> | --all [options]"),
    );
  });
});
