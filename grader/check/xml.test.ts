import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseXml } from "./xml.ts";

describe("parseXml()", () => {
  it("parseXml() decodes entities and CDATA", () => {
    const el = parseXml(`<a x="1 &amp; 2"><b><![CDATA[<raw>]]></b>&#65;&#x42;</a>`)!;
    assert.equal(el.attrs.x, "1 & 2");
    assert.equal(el.children[0]!.text, "<raw>");
    assert.equal(el.text, "AB");
  });

  it("parseXml() returns the root element with its children in document order", () => {
    const el = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- a report -->\n<suites n="2"><s name="a"><case/></s><s name="b"/></suites>',
    )!;
    assert.equal(el.name, "suites");
    assert.deepEqual(el.attrs, { n: "2" });
    assert.deepEqual(el.children.map((c) => [c.name, c.attrs.name, c.children.length]), [
      ["s", "a", 1],
      ["s", "b", 0],
    ]);
    assert.equal(el.children[0]!.children[0]!.name, "case");
  });

  it("parseXml() keeps attribute values and text as strings, whitespace included", () => {
    const el = parseXml('<t time="0.50" ok="true">  12 \n</t>')!;
    assert.deepEqual(el.attrs, { time: "0.50", ok: "true" });
    assert.equal(el.text, "  12 \n");
  });

  it("parseXml() gives null for an empty document or text that is not XML", () => {
    assert.equal(parseXml(""), null);
    assert.equal(parseXml("just text"), null);
    assert.equal(parseXml('<?xml version="1.0"?>'), null);
  });

  it("parseXml() gives null, or what was read, for a truncated report without throwing", () => {
    const cut = '<testsuites><testsuite name="a"><testcase name="t1"/><testcase na';
    const el = parseXml(cut);
    assert.ok(el === null || el.name === "testsuites", JSON.stringify(el));
  });
});
