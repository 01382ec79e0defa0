// deno-lint-ignore-file no-unused-vars -- the stub does not use its parameters yet; your code will
/**
 * Graceful shutdown for a long-running service: `runService(main, options)` runs `main` until it
 * finishes or the process is asked to stop (SIGINT from Ctrl-C, SIGTERM from `docker stop` or
 * Kubernetes), then exits with a code that tells the supervisor how it went.
 *
 *     first signal      -> `signal` aborts: stop taking work, finish what is in flight
 *     graceMs later     -> `force` aborts (TimeoutError) and every task still running is cancelled
 *     a second signal   -> the same, at once (AbortError)
 *     a task fails      -> the shutdown starts, as on a first signal; the exit code will be 1
 *     main settles      -> leftover tasks cancelled and awaited, timer cleared, handlers removed,
 *                          then process.exit(code)
 *
 * Exit codes: 0 clean stop (main finished, or stopped after the first signal), 1 main or one of
 * its tasks failed, 2 forced (the grace period ran out or a second signal came).
 *
 * The background tasks a service starts live in a {@linkcode TaskRegistry}: Python's tutorial
 * cancels `asyncio.all_tasks()` on shutdown; a JavaScript runtime keeps no such list of
 * promises, so the service keeps its own.
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
  /**
   * How long `main` may take to stop after the first signal, in ms: a number >= 0 (0 forces at
   * once, Infinity never forces on time). Default 10 000.
   */
  graceMs?: number;
  /** The process to listen on and exit. Default `globalThis.process`. */
  process?: ProcessLike;
}

/**
 * The service: `signal` asks it to stop (stop taking work, drain); `force` says time is up
 * (abort what is still running). `tasks` is where it starts its background tasks.
 */
export type ServiceMain = (
  signal: AbortSignal,
  force: AbortSignal,
  tasks: TaskRegistry,
) => Promise<void>;

/** The exit codes `runService` uses. */
export const EXIT_CODES = { clean: 0, failed: 1, forced: 2 } as const;

/** Options of {@linkcode TaskRegistry}. */
export interface TaskRegistryOptions {
  /**
   * Called once for each task that fails with its own error: it rejected (or threw) with anything
   * other than the reason its own signal was aborted with.
   */
  onError?: (error: unknown, name: string) => void;
}

/**
 * The tasks a service owns, so that it can cancel them all on shutdown: the TypeScript
 * counterpart of `asyncio.all_tasks()` plus `task.cancel()` and
 * `gather(*tasks, return_exceptions=True)`.
 *
 * @example
 * ```ts
 * import { TaskRegistry } from "./shutdown.ts";
 * const tasks = new TaskRegistry({ onError: (error, name) => console.error(name, error) });
 * tasks.spawn("heartbeat", async (signal) => {
 *   while (!signal.aborted) await beat({ signal });
 * });
 * tasks.running; // ["heartbeat"]
 * await tasks.cancelAll(); // 1: the heartbeat was cancelled and has finished
 * ```
 */
export class TaskRegistry {
  /** @param options `onError`: told about every task that fails with its own error. */
  constructor(options: TaskRegistryOptions = {}) {
    // TODO: keep onError, and a collection of the running tasks (name, AbortController, settled)
    throw new Error("not implemented: TaskRegistry constructor (task 4)");
  }

  /**
   * Starts `fn(signal)` now, with a signal of its own, and keeps the task in the registry until
   * it settles. Never throws: a synchronous throw from `fn` becomes a rejected task.
   *
   * @param name A label for `running` and `onError` (need not be unique).
   * @param fn The task's body; it should pass `signal` to whatever it awaits.
   * @returns The task's outcome. Nobody has to await it: a failure goes to `onError`, never to
   *   an unhandled rejection.
   *
   * @example
   * ```ts
   * import { TaskRegistry } from "./shutdown.ts";
   * const tasks = new TaskRegistry();
   * await tasks.spawn("answer", async () => 42); // 42
   * ```
   */
  spawn<T>(name: string, fn: (signal: AbortSignal) => T | Promise<T>): Promise<T> {
    // TODO: give the task its own AbortController, call fn(signal) now (a synchronous throw becomes a
    // rejection), keep it in the registry until it settles, report a failure that is not its own
    // cancellation reason (by identity) to onError, and never leave a rejection unhandled
    throw new Error("not implemented: TaskRegistry.spawn (task 4)");
  }

  /**
   * The names of the tasks still running, in the order they were spawned: a new array each time.
   *
   * @example
   * ```ts
   * import { TaskRegistry } from "./shutdown.ts";
   * const tasks = new TaskRegistry();
   * tasks.spawn("a", (signal) => new Promise((r) => signal.addEventListener("abort", r)));
   * tasks.running; // ["a"]
   * ```
   */
  get running(): string[] {
    // TODO: the names of the tasks still running, in spawn order
    throw new Error("not implemented: TaskRegistry.running (task 4)");
  }

  /**
   * Cancels every task running now (aborts its signal with `reason`) and waits until each one
   * has settled. Never rejects, whatever the tasks do.
   *
   * @param reason The abort reason every task receives. Default: a DOMException "AbortError".
   * @returns How many tasks were running when it was called.
   *
   * @example
   * ```ts
   * import { TaskRegistry } from "./shutdown.ts";
   * const tasks = new TaskRegistry();
   * await tasks.cancelAll(new Error("shutting down")); // 0: nothing was running
   * ```
   */
  cancelAll(
    reason: unknown = new DOMException("the task was cancelled", "AbortError"),
  ): Promise<number> {
    // TODO: abort every running task with reason, wait until each has settled (never reject),
    // resolve with how many there were
    throw new Error("not implemented: TaskRegistry.cancelAll (task 4)");
  }
}

/**
 * Runs a service until it finishes or is told to stop, then exits the process.
 *
 * @param main The service; it receives the stop signal, the force signal and its task registry.
 * @param options Signals to listen for, grace period, and the process (injectable for tests).
 * @returns The exit code, after `process.exit(code)` was called (a real process ends there).
 * @throws RangeError (as a rejection) when `graceMs` is not a number >= 0.
 *
 * @example A worker that drains its queue on SIGTERM
 * ```ts
 * import { runService } from "./shutdown.ts";
 * await runService(async (signal, force, tasks) => {
 *   tasks.spawn("metrics", (own) => pushMetricsForever({ signal: own }));
 *   while (!signal.aborted) {
 *     const job = await nextJob({ signal }); // stop waiting for new work on the first signal
 *     await handle(job, { signal: force }); // finish the job unless time runs out
 *   }
 * }, { graceMs: 30_000 });
 * ```
 */
export function runService(
  main: ServiceMain,
  options: RunServiceOptions = {},
): Promise<number> {
  // TODO: (task 1) validate graceMs (a RangeError rejection, before anything else), install one
  // handler per signal name, call main, and when it settles clear the timer, remove the handlers,
  // then exit(code): 0 when main returned, 1 when it failed with its own error
  // TODO: (task 2) on the first signal abort main's signal with an AbortError naming the signal and
  // start the grace timer (no timer for Infinity); main rejecting with that reason is a clean stop
  // TODO: (task 3) when the grace timer fires abort force with a TimeoutError, on a second signal
  // at once with an AbortError; still wait for main, then exit 2
  // TODO: (task 5) pass main a TaskRegistry; cancel its tasks when force aborts; a task failure
  // starts the shutdown and makes the code 1; after main settles, cancel and await the leftovers
  throw new Error("not implemented: runService (task 1)");
}
