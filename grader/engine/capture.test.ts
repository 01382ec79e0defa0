import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { capOutput, splitClockReport } from "./capture.ts";

describe("capOutput()", () => {
  it("capOutput() cuts long output with a visible note", () => {
    const s = capOutput("x".repeat(5000), 4096);
    assert.match(s, /\[output truncated: 904 bytes cut\]$/);
  });
});

describe("splitClockReport()", () => {
  it("splitClockReport() sums the virtual time of a test's clock runs and removes their lines", () => {
    const out =
      'fetching a\n##workbook-clock {"virtualMs":2000,"timers":4}\n##workbook-clock {"virtualMs":500,"timers":1}\n';
    assert.deepEqual(splitClockReport(out), { output: "fetching a\n", virtualMs: 2500 });
  });

  it("splitClockReport() leaves output without clock lines untouched", () => {
    assert.deepEqual(splitClockReport("plain\n"), { output: "plain\n" });
  });

  it("splitClockReport() keeps a malformed clock line as output", () => {
    assert.deepEqual(splitClockReport("##workbook-clock {oops}"), {
      output: "##workbook-clock {oops}",
    });
  });
});
