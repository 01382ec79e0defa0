import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  atLeast,
  BINARY_ENV,
  currentRuntime,
  findBinary,
  MIN_VERSION,
  MissingRuntimeError,
  pinnedVersion,
} from "./runtimes.ts";
import { TOOL_ROOT } from "./tool_root.ts";
import type { Runtime } from "./types.ts";

const own = currentRuntime();
/** The runtime this test does not run on (Deno under Node). */
const other: Runtime = own === "deno" ? "bun" : "deno";

/** Runs `body` with PATH emptied, so only the workbook's own binaries can be found. */
function withoutPath<T>(body: () => T): T {
  const saved = process.env.PATH;
  process.env.PATH = "";
  try {
    return body();
  } finally {
    process.env.PATH = saved;
  }
}

/** Runs `body` with these environment variables set (undefined: unset), then restores them. */
function withEnv<T>(vars: Record<string, string | undefined>, body: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const put = (k: string, v: string | undefined) => {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  };
  for (const [k, v] of Object.entries(vars)) put(k, v);
  try {
    return body();
  } finally {
    for (const [k, v] of Object.entries(saved)) put(k, v);
  }
}

/** A folder holding an executable `name` that runs `script`. */
function scriptIn(dir: string, name: string, script: string): string {
  mkdirSync(dir, { recursive: true });
  const f = join(dir, name);
  writeFileSync(f, `#!/bin/sh\n${script}\n`);
  chmodSync(f, 0o755);
  return f;
}

/** Runs `body` in a fresh temporary folder, removed afterwards. */
function inTemp<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "grader-runtimes-"));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const RUNTIMES: Runtime[] = ["deno", "bun"];

function fakeBin(root: string, name: string, script: string): void {
  mkdirSync(join(root, "node_modules", ".bin"), { recursive: true });
  const f = join(root, "node_modules", ".bin", name);
  writeFileSync(f, `#!/bin/sh\n${script}\n`);
  chmodSync(f, 0o755);
}

describe("currentRuntime()", () => {
  it("currentRuntime() names the runtime running the tests", () => {
    const expected = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : null;
    assert.equal(own, expected);
    assert.ok(own === "deno" || own === "bun", "the suites run under Deno or Bun");
  });
});

describe("findBinary()", () => {
  it("findBinary() prefers the pinned binary of node_modules to the running runtime's own", () => {
    const bin = findBinary(own ?? "deno", TOOL_ROOT);
    assert.ok(
      bin !== null && bin.startsWith(join(TOOL_ROOT, "node_modules")),
      `the pinned one, not ${bin}`,
    );
  });

  it("atLeast() compares versions numerically", () => {
    assert.equal(atLeast("2.10.0", "2.9.5"), true);
    assert.equal(atLeast("1.3.9", "1.4.0"), false);
    assert.equal(atLeast("1.4.0", "1.4.0"), true);
  });

  it("findBinary() finds the other runtime in the workbook's node_modules without PATH, and it runs", () => {
    const bin = withoutPath(() => findBinary(other, TOOL_ROOT));
    assert.ok(bin !== null, `${other} is a devDependency`);
    assert.ok(bin.startsWith(join(TOOL_ROOT, "node_modules")), bin);
    const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /\d+\.\d+/);
  });

  it("findBinary() skips a placeholder in node_modules/.bin that does not run, and says null", () => {
    const root = mkdtempSync(join(tmpdir(), "grader-runtimes-"));
    try {
      fakeBin(root, other, 'echo "postinstall script was not run" >&2; exit 1');
      assert.equal(withoutPath(() => findBinary(other, root)), null);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("findBinary() takes node_modules/.bin/<runtime> when it prints a version", () => {
    const root = mkdtempSync(join(tmpdir(), "grader-runtimes-"));
    try {
      fakeBin(root, other, `echo "${other} 9.9.9"`);
      assert.equal(
        withoutPath(() => findBinary(other, root)),
        join(root, "node_modules", ".bin", other),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("WORKBOOK_DENO and WORKBOOK_BUN", () => {
  it("findBinary() takes the binary WORKBOOK_DENO / WORKBOOK_BUN names, before the pinned one", () => {
    for (const rt of RUNTIMES) {
      inTemp((dir) => {
        const forced = scriptIn(dir, rt, `echo "${rt} 99.0.0"`);
        assert.equal(
          withEnv({ [BINARY_ENV[rt]]: forced }, () => findBinary(rt, TOOL_ROOT)),
          forced,
        );
      });
    }
  });

  it("findBinary() refuses a WORKBOOK_* binary older than MIN_VERSION; the error names both versions and the upgrade", () => {
    for (const rt of RUNTIMES) {
      inTemp((dir) => {
        const forced = scriptIn(dir, rt, `echo "${rt} 1.0.0"`);
        const found = withEnv({ [BINARY_ENV[rt]]: forced }, () => findBinary(rt, TOOL_ROOT));
        assert.equal(found, null, "an old release is not used, even when named");
        const m = new MissingRuntimeError(rt).message;
        assert.ok(m.includes(`${BINARY_ENV[rt]}=${forced} is ${rt} 1.0.0`), m);
        assert.ok(m.includes(`older than ${rt} ${MIN_VERSION[rt]}`), m);
        const upgrade = rt === "deno"
          ? `deno upgrade --version ${pinnedVersion("deno", TOOL_ROOT)}`
          : "bun upgrade";
        assert.ok(m.includes(upgrade) && m.includes("npm install"), m);
      });
    }
  });

  it("findBinary() says null when WORKBOOK_* names a file that does not run, and the error names the variable", () => {
    for (const rt of RUNTIMES) {
      inTemp((dir) => {
        const forced = scriptIn(dir, rt, "exit 1");
        assert.equal(withEnv({ [BINARY_ENV[rt]]: forced }, () => findBinary(rt, TOOL_ROOT)), null);
        assert.match(
          new MissingRuntimeError(rt).message,
          new RegExp(`${BINARY_ENV[rt]}=.* does not run`),
        );
      });
    }
  });
});

describe("MIN_VERSION", () => {
  it("the releases package.json pins are at least MIN_VERSION", () => {
    for (const rt of RUNTIMES) {
      const pinned = pinnedVersion(rt, TOOL_ROOT);
      assert.ok(pinned !== null, `package.json pins ${rt}`);
      assert.ok(atLeast(pinned, MIN_VERSION[rt]), `${rt} ${pinned} < ${MIN_VERSION[rt]}`);
    }
  });

  it("a runtime on PATH older than MIN_VERSION is refused: the error names both versions and the upgrade", () => {
    inTemp((root) => {
      writeFileSync(
        join(root, "package.json"),
        JSON.stringify({ devDependencies: { deno: "9.8.7", bun: "9.8.7" } }),
      );
      const bin = join(root, "bin");
      scriptIn(bin, other, `echo "${other} 1.0.0"`);
      const found = withEnv(
        { PATH: bin, [BINARY_ENV[other]]: undefined },
        () => findBinary(other, root),
      );
      assert.equal(found, null);
      const m = new MissingRuntimeError(other).message;
      assert.ok(
        m.startsWith(
          `Cannot grade under ${other}: ${
            join(bin, other)
          } is ${other} 1.0.0, older than ${other} ${MIN_VERSION[other]}`,
        ),
        m,
      );
      assert.ok(
        m.includes(other === "deno" ? "`deno upgrade --version 9.8.7`" : "`bun upgrade`"),
        m,
      );
      assert.ok(m.includes("`npm install`") && m.includes(`pinned ${other} 9.8.7`), m);
      if (other === "deno") assert.ok(m.includes("grader/setup/ensure_deps.ts --all"), m);
    });
  });

  it("a runtime on PATH at MIN_VERSION is taken", () => {
    inTemp((root) => {
      const bin = join(root, "bin");
      scriptIn(bin, other, `echo "${other} ${MIN_VERSION[other]}"`);
      assert.equal(
        withEnv({ PATH: bin, [BINARY_ENV[other]]: undefined }, () => findBinary(other, root)),
        join(bin, other),
      );
    });
  });
});

describe("MissingRuntimeError", () => {
  it("MissingRuntimeError names the runtime and the ways out", () => {
    inTemp((root) => {
      const found = withEnv(
        { PATH: "", [BINARY_ENV.bun]: undefined },
        () => findBinary("bun", root),
      );
      assert.equal(found, own === "bun" ? process.execPath : null);
    });
    const e = new MissingRuntimeError("bun");
    assert.ok(e instanceof Error);
    assert.equal(e.name, "MissingRuntimeError");
    assert.match(
      e.message,
      /^Cannot grade under bun: no "bun" binary in node_modules\/\.bin or on PATH/,
    );
    assert.match(e.message, /npm ci.*install bun.*another --runtime/);
  });
});
