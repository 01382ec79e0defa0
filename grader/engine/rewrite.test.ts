import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { pointTestsAtHarness } from "./rewrite.ts";

const T = "../../.harness/node_test.ts";

describe("pointTestsAtHarness()", () => {
  it("pointTestsAtHarness() rewrites a static import of node:test", () => {
    assert.equal(
      pointTestsAtHarness('import { describe, it } from "node:test";\nit("a", () => {});\n', T),
      `import { describe, it } from "${T}";\nit("a", () => {});\n`,
    );
    assert.equal(
      pointTestsAtHarness("import test from 'node:test';", T),
      `import test from "${T}";`,
    );
  });

  it("pointTestsAtHarness() rewrites re-exports", () => {
    const src = ['export { it } from "node:test";', 'export * from "node:test";'].join("\n");
    assert.equal(
      pointTestsAtHarness(src, T),
      [`export { it } from "${T}";`, `export * from "${T}";`].join("\n"),
    );
  });

  it("pointTestsAtHarness() rewrites import() of node:test with a literal", () => {
    assert.equal(
      pointTestsAtHarness('const m = await import("node:test");', T),
      `const m = await import("${T}");`,
    );
  });

  it("pointTestsAtHarness() leaves other specifiers, strings and comments alone", () => {
    const src = [
      'import assert from "node:assert/strict";',
      'import { x } from "./node:test";',
      '// import { it } from "node:test";',
      'const s = "node:test";',
      "const t = `node:test`;",
      'const name = "node:test"; await import(name);',
    ].join("\n");
    assert.equal(pointTestsAtHarness(src, T), src);
  });

  it("pointTestsAtHarness() keeps every line where it was", () => {
    const src =
      'import {\n  describe,\n  it,\n} from "node:test";\n\ndescribe("g", () => {\n  it("t", () => {});\n});\n';
    const out = pointTestsAtHarness(src, T);
    const a = src.split("\n");
    const b = out.split("\n");
    assert.equal(b.length, a.length);
    assert.deepEqual(b.filter((l, i) => l !== a[i]), [`} from "${T}";`]);
  });

  it("pointTestsAtHarness() returns a source that does not parse as it is", () => {
    const broken = 'import { it } from "node:test"\nit("a", () => {\n';
    const out = pointTestsAtHarness(broken, T);
    // Either the parser recovered and only the specifier changed, or nothing changed.
    assert.ok(out === broken || out === broken.replace('"node:test"', JSON.stringify(T)), out);
    const hopeless = "}}}} import ((( from";
    assert.equal(pointTestsAtHarness(hopeless, T), hopeless);
  });
});
