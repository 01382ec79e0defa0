import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { csvCell, formatGradebook, type GradebookRow } from "./gradebook.ts";

describe("csvCell()", () => {
  it("csvCell() leaves plain text and numbers as they are", () => {
    assert.equal(csvCell("ada"), "ada");
    assert.equal(csvCell(7.5), "7.5");
    assert.equal(csvCell(-1), "-1");
    assert.equal(csvCell(""), "");
  });

  it("csvCell() quotes a cell holding a comma, a quote or a line break, doubling quotes", () => {
    assert.equal(csvCell("a,b"), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell("two\nlines"), '"two\nlines"');
  });

  it("csvCell() defuses text a spreadsheet would run as a formula", () => {
    for (const s of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"]) assert.equal(csvCell(s), `'${s}`, s);
    assert.equal(csvCell("\r=x"), `"'\r=x"`);
    assert.equal(csvCell("a=1"), "a=1");
  });
});

describe("formatGradebook()", () => {
  it("formatGradebook() quotes cells and fills missing scores with 0", () => {
    assert.equal(csvCell('a "b", c'), '"a ""b"", c"');
    assert.equal(csvCell("-1"), "'-1");
    assert.equal(csvCell(-1), "-1");
    const text = formatGradebook(["01_a"], [{
      student: "x",
      scores: {},
      total: 0,
      max: 10,
      status: "error",
      note: "n",
    }]);
    assert.equal(text, "student,01_a,total,max,status,note\nx,0,0,10,error,n\n");
  });

  it("formatGradebook() writes a column per exercise in the order given and a row per student in order", () => {
    const rows: GradebookRow[] = [
      {
        student: "bob",
        scores: { "02_b": 10, "01_a": 2.5 },
        total: 12.5,
        max: 20,
        status: "graded",
        note: "",
      },
      {
        student: "=ada",
        scores: { "01_a": 10 },
        total: 10,
        max: 20,
        status: "graded",
        note: "missing: 02_b/b.ts",
      },
    ];
    assert.equal(
      formatGradebook(["01_a", "02_b"], rows),
      "student,01_a,02_b,total,max,status,note\n" +
        "bob,2.5,10,12.5,20,graded,\n" +
        "'=ada,10,0,10,20,graded,missing: 02_b/b.ts\n",
    );
    assert.equal(formatGradebook(["01_a"], []), "student,01_a,total,max,status,note\n");
  });
});
