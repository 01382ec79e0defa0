/**
 * A minimal XML reader for JUnit reports: elements, attributes, text, CDATA and the standard
 * entities. It does not validate; a malformed report yields what could be read.
 *
 * @module
 */

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

/**
 * Decodes XML entities (`&lt;`, `&#10;`, `&#x41;` ...).
 *
 * @param s Raw text.
 * @returns Decoded text.
 */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : "";
    }
    return ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" } as Record<string, string>)[e]!;
  });
}

/**
 * Escapes text for an XML attribute or text node.
 *
 * @param s Text.
 * @returns Escaped text (control characters other than tab/newline removed).
 */
export function escapeXml(s: string): string {
  return s
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\n/g, "&#10;");
}

/**
 * Parses an XML document into its root element.
 *
 * @param xml The document text.
 * @returns The root element, or null when there is none.
 */
export function parseXml(xml: string): XmlElement | null {
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf("<", i);
    const top = stack[stack.length - 1]!;
    if (lt < 0) {
      top.text += decodeEntities(xml.slice(i));
      break;
    }
    if (lt > i) top.text += decodeEntities(xml.slice(i, lt));
    if (xml.startsWith("<?", lt)) {
      i = xml.indexOf("?>", lt) + 2;
      if (i < 2) break;
    } else if (xml.startsWith("<!--", lt)) {
      i = xml.indexOf("-->", lt) + 3;
      if (i < 3) break;
    } else if (xml.startsWith("<![CDATA[", lt)) {
      const end = xml.indexOf("]]>", lt);
      if (end < 0) break;
      top.text += xml.slice(lt + 9, end);
      i = end + 3;
    } else if (xml.startsWith("<!", lt)) {
      i = xml.indexOf(">", lt) + 1;
      if (i < 1) break;
    } else if (xml[lt + 1] === "/") {
      const gt = xml.indexOf(">", lt);
      if (gt < 0) break;
      const name = xml.slice(lt + 2, gt).trim();
      // Pop up to the matching element (tolerates unclosed children).
      for (let k = stack.length - 1; k > 0; k--) {
        if (stack[k]!.name === name) {
          stack.length = k;
          break;
        }
      }
      i = gt + 1;
    } else {
      // Start tag: find its end, respecting quoted attribute values.
      let j = lt + 1;
      let quote = "";
      while (j < n) {
        const c = xml[j];
        if (quote) {
          if (c === quote) quote = "";
        } else if (c === '"' || c === "'") quote = c;
        else if (c === ">") break;
        j++;
      }
      if (j >= n) break;
      let body = xml.slice(lt + 1, j);
      const selfClosing = body.endsWith("/");
      if (selfClosing) body = body.slice(0, -1);
      const m = /^([^\s/>]+)/.exec(body);
      const el: XmlElement = { name: m ? m[1]! : "", attrs: {}, children: [], text: "" };
      const attrRe = /([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
      let a: RegExpExecArray | null;
      const rest = body.slice(el.name.length);
      while ((a = attrRe.exec(rest)) !== null) {
        el.attrs[a[1]!] = decodeEntities(a[3] ?? a[4] ?? "");
      }
      top.children.push(el);
      if (!selfClosing) stack.push(el);
      i = j + 1;
    }
  }
  return root.children.find((c) => c.name !== "") ?? null;
}
