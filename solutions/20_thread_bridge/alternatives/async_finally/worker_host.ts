/**
 * Another correct worker side: fields gathered with Object.keys, the job looked up with `in`.
 *
 * @module
 */

/** An error as plain data, or a thrown non-Error value. */
export type SerializedThrown =
  | {
    kind: "error";
    name: string;
    message: string;
    stack?: string;
    fields: Record<string, unknown>;
    cause?: SerializedThrown;
  }
  | { kind: "value"; value: unknown };

/** A request. */
export interface JobRequest {
  id: number;
  moduleUrl: string;
  fnName: string;
  args: unknown[];
}

/** A reply. */
export type JobReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedThrown };

const SKIP = new Set(["name", "message", "stack", "cause"]);

/** Error -> plain data. */
export function serializeError(thrown: unknown): SerializedThrown {
  if (thrown instanceof Error) {
    const fields = Object.fromEntries(
      Object.keys(thrown).filter((k) => !SKIP.has(k)).map((
        k,
      ) => [k, (thrown as unknown as Record<string, unknown>)[k]]),
    );
    return {
      kind: "error",
      name: thrown.name,
      message: thrown.message,
      stack: thrown.stack,
      fields,
      ...(Object.hasOwn(thrown, "cause") ? { cause: serializeError(thrown.cause) } : {}),
    };
  }
  return { kind: "value", value: thrown };
}

/** Runs one job. */
export async function handle({ id, moduleUrl, fnName, args }: JobRequest): Promise<JobReply> {
  let mod: Record<string, unknown>;
  try {
    mod = await import(moduleUrl);
  } catch (error) {
    return { id, ok: false, error: serializeError(error) };
  }
  const fn = mod[fnName];
  if (typeof fn !== "function") {
    return { id, ok: false, error: serializeError(new TypeError(`no export named ${fnName}`)) };
  }
  try {
    const value = await (fn as (...a: unknown[]) => unknown)(...args);
    return { id, ok: true, value };
  } catch (error) {
    return { id, ok: false, error: serializeError(error) };
  }
}
