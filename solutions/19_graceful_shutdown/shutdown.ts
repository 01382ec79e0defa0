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

interface Entry {
  name: string;
  controller: AbortController;
  /** Settles (never rejects) once the task has settled and left the registry. */
  done: Promise<void>;
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
  readonly #entries = new Set<Entry>();
  readonly #onError?: (error: unknown, name: string) => void;

  /** @param options `onError`: told about every task that fails with its own error. */
  constructor(options: TaskRegistryOptions = {}) {
    this.#onError = options.onError;
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
    const controller = new AbortController();
    let outcome: Promise<T>;
    try {
      outcome = Promise.resolve(fn(controller.signal));
    } catch (error) {
      outcome = Promise.reject(error);
    }
    const entry: Entry = {
      name,
      controller,
      done: outcome.then(
        () => {
          this.#entries.delete(entry);
        },
        (error) => {
          this.#entries.delete(entry);
          // Ending with its own cancellation reason is how a cancelled task stops: not a failure.
          const cancelled = controller.signal.aborted && error === controller.signal.reason;
          if (!cancelled) this.#onError?.(error, name);
        },
      ),
    };
    this.#entries.add(entry);
    return outcome;
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
    return [...this.#entries].map((entry) => entry.name);
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
  async cancelAll(
    reason: unknown = new DOMException("the task was cancelled", "AbortError"),
  ): Promise<number> {
    const entries = [...this.#entries];
    for (const entry of entries) entry.controller.abort(reason);
    await Promise.all(entries.map((entry) => entry.done));
    return entries.length;
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
export async function runService(
  main: ServiceMain,
  options: RunServiceOptions = {},
): Promise<number> {
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
  let taskFailed = false;

  const forceStop = (reason: DOMException) => {
    if (force.signal.aborted) return;
    clearTimeout(graceTimer);
    force.abort(reason);
    // Time is up for the background tasks too: cancel them all (nothing awaits this here; main's
    // settling, and then the final cancelAll below, wait for them).
    void tasks.cancelAll(reason);
  };

  const beginShutdown = (reason: DOMException) => {
    stop.abort(reason);
    // setTimeout would fire an Infinity delay at once: Infinity means "no deadline".
    if (graceMs === Infinity) return;
    graceTimer = setTimeout(
      () =>
        forceStop(new DOMException(`the grace period of ${graceMs} ms is over`, "TimeoutError")),
      graceMs,
    );
  };

  const tasks = new TaskRegistry({
    onError: (error, name) => {
      // A task that stopped because the service was asked to stop did not fail.
      const asked = (stop.signal.aborted && error === stop.signal.reason) ||
        (force.signal.aborted && error === force.signal.reason);
      if (asked) return;
      taskFailed = true;
      // The tutorial's exception handler: a crashed background task shuts the service down.
      if (!stop.signal.aborted) {
        beginShutdown(new DOMException(`task ${name} failed: shutting down`, "AbortError"));
      }
    },
  });

  // The handler only flips signals and starts a timer. It must not call exit itself: that would
  // end the process before main's finally blocks (flushing, closing connections) could run.
  const onSignal = (name: string) => {
    if (!stop.signal.aborted) {
      beginShutdown(new DOMException(`received ${name}: shutting down`, "AbortError"));
    } else forceStop(new DOMException(`received a second ${name}: stopping now`, "AbortError"));
  };

  const installed = signals.map((name) => {
    const handler = () => onSignal(name);
    proc.on(name, handler);
    return { name, handler };
  });

  let mainFailed = false;
  try {
    try {
      await main(stop.signal, force.signal, tasks);
    } catch (error) {
      // Stopping because we were asked to is a clean stop: "rethrow the cancellation" is success.
      const asked = (stop.signal.aborted && error === stop.signal.reason) ||
        (force.signal.aborted && error === force.signal.reason);
      if (!asked) mainFailed = true;
    }
    // What asyncio.run() does after main: cancel the tasks still running and wait for them.
    await tasks.cancelAll(new DOMException("the service stopped", "AbortError"));
  } finally {
    // Leave nothing behind: no grace timer, no listeners on a process we no longer run.
    clearTimeout(graceTimer);
    for (const { name, handler } of installed) proc.off(name, handler);
  }
  const code = force.signal.aborted
    ? EXIT_CODES.forced
    : mainFailed || taskFailed
    ? EXIT_CODES.failed
    : EXIT_CODES.clean;
  proc.exit(code);
  return code;
}
