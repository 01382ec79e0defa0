import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverExercises } from "./discover.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { grade } from "./grade.ts";
import { type LoadErrorContext, locateLoadError } from "./load_error.ts";
import { currentRuntime } from "./runtimes.ts";
import { TOOL_ROOT } from "./tool_root.ts";
import type { Exercise } from "./types.ts";

const runtime = currentRuntime() ?? "bun";
let wb: FixtureDir;
let ws = "";
let add: Exercise;
let ctx: LoadErrorContext;

const STUB = `/** Adds numbers. */
export function add(a: number, b: number): number {
  return a + b
}}
export const addLater = async (a: number, b: number) => a + b;
`;

before(() => {
  wb = makeWorkbook();
  add = discoverExercises(wb.path).find((e) => e.dir === "01_add")!;
  ws = join(mkdtempSync(join(tmpdir(), "workbook-grade-")), "ws");
  mkdirSync(join(ws, "exercises", "01_add"), { recursive: true });
  writeFileSync(join(ws, "exercises", "01_add", "add.ts"), STUB);
  ctx = { exercise: add, ws, wsDir: "01_add", stubs: ["add.ts"] };
});
after(() => {
  wb.cleanup();
  rmSync(join(ws, ".."), { recursive: true, force: true });
});

describe("locateLoadError()", () => {
  it("locateLoadError() puts Bun's first syntax error first, as file:line:column, with the stub's line and a caret", () => {
    const bun = `4 | }}
     ^
error: Unexpected }
    at ${ws}/exercises/01_add/add.ts:4:2

Bun v1.4.4 (Linux x64)`;
    const out = locateLoadError(bun, ctx);
    assert.equal(
      out,
      "exercises/01_add/add.ts:4:2: Unexpected }\n  4 | }}\n    |  ^",
    );
  });

  it("locateLoadError() reads Deno's syntax error and file URL, and keeps what follows the place", () => {
    const deno = `error: SyntaxError: Unexpected token \`}\`
  |
4 | }}
  |  ~
    at file://${ws}/exercises/01_add/add.ts:4:2
    at file://${ws}/.harness/entry-0.ts:3:8`;
    const out = locateLoadError(deno, ctx);
    assert.match(
      out,
      /^exercises\/01_add\/add\.ts:4:2: SyntaxError: Unexpected token `}`\n {2}4 \| }}\n/,
    );
    assert.match(out, /at \.harness\/entry-0\.ts:3:8$/);
    assert.doesNotMatch(out, new RegExp(ws));
  });

  it("locateLoadError() prefers the stub's frame of a stack to lib's, and names the error thrown at import", () => {
    const text = `Error: boom
Error: boom
    at check (${ws}/lib/clock/config.ts:10:11)
    at ${ws}/exercises/01_add/add.ts:3:3
    at ${ws}/exercises/01_add/add.test.ts:4:1`;
    const out = locateLoadError(text, ctx);
    assert.match(
      out,
      /^exercises\/01_add\/add\.ts:3:3: Error: boom\n {2}3 \| {3}return a \+ b\n {4}\| {3}\^\n/,
    );
    assert.match(out, /at exercises\/01_add\/add\.test\.ts:4:1$/);
  });

  it("locateLoadError() finds the import Bun names without a line: a missing module, a missing export", () => {
    const stub = `import { helper } from "./helper.ts";\n${STUB}`;
    writeFileSync(join(ws, "exercises", "01_add", "add.ts"), stub);
    try {
      const missing = locateLoadError(
        `error: Cannot find module './helper.ts' from '${ws}/exercises/01_add/add.ts'\n\nBun v1.4.4 (Linux x64)`,
        ctx,
      );
      assert.equal(
        missing,
        "exercises/01_add/add.ts:1:24: Cannot find module './helper.ts' from 'exercises/01_add/add.ts'\n" +
          `  1 | ${stub.split("\n")[0]}\n    | ${" ".repeat(23)}^`,
      );
    } finally {
      writeFileSync(join(ws, "exercises", "01_add", "add.ts"), STUB);
    }
    const noExport = locateLoadError(
      `SyntaxError: Export named 'add' not found in module '${ws}/exercises/01_add/add.ts'.`,
      ctx,
    );
    const line = readFileSync(join(add.pristineDir, "add.test.ts"), "utf8").split("\n")
      .findIndex((l) => l.startsWith("import { add }")) + 1;
    assert.ok(line > 0);
    assert.match(
      noExport,
      new RegExp(
        `^exercises/01_add/add\\.test\\.ts:${line}:10: SyntaxError: Export named 'add' not found in module 'exercises/01_add/add\\.ts'\\.\n {2}${line} \\| import \\{ add \\} from "\\./add\\.ts";`,
      ),
    );
  });

  it("locateLoadError() gives a hidden test's place but never its line, not even in the runtime's own frame", () => {
    const hidden = readFileSync(join(add.pristineDir, "add.hidden.ts"), "utf8").split("\n");
    const n = hidden.findIndex((l) => l.trim().length >= 16 && /add/.test(l)) + 1;
    assert.ok(n > 0);
    const text = `${n} | ${hidden[n - 1]}
    ^
error: Something odd
    at ${ws}/exercises/01_add/add.hidden.ts:${n}:1`;
    const out = locateLoadError(text, ctx);
    assert.ok(out.startsWith(`exercises/01_add/add.hidden.ts:${n}:1: Something odd\n`), out);
    assert.match(out, /\(a line of a hidden test, withheld\)/);
    assert.equal(out.includes(hidden[n - 1]!.trim()), false, out);
  });

  it("locateLoadError() never reads a file a stack names outside the visible ones: .., solutions, lib/.., CPython cases", () => {
    // The stack is the stub's to write (red team 2, rt2_load_quote).
    const solution = readFileSync(join(wb.path, "solutions", "01_add", "add.ts"), "utf8");
    for (
      const place of [
        "exercises/01_add/../../solutions/01_add/add.ts:4:3",
        "exercises/01_add/./add.ts:3:3",
        "lib/../solutions/01_add/add.ts:4:3",
        "lib/../../../../../../usr/lib/node_modules/x.js:1:1",
        "exercises/01_add/add.cpython.ts:1:1",
      ]
    ) {
      const out = locateLoadError(`Error: cannot load\n    at ${place}`, ctx);
      assert.ok(out.startsWith(`${place}: Error: cannot load`), out);
      const quoted = out.split("\n").filter((l) => /^ {2}\d+ \| /.test(l));
      assert.deepEqual(quoted, [], `${place} is not quoted:\n${out}`);
      for (const line of solution.split("\n").filter((l) => l.trim().length > 8)) {
        assert.equal(out.includes(line.trim()), false, `${place} quotes the solution: ${line}`);
      }
    }
  });

  it("locateLoadError() leaves a text without a place as it is, paths made relative", () => {
    assert.equal(
      locateLoadError(`error: something broke in ${ws}/exercises/01_add`, ctx),
      "error: something broke in exercises/01_add",
    );
  });
});

describe("grade() locates load errors", () => {
  const cases: [string, string, RegExp][] = [
    ["a syntax error", STUB, /^exercises\/01_add\/add\.ts:4:\d+: .+\n {2}4 \| }}\n {4}\| +\^/],
    [
      "a throw at import",
      `throw new Error("boom at import");\n${STUB.replace("}}", "}")}`,
      /^exercises\/01_add\/add\.ts:1:\d+: Error: boom at import\n {2}1 \| throw new Error\("boom at import"\);\n {4}\| +\^/,
    ],
    [
      "a missing module",
      `import "./missing_module.ts";\n${STUB.replace("}}", "}")}`,
      /^exercises\/01_add\/add\.ts:1:8: .*missing_module\.ts.*\n {2}1 \| import "\.\/missing_module\.ts";\n {4}\| {8}\^/,
    ],
  ];
  for (const [what, source, expected] of cases) {
    it(`grade() shows ${what} at file:line:column with the offending line, in every test and the reason`, async () => {
      const sub = mkdtempSync(join(tmpdir(), "grader-fixture-sub-load-"));
      try {
        cpSync(join(wb.path, "exercises"), join(sub, "exercises"), { recursive: true });
        writeFileSync(join(sub, "exercises", "01_add", "add.ts"), source);
        const r = await grade({
          toolRoot: TOOL_ROOT,
          pristineRoot: wb.path,
          submissionRoot: sub,
          exercises: discoverExercises(wb.path).filter((e) => e.dir === "01_add"),
          mode: "submission",
          runtimes: [runtime],
          typeCheck: false,
        });
        const e = r.exercises[0]!;
        assert.equal(e.score, 0);
        assert.equal(e.tests.length, 4);
        for (const t of e.tests) {
          assert.equal(t.reason, "crash", t.message);
          const body = t.message.replace(/^crash: the test file did not load: /, "");
          assert.match(body, expected, t.message);
          assert.doesNotMatch(t.message, /workbook-grade-|file:\/\//, t.message);
        }
        assert.match(
          e.reason ?? "",
          /^crash: add\.test\.ts did not load: exercises\/01_add\/add\.ts:\d+:\d+: /,
        );
      } finally {
        rmSync(sub, { recursive: true, force: true });
      }
    });
  }
});
