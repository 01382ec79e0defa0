import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { atLeast, currentRuntime, findBinary, MissingRuntimeError } from "./runtimes.ts";
import { TOOL_ROOT } from "./tool_root.ts";
import type { Runtime } from "./types.ts";

const own = currentRuntime();
/** The runtime this test does not run on (Deno under Node). */
const other: Runtime = own === "deno" ? "bun" : "deno";

/** Runs `body` with PATH emptied, so only the workbook's own binaries can be found. */
function withoutPath<T>(body: () => T): T {
  const saved = process.env.PATH;
  process.env.PATH = "";
  try {
    return body();
  } finally {
    process.env.PATH = saved;
  }
}

function fakeBin(root: string, name: string, script: string): void {
  mkdirSync(join(root, "node_modules", ".bin"), { recursive: true });
  const f = join(root, "node_modules", ".bin", name);
  writeFileSync(f, `#!/bin/sh\n${script}\n`);
  chmodSync(f, 0o755);
}

describe("currentRuntime()", () => {
  it("currentRuntime() names the runtime running the tests", () => {
    const expected = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : null;
    assert.equal(own, expected);
    assert.ok(own === "deno" || own === "bun", "the suites run under Deno or Bun");
  });
});

describe("findBinary()", () => {
  it("findBinary() prefers the pinned binary of node_modules to the running runtime's own", () => {
    const bin = findBinary(own ?? "deno", TOOL_ROOT);
    assert.ok(
      bin !== null && bin.startsWith(join(TOOL_ROOT, "node_modules")),
      `the pinned one, not ${bin}`,
    );
  });

  it("atLeast() compares versions numerically", () => {
    assert.equal(atLeast("2.10.0", "2.9.5"), true);
    assert.equal(atLeast("1.3.9", "1.4.0"), false);
    assert.equal(atLeast("1.4.0", "1.4.0"), true);
  });

  it("findBinary() finds the other runtime in the workbook's node_modules without PATH, and it runs", () => {
    const bin = withoutPath(() => findBinary(other, TOOL_ROOT));
    assert.ok(bin !== null, `${other} is a devDependency`);
    assert.ok(bin.startsWith(join(TOOL_ROOT, "node_modules")), bin);
    const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /\d+\.\d+/);
  });

  it("findBinary() skips a placeholder in node_modules/.bin that does not run, and says null", () => {
    const root = mkdtempSync(join(tmpdir(), "grader-runtimes-"));
    try {
      fakeBin(root, other, 'echo "postinstall script was not run" >&2; exit 1');
      assert.equal(withoutPath(() => findBinary(other, root)), null);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("findBinary() takes node_modules/.bin/<runtime> when it prints a version", () => {
    const root = mkdtempSync(join(tmpdir(), "grader-runtimes-"));
    try {
      fakeBin(root, other, `echo "${other} 9.9.9"`);
      assert.equal(
        withoutPath(() => findBinary(other, root)),
        join(root, "node_modules", ".bin", other),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("MissingRuntimeError", () => {
  it("MissingRuntimeError names the runtime and the ways out", () => {
    const e = new MissingRuntimeError("bun");
    assert.ok(e instanceof Error);
    assert.equal(e.name, "MissingRuntimeError");
    assert.match(
      e.message,
      /^Cannot grade under bun: no "bun" binary in node_modules\/\.bin or on PATH/,
    );
    assert.match(e.message, /npm ci.*install bun.*another --runtime/);
  });
});
