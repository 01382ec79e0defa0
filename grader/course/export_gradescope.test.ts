import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { exportGradescope } from "./export_gradescope.ts";

const temp = (tag: string) => mkdtempSync(join(tmpdir(), `workbook-course-${tag}-`));

describe("export --gradescope", () => {
  it("exportGradescope() zips setup.sh, an executable run_autograder and the workbook with hidden tests, without solutions", () => {
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
      assert.match(script, /--format gradescope --out \/autograder\/results\/results.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
