import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FORMATS } from "../formats/mod.ts";
import { COMMANDS, OPTIONS } from "./option_table.ts";

describe("COMMANDS and OPTIONS", () => {
  it("COMMANDS lists every documented subcommand once, and help", () => {
    assert.deepEqual([...COMMANDS].sort(), [
      "batch",
      "bench",
      "check",
      "collect",
      "exercism",
      "export",
      "grade",
      "help",
      "hint",
      "list",
      "reset",
      "solution",
      "watch",
    ]);
  });

  it("OPTIONS names each option and short alias once, each for known commands, with a help line", () => {
    assert.ok(OPTIONS.length >= 20, `${OPTIONS.length} options`);
    const names = OPTIONS.map((o) => o.name);
    assert.equal(new Set(names).size, names.length, "names are unique");
    const shorts = OPTIONS.flatMap((o) => (o.short ? [o.short] : []));
    assert.equal(new Set(shorts).size, shorts.length, "short aliases are unique");
    for (const o of OPTIONS) {
      assert.match(o.name, /^[a-z][a-z-]*$/, o.name);
      assert.ok(o.help.length > 0, `${o.name} has help`);
      assert.ok(o.commands.length > 0, `${o.name} applies somewhere`);
      for (const c of o.commands) assert.ok(COMMANDS.includes(c), `${o.name}: ${c}`);
      if (o.choices || o.check) assert.ok(o.value, `${o.name}: choices and checks need a value`);
    }
  });

  it("OPTIONS gives every command --help, and --format the six formats", () => {
    const help = OPTIONS.find((o) => o.name === "help")!;
    assert.deepEqual([...help.commands].sort(), [...COMMANDS].sort());
    assert.equal(help.short, "h");
    assert.deepEqual(OPTIONS.find((o) => o.name === "format")!.choices, FORMATS);
  });

  it("OPTIONS holds the README's flags with their checks and choices", () => {
    const spec = (n: string) => {
      const o = OPTIONS.find((x) => x.name === n);
      assert.ok(o, `--${n}`);
      return o;
    };
    assert.deepEqual(spec("runtime").choices, ["deno", "bun", "both"]);
    assert.deepEqual(spec("type-errors").choices, ["report", "score"]);
    assert.deepEqual(spec("hidden-visibility").choices, [
      "hidden",
      "after_due_date",
      "after_published",
      "visible",
    ]);
    assert.equal(spec("timeout").check, "positive");
    assert.equal(spec("jobs").check, "positive-int");
    assert.equal(spec("fail-under").check, "non-negative");
    for (const flag of ["solutions", "stubs", "mutants", "alternatives", "cpython", "no-color"]) {
      assert.equal(spec(flag).value, undefined, `--${flag} is a flag`);
    }
    for (const v of ["out", "submission", "hidden-dir", "student", "gradescope"]) {
      assert.ok(spec(v).value, `--${v} takes a value`);
    }
    assert.equal(spec("yes").short, "y");
    assert.deepEqual(spec("poll").commands, ["watch"]);
  });
});
