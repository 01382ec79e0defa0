import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mermaidGantt, mermaidText } from "./mermaid_gantt.ts";

describe("mermaid_gantt", () => {
  it("mermaidGantt() writes a fenced gantt in virtual ms: expected done, yours crit where it differs", () => {
    const lines = mermaidGantt({
      expected: [{ label: "task 0", start: 0, end: 1000 }, {
        label: "task 1",
        start: 1000,
        end: 2000,
      }],
      actual: [{ label: "task 0", start: 0, end: 1000 }, { label: "task 1", start: 500 }],
    }, { title: "task 1: Semaphore > runs" });
    assert.deepEqual(lines, [
      "```mermaid",
      "gantt",
      "  title task 1\u2236 Semaphore \u203a runs",
      "  dateFormat x",
      "  axisFormat %Q",
      "  todayMarker off",
      "  section expected",
      "  task 0 :done, s1, 0, 1000",
      "  task 1 :done, s2, 1000, 2000",
      "  section yours",
      "  task 0 :s3, 0, 1000",
      "  task 1 :crit, active, s4, 500, 2000",
      "```",
    ]);
  });

  it("mermaidGantt() without expected spans draws one section and marks nothing", () => {
    const lines = mermaidGantt({ expected: [], actual: [{ label: "a", start: 0.4, end: 2.6 }] });
    assert.deepEqual(lines.slice(5), ["  section ran", "  a :s1, 0, 3", "```"]);
  });

  it("mermaidGantt() caps its rows and says how many it left out in the title", () => {
    const actual = Array.from({ length: 12 }, (_, i) => ({ label: `t${i}`, start: i, end: i + 1 }));
    const lines = mermaidGantt({ expected: [], actual }, { title: "many", maxRows: 5 });
    assert.equal(lines.filter((l) => / :s\d+, /.test(l)).length, 5);
    assert.equal(lines[2], "  title many (7 more tasks not shown)");
  });

  it("mermaidText() leaves nothing Mermaid or Markdown would read as syntax", () => {
    const evil = 'a:b#c;d%%{init}%% `x` <b>&"q"\nnext line';
    const s = mermaidText(evil);
    assert.doesNotMatch(s, /[:#;%`<>&"\n]/);
    assert.equal(
      s,
      "a\u2236b\u266fc,d\uff05\uff05{init}\uff05\uff05 \u02cbx\u02cb \u2039b\u203a+\u201dq\u201d next line",
    );
  });

  it("mermaidText() guards labels that begin like a statement and blank ones", () => {
    for (const kw of ["section a", "Title x", "click me", "2024-01-01 task", "dateFormat y"]) {
      assert.equal(mermaidText(kw), `\u200b${kw}`, kw);
    }
    assert.equal(mermaidText("task 3"), "task 3");
    assert.equal(mermaidText("  \n "), "(blank)");
    assert.equal(mermaidText("x".repeat(100), 10), `${"x".repeat(9)}…`);
  });
});
