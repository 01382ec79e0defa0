// GIVEN: a context variable for the CPython conformance case test_to_thread_contextvars; you do not edit it
/**
 * A context variable (`AsyncLocalStorage`, Python's `contextvars.ContextVar`) and a job that reads
 * it. `asyncio.to_thread()` copies the caller's context into the thread; a Worker shares nothing
 * with the main thread, so the job sees no value there.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The context variable.
 *
 * @example
 * ```ts
 * import { requestContext } from "./context.ts";
 * requestContext.run("parrot", () => requestContext.getStore()); // "parrot"
 * ```
 */
export const requestContext: AsyncLocalStorage<string> = new AsyncLocalStorage<string>();

/**
 * Returns the context variable's value where it runs.
 *
 * @example
 * ```ts
 * import { getContext, requestContext } from "./context.ts";
 * requestContext.run("parrot", getContext); // "parrot"
 * ```
 */
export function getContext(): string | undefined {
  return requestContext.getStore();
}
