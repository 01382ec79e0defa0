import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { assertEvery, exerciseOf, gradeFixture } from "../fixtures/grading.ts";
import { type GradeOptions } from "./grade.ts";
import { currentRuntime } from "./runtimes.ts";
import type { Report } from "./types.ts";

const runtime = currentRuntime() ?? "bun";
let wb: FixtureDir;

before(() => {
  wb = makeWorkbook();
});
after(() => wb.cleanup());

const gradeCase = (name: string, extra: Partial<GradeOptions> = {}): Promise<Report> =>
  gradeFixture(wb.path, name, runtime, extra);

const ex = exerciseOf;
const greetUnaffected = (r: Report) => {
  assert.equal(ex(r, "02_greet").score, 10, "the other exercise keeps its full marks");
};

describe("grade() with the clock as a debugger", () => {
  it(
    "grade() re-runs a deadlocked test with promise tracking, so its message names the stub's line",
    { timeout: 60_000 },
    async () => {
      const r = await gradeCase("deadlock_clock");
      const clock = ex(r, "03_clock");
      assertEvery(clock.tests, (t) => t.reason === "deadlock", clock.tests[0]!.message);
      for (const t of clock.tests) {
        assert.match(t.message, /waiting at exercises\/03_clock\/later\.ts:9/, t.message);
        assert.equal((t.diagnosis as { tracked: boolean }).tracked, true);
      }
      greetUnaffected(r);
    },
  );

  it("grade() with schedules fails a test that passes only in creation order, naming its seed", {
    timeout: 60_000,
  }, async () => {
    const plain = await gradeCase("order_luck");
    assert.equal(ex(plain, "03_clock").score, 10, "creation order: it passes by luck");
    const r = await gradeCase("order_luck", { schedules: 6 });
    const failed = ex(r, "03_clock").tests.filter((t) => t.status !== "pass");
    assert.ok(failed.length > 0, "some seed in 1-6 swaps the two timers");
    const seed = Number(/seed (\d+)/.exec(failed[0]!.message)?.[1]);
    assert.match(failed[0]!.message, /another order \(seed \d+; creation order passes; replay/);
    assert.match(failed[0]!.message, /not ready yet/);
    assert.ok((failed[0]!.schedule as { swaps: unknown[] }).swaps.length > 0);
    // The seed replays the failure on its own.
    const replay = await gradeCase("order_luck", { seed });
    const again = ex(replay, "03_clock").tests.find((t) => t.name === failed[0]!.name)!;
    assert.equal(again.status, "fail", again.message);
    assert.equal(ex(r, "02_greet").score, 10, "schedules never fail a correct exercise");
  });
});
