/**
 * The harness's side of its protocol with the grader: one line per message on stdout, preceded by
 * a newline and the marker `##workbook-harness `, so output the code under test prints without a
 * newline cannot hide it. After the first line ("hello", which no code under test can precede),
 * every line is `<mac> <json>`: the JSON carries a sequence number `q` (0, 1, 2, ...) and the mac
 * is its HMAC-SHA256 under the run's secret. The secret came on stdin before any code under test
 * loaded; the key lives only in the closure of the channel `openChannel()` returns (not in any
 * module variable), is not extractable, and signs through WebCrypto captured at load. A line the
 * code under test prints can neither carry a valid mac nor replay one (the grader wants the next
 * sequence number).
 *
 * @module
 */

import { I } from "./intrinsics.ts";

/** The marker that starts every protocol line. */
export const MARKER = "##workbook-harness ";

const HEX = "0123456789abcdef";

/** Where lines go: a file descriptor (1) in the harness, any sink in a test. */
export type WriteBytes = (bytes: Uint8Array) => Promise<void>;

/** A signed, ordered channel to the grader. */
export interface Channel {
  /** Signs and queues one message; settles once it is written (messages keep their order). */
  send(message: Record<string, unknown>): Promise<void>;
}

/**
 * Writes every byte to a file descriptor, waiting (real time) while it is full: Bun leaves stdout
 * non-blocking after a large write by the code under test, and writeSync then fails with EAGAIN
 * or writes part of the bytes.
 *
 * @param fd File descriptor.
 * @returns The writer.
 */
export function fdWriter(fd: number): WriteBytes {
  return async (bytes) => {
    let done = 0;
    let waited = 0;
    while (done < bytes.length) {
      try {
        done += I.write(fd, bytes, done, bytes.length - done);
      } catch (e) {
        const code = (e as { code?: unknown } | null)?.code;
        if (code !== "EAGAIN" || waited > 60_000) throw e;
        await new I.Promise<void>((r) => I.setTimeout(() => r(), 2));
        waited += 2;
      }
    }
  };
}

/** Hex of bytes. */
function hex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]! >> 4]! + HEX[bytes[i]! & 15]!;
  return out;
}

/**
 * Opens the signed channel. Call it before any code under test loads: the key import starts at
 * once with the intrinsics captured then.
 *
 * @param secret The run's secret.
 * @param write Where the bytes of each line go.
 * @returns The channel.
 */
export function openChannel(secret: string, write: WriteBytes): Channel {
  const key = I.importKey("raw", I.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  let seq = 0;
  let tail: Promise<void> = I.Promise.resolve();
  return {
    send(message) {
      const text = I.stringify({ ...message, q: seq++ });
      const signed = key.then((k) => I.sign("HMAC", k, I.encode(text)));
      const next = tail.then(async () => {
        const mac = hex(new Uint8Array(await signed));
        await write(I.encode(`\n${MARKER}${mac} ${text}\n`));
      });
      tail = next;
      return next;
    },
  };
}

/**
 * Writes the unsigned first line ("hello"): nothing of the code under test has run yet.
 *
 * @param message The message.
 */
export function hello(message: Record<string, unknown>): void {
  const bytes = I.encode(`\n${MARKER}${I.stringify(message)}\n`);
  let done = 0;
  while (done < bytes.length) done += I.write(1, bytes, done, bytes.length - done);
}
