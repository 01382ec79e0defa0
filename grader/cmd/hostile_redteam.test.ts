/**
 * Red-team cases.
 *
 * @module
 */

import { describe, it } from "node:test";
import { spawnSync } from "node:child_process";
import { assertScores, describeTests, gradeCase, RT } from "./hostile_kit.test.ts";

const SLOW = { timeout: 60_000 };

async function onOneCpu<T>(f: () => Promise<T>): Promise<T> {
  const pid = String(process.pid);
  const mask = /([0-9a-f]+)\s*$/.exec(
    spawnSync("taskset", ["-p", pid], { encoding: "utf8" }).stdout,
  )![1]!;
  spawnSync("taskset", ["-a", "-p", "1", pid]);
  try {
    return await f();
  } finally {
    spawnSync("taskset", ["-a", "-p", mask, pid]);
  }
}

describe(`red team (${RT})`, () => {
  it("guard", SLOW, async () => {
    const r = await onOneCpu(() => gradeCase("rt_guard_seen"));
    console.log(describeTests(r, "03_clock"), r.report.warnings);
    assertScores(r, 0, 0);
  });
});
