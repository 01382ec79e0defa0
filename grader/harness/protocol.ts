/**
 * The harness's side of its protocol with the grader: one JSON object per line on stdout, each
 * preceded by a newline and the marker `##workbook-harness `, so output the code under test
 * prints without a newline cannot hide it. Results carry an HMAC-SHA256 of their kind, file, test
 * name and status under the run's secret, which the harness read from stdin before any code under
 * test loaded: a line the code under test prints cannot carry a valid one.
 *
 * @module
 */

import { I } from "./intrinsics.ts";

/** The marker that starts every protocol line. */
export const MARKER = "##workbook-harness ";

const HEX = "0123456789abcdef";
let key: CryptoKey | undefined;

/**
 * Sets the run's secret (once).
 *
 * @param secret The secret from stdin.
 */
export async function setSecret(secret: string): Promise<void> {
  if (key) throw new Error("the harness's secret is already set");
  key = await I.importKey("raw", I.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
}

/**
 * The signature of a result.
 *
 * @param file Test file.
 * @param name Full test name.
 * @param status "pass" or "fail".
 * @returns Hex HMAC-SHA256.
 */
export async function signResult(file: string, name: string, status: string): Promise<string> {
  const mac = new Uint8Array(
    await I.sign("HMAC", key!, I.encode(`result\u0000${file}\u0000${name}\u0000${status}`)),
  );
  let hex = "";
  for (let i = 0; i < mac.length; i++) hex += HEX[mac[i]! >> 4]! + HEX[mac[i]! & 15]!;
  return hex;
}

/**
 * Writes one protocol line.
 *
 * @param message The object to send.
 */
export function emit(message: Record<string, unknown>): void {
  I.write(1, `\n${MARKER}${I.stringify(message)}\n`);
}
