// deno-lint-ignore-file no-unused-vars -- the stub does not use its parameters yet; your code will
/**
 * A pool of Worker threads for CPU-bound work: Python's `ProcessPoolExecutor`, the JavaScript way.
 *
 * `new WorkerPool(moduleUrl, { size })` keeps up to `size` Workers (default: one per CPU core);
 * `run(fnName, args, { signal })` runs an export of `moduleUrl` on a free thread, starting one
 * when fewer than `size` exist and queueing the job (first in, first out) when all are busy.
 * Threads are reused from job to job; a thread that dies is replaced; `await using` (or
 * `pool[Symbol.asyncDispose]()`) terminates them all.
 *
 * Several threads answer in any order, so every request carries an id and every reply brings it
 * back: a reply settles the job with that id, never "the oldest job waiting". Errors cross as
 * plain data (`protocol.ts`) and are rebuilt with `reviveError`.
 *
 * @module
 */
import { type JobReply, type JobRequest, reviveError } from "./protocol.ts";

/** The module every Worker thread starts with (given). */
const HOST_URL = new URL("./worker_main.ts", import.meta.url).href;

/**
 * Options of {@linkcode WorkerPool}.
 *
 * @example
 * ```ts
 * import { WorkerPool, type WorkerPoolOptions } from "./pool.ts";
 * const options: WorkerPoolOptions = { size: 2 };
 * await using pool = new WorkerPool(new URL("./cpu_jobs.ts", import.meta.url), options);
 * ```
 */
export interface WorkerPoolOptions {
  /** The most Worker threads (and so jobs) at once: an integer >= 1. Default `navigator.hardwareConcurrency`. */
  size?: number;
}

/**
 * Options of {@linkcode WorkerPool.run}.
 *
 * @example
 * ```ts
 * import { type RunOptions, WorkerPool } from "./pool.ts";
 * await using pool = new WorkerPool(new URL("./cpu_jobs.ts", import.meta.url));
 * const options: RunOptions = { signal: AbortSignal.timeout(1000) };
 * await pool.run("countPrimes", [100_000], options);
 * ```
 */
export interface RunOptions {
  /** Aborting rejects the job with `signal.reason`: a waiting job is dropped, a running one's thread terminated. */
  signal?: AbortSignal;
}

/**
 * A pool of up to `size` Worker threads running exported functions of one module. Threads start
 * on demand and are reused; jobs beyond `size` wait in FIFO order.
 *
 * @example
 * ```ts
 * import { WorkerPool } from "./pool.ts";
 * await using pool = new WorkerPool(new URL("./cpu_jobs.ts", import.meta.url), { size: 2 });
 * const counts = await Promise.all([100_000, 200_000].map((n) => pool.run("countPrimes", [n])));
 * ```
 */
export class WorkerPool implements AsyncDisposable {
  /** Absolute URL of the module whose exports the jobs call. */
  readonly moduleUrl: string;
  /** The most threads at once. */
  readonly size: number;

  /**
   * @param moduleUrl Absolute URL of the module (e.g. `new URL("./cpu_jobs.ts", import.meta.url)`).
   * @param options `size`: the most threads at once (default `navigator.hardwareConcurrency`).
   * @throws {RangeError} size is not an integer >= 1.
   * @throws {TypeError} moduleUrl is not an absolute URL.
   */
  constructor(moduleUrl: string | URL, options: WorkerPoolOptions = {}) {
    // TODO: size defaults to navigator.hardwareConcurrency and must be an integer >= 1 (RangeError);
    // keep moduleUrl as an absolute URL string (new URL(...) throws a TypeError otherwise); start
    // no thread yet
    throw new Error("not implemented: WorkerPool constructor (task 1)");
  }

  /** How many Worker threads are alive now (never more than `size`). */
  get threads(): number {
    // TODO: how many Worker threads are alive now
    throw new Error("not implemented: WorkerPool.threads (task 1)");
  }

  /**
   * Runs `moduleUrl`'s export `fnName(...args)` on a pool thread.
   *
   * @typeParam T What the function returns.
   * @param fnName The exported function's name.
   * @param args Its arguments (copied to the thread with structured clone). Default `[]`.
   * @param options `signal` cancels the job: a waiting job is dropped, a running one's thread is
   *   terminated (a later job gets a new one).
   * @returns The function's result.
   * @throws The worker's error, rebuilt with its name, message and stack.
   * @throws DataCloneError when the arguments or the result cannot be copied.
   * @throws An Error carrying the crash message when the job's thread dies.
   * @throws `signal.reason` when aborted; an "InvalidStateError" after dispose; an "AbortError"
   *   when the pool is disposed while the job waits or runs.
   *
   * @example
   * ```ts
   * import { WorkerPool } from "./pool.ts";
   * await using pool = new WorkerPool(new URL("./cpu_jobs.ts", import.meta.url));
   * await pool.run("pow", [2, 8]); // 256
   * ```
   */
  run<T = unknown>(fnName: string, args: unknown[] = [], options: RunOptions = {}): Promise<T> {
    // TODO: give the job a fresh id and queue it; start it on an idle thread, or on a new one
    // (new Worker(HOST_URL, { type: "module" })) while fewer than size exist; settle it from the
    // reply carrying its id (reviveError for failures), then start the next waiting job; a
    // DataCloneError from postMessage rejects the job; a thread that crashes rejects its job and
    // leaves the pool (task 2)
    // TODO: cancellation: an aborted signal rejects at once and starts nothing; an abort drops a
    // waiting job or terminates the running job's thread; reject with signal.reason itself and
    // remove the abort listener however the job ends (task 3)
    throw new Error("not implemented: WorkerPool.run (task 2)");
  }

  /**
   * Terminates every thread and rejects every job still waiting or running with a DOMException
   * named "AbortError". Later `run()` calls reject with an "InvalidStateError". Calling it twice
   * is harmless.
   *
   * @example
   * ```ts
   * import { WorkerPool } from "./pool.ts";
   * const pool = new WorkerPool(new URL("./cpu_jobs.ts", import.meta.url));
   * await pool[Symbol.asyncDispose]();
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    // TODO: terminate every thread, reject every waiting or running job with a DOMException named
    // "AbortError", make later run() calls reject with an "InvalidStateError"; twice is harmless
    throw new Error("not implemented: WorkerPool[Symbol.asyncDispose] (task 4)");
  }
}
