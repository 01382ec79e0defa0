import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watchFiles } from "./file_watch.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  for (let waited = 0; waited < ms && !cond(); waited += 20) await sleep(20);
}

describe("watchFiles()", () => {
  for (const poll of [true, false]) {
    it(
      `watchFiles() reports a save (${poll ? "polling" : "file events"})`,
      { timeout: 10_000 },
      async () => {
        const dir = mkdtempSync(join(tmpdir(), "learn-watch-"));
        const f = join(dir, "x.ts");
        writeFileSync(f, "a");
        let calls = 0;
        const w = watchFiles([f], () => calls++, { poll, intervalMs: 50, debounceMs: 20 });
        try {
          assert.equal(w.mode, poll ? "polling" : "events");
          await new Promise((r) => setTimeout(r, 100));
          writeFileSync(f, "bb");
          for (let i = 0; i < 100 && calls === 0; i++) await new Promise((r) => setTimeout(r, 20));
          assert.ok(calls >= 1, "no change reported");
        } finally {
          w.stop();
          rmSync(dir, { recursive: true, force: true });
        }
        assert.ok(!existsSync(dir));
      },
    );
  }

  it("watchFiles() merges a burst of saves into one call", { timeout: 10_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "learn-watch-"));
    const f = join(dir, "x.ts");
    writeFileSync(f, "a");
    let calls = 0;
    const w = watchFiles([f], () => calls++, { poll: true, intervalMs: 20, debounceMs: 800 });
    try {
      await sleep(60);
      for (let i = 0; i < 5; i++) {
        writeFileSync(f, "x".repeat(i + 2));
        await sleep(40);
      }
      await until(() => calls > 0, 4000);
      await sleep(1000);
      assert.equal(calls, 1);
    } finally {
      w.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    "watchFiles() reports a deleted file as a change when polling",
    { timeout: 10_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "learn-watch-"));
      const f = join(dir, "x.ts");
      writeFileSync(f, "a");
      let calls = 0;
      const w = watchFiles([f], () => calls++, { poll: true, intervalMs: 20, debounceMs: 10 });
      try {
        await sleep(60);
        rmSync(f);
        await until(() => calls > 0);
        assert.equal(calls, 1);
      } finally {
        w.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("watchFiles() calls nothing after stop()", { timeout: 10_000 }, async () => {
    for (const poll of [true, false]) {
      const dir = mkdtempSync(join(tmpdir(), "learn-watch-"));
      const f = join(dir, "x.ts");
      writeFileSync(f, "a");
      let calls = 0;
      const w = watchFiles([f], () => calls++, { poll, intervalMs: 20, debounceMs: 10 });
      try {
        await sleep(60);
        w.stop();
        writeFileSync(f, "changed");
        await sleep(300);
        assert.equal(calls, 0, poll ? "polling" : "events");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it("watchFiles() ignores other files of the watched folder", { timeout: 10_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "learn-watch-"));
    const f = join(dir, "x.ts");
    writeFileSync(f, "a");
    let calls = 0;
    const w = watchFiles([f], () => calls++, { poll: false, debounceMs: 10 });
    try {
      assert.equal(w.mode, "events");
      await sleep(60);
      writeFileSync(join(dir, "other.ts"), "b");
      await sleep(300);
      assert.equal(calls, 0);
      writeFileSync(f, "bb");
      await until(() => calls > 0);
      assert.ok(calls >= 1, "a save of the watched file is reported");
    } finally {
      w.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("watchFiles() falls back to polling when the folder does not exist", () => {
    const dir = mkdtempSync(join(tmpdir(), "learn-watch-"));
    rmSync(dir, { recursive: true });
    const w = watchFiles([join(dir, "x.ts")], () => {}, { poll: false });
    try {
      assert.equal(w.mode, "polling");
    } finally {
      w.stop();
    }
  });
});
