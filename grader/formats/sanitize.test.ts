import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { cleanText, markdownText } from "./sanitize.ts";

describe("cleanText()", () => {
  it("cleanText() removes colours, titles, clipboard writes and hyperlinks", () => {
    const text =
      "a\u001b[31mred\u001b[0m \u001b]0;title\u0007 \u001b]52;c;Zm9v\u0007 \u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\ b";
    assert.equal(cleanText(text), "ared   link b");
  });
  it("cleanText() removes NUL, other controls and bidi overrides, keeps tabs and newlines", () => {
    assert.equal(cleanText("a\u0000b\u0008c\td\r\ne\u202eF\u2066G\u2069\u0085"), "abc\td\neFG");
  });
  it("cleanText() replaces lone surrogates and keeps pairs", () => {
    assert.equal(cleanText("x\ud800y\udc00z\ud83d\ude00"), "x\ufffdy\ufffdz\ud83d\ude00");
  });
});

describe("markdownText()", () => {
  it("markdownText() escapes Markdown and HTML and keeps one line", () => {
    assert.equal(
      markdownText("<img src=x> [a](javascript:1) | *b*\nnext"),
      "&lt;img src=x&gt; \\[a\\]\\(javascript:1\\) \\| \\*b\\* next",
    );
  });
  it("markdownText() cuts long text with an ellipsis", () => {
    assert.equal(markdownText("x".repeat(300)), `${"x".repeat(200)}\\.\\.\\.`);
  });
});
