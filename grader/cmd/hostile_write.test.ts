/**
 * Hostile submissions that try to change or outlive their grading: writing into the workbook,
 * the submission or the workspace, leaving processes behind, flooding the process table, killing
 * the grader, filling Deno's storage or the sandbox's memory-backed /tmp. Graded through the
 * command line under the runtime running the suite (hostile_kit.test.ts says what every case
 * also checks: among others, no file of the workbook or the submission changed and no process
 * carrying the case's marker outlived the grader).
 *
 * @module
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { findBinary } from "../engine/runtimes.ts";
import { assertScores, gradeCase, RT, SUITE, testOf } from "./hostile_kit.test.ts";
import { snapshot } from "./hostile_watch.test.ts";

const SLOW = { timeout: 60_000 };

/** Deno's own storage folders (localStorage, Cache API) of the user running the suite. */
function denoStorage(): string[] {
  const r = spawnSync(findBinary("deno", TOOL_ROOT)!, ["info", "--json"], { encoding: "utf8" });
  const info = JSON.parse(r.stdout) as { originStorage?: string; webCacheStorage?: string };
  return [info.originStorage, info.webCacheStorage].filter((d): d is string => !!d);
}

/** A comparable picture of folders that may not exist. */
function picture(dirs: string[]): string {
  return JSON.stringify(dirs.map((d) => [d, existsSync(d) ? [...snapshot(d)] : "absent"]));
}

describe(`hostile submissions that write, spawn or kill (${RT})`, SUITE, () => {
  it(
    "writes into the workbook, the submission and the workspace change nothing and earn nothing",
    SLOW,
    async () => {
      const r = await gradeCase("writes_outside");
      assertScores(r, 8);
    },
  );

  it(
    "no process started by the submission outlives the grader (detached child, orphaned grandchild)",
    SLOW,
    async () => {
      const r = await gradeCase("leaves_processes");
      assertScores(r, 8);
      // They did start (in the sandbox) under Bun; Deno refused them.
      const said = testOf(r, "add() > adds two numbers").output;
      assert.match(said, RT === "bun" ? /spawned \d+, \d+/ : /refused.*NotCapable/, said);
    },
  );

  it("a flood of 300 processes is cleaned up with the sandbox", {
    ...SLOW,
    skip: RT === "deno" && "Deno gives code under test no run permission",
  }, async () => {
    const r = await gradeCase("fork_flood");
    assertScores(r, 8);
    assert.match(testOf(r, "add() > adds two numbers").output, /spawned 300/);
  });

  it(
    "a submission cannot kill the grader (it sees neither the grader nor its parent)",
    SLOW,
    async () => {
      const r = await gradeCase("kills_grader");
      assertScores(r, 8);
    },
  );

  it("Deno's Cache API and localStorage keep nothing of a submission after the run", {
    ...SLOW,
    skip: RT === "bun" && "Deno only (Bun has no Cache API or persistent localStorage)",
  }, async () => {
    const dirs = denoStorage();
    const before = picture(dirs);
    const tmpBefore = new Set(readdirSync(tmpdir()));
    const r = await gradeCase("deno_storage");
    assertScores(r, 8);
    // It did store its data (in the sandbox's own DENO_DIR).
    assert.match(testOf(r, "addLater() > resolves to the sum").message, /cached 40 MB, stored/);
    assert.equal(picture(dirs), before, `something was left in ${dirs.join(", ")}`);
    const left = readdirSync(tmpdir()).filter((f) =>
      !tmpBefore.has(f) && (f.includes(r.marker) || /deno/i.test(f))
    );
    assert.deepEqual(left, [], "a Deno folder was left in the temp folder");
  });

  // The sandbox's /tmp is a 256 MiB tmpfs (bwrap --size): what a submission writes there is bounded.
  it(
    "data written to the sandbox's /tmp (memory) counts against the memory cap",
    { ...SLOW },
    async () => {
      const r = await gradeCase("tmpfs_fill", { timeoutSec: 30 });
      assertScores(r, 8);
      assert.notEqual(testOf(r, "addLater() > resolves to the sum").status, "pass");
    },
  );
});
