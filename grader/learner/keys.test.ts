import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { currentRuntime } from "../engine/runtimes.ts";

/** Runs readKeys() in a child whose stdin is a pipe, and returns what it printed. */
function readKeysFrom(input: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "grader-keys-"));
  try {
    const script = join(dir, "read.ts");
    const keys = pathToFileURL(join(import.meta.dirname!, "keys.ts")).href;
    writeFileSync(
      script,
      `import { readKeys } from ${JSON.stringify(keys)};\n` +
        "const r = readKeys((k) => console.log(JSON.stringify(k)), () => console.log('END'));\n" +
        "console.log(r.mode);\n",
    );
    const args = currentRuntime() === "deno" ? ["run", "-A", script] : [script];
    const r = spawnSync(process.execPath, args, { input, encoding: "utf8", timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("readKeys()", () => {
  it("readKeys() reads lines when stdin is not a terminal: first letter, lowercased; Enter alone is a newline", () => {
    assert.deepEqual(readKeysFrom("H\n\nxyz\n  Q  \n"), [
      "line",
      '"h"',
      '"\\n"',
      '"x"',
      '"q"',
      "END",
    ]);
  });

  it("readKeys() calls onEnd when stdin ends without a key", () => {
    assert.deepEqual(readKeysFrom(""), ["line", "END"]);
  });
});
