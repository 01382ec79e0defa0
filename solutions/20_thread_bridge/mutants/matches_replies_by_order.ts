// MUTANT: settles the oldest job in flight with whatever reply arrives first, instead of matching the request id
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
// The message types of worker_host.ts, repeated here so this file stands alone in mutants/.
/** An error as plain data that survives structured clone, or a thrown non-Error value. */
type SerializedThrown =
  | {
    kind: "error";
    name: string;
    message: string;
    stack?: string;
    /** Own enumerable properties other than name and message (e.g. DbError's code and sql). */
    fields: Record<string, unknown>;
    cause?: SerializedThrown;
  }
  | { kind: "value"; value: unknown };

/** What the main thread posts to a worker. */
interface JobRequest {
  /** Chosen by the main thread; the reply carries it back. */
  id: number;
  /** Absolute URL of the module that exports the function. */
  moduleUrl: string;
  fnName: string;
  args: unknown[];
}

/** What a worker posts back: the request's id and the outcome. */
type JobReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedThrown };

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
  if (data.kind === "value") return data.value;
  const error = new Error(data.message);
  error.name = data.name;
  if (data.stack !== undefined) error.stack = data.stack; // the worker's stack: where it really failed
  Object.assign(error, data.fields);
  if (data.cause !== undefined) error.cause = deserializeError(data.cause);
  return error;
}

/** Options of {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  /** The most Worker threads (and so jobs) at once: an integer >= 1. Default 4. */
  size?: number;
}

/** Options of {@linkcode WorkerPool.run}. */
export interface RunOptions {
  /** Aborting rejects the job with `signal.reason`; a running job's thread is terminated. */
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
  /** The thread running it; undefined while queued. */
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
  #threads: Thread[] = [];
  #queue: Job[] = [];
  /** Every job not yet settled, by request id: a reply finds its job here. */
  #pending = new Map<number, Job>();
  #nextId = 1;
  #disposed = false;

  /**
   * @param moduleUrl Absolute URL of the module (e.g. `new URL("./jobs.ts", import.meta.url)`).
   * @param options `size`: the most threads at once (default 4).
   * @throws {RangeError} size is not an integer >= 1.
   * @throws {TypeError} moduleUrl is not an absolute URL.
   */
  constructor(moduleUrl: string | URL, options: WorkerPoolOptions = {}) {
    const size = options.size ?? 4;
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`Cannot create a WorkerPool: 'size' must be an integer >= 1; received ${size}`);
    }
    // A relative path would be resolved from worker_host.ts, not from the caller: insist on a URL.
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
    if (this.#disposed) return Promise.reject(invalidState("this WorkerPool has been disposed"));
    const { signal } = options;
    // A listener added after the abort would never fire: check first, and start nothing.
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const job: Job = { id: this.#nextId++, fnName, args, resolve: resolve as (v: unknown) => void, reject, signal };
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
    if (this.#disposed) return;
    this.#disposed = true;
    for (const thread of this.#threads) thread.worker.terminate();
    this.#threads = [];
    this.#queue = [];
    const reason = new DOMException("the WorkerPool was disposed", "AbortError");
    for (const job of [...this.#pending.values()]) this.#settle(job, () => job.reject(reason));
  }

  /** Starts queued jobs while a thread is idle or another may be started. */
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
      event.preventDefault(); // handled here: do not let the runtime treat it as fatal
      this.#onCrash(thread, new Error(`a worker thread crashed: ${event.message}`));
    };
    this.#threads.push(thread);
    return thread;
  }

  #start(thread: Thread, job: Job): void {
    thread.job = job;
    job.thread = thread;
    const request: JobRequest = { id: job.id, moduleUrl: this.moduleUrl, fnName: job.fnName, args: job.args };
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
    const job = [...this.#pending.values()].find((j) => j.thread !== undefined); // the oldest job in flight
    if (!job) return;
    job.thread!.job = undefined;
    thread.job = undefined;
    this.#settle(job, () => reply.ok ? job.resolve(reply.value) : job.reject(deserializeError(reply.error)));
    this.#pump();
  }

  #abort(job: Job): void {
    if (!this.#pending.has(job.id)) return;
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) this.#queue.splice(queued, 1);
    // Unlike a Python thread, a Worker can be stopped mid-call: terminate it, and replace it later.
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
  await using pool = new WorkerPool(moduleUrl, { size: 1 });
  return await pool.run<T>(fnName, args);
}
