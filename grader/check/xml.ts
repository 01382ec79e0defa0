/**
 * Reads the runners' JUnit reports into a small element tree with fast-xml-parser (a kept XML
 * parser, rather than a hand-written one): elements in document order, attributes, and text
 * (CDATA included) with the standard entities decoded.
 *
 * @module
 */

import { XMLParser } from "fast-xml-parser";

/** An XML element. */
export interface XmlElement {
  /** Tag name. */
  name: string;
  /** Attributes, decoded. */
  attrs: Record<string, string>;
  /** Child elements in order. */
  children: XmlElement[];
  /** Concatenated text content (decoded). */
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: "#cdata",
  commentPropName: "#comment",
  processEntities: true,
  htmlEntities: true,
});

// deno-lint-ignore no-explicit-any
type Ordered = any;

function toElement(node: Ordered): XmlElement | null {
  const name = Object.keys(node).find((k) =>
    k !== ":@" && !k.startsWith("#") && !k.startsWith("?")
  );
  if (name === undefined) return null;
  const el: XmlElement = { name, attrs: {}, children: [], text: "" };
  for (const [k, v] of Object.entries(node[":@"] ?? {})) el.attrs[k] = String(v);
  for (const child of node[name] as Ordered[]) {
    if ("#text" in child) el.text += String(child["#text"]);
    else if ("#cdata" in child) {
      el.text += (child["#cdata"] as Ordered[]).map((c) => String(c["#text"] ?? "")).join("");
    } else {
      const c = toElement(child);
      if (c) el.children.push(c);
    }
  }
  return el;
}

/**
 * Parses an XML document into its root element.
 *
 * @param xml The document text.
 * @returns The root element, or null when there is none or the text is not XML.
 *
 * @example
 * ```ts
 * import { parseXml } from "./xml.ts";
 * parseXml('<a x="1"><b>hi</b></a>')?.children[0]?.text; // "hi"
 * ```
 */
export function parseXml(xml: string): XmlElement | null {
  let doc: Ordered[];
  try {
    doc = parser.parse(xml) as Ordered[];
  } catch {
    // A truncated or malformed report (the runner was killed while writing it) has no verdicts:
    // every test then fails as "no verdict", which the report explains.
    return null;
  }
  for (const node of doc) {
    const el = toElement(node);
    if (el) return el;
  }
  return null;
}
