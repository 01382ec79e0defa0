import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { sandboxStatus } from "../engine/sandbox.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { exportGradescope } from "./export_gradescope.ts";

const temp = (tag: string) => mkdtempSync(join(tmpdir(), `workbook-course-${tag}-`));

describe("export --gradescope", () => {
  it(
    "exportGradescope() zips setup.sh, an executable run_autograder and the workbook with hidden tests, without solutions",
    {
      timeout: 120_000,
    },
    () => {
      const dir = temp("gs");
      try {
        const zip = join(dir, "autograder.zip");
        const r = exportGradescope(TOOL_ROOT, zip);
        const names = Object.keys(unzipSync(readFileSync(zip)));
        assert.deepEqual(names.slice(0, 2), ["setup.sh", "run_autograder"]);
        assert.deepEqual(new Set(names), new Set(r.entries));
        assert.ok(names.some((n) => n.endsWith(".hidden.ts")));
        assert.ok(names.includes("package-lock.json") && names.includes("grader/main.ts"));
        assert.equal(
          names.some((n) =>
            n.startsWith("solutions/") || n.includes("/mutants/") || n.includes("fixtures")
          ),
          false,
        );
        const script = readFileSync(
          join(TOOL_ROOT, "grader", "templates", "gradescope", "run_autograder"),
          "utf8",
        );
        assert.match(script, /--runtime deno/);
        assert.match(script, /--format gradescope --out "\$RESULTS"/);
        assert.match(script, /RESULTS="\$ROOT\/results\/results.json"/);
        assert.match(script, /ROOT="\$\{AUTOGRADER_ROOT:-\/autograder\}"/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

/**
 * Runs the bundle's run_autograder as Gradescope would, on a fixture workbook: AUTOGRADER_ROOT
 * holds source/ (the workbook, its grader and node_modules), submission/ and results/.
 */
describe("run_autograder", () => {
  let wb: FixtureDir;
  let root = "";
  before(() => {
    wb = makeWorkbook();
    root = mkdtempSync(join(tmpdir(), "workbook-course-autograder-"));
    const source = join(root, "source");
    cpSync(wb.path, source, { recursive: true });
    // The grader finds its workbook from its own path: a copy (without the mutation tool's
    // node_modules and the fixtures), not a link to this one.
    cpSync(join(TOOL_ROOT, "grader"), join(source, "grader"), {
      recursive: true,
      filter: (p) => !/\/grader\/(stryker\/node_modules|fixtures)(\/|$)/.test(p),
    });
    symlinkSync(join(TOOL_ROOT, "node_modules"), join(source, "node_modules"), "dir");
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    wb.cleanup();
  });

  /** Runs run_autograder on a submission made of `files` and returns results.json. */
  function autograde(files: Record<string, string>): { score: number; output: string } {
    rmSync(join(root, "submission"), { recursive: true, force: true });
    rmSync(join(root, "results"), { recursive: true, force: true });
    mkdirSync(join(root, "submission"));
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(root, "submission", rel, ".."), { recursive: true });
      writeFileSync(join(root, "submission", rel), text);
    }
    const r = spawnSync(
      "bash",
      [join(TOOL_ROOT, "grader", "templates", "gradescope", "run_autograder")],
      { env: { ...process.env, AUTOGRADER_ROOT: root, NO_COLOR: "1" }, encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(readFileSync(join(root, "results", "results.json"), "utf8"));
  }

  it("an empty submission is not graded and says no stub file was found (not just a total of 0)", {
    timeout: 120_000,
  }, () => {
    const r = autograde({});
    assert.equal(r.score, 0);
    assert.match(r.output, /^No stub file was found in your submission, so nothing was graded/);
    assert.match(r.output, /\nFiles received: none$/);
  });

  it("a submission with no stub file names the files it had", { timeout: 120_000 }, () => {
    const r = autograde({ "notes.txt": "hello", "src/main.py": "print(1)" });
    assert.match(r.output, /^No stub file was found in your submission/);
    assert.equal(
      r.output.split("\n").slice(1).join("\n"),
      "Files received: notes.txt\nsrc/main.py",
    );
  });

  it("a partial submission is graded, and the student sees which stubs were not in it", {
    timeout: 300_000,
    skip: sandboxStatus().ok ? false : "no sandbox: the grader refuses to grade a submission",
  }, () => {
    const greet = readFileSync(join(wb.path, "solutions", "02_greet", "greet.ts"), "utf8");
    const r = autograde({ "greet.ts": greet });
    assert.equal(r.score, 10);
    assert.match(
      r.output,
      /^collected 1 stub file\(s\) from .*; not in the submission \(graded as pristine stubs\): 01_add\/add\.ts, 03_clock\/later\.ts\n\nTotal 10\/30 \(deno\)/,
    );
  });
});
