import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseModule } from "./parse.ts";
import { pathPresent } from "./path_present.ts";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

describe("parseModule()", () => {
  it("parseModule() reads TypeScript with decorators, and recovers from a duplicate declaration", () => {
    assert.equal(parseModule("@d class A { x: number = 1 }")?.body.length, 1);
    assert.equal(parseModule("let a = 1; let a = 2;")?.body.length, 2);
  });
  it("parseModule() is null for text that is not a module at all", () => {
    assert.equal(parseModule("<<<<<<< HEAD\n=======\n>>>>>>>\n}}}}"), null);
  });
});

describe("pathPresent()", () => {
  it("pathPresent() sees a dangling link that existsSync would miss", () => {
    const dir = mkdtempSync(join(tmpdir(), "path-present-"));
    try {
      symlinkSync(join(dir, "nowhere"), join(dir, "link"));
      assert.equal(pathPresent(join(dir, "link")), true);
      assert.equal(pathPresent(join(dir, "nowhere")), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
