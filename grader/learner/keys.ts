/**
 * Single-key input for watch mode: raw mode on a TTY (a key acts at once), line mode otherwise
 * (type the key and Enter; works through pipes and in terminals without raw mode).
 *
 * @module
 */

import { createInterface } from "node:readline";

/** A running key reader. */
export interface KeyReader {
  /** "raw" on a TTY, "line" otherwise. */
  mode: "raw" | "line";
  /** Restores the terminal and stops reading. */
  stop(): void;
}

/**
 * Reads keys from stdin.
 *
 * @param onKey Called with each key (lowercased; Ctrl-C and Ctrl-D arrive as "q").
 * @param onEnd Called when stdin ends.
 * @returns The reader.
 */
export function readKeys(onKey: (key: string) => void, onEnd: () => void): KeyReader {
  const stdin = process.stdin;
  if (stdin.isTTY && typeof stdin.setRawMode === "function") {
    stdin.setRawMode(true);
    stdin.setEncoding("utf8");
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\u0003" || ch === "\u0004") onKey("q");
        else onKey(ch.toLowerCase());
      }
    };
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.resume();
    return {
      mode: "raw",
      stop() {
        stdin.off("data", onData);
        try {
          stdin.setRawMode(false);
        } catch { /* terminal already gone */ }
        stdin.pause();
      },
    };
  }
  const rl = createInterface({ input: stdin, terminal: false });
  rl.on("line", (line) => {
    const k = line.trim().toLowerCase();
    onKey(k === "" ? "\n" : k[0]!);
  });
  rl.on("close", onEnd);
  return {
    mode: "line",
    stop() {
      rl.close();
    },
  };
}
