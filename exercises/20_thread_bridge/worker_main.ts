// GIVEN: the entry point of every Worker thread toThread() starts; you do not edit it
/**
 * Runs inside the Worker: waits for the one job request the main thread posts, answers it with
 * `handle(request)` from `worker_host.ts` (your code), and posts the reply back.
 *
 * Two things can still go wrong after `handle()`, and both must not leave the main thread waiting
 * for ever: `handle()` itself may throw (it is unfinished, say), and the reply may not be copyable
 * to another thread (a job that returns a function: `postMessage` throws a `DataCloneError`).
 * Either way this module posts a failure reply instead.
 *
 * @module
 */
import { handle, type JobReply, type JobRequest, type SerializedThrown } from "./worker_host.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent<JobRequest>) => void) | null;
  postMessage(message: unknown): void;
}

const plainError = (name: string, message: string): SerializedThrown => ({
  kind: "error",
  name,
  message,
  fields: {},
});

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = async (event) => {
  const { id, fnName } = event.data;
  let reply: JobReply;
  try {
    reply = await handle(event.data);
  } catch (error) {
    // handle() itself broke (unfinished?): pass its message on instead of going silent.
    reply = {
      id,
      ok: false,
      error: plainError("Error", String((error as Error)?.message ?? error)),
    };
  }
  try {
    scope.postMessage(reply);
  } catch (error) {
    // The result (or an error field) cannot be copied to another thread, e.g. a function.
    const why = `the outcome of ${fnName}() cannot be sent to the main thread: ${
      (error as Error).message
    }`;
    scope.postMessage(
      { id, ok: false, error: plainError((error as Error).name, why) } satisfies JobReply,
    );
  }
};
