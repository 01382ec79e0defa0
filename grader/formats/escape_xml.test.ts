import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { escapeXml } from "./escape_xml.ts";

describe("escapeXml", () => {
  it("escapeXml() turns the five markup characters into entities, ampersands first", () => {
    assert.equal(
      escapeXml(`<a href="x" t='y'>&amp;</a>`),
      "&lt;a href=&quot;x&quot; t=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;",
    );
  });

  it("escapeXml() drops terminal escapes, NUL and bidi overrides and keeps newlines", () => {
    assert.equal(escapeXml("a\u0000b\u001b[31mc\u202ed\ne"), "abcd\ne");
  });
});
