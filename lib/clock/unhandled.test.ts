// Unhandled rejections arrive on different channels: Deno dispatches an "unhandledrejection"
// event on globalThis, Bun emits process "unhandledRejection". Both test runners intercept them
// inside a test (and fail that test themselves), so the clock's own capture is checked in a
// plain script run as a child process of the same runtime.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runtimeName } from "./real.ts";

const SCRIPT = fileURLToPath(new URL("./testdata/unhandled_script.ts", import.meta.url));

describe("virtual clock unhandled rejections", () => {
  it("runWithClock() turns an unhandled rejection into an UnhandledRejectionError on this runtime's channel", () => {
    const args = runtimeName === "deno" ? ["run", "--no-check", "-A", SCRIPT] : [SCRIPT];
    const out = execFileSync(process.execPath, args, { encoding: "utf8", timeout: 20_000 });
    const { outcome } = JSON.parse(out.trim().split("\n").pop()!);
    assert.match(
      outcome,
      /^UnhandledRejectionError: unhandled rejection at t=0 ms: Error: lost task/,
    );
  });
});
