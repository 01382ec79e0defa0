import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cached, codeKey, hashKey, readCached, writeCached } from "./disk_cache.ts";

function withRoot(body: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), "disk-cache-"));
  try {
    body(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe("hashKey", () => {
  it("hashKey tells apart lists whose joined text is the same", () => {
    assert.notEqual(hashKey("ab", "c"), hashKey("a", "bc"));
    assert.equal(hashKey("a", "bc"), hashKey("a", "bc"));
    assert.match(hashKey(), /^[0-9a-f]{64}$/);
  });
});

describe("codeKey", () => {
  it("codeKey changes when a module's source changes", () => {
    withRoot((root) => {
      const f = join(root, "m.ts");
      writeFileSync(f, "export const a = 1;\n");
      const before = codeKey(new URL(`file://${f}`).href);
      writeFileSync(f, "export const a = 2;\n");
      assert.notEqual(codeKey(new URL(`file://${f}`).href), before);
    });
  });
});

describe("readCached and writeCached", () => {
  it("readCached returns what writeCached stored, under .workbook/cache/<kind>", () => {
    withRoot((root) => {
      writeCached(root, "tests", "k1", { names: ["a", "b"] });
      assert.deepEqual(readCached(root, "tests", "k1"), { names: ["a", "b"] });
      assert.deepEqual(readdirSync(join(root, ".workbook", "cache", "tests")), ["k1.json"]);
    });
  });

  it("readCached returns undefined for a missing, damaged or null entry", () => {
    withRoot((root) => {
      assert.equal(readCached(root, "tests", "none"), undefined);
      writeCached(root, "tests", "bad", 1);
      writeFileSync(join(root, ".workbook", "cache", "tests", "bad.json"), "{ truncated");
      assert.equal(readCached(root, "tests", "bad"), undefined);
      writeCached(root, "tests", "null", null);
      assert.equal(readCached(root, "tests", "null"), undefined);
    });
  });

  it("writeCached into a workbook that cannot be written keeps nothing and throws nothing", () => {
    withRoot((root) => {
      if (process.getuid?.() === 0) {
        // root writes through permissions: a file where the cache folder should be blocks it.
        writeFileSync(join(root, ".workbook"), "not a folder");
      } else {
        chmodSync(root, 0o555);
      }
      assert.doesNotThrow(() => writeCached(root, "tests", "k", { a: 1 }));
      assert.equal(readCached(root, "tests", "k"), undefined);
      chmodSync(root, 0o755);
    });
  });
});

describe("cached", () => {
  it("cached computes once, then answers from memory, then from the disk in a new process", () => {
    withRoot((root) => {
      let calls = 0;
      const compute = () => {
        calls++;
        return [1, 2, 3];
      };
      const memory = new Map<string, number[]>();
      assert.deepEqual(cached(memory, root, "k", "key", compute), [1, 2, 3]);
      assert.deepEqual(cached(memory, root, "k", "key", compute), [1, 2, 3]);
      assert.equal(calls, 1, "the second call is answered from memory");
      const fresh = new Map<string, number[]>();
      assert.deepEqual(cached(fresh, root, "k", "key", compute), [1, 2, 3]);
      assert.equal(calls, 1, "a new memory reads the disk entry");
      assert.deepEqual(cached(fresh, root, "k", "other", compute), [1, 2, 3]);
      assert.equal(calls, 2, "another key computes again");
    });
  });
});
