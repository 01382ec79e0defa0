import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { median, sumVirtualMs } from "./bench.ts";

describe("sumVirtualMs()", () => {
  it("sumVirtualMs() adds the virtual ms of every clock line", () => {
    const out = [
      "ok 1",
      '##workbook-clock {"virtualMs":2000,"timers":4}',
      "noise",
      '##workbook-clock {"virtualMs":500.5}',
    ].join("\n");
    assert.equal(sumVirtualMs(out), 2500.5);
  });

  it("sumVirtualMs() is 0 without clock lines, and skips cut or forged ones", () => {
    assert.equal(sumVirtualMs(""), 0);
    assert.equal(sumVirtualMs("plain output\n"), 0);
    const forged = [
      "##workbook-clock {cut",
      '##workbook-clock {"virtualMs":"x"}',
      '##workbook-clock {"timers":3}',
      '##workbook-clock {"virtualMs":7}',
    ].join("\n");
    assert.equal(sumVirtualMs(forged), 7);
  });
});

describe("median()", () => {
  it("median() gives the middle value of an odd count and the mean of the two middle ones of an even count", () => {
    assert.equal(median([3]), 3);
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it("median() leaves its input in its order", () => {
    const xs = [3, 1, 2];
    median(xs);
    assert.deepEqual(xs, [3, 1, 2]);
  });
});
