import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runProcess } from "./proc.ts";
import { currentRuntime } from "./runtimes.ts";

const HUNGRY = "const keep = []; for (;;) keep.push(new Array(1e6).fill(7));";

describe("runProcess()", () => {
  it("runProcess() kills a child whose memory grows past maxRssMb", {
    skip: process.platform !== "linux",
  }, async () => {
    const args = currentRuntime() === "deno" ? ["eval", HUNGRY] : ["-e", HUNGRY];
    const started = Date.now();
    const r = await runProcess(process.execPath, args, {
      cwd: ".",
      env: {},
      timeoutMs: 60_000,
      maxRssMb: 200,
    });
    assert.equal(r.killed, "memory");
    assert.ok(
      Date.now() - started < 30_000,
      "killed by the memory cap, long before the wall clock",
    );
  });

  it("runProcess() kills a child at the wall-clock limit", async () => {
    const args = currentRuntime() === "deno" ? ["eval", "for (;;) {}"] : ["-e", "for (;;) {}"];
    const r = await runProcess(process.execPath, args, { cwd: ".", env: {}, timeoutMs: 1000 });
    assert.equal(r.killed, "timeout");
    assert.equal(r.code, null);
  });

  it("runProcess() reports a normal exit with its code and output", async () => {
    const args = currentRuntime() === "deno"
      ? ["eval", "console.log('hi'); Deno.exit(3)"]
      : ["-e", "console.log('hi'); process.exit(3)"];
    const r = await runProcess(process.execPath, args, { cwd: ".", env: {}, timeoutMs: 20_000 });
    assert.deepEqual([r.killed, r.code, r.stdout.trim()], [null, 3, "hi"]);
  });
});
