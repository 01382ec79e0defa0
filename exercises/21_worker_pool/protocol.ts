// GIVEN: the message protocol between the pool and its Worker threads; you do not edit it
/**
 * What the main thread and a Worker say to each other. A request names a module, one of its
 * exports and the arguments; a reply carries the request's id back with the outcome. An error
 * crosses as plain data (`SerializedError`: structured clone would keep only the message) and
 * `reviveError` rebuilds it on the main thread. Exercise 20 built the full version (custom fields
 * and causes); the pool needs only name, message and stack.
 *
 * @module
 */

/**
 * A job request: the main thread chooses `id`, the reply brings it back.
 *
 * @example
 * ```ts
 * import type { JobRequest } from "./protocol.ts";
 * const request: JobRequest = { id: 1, moduleUrl: "file:///app/cpu_jobs.ts", fnName: "pow", args: [2, 8] };
 * ```
 */
export interface JobRequest {
  /** Chosen by the main thread; the reply carries it back. */
  id: number;
  /** Absolute URL of the module that exports the function. */
  moduleUrl: string;
  /** The exported function's name. */
  fnName: string;
  /** Its arguments (copied with structured clone). */
  args: unknown[];
}

/**
 * An error as plain data, or a thrown value that is not an Error.
 *
 * @example
 * ```ts
 * import type { SerializedError } from "./protocol.ts";
 * const data: SerializedError = { kind: "error", name: "RangeError", message: "too big", stack: "..." };
 * ```
 */
export type SerializedError =
  | { kind: "error"; name: string; message: string; stack?: string }
  | { kind: "value"; value: unknown };

/**
 * A reply: the request's id and the outcome.
 *
 * @example
 * ```ts
 * import type { JobReply } from "./protocol.ts";
 * const reply: JobReply = { id: 1, ok: true, value: 256 };
 * ```
 */
export type JobReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError };

/**
 * Turns anything thrown into {@linkcode SerializedError} (used by the Worker side).
 *
 * @param thrown What was thrown.
 * @returns Plain data that survives structured clone.
 *
 * @example
 * ```ts
 * import { serializeError } from "./protocol.ts";
 * serializeError(new RangeError("too big")).kind; // "error"
 * ```
 */
export function serializeError(thrown: unknown): SerializedError {
  if (!(thrown instanceof Error)) return { kind: "value", value: thrown };
  return { kind: "error", name: thrown.name, message: thrown.message, stack: thrown.stack };
}

/**
 * Rebuilds what {@linkcode serializeError} made: an Error with the worker's name, message and
 * stack, or the thrown value itself.
 *
 * @param data What the Worker sent.
 * @returns The error (or value) to reject with.
 *
 * @example
 * ```ts
 * import { reviveError } from "./protocol.ts";
 * (reviveError({ kind: "error", name: "RangeError", message: "too big" }) as Error).name; // "RangeError"
 * ```
 */
export function reviveError(data: SerializedError): unknown {
  if (data.kind === "value") return data.value;
  const error = new Error(data.message);
  error.name = data.name;
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}
