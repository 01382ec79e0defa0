/**
 * A fake harness for session.test.ts: reads the secret and the plan from stdin like the real one
 * (harness/hub.ts), then plays the steps of the FAKE_STEPS environment variable (a JSON array):
 *
 * - `["hello"]`: the unsigned first line.
 * - `["go"]`: waits for the grader's go line (or the end of stdin).
 * - `["send", message, q?]`: a signed line (the next sequence number, or `q`).
 * - `["forge", message]`: a line signed with another key (with the next number, not used up).
 * - `["replay", i]`: the i-th line of send, forge, plan or got-go again, byte for byte.
 * - `["print", text]`: text as it is (a newline is added).
 * - `["plan", file, name]`: a signed passing result whose message is the plan line read.
 * - `["got-go", file, name]`: a signed passing result whose message says what came after the
 *   plan and whether the file named by FAKE_FLAG existed when it came.
 * - `["exit", code]`: exits at once.
 * - `["spin", message]`: sends the message signed every 50 ms, never ending by itself.
 * - `["hang"]`: never ends by itself.
 *
 * Without `exit` or `hang`, it exits 0 after the last step.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, writeSync } from "node:fs";
import process from "node:process";

const MARKER = "##workbook-harness ";
type Step = [string, ...unknown[]];
const steps = JSON.parse(process.env.FAKE_STEPS ?? "[]") as Step[];

let input = "";
const waiters: (() => void)[] = [];
let ended = false;
process.stdin.setEncoding("utf8");
process.stdin.on("data", (s: string) => {
  input += s;
  waiters.splice(0).forEach((w) => w());
});
process.stdin.on("end", () => {
  ended = true;
  waiters.splice(0).forEach((w) => w());
});

/** Resolves once stdin holds `n` lines, or has ended. */
async function lines(n: number): Promise<string[]> {
  while (input.split("\n").length <= n && !ended) {
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
  return input.split("\n");
}

/** Writes all of `text` to stdout, synchronously. */
function out(text: string): void {
  const bytes = Buffer.from(text);
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(1, bytes, done, bytes.length - done);
    } catch (e) {
      if ((e as { code?: string }).code !== "EAGAIN") throw e;
    }
  }
}

const [secret = "", plan = ""] = await lines(2);
const mac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest("hex");
const key = Buffer.from(secret, "hex");
const signed: string[] = [];
let seq = 0;
/** Writes a line signed with `k`, its q the next number unless given. */
const send = (m: Record<string, unknown>, q?: number, k = key) => {
  const text = JSON.stringify({ ...m, q: q ?? seq++ });
  const line = `\n${MARKER}${mac(k, text)} ${text}\n`;
  signed.push(line);
  out(line);
};

for (const [what, a, b] of steps) {
  if (what === "hello") out(`\n${MARKER}${JSON.stringify({ k: "hello" })}\n`);
  else if (what === "go") await lines(3);
  else if (what === "send") send(a as Record<string, unknown>, b as number | undefined);
  else if (what === "forge") send(a as Record<string, unknown>, seq, randomBytes(32));
  else if (what === "replay") out(signed[a as number]!);
  else if (what === "print") out(`${a}\n`);
  else if (what === "plan") send({ k: "result", f: a, n: b, s: "pass", m: plan });
  else if (what === "got-go") {
    const after = (await lines(3))[2];
    const flag = existsSync(process.env.FAKE_FLAG ?? "");
    send({ k: "result", f: a, n: b, s: "pass", m: `after:${after} flag:${flag}` });
  } else if (what === "exit") process.exit(a as number);
  else if (what === "spin") setInterval(() => send(a as Record<string, unknown>), 50);
  if (what === "spin" || what === "hang") await new Promise(() => setTimeout(() => {}, 60_000));
}
process.exit(0);
