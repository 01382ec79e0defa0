/**
 * The worker side of the thread bridge. Every Worker thread `toThread()` starts runs
 * `worker_main.ts` (given), which receives the job request `{ id, moduleUrl, fnName, args }`,
 * calls `handle(request)` from this module, and posts back what it returns:
 * `{ id, ok: true, value }` or `{ id, ok: false, error }`.
 *
 * Why the error must be serialized by hand: `postMessage` copies data with the structured clone
 * algorithm, which copies an Error as a bare `Error` with its message only (both runtimes): a
 * `DbError` arrives named "Error", its `code` and `sql` gone. So the worker turns the error into
 * plain data first (`serializeError`) and the main thread rebuilds it (`deserializeError` in
 * `bridge.ts`).
 *
 * @module
 */
/**
 * An error as plain data that survives structured clone, or a thrown non-Error value.
 *
 * @example
 * ```ts
 * import type { SerializedThrown } from "./worker_host.ts";
 * const data: SerializedThrown = { kind: "error", name: "DbError", message: "locked", fields: { code: "SQLITE_BUSY" } };
 * ```
 */
export type SerializedThrown =
  | {
    kind: "error";
    name: string;
    message: string;
    stack?: string;
    /** Own enumerable properties other than name, message, stack and cause (e.g. DbError's code and sql). */
    fields: Record<string, unknown>;
    cause?: SerializedThrown;
  }
  | { kind: "value"; value: unknown };

/**
 * What the main thread posts to a worker.
 *
 * @example
 * ```ts
 * import type { JobRequest } from "./worker_host.ts";
 * const request: JobRequest = { id: 1, moduleUrl: "file:///app/jobs.ts", fnName: "add", args: [2, 3] };
 * ```
 */
export interface JobRequest {
  /** Chosen by the main thread; the reply carries it back. */
  id: number;
  /** Absolute URL of the module that exports the function. */
  moduleUrl: string;
  fnName: string;
  args: unknown[];
}

/**
 * What a worker posts back: the request's id and the outcome.
 *
 * @example
 * ```ts
 * import type { JobReply } from "./worker_host.ts";
 * const reply: JobReply = { id: 1, ok: true, value: 5 };
 * ```
 */
export type JobReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedThrown };

/**
 * Turns anything thrown into plain data that keeps the error's name, message, stack, custom
 * fields and cause (recursively). A thrown non-Error value is kept as it is.
 *
 * @param thrown What was thrown.
 * @returns Plain data for postMessage.
 *
 * @example
 * ```ts
 * import { serializeError } from "./worker_host.ts";
 * const e = Object.assign(new Error("no such table: users"), { name: "DbError", code: "SQLITE_ERROR" });
 * serializeError(e); // { kind: "error", name: "DbError", message: "no such table: users", fields: { code: "SQLITE_ERROR" }, ... }
 * ```
 */
export function serializeError(thrown: unknown): SerializedThrown {
  if (!(thrown instanceof Error)) return { kind: "value", value: thrown };
  // Object.entries sees own enumerable properties: class fields such as DbError's code and sql
  // (and its `name`, which is taken separately, like message and stack).
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(thrown)) {
    if (key !== "name" && key !== "message" && key !== "stack" && key !== "cause") {
      fields[key] = value;
    }
  }
  const data: SerializedThrown = {
    kind: "error",
    name: thrown.name,
    message: thrown.message,
    stack: thrown.stack,
    fields,
  };
  if ("cause" in thrown) data.cause = serializeError(thrown.cause);
  return data;
}

/**
 * Runs one job: imports `moduleUrl` (imports are cached, so only the first job pays), calls the
 * exported `fnName` with `args` (awaiting it, so async functions work too) and describes the
 * outcome. Never rejects: a failure becomes `{ ok: false, error }`.
 *
 * @param request The job.
 * @returns The reply for the main thread, with the request's id.
 *
 * @example
 * ```ts
 * import { handle } from "./worker_host.ts";
 * const moduleUrl = new URL("./jobs.ts", import.meta.url).href;
 * await handle({ id: 1, moduleUrl, fnName: "add", args: [2, 3] }); // { id: 1, ok: true, value: 5 }
 * ```
 */
export async function handle(request: JobRequest): Promise<JobReply> {
  const { id, moduleUrl, fnName, args } = request;
  try {
    const mod = await import(moduleUrl);
    const fn = mod[fnName];
    if (typeof fn !== "function") {
      throw new TypeError(`${moduleUrl} exports no function named '${fnName}'`);
    }
    return { id, ok: true, value: await fn(...args) };
  } catch (error) {
    return { id, ok: false, error: serializeError(error) };
  }
}
