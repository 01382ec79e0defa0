import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { capOutput, OUTPUT_CAP, splitClockReport } from "./capture.ts";

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

describe("capOutput() limits", () => {
  it("capOutput() leaves text within the cap untouched, 4096 bytes by default", () => {
    assert.equal(OUTPUT_CAP, 4096);
    assert.equal(capOutput("x".repeat(4096)), "x".repeat(4096));
    assert.equal(capOutput("abc", 3), "abc");
  });

  it("capOutput() counts bytes, never splits a character, and says how many bytes it cut", () => {
    const s = capOutput("é".repeat(10), 5); // 20 bytes; 2 whole characters fit in 5 bytes
    assert.equal(s, "éé\n[output truncated: 16 bytes cut]");
    assert.ok(!s.includes("\ufffd"));
  });
});

describe("splitClockReport() edge cases", () => {
  it("splitClockReport() counts one clock line and keeps the lines around it in order", () => {
    assert.deepEqual(splitClockReport('a\n##workbook-clock {"virtualMs":0}  \nb'), {
      output: "a\nb",
      virtualMs: 0,
    });
  });

  it("splitClockReport() drops a clock line without a finite number and counts nothing", () => {
    assert.deepEqual(splitClockReport('x\n##workbook-clock {"virtualMs":"5"}\n'), {
      output: "x\n",
    });
  });

  it("splitClockReport() only reads clock lines that start a line", () => {
    const out = 'say ##workbook-clock {"virtualMs":5}\n';
    assert.deepEqual(splitClockReport(out), { output: out });
  });
});
