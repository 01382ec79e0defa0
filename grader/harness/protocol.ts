/**
 * The harness's side of its protocol with the grader: one line per message on stdout, preceded by
 * a newline and the marker `##workbook-harness `, so output the code under test prints without a
 * newline cannot hide it. After the first line ("hello", which no code under test can precede),
 * every line is `<mac> <json>`: the JSON carries a sequence number `q` (0, 1, 2, ...) and the mac
 * is its HMAC-SHA256 under the run's secret. The secret came on stdin before any code under test
 * loaded; only two hash states derived from it live on, in the closure of the channel
 * `openChannel()` returns (never in a module variable, never in a promise). Signing and writing
 * are synchronous and call only intrinsics captured at load (hmac.ts, json.ts), so a patched
 * prototype sees nothing of them. A line the code under test prints can neither carry a valid
 * mac nor replay one (the grader wants the next sequence number).
 *
 * @module
 */

import { hmacSha256 } from "./hmac.ts";
import { I } from "./intrinsics.ts";
import { toJson } from "./json.ts";

/** The marker that starts every protocol line. */
export const MARKER = "##workbook-harness ";

/** Where bytes go: a file descriptor (1) in the harness, any sink in a test. */
export type WriteBytes = (bytes: Uint8Array) => void;

/** A signed, ordered channel to the grader. */
export interface Channel {
  /** Signs and writes one message (a record the harness built) at once. */
  send(message: Record<string, unknown>): void;
}

/**
 * Writes every byte to a file descriptor, pausing (real time) while it is full: Bun leaves stdout
 * non-blocking after a large write by the code under test, and writeSync then fails with EAGAIN
 * or writes part of the bytes.
 *
 * @param fd File descriptor.
 * @returns The writer.
 */
export function fdWriter(fd: number): WriteBytes {
  return (bytes) => {
    let done = 0;
    let waited = 0;
    while (done < bytes.length) {
      try {
        done += I.write(fd, bytes, done, bytes.length - done);
      } catch (e) {
        let code: unknown;
        try {
          code = I.descriptor(e as object, "code")?.value;
        } catch {
          // Not an object with a readable code: rethrown below.
          code = undefined;
        }
        if (code !== "EAGAIN" || waited > 60_000) throw e;
        I.pause(2);
        waited += 2;
      }
    }
  };
}

/**
 * Reads a descriptor (the harness's stdin) until the text holds `lines` newlines, or the input
 * ends. Synchronous: nothing of the code under test runs while the harness waits.
 *
 * @param fd The descriptor.
 * @param lines How many newlines the text must hold.
 * @param have What was read before (counted too).
 * @returns The text read so far.
 */
export function readLines(fd: number, lines: number, have: string): string {
  const buf = new Uint8Array(65_536);
  let text = have;
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") count++;
  while (count < lines) {
    let n: number;
    try {
      n = I.read(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as { code?: unknown } | null)?.code !== "EAGAIN") throw e;
      I.pause(2);
      continue;
    }
    if (n === 0) break;
    const chunk = I.decode(I.apply(I.subarray, buf, [0, n]) as Uint8Array, { stream: true });
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === "\n") count++;
    text += chunk;
  }
  return text;
}

/** The bytes of a hex string ("" and odd lengths give what they can). */
function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  const digit = (c: number) => (c <= 57 ? c - 48 : (c | 32) - 87);
  for (let i = 0; i < out.length; i++) {
    out[i] = digit(I.apply(I.charCodeAt, hex, [2 * i]) as number) * 16 +
      digit(I.apply(I.charCodeAt, hex, [2 * i + 1]) as number);
  }
  return out;
}

/**
 * Opens the signed channel. Call it before any code under test loads.
 *
 * @param secret The run's secret, 64 hex digits (32 bytes).
 * @param write Where the bytes of each line go.
 * @returns The channel.
 */
export function openChannel(secret: string, write: WriteBytes): Channel {
  const sign = hmacSha256(fromHex(secret));
  let seq = 0;
  return {
    send(message) {
      I.defineProperty(message, "q", {
        value: seq++,
        writable: true,
        enumerable: true,
        configurable: true,
      });
      const text = toJson(message);
      write(I.encode(`\n${MARKER}${sign(I.encode(text))} ${text}\n`));
    },
  };
}

/**
 * Writes the unsigned first line ("hello"): nothing of the code under test has run yet.
 *
 * @param message The message.
 * @param write Where it goes.
 */
export function hello(message: Record<string, unknown>, write: WriteBytes): void {
  write(I.encode(`\n${MARKER}${toJson(message)}\n`));
}
