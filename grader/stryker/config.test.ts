/**
 * Tests of `npm run mutate` that need no Stryker run: arguments, the test command and the Stryker configuration.
 *
 * Run: `bun test grader/stryker` or `deno test -A grader/stryker`.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseArgs, UsageError } from "./args.ts";
import { shellQuote, strykerConfig, testCommand } from "./config.ts";

describe("parseArgs()", () => {
  it("parseArgs() reads ids and options, with defaults", () => {
    const a = parseArgs(["08", "11"]);
    assert.deepEqual([a.ids, a.all, a.runtime, a.concurrency, a.timeoutMs], [
      ["08", "11"],
      false,
      "bun",
      2,
      undefined,
    ]);
    const b = parseArgs([
      "--all",
      "--runtime=deno",
      "--concurrency",
      "1",
      "--timeout-ms",
      "9000",
    ]);
    assert.deepEqual([b.all, b.runtime, b.concurrency, b.timeoutMs], [
      true,
      "deno",
      1,
      9000,
    ]);
  });

  it("parseArgs() rejects what it cannot run", () => {
    for (
      const argv of [
        [],
        ["08", "--all"],
        ["--runtime", "node", "08"],
        ["--concurrency", "0", "08"],
        ["--concurrency", "1.5", "08"],
        ["--bogus", "08"],
        ["08", "--timeout-ms"],
      ]
    ) {
      assert.throws(
        () => parseArgs(argv),
        UsageError,
        `parseArgs(${JSON.stringify(argv)}) should be a usage error`,
      );
    }
    assert.equal(parseArgs(["--help"]).help, true);
  });
});

describe("testCommand() and strykerConfig()", () => {
  it("testCommand() runs the visible then hidden files by explicit ./ paths, failing fast", () => {
    assert.equal(
      testCommand("bun", "/opt/bun", "exercises/08_lock", [
        "lock.test.ts",
        "lock.hidden.ts",
      ]),
      "/opt/bun test --bail ./exercises/08_lock/lock.test.ts ./exercises/08_lock/lock.hidden.ts",
    );
    const deno = testCommand("deno", "/opt/my deno", "exercises/08_lock", [
      "lock.test.ts",
    ]);
    assert.match(
      deno,
      /^'\/opt\/my deno' test --no-check .*--allow-all --fail-fast \.\/exercises\/08_lock\/lock\.test\.ts$/,
    );
  });

  it("shellQuote() leaves safe words alone and single-quotes the rest", () => {
    assert.equal(shellQuote("./a_b-c.ts"), "./a_b-c.ts");
    assert.equal(shellQuote("it's here"), "'it'\\''s here'");
  });

  it("strykerConfig() uses the command runner on the stub files, JSON report, no threshold break", () => {
    const c = strykerConfig({
      mutate: ["exercises/08_lock/lock.ts"],
      command: "bun test ./x.test.ts",
      reportFile: "/tmp/ws/report.json",
      concurrency: 2,
      timeoutMs: 5000,
      tty: false,
    });
    assert.equal(c.testRunner, "command");
    assert.deepEqual(c.commandRunner, { command: "bun test ./x.test.ts" });
    assert.deepEqual(c.mutate, ["exercises/08_lock/lock.ts"]);
    assert.equal(c.coverageAnalysis, "off");
    assert.equal(c.concurrency, 2);
    assert.equal(c.timeoutMS, 5000);
    assert.deepEqual(c.reporters, ["json", "progress-append-only"]);
    assert.deepEqual(c.jsonReporter, { fileName: "/tmp/ws/report.json" });
    assert.equal((c.thresholds as { break: unknown }).break, null);
    const base = {
      mutate: ["a.ts"],
      command: "x",
      reportFile: "r",
      concurrency: 2,
      timeoutMs: 1,
      tty: true,
    };
    assert.throws(() => strykerConfig({ ...base, mutate: [] }), RangeError);
    assert.throws(() => strykerConfig({ ...base, concurrency: 0 }), RangeError);
    assert.throws(
      () => strykerConfig({ ...base, timeoutMs: Number.NaN }),
      RangeError,
    );
  });
});
