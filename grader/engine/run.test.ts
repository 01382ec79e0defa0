import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { discoverExercises } from "./discover.ts";
import type { GradeOptions } from "./grade_options.ts";
import { buildUnits } from "./plan.ts";
import { gradeRuntime } from "./run.ts";
import { BINARY_ENV, currentRuntime, MissingRuntimeError } from "./runtimes.ts";
import { TOOL_ROOT } from "./tool_root.ts";

const runtime = currentRuntime() ?? "bun";
const SLOW = { timeout: 60_000 };

describe("gradeRuntime()", () => {
  let wb: FixtureDir;
  let options: (over?: Partial<GradeOptions>) => GradeOptions;
  before(() => {
    wb = makeWorkbook();
    options = (over = {}) => ({
      toolRoot: TOOL_ROOT,
      pristineRoot: wb.path,
      submissionRoot: wb.path,
      exercises: discoverExercises(wb.path),
      mode: "submission",
      runtimes: [runtime],
      typeCheck: false,
      ...over,
    });
  });
  after(() => wb.cleanup());

  it("gradeRuntime() throws MissingRuntimeError when the runtime's binary does not run", async () => {
    const env = BINARY_ENV[runtime];
    const was = process.env[env];
    process.env[env] = join(wb.path, "no-such-binary");
    try {
      const o = options();
      await assert.rejects(gradeRuntime(runtime, buildUnits(o).units, o, false), (e) => {
        assert.ok(e instanceof MissingRuntimeError, String(e));
        assert.match(e.message, new RegExp(`${env}=.*no-such-binary does not run`));
        return true;
      });
    } finally {
      if (was === undefined) delete process.env[env];
      else process.env[env] = was;
    }
  });

  it(
    "gradeRuntime() stops with the signal's reason when the signal has aborted",
    SLOW,
    async () => {
      const reason = new Error("a newer save");
      const o = options({ signal: AbortSignal.abort(reason) });
      await assert.rejects(
        gradeRuntime(runtime, buildUnits(o).units, o, false),
        (e) => e === reason,
      );
    },
  );

  it(
    "gradeRuntime() reports progress once per unit and returns the units in order",
    SLOW,
    async () => {
      const seen: [number, number, string][] = [];
      const o = options({ jobs: 2, onProgress: (d, t, label) => seen.push([d, t, label]) });
      const units = buildUnits(o).units;
      const { results, typeErrors, notes } = await gradeRuntime(runtime, units, o, false);
      const keys = units.map((u) => u.key);
      assert.deepEqual(results.map((r) => r.unit.key), keys);
      assert.deepEqual(seen.map(([d, t]) => [d, t]), keys.map((_, i) => [i + 1, keys.length]));
      assert.deepEqual(
        seen.map(([, , label]) => label).sort(),
        keys.map((k) => `${runtime}: ${k}`).sort(),
      );
      // The fixture's stubs: every test fails as not started, nothing else to say.
      for (const r of results) {
        assert.equal(r.result.score, 0, r.unit.key);
        assert.ok(r.result.tests.length > 0, `${r.unit.key} has tests`);
      }
      assert.deepEqual([typeErrors.size, notes], [0, []]);
    },
  );
});
