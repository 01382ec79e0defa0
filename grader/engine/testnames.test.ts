import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { duplicateNames, extractTests } from "./testnames.ts";

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

describe("extractTests() details", () => {
  it("extractTests() reads test() like it(), and the line of a call and of its wrapped name", () => {
    const src = 'test("a", () => {});\nit(\n  "b",\n  () => {},\n);\n';
    const { tests } = extractTests(src);
    assert.deepEqual(tests.map((t) => [t.name, t.group, t.line, t.nameLine]), [
      ["a", false, 1, 1],
      ["b", false, 2, 3],
    ]);
  });

  it("extractTests() leaves out it.todo and describe.skip groups, and keeps describe.only", () => {
    const src =
      'it.todo("later");\ndescribe.skip("off", () => {});\ndescribe.only("on", () => { it("x", () => {}); });';
    assert.deepEqual(extractTests(src).tests.map((t) => t.name), ["on", "on > x"]);
  });

  it("extractTests() leaves out the tests inside a describe.skip group", () => {
    const src = 'describe.skip("off", () => { it("x", () => {}); });\nit("y", () => {});';
    assert.deepEqual(extractTests(src).tests.map((t) => t.name), ["y"]);
  });

  it("extractTests() declares nothing for a file it cannot parse", () => {
    assert.deepEqual(extractTests("}}}} it(((( "), { tests: [], nonLiteral: [] });
  });

  it("extractTests() names the callee and line of each non-literal name", () => {
    const r = extractTests('const n = "x";\ndescribe(n, () => {});\n\ntest(name(), () => {});');
    assert.deepEqual(r.nonLiteral, [{ callee: "describe", line: 2 }, { callee: "test", line: 4 }]);
  });
});

describe("duplicateNames()", () => {
  it("duplicateNames() lists each full name declared twice, once", () => {
    const { tests } = extractTests(
      'it("a", () => {}); it("a", () => {}); it("a", () => {});\n' +
        'describe("g", () => { it("b", () => {}); });\nit("b", () => {});\ndescribe("g", () => {});',
    );
    assert.deepEqual(duplicateNames(tests), ["a", "g"]);
    assert.deepEqual(duplicateNames([]), []);
  });
});
