import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { sandboxed, sandboxStatus, TMP_BYTES } from "./sandbox.ts";

const root = realpathSync(mkdtempSync(join(tmpdir(), "sandbox-test-")));
after(() => rmSync(root, { recursive: true, force: true }));
const ws = join(root, "ws");
mkdirSync(join(ws, "exercises", "01_a"), { recursive: true });
mkdirSync(join(ws, "exercises", "02_b"), { recursive: true });
writeFileSync(join(ws, "exercises", "01_a", "a.ts"), "mine\n");
writeFileSync(join(ws, "exercises", "02_b", "b.hidden.ts"), "not yours\n");
symlinkSync("/nowhere/node_modules", join(ws, "node_modules"));
const SH = realpathSync("/bin/sh");

/** The values following each occurrence of `flag` (`n` of them) in an argument list. */
function valuesAfter(args: string[], flag: string, n = 2): string[][] {
  const out: string[][] = [];
  args.forEach((a, i) => a === flag && out.push(args.slice(i + 1, i + 1 + n)));
  return out;
}

describe("sandboxStatus()", () => {
  it("sandboxStatus() names a bwrap that exists, or says why there is none, the same each call", () => {
    const s = sandboxStatus();
    if (s.ok) assert.match(s.bwrap, /^\/(usr\/(local\/)?)?bin\/bwrap$/);
    else assert.match(s.why, /^bubblewrap \(bwrap\) is not installed|^bwrap cannot create/);
    assert.equal(sandboxStatus(), s);
  });
});

describe("sandboxed()", () => {
  it("sandboxed() runs bwrap with every namespace, no capabilities, a new session and a sized /tmp", () => {
    const { cmd, args } = sandboxed("/usr/bin/bwrap", { ws, readOnly: [], env: {} }, "/bin/sh", []);
    assert.equal(cmd, "/usr/bin/bwrap");
    for (const flag of ["--unshare-all", "--die-with-parent", "--new-session", "--clearenv"]) {
      assert.ok(args.includes(flag), flag);
    }
    assert.deepEqual(valuesAfter(args, "--cap-drop", 1), [["ALL"]]);
    assert.deepEqual(valuesAfter(args, "--size", 3), [[String(TMP_BYTES), "--tmpfs", "/tmp"]]);
    assert.equal(TMP_BYTES, 256 * 1024 * 1024);
  });

  it("sandboxed() ends with the command's real path under sh, output merged, in the workspace", () => {
    const { args } = sandboxed("/usr/bin/bwrap", { ws, readOnly: [], env: {} }, "/bin/sh", [
      "-c",
      "echo hi",
    ]);
    assert.deepEqual(args.slice(-8), [
      "--chdir",
      ws,
      "/bin/sh",
      "-c",
      'exec "$0" "$@" 2>&1',
      SH,
      "-c",
      "echo hi",
    ]);
    assert.ok(
      valuesAfter(args, "--ro-bind").some(([a, b]) => a === dirname(SH) && b === dirname(SH)),
    );
  });

  it("sandboxed() sets a default PATH, HOME and TMPDIR, overridden and extended by the view's", () => {
    const { args } = sandboxed(
      "/usr/bin/bwrap",
      {
        ws,
        readOnly: [],
        env: { HOME: "/home/x", DENO_DIR: "/tmp/deno-dir" },
      },
      "/bin/sh",
      [],
    );
    assert.deepEqual(Object.fromEntries(valuesAfter(args, "--setenv")), {
      PATH: "/usr/bin:/bin",
      HOME: "/home/x",
      TMPDIR: "/tmp",
      DENO_DIR: "/tmp/deno-dir",
    });
    assert.ok(args.indexOf("--clearenv") < args.indexOf("--setenv"));
  });

  it("sandboxed() binds the whole workspace read-only when no entries are listed", () => {
    const { args } = sandboxed("/usr/bin/bwrap", { ws, readOnly: [], env: {} }, "/bin/sh", []);
    assert.ok(valuesAfter(args, "--ro-bind").some(([a, b]) => a === ws && b === ws));
    assert.equal(args.includes("--dir"), false);
  });

  it("sandboxed() binds read-only folders by their real path, once each", () => {
    const link = join(root, "modules-link");
    mkdirSync(join(root, "modules"));
    symlinkSync(join(root, "modules"), link);
    const { args } = sandboxed(
      "/usr/bin/bwrap",
      {
        ws,
        readOnly: [link, join(root, "modules")],
        env: {},
      },
      "/bin/sh",
      [],
    );
    const binds = valuesAfter(args, "--ro-bind").filter(([a]) => a!.startsWith(root));
    assert.deepEqual(binds, [[join(root, "modules"), join(root, "modules")], [ws, ws]]);
  });

  it("sandboxed() with listed entries shows only those that exist, links recreated as links", () => {
    const { args } = sandboxed(
      "/usr/bin/bwrap",
      {
        ws,
        readOnly: [],
        env: {},
        only: ["exercises/01_a", "node_modules", "deno.json"],
      },
      "/bin/sh",
      [],
    );
    assert.deepEqual(valuesAfter(args, "--dir", 1), [[ws]]);
    assert.deepEqual(valuesAfter(args, "--ro-bind").filter(([a]) => a!.startsWith(root)), [
      [join(ws, "exercises/01_a"), join(ws, "exercises/01_a")],
    ]);
    assert.deepEqual(valuesAfter(args, "--symlink").filter(([, b]) => b!.startsWith(root)), [
      ["/nowhere/node_modules", join(ws, "node_modules")],
    ]);
  });

  it(
    "sandboxed() really hides other entries and the grader's environment, and keeps it read-only",
    {
      skip: !sandboxStatus().ok,
      timeout: 20_000,
    },
    () => {
      const s = sandboxStatus();
      if (!s.ok) return;
      const { cmd, args } = sandboxed(
        s.bwrap,
        {
          ws,
          readOnly: [],
          env: { FOO: "bar" },
          only: ["exercises/01_a"],
        },
        "/bin/sh",
        [
          "-c",
          'cat exercises/01_a/a.ts; ls exercises; echo "$FOO:${GRADER_SECRET:-none}"; ' +
          "touch exercises/01_a/new 2>/dev/null || echo read-only; echo oops >&2",
        ],
      );
      const r = spawnSync(cmd, args, {
        encoding: "utf8",
        timeout: 15_000,
        env: { ...process.env, GRADER_SECRET: "s3cret" },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, "mine\n01_a\nbar:none\nread-only\noops\n");
    },
  );
});
