import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TOOL_ROOT } from "./tool_root.ts";
import { parseDenoCheck, typeCheck } from "./typecheck.ts";

describe("parseDenoCheck()", () => {
  it("parseDenoCheck() reads file, line, column and message", () => {
    const text =
      "Check ex/bad.ts\nTS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\nexport const x: number = \"s\";\n             ^\n    at file:///ws/ex/bad.ts:1:14\n";
    assert.deepEqual(parseDenoCheck(text, "/ws"), [
      {
        file: "ex/bad.ts",
        line: 1,
        column: 14,
        message: "TS2322: Type 'string' is not assignable to type 'number'.",
      },
    ]);
  });
});

describe("parseDenoCheck() with several errors", () => {
  it("parseDenoCheck() reads each error, with or without the error: prefix, and skips unplaced ones", () => {
    const text = [
      "Check bad.ts",
      "TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.",
      'export const x: number = "s";',
      "             ^",
      "    at file:///ws/exercises/01_add/add.ts:1:14",
      "",
      "error: TS2307 [ERROR]: Cannot find module 'file:///ws/gone.ts'.",
      "",
      "TS7006 [ERROR]: Parameter 'a' implicitly has an 'any' type.",
      "    at file:///elsewhere/x.ts:3:5",
      "",
      "Found 3 errors.",
    ].join("\n");
    assert.deepEqual(parseDenoCheck(text, "/ws"), [
      {
        file: "exercises/01_add/add.ts",
        line: 1,
        column: 14,
        message: "TS2322: Type 'string' is not assignable to type 'number'.",
      },
      {
        file: "../elsewhere/x.ts",
        line: 3,
        column: 5,
        message: "TS7006: Parameter 'a' implicitly has an 'any' type.",
      },
    ]);
  });

  it("parseDenoCheck() finds nothing in output without errors", () => {
    assert.deepEqual(parseDenoCheck("Check a.ts\n", "/ws"), []);
    assert.deepEqual(parseDenoCheck("", "/ws"), []);
  });
});

describe("typeCheck()", () => {
  let ws = "";
  before(() => {
    ws = mkdtempSync(join(tmpdir(), "grader-typecheck-"));
    writeFileSync(join(ws, "bad.ts"), 'export const x: number = "s";\nexport const y = 1;\n');
    writeFileSync(join(ws, "good.ts"), "export const ok: number = 1;\n");
  });
  after(() => rmSync(ws, { recursive: true, force: true }));
  const check = (files: string[]) => typeCheck({ toolRoot: TOOL_ROOT, dir: ws, files });

  it("typeCheck() has nothing to do without files", async () => {
    assert.deepEqual(await check([]), { errors: [] });
  });

  it("typeCheck() reports the errors of the checked files only, placed in the folder", {
    timeout: 120_000,
  }, async () => {
    const r = await check(["bad.ts", "good.ts"]);
    assert.equal(r.skipped, undefined);
    assert.deepEqual(r.errors, [{
      file: "bad.ts",
      line: 1,
      column: 14,
      message: "TS2322: Type 'string' is not assignable to type 'number'.",
    }]);
    assert.deepEqual(await check(["good.ts"]), { errors: [] });
  });

  it(
    "typeCheck() gives the cached result for the same inputs and checks again when a file changes",
    { timeout: 120_000 },
    async () => {
      const first = await check(["bad.ts"]);
      assert.equal(first.errors.length, 1);
      writeFileSync(join(ws, "bad.ts"), "export const x: number = 2;\n");
      assert.deepEqual(
        await check(["bad.ts"]),
        { errors: [] },
        "a changed file is checked again, not read from the cache",
      );
      writeFileSync(join(ws, "bad.ts"), 'export const x: number = "s";\nexport const y = 1;\n');
      assert.deepEqual(await check(["bad.ts"]), first);
    },
  );

  it("typeCheck() uses the folder's tsconfig.json options and is not stopped by its presence", {
    timeout: 120_000,
  }, async () => {
    writeFileSync(
      join(ws, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noImplicitAny: true } }),
    );
    writeFileSync(join(ws, "implicit.ts"), "export function f(x) { return x; }\n");
    try {
      const r = await check(["implicit.ts"]);
      assert.equal(r.skipped, undefined, r.skipped ?? "");
      assert.match(
        r.errors[0]?.message ?? "",
        /^TS7006/,
        "strict options from tsconfig.json apply",
      );
    } finally {
      rmSync(join(ws, "tsconfig.json"));
    }
  });

  it("typeCheck() says the check could not run when the checker fails without placed errors", {
    timeout: 120_000,
  }, async () => {
    const r = await check(["missing.ts"]);
    assert.deepEqual(r.errors, []);
    assert.match(r.skipped ?? "", /^type check could not run: (tsc|deno check) exited \d+/);
  });
});
