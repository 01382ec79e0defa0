/**
 * A thread bridge: run blocking functions in Worker threads so the event loop stays free.
 *
 * JavaScript runs your code on one thread. A synchronous call that blocks (a synchronous database
 * driver, a CPU-heavy parser) stops every timer, every promise and every request until it
 * returns. Python's answer is `await asyncio.to_thread(fn, *args)`; ours is a Worker: a second
 * JavaScript thread with its own event loop, which shares nothing with the main thread and talks
 * to it by messages.
 *
 * - `toThread(moduleUrl, fnName, ...args)` runs one exported function in a fresh Worker and
 *   resolves with its result.
 * - `new WorkerPool(moduleUrl, { size })` keeps up to `size` Workers and runs jobs on them with
 *   `run(fnName, args, { signal })`; `await using` terminates them all at the end.
 *
 * A Worker cannot receive a function (functions cannot be copied between threads), so a job names
 * a module and one of its exports instead. Each request carries an id and each reply brings it
 * back; errors cross as plain data (see `worker_host.ts`) and are rebuilt here.
 *
 * @module
 */
import type { JobReply, JobRequest, SerializedThrown } from "./worker_host.ts";

/** The module every Worker thread starts with. */
const HOST_URL = new URL("./worker_host.ts", import.meta.url).href;

/**
 * Rebuilds an error from the data `serializeError` produced in a worker: an `Error` with the
 * original name, message, stack, custom fields and cause. A thrown non-Error value comes back as
 * that value. (The class itself is not restored: check `error.name`, not `instanceof DbError`.)
 *
 * @param data What the worker sent.
 * @returns The error (or value) to reject with.
 *
 * @example
 * ```ts
 * import { deserializeError } from "./bridge.ts";
 * const e = deserializeError({ kind: "error", name: "DbError", message: "locked", fields: { code: "SQLITE_BUSY" } });
 * (e as Error).name; // "DbError"
 * ```
 */
export function deserializeError(data: SerializedThrown): unknown {
  // TODO: rebuild an Error with the original name, message, stack, fields and cause; return a non-Error value as it is
  throw new Error("not implemented: deserializeError (task 2)");
}

/**
 * Options of {@linkcode WorkerPool}.
 *
 * @example
 * ```ts
 * import { WorkerPool, type WorkerPoolOptions } from "./bridge.ts";
 * const options: WorkerPoolOptions = { size: 2 };
 * await using pool = new WorkerPool(new URL("./jobs.ts", import.meta.url), options);
 * ```
 */
export interface WorkerPoolOptions {
  /** The most Worker threads (and so jobs) at once: an integer >= 1. Default 4. */
  size?: number;
}

/**
 * Options of {@linkcode WorkerPool.run}.
 *
 * @example
 * ```ts
 * import { type RunOptions, WorkerPool } from "./bridge.ts";
 * await using pool = new WorkerPool(new URL("./jobs.ts", import.meta.url));
 * const options: RunOptions = { signal: AbortSignal.timeout(1000) };
 * await pool.run("query", ["SELECT 1"], options);
 * ```
 */
export interface RunOptions {
  /** Aborting rejects the job with `signal.reason`; a running job's thread is terminated. */
  signal?: AbortSignal;
}

function invalidState(message: string): Error {
  const error = new Error(message);
  error.name = "InvalidStateError";
  return error;
}

/**
 * A pool of up to `size` Worker threads running exported functions of one module. Threads start
 * on demand and are reused; jobs beyond `size` wait in FIFO order.
 *
 * @example
 * ```ts
 * import { WorkerPool } from "./bridge.ts";
 * await using pool = new WorkerPool(new URL("./jobs.ts", import.meta.url), { size: 2 });
 * const rows = await pool.run("query", ["SELECT * FROM users"]);
 * ```
 */
export class WorkerPool implements AsyncDisposable {
  /** Absolute URL of the module whose exports the jobs call. */
  readonly moduleUrl: string;
  /** The most threads at once. */
  readonly size: number;

  /**
   * @param moduleUrl Absolute URL of the module (e.g. `new URL("./jobs.ts", import.meta.url)`).
   * @param options `size`: the most threads at once (default 4).
   * @throws {RangeError} size is not an integer >= 1.
   * @throws {TypeError} moduleUrl is not an absolute URL.
   */
  constructor(moduleUrl: string | URL, options: WorkerPoolOptions = {}) {
    // TODO: check size (RangeError), keep moduleUrl as an absolute URL string, start no thread yet
    throw new Error("not implemented: WorkerPool constructor (task 4)");
  }

  /** How many Worker threads are alive now (never more than `size`). */
  get threads(): number {
    // TODO: count the live threads
    throw new Error("not implemented: WorkerPool.threads (task 4)");
  }

  /**
   * Runs `moduleUrl`'s export `fnName(...args)` on a pool thread.
   *
   * @typeParam T What the function returns.
   * @param fnName The exported function's name.
   * @param args Its arguments (copied to the thread with structured clone).
   * @param options `signal` cancels the job: a queued job is dropped, a running one's thread is
   *   terminated (and replaced when needed).
   * @returns The function's result.
   * @throws The worker's error, rebuilt with its name, message and fields.
   * @throws `signal.reason` when aborted; an "InvalidStateError" after dispose; an "AbortError"
   *   when the pool is disposed while the job waits or runs.
   *
   * @example
   * ```ts
   * import { WorkerPool } from "./bridge.ts";
   * await using pool = new WorkerPool(new URL("./jobs.ts", import.meta.url));
   * await pool.run("add", [2, 3]); // 5
   * ```
   */
  run<T = unknown>(fnName: string, args: unknown[] = [], options: RunOptions = {}): Promise<T> {
    // TODO: give the job an id, queue it, start it on an idle thread (or a new one while fewer than size run), settle it from the reply with the same id; on abort drop it from the queue or terminate its thread
    throw new Error("not implemented: WorkerPool.run (task 5)");
  }

  /**
   * Terminates every thread and rejects every job still waiting or running with an "AbortError".
   * Later `run()` calls reject with an "InvalidStateError". Calling it twice is harmless.
   *
   * @example
   * ```ts
   * import { WorkerPool } from "./bridge.ts";
   * const pool = new WorkerPool(new URL("./jobs.ts", import.meta.url));
   * await pool[Symbol.asyncDispose]();
   * ```
   */
  async [Symbol.asyncDispose](): Promise<void> {
    // TODO: terminate every thread, reject every pending job with an AbortError, refuse later runs
    throw new Error("not implemented: WorkerPool[Symbol.asyncDispose] (task 6)");
  }
}

/**
 * Runs `moduleUrl`'s export `fnName(...args)` in a fresh Worker thread and resolves with its
 * result: the counterpart of Python's `await asyncio.to_thread(fn, *args)`. The thread is
 * terminated afterwards, whatever happened. For many calls, or to cancel one, use a WorkerPool.
 *
 * @typeParam T What the function returns.
 * @param moduleUrl Absolute URL of the module.
 * @param fnName The exported function's name.
 * @param args Its arguments (copied with structured clone).
 * @returns The function's result.
 * @throws The worker's error with its name, message and custom fields.
 *
 * @example
 * ```ts
 * import { toThread } from "./bridge.ts";
 * const rows = await toThread(new URL("./jobs.ts", import.meta.url), "query", "SELECT * FROM users");
 * ```
 */
export async function toThread<T = unknown>(moduleUrl: string | URL, fnName: string, ...args: unknown[]): Promise<T> {
  // TODO: run the one job on a pool of one thread, and terminate that thread whatever happens
  throw new Error("not implemented: toThread (task 7)");
}
