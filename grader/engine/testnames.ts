/**
 * Static extraction of the tests a test file declares: `describe`, `it` and `test` calls with
 * string-literal names, nested by their call parentheses. A small tokenizer skips comments,
 * strings, template literals and regular expressions so that braces and names inside them do not
 * count. The grader compares this list with the runner's report: a declared test without a
 * verdict failed.
 *
 * @module
 */

/** One declared test or group. */
export interface DeclaredTest {
  /** Full name, groups joined with " > ". */
  name: string;
  /** True for a `describe`. */
  group: boolean;
  /** 1-based line of the call. */
  line: number;
  /** Offset of the call's first character (its callee) in the source. */
  start: number;
  /** Offset just after the call's closing parenthesis (the source's length if unclosed). */
  end: number;
}

/** A call whose name is not a string literal (the authoring lint rejects it). */
export interface NonLiteralName {
  /** The function called (describe, it, test). */
  callee: string;
  /** 1-based line. */
  line: number;
}

/** The result of {@linkcode extractTests}. */
export interface Extraction {
  /** Declared tests and groups in source order. */
  tests: DeclaredTest[];
  /** Calls whose first argument is not a literal name. */
  nonLiteral: NonLiteralName[];
}

interface Token {
  kind: "ident" | "string" | "punct";
  value: string;
  line: number;
  /** Offset in the source (identifiers and single-character punctuation). */
  offset?: number;
}

const REGEX_PRECEDERS = new Set("(,=:[!&|?{};+-*%<>~^".split(""));
const REGEX_KEYWORDS = new Set(["return", "typeof", "case", "do", "else", "in", "of", "void", "yield", "await"]);

/** Splits source into identifiers, string literals (decoded; templates without `${}`) and punctuation. */
function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  const n = src.length;
  const last = (): Token | undefined => out[out.length - 1];
  const readQuoted = (q: string): string => {
    let s = "";
    i++;
    while (i < n && src[i] !== q) {
      if (src[i] === "\\" && i + 1 < n) {
        const e = src[i + 1];
        s += e === "n" ? "\n" : e === "t" ? "\t" : e;
        if (e === "\n") line++;
        i += 2;
        continue;
      }
      if (src[i] === "\n") line++;
      s += src[i++];
    }
    i++;
    return s;
  };
  // Reads a template literal; returns its text, or null when it has substitutions.
  const readTemplate = (): string | null => {
    let s = "";
    let plain = true;
    i++;
    while (i < n && src[i] !== "`") {
      if (src[i] === "\\" && i + 1 < n) {
        s += src[i + 1];
        if (src[i + 1] === "\n") line++;
        i += 2;
        continue;
      }
      if (src[i] === "$" && src[i + 1] === "{") {
        plain = false;
        i += 2;
        skipBalanced();
        continue;
      }
      if (src[i] === "\n") line++;
      s += src[i++];
    }
    i++;
    return plain ? s : null;
  };
  // Skips the inside of `${ ... }` up to its closing brace, respecting nested literals.
  const skipBalanced = (): void => {
    let depth = 1;
    while (i < n && depth > 0) {
      const c = src[i];
      if (c === "\n") line++;
      if (c === "'" || c === '"') readQuoted(c);
      else if (c === "`") readTemplate();
      else if (c === "{") depth++, i++;
      else if (c === "}") depth--, i++;
      else i++;
    }
  };
  while (i < n) {
    const c = src[i];
    if (c === "\n") {
      line++;
      i++;
    } else if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
    } else if (c === "/" && src[i + 1] === "*") {
      i += 2;
      while (i < n && !(src[i] === "*" && src[i + 1] === "/")) {
        if (src[i] === "\n") line++;
        i++;
      }
      i += 2;
    } else if (c === "'" || c === '"') {
      const startLine = line;
      out.push({ kind: "string", value: readQuoted(c), line: startLine });
    } else if (c === "`") {
      const startLine = line;
      const t = readTemplate();
      out.push(t === null ? { kind: "punct", value: "`", line: startLine } : { kind: "string", value: t, line: startLine });
    } else if (c === "/") {
      const prev = last();
      const isRegex = !prev ||
        (prev.kind === "punct" && REGEX_PRECEDERS.has(prev.value)) ||
        (prev.kind === "ident" && REGEX_KEYWORDS.has(prev.value));
      if (isRegex) {
        i++;
        let inClass = false;
        while (i < n && src[i] !== "\n") {
          if (src[i] === "\\") {
            i += 2;
            continue;
          }
          if (src[i] === "[") inClass = true;
          else if (src[i] === "]") inClass = false;
          else if (src[i] === "/" && !inClass) break;
          i++;
        }
        i++;
        while (i < n && /[a-z]/i.test(src[i]!)) i++;
        out.push({ kind: "punct", value: "regex", line });
      } else {
        out.push({ kind: "punct", value: "/", line });
        i++;
      }
    } else if (/[A-Za-z_$]/.test(c!)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(src[j]!)) j++;
      out.push({ kind: "ident", value: src.slice(i, j), line, offset: i });
      i = j;
    } else if (/[0-9]/.test(c!)) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(src[j]!)) j++;
      out.push({ kind: "punct", value: "num", line });
      i = j;
    } else {
      out.push({ kind: "punct", value: c!, line, offset: i });
      i++;
    }
  }
  return out;
}

const CALLEES = new Set(["describe", "it", "test"]);
const SKIPPING = new Set(["skip", "todo"]);

/**
 * Lists the tests a test file declares, statically.
 *
 * @param source The test file's text.
 * @returns Declared tests and groups in source order, and calls with non-literal names.
 *
 * @example Nested groups
 * ```ts
 * const { tests } = extractTests(`describe("a", () => { it("b", () => {}); });`);
 * // tests: [{ name: "a", group: true, line: 1 }, { name: "a > b", group: false, line: 1 }]
 * ```
 */
export function extractTests(source: string): Extraction {
  const toks = tokenize(source);
  const tests: DeclaredTest[] = [];
  const nonLiteral: NonLiteralName[] = [];
  const stack: { name: string; depth: number }[] = [];
  const open: { test: DeclaredTest; depth: number }[] = []; // calls whose ")" is still to come
  let depth = 0;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.kind === "punct" && t.value === "(") {
      depth++;
      continue;
    }
    if (t.kind === "punct" && t.value === ")") {
      depth--;
      while (open.length > 0 && open[open.length - 1]!.depth > depth) {
        open.pop()!.test.end = (t.offset ?? source.length - 1) + 1;
      }
      while (stack.length > 0 && stack[stack.length - 1]!.depth > depth) stack.pop();
      continue;
    }
    if (t.kind !== "ident" || !CALLEES.has(t.value)) continue;
    const before = toks[k - 1];
    if (before && before.kind === "punct" && before.value === ".") continue;
    // Optional modifier: it.only(...), describe.skip(...)
    let j = k + 1;
    let skipped = false;
    if (toks[j]?.value === "." && toks[j + 1]?.kind === "ident") {
      skipped = SKIPPING.has(toks[j + 1]!.value);
      j += 2;
    }
    if (toks[j]?.value !== "(") continue;
    const arg = toks[j + 1];
    if (!arg || arg.kind !== "string" || !(toks[j + 2]?.value === "," || toks[j + 2]?.value === ")")) {
      // `import { it } from` etc. never reach here (no "(" after); a call with a computed name does.
      nonLiteral.push({ callee: t.value, line: t.line });
      continue;
    }
    const group = t.value === "describe";
    const full = [...stack.map((s) => s.name), arg.value].join(" > ");
    const declared: DeclaredTest = { name: full, group, line: t.line, start: t.offset ?? 0, end: source.length };
    if (!skipped) tests.push(declared);
    open.push({ test: declared, depth: depth + 1 });
    if (group) {
      // The group is open until the "(" at toks[j] closes: depth after it is depth + 1.
      stack.push({ name: arg.value, depth: depth + 1 });
    }
    // Advance past the "(" so depth counts it.
    depth++;
    k = j + 1;
  }
  return { tests, nonLiteral };
}

/**
 * Finds names declared more than once in one file.
 *
 * @param tests Declared tests of one file.
 * @returns Duplicate full names, each once.
 */
export function duplicateNames(tests: DeclaredTest[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const t of tests) {
    if (seen.has(t.name)) dups.add(t.name);
    seen.add(t.name);
  }
  return [...dups];
}
