import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copySubmitted, MAX_STUB_BYTES, readSubmitted } from "./submitted.ts";

const dir = mkdtempSync(join(tmpdir(), "submitted-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sub = join(dir, "sub");
mkdirSync(join(sub, "ex"), { recursive: true });
writeFileSync(join(dir, "outside.ts"), "export const secret = 1;\n");

describe("readSubmitted()", () => {
  it("readSubmitted() reads a regular file inside the submission", () => {
    writeFileSync(join(sub, "ex", "ok.ts"), "export const x = 1;\n");
    const r = readSubmitted(join(sub, "ex", "ok.ts"), sub);
    assert.ok("bytes" in r);
    assert.equal(new TextDecoder().decode(r.bytes), "export const x = 1;\n");
  });

  it("readSubmitted() refuses a symbolic link, even to a file inside the submission", () => {
    symlinkSync(join(sub, "ex", "ok.ts"), join(sub, "ex", "link.ts"));
    const r = readSubmitted(join(sub, "ex", "link.ts"), sub);
    assert.ok("refused" in r);
    assert.match(r.refused, /symbolic link/);
  });

  it("readSubmitted() refuses a file reached through a linked folder that leads outside", () => {
    symlinkSync(dir, join(sub, "up"));
    const r = readSubmitted(join(sub, "up", "outside.ts"), sub);
    assert.ok("refused" in r);
    assert.match(r.refused, /outside the submission/);
  });

  it("readSubmitted() refuses a named pipe at once instead of waiting on it", () => {
    execFileSync("mkfifo", [join(sub, "ex", "pipe.ts")]);
    const r = readSubmitted(join(sub, "ex", "pipe.ts"), sub);
    assert.ok("refused" in r);
    assert.match(r.refused, /not a regular file/);
  });

  it("readSubmitted() refuses a file larger than MAX_STUB_BYTES and takes one of exactly that size", () => {
    writeFileSync(join(sub, "ex", "big.ts"), "x".repeat(MAX_STUB_BYTES + 1));
    writeFileSync(join(sub, "ex", "edge.ts"), "x".repeat(MAX_STUB_BYTES));
    assert.ok("refused" in readSubmitted(join(sub, "ex", "big.ts"), sub));
    assert.ok("bytes" in readSubmitted(join(sub, "ex", "edge.ts"), sub));
  });
});

describe("copySubmitted()", () => {
  it("copySubmitted() writes a module that fails to load with the reason in place of a refused file", () => {
    const dst = join(dir, "dst.ts");
    const why = copySubmitted(join(sub, "ex", "link.ts"), dst, "link.ts", sub);
    assert.match(why ?? "", /symbolic link/);
    assert.match(
      readFileSync(dst, "utf8"),
      /^throw new Error\("the grader did not take link\.ts from the submission: it is a symbolic link/,
    );
  });

  it("copySubmitted() copies an accepted file byte for byte and says null", () => {
    const dst = join(dir, "dst2.ts");
    assert.equal(copySubmitted(join(sub, "ex", "ok.ts"), dst, "ok.ts", sub), null);
    assert.equal(readFileSync(dst, "utf8"), "export const x = 1;\n");
  });
});
