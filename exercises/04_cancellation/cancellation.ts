/**
 * Cancellation: stopping work from outside, and cleaning up on the way out.
 *
 * A job queue feeds a long-running worker. The worker takes jobs one at a time and handles them
 * until its AbortSignal fires; then it runs its cleanup and rejects with the abort reason, the
 * TypeScript form of asyncio's "catch CancelledError, clean up, re-raise". Ordinary job failures
 * are reported and the worker goes on; an abort is never mistaken for one, whatever reason it
 * carries. The pieces: an abortable `sleep`, `isAbortError` to tell an abort from a failure, and
 * an abortable `JobQueue.get` that never loses a job.
 *
 * @module
 */

/** Options of calls that can be cancelled. */
export interface AbortOptions {
  /** Cancels the call: it rejects with `signal.reason` (the exact value). */
  signal?: AbortSignal;
}

/**
 * Waits `ms` milliseconds, or until `signal` aborts.
 *
 * @param ms How long to wait.
 * @param options `signal`: abort the wait; the promise rejects with `signal.reason`.
 * @returns A promise that resolves after `ms`.
 *
 * @example
 * ```ts
 * import { sleep } from "./cancellation.ts";
 * const stop = new AbortController();
 * setTimeout(() => stop.abort(new Error("shutting down")), 100);
 * await sleep(1000, { signal: stop.signal }).catch((e) => e.message); // "shutting down" at t=100
 * ```
 */
export function sleep(ms: number, options: AbortOptions = {}): Promise<void> {
  // TODO: reject at once with signal.reason if already aborted; otherwise resolve after ms, or on abort clear the timer and reject with signal.reason; remove the listener either way
  throw new Error("not implemented: sleep (task 1)");
}

/**
 * Tells an abort apart from an ordinary failure: the "except CancelledError" test.
 *
 * True when `error` is the reason `signal` was aborted with (whatever that value is: a custom
 * Error, a string, a TimeoutError from `AbortSignal.timeout`), or when it is an error named
 * "AbortError" (the default reason of `controller.abort()`).
 *
 * @param error What was thrown.
 * @param signal The signal of the work that threw, if known.
 * @returns Whether `error` means "this work was cancelled".
 *
 * @example
 * ```ts
 * import { isAbortError } from "./cancellation.ts";
 * const c = new AbortController();
 * c.abort("user left");
 * isAbortError("user left", c.signal); // true
 * isAbortError(new Error("disk full"), c.signal); // false
 * ```
 */
export function isAbortError(error: unknown, signal?: AbortSignal): boolean {
  // TODO: true when error is signal.reason of an aborted signal, or an error named "AbortError"
  throw new Error("not implemented: isAbortError (task 2)");
}

/**
 * A FIFO queue of jobs with an abortable `get`, like a minimal `asyncio.Queue`. `put` hands a
 * job straight to the oldest waiting `get`, if there is one.
 *
 * @typeParam T The job type.
 *
 * @example
 * ```ts
 * import { JobQueue } from "./cancellation.ts";
 * const q = new JobQueue<string>();
 * q.put("resize cat.png");
 * await q.get(); // "resize cat.png"
 * ```
 */
export class JobQueue<T> {
  readonly #items: T[] = [];
  /** Waiting `get` calls, oldest first: each takes the job it is handed. */
  readonly #waiters: Array<(job: T) => void> = [];

  /**
   * Adds a job: hands it to the oldest waiting `get`, or keeps it.
   *
   * @param job The job.
   *
   * @example
   * ```ts
   * import { JobQueue } from "./cancellation.ts";
   * new JobQueue<number>().put(1);
   * ```
   */
  put(job: T): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(job);
    else this.#items.push(job);
  }

  /** Jobs waiting to be taken. */
  get size(): number {
    return this.#items.length;
  }

  /** `get` calls waiting for a job. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Takes the oldest job, waiting for one if the queue is empty. An aborted `get` rejects with
   * `signal.reason` and takes nothing: its place in line is removed, so the next job goes to the
   * next waiter (or stays in the queue).
   *
   * @param options `signal`: stop waiting.
   * @returns The job.
   *
   * @example
   * ```ts
   * import { JobQueue } from "./cancellation.ts";
   * const q = new JobQueue<string>();
   * setTimeout(() => q.put("late job"), 50);
   * await q.get({ signal: AbortSignal.timeout(1000) }); // "late job" at t=50
   * ```
   */
  get(options: AbortOptions = {}): Promise<T> {
    // TODO: reject with signal.reason if already aborted (taking nothing); take a queued job if there is one; otherwise add a waiter to #waiters, and on abort remove that waiter and reject with signal.reason
    throw new Error("not implemented: JobQueue.get (task 3)");
  }
}

/** Options of {@linkcode worker}. */
export interface WorkerOptions<T> {
  /** Stops the worker. */
  signal: AbortSignal;
  /** Handles one job; receives the worker's signal so it can stop mid-job. */
  handle(job: T, signal: AbortSignal): Promise<void>;
  /** Called when `handle` fails with an ordinary error; the worker then goes on. */
  onError?(job: T, error: unknown): void;
  /** Runs once when the worker stops, and finishes before the worker's promise rejects. */
  cleanup?(): Promise<void> | void;
}

/**
 * Takes jobs from `queue` one at a time and handles them, until `signal` aborts. Then it awaits
 * `cleanup` and rejects with `signal.reason`. It never resolves. A signal that is already
 * aborted rejects at once: nothing is taken, handled or cleaned up.
 *
 * @typeParam T The job type.
 * @param queue Where the jobs come from.
 * @param options `signal`, `handle`, and optionally `onError` and `cleanup`.
 * @returns A promise that rejects with `signal.reason` once the worker has stopped.
 *
 * @example
 * ```ts
 * import { JobQueue, worker } from "./cancellation.ts";
 * const jobs = new JobQueue<string>();
 * const stop = new AbortController();
 * const done = worker(jobs, {
 *   signal: stop.signal,
 *   handle: async (job) => console.log("handling", job),
 *   cleanup: async () => console.log("closing the connection"),
 * });
 * jobs.put("a");
 * stop.abort();
 * await done.catch((e) => e.name); // "AbortError", after "closing the connection"
 * ```
 */
export async function worker<T>(queue: JobQueue<T>, options: WorkerOptions<T>): Promise<never> {
  // TODO: if already aborted reject at once; loop get -> handle (report ordinary failures with onError and go on, rethrow aborts); in a finally await cleanup before the rejection goes on
  throw new Error("not implemented: worker (task 4)");
}
