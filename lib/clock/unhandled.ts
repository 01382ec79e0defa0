/**
 * Hears unhandled rejections while a clock runs: Deno's `unhandledrejection` event, Bun's (and
 * Node's) `process.on("unhandledRejection")`.
 *
 * @module
 */
import { runtimeName } from "./real.ts";

/**
 * Starts listening.
 *
 * @param onReason Called with each unhandled rejection's reason.
 * @returns A function that stops listening.
 *
 * @example
 * ```ts
 * import { listenForUnhandled } from "./unhandled.ts";
 * const stop = listenForUnhandled((r) => console.log(r));
 * stop();
 * ```
 */
export function listenForUnhandled(onReason: (reason: unknown) => void): () => void {
  const onEvent = (event: Event) => {
    const e = event as PromiseRejectionEvent;
    e.preventDefault();
    onReason(e.reason);
  };
  // deno-lint-ignore no-explicit-any
  const proc = (globalThis as any).process;
  if (runtimeName === "deno") globalThis.addEventListener("unhandledrejection", onEvent);
  else proc?.on?.("unhandledRejection", onReason);
  return () => {
    if (runtimeName === "deno") globalThis.removeEventListener("unhandledrejection", onEvent);
    else proc?.off?.("unhandledRejection", onReason);
  };
}
