import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyFiles, ensureEmptyDir, listFiles } from "./copy.ts";

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "grader-copy-"));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const put = (root: string, rel: string, text = rel) => {
  mkdirSync(join(root, rel, ".."), { recursive: true });
  writeFileSync(join(root, rel), text);
};

describe("ensureEmptyDir()", () => {
  it("ensureEmptyDir() creates a missing folder and accepts an empty one", () => {
    withDir((dir) => {
      const target = join(dir, "a", "b");
      ensureEmptyDir(target, "a student copy");
      assert.ok(existsSync(target));
      ensureEmptyDir(target, "a student copy");
    });
  });

  it("ensureEmptyDir() refuses a folder with something in it, naming it and what was to be written", () => {
    withDir((dir) => {
      put(dir, ".hidden");
      assert.throws(
        () => ensureEmptyDir(dir, "a student copy"),
        (e) =>
          e instanceof Error &&
          e.message ===
            `Cannot write a student copy into "${dir}": the folder is not empty (choose a new folder or empty it first)`,
      );
    });
  });
});

describe("listFiles()", () => {
  it("listFiles() lists the files a filter keeps, sorted, as / paths", () => {
    withDir((dir) => {
      for (const f of ["b.ts", "a/z.ts", "a/b/c.ts", "skip/x.ts", "a/drop.md"]) put(dir, f);
      const seen: string[] = [];
      const files = listFiles(dir, (rel) => {
        seen.push(rel);
        return rel !== "skip/" && !rel.endsWith(".md");
      });
      assert.deepEqual(files, ["a/b/c.ts", "a/z.ts", "b.ts"]);
      assert.ok(
        seen.includes("a/") && seen.includes("a/b/") && seen.includes("skip/"),
        "folders end with /",
      );
      assert.ok(!seen.includes("skip/x.ts"), "a refused folder is not walked");
    });
  });

  it("listFiles() never walks node_modules or .git, nor follows symbolic links", () => {
    withDir((dir) => {
      put(dir, "node_modules/p/index.js");
      put(dir, ".git/HEAD");
      put(dir, "sub/node_modules/q.js");
      put(dir, "real/f.ts");
      symlinkSync(join(dir, "real"), join(dir, "linked"));
      symlinkSync(join(dir, "real", "f.ts"), join(dir, "file_link.ts"));
      assert.deepEqual(listFiles(dir, () => true), ["real/f.ts"]);
    });
  });
});

describe("copyFiles()", () => {
  it("copyFiles() copies each relative path, creating its folders", () => {
    withDir((dir) => {
      const from = join(dir, "from");
      const to = join(dir, "to");
      put(from, "a/b/c.ts", "C");
      put(from, "d.ts", "D");
      put(from, "not_copied.ts", "N");
      copyFiles(from, to, ["a/b/c.ts", "d.ts"]);
      assert.equal(readFileSync(join(to, "a/b/c.ts"), "utf8"), "C");
      assert.equal(readFileSync(join(to, "d.ts"), "utf8"), "D");
      assert.deepEqual(listFiles(to, () => true), ["a/b/c.ts", "d.ts"]);
    });
  });
});
