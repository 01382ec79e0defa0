import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cycles, folderGraph, longFiles } from "./static.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "static-"));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(root, f, ".."), { recursive: true });
    writeFileSync(join(root, f), text);
  }
  return root;
}

describe("folderGraph() and cycles()", () => {
  it("cycles() finds a cycle between folders, ignoring tests and imports inside comments", () => {
    const root = tree({
      "grader/a/x.ts": 'import { y } from "../b/y.ts";\n',
      "grader/b/y.ts":
        '/**\n * import { x } from "../a/x.ts";\n */\nexport const y = \'import "../a/x.ts";\';\n',
      "grader/b/y.test.ts": 'import { x } from "../a/x.ts";\n',
    });
    try {
      assert.deepEqual(
        cycles(folderGraph(root, ["grader"])),
        [],
        "a comment or a test is not an import",
      );
      writeFileSync(join(root, "grader/b/z.ts"), 'export { x } from "../a/x.ts";\n');
      assert.deepEqual(cycles(folderGraph(root, ["grader"])), [["grader/a", "grader/b"]]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("folderGraph() of the workbook's own grader/ and lib/ has no cycle", () => {
    assert.deepEqual(cycles(folderGraph(TOOL_ROOT, ["grader", "lib"])), []);
  });
});

describe("longFiles()", () => {
  it("longFiles() names a file of grader/ over 300 lines", () => {
    const root = tree({ "grader/long.ts": "x\n".repeat(301), "grader/ok.ts": "x\n".repeat(300) });
    try {
      assert.deepEqual(longFiles(root), ["grader/long.ts (301 lines)"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
