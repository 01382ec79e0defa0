import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cycles, folderGraph, longFiles, MAX_LINES, relativeImports } from "./static.ts";
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

describe("relativeImports()", () => {
  it("relativeImports() reads relative import and export declarations, type-only ones included", () => {
    const src = [
      'import { a } from "./a.ts";',
      'import type { B } from "../b/b.ts";',
      'export { c } from "./c.ts";',
      'export * from "../d.ts";',
      'import "./side_effect.ts";',
      'import { parse } from "@babel/parser";',
      'import { join } from "node:path";',
    ].join("\n");
    assert.deepEqual(relativeImports(src), [
      "./a.ts",
      "../b/b.ts",
      "./c.ts",
      "../d.ts",
      "./side_effect.ts",
    ]);
  });

  it("relativeImports() never counts text in comments, strings or templates", () => {
    const src = [
      '// import { x } from "./x.ts";',
      '/* export * from "../y.ts"; */',
      'const s = "import \\"./z.ts\\"";',
      'const t = `import "./w.ts"`;',
    ].join("\n");
    assert.deepEqual(relativeImports(src), []);
  });

  it("relativeImports() reads import() with a literal", () => {
    assert.deepEqual(relativeImports('const m = await import("../a/x.ts");'), ["../a/x.ts"]);
  });
});

describe("cycles() shapes", () => {
  it("cycles() finds a three-folder cycle once, and none in a chain", () => {
    const g = (pairs: [string, string][]) => {
      const m = new Map<string, Set<string>>();
      for (const [a, b] of pairs) m.set(a, new Set([...(m.get(a) ?? []), b]));
      return m;
    };
    assert.deepEqual(cycles(g([["a", "b"], ["b", "c"], ["c", "a"], ["c", "d"]])), [[
      "a",
      "b",
      "c",
    ]]);
    assert.deepEqual(cycles(g([["a", "b"], ["b", "c"], ["a", "c"]])), []);
    assert.deepEqual(cycles(new Map()), []);
  });
});

describe("longFiles() folders", () => {
  it("longFiles() reads lib/ too, and leaves fixtures and node_modules out", () => {
    const long = "x\n".repeat(MAX_LINES + 1);
    const root = tree({
      "lib/big.ts": long,
      "grader/fixtures/big.ts": long,
      "grader/node_modules/p/big.ts": long,
      "exercises/01_x/big.ts": long,
    });
    try {
      assert.equal(MAX_LINES, 300);
      assert.deepEqual(longFiles(root), ["lib/big.ts (301 lines)"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
