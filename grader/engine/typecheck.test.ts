import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseDenoCheck } from "./typecheck.ts";

describe("parseDenoCheck()", () => {
  it("parseDenoCheck() reads file, line, column and message", () => {
    const text =
      "Check ex/bad.ts\nTS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\nexport const x: number = \"s\";\n             ^\n    at file:///ws/ex/bad.ts:1:14\n";
    assert.deepEqual(parseDenoCheck(text, "/ws"), [
      {
        file: "ex/bad.ts",
        line: 1,
        column: 14,
        message: "TS2322: Type 'string' is not assignable to type 'number'.",
      },
    ]);
  });
});
