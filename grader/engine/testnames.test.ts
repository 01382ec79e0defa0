import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { extractTests } from "./testnames.ts";

describe("extractTests()", () => {
  it("extractTests() gives each test the span of its whole call", () => {
    const src =
      'describe("g", () => {\n  it("a (x)", () => { f(")"); });\n  it("b", async () => {});\n});\n';
    const { tests } = extractTests(src);
    const a = tests.find((t) => t.name === "g > a (x)")!;
    assert.equal(src.slice(a.start, a.end), 'it("a (x)", () => { f(")"); })');
    const g = tests.find((t) => t.name === "g")!;
    assert.equal(src.slice(g.start, g.end), src.trimEnd().replace(/;$/, ""));
  });

  it("extractTests() nests it() inside describe() by call parentheses", () => {
    const src = `
      import { describe, it } from "node:test";
      describe("outer", () => {
        it("a", () => {});
        describe('inner', () => { it(\`b\`, async () => { await f({ x: "}" }); }); });
      });
      it("top", () => {});`;
    assert.deepEqual(extractTests(src).tests.map((t) => [t.name, t.group]), [
      ["outer", true],
      ["outer > a", false],
      ["outer > inner", true],
      ["outer > inner > b", false],
      ["top", false],
    ]);
  });
  it("extractTests() ignores calls inside strings, templates, comments and regexes", () => {
    const src = [
      `// it("in a comment", () => {})`,
      `/* describe("block", () => {}) */`,
      `const s = "it('in a string')"; const r = /it\\("x"\\)/;`,
      'const t = `describe("tpl") ${it}`;',
      `it("real", () => { const re = /[)(]/g; });`,
    ].join("\n");
    assert.deepEqual(extractTests(src).tests.map((t) => t.name), ["real"]);
  });
  it("extractTests() reports calls whose name is not a literal", () => {
    const r = extractTests(`for (const n of xs) it(n, () => {}); it(\`a \${1}\`, () => {});`);
    assert.equal(r.nonLiteral.length, 2);
    assert.equal(r.tests.length, 0);
  });
  it("extractTests() skips it.skip and keeps it.only", () => {
    assert.deepEqual(
      extractTests(`it.skip("s", () => {}); it.only("o", () => {});`).tests.map((t) => t.name),
      ["o"],
    );
  });
});
