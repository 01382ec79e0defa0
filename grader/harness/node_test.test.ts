import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileModule, forFile } from "./node_test.ts";

describe("forFile()", () => {
  it("forFile() gives functions that throw before a registry is connected, and hooks that refuse", () => {
    const api = forFile("a.ts");
    assert.throws(() => api.it("x", () => {}), /outside the grader's harness/);
    assert.throws(() => api.beforeEach(), /not supported/);
    assert.equal(api.test, api.it);
    assert.equal(api.suite, api.describe);
    assert.equal(typeof api.it.skip, "function");
  });
});

describe("fileModule()", () => {
  it("fileModule() re-exports the node:test names and a default for one file", () => {
    const text = fileModule('exercises/01_x/x "q".test.ts');
    assert.match(text, /forFile\("exercises\/01_x\/x \\"q\\"\.test\.ts"\)/);
    for (const n of ["describe", "suite", "it", "test", "before", "after"]) {
      assert.match(text, new RegExp(`export const ${n} = api\\.${n};`));
    }
    assert.match(text, /export default api\.test;/);
  });
});
