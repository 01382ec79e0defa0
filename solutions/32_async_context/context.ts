/**
 * Async context: a request id that follows the request through every `await`, without being
 * passed from function to function (Python's `contextvars`).
 *
 * - `withRequest(id, fn)` runs `fn` as request `id`; `currentRequestId()` reads the id from
 *   anywhere below it, also after awaits; `RequestLogger.info()` stamps each line with it.
 * - `BackgroundQueue` runs jobs later, one at a time. A job runs in the context of the code that
 *   enqueued it, although the queue's own code calls it.
 * - `handle(id, handler, { logger, signal })` runs a request and logs its start, its end and the
 *   moment its signal aborts. The abort listener is called by whoever aborts the signal, so it
 *   must carry the request's context with it.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";

const requestStorage = new AsyncLocalStorage<string>();

/**
 * Runs `fn` as request `requestId`: inside `fn`, and in everything it calls or awaits, also
 * after awaits, `currentRequestId()` is `requestId`. Nested calls shadow the outer id and restore
 * it when they return. Concurrent requests never see each other's id.
 *
 * @typeParam T What `fn` returns.
 * @param requestId The request's id, a string ("" is a valid id, distinct from "no request").
 * @param fn Called at once, synchronously.
 * @returns Exactly what `fn` returns (a promise stays that promise; a plain value stays plain).
 * @throws TypeError when `requestId` is not a string (before calling `fn`); whatever `fn` throws.
 *
 * @example
 * ```ts
 * import { currentRequestId, withRequest } from "./context.ts";
 * await withRequest("req-1", async () => {
 *   await fetchUser();
 *   currentRequestId(); // "req-1"
 * });
 * currentRequestId(); // undefined
 * ```
 */
export function withRequest<T>(requestId: string, fn: () => T): T {
  if (typeof requestId !== "string") {
    throw new TypeError(`withRequest(requestId, fn) needs a string id; received ${requestId}`);
  }
  return requestStorage.run(requestId, fn);
}

/**
 * The id of the request the calling code runs in.
 *
 * @returns The id given to the innermost `withRequest`, or undefined outside any request.
 *
 * @example
 * ```ts
 * import { currentRequestId } from "./context.ts";
 * currentRequestId(); // undefined: not inside withRequest()
 * ```
 */
export function currentRequestId(): string | undefined {
  return requestStorage.getStore();
}

/** One line of the request log. */
export interface LogEntry {
  /** The request the line was logged in (undefined outside any request). */
  readonly requestId: string | undefined;
  /** What was logged. */
  readonly message: string;
}

/**
 * A log that stamps each line with the request it was written in.
 *
 * @example
 * ```ts
 * import { RequestLogger, withRequest } from "./context.ts";
 * const logger = new RequestLogger();
 * withRequest("req-1", () => logger.info("hello"));
 * logger.entries; // [{ requestId: "req-1", message: "hello" }]
 * ```
 */
export class RequestLogger {
  /** Every line, in the order they were logged. */
  readonly entries: LogEntry[] = [];

  /**
   * Appends `{ requestId: currentRequestId(), message }` to `entries`.
   *
   * @param message The line.
   *
   * @example
   * ```ts
   * import { RequestLogger } from "./context.ts";
   * new RequestLogger().info("started"); // requestId undefined: outside any request
   * ```
   */
  info(message: string): void {
    this.entries.push({ requestId: currentRequestId(), message });
  }
}

/**
 * Runs jobs later, one at a time, first in first out (Python: a worker task that takes jobs from
 * an `asyncio.Queue`). Each job runs in the request context of the `enqueue()` call that queued
 * it, whoever started the queue.
 *
 * @example Audit log writes that must not slow the request down
 * ```ts
 * import { BackgroundQueue, withRequest } from "./context.ts";
 * const audit = new BackgroundQueue();
 * await withRequest("req-7", async () => {
 *   void audit.enqueue(() => writeAuditLine()); // writeAuditLine sees "req-7"
 * });
 * await audit.idle();
 * ```
 */
export class BackgroundQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;
  #idleWaiters: (() => void)[] = [];

  /**
   * Queues `job`. It starts after every job queued before it has settled, never during this call,
   * and runs in the request context of this call (`currentRequestId()` inside it, also after its
   * awaits, is the caller's; undefined when the caller is in no request).
   *
   * @typeParam T What `job` resolves with.
   * @param job The work. A synchronous throw counts as a rejection.
   * @returns A promise of the job's result. A failing job rejects it, the queue goes on with the
   *   next job, and the failure is never reported as unhandled when nobody awaits this promise.
   *
   * @example
   * ```ts
   * import { BackgroundQueue } from "./context.ts";
   * const queue = new BackgroundQueue();
   * const value = await queue.enqueue(async () => 42); // 42
   * ```
   */
  enqueue<T>(job: () => Promise<T> | T): Promise<T> {
    this.#pending++;
    const run = AsyncLocalStorage.snapshot(); // the enqueuer's context
    const result = this.#tail.then(() => run(job));
    this.#tail = result.then(() => this.#settled(), () => this.#settled());
    result.catch(() => {}); // fire-and-forget is allowed: the caller who awaits still sees it
    return result;
  }

  /**
   * Resolves once no job is queued or running: at once when the queue is idle, otherwise after
   * the last job, including jobs queued meanwhile (also by jobs).
   *
   * @returns Resolves when idle.
   *
   * @example
   * ```ts
   * import { BackgroundQueue } from "./context.ts";
   * await new BackgroundQueue().idle(); // at once
   * ```
   */
  idle(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #settled(): void {
    this.#pending--;
    if (this.#pending > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

/** Options of {@linkcode handle}. */
export interface HandleOptions {
  /** Where the request's lines go. */
  logger: RequestLogger;
  /** The request's cancellation, given to the handler. */
  signal?: AbortSignal;
}

/**
 * Handles one request: runs `handler(signal)` as request `requestId` and logs, stamped with that
 * id, "start" before the handler, "done" when it resolves, "failed: MESSAGE" when it throws or
 * rejects, and "aborted: MESSAGE" at the moment the signal aborts while the handler runs (the
 * handler decides whether to stop; nothing is logged for an abort after it settled).
 *
 * @typeParam T What `handler` resolves with.
 * @param requestId The request's id.
 * @param handler The request's work; gets the signal (undefined without one).
 * @param options `{ logger, signal }`. An already aborted signal rejects with its reason at once,
 *   logs nothing and never calls the handler.
 * @returns What the handler resolved with, or rejects with what it threw (never a synchronous
 *   throw, also not for an id that is not a string: that rejects with a TypeError). MESSAGE is
 *   `error.message` for an Error, `String(value)` for anything else.
 *
 * @example
 * ```ts
 * import { handle, RequestLogger } from "./context.ts";
 * const logger = new RequestLogger();
 * await handle("req-1", async (signal) => await render(signal), { logger });
 * logger.entries; // start, ... lines of render() ..., done: all with requestId "req-1"
 * ```
 */
export async function handle<T>(
  requestId: string,
  handler: (signal: AbortSignal | undefined) => Promise<T> | T,
  options: HandleOptions,
): Promise<T> {
  const { logger, signal } = options;
  signal?.throwIfAborted();
  return await withRequest(requestId, async () => {
    logger.info("start");
    // Called by whoever aborts the signal, in their context: bind it to this request's.
    const onAbort = AsyncLocalStorage.bind(() =>
      logger.info(`aborted: ${describe(signal!.reason)}`)
    );
    signal?.addEventListener("abort", onAbort);
    try {
      const value = await handler(signal);
      logger.info("done");
      return value;
    } catch (error) {
      logger.info(`failed: ${describe(error)}`);
      throw error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  });
}

function describe(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}
