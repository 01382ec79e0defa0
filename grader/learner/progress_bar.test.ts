import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { progressBar } from "./progress_bar.ts";

describe("progressBar()", () => {
  it("progressBar() fills in proportion to the exercises done", () => {
    assert.equal(progressBar(1, 4, 8), "[##>-----]  1/4 done");
    assert.equal(progressBar(4, 4, 8), "[########]  4/4 done");
  });

  it("progressBar() starts with the head alone when nothing is done", () => {
    assert.equal(progressBar(0, 4, 8), "[>-------]  0/4 done");
  });

  it("progressBar() keeps its width whatever the count, 40 cells by default", () => {
    for (let done = 0; done <= 19; done++) {
      const bar = /^\[(.*)\]/.exec(progressBar(done, 19))![1]!;
      assert.equal(bar.length, 40, `${done}/19: ${bar}`);
    }
    assert.equal(progressBar(3, 19, 30).indexOf("]"), 31);
  });

  it("progressBar() draws an empty bar for a workbook without exercises", () => {
    assert.equal(progressBar(0, 0, 4), "[----]  0/0 done");
  });
});
