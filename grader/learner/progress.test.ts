import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROGRESS_FILE, ProgressError, ProgressStore } from "./progress.ts";

function withRoot(body: (root: string) => void | Promise<void>): () => Promise<void> {
  return async () => {
    const root = mkdtempSync(join(tmpdir(), "progress-"));
    try {
      await body(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}

describe("ProgressStore", () => {
  it(
    "ProgressStore.read() is empty without a file and update() writes a versioned file",
    withRoot((root) => {
      const store = new ProgressStore(root, () => assert.fail("no notice expected"));
      assert.deepEqual(store.read(), { version: 1, hints: {}, last: {} });
      store.update((p) => (p.hints["01_a"] = { "1": 2 }));
      const raw = JSON.parse(readFileSync(join(root, PROGRESS_FILE), "utf8"));
      assert.deepEqual(raw, { version: 1, hints: { "01_a": { "1": 2 } }, last: {} });
      assert.deepEqual(
        readdirSync(root).filter((f) => f.endsWith(".tmp")),
        [],
        "no temporary file is left",
      );
      assert.equal(
        existsSync(join(root, ".workbook", "progress.lock")),
        false,
        "the lock is freed",
      );
    }),
  );

  it(
    "ProgressStore.read() migrates the unversioned file of earlier releases",
    withRoot((root) => {
      writeFileSync(
        join(root, PROGRESS_FILE),
        JSON.stringify({
          hints: { "01_a": 2 },
          last: { "01_a": { score: 5, max_score: 10, status: "in-progress" } },
        }),
      );
      const p = new ProgressStore(root, () => assert.fail("no notice expected")).read();
      assert.deepEqual(p.hints, { "01_a": { "0": 2 } });
      assert.equal(p.last["01_a"]!.score, 5);
    }),
  );

  for (
    const [what, text] of [["not JSON", "{ hints: "], [
      "an unknown version",
      '{"version": 99, "hints": {}, "last": {}}',
    ]] as const
  ) {
    it(
      `ProgressStore moves a file that is ${what} aside, says where, and never overwrites it`,
      withRoot((root) => {
        writeFileSync(join(root, PROGRESS_FILE), text);
        const notices: string[] = [];
        const store = new ProgressStore(root, (m) => notices.push(m));
        store.update((p) => (p.hints["01_a"] = { "1": 1 }));
        assert.equal(notices.length, 1);
        assert.match(
          notices[0]!,
          /could not be read: .*moved to \.workbook\/progress\.corrupt-.*\.json/,
        );
        const aside = readdirSync(join(root, ".workbook")).filter((f) =>
          f.startsWith("progress.corrupt-")
        );
        assert.equal(aside.length, 1);
        assert.equal(
          readFileSync(join(root, ".workbook", aside[0]!), "utf8"),
          text,
          "the corrupt file is kept byte for byte",
        );
        assert.deepEqual(store.read().hints, { "01_a": { "1": 1 } });
      }),
    );
  }

  it(
    "ProgressStore.update() takes over a lock left by a process that died",
    withRoot((root) => {
      const store = new ProgressStore(root);
      store.update(() => {});
      writeFileSync(join(root, ".workbook", "progress.lock"), "2147483646");
      store.update((p) => (p.last["01_a"] = { score: 1, max_score: 10, status: "in-progress" }));
      assert.equal(store.read().last["01_a"]!.score, 1);
    }),
  );

  it(
    "ProgressStore.update() says why when the workbook is not writable",
    withRoot((root) => {
      writeFileSync(join(root, ".workbook"), "a file where the folder should be");
      assert.throws(
        () => new ProgressStore(root).update(() => {}),
        (e) => e instanceof ProgressError && /progress not saved: cannot create/.test(e.message),
      );
    }),
  );

  it(
    "ProgressStore.update() from two processes at once loses no update",
    withRoot(async (root) => {
      const script = join(root, "bump.ts");
      writeFileSync(
        script,
        `import { ProgressStore } from ${
          JSON.stringify(join(import.meta.dirname ?? ".", "progress.ts"))
        };\n` +
          `const s = new ProgressStore(${JSON.stringify(root)});\n` +
          `for (let i = 0; i < 40; i++) s.update((p) => { const m = (p.hints.x ??= {}); m[process.argv[2]!] = (m[process.argv[2]!] ?? 0) + 1; });\n`,
      );
      const exe = process.execPath;
      const args = (
        id: string,
      ) => (typeof (globalThis as { Deno?: unknown }).Deno !== "undefined"
        ? ["run", "-A", script, id]
        : [script, id]);
      await Promise.all(["a", "b"].map((id) =>
        new Promise<void>((res, rej) => {
          const c = spawn(exe, args(id), { stdio: "inherit" });
          c.on(
            "exit",
            (code) => (code === 0 ? res() : rej(new Error(`child ${id} exited ${code}`))),
          );
        })
      ));
      assert.deepEqual(
        new ProgressStore(root).read().hints.x,
        { a: 40, b: 40 },
        "each process's 40 updates must all be kept",
      );
    }),
  );
});
