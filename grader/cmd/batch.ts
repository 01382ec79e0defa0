/**
 * `grade batch DIR`: grades every submission folder in DIR into one gradebook CSV and a JSON
 * report per student.
 *
 * @module
 */

import { resolve } from "node:path";
import { batchGrade } from "../course/batch.ts";
import {
  type Command,
  EXIT,
  num,
  positionals,
  runtimesOf,
  sandboxFor,
  str,
  workbookOption,
} from "./context.ts";

const USAGE =
  "batch DIR [--hidden-dir WORKBOOK] [--out BOOK.csv] [--jobs N] [--timeout SEC] [--schedules K] [--runtime deno|bun]";

/** The `batch` command. */
export const batchCommand: Command = {
  name: "batch",
  usage: USAGE,
  summary: "grade a folder of submissions into one gradebook",
  async run(p, { toolRoot, io }) {
    const [dir] = positionals(p, 1, USAGE);
    // Refuse at once, not once per student, when there is no sandbox for their code.
    const sandbox = sandboxFor(p, true);
    const hidden = workbookOption(p, "hidden-dir", toolRoot);
    const out = str(p, "out");
    const r = await batchGrade({
      toolRoot,
      dir: resolve(dir!),
      hiddenDir: hidden,
      ...(out !== undefined ? { out: resolve(out) } : {}),
      ...(str(p, "jobs") !== undefined ? { jobs: Number(str(p, "jobs")) } : {}),
      ...(str(p, "timeout") !== undefined ? { timeoutSec: Number(str(p, "timeout")) } : {}),
      ...(num(p, "schedules") !== undefined ? { schedules: num(p, "schedules") } : {}),
      runtime: runtimesOf(p, toolRoot, true)[0]!,
      unsafeNoSandbox: sandbox === false,
      onStudent: (row, done, total) =>
        io.err(
          `[${done}/${total}] ${row.student}: ${row.total}/${row.max}${
            row.note ? ` (${row.note})` : ""
          }\n`,
        ),
    });
    io.out(
      `Gradebook: ${r.csv} (${r.rows.length} students); one JSON per student in ${r.jsonDir}/\n`,
    );
    return EXIT.ok;
  },
};
