/**
 * Hears unhandled rejections while a clock runs: Deno's `unhandledrejection` event, Bun's (and
 * Node's) `process.on("unhandledRejection")`.
 *
 * @module
 */
import { $bind } from "./intrinsics.ts";
import { runtimeName } from "./real.ts";

// Captured when lib loads: code under test that replaces these later cannot unplug the clock.
// deno-lint-ignore no-explicit-any
const proc = (globalThis as any).process;
const on: ((e: string, f: (r: unknown) => void) => void) | undefined = proc?.on
  ? $bind(proc.on, proc)
  : undefined;
const off: ((e: string, f: (r: unknown) => void) => void) | undefined = proc?.off
  ? $bind(proc.off, proc)
  : undefined;
const addListener: typeof globalThis.addEventListener = $bind(
  globalThis.addEventListener,
  globalThis,
);
const removeListener: typeof globalThis.removeEventListener = $bind(
  globalThis.removeEventListener,
  globalThis,
);
const reasonOf: (e: PromiseRejectionEvent) => unknown = runtimeName === "deno"
  ? $bind(
    Function.prototype.call,
    Reflect.getOwnPropertyDescriptor(PromiseRejectionEvent.prototype, "reason")!.get,
  )
  : (e) => e.reason;
const preventDefault: (e: Event) => void = $bind(
  Function.prototype.call,
  Event.prototype.preventDefault,
);

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
    preventDefault(event);
    onReason(reasonOf(event as PromiseRejectionEvent));
  };
  if (runtimeName === "deno") addListener("unhandledrejection", onEvent);
  else on?.("unhandledRejection", onReason);
  return () => {
    if (runtimeName === "deno") removeListener("unhandledrejection", onEvent);
    else off?.("unhandledRejection", onReason);
  };
}
