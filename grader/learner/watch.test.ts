import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { currentRuntime } from "../engine/runtimes.ts";
import { makeWorkbook } from "../fixtures/fixtures.ts";
import { watchMode } from "./watch.ts";

const runtime = currentRuntime() ?? "bun";

describe("watchMode()", () => {
  it("watchMode() refuses a workbook without exercises", async () => {
    const root = mkdtempSync(join(tmpdir(), "grader-watch-"));
    try {
      await assert.rejects(
        watchMode({ root, poll: true, runtime, color: false, write: () => {} }),
        (e) => e instanceof RangeError && e.message === `No exercises in ${root}/exercises`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("watchMode() refuses an unknown start exercise before drawing anything", async () => {
    const wb = makeWorkbook();
    let drawn = "";
    try {
      await assert.rejects(
        watchMode({
          root: wb.path,
          start: "9",
          poll: true,
          runtime,
          color: false,
          write: (t) => (drawn += t),
        }),
        (e) => e instanceof RangeError && /Unknown exercise "9": valid: 01_add/.test(e.message),
      );
      assert.equal(drawn, "");
    } finally {
      wb.cleanup();
    }
  });
});
