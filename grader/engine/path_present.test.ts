import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathPresent } from "./path_present.ts";

const root = mkdtempSync(join(tmpdir(), "path-present-test-"));
after(() => rmSync(root, { recursive: true, force: true }));

describe("pathPresent()", () => {
  it("pathPresent() is true for a file and for a folder", () => {
    writeFileSync(join(root, "file.ts"), "");
    mkdirSync(join(root, "dir"));
    assert.equal(pathPresent(join(root, "file.ts")), true);
    assert.equal(pathPresent(join(root, "dir")), true);
  });

  it("pathPresent() is true for a link, even one whose target is missing", () => {
    writeFileSync(join(root, "target.ts"), "");
    symlinkSync(join(root, "target.ts"), join(root, "good-link.ts"));
    symlinkSync(join(root, "missing.ts"), join(root, "dangling-link.ts"));
    assert.equal(pathPresent(join(root, "good-link.ts")), true);
    assert.equal(pathPresent(join(root, "dangling-link.ts")), true);
  });

  it('pathPresent() is false for a missing path, one under a missing folder or a file, and ""', () => {
    writeFileSync(join(root, "plain.ts"), "");
    assert.equal(pathPresent(join(root, "nothing.ts")), false);
    assert.equal(pathPresent(join(root, "no-dir", "x.ts")), false);
    assert.equal(pathPresent(join(root, "plain.ts", "x.ts")), false);
    assert.equal(pathPresent(""), false);
  });
});
