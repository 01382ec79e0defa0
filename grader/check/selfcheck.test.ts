import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { currentRuntime } from "../engine/runtimes.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import type { MutantResult } from "../engine/types.ts";
import { makeWorkbook } from "../fixtures/fixtures.ts";
import { type LintRules, PROJECT_DOCS } from "./lint.ts";
import { promiseKills, selfCheck } from "./selfcheck.ts";

/** The fixture workbook is small: three mutants each and no course-content rules. */
const FIXTURE_RULES: LintRules = { minMutants: 3, content: false };

describe("selfCheck()", () => {
  it("selfCheck() passes the fixture workbook: solutions, stubs and every mutant", {
    timeout: 60_000,
  }, async () => {
    const wb = makeWorkbook();
    try {
      const rt = currentRuntime() ?? "bun";
      const r = await selfCheck({
        toolRoot: TOOL_ROOT,
        root: wb.path,
        runtimes: [rt],
        mutantRuntime: rt,
        rules: FIXTURE_RULES,
      });
      const bad = r.items.filter((i) => !i.ok);
      assert.deepEqual(bad, []);
      const docs = r.items.filter((i) =>
        PROJECT_DOCS.includes(i.name.slice("lint ".length))
      ).length;
      assert.equal(r.items.length - docs, 3 + 3 + 3 + 9);
      assert.equal(r.mutationScore, 1);
    } finally {
      wb.cleanup();
    }
  });

  it("selfCheck() without a mutant runtime tries every mutant on each runtime it checks", {
    timeout: 120_000,
  }, async () => {
    const wb = makeWorkbook();
    try {
      const r = await selfCheck({
        toolRoot: TOOL_ROOT,
        root: wb.path,
        runtimes: ["deno", "bun"],
        rules: FIXTURE_RULES,
        only: ["02_greet"],
      });
      const mutants = r.items.filter((i) => i.name.startsWith("mutant 02_greet/"));
      const on = (rt: string) => mutants.filter((i) => i.name.endsWith(` caught on ${rt}`));
      assert.ok(on("bun").length >= 3, mutants.map((i) => i.name).join("\n"));
      assert.equal(on("deno").length, on("bun").length, "the same mutants on Deno as on Bun");
      assert.ok(mutants.every((i) => i.ok), JSON.stringify(mutants.filter((i) => !i.ok)));
      assert.deepEqual(Object.keys(r.timings).filter((k) => k.startsWith("mutants")), [
        "mutants bun",
        "mutants deno",
      ]);
    } finally {
      wb.cleanup();
    }
  });

  it("selfCheck() reports 0 exercises and passes on an empty workbook", async () => {
    const wb = makeWorkbook();
    try {
      rmSync(join(wb.path, "exercises"), { recursive: true });
      const r = await selfCheck({ toolRoot: TOOL_ROOT, root: wb.path, rules: FIXTURE_RULES });
      assert.equal(r.exercises, 0);
      // Only the project documents' lint remains, and it passes.
      assert.deepEqual(
        r.items.filter((i) => !PROJECT_DOCS.includes(i.name.slice("lint ".length)) || !i.ok),
        [],
      );
    } finally {
      wb.cleanup();
    }
  });
});

describe("promiseKills()", () => {
  const mutant = (m: string, caughtBy: string[], exercise = "01_x"): MutantResult => ({
    exercise,
    mutant: m,
    description: "",
    caught: caughtBy.length > 0,
    caught_by: caughtBy,
  });
  function withTables(tables: Record<string, unknown[]>, body: (root: string) => void): void {
    const root = mkdtempSync(join(tmpdir(), "grader-selfcheck-"));
    try {
      for (const [dir, promises] of Object.entries(tables)) {
        mkdirSync(join(root, "solutions", dir), { recursive: true });
        writeFileSync(join(root, "solutions", dir, "promises.json"), JSON.stringify({ promises }));
      }
      body(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  it("promiseKills() passes an exercise whose every row's mutants are caught by that row's tests", () => {
    withTables({
      "01_x": [
        { id: "a", task: 1, promise: "p", tests: ["t1", "t2"], mutants: ["m1", "m2"] },
        { id: "b", task: 2, promise: "q", tests: ["t3"], mutants: ["m3"] },
      ],
    }, (root) => {
      const items = promiseKills(root, ["01_x"], [
        mutant("m1", ["t2"]),
        mutant("m2", ["t1", "other"]),
        mutant("m3", ["t3"]),
      ]);
      assert.deepEqual(items, [{
        name: "promises of 01_x: each mutant caught by its row's tests",
        ok: true,
      }]);
    });
  });

  it("promiseKills() names each mutant caught only by other tests, or by nothing", () => {
    withTables({
      "01_x": [{ id: "a", task: 1, promise: "p", tests: ["t1"], mutants: ["m1", "m2", "gone"] }],
    }, (root) => {
      const [item] = promiseKills(root, ["01_x"], [
        mutant("m1", ["t9", "t8", "t7", "t6"]),
        mutant("m2", []),
        mutant("m1", ["t1"], "02_other"),
      ]);
      assert.equal(item!.ok, false);
      assert.equal(
        item!.detail,
        '"a": mutant m1 is caught by none of the row\'s tests (it is caught by: t9; t8; t7)\n' +
          '"a": mutant m2 is caught by none of the row\'s tests (nothing catches it)',
      );
    });
  });

  it("promiseKills() gives one item per exercise that has a readable table, none for the others", () => {
    withTables({
      "01_x": [{ id: "a", task: 1, promise: "p", tests: ["t"], mutants: ["m"] }],
      "02_y": [],
    }, (root) => {
      const items = promiseKills(root, ["01_x", "02_y", "03_z"], [mutant("m", ["t"])]);
      assert.deepEqual(items.map((i) => [i.name, i.ok]), [
        ["promises of 01_x: each mutant caught by its row's tests", true],
      ]);
    });
  });
});
