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
  // The signal's own reason is an abort, whatever its type: checking only for a DOMException
  // named "AbortError" would treat `controller.abort(new Error("shutdown"))` as a failure.
  if (signal?.aborted && error === signal.reason) return true;
  return typeof error === "object" && error !== null &&
    (error as { name?: unknown }).name === "AbortError";
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
  // Like asyncio.create_task: the body's first step is scheduled, not run at once, and a task
  // cancelled before that step never runs its body (it ends as cancelled). done and cancelled are
  // decided by how the promise settles; cancelling is only "was it asked to stop".
  const controller = new AbortController();
  const { signal } = controller;
  let done = false;
  let cancelled = false;
  const promise = Promise.resolve().then(() => {
    signal.throwIfAborted();
    return body(signal);
  });
  // Attached first, so done() and cancelled() are up to date before anyone awaiting the promise
  // resumes; being a handler, it also keeps a failure nobody awaits from being unhandled.
  promise.then(
    () => {
      done = true;
    },
    (error) => {
      done = true;
      cancelled = isAbortError(error, signal);
    },
  );
  return {
    promise,
    signal,
    cancel(reason?: unknown): boolean {
      if (done) return false;
      controller.abort(reason); // a second abort is a no-op: the first reason stays
      return true;
    },
    cancelling: () => signal.aborted,
    cancelled: () => cancelled,
    done: () => done,
  };
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
    // Check the signal first, so an aborted get takes nothing even when a job is ready. Take a
    // queued job if there is one. Otherwise wait in line; on abort, leave the line (so put()
    // cannot hand a job to a get nobody is waiting for any more) and reject with the reason. If
    // the abort comes after put() handed us a job but before we resumed, the abort still wins
    // (as in CPython): the job goes to the next waiter, or back to the front of the queue.
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.items.length > 0) return Promise.resolve(this.items.shift()!);
    const handedOver = new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
        reject(signal!.reason);
      };
      const waiter = (job: T) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(job);
      };
      this.waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    return handedOver.then((job) => {
      if (signal?.aborted) {
        const next = this.waiters.shift();
        if (next) next(job);
        else this.items.unshift(job);
        throw signal.reason;
      }
      return job;
    });
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
 * `cleanup` and rejects with `signal.reason` (or with an abort error `handle` threw, or with
 * cleanup's own error if cleanup fails). It never resolves. A signal that is already aborted
 * rejects at once: nothing is taken, handled or cleaned up.
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
  // Already aborted: reject before starting anything (like a task cancelled before it ran: its
  // body, and so its finally, never run). Then loop get -> handle. An ordinary failure (thrown
  // or rejected) is reported and the loop goes on; an abort is rethrown ("re-raise
  // CancelledError"). The finally awaits cleanup, so the cleanup is over before anyone sees the
  // rejection.
  const { signal, handle, onError, cleanup } = options;
  signal.throwIfAborted();
  try {
    for (;;) {
      const job = await queue.get({ signal });
      try {
        await handle(job, signal);
      } catch (error) {
        if (isAbortError(error, signal)) throw error;
        onError?.(job, error);
      }
    }
  } finally {
    await cleanup?.();
  }
}
