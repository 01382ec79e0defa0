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

interface Job {
  id: number;
  fnName: string;
  args: unknown[];
  resolve(value: unknown): void;
  reject(reason: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
  /** The thread running it; undefined while it waits. */
  thread?: Thread;
}

interface Thread {
  worker: Worker;
  job?: Job;
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
  #threads: Thread[] = [];
  #queue: Job[] = [];
  /** Every job not yet settled, by request id: a reply finds its job here. */
  #pending = new Map<number, Job>();
  #nextId = 1;
  #disposed = false;

  /**
   * @param moduleUrl Absolute URL of the module (e.g. `new URL("./cpu_jobs.ts", import.meta.url)`).
   * @param options `size`: the most threads at once (default `navigator.hardwareConcurrency`).
   * @throws {RangeError} size is not an integer >= 1.
   * @throws {TypeError} moduleUrl is not an absolute URL.
   */
  constructor(moduleUrl: string | URL, options: WorkerPoolOptions = {}) {
    const size = options.size ?? navigator.hardwareConcurrency;
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`a WorkerPool needs 'size' to be an integer >= 1; received ${size}`);
    }
    // A relative path would be resolved from worker_main.ts, not from the caller: insist on a URL.
    this.moduleUrl = new URL(moduleUrl).href;
    this.size = size;
  }

  /** How many Worker threads are alive now (never more than `size`). */
  get threads(): number {
    return this.#threads.length;
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
    if (this.#disposed) return Promise.reject(invalidState("this WorkerPool has been disposed"));
    const { signal } = options;
    // A listener added after the abort would never fire: check first, and start nothing.
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        id: this.#nextId++,
        fnName,
        args,
        resolve: resolve as (v: unknown) => void,
        reject,
        signal,
      };
      if (signal) {
        job.onAbort = () => this.#abort(job);
        signal.addEventListener("abort", job.onAbort, { once: true });
      }
      this.#pending.set(job.id, job);
      this.#queue.push(job);
      this.#pump();
    });
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
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const thread of this.#threads) thread.worker.terminate();
    this.#threads = [];
    this.#queue = [];
    const reason = new DOMException("the WorkerPool was disposed", "AbortError");
    for (const job of [...this.#pending.values()]) this.#settle(job, () => job.reject(reason));
    await Promise.resolve();
  }

  /** Starts waiting jobs while a thread is idle or another may be started. */
  #pump(): void {
    while (this.#queue.length > 0) {
      let thread = this.#threads.find((t) => t.job === undefined);
      if (!thread) {
        if (this.#threads.length >= this.size) return; // every thread busy: the job waits
        thread = this.#spawn();
      }
      this.#start(thread, this.#queue.shift()!);
    }
  }

  #spawn(): Thread {
    const thread: Thread = { worker: new Worker(HOST_URL, { type: "module" }) };
    thread.worker.onmessage = (event: MessageEvent<JobReply>) => this.#onReply(thread, event.data);
    thread.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault(); // handled here: the runtime must not treat it as fatal
      this.#onCrash(thread, new Error(`a worker thread crashed: ${event.message}`));
    };
    this.#threads.push(thread);
    return thread;
  }

  #start(thread: Thread, job: Job): void {
    thread.job = job;
    job.thread = thread;
    const request: JobRequest = {
      id: job.id,
      moduleUrl: this.moduleUrl,
      fnName: job.fnName,
      args: job.args,
    };
    try {
      thread.worker.postMessage(request);
    } catch (error) {
      // The arguments cannot be copied (a function, say): DataCloneError. The thread stays idle.
      thread.job = undefined;
      this.#settle(job, () => job.reject(error));
    }
  }

  #onReply(thread: Thread, reply: JobReply): void {
    // Match by id, never by arrival order: replies from different threads come in any order.
    const job = this.#pending.get(reply.id);
    if (!job) return; // a job that was aborted or disposed meanwhile
    thread.job = undefined;
    this.#settle(
      job,
      () => reply.ok ? job.resolve(reply.value) : job.reject(reviveError(reply.error)),
    );
    this.#pump();
  }

  #abort(job: Job): void {
    if (!this.#pending.has(job.id)) return;
    const waiting = this.#queue.indexOf(job);
    if (waiting >= 0) this.#queue.splice(waiting, 1);
    // Unlike a process pool's future, a running job can be stopped: terminate its thread.
    if (job.thread) this.#discard(job.thread);
    this.#settle(job, () => job.reject(job.signal!.reason));
    this.#pump();
  }

  #onCrash(thread: Thread, error: Error): void {
    this.#discard(thread);
    const job = thread.job;
    if (job && this.#pending.has(job.id)) this.#settle(job, () => job.reject(error));
    this.#pump();
  }

  #discard(thread: Thread): void {
    thread.worker.terminate();
    this.#threads = this.#threads.filter((t) => t !== thread);
  }

  /** Forgets the job and its abort listener, then settles it. */
  #settle(job: Job, settle: () => void): void {
    this.#pending.delete(job.id);
    if (job.onAbort) job.signal!.removeEventListener("abort", job.onAbort);
    settle();
  }
}
