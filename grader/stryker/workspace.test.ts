/**
 * Tests of the temporary workspace `npm run mutate` hands to Stryker, on a tiny workbook made in
 * a temporary folder. Run: `bun test grader/stryker` or `deno test -A grader/stryker`.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeWorkspace, removeWorkspace } from "./workspace.ts";

/** Writes a file, creating its folders. */
function put(file: string, text: string): void {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, text);
}

/** A workbook with one exercise (two stubs, one of them without a solution when `partial`). */
function workbook(partial = false): string {
  const wb = mkdtempSync(join(tmpdir(), "mutate-wb-"));
  put(join(wb, "lib", "mod.ts"), "export const lib = 1;\n");
  put(join(wb, "package.json"), "{}\n");
  put(join(wb, "deno.json"), "{}\n");
  put(join(wb, "node_modules", "pkg", "index.js"), "module.exports = 1;\n");
  put(join(wb, "exercises", "08_lock", "lock.ts"), "// stub\n");
  put(join(wb, "exercises", "08_lock", "host.ts"), "// stub host\n");
  put(join(wb, "exercises", "08_lock", "lock.test.ts"), "// test\n");
  put(join(wb, "exercises", "08_lock", "lock.hidden.ts"), "// hidden\n");
  put(join(wb, "solutions", "08_lock", "lock.ts"), "// solution\n");
  if (!partial) {
    put(join(wb, "solutions", "08_lock", "host.ts"), "// solution host\n");
  }
  return wb;
}

describe("makeWorkspace()", () => {
  it("makeWorkspace() copies lib, configs and the exercise with the solution in place of each stub", () => {
    const wb = workbook();
    const base = mkdtempSync(join(tmpdir(), "mutate-base-"));
    try {
      const ws = makeWorkspace(wb, {
        dir: "08_lock",
        stubs: ["lock.ts", "host.ts"],
      }, base);
      assert.equal(ws.exerciseDir, "exercises/08_lock");
      assert.deepEqual(ws.mutate, [
        "exercises/08_lock/lock.ts",
        "exercises/08_lock/host.ts",
      ]);
      const read = (p: string) => readFileSync(join(ws.root, p), "utf8");
      assert.equal(read("exercises/08_lock/lock.ts"), "// solution\n");
      assert.equal(read("exercises/08_lock/host.ts"), "// solution host\n");
      assert.equal(read("exercises/08_lock/lock.hidden.ts"), "// hidden\n");
      assert.equal(read("lib/mod.ts"), "export const lib = 1;\n");
      assert.equal(read("deno.json"), "{}\n");
      assert.ok(
        lstatSync(join(ws.root, "node_modules")).isSymbolicLink(),
        "node_modules is a link, not a copy",
      );
      assert.equal(read("node_modules/pkg/index.js"), "module.exports = 1;\n");
      assert.equal(
        readFileSync(join(wb, "exercises", "08_lock", "lock.ts"), "utf8"),
        "// stub\n",
        "the workbook's stub is untouched",
      );
      removeWorkspace(ws.root);
      assert.equal(existsSync(ws.root), false);
      assert.ok(
        existsSync(join(wb, "node_modules", "pkg", "index.js")),
        "removing the link keeps its target",
      );
    } finally {
      rmSync(wb, { recursive: true, force: true });
      rmSync(base, { recursive: true, force: true });
    }
  });

  it("makeWorkspace() names a stub with no solution and leaves no folder behind", () => {
    const wb = workbook(true);
    const base = mkdtempSync(join(tmpdir(), "mutate-base-"));
    try {
      assert.throws(
        () =>
          makeWorkspace(
            wb,
            { dir: "08_lock", stubs: ["lock.ts", "host.ts"] },
            base,
          ),
        /solutions\/08_lock\/host\.ts/,
      );
      assert.deepEqual(readdirSync(base), []);
    } finally {
      rmSync(wb, { recursive: true, force: true });
      rmSync(base, { recursive: true, force: true });
    }
  });
});
