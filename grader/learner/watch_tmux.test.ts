/**
 * Watch mode in a real terminal: tmux runs `grade --watch 1` in a student copy of the workbook;
 * the test reads the screen with `capture-pane`, saves the solution into the stub, and presses
 * keys with `send-keys`. Skips itself when tmux is not installed. Under Deno the watch polls
 * (`--poll`), under Bun it uses file events, so both paths run in a real terminal.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { graderCommand } from "../course/self_command.ts";
import { exportStudent } from "../course/export_student.ts";
import { discoverExercises } from "../engine/discover.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { currentRuntime } from "../engine/runtimes.ts";

const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
const session = `workbook-watch-${process.pid}`;
const tmux = (...args: string[]) => spawnSync("tmux", args, { encoding: "utf8" });
const screen = () => tmux("capture-pane", "-p", "-t", session).stdout ?? "";
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function waitFor(re: RegExp, what: string, ms = 30_000): Promise<string> {
  const end = Date.now() + ms;
  let last = "";
  while (Date.now() < end) {
    last = screen();
    if (re.test(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the watch screen never showed ${what} (${re}); last screen:\n${last}`);
}

describe("grade --watch in a real terminal (tmux)", {
  skip: hasTmux ? false : "tmux is not installed",
}, () => {
  let root = "";
  before(() => {
    root = join(mkdtempSync(join(tmpdir(), "workbook-tmux-")), "copy");
    exportStudent(TOOL_ROOT, root);
    symlinkSync(join(TOOL_ROOT, "node_modules"), join(root, "node_modules"), "dir");
  });
  after(() => {
    tmux("kill-session", "-t", session);
    rmSync(join(root, ".."), { recursive: true, force: true });
  });

  it(
    "grade --watch shows the failure, moves on when the exercise passes, and answers h, r, l and q",
    { timeout: 90_000 },
    async () => {
      const [first, second] = discoverExercises(root);
      const [cmd, pre] = graderCommand(TOOL_ROOT);
      const poll = currentRuntime() === "deno" ? ["--poll"] : [];
      const line = [
        cmd,
        ...pre.map((a) => a === join(TOOL_ROOT, "grader", "main.ts") ? "grader/main.ts" : a),
        "--watch",
        "1",
        ...poll,
      ]
        .map(sh).join(" ");
      const started = tmux(
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "120",
        "-y",
        "40",
        `cd ${sh(root)} && NO_COLOR=1 ${line}; sleep 60`,
      );
      assert.equal(started.status, 0, started.stderr);

      let s = await waitFor(/First failing test:[\s\S]*not implemented/, "the first failing test");
      assert.match(s, new RegExp(`Exercise ${first!.dir}`));
      assert.match(s, /Progress \[[>-]+\] {2}0\/\d+ done/);
      assert.match(s, /keys: n next {2}h hint {2}l list {2}c check all {2}r reset {2}q quit/);
      assert.match(s, poll.length ? /watching with polling/ : /watching with file events/);

      for (const stub of first!.meta.stubs) {
        copyFileSync(
          join(TOOL_ROOT, "solutions", first!.dir, stub),
          join(root, "exercises", first!.dir, stub),
        );
      }
      s = await waitFor(
        new RegExp(`${first!.dir} is done: moved on to ${second!.dir}`),
        "the move to the next exercise",
      );
      assert.match(s, /Progress \[#+>?-*\] {2}1\/\d+ done/);

      tmux("send-keys", "-t", session, "h");
      await waitFor(/hint level 1 of \d/, "the first hint");

      tmux("send-keys", "-t", session, "r");
      await waitFor(/already pristine: nothing to reset/, "the reset answer");

      tmux("send-keys", "-t", session, "l");
      s = await waitFor(/Exercises \(press l again to close/, "the list");
      assert.match(s, new RegExp(`${first!.dir}\\s+done 10/10`));
      tmux("send-keys", "-t", session, "x");

      tmux("send-keys", "-t", session, "q");
      await waitFor(/Bye\. Your progress is saved/, "the goodbye");
    },
  );
});
