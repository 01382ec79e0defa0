/**
 * Hostile submissions that try to read what they must not (the reference solution, the hidden
 * tests, the environment, /etc/passwd) or to reach the network, graded through the command line
 * under the runtime running the suite (hostile_kit.test.ts says what every case also checks).
 *
 * @module
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import {
  assertScores,
  type CaseRun,
  describeTests,
  gradeCase,
  PASSWD,
  RT,
  SUITE,
  testOf,
} from "./hostile_kit.test.ts";

const SLOW = { timeout: 60_000 };

/** Grades a case that reaches for a TCP server on 127.0.0.1 (its port fills `__PORT__`). */
async function withServer(name: string): Promise<{ run: CaseRun; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((s) => {
    seen.push(`${s.remoteAddress}:${s.remotePort}`);
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const port = String((server.address() as { port: number }).port);
    return { run: await gradeCase(name, { fill: { __PORT__: port } }), seen };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe(`hostile submissions that read or reach out (${RT})`, SUITE, () => {
  it(
    "a stub that forwards to solutions/ or copies the workbook's hidden test gets its own score",
    SLOW,
    async () => {
      const r = await gradeCase("reads_solution");
      assertScores(r, 8);
      assert.equal(testOf(r, "addLater() > resolves to the sum").reason, "assertion");
    },
  );

  it("a stub that reads the hidden test copied beside it gets its own score", {
    ...SLOW,
    // Deno refuses the read (no read permission); under Bun the grader takes the hidden tests out
    // of the workspace once the harness has read every module, before any code under test runs.
  }, async () => {
    const r = await gradeCase("reads_hidden_copy");
    assertScores(r, 8);
  });

  it("the hidden test's source printed by the stub never reaches the report", {
    ...SLOW,
    // The stub finds no hidden test on disk to print (see above); the report also withholds any
    // line equal to a hidden test's line.
  }, async () => {
    const r = await gradeCase("hidden_source", {
      forbidden: ["add(5, 0), 5", "addLater(2, 3), 5"],
    });
    assertScores(r, 8);
  });

  // A stub that is a link, or reached through a link leading outside the submission, is refused
  // (engine/submitted.ts): its exercise fails saying why, the others are graded as usual.
  it(
    "a stub that is a symbolic link to the reference solution is not followed",
    SLOW,
    async () => {
      const r = await gradeCase("links_solution");
      assertScores(r, 0);
      assert.match(
        r.report.exercises[0]!.tests[0]!.message,
        /did not take add\.ts from the submission: it is a symbolic link/,
      );
    },
  );

  // The link is never followed, so nothing of what it points to is read.
  it("a stub that is a symbolic link to /etc/passwd shows none of it", SLOW, async () => {
    const r = await gradeCase("links_passwd", { forbidden: PASSWD });
    assertScores(r, 0);
  });

  it(
    "a stub reached through a folder that is a symbolic link to solutions/ is not followed",
    SLOW,
    async () => {
      const r = await gradeCase("links_dir");
      assertScores(r, 0);
    },
  );

  // Only regular files of at most 1 MiB are read (lstat, then open with O_NOFOLLOW | O_NONBLOCK).
  it("a stub that is a named pipe is refused, not waited for", SLOW, async () => {
    const r = await gradeCase("fifo_stub", { limitMs: 20_000 });
    assertScores(r, 0);
  });

  it(
    "the environment and /etc/passwd never reach the report, and the grader's secrets are not visible",
    SLOW,
    async () => {
      const secret = `s3cr3t-${randomBytes(12).toString("hex")}`;
      const r = await gradeCase("prints_env", {
        env: { HOSTILE_SECRET_TOKEN: secret },
        forbidden: [secret, "HOSTILE_SECRET", ...PASSWD],
      });
      assertScores(r, 8);
      assert.match(testOf(r, "add() > adds two numbers").output, /env/, describeTests(r));
    },
  );

  it("no connection reaches a server on the grading machine's loopback", SLOW, async () => {
    const { run, seen } = await withServer("network");
    assertScores(run, 8);
    assert.deepEqual(seen, [], "the server was reached");
  });

  it(
    "a type-only import from a server on the loopback never makes the type check connect",
    SLOW,
    async () => {
      const { run, seen } = await withServer("type_check_network");
      assertScores(run, 8);
      assert.deepEqual(seen, [], "the server was reached");
    },
  );
});
