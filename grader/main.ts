/**
 * The grader's one entry point: `deno task grade ...`, `bun run grade ...`, `npm run grade -- ...`.
 * Every subcommand lives in grader/cmd/ (`grade --help` lists them). Exit status: 0 done, 1 below
 * --fail-under or a failed check, 2 usage error, 3 could not grade. See grader/README.md.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { TOOL_ROOT } from "./engine/tool_root.ts";

/** Packages the grader loads; without them it can only say how to install them. */
const NEEDED = ["@babel/parser", "@sinonjs/fake-timers", "diff", "fast-xml-parser", "p-limit"];

if (import.meta.main) {
  const missing = NEEDED.filter((p) =>
    !existsSync(join(TOOL_ROOT, "node_modules", p, "package.json"))
  );
  if (missing.length > 0) {
    process.stderr.write(
      `grade: the workbook's dependencies are not installed (missing ${missing.join(", ")}): ` +
        "run npm install, or bun install (deno task grade installs them itself)\n",
    );
    process.exit(3);
  }
  const { dispatch } = await import("./cmd/mod.ts");
  const { PROCESS_IO } = await import("./cmd/context.ts");
  const code = await dispatch(process.argv.slice(2), { toolRoot: TOOL_ROOT, io: PROCESS_IO });
  process.exitCode = code;
  // Flush and leave even if a stray handle is open.
  setTimeout(() => process.exit(code), 0);
}
