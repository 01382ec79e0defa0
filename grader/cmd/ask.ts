/**
 * A yes/no question on the terminal, for commands that change the learner's files.
 *
 * @module
 */

import { createInterface } from "node:readline";

/**
 * Asks on stderr and reads one line from stdin; anything but y/yes (or the end of input) is no.
 *
 * @param question The question.
 * @returns True for yes.
 */
export function askYesNo(question: string): Promise<boolean> {
  return new Promise((res) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    let answered = false;
    rl.question(question, (a) => {
      answered = true;
      rl.close();
      res(/^y(es)?$/i.test(a.trim()));
    });
    rl.on("close", () => {
      if (!answered) res(false);
    });
  });
}
