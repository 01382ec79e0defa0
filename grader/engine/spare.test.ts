import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { discoverExercises } from "./discover.ts";
import type { GradeOptions } from "./grade_options.ts";
import { buildUnits } from "./plan.ts";
import { currentRuntime } from "./runtimes.ts";
import { Spare } from "./spare.ts";
import { TOOL_ROOT } from "./tool_root.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";

const runtime = currentRuntime() ?? "bun";
const other = runtime === "bun" ? "deno" : "bun";
const SLOW = { timeout: 60_000 };

/** Resolves once `f()` holds, polling every 20 ms (at most `ms`). */
async function until(f: () => boolean, ms = 20_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!f() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return f();
}

describe("Spare", () => {
  let wb: FixtureDir;
  let options: (dir: string) => GradeOptions;
  before(() => {
    wb = makeWorkbook();
    symlinkSync(join(TOOL_ROOT, "node_modules"), join(wb.path, "node_modules"));
    options = (dir) => ({
      toolRoot: wb.path,
      pristineRoot: wb.path,
      submissionRoot: wb.path,
      exercises: discoverExercises(wb.path).filter((e) => e.dir === dir),
      mode: "submission",
      runtimes: [runtime],
      typeCheck: false,
    });
  });
  after(() => wb.cleanup());
  const units = (o: GradeOptions) => buildUnits(o).units;

  it("Spare refuses anything but one exercise of a workbook graded in place, with no seed", () => {
    const o = options("02_greet");
    const two = { ...o, exercises: discoverExercises(wb.path).slice(0, 2) };
    assert.throws(() => new Spare(two, runtime), RangeError);
    assert.throws(() => new Spare({ ...o, mode: "solutions" }, runtime), RangeError);
    assert.throws(() => new Spare({ ...o, seed: 3 }, runtime), RangeError);
    const elsewhere = { ...o, submissionRoot: join(wb.path, "exercises") };
    assert.throws(() => new Spare(elsewhere, runtime), RangeError, "someone else's submission");
  });

  it("Spare.claim() takes only the same exercise and runtime, once", SLOW, async () => {
    const spare = new Spare(options("02_greet"), runtime);
    try {
      assert.equal(spare.claim(runtime, units(options("03_clock"))), false, "another exercise");
      assert.equal(spare.claim(other, units(options("02_greet"))), false, "another runtime");
      assert.equal(spare.claim(runtime, units(options("02_greet"))), true);
      assert.equal(spare.claim(runtime, units(options("02_greet"))), false, "a second time");
    } finally {
      // Claimed, it is the grade's to end: a grade stopped at once.
      await spare.run(units(options("02_greet"))[0]!, AbortSignal.abort());
      spare.ws.cleanup();
    }
  });

  it(
    "Spare.claim() refuses once the exercise's test or given files changed after it started",
    SLOW,
    () => {
      const test = join(wb.path, "exercises", "02_greet", "greet.test.ts");
      const given = join(wb.path, "exercises", "02_greet", "given_names.ts");
      const text = readFileSync(test, "utf8");
      const changed = new Spare(options("02_greet"), runtime);
      const added = new Spare(options("02_greet"), runtime);
      try {
        writeFileSync(test, `${text}\n// changed\n`);
        assert.equal(changed.claim(runtime, units(options("02_greet"))), false, "a test changed");
        writeFileSync(test, text);
        writeFileSync(given, "export const names = [];\n");
        assert.equal(added.claim(runtime, units(options("02_greet"))), false, "a given file added");
      } finally {
        writeFileSync(test, text);
        rmSync(given, { force: true });
        changed.dispose();
        added.dispose();
      }
    },
  );

  it(
    "Spare.run() grades the stubs as they are when it is told to, not when it started",
    SLOW,
    async () => {
      const stub = join(wb.path, "exercises", "02_greet", "greet.ts");
      const pristine = readFileSync(stub, "utf8");
      const spare = new Spare(options("02_greet"), runtime);
      try {
        writeFileSync(
          stub,
          readFileSync(join(wb.path, "solutions", "02_greet", "greet.ts"), "utf8"),
        );
        const us = units(options("02_greet"));
        assert.ok(spare.claim(runtime, us));
        const r = await spare.run(us[0]!);
        assert.ok(r.finished, r.text);
        const verdicts = [...r.verdicts.values()].flatMap((m) => [...m.values()]);
        assert.ok(verdicts.length > 0);
        assert.ok(verdicts.every((v) => v.status === "pass"), JSON.stringify(verdicts));
      } finally {
        writeFileSync(stub, pristine);
        spare.ws.cleanup();
      }
    },
  );

  it("Spare.dispose() ends its process and removes its workspace", SLOW, async () => {
    const spare = new Spare(options("02_greet"), runtime);
    assert.ok(existsSync(spare.dir));
    assert.equal(await spare.ready, true, "it said hello and waits");
    assert.equal(spare.ended, false);
    spare.dispose();
    assert.ok(await until(() => spare.ended), "the process ended");
    assert.ok(await until(() => !existsSync(spare.dir)), "the workspace is gone");
    assert.equal(spare.claim(runtime, units(options("02_greet"))), false, "nothing left to claim");
  });
});
