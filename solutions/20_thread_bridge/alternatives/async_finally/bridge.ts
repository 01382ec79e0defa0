/**
 * Another correct main side: an async function with one try/finally that ends the Worker, and
 * Promise.withResolvers for the reply.
 *
 * @module
 */
import type { JobReply, SerializedThrown } from "./worker_host.ts";

const HOST_URL = new URL("./worker_main.ts", import.meta.url).href;

/** Plain data -> error. */
export function deserializeError(data: SerializedThrown): unknown {
  if (data.kind !== "error") return data.value;
  const error = Object.assign(new Error(data.message), data.fields);
  error.name = data.name;
  if (typeof data.stack === "string") error.stack = data.stack;
  if (data.cause) error.cause = deserializeError(data.cause);
  return error;
}

/** Options of toThread. */
export interface ToThreadOptions {
  signal?: AbortSignal;
}

/** Runs one job in a fresh Worker. */
export async function toThread<T = unknown>(
  moduleUrl: string | URL,
  fnName: string,
  args: unknown[] = [],
  options: ToThreadOptions = {},
): Promise<T> {
  const { signal } = options;
  signal?.throwIfAborted();
  const href = new URL(moduleUrl).href;
  const { promise, resolve, reject } = Promise.withResolvers<T>();
  const worker = new Worker(HOST_URL, { type: "module" });
  const onAbort = () => reject(signal!.reason);
  try {
    signal?.addEventListener("abort", onAbort);
    worker.addEventListener("message", (event) => {
      const reply = (event as MessageEvent<JobReply>).data;
      if (reply.ok) resolve(reply.value as T);
      else reject(deserializeError(reply.error));
    });
    worker.addEventListener("error", (event) => {
      (event as ErrorEvent).preventDefault();
      reject(new Error(`thread died: ${(event as ErrorEvent).message}`));
    });
    worker.postMessage({ id: 7, moduleUrl: href, fnName, args });
    return await promise;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    worker.terminate();
  }
}
