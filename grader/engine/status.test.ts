import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { snapshotPath } from "./pristine.ts";
import { stubsEdited } from "./status.ts";

describe("stubsEdited()", () => {
  let wb: FixtureDir;
  beforeEach(() => {
    wb = makeWorkbook();
  });
  afterEach(() => wb.cleanup());
  const stub = (dir: string, name: string) => join(wb.path, "exercises", dir, name);
  const snapshot = (dir: string, name: string, text = readFileSync(stub(dir, name), "utf8")) => {
    mkdirSync(dirname(snapshotPath(wb.path, dir, name)), { recursive: true });
    writeFileSync(snapshotPath(wb.path, dir, name), text);
  };

  it("stubsEdited() is false when every stub equals its snapshot, true once one differs", () => {
    snapshot("01_add", "add.ts");
    assert.equal(stubsEdited(wb.path, "01_add"), false);
    writeFileSync(stub("01_add", "add.ts"), "// mine\n");
    assert.equal(stubsEdited(wb.path, "01_add"), true);
  });

  it("stubsEdited() is null when no pristine copy of a stub is known (no snapshot, no git)", () => {
    assert.equal(stubsEdited(wb.path, "02_greet"), null);
  });

  it("stubsEdited() is null without a readable exercise.json", () => {
    assert.equal(stubsEdited(wb.path, "09_missing"), null);
    writeFileSync(join(wb.path, "exercises", "01_add", "exercise.json"), "{ not json");
    assert.equal(stubsEdited(wb.path, "01_add"), null);
  });

  it("stubsEdited() weighs several stubs: one edited wins, else one unknown makes it unknown", () => {
    const json = join(wb.path, "exercises", "01_add", "exercise.json");
    writeFileSync(json, JSON.stringify({ title: "Add", stubs: ["add.ts", "extra.ts"] }));
    writeFileSync(stub("01_add", "extra.ts"), "// extra\n");
    snapshot("01_add", "add.ts");
    assert.equal(stubsEdited(wb.path, "01_add"), null, "extra.ts has no pristine copy");
    snapshot("01_add", "extra.ts");
    assert.equal(stubsEdited(wb.path, "01_add"), false);
    rmSync(snapshotPath(wb.path, "01_add", "add.ts"));
    writeFileSync(stub("01_add", "extra.ts"), "// edited\n");
    assert.equal(
      stubsEdited(wb.path, "01_add"),
      true,
      "an edited stub decides, whatever the other",
    );
  });
});
