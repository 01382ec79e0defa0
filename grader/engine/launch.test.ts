import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { Buffer } from "node:buffer";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GradeOptions } from "./grade_options.ts";
import { deadlineOf, launchFor, writeEntry, writeJob, writeSpareEntry } from "./launch.ts";
import type { Exercise } from "./types.ts";
import type { Unit, Workspace } from "./workspace.ts";

const runDir = realpathSync(mkdtempSync(join(tmpdir(), "launch-test-")));
after(() => rmSync(runDir, { recursive: true, force: true }));
const ws: Workspace = {
  runDir,
  ws: join(runDir, "ws"),
  reports: join(runDir, "reports"),
  nodeModules: null,
  cleanup: () => {},
  hide: () => {},
  restore: () => {},
};
mkdirSync(join(ws.ws, "exercises", "21_w"), { recursive: true });
writeFileSync(join(ws.ws, "exercises", "21_w", "pool.ts"), "");
writeFileSync(join(ws.ws, "exercises", "21_w", "pool.hidden.ts"), "");

function unit(dir: string, realTime = false, timeoutSec = 30): Unit {
  const exercise = {
    dir,
    meta: { title: dir, stubs: [], weights: {}, timeoutSec, realTime },
    testFiles: [],
  } as unknown as Exercise;
  return { key: dir, exercise, wsDir: dir, stubSources: {} };
}

const options = (over: Partial<GradeOptions> = {}): GradeOptions => ({
  toolRoot: "/tool",
  pristineRoot: "/tool",
  submissionRoot: "/tool",
  exercises: [],
  mode: "submission",
  runtimes: ["deno"],
  sandbox: false,
  ...over,
});

const read = (rel: string) => readFileSync(join(ws.ws, rel), "utf8");
const markOf = (n: string, file: string) => `m/${n}-${Buffer.from(file).toString("hex")}.ts`;

describe("deadlineOf()", () => {
  it("deadlineOf() gives a submission's test 10 s, or 20 s with real threads, in ms", () => {
    assert.equal(deadlineOf(unit("01_a"), options()), 10_000);
    assert.equal(deadlineOf(unit("21_w", true), options()), 20_000);
  });

  it("deadlineOf() gives known code 4 s, or 8 s with real threads", () => {
    for (const mode of ["solutions", "stubs", "mutants", "alternatives"] as const) {
      assert.equal(deadlineOf(unit("01_a"), options({ mode })), 4_000, mode);
      assert.equal(deadlineOf(unit("21_w", true), options({ mode })), 8_000, mode);
    }
  });

  it("deadlineOf() never exceeds the exercise's own limit, and the option overrides both", () => {
    assert.equal(deadlineOf(unit("01_a", false, 3), options()), 3_000);
    assert.equal(deadlineOf(unit("21_w", true, 0.5), options({ mode: "solutions" })), 500);
    assert.equal(deadlineOf(unit("01_a", false, 3), options({ timeoutSec: 60 })), 60_000);
  });
});

describe("writeEntry()", () => {
  it("writeEntry() imports the start, the kit, then each test file after its mark, then runs", () => {
    const files = ["exercises/01_a/a.test.ts", "exercises/01_a/a.hidden.ts"];
    const e = writeEntry(ws, files, "n0nce");
    const n = /^\.harness\/entry-(\d+)\.ts$/.exec(e.entry)![1]!;
    const marks = files.map((f) => markOf(n, f));
    assert.deepEqual(read(e.entry).split("\n"), [
      'import "./start.ts";',
      'import "../lib/mod.ts";',
      'import "./lib_loaded.ts";',
      `import "./${marks[0]}";`,
      'import "../exercises/01_a/a.test.ts";',
      `import "./${marks[1]}";`,
      'import "../exercises/01_a/a.hidden.ts";',
      'import { run } from "./hub.ts";',
      'await run("n0nce");',
      "",
    ]);
    assert.equal(
      read(`.harness/${marks[1]}`),
      'import { mark } from "../hub.ts";\nmark("exercises/01_a/a.hidden.ts", "n0nce");\n',
    );
    assert.deepEqual(e.files, [...marks, `entry-${n}.ts`].map((f) => join(ws.ws, ".harness", f)));
    assert.match(read(".harness/lib_loaded.ts"), /libLoaded\(lastRun\);/);
  });

  it("writeEntry() names each session's entry apart, and runs with no test file", () => {
    const a = writeEntry(ws, [], "one");
    const b = writeEntry(ws, [], "two");
    assert.notEqual(a.entry, b.entry);
    assert.deepEqual(a.files, [join(ws.ws, a.entry)]);
    assert.match(read(b.entry), /\nawait run\("two"\);\n$/);
  });
});

describe("writeSpareEntry() and writeJob()", () => {
  it("writeSpareEntry() waits for the go before importing a job it does not write", () => {
    const { entry, job } = writeSpareEntry(ws, "sp4re");
    const n = /^\.harness\/spare-(\d+)\.ts$/.exec(entry)![1]!;
    assert.equal(job, join(ws.ws, ".harness", `job-${n}.ts`));
    assert.equal(existsSync(job), false);
    const lines = read(entry).split("\n");
    assert.deepEqual(lines.slice(3), [
      'import { awaitGo } from "./hub.ts";',
      'awaitGo("sp4re");',
      `await import(new URL("./job-${n}.ts", import.meta.url).href);`,
      "",
    ]);
    assert.equal(lines.filter((l) => l.includes("job-")).length, 1);
  });

  it("writeJob() writes the marks and test imports of the files as given, then the run", () => {
    const { job } = writeSpareEntry(ws, "sp4re");
    writeJob(job, ["exercises/01_a/a.test.ts"], "sp4re");
    const lines = readFileSync(job, "utf8").split("\n");
    assert.match(lines[0]!, /^import "\.\/m\/\d+-[0-9a-f]+\.ts";$/);
    const mark = lines[0]!.slice('import "./'.length, -2);
    assert.match(read(`.harness/${mark}`), /mark\("exercises\/01_a\/a\.test\.ts", "sp4re"\)/);
    assert.deepEqual(lines.slice(1), [
      'import "../exercises/01_a/a.test.ts";',
      'import { run } from "./hub.ts";',
      'await run("sp4re");',
      "",
    ]);
  });
});

describe("launchFor()", () => {
  it("launchFor() runs Deno without prompts or reads, output merged, with its own cache folder", () => {
    const l = launchFor("deno", "/bin/deno", ws, [unit("01_a")], options(), ".harness/entry-1.ts");
    assert.deepEqual([l.cmd, l.cwd], ["sh", ws.ws]);
    assert.deepEqual(l.args, [
      "-c",
      'exec "$0" "$@" 2>&1',
      "/bin/deno",
      "run",
      "--no-prompt",
      "--no-lock",
      "--node-modules-dir=manual",
      "--allow-env=WORKBOOK_CLOCK_REPORT",
      "--import-map=.harness/import_map.json",
      ".harness/entry-1.ts",
    ]);
    assert.equal(l.env.DENO_DIR, join(runDir, "deno-dir"));
    assert.ok(existsSync(join(runDir, "deno-dir")));
    assert.deepEqual([l.env.NO_COLOR, l.env.TZ, l.env.WORKBOOK_CLOCK_REPORT], ["1", "UTC", "1"]);
  });

  it("launchFor() lets Deno read a real-time exercise's files, lib, extras and node_modules", () => {
    const l = launchFor(
      "deno",
      "/bin/deno",
      { ...ws, nodeModules: "/nm" },
      [unit("01_a"), unit("21_w", true)],
      options(),
      "e.ts",
      [".harness/job-9.ts"],
    );
    const allow = l.args.filter((a) => a.startsWith("--allow-read="));
    assert.deepEqual(allow, [
      `--allow-read=${
        ["exercises/21_w/pool.ts", "lib", ".harness/job-9.ts"].map((p) => join(ws.ws, p)).join(",")
      },/nm`,
    ]);
  });

  it("launchFor() runs Bun without installing, and without the clock report when told", () => {
    const l = launchFor("bun", "/bin/bun", ws, [], options({ clockReport: false }), "e.ts");
    assert.deepEqual(l.args, ["-c", 'exec "$0" "$@" 2>&1', "/bin/bun", "--no-install", "e.ts"]);
    assert.equal("WORKBOOK_CLOCK_REPORT" in l.env, false);
  });

  it("launchFor() in the sandbox shows only the group's exercises and passes the env through bwrap", () => {
    const l = launchFor(
      "deno",
      "/bin/sh",
      ws,
      [unit("21_w", true)],
      options({ sandbox: "/usr/bin/bwrap" }),
      "e.ts",
    );
    assert.deepEqual([l.cmd, l.cwd, l.env], ["/usr/bin/bwrap", ws.ws, {}]);
    const setenv = Object.fromEntries(
      l.args.flatMap((a, i) => (a === "--setenv" ? [[l.args[i + 1]!, l.args[i + 2]!]] : [])),
    );
    assert.equal(setenv.DENO_DIR, "/tmp/deno-dir");
    assert.equal(setenv.BUN_RUNTIME_TRANSPILER_CACHE_PATH, "0");
    assert.equal(setenv.WORKBOOK_CLOCK_REPORT, "1");
    const bound = l.args.flatMap((a, i) => (a === "--ro-bind" ? [l.args[i + 1]!] : []));
    assert.ok(bound.includes(join(ws.ws, "exercises/21_w")), bound.join(" "));
    assert.equal(bound.includes(ws.ws), false);
    assert.deepEqual(l.args.slice(-3), [
      "--import-map=.harness/import_map.json",
      `--allow-read=${["exercises/21_w/pool.ts", "lib"].map((p) => join(ws.ws, p)).join(",")}`,
      "e.ts",
    ]);
  });
});
