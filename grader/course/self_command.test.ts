import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { currentRuntime } from "../engine/runtimes.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { graderCommand } from "./self_command.ts";

describe("graderCommand()", () => {
  it("graderCommand() runs grader/main.ts on the runtime running the grader", () => {
    const main = join(TOOL_ROOT, "grader", "main.ts");
    const expected: [string, string[]] = currentRuntime() === "deno"
      ? [process.execPath, ["run", "--allow-all", main]]
      : [process.execPath, [main]];
    assert.deepEqual(graderCommand(TOOL_ROOT), expected);
  });

  it(
    "graderCommand() gives a command line that starts the grader's CLI",
    { timeout: 60_000 },
    () => {
      const [cmd, pre] = graderCommand(TOOL_ROOT);
      const r = spawnSync(cmd, [...pre, "--help"], { cwd: TOOL_ROOT, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^grade \[ID \.\.\.\] \[options\]\n/);
      assert.match(r.stdout, /\ngrade list\n/);
    },
  );
});
