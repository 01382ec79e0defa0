/**
 * Test data for the commands' tests: an Io that keeps what a command prints.
 *
 * @module
 */

import type { Io } from "../context.ts";

/**
 * An Io that is no terminal and keeps stdout and stderr in `o`.
 *
 * @returns The Io and the text it kept so far.
 */
export function capture(): { io: Io; o: { out: string; err: string } } {
  const o = { out: "", err: "" };
  const io: Io = {
    out: (t) => (o.out += t),
    err: (t) => (o.err += t),
    stdoutTTY: false,
    stderrTTY: false,
  };
  return { io, o };
}
