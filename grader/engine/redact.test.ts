import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redactHiddenSource } from "./redact.ts";
import type { Exercise } from "./types.ts";

const NOTE = "[a line of a hidden test, withheld]";
const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** An exercise in its own temp folder (the module caches by folder) holding `files`. */
function exercise(files: Record<string, string>): Exercise {
  const dir = mkdtempSync(join(tmpdir(), "redact-test-"));
  roots.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return {
    id: "01",
    dir: "01_x",
    slug: "x",
    meta: { title: "X", stubs: ["x.ts"], weights: {}, timeoutSec: 30, realTime: false },
    pristineDir: dir,
    testFiles: Object.keys(files).filter((f) => /\.(test|hidden)\.ts$/.test(f)),
    expected: [],
    cpythonFiles: [],
    cpythonExpected: [],
  };
}

const HIDDEN = [
  'import { add } from "./x.ts";',
  'it("add() of zeros", () => {',
  "  assert.equal(add(0, 0), 0, 'zero plus zero');",
  "  x = 1;",
  "});",
].join("\n");

describe("redactHiddenSource()", () => {
  it("redactHiddenSource() replaces a line of a hidden test, whatever its indentation", () => {
    const ex = exercise({ "x.hidden.ts": HIDDEN });
    const text = [
      "before",
      "assert.equal(add(0, 0), 0, 'zero plus zero');",
      '\t\t  it("add() of zeros", () => {   ',
      "after",
    ].join("\n");
    assert.equal(redactHiddenSource(ex, text), ["before", NOTE, NOTE, "after"].join("\n"));
  });

  it("redactHiddenSource() keeps lines shorter than 16 characters once trimmed (15 kept, 16 withheld)", () => {
    const ex = exercise({
      "x.hidden.ts": `${HIDDEN}\nlet ab = 123456;\nlet a = 123456;\n`,
    });
    assert.equal(
      redactHiddenSource(ex, "  x = 1;\n});\nlet a = 123456;\nlet ab = 123456;"),
      `  x = 1;\n});\nlet a = 123456;\n${NOTE}`,
    );
  });

  it("redactHiddenSource() keeps a line that only contains a hidden line, or a visible test's", () => {
    const ex = exercise({
      "x.test.ts": 'it("add() of ones", () => assert.equal(add(1, 1), 2));\n',
      "x.hidden.ts": HIDDEN,
    });
    const text = [
      'Error at: import { add } from "./x.ts"; // copied',
      'it("add() of ones", () => assert.equal(add(1, 1), 2));',
    ].join("\n");
    assert.equal(redactHiddenSource(ex, text), text);
  });

  it("redactHiddenSource() returns the text as it is when there are no hidden tests, or no text", () => {
    const ex = exercise({ "x.test.ts": HIDDEN });
    assert.equal(redactHiddenSource(ex, HIDDEN), HIDDEN);
    assert.equal(redactHiddenSource(exercise({ "x.hidden.ts": HIDDEN }), ""), "");
  });

  it("redactHiddenSource() reads every hidden file of the exercise", () => {
    const ex = exercise({
      "a.hidden.ts": "const first = 'from the first file';\n",
      "b.hidden.ts": "const second = 'from the second file';\n",
    });
    assert.equal(
      redactHiddenSource(
        ex,
        "const first = 'from the first file';\nconst second = 'from the second file';",
      ),
      `${NOTE}\n${NOTE}`,
    );
  });

  it("redactHiddenSource() keeps line ends and empty lines around what it withholds", () => {
    const ex = exercise({ "x.hidden.ts": HIDDEN });
    assert.equal(
      redactHiddenSource(ex, '\nimport { add } from "./x.ts";\n\n'),
      `\n${NOTE}\n\n`,
    );
  });
});
