/**
 * Graceful shutdown for a long-running service: `runService(main, options)` runs `main` until it
 * finishes or the process is asked to stop (SIGINT from Ctrl-C, SIGTERM from `docker stop` or
 * Kubernetes), then exits with a code that tells the supervisor how it went.
 *
 *     first signal      -> `signal` aborts: stop taking work, finish what is in flight
 *     graceMs later     -> `force` aborts (TimeoutError): abort what is still running
 *     a second signal   -> `force` aborts at once (AbortError)
 *     main settles      -> handlers removed, grace timer cleared, process.exit(code)
 *
 * Exit codes: 0 clean stop (main finished, or stopped after the first signal), 1 main failed,
 * 2 forced (the grace period ran out or a second signal came).
 *
 * The process is injectable (`options.process`), so tests pass a fake and never end the run.
 *
 * @module
 */

/** What `runService` needs from `process`: signal listeners and `exit`. */
export interface ProcessLike {
  on(event: string, listener: (signal: string) => void): unknown;
  off(event: string, listener: (signal: string) => void): unknown;
  exit(code?: number): void;
}

/** Options of {@linkcode runService}. */
export interface RunServiceOptions {
  /** Signals that start a shutdown. Default `["SIGINT", "SIGTERM"]`. */
  signals?: string[];
  /** How long `main` may take to stop after the first signal, in ms. Default 10 000. */
  graceMs?: number;
  /** The process to listen on and exit. Default `globalThis.process`. */
  process?: ProcessLike;
}

/**
 * The service: `signal` asks it to stop (stop taking work, drain); `force` says time is up
 * (abort what is still running). Both are AbortSignals.
 */
export type ServiceMain = (signal: AbortSignal, force: AbortSignal) => Promise<void>;

/** The exit codes `runService` uses. */
export const EXIT_CODES = { clean: 0, failed: 1, forced: 2 } as const;

/**
 * Runs a service until it finishes or is told to stop, then exits the process.
 *
 * @param main The service; it receives the stop signal and the force signal.
 * @param options Signals to listen for, grace period, and the process (injectable for tests).
 * @returns The exit code, after `process.exit(code)` was called (a real process ends there).
 * @throws RangeError (as a rejection) when `graceMs` is not a number >= 0.
 *
 * @example A worker that drains its queue on SIGTERM
 * ```ts
 * import { runService } from "./shutdown.ts";
 * await runService(async (signal, force) => {
 *   while (!signal.aborted) {
 *     const job = await nextJob({ signal });     // stop waiting for new work on the first signal
 *     await handle(job, { signal: force });      // finish the job unless time runs out
 *   }
 * }, { graceMs: 30_000 });
 * ```
 */
export function runService(main: ServiceMain, options: RunServiceOptions = {}): Promise<number> {
  // TODO: install a handler per signal; first signal aborts `signal` and starts the grace timer; grace expiry or a second signal aborts `force`; when main settles, clear the timer, remove the handlers, exit(code).
  throw new Error(`not implemented: runService(${main.name || "main"}) (tasks 1-3)`);
}
