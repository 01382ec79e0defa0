import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnWatched, type WatchedOptions } from "./watched.ts";

const SH = "/bin/sh";
const LIMIT = { timeout: 20_000 };

/** Starts `script` under sh, collecting its output. */
function sh(script: string, over: Partial<WatchedOptions> = {}) {
  const seen = { text: "" };
  let onText: (() => void) | undefined;
  const w = spawnWatched(SH, ["-c", script], {
    cwd: ".",
    env: {},
    input: "",
    onOutput: (s) => {
      seen.text += s;
      onText?.();
    },
    ...over,
  });
  /** Settles once the output holds `want`. */
  const printed = (want: string) =>
    new Promise<void>((resolve) => {
      onText = () => seen.text.includes(want) && resolve();
      onText();
    });
  return { w, seen, printed };
}

describe("spawnWatched()", () => {
  it(
    "spawnWatched() runs in the given folder with exactly the given environment",
    LIMIT,
    async () => {
      const dir = realpathSync(mkdtempSync(join(tmpdir(), "watched-test-")));
      try {
        const { w, seen } = sh('pwd; echo "${FOO}:${HOME:-none}"', {
          cwd: dir,
          env: { FOO: "bar" },
        });
        const d = await w.done;
        assert.deepEqual([d.code, d.killed, seen.text], [0, null, `${dir}\nbar:none\n`]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it(
    "spawnWatched() with keepInputOpen writes the input, then the rest at finishInput(), once",
    LIMIT,
    async () => {
      const { w, seen, printed } = sh("read a; echo first:$a; cat; echo end", {
        input: "one\n",
        keepInputOpen: true,
      });
      await printed("first:one\n");
      w.finishInput("two\n");
      w.finishInput("three\n");
      const d = await w.done;
      assert.equal(d.code, 0);
      assert.equal(seen.text, "first:one\ntwo\nend\n");
    },
  );

  it("spawnWatched() closes stdin after the input unless told to keep it open", LIMIT, async () => {
    const { w, seen } = sh("cat; echo eof", { input: "all\n" });
    w.finishInput("ignored\n");
    const d = await w.done;
    assert.deepEqual([d.code, seen.text], [0, "all\neof\n"]);
  });

  it(
    "spawnWatched() reports a kill cause only for a kill before the end, with no exit code",
    LIMIT,
    async () => {
      const ended = sh("exit 3");
      const d1 = await ended.w.done;
      ended.w.kill("too late");
      assert.deepEqual([d1.code, d1.killed], [3, null]);

      const running = sh("echo up; exec sleep 30");
      await running.printed("up\n");
      running.w.kill("deadline");
      const d2 = await running.w.done;
      assert.deepEqual([d2.code, d2.killed], [null, "deadline"]);
    },
  );

  it(
    "spawnWatched() says why a program could not start, with no exit code and no kill",
    LIMIT,
    async () => {
      const w = spawnWatched("/nonexistent/watched-test-binary", [], {
        cwd: ".",
        env: {},
        input: "x",
        onOutput: () => {},
      });
      const d = await w.done;
      assert.equal(d.killed, null);
      assert.notEqual(d.code, 0);
      assert.match(d.spawnError ?? "", /ENOENT|not found|No such file/i);
    },
  );

  it("spawnWatched() leaves no spawnError on a normal run", LIMIT, async () => {
    const d = await sh("true").w.done;
    assert.equal("spawnError" in d, false);
    assert.equal(d.code, 0);
    assert.ok(d.ms >= 0);
  });
});
