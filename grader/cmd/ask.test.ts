import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { currentRuntime } from "../engine/runtimes.ts";

/** Runs askYesNo() in a child with `input` on its stdin; returns its answer and its stderr. */
function ask(input: string): { answer: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "grader-ask-"));
  try {
    const script = join(dir, "ask.ts");
    const mod = pathToFileURL(join(import.meta.dirname!, "ask.ts")).href;
    writeFileSync(
      script,
      `import { askYesNo } from ${JSON.stringify(mod)};\n` +
        'console.log(JSON.stringify(await askYesNo("Reset 01_add? [y/N] ")));\n',
    );
    const args = currentRuntime() === "deno" ? ["run", "-A", script] : [script];
    const r = spawnSync(process.execPath, args, { input, encoding: "utf8", timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    return { answer: r.stdout.trim(), stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("askYesNo()", () => {
  it("askYesNo() asks on stderr and takes y or yes, in any case, as yes", () => {
    for (const yes of ["y\n", "Y\n", "yes\n", " YES \n"]) {
      const r = ask(yes);
      assert.equal(r.answer, "true", JSON.stringify(yes));
      assert.match(r.stderr, /Reset 01_add\? \[y\/N\] /);
    }
  });

  it("askYesNo() takes anything else, an empty line or the end of input as no", () => {
    for (const no of ["n\n", "yep\n", "\n", ""]) {
      assert.equal(ask(no).answer, "false", JSON.stringify(no));
    }
  });
});
