// MUTANT: reports a forced stop as a clean one (exit 0) when main returns after the force
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
export async function runService(main: ServiceMain, options: RunServiceOptions = {}): Promise<number> {
  const {
    signals = ["SIGINT", "SIGTERM"],
    graceMs = 10_000,
    process: proc = (globalThis as unknown as { process: ProcessLike }).process,
  } = options;
  if (typeof graceMs !== "number" || !(graceMs >= 0)) {
    throw new RangeError(`runService() needs 'graceMs' to be a number >= 0: received ${graceMs}`);
  }

  const stop = new AbortController();
  const force = new AbortController();
  let graceTimer: ReturnType<typeof setTimeout> | undefined;

  const forceStop = (reason: DOMException) => {
    if (force.signal.aborted) return;
    clearTimeout(graceTimer);
    force.abort(reason);
  };

  // The handler only flips signals and starts a timer. It must not call exit itself: that would
  // end the process before main's finally blocks (flushing, closing connections) could run.
  const onSignal = (name: string) => {
    if (!stop.signal.aborted) {
      stop.abort(new DOMException(`received ${name}: shutting down`, "AbortError"));
      graceTimer = setTimeout(
        () => forceStop(new DOMException(`the grace period of ${graceMs} ms is over`, "TimeoutError")),
        graceMs,
      );
    } else {
      forceStop(new DOMException(`received a second ${name}: stopping now`, "AbortError"));
    }
  };

  const installed = signals.map((name) => {
    const handler = () => onSignal(name);
    proc.on(name, handler);
    return { name, handler };
  });

  let code: number;
  try {
    await main(stop.signal, force.signal);
    code = EXIT_CODES.clean;
  } catch (error) {
    if (force.signal.aborted) code = EXIT_CODES.forced;
    // Stopping because we were asked to is a clean stop: "rethrow the cancellation" is success.
    else if (stop.signal.aborted && error === stop.signal.reason) code = EXIT_CODES.clean;
    else code = EXIT_CODES.failed;
  } finally {
    // Leave nothing behind: no grace timer, no listeners on a process we no longer run.
    clearTimeout(graceTimer);
    for (const { name, handler } of installed) proc.off(name, handler);
  }
  proc.exit(code);
  return code;
}
