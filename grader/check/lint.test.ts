import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeWorkbook } from "../fixtures/fixtures.ts";
import {
  lintDocs,
  type LintRules,
  lintWorkbook,
  mentionedPaths,
  stubImportedBeforeLib,
} from "./lint.ts";

/** The fixture workbook is small: three mutants each and no course-content rules. */
const FIXTURE_RULES: LintRules = { minMutants: 3, content: false };
import { TOOL_ROOT } from "../engine/tool_root.ts";

describe("authoring lint", () => {
  it("lintDocs() flags a project document naming a file that does not exist", () => {
    const wb = makeWorkbook();
    try {
      writeFileSync(
        join(wb.path, "README.md"),
        "Read `lib/mod.ts`, `exercises/NN_slug/README.md`, `HINTS.md`, `results.json` and `docs/missing.md`.\n",
      );
      const readme = lintDocs(wb.path).find((r) => r.exercise === "README.md")!;
      assert.deepEqual(readme.problems, [
        "README.md mentions `docs/missing.md`, which does not exist",
      ]);
    } finally {
      wb.cleanup();
    }
  });

  it("stubImportedBeforeLib() names a stub imported before lib/", () => {
    const bad =
      'import assert from "node:assert/strict";\nimport { a } from "./a.ts";\nimport { withClock } from "../../lib/mod.ts";\n';
    const good = 'import { withClock } from "../../lib/mod.ts";\nimport { a } from "./a.ts";\n';
    assert.equal(stubImportedBeforeLib(bad, ["a.ts"]), "a.ts");
    assert.equal(stubImportedBeforeLib(good, ["a.ts"]), undefined);
    assert.equal(
      stubImportedBeforeLib('import { a } from "./a.ts";\n', ["a.ts"]),
      "a.ts",
      "no lib import at all",
    );
  });

  it("lintDocs() finds every file the workbook's own documents name", () => {
    assert.deepEqual(lintDocs(TOOL_ROOT).flatMap((r) => r.problems), []);
  });

  it("lintWorkbook() finds nothing wrong in the fixture workbook", () => {
    const wb = makeWorkbook();
    try {
      assert.deepEqual(lintWorkbook(wb.path, FIXTURE_RULES).map((l) => l.problems), [[], [], []]);
    } finally {
      wb.cleanup();
    }
  });

  it("lintWorkbook() names each broken rule", () => {
    const wb = makeWorkbook();
    try {
      const ex = join(wb.path, "exercises", "02_greet");
      writeFileSync(join(ex, "HINTS.md"), "## Level 1\nonly one\n");
      writeFileSync(
        join(ex, "greet.ts"),
        "export function greet(n: string): string { return n; }\n",
      );
      rmSync(join(ex, "greet.hidden.ts"));
      appendFileSync(join(ex, "README.md"), "\nSee `missing.ts` and `Promise.all`.\n");
      appendFileSync(
        join(ex, "greet.test.ts"),
        `\nit("greet() greets by name", () => {});\nfor (const n of ["a"]) it(n, () => {});\n`,
      );
      rmSync(join(wb.path, "solutions", "02_greet", "mutants", "trims.patch"));
      writeFileSync(
        join(wb.path, "solutions", "02_greet", "mutants", "lowercase.patch"),
        "--- a/greet.ts\n+++ b/greet.ts\n@@ -1,1 +1,1 @@\n-nothing like this\n+x\n",
      );
      writeFileSync(
        join(wb.path, "solutions", "02_greet", "mutants", "old_copy.ts"),
        "export const x = 1;\n",
      );
      const p = lintWorkbook(wb.path, FIXTURE_RULES)[1]!.problems.join("\n");
      assert.match(p, /HINTS.md has no "## Level 2" section/);
      assert.match(p, /greet.ts has no "\/\/ TODO:" comment/);
      assert.match(p, /no hidden test file/);
      assert.match(p, /names `missing.ts`/);
      assert.doesNotMatch(p, /Promise.all/);
      assert.match(p, /test name "greet\(\) greets by name" is used more than once/);
      assert.match(p, /it\(\) needs a string-literal name/);
      assert.match(p, /has 2 mutant patch\(es\); at least 3 are needed/);
      assert.match(p, /lowercase.patch must start with a line "MUTANT: what is wrong"/);
      assert.match(p, /lowercase.patch no longer applies to greet.ts/);
      assert.match(p, /old_copy.ts is not a patch/);
    } finally {
      wb.cleanup();
    }
  });

  it("mentionedPaths() keeps file names and relative paths, not API names", () => {
    assert.deepEqual(
      mentionedPaths(
        "`a.ts` `../../lib/mod.ts` `Promise.all` `x()` `async/await` ```\n`b.ts`\n```",
      ),
      ["a.ts", "../../lib/mod.ts"],
    );
  });
});
