import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { Buffer } from "node:buffer";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Exercise } from "./types.ts";
import { createWorkspace, HARNESS, isHiddenTest, type Unit, type Workspace } from "./workspace.ts";

const base = realpathSync(mkdtempSync(join(tmpdir(), "workspace-test-")));
const made: Workspace[] = [];
after(() => {
  made.forEach((w) => w.cleanup());
  rmSync(base, { recursive: true, force: true });
});

function put(root: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

const TEST = 'import { it } from "node:test";\nit("a", () => {});\n';
const pristine = put(join(base, "pristine"), {
  "lib/mod.ts": "export {};\n",
  "lib/clock.test.ts": "",
  "lib/testdata/x.json": "{}",
  "package.json": '{"name":"pristine"}',
  "deno.json": "{}",
  "exercises/01_a/a.ts": "stub\n",
  "exercises/01_a/given.ts": "given\n",
  "exercises/01_a/a.test.ts": TEST,
  "exercises/01_a/a.hidden.ts": TEST,
  "exercises/01_a/sub/data.txt": "data",
});
const tool = put(join(base, "tool"), {
  "tsconfig.json": '{"tool":true}',
  "package.json": '{"name":"tool"}',
  "node_modules/pkg/index.js": "",
});
const solution = put(join(base, "solution"), { "a.ts": "solved\n" });

const ex = {
  dir: "01_a",
  meta: { title: "A", stubs: ["a.ts", "b.ts"], weights: {}, timeoutSec: 30, realTime: false },
  pristineDir: join(pristine, "exercises", "01_a"),
  testFiles: ["a.test.ts", "a.hidden.ts"],
  cpythonFiles: [],
} as unknown as Exercise;

function build(units: Unit[], o: { harness?: boolean } = {}): Workspace {
  const w = createWorkspace(pristine, tool, units, o);
  made.push(w);
  return w;
}
const unit = (over: Partial<Unit> = {}): Unit => ({
  key: "01_a",
  exercise: ex,
  wsDir: "01_a",
  stubSources: { "a.ts": join(solution, "a.ts"), "b.ts": null },
  ...over,
});

describe("isHiddenTest()", () => {
  it("isHiddenTest() is true for hidden and conformance tests only", () => {
    assert.equal(isHiddenTest("a.hidden.ts"), true);
    assert.equal(isHiddenTest("a.cpython.ts"), true);
    assert.equal(isHiddenTest("a.test.ts"), false);
    assert.equal(isHiddenTest("hidden.ts"), false);
  });
});

describe("createWorkspace()", () => {
  it("createWorkspace() makes a run folder in the temp folder with ws/ and reports/ apart", () => {
    const w = build([]);
    assert.equal(dirname(w.runDir), realpathSync(tmpdir()));
    assert.deepEqual([w.ws, w.reports], [join(w.runDir, "ws"), join(w.runDir, "reports")]);
    assert.ok(lstatSync(w.reports).isDirectory());
  });

  it("createWorkspace() copies lib/ without its tests and data, and each config from the root that has it", () => {
    const w = build([]);
    assert.deepEqual(readdirSync(join(w.ws, "lib")), ["mod.ts"]);
    assert.equal(readFileSync(join(w.ws, "package.json"), "utf8"), '{"name":"pristine"}');
    assert.equal(readFileSync(join(w.ws, "tsconfig.json"), "utf8"), '{"tool":true}');
    assert.ok(existsSync(join(w.ws, "deno.json")));
  });

  it("createWorkspace() links node_modules to the grader's, by real path", () => {
    const w = build([]);
    assert.equal(w.nodeModules, join(tool, "node_modules"));
    assert.equal(readlinkSync(join(w.ws, "node_modules")), join(tool, "node_modules"));
  });

  it("createWorkspace() copies the harness without its tests, and maps node:v8 to its copy", () => {
    const w = build([]);
    const names = readdirSync(join(w.ws, ".harness"));
    assert.ok(names.includes("node_test.ts"), names.join(" "));
    assert.deepEqual(names.filter((n) => n.endsWith(".test.ts")), []);
    assert.equal(
      names.length,
      readdirSync(HARNESS).filter((n) => !n.endsWith(".test.ts")).length + 2,
    );
    assert.deepEqual(JSON.parse(readFileSync(join(w.ws, ".harness/import_map.json"), "utf8")), {
      imports: { "node:v8": "./node_v8.ts", "v8": "./node_v8.ts" },
    });
  });

  it("createWorkspace() copies the exercise, puts each stub from its source, and none where it has none", () => {
    const w = build([unit()]);
    const dir = join(w.ws, "exercises", "01_a");
    assert.equal(readFileSync(join(dir, "a.ts"), "utf8"), "solved\n");
    assert.equal(existsSync(join(dir, "b.ts")), false);
    assert.equal(readFileSync(join(dir, "given.ts"), "utf8"), "given\n");
    assert.equal(readFileSync(join(dir, "sub", "data.txt"), "utf8"), "data");
  });

  it("createWorkspace() writes a mutant's text over its source, in the unit's own folder", () => {
    const w = build([
      unit({ key: "01_a~m", wsDir: "01_a__m", stubTexts: { "a.ts": "mutated\n" } }),
    ]);
    assert.equal(readFileSync(join(w.ws, "exercises/01_a__m/a.ts"), "utf8"), "mutated\n");
    assert.equal(existsSync(join(w.ws, "exercises/01_a")), false);
  });

  it("createWorkspace() points each test file at its own node:test module", () => {
    const w = build([unit()]);
    for (const f of ["a.test.ts", "a.hidden.ts"]) {
      const rel = `exercises/01_a/${f}`;
      const shim = `.harness/t/${Buffer.from(rel).toString("hex")}.ts`;
      assert.match(readFileSync(join(w.ws, shim), "utf8"), new RegExp(`forFile\\("${rel}"\\)`));
      assert.equal(
        readFileSync(join(w.ws, rel), "utf8"),
        TEST.replace("node:test", `../../${shim}`),
      );
    }
  });

  it("createWorkspace() with harness: false copies no harness and leaves the tests as they are", () => {
    const w = build([unit()], { harness: false });
    assert.equal(existsSync(join(w.ws, ".harness")), false);
    assert.equal(readFileSync(join(w.ws, "exercises/01_a/a.test.ts"), "utf8"), TEST);
  });

  it("createWorkspace() refuses a submitted stub that is a link, puts a failing module there, and says why", () => {
    const sub = put(join(base, "sub"), {});
    mkdirSync(join(sub, "exercises/01_a"), { recursive: true });
    symlinkSync(join(solution, "a.ts"), join(sub, "exercises/01_a/a.ts"));
    const u = unit({ stubSources: { "a.ts": join(sub, "exercises/01_a/a.ts") }, stubRoot: sub });
    const w = build([u]);
    assert.deepEqual(u.refused, {
      "a.ts": "it is a symbolic link, not a file: submit the file itself",
    });
    assert.match(
      readFileSync(join(w.ws, "exercises/01_a/a.ts"), "utf8"),
      /^throw new Error\("the grader did not take a\.ts from the submission: it is a symbolic link/,
    );
  });
});

describe("Workspace", () => {
  it("Workspace.hide() removes hidden test files only, and restore() puts back their text", () => {
    const w = build([unit()]);
    const hid = "exercises/01_a/a.hidden.ts";
    const text = readFileSync(join(w.ws, hid), "utf8");
    w.hide([hid, "exercises/01_a/a.test.ts", "exercises/01_a/given.ts"]);
    assert.equal(existsSync(join(w.ws, hid)), false);
    assert.ok(existsSync(join(w.ws, "exercises/01_a/a.test.ts")));
    assert.ok(existsSync(join(w.ws, "exercises/01_a/given.ts")));
    w.restore([hid, "exercises/01_a/given.ts"]);
    assert.equal(readFileSync(join(w.ws, hid), "utf8"), text);
  });

  it("Workspace.restore() leaves a file that is there as it is", () => {
    const w = build([unit()]);
    const hid = "exercises/01_a/a.hidden.ts";
    writeFileSync(join(w.ws, hid), "changed");
    w.restore([hid]);
    assert.equal(readFileSync(join(w.ws, hid), "utf8"), "changed");
  });

  it("Workspace.cleanup() removes the run folder, and may be called twice", () => {
    const w = createWorkspace(pristine, tool, [unit()]);
    w.cleanup();
    w.cleanup();
    assert.equal(existsSync(w.runDir), false);
  });
});
