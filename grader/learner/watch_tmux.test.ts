/**
 * Watch mode in a real terminal: tmux runs `grade --watch N` in a student copy of the workbook;
 * the test reads the screen with `capture-pane`, saves stubs (a syntax error, a type error, the
 * solution, an endless loop), and presses keys with `send-keys`. Skips itself when tmux is not
 * installed. Under Deno the watch polls (`--poll`), under Bun it uses file events, so both paths
 * run in a real terminal. Each session has a TMPDIR of its own, so the grader's temporary folders
 * and processes are told apart from any other grader running on the machine.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  appendFileSync,
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportStudent } from "../course/export_student.ts";
import { discoverExercises } from "../engine/discover.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { currentRuntime } from "../engine/runtimes.ts";
import type { Exercise } from "../engine/types.ts";
import { hasTmux, type Proc, Session, sleep } from "./watch_tmux_kit.test.ts";

describe("grade --watch in a real terminal (tmux)", {
  skip: hasTmux ? false : "tmux is not installed",
}, () => {
  let root = "";
  let all: Exercise[] = [];
  const sessions: Session[] = [];
  const session = (tag: string) => {
    const s = new Session(root, tag);
    sessions.push(s);
    return s;
  };
  const stub = (ex: Exercise) => join(root, "exercises", ex.dir, ex.meta.stubs[0]!);
  const pristine = (ex: Exercise) => join(TOOL_ROOT, "exercises", ex.dir, ex.meta.stubs[0]!);
  const solve = (ex: Exercise) => {
    for (const s of ex.meta.stubs) {
      copyFileSync(join(TOOL_ROOT, "solutions", ex.dir, s), join(root, "exercises", ex.dir, s));
    }
  };

  // The copy is made by the first test (a hook would run under Bun's 5 s hook limit).
  const copy = () => {
    if (root) return;
    root = join(mkdtempSync(join(tmpdir(), "workbook-tmux-")), "copy");
    exportStudent(TOOL_ROOT, root);
    symlinkSync(join(TOOL_ROOT, "node_modules"), join(root, "node_modules"), "dir");
    all = discoverExercises(root);
  };
  after(() => {
    for (const s of sessions) s.end();
    if (root) rmSync(join(root, ".."), { recursive: true, force: true });
  });

  it(
    "grade --watch shows load and type errors where they are, the right status line, moves on when the exercise passes, and answers h, r, l, n, c and q",
    { timeout: 600_000 },
    async () => {
      copy();
      const [first, second, third] = all;
      const w = session("keys");
      w.start(["1"]);

      let s = await w.waitFor(
        /First failing test:[\s\S]*not implemented/,
        "the first failing test",
      );
      assert.match(s, new RegExp(`Exercise ${first!.dir}`));
      assert.match(s, /Progress \[[>-]+\] {2}0\/\d+ done/);
      assert.match(s, /keys: n next {2}h hint {2}l list {2}c check all {2}r reset {2}q quit/);
      assert.match(
        s,
        currentRuntime() === "deno" ? /watching with polling/ : /watching with file events/,
      );
      assert.match(
        s,
        new RegExp(`\\ngraded ${first!.dir}: 0/10\\n`),
        "the status line after a grade",
      );

      // A syntax error: the place and the offending line, and the status line says graded.
      const source = readFileSync(pristine(first!), "utf8");
      const at = source.split("\n").findIndex((l) => /^export (async )?function /.test(l));
      assert.ok(at >= 0);
      const broken = source.split("\n").map((l, i) => i === at ? l.replace("(", "( {") : l);
      writeFileSync(stub(first!), broken.join("\n"));
      s = await w.waitFor(
        new RegExp(`exercises/${first!.dir}/${first!.meta.stubs[0]}:${at + 1}:\\d+: `),
        "the syntax error's place",
      );
      assert.ok(s.includes(`${at + 1} | ${broken[at]!.slice(0, 60)}`), `the offending line:\n${s}`);
      s = await w.waitFor(/\ngraded [^\n]*: 0\/10\n/, "the status line after the syntax error");
      assert.doesNotMatch(s, /saved: re-grading/);

      // A type error: shown with its place once the type check is done.
      writeFileSync(stub(first!), source);
      appendFileSync(stub(first!), '\nexport const notANumber: number = "text";\n');
      s = await w.waitFor(
        new RegExp(
          `type error exercises/${first!.dir}/${first!.meta.stubs[0]}:\\d+:\\d+ TS2322`,
        ),
        "the type error",
      );
      assert.match(s, new RegExp(`\\ngraded ${first!.dir}: 0/10\\n`));
      assert.doesNotMatch(s, /saved: re-grading/);

      // A learner reads the verdict before saving again: by then the spare process is up (a save
      // in the first 0.3 s after a verdict waits for it to start, as a cold grade would).
      await sleep(1000);
      solve(first!);
      const saved = statSync(stub(first!)).mtimeMs;
      // The move's notice stays until the next exercise's first grade replaces it: a test process
      // starved on a loaded machine may see only the screen after it, which shows the move too.
      s = await w.waitFor(
        new RegExp(
          `${first!.dir} is done: moved on to ${second!.dir}|\\ngraded ${second!.dir}: 0/10\\n`,
        ),
        "the move to the next exercise",
        60_000,
        5,
      );
      // From the save (the file's time) to the verdict on the screen: a spare process was
      // waiting (engine/spare.ts), so this is the tests' time plus the file event's.
      const verdictMs = Math.round(Date.now() - saved);
      console.log(`save to verdict on the screen: ${verdictMs} ms`);
      assert.ok(verdictMs < 5000, `the verdict took ${verdictMs} ms after the save`);
      assert.match(s, new RegExp(`Exercise ${second!.dir}`));
      assert.match(s, /Progress \[#+>?-*\] {2}1\/\d+ done/);
      s = await w.waitFor(new RegExp(`\\ngraded ${second!.dir}: 0/10\\n`), "the next grade");
      assert.match(s, new RegExp(`Exercise ${second!.dir}`));

      w.keys("h");
      await w.waitFor(/hint level 1 of \d/, "the first hint");

      w.keys("r");
      await w.waitFor(/already pristine: nothing to reset/, "the reset answer");

      // l, then n at once: the list closes and n moves on (no key is swallowed).
      w.keys("l");
      s = await w.waitFor(/Exercises \(press l again to close/, "the list");
      assert.match(s, new RegExp(`${first!.dir}\\s+done 10/10`));
      w.keys("n");
      s = await w.waitFor(new RegExp(`Exercise ${third!.dir}`), "n after l");
      // The notice says "skipped to ..." until the grade of the new exercise replaces it with
      // "graded ...": with the spare process that can happen before the screen is read.
      assert.match(s, new RegExp(`(skipped to|graded) ${third!.dir}`));
      assert.doesNotMatch(s, /Exercises \(press l again/);

      // c checks every exercise; the header stays on screen above the summary.
      w.keys("c");
      s = await w.waitFor(/Checked every exercise: [\d.]+\/\d+/, "the check-all summary", 300_000);
      const lines = s.split("\n");
      assert.match(lines[0]!, new RegExp(`^Exercise ${third!.dir}: `), `header kept:\n${s}`);
      assert.match(s, /keys: n next/);

      w.keys("q");
      await w.waitFor(/Bye\. Your progress is saved/, "the goodbye");
    },
  );

  it(
    "q during the re-grade of a stub that loops forever leaves no process and no temporary folder",
    { timeout: 300_000 },
    async () => {
      copy();
      const ex = all[3]!;
      const w = session("loop");
      w.start([ex.id]);
      await w.waitFor(new RegExp(`\\ngraded ${ex.dir}: 0/10\\n`), "the first grade");
      // The first grade's folder is gone; the one left is the spare's, waiting for the next save.
      assert.ok(await w.settles(() => w.gradeDirs().length === 1), `${w.gradeDirs()}`);

      // The student saves a stub whose module never finishes loading.
      appendFileSync(stub(ex), "\nwhile (Date.now() > 0) {/* busy */}\n");
      await w.waitFor(/grading \.\.\./, "the re-grade");
      // Wait until a test process of the session is running the loop.
      const end = Date.now() + 60_000;
      let runners: Proc[] = [];
      while (Date.now() < end) {
        runners = w.live().filter((p) => p.cwd.startsWith(w.tmp));
        if (runners.length > 0) break;
        await sleep(100);
      }
      assert.ok(runners.length > 0, "a test process runs the loop in the session's TMPDIR");
      assert.ok(w.gradeDirs().length > 0, "the grade's folder is in the session's TMPDIR");

      const pressed = Date.now();
      w.keys("q");
      await w.waitFor(/Bye\. Your progress is saved/, "the goodbye");
      let left = w.live();
      while (left.length > 0 && Date.now() - pressed < 10_000) {
        await sleep(50);
        left = w.live();
      }
      const ms = Date.now() - pressed;
      assert.deepEqual(left, [], `processes left ${ms} ms after q`);
      assert.deepEqual(w.gradeDirs(), [], "no /tmp/workbook-grade-* folder is left");
      console.log(`q to no process left: ${ms} ms`);
    },
  );

  it(
    "q during check all (c), with an exercise that loops, leaves no process and no temporary folder",
    { timeout: 300_000 },
    async () => {
      copy();
      const ex = all[3]!;
      appendFileSync(stub(ex), "\nwhile (Date.now() > 0) {/* busy */}\n");
      const w = session("check");
      w.start([all[4]!.id]);
      await w.waitFor(new RegExp(`\\ngraded ${all[4]!.dir}: 0/10\\n`), "the first grade");
      w.keys("c");
      await w.waitFor(/checking every exercise \.\.\./, "the check");
      const end = Date.now() + 60_000;
      while (Date.now() < end && !w.live().some((p) => p.cwd.startsWith(w.tmp))) await sleep(100);
      assert.ok(w.live().some((p) => p.cwd.startsWith(w.tmp)), "test processes run the check");
      const pressed = Date.now();
      w.keys("q");
      await w.waitFor(/Bye\. Your progress is saved/, "the goodbye");
      let left = w.live();
      while (left.length > 0 && Date.now() - pressed < 10_000) {
        await sleep(50);
        left = w.live();
      }
      assert.deepEqual(left, [], `processes left ${Date.now() - pressed} ms after q`);
      assert.deepEqual(w.gradeDirs(), [], "no /tmp/workbook-grade-* folder is left");
    },
  );
});
