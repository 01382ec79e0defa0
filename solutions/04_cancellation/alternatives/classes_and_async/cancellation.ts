/**
 * Cancellation: stopping work from outside, and cleaning up on the way out.
 *
 * A job queue feeds a long-running worker. The worker takes jobs one at a time and handles them
 * until its AbortSignal fires; then it runs its cleanup and rejects with the abort reason, the
 * TypeScript form of asyncio's "catch CancelledError, clean up, re-raise". Ordinary job failures
 * are reported and the worker goes on; an abort is never mistaken for one, whatever reason it
 * carries. The pieces: `isAbortError` to tell an abort from a failure, `spawn` for a task handle
 * that keeps "cancellation requested" apart from "ended as cancelled", and an abortable
 * `JobQueue.get` that never loses a job.
 *
 * @module
 */
import { JobQueueBase } from "./given_job_queue.ts";

/** Options of calls that can be cancelled. */
export interface AbortOptions {
  /** Cancels the call: it rejects with `signal.reason` (the exact value). */
  signal?: AbortSignal;
}

/**
 * Tells an abort apart from an ordinary failure: the "except CancelledError" test.
 *
 * True when `error` is the reason `signal` was aborted with (whatever that value is: a custom
 * Error, a string, a TimeoutError from `AbortSignal.timeout`), or when it is an object named
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
  // Another style: one boolean expression, reading the name through optional chaining.
  return (signal !== undefined && signal.aborted && Object.is(error, signal.reason)) ||
    (error instanceof Object && Reflect.get(error, "name") === "AbortError");
}

/** A running piece of work with asyncio's task vocabulary. What {@linkcode spawn} returns. */
export interface Task<T> {
  /** Settles as the body does. A handler is attached, so a failure nobody awaits is not unhandled. */
  readonly promise: Promise<T>;
  /** The signal the body received; `cancel()` aborts it. */
  readonly signal: AbortSignal;
  /**
   * `task.cancel()`: asks the task to stop by aborting its signal (a second call keeps the first
   * reason). Returns true, or false without doing anything once the task is done.
   */
  cancel(reason?: unknown): boolean;
  /** `task.cancelling() > 0`: true from the first `cancel()` on, however the task ends. */
  cancelling(): boolean;
  /** `task.cancelled()`: true only once the task has ended by failing with an abort error. */
  cancelled(): boolean;
  /** `task.done()`: true once the task has ended (value, error, or cancelled). */
  done(): boolean;
}

/**
 * Starts `body` as a task, like `asyncio.create_task`: in a microtask, not synchronously, and
 * not at all if the task is cancelled first (it then rejects with the reason, as cancelled).
 *
 * @typeParam T What the body resolves to.
 * @param body The work; it receives the task's signal, and may return a value or a promise, or
 *   throw (which counts as a rejection).
 * @returns The task handle.
 *
 * @example
 * ```ts
 * import { spawn } from "./cancellation.ts";
 * const task = spawn((signal) => fetch("https://example.test/", { signal }));
 * task.cancel();
 * task.cancelling(); // true at once
 * task.cancelled(); // false: the task has not ended yet
 * await task.promise.catch(() => {});
 * task.cancelled(); // true: it ended with the abort
 * ```
 */
export function spawn<T>(body: (signal: AbortSignal) => T | PromiseLike<T>): Task<T> {
  // Another style: a class, with the first step queued by queueMicrotask.
  return new SpawnedTask(body);
}

/**
 * A FIFO queue of jobs with an abortable `get`, like a minimal `asyncio.Queue`. `put` (given)
 * hands a job straight to the oldest waiting `get`, if there is one.
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
export class JobQueue<T> extends JobQueueBase<T> {
  /**
   * Takes the oldest job, waiting for one if the queue is empty. An aborted `get` rejects with
   * `signal.reason` and takes nothing: its place in line is removed, and a job that was handed to
   * it just before the abort goes to the next waiter, or back to the front of the queue.
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
    // Another style: an async method; the waiting part is one awaited promise, and the late
    // abort is checked after the await.
    return (async () => {
      const { signal } = options;
      signal?.throwIfAborted();
      if (this.items.length > 0) return this.items.shift()!;
      let waiter!: (job: T) => void;
      let onAbort: (() => void) | undefined;
      const job = await new Promise<T>((resolve, reject) => {
        waiter = (handed: T) => {
          if (onAbort) signal!.removeEventListener("abort", onAbort);
          resolve(handed);
        };
        if (signal) {
          onAbort = () => {
            const at = this.waiters.indexOf(waiter);
            if (at >= 0) this.waiters.splice(at, 1);
            reject(signal.reason);
          };
          signal.addEventListener("abort", onAbort, { once: true });
        }
        this.waiters.push(waiter);
      });
      if (signal?.aborted) {
        const next = this.waiters.shift();
        if (next !== undefined) next(job);
        else this.items.unshift(job);
        throw signal.reason;
      }
      return job;
    })();
  }
}

/** Options of {@linkcode worker}. */
export interface WorkerOptions<T> {
  /** Stops the worker. */
  signal: AbortSignal;
  /** Handles one job; receives the worker's signal so it can stop mid-job. */
  handle(job: T, signal: AbortSignal): Promise<void> | void;
  /** Called when `handle` fails with an ordinary error; the worker then goes on. */
  onError?(job: T, error: unknown): void;
  /** Runs once when the worker stops, and finishes before the worker's promise rejects. */
  cleanup?(): Promise<void> | void;
}

/**
 * Takes jobs from `queue` one at a time and handles them, until `signal` aborts. Then it awaits
 * `cleanup` and rejects with `signal.reason` (or with cleanup's own error if cleanup fails). It
 * never resolves. A signal that is already aborted rejects at once: nothing is taken, handled or
 * cleaned up.
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
  // Another style: a while loop with the outcome of each job as a value, and the cleanup in one
  // place reached by every way out.
  const { signal, handle, onError, cleanup } = options;
  if (signal.aborted) throw signal.reason;
  let failure: { error: unknown } | undefined;
  while (failure === undefined) {
    let job: T;
    try {
      job = await queue.get({ signal });
    } catch (error) {
      failure = { error };
      break;
    }
    const outcome = await Promise.resolve()
      .then(() => handle(job, signal))
      .then(() => undefined, (error: unknown) => ({ error }));
    if (outcome === undefined) continue;
    if (isAbortError(outcome.error, signal)) failure = outcome;
    else if (onError) onError(job, outcome.error);
  }
  if (cleanup) await cleanup();
  throw failure.error;
}

/** spawn()'s task as a class. */
class SpawnedTask<T> implements Task<T> {
  readonly promise: Promise<T>;
  readonly #controller = new AbortController();
  #state: "running" | "fulfilled" | "rejected" = "running";
  #cancelled = false;

  constructor(body: (signal: AbortSignal) => T | PromiseLike<T>) {
    this.promise = new Promise<T>((resolve, reject) => {
      queueMicrotask(() => {
        if (this.signal.aborted) {
          reject(this.signal.reason);
          return;
        }
        try {
          resolve(body(this.signal));
        } catch (error) {
          reject(error);
        }
      });
    });
    this.promise.then(
      () => (this.#state = "fulfilled"),
      (error) => {
        this.#state = "rejected";
        this.#cancelled = isAbortError(error, this.signal);
      },
    );
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  cancel(reason?: unknown): boolean {
    if (this.done()) return false;
    if (!this.signal.aborted) this.#controller.abort(reason);
    return true;
  }

  cancelling(): boolean {
    return this.signal.aborted;
  }

  cancelled(): boolean {
    return this.#cancelled;
  }

  done(): boolean {
    return this.#state !== "running";
  }
}
