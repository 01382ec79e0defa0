/**
 * Hostile submissions that try to read what they must not (the reference solution, the hidden
 * tests, the environment, /etc/passwd) or to reach the network, graded through the command line
 * (see hostile_kit.test.ts for what every case checks besides its score).
 *
 * @module
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { assertScores, describeTests, gradeCase, RT, testOf } from "./hostile_kit.test.ts";

const SLOW = { timeout: 60_000 };

describe(`hostile submissions that read or reach out (${RT})`, () => {
  it(
    "a stub that forwards to solutions/ or copies the workbook's hidden test gets its own score",
    SLOW,
    async () => {
      const r = await gradeCase("reads_solution");
      assertScores(r, 8);
      assert.equal(testOf(r, "addLater() > resolves to the sum").status, "fail");
    },
  );

  it("a stub that reads the hidden test copied beside it gets its own score", {
    ...SLOW,
    // BUG (Bun): the sandbox binds the workspace read-only but readable, and Bun has no read
    // permission: the stub reads exercises/01_add/add.hidden.ts, answers 5 and scores 10/10.
    skip: RT === "bun" && "BUG: under Bun the workspace's hidden test is readable (10/10)",
  }, async () => {
    const r = await gradeCase("reads_hidden_copy");
    assertScores(r, 8);
  });

  it("the hidden test's source printed by the stub never reaches the report", {
    ...SLOW,
    // BUG (Bun): redaction drops only whole lines of the hidden test; the source printed as one
    // JSON line (or with each line prefixed) during a visible test reaches the report.
    skip: RT === "bun" && "BUG: the hidden source printed as one JSON line is not redacted",
  }, async () => {
    const r = await gradeCase("hidden_source", {
      forbidden: ["add(5, 0), 5", "addLater(2, 3), 5", 'adds zero\\", () =>'],
    });
    assertScores(r, 8);
  });

  it(
    "the environment and /etc/passwd never reach the report, and the grader's secrets are not visible",
    SLOW,
    async () => {
      const secret = `s3cr3t-${randomBytes(12).toString("hex")}`;
      const r = await gradeCase("prints_env", {
        env: { HOSTILE_SECRET_TOKEN: secret },
        forbidden: [secret, "HOSTILE_SECRET", "root:x:0:0"],
      });
      assertScores(r, 8);
      assert.match(testOf(r, "add() > adds two numbers").output, /env/, describeTests(r));
    },
  );

  it("no connection reaches a server on the grading machine's loopback", SLOW, async () => {
    const seen: string[] = [];
    const server = createServer((s) => {
      seen.push(`${s.remoteAddress}:${s.remotePort}`);
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await gradeCase("network", { fill: { __PORT__: String(port) } });
      assertScores(r, 8);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    assert.deepEqual(seen, [], "the server was reached");
  });
});
