// GIVEN: the entry point of every Worker thread the pool starts; you do not edit it
/**
 * Runs inside each Worker: for every request, imports the module (the runtime caches it, so only
 * the first job of a thread pays), calls the export with the arguments (awaiting it: async jobs
 * are allowed) and posts `{ id, ok: true, value }` or `{ id, ok: false, error }` back. A thread
 * runs its jobs one at a time, in the order they arrive; the pool never sends a busy thread a
 * second job. If the outcome cannot be copied to the main thread (a function, say), the reply is
 * a failure named after the `DataCloneError`.
 *
 * @module
 */
import { type JobReply, type JobRequest, serializeError } from "./protocol.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent<JobRequest>) => void) | null;
  postMessage(message: unknown): void;
}

async function handle({ id, moduleUrl, fnName, args }: JobRequest): Promise<JobReply> {
  try {
    const fn = (await import(moduleUrl))[fnName];
    if (typeof fn !== "function") {
      throw new TypeError(`${moduleUrl} exports no function '${fnName}'`);
    }
    return { id, ok: true, value: await fn(...args) };
  } catch (error) {
    return { id, ok: false, error: serializeError(error) };
  }
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = async (event) => {
  const reply = await handle(event.data);
  try {
    scope.postMessage(reply);
  } catch (error) {
    const { name, message } = error as Error;
    const why =
      `the outcome of ${event.data.fnName}() cannot be sent to the main thread: ${message}`;
    scope.postMessage({ id: reply.id, ok: false, error: { kind: "error", name, message: why } });
  }
};
