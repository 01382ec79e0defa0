// deno-lint-ignore-file no-unused-vars -- the stub does not use its parameters yet; your code will
/**
 * A thread bridge: run a blocking function in a Worker thread so the event loop stays free.
 *
 * JavaScript runs your code on one thread. A synchronous call that blocks (a synchronous database
 * driver, a CPU-heavy parser) stops every timer, every promise and every request until it
 * returns. Python's answer is `await asyncio.to_thread(fn, *args)`; ours is a Worker: a second
 * JavaScript thread with its own event loop, which shares nothing with the main thread and talks
 * to it by messages.
 *
 * `toThread(moduleUrl, fnName, args, { signal })` starts a Worker, runs one exported function of
 * a module there, resolves with its result (or rejects with its error, rebuilt), and ends the
 * Worker whatever happens. Aborting `signal` ends the Worker at once.
 *
 * A Worker cannot receive a function (functions cannot be copied between threads), so a job names
 * a module and one of its exports instead. Errors cross as plain data (see `worker_host.ts`) and
 * are rebuilt here.
 *
 * @module
 */
import type { JobReply, JobRequest, SerializedThrown } from "./worker_host.ts";

/** The module every Worker thread starts with (given): it calls your `handle()` from worker_host.ts. */
const HOST_URL = new URL("./worker_main.ts", import.meta.url).href;

/**
 * Rebuilds an error from the data `serializeError` produced in a worker: an `Error` with the
 * original name, message, stack (its own when the data has none), custom fields and cause. A thrown
 * non-Error value comes back as that value. (The class is not restored: check `error.name`.)
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
  // TODO: rebuild an Error with the original name, message, stack, fields and (rebuilt) cause;
  // return a { kind: "value" } as that value
  throw new Error("not implemented: deserializeError (task 2)");
}

/**
 * Options of {@linkcode toThread}.
 *
 * @example
 * ```ts
 * import { toThread, type ToThreadOptions } from "./bridge.ts";
 * const options: ToThreadOptions = { signal: AbortSignal.timeout(1000) };
 * await toThread(new URL("./jobs.ts", import.meta.url), "query", ["SELECT 1"], options);
 * ```
 */
export interface ToThreadOptions {
  /** Aborting it ends the Worker at once and rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * Runs `moduleUrl`'s export `fnName(...args)` in a fresh Worker thread and resolves with its
 * result: the counterpart of Python's `await asyncio.to_thread(fn, *args)`. The Worker is ended
 * when the call settles, whatever happened; aborting `signal` ends it at once.
 *
 * @typeParam T What the function returns.
 * @param moduleUrl Absolute URL of the module (e.g. `new URL("./jobs.ts", import.meta.url)`).
 * @param fnName The exported function's name.
 * @param args Its arguments (copied to the thread with structured clone). Default `[]`.
 * @param options `signal` cancels the call.
 * @returns The function's result (a copy: threads share no objects).
 * @throws The worker's error, rebuilt with its name, message, stack, custom fields and cause.
 * @throws `signal.reason` when aborted, before or during the call.
 * @throws DataCloneError when the arguments or the result cannot be copied between threads.
 * @throws An Error naming the crash when the thread dies without replying.
 *
 * @example
 * ```ts
 * import { toThread } from "./bridge.ts";
 * const rows = await toThread(new URL("./jobs.ts", import.meta.url), "query", ["SELECT * FROM users"]);
 * ```
 */
export function toThread<T = unknown>(
  moduleUrl: string | URL,
  fnName: string,
  args: unknown[] = [],
  options: ToThreadOptions = {},
): Promise<T> {
  // TODO: start a Worker (new Worker(HOST_URL, { type: "module" })), post it one JobRequest,
  // settle from its reply (rebuild errors with deserializeError), reject on a DataCloneError or a
  // crash (the Worker's "error" event), and terminate the Worker on every one of these paths
  // TODO: cancellation: an already aborted signal rejects with signal.reason and starts nothing;
  // an abort during the call terminates the Worker and rejects with signal.reason; remove the
  // abort listener whichever way the call ends
  throw new Error("not implemented: toThread (task 4)");
}
