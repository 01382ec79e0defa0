import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { currentRuntime } from "../engine/runtimes.ts";
import { batchGrade, safeName } from "./batch.ts";

const rt = currentRuntime() ?? "bun";
const temp = (tag: string) => mkdtempSync(join(tmpdir(), `workbook-course-${tag}-`));

describe("batch", () => {
  let wb: FixtureDir;
  let dir: string;
  before(() => {
    wb = makeWorkbook();
    dir = temp("batch");
    const subs = join(dir, "subs");
    const put = (student: string, rel: string, text: string) => {
      mkdirSync(join(subs, student, rel, ".."), { recursive: true });
      writeFileSync(join(subs, student, rel), text);
    };
    const sol = (f: string) => readFileSync(join(wb.path, "solutions", f), "utf8");
    put("ada", "exercises/01_add/add.ts", sol("01_add/add.ts"));
    put("ada", "exercises/02_greet/greet.ts", sol("02_greet/greet.ts"));
    put("ada", "exercises/03_clock/later.ts", sol("03_clock/later.ts"));
    put("bob", "02_greet/greet.ts", sol("02_greet/greet.ts"));
    put(
      "=cmd|x",
      "add.ts",
      "export function add(a: number, b: number): number {\n  while (Date.now() > 0) { /* spin */ }\n  return a + b;\n}\nexport async function addLater(a: number, b: number): Promise<number> {\n  return a + b;\n}\n",
    );
    put(
      "eve",
      "exercises/01_add/add.ts",
      'console.log("10 passed, 0 failed");\nprocess.exit(0);\n' + sol("01_add/add.ts"),
    );
    mkdirSync(join(subs, "empty"), { recursive: true });
  });
  after(() => {
    wb.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "batchGrade() writes one gradebook row and one JSON per student and survives hostile submissions",
    { timeout: 120_000 },
    async () => {
      const out = join(dir, "book.csv");
      const r = await batchGrade({
        toolRoot: TOOL_ROOT,
        dir: join(dir, "subs"),
        hiddenDir: wb.path,
        out,
        jobs: 3,
        runtime: rt,
        timeoutSec: 3,
      });
      const by = new Map(r.rows.map((x) => [x.student, x]));
      assert.deepEqual([...by.keys()].sort(), ["=cmd|x", "ada", "bob", "empty", "eve"]);
      assert.equal(by.get("ada")!.total, 30);
      assert.equal(by.get("bob")!.scores["02_greet"], 10);
      assert.equal(by.get("bob")!.scores["01_add"], 0);
      // add() loops (each of its tests is stopped at the deadline); addLater() is right (1 of 5).
      assert.equal(by.get("=cmd|x")!.scores["01_add"], 2);
      assert.match(by.get("=cmd|x")!.note, /cpu-loop/, JSON.stringify(by.get("=cmd|x")));
      assert.equal(by.get("eve")!.scores["01_add"], 0);
      assert.equal(by.get("empty")!.total, 0);
      assert.match(by.get("empty")!.note, /no stub files/);
      for (const x of r.rows) assert.equal(x.status, "graded", `${x.student}: ${x.note}`);
      const csv = readFileSync(out, "utf8").split("\n");
      assert.equal(csv[0], "student,01_add,02_greet,03_clock,total,max,status,note");
      assert.ok(csv.some((l) => l.startsWith("'=cmd|x,")), "formula-like names are defused");
      assert.ok(existsSync(join(dir, "book", "ada.json")));
      assert.equal(
        JSON.parse(readFileSync(join(dir, "book", "ada.json"), "utf8")).report.score,
        30,
      );
    },
  );
});

describe("safeName()", () => {
  it("safeName() keeps a name of letters, digits, '.', '_' and '-' as it is", () => {
    assert.equal(safeName("ada-lovelace_1.2"), "ada-lovelace_1.2");
  });

  it("safeName() replaces other characters and a leading dot, adding a hash of the original", () => {
    for (
      const [name, plain] of [
        ["Doe, John/../x", "Doe__John_.._x"],
        ["..hidden", "_hidden"],
        ["=cmd|x", "_cmd_x"],
        ["", "_"],
      ]
    ) {
      assert.match(
        safeName(name!),
        new RegExp(`^${plain!.replace(/\./g, "\\.")}-[0-9a-f]{8}$`),
        name,
      );
    }
    assert.equal(safeName("=cmd|x"), safeName("=cmd|x"), "the same name always maps the same way");
  });

  it("safeName() gives two names that differ only in unsafe characters different files", () => {
    const names = ["a b", "a_b", "a/b", "a:b"].map(safeName);
    assert.equal(new Set(names).size, 4, names.join(" "));
    assert.ok(names.every((n) => /^[\w.-]+$/.test(n)), names.join(" "));
  });
});
