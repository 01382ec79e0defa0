import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findNativeTsc, flagsOf, parseTsc } from "./tsc.ts";
import { TOOL_ROOT } from "./tool_root.ts";

describe("tsc", () => {
  it("flagsOf() turns compilerOptions into command-line flags", () => {
    const flags = flagsOf(
      JSON.stringify({
        compilerOptions: { strict: true, target: "ES2022", lib: ["ES2023", "DOM"] },
      }),
    );
    assert.deepEqual(flags, ["--strict", "true", "--target", "ES2022", "--lib", "ES2023,DOM"]);
  });

  it("parseTsc() reads file, line, column and message, with continuation lines", () => {
    const text = "ex/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\n" +
      "  More detail.\n/ws/ex/b.ts(1,1): error TS2304: Cannot find name 'x'.\n";
    assert.deepEqual(parseTsc(text, "/ws"), [
      {
        file: "ex/a.ts",
        line: 3,
        column: 7,
        message: "TS2322: Type 'string' is not assignable to type 'number'. More detail.",
      },
      { file: "ex/b.ts", line: 1, column: 1, message: "TS2304: Cannot find name 'x'." },
    ]);
  });

  it("findNativeTsc() finds the compiler the workbook installs", () => {
    assert.match(findNativeTsc(TOOL_ROOT) ?? "", /typescript-.*\/lib\/tsc/);
  });
});
