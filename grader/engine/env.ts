/**
 * The environment of the processes the grader starts (runtimes, type checks, unit suites): just
 * enough to run, uncoloured, in UTC, without the grader's own secrets or settings.
 *
 * @module
 */

/**
 * The environment of a child process.
 *
 * @param clockReport Ask the clock library to print its virtual-time report.
 * @returns Environment variables.
 */
export function childEnv(clockReport = false): Record<string, string> {
  const env: Record<string, string> = {
    NO_COLOR: "1",
    TZ: "UTC",
    DENO_NO_UPDATE_CHECK: "1",
    LANG: "C.UTF-8",
  };
  for (const k of ["PATH", "HOME", "TMPDIR", "DENO_DIR", "XDG_CACHE_HOME", "BUN_INSTALL"]) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  if (clockReport) env.WORKBOOK_CLOCK_REPORT = "1";
  return env;
}
