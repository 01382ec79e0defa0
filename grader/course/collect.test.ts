import { after, before, describe, it } from "node:test";
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
import { discoverExercises } from "../engine/discover.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { collectSubmission } from "./collect.ts";

const temp = (tag: string) => mkdtempSync(join(tmpdir(), `workbook-course-${tag}-`));

describe("collectSubmission()", () => {
  let wb: FixtureDir;
  before(() => {
    wb = makeWorkbook();
  });
  after(() => wb.cleanup());

  it("collectSubmission() takes stubs from a workbook, exercise folders or loose files, and nothing else", () => {
    const src = temp("src");
    const dst = temp("dst");
    try {
      mkdirSync(join(src, "02_greet"), { recursive: true });
      writeFileSync(join(src, "02_greet", "greet.ts"), "// mine\n");
      writeFileSync(join(src, "add.ts"), "// loose\n");
      writeFileSync(join(src, "add.test.ts"), "// an edited test is ignored\n");
      symlinkSync("/etc/passwd", join(src, "later.ts"));
      const c = collectSubmission(src, discoverExercises(wb.path), dst);
      assert.deepEqual(c.found.sort(), ["01_add/add.ts", "02_greet/greet.ts"]);
      assert.deepEqual(c.missing, ["03_clock/later.ts"]);
      assert.match(c.refused.join("\n"), /symbolic link/);
      assert.equal(readFileSync(join(dst, "exercises", "01_add", "add.ts"), "utf8"), "// loose\n");
      assert.equal(
        readFileSync(join(dst, "exercises", "03_clock", "later.ts"), "utf8"),
        readFileSync(join(wb.path, "exercises", "03_clock", "later.ts"), "utf8"),
      );
      assert.equal(existsSync(join(dst, "exercises", "01_add", "add.test.ts")), false);
    } finally {
      rmSync(src, { recursive: true, force: true });
      rmSync(dst, { recursive: true, force: true });
    }
  });
});
