import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { discoverExercises } from "./discover.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { applyMutant, listAlternatives, listMutants, strayMutantFiles } from "./mutants.ts";

const SUBTRACTS = "MUTANT: subtracts instead\n--- a/add.ts\n+++ b/add.ts\n" +
  "@@ -4,3 +4,3 @@\n export function add(a: number, b: number): number {\n-  return a + b;\n+  return a - b;\n }\n";

describe("applyMutant()", () => {
  let wb: FixtureDir;
  let sol: string;
  before(() => {
    wb = makeWorkbook();
    sol = join(wb.path, "solutions", "01_add");
  });
  after(() => wb.cleanup());

  it("applyMutant() applies a unified diff to the solution and reads the MUTANT line", () => {
    const r = applyMutant(SUBTRACTS, sol, ["add.ts"]);
    assert.equal(r.problem, undefined);
    assert.equal(r.description, "subtracts instead");
    assert.deepEqual(Object.keys(r.files), ["add.ts"]);
    const original = readFileSync(join(sol, "add.ts"), "utf8");
    assert.equal(r.files["add.ts"], original.replace("return a + b;", "return a - b;"));
  });

  it("applyMutant() gives an empty description to a patch without a MUTANT line", () => {
    const r = applyMutant(SUBTRACTS.slice(SUBTRACTS.indexOf("\n") + 1), sol, ["add.ts"]);
    assert.equal(r.description, "");
    assert.equal(r.problem, undefined);
  });

  it("applyMutant() names the problem of a patch it cannot use, and changes no file", () => {
    const cases: [string, string[], RegExp][] = [
      ["MUTANT: x\nno diff at all\n", ["add.ts"], /^changes nothing \(no hunk\)$/],
      [
        "MUTANT: x\n--- a/add.ts\n+++ b/add.ts\n@@ -1,2 +1,1 @@\n-a\n",
        ["add.ts"],
        /^is not a unified diff: /,
      ],
      [SUBTRACTS, ["other.ts"], /^changes add\.ts, which is not a stub \(valid: other\.ts\)$/],
      [
        SUBTRACTS.replaceAll("add.ts", "gone.ts"),
        ["gone.ts"],
        /^changes gone\.ts, but .*gone\.ts does not exist$/,
      ],
      [
        SUBTRACTS.replace(" export function add", " export function sum"),
        ["add.ts"],
        /^no longer applies to add\.ts \(the solution changed: re-create the patch\)$/,
      ],
    ];
    for (const [patch, stubs, re] of cases) {
      const r = applyMutant(patch, sol, stubs);
      assert.match(r.problem ?? "(none)", re);
      assert.deepEqual(r.files, {});
      assert.equal(r.description, patch.startsWith("MUTANT: x\n") ? "x" : "subtracts instead");
    }
  });
});

describe("listMutants(), strayMutantFiles() and listAlternatives()", () => {
  let wb: FixtureDir;
  before(() => {
    wb = makeWorkbook();
  });
  after(() => wb.cleanup());

  it("listMutants() applies every patch of solutions/NN/mutants, sorted by name", () => {
    const add = discoverExercises(wb.path).find((e) => e.dir === "01_add")!;
    const ms = listMutants(wb.path, add);
    assert.deepEqual(ms.map((m) => m.name), ["ignores_b", "later_off_by_one", "subtracts"]);
    assert.deepEqual(ms.map((m) => m.problem), [undefined, undefined, undefined]);
    assert.equal(ms[2]!.description, "subtracts");
    assert.equal(ms[2]!.path, join(wb.path, "solutions", "01_add", "mutants", "subtracts.patch"));
    assert.match(ms[2]!.files["add.ts"]!, /return a - b;/);
  });

  it("listMutants() is empty for an exercise without a mutants folder", () => {
    const add = discoverExercises(wb.path).find((e) => e.dir === "01_add")!;
    assert.deepEqual(listMutants(wb.path, { ...add, dir: "09_none" }), []);
  });

  it("strayMutantFiles() names what in mutants/ is not a patch", () => {
    const dir = join(wb.path, "solutions", "02_greet", "mutants");
    assert.deepEqual(strayMutantFiles(wb.path, "02_greet"), []);
    writeFileSync(join(dir, "old_copy.ts"), "");
    writeFileSync(join(dir, "a.txt"), "");
    assert.deepEqual(strayMutantFiles(wb.path, "02_greet"), ["a.txt", "old_copy.ts"]);
    assert.deepEqual(strayMutantFiles(wb.path, "09_none"), []);
  });

  it("listAlternatives() lists the folders of solutions/NN/alternatives, sorted", () => {
    assert.deepEqual(listAlternatives(wb.path, "03_clock"), []);
    const alt = join(wb.path, "solutions", "03_clock", "alternatives");
    mkdirSync(join(alt, "with_class"), { recursive: true });
    mkdirSync(join(alt, "as_loop"), { recursive: true });
    writeFileSync(join(alt, "README.md"), "");
    assert.deepEqual(listAlternatives(wb.path, "03_clock"), ["as_loop", "with_class"]);
  });
});
