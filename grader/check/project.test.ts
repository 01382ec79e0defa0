import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { unitTestFiles } from "./project.ts";

describe("unitTestFiles()", () => {
  it("unitTestFiles() lists *.test.ts of lib/ then grader/, skipping fixtures, node_modules and dot folders", () => {
    const root = mkdtempSync(join(tmpdir(), "grader-project-"));
    try {
      for (
        const f of [
          "lib/z.test.ts",
          "lib/kit/a.test.ts",
          "lib/kit/a.ts",
          "grader/b.test.ts",
          "grader/engine/c.test.ts",
          "grader/fixtures/wb/d.test.ts",
          "grader/.cache/e.test.ts",
          "grader/stryker/node_modules/f.test.ts",
          "exercises/01_x/x.test.ts",
          "grader/g.test.tsx",
        ]
      ) {
        mkdirSync(join(root, f, ".."), { recursive: true });
        writeFileSync(join(root, f), "");
      }
      assert.deepEqual(unitTestFiles(root), [
        "lib/kit/a.test.ts",
        "lib/z.test.ts",
        "grader/b.test.ts",
        "grader/engine/c.test.ts",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("unitTestFiles() of the workbook holds this file and no fixture", () => {
    const files = unitTestFiles(TOOL_ROOT);
    assert.ok(files.includes(join("grader", "check", "project.test.ts")));
    assert.ok(files.length >= 50, `${files.length} files`);
    assert.deepEqual(files.filter((f) => f.includes("fixtures") || f.startsWith("exercises")), []);
  });

  it("unitTestFiles() is empty for a folder without lib/ and grader/", () => {
    const root = mkdtempSync(join(tmpdir(), "grader-project-"));
    try {
      assert.deepEqual(unitTestFiles(root), []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
