/**
 * The grader's one entry point: `deno task grade ...`, `bun run grade ...`, `npm run grade -- ...`.
 * Every subcommand lives in grader/cmd/ (`grade --help` lists them). Exit status: 0 done, 1 below
 * --fail-under or a failed check, 2 usage error, 3 could not grade. See grader/README.md.
 *
 * @module
 */

import { PROCESS_IO } from "./cmd/context.ts";
import { dispatch } from "./cmd/mod.ts";
import { TOOL_ROOT } from "./engine/tool_root.ts";

if (import.meta.main) {
  const code = await dispatch(process.argv.slice(2), { toolRoot: TOOL_ROOT, io: PROCESS_IO });
  process.exitCode = code;
  // Flush and leave even if a stray handle is open.
  setTimeout(() => process.exit(code), 0);
}
