import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMAND_TABLE, dispatch, helpText } from "./mod.ts";
import { COMMANDS, optionHelp } from "./options.ts";
import { capture } from "./testdata/capture.ts";

/** A workbook whose only exercise.json is invalid: any command that reads it fails. */
function brokenWorkbook(): string {
  const root = mkdtempSync(join(tmpdir(), "grader-cmd-mod-"));
  mkdirSync(join(root, "exercises", "01_bad"), { recursive: true });
  writeFileSync(join(root, "exercises", "01_bad", "exercise.json"), "{}");
  return root;
}

describe("COMMAND_TABLE and helpText()", () => {
  it("COMMAND_TABLE has one entry per subcommand, in the order of COMMANDS", () => {
    assert.deepEqual(
      COMMAND_TABLE.map((c) => c.name),
      COMMANDS.filter((c) => c !== "help"),
    );
    for (const c of COMMAND_TABLE) {
      assert.ok(c.summary.length > 0, c.name);
      assert.ok(c.name === "grade" || c.usage.startsWith(c.name), c.usage);
    }
  });

  it("helpText() lists every command with its usage, summary and options, then ids and exit codes", () => {
    const text = helpText();
    for (const c of COMMAND_TABLE) {
      assert.ok(text.includes(`grade ${c.usage}\n  ${c.summary}\n${optionHelp(c.name)}`), c.name);
    }
    assert.ok(text.startsWith("grade [ID ...] [options]\n"));
    assert.match(
      text,
      /\nIDs: a number like 7 or 07, a folder name like 09_event_start_signal, or a slug\.\n/,
    );
    assert.ok(text.endsWith("3 could not grade.\n"));
    assert.equal(helpText("help"), text);
  });

  it("helpText() of one command shows that command only", () => {
    const text = helpText("list");
    assert.ok(text.startsWith("grade list\n  list every exercise"));
    assert.ok(!text.includes("grade hint"));
    assert.ok(!text.includes("--format"));
  });
});

describe("dispatch()", () => {
  it("dispatch() prints the help for --help, help, and a command's --help, exiting 0", async () => {
    for (
      const [argv, expected] of [[["--help"], helpText()], [["help"], helpText()], [
        ["hint", "-h"],
        helpText("hint"),
      ]] as const
    ) {
      const { io, o } = capture();
      assert.equal(await dispatch([...argv], { toolRoot: "/nowhere", io }), 0);
      assert.equal(o.out, expected, argv.join(" "));
      assert.equal(o.err, "");
    }
  });

  it("dispatch() refuses a command-line mistake on stderr with exit 2", async () => {
    const { io, o } = capture();
    assert.equal(await dispatch(["list", "--format", "json"], { toolRoot: "/nowhere", io }), 2);
    assert.equal(
      o.err,
      'grade: Option --format does not apply to "list" (it is for: grade)\nRun "grade --help" for usage.\n',
    );
    assert.equal(o.out, "");
  });

  it("dispatch() reports any other failure on stderr with exit 3", async () => {
    const root = brokenWorkbook();
    try {
      const { io, o } = capture();
      assert.equal(await dispatch(["list"], { toolRoot: root, io }), 3);
      assert.match(
        o.err,
        /^grade: cannot run: Invalid .*exercise\.json: "title" must be a non-empty string\n$/,
      );
      const bare = capture();
      assert.equal(await dispatch([], { toolRoot: root, io: bare.io }), 3);
      assert.match(bare.o.err, /^grade: cannot grade: Invalid /);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
