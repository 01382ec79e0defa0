// MUTANT: worker catches everything and only logs it, so an abort is swallowed and the worker resolves
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
  // Reject at once if already aborted: an "abort" listener added now would never fire. Otherwise
  // resolve after ms, or on abort clear the timer and reject with signal.reason itself (never a
  // new error: a custom reason must survive). The listener is removed either way.
  const { signal } = options;
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
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
  // The signal's own reason is an abort, whatever its type: checking only for a DOMException
  // named "AbortError" would treat `controller.abort(new Error("shutdown"))` as a failure.
  if (signal?.aborted && error === signal.reason) return true;
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AbortError";
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
    // Check the signal first, so an aborted get takes nothing even when a job is ready. Take a
    // queued job if there is one. Otherwise wait in line; on abort, leave the line (so put()
    // cannot hand a job to a get nobody is waiting for any more) and reject with the reason.
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift()!);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index !== -1) this.#waiters.splice(index, 1);
        reject(signal!.reason);
      };
      const waiter = (job: T) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(job);
      };
      this.#waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
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
  try {
    return await workerLoop(queue, options);
  } catch (e) {
    console.log("worker stopped:", String(e));
    return undefined as never;
  }
}

async function workerLoop<T>(queue: JobQueue<T>, options: WorkerOptions<T>): Promise<never> {
  // Already aborted: reject before starting anything (like a task cancelled before it ran: its
  // body, and so its finally, never run). Then loop get -> handle. An ordinary failure is
  // reported and the loop goes on; an abort is rethrown ("re-raise CancelledError"). The finally
  // awaits cleanup, so the cleanup is over before anyone sees the rejection.
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
