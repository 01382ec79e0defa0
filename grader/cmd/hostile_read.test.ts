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

describe(`hostile submissions that read or reach out (${RT})`, () => {
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
    // BUG (Bun): Bun has no read permission and the sandbox shows the whole workspace, hidden
    // tests included: the stub reads exercises/01_add/add.hidden.ts beside it, answers the 5 it
    // expects and scores 10/10 instead of 8/10. Deno refuses the read (NotCapable): 8/10.
    skip: RT === "bun" && "BUG: under Bun the stub reads the workspace's hidden test: 10/10",
  }, async () => {
    const r = await gradeCase("reads_hidden_copy");
    assertScores(r, 8);
  });

  it("the hidden test's source printed by the stub never reaches the report", {
    ...SLOW,
    // BUG (Bun): the stub reads the hidden test beside it (see above) and the report withholds
    // only lines equal to a hidden test's line: the source printed as one JSON line, or with
    // each line prefixed, during a visible test (output) or inside a hidden one (the error
    // message) reaches every format ("assert.equal(add(5, 0), 5)"). Deno refuses the read.
    skip: RT === "bun" && "BUG: hidden test source printed as one JSON line is not withheld",
  }, async () => {
    const r = await gradeCase("hidden_source", {
      forbidden: ["add(5, 0), 5", "addLater(2, 3), 5"],
    });
    assertScores(r, 8);
  });

  // BUG: the grader builds the workspace outside the sandbox and copies each stub with
  // copyFileSync, which follows symbolic links: a submission whose add.ts is a link to the
  // workbook's solutions/01_add/add.ts (on Gradescope, /autograder/source is a known path, and a
  // zip can carry links) is graded as the reference solution: 10/10 instead of 0/10, on both
  // runtimes. A stub that is a link (or any path that resolves outside the submission) should be
  // refused.
  it.skip(
    "a stub that is a symbolic link to the reference solution is not followed",
    SLOW,
    async () => {
      const r = await gradeCase("links_solution");
      assertScores(r, 0);
    },
  );

  // BUG: the same link to /etc/passwd: the grader copies the file into the workspace and the
  // runtime's syntax error quotes it ("1 | root:x:0:0:root:/root:/bin/bash" under Deno, line 17
  // under Bun) in every test's message, in every format.
  it.skip("a stub that is a symbolic link to /etc/passwd shows none of it", SLOW, async () => {
    const r = await gradeCase("links_passwd", { forbidden: PASSWD });
    assertScores(r, 0);
  });

  // BUG: the same copy blocks on a stub that is a named pipe (or a link to one, or to /dev/zero
  // or /dev/stdin, which every grading machine has): the grader opens it outside any deadline
  // and waits forever (killed here after 20 s; a batch would stall on that student). Only
  // regular files inside the submission should be read.
  it.skip("a stub that is a named pipe is refused, not waited for", SLOW, async () => {
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
