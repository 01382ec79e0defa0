/**
 * The runtime's own timer functions, captured before the virtual clock replaces the globals.
 *
 * The clock's driver needs real macrotask turns and real time (for its grace period and its
 * watchdog) while every global timer is being forwarded to virtual time. This module must be
 * evaluated before `globals.ts` installs the forwarders; `globals.ts` imports it first.
 *
 * @module
 */
import { $Promise } from "./intrinsics.ts";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;

const realSetTimeout = g.setTimeout.bind(g) as typeof setTimeout;

/** Real `setTimeout`, `clearTimeout`, `Date.now` and friends, untouched by the clock. */
export const real = Object.freeze({
  setTimeout: realSetTimeout,
  clearTimeout: g.clearTimeout.bind(g) as typeof clearTimeout,
  setInterval: g.setInterval.bind(g) as typeof setInterval,
  clearInterval: g.clearInterval.bind(g) as typeof clearInterval,
  setImmediate: (typeof g.setImmediate === "function"
    ? g.setImmediate.bind(g)
    : (cb: () => void) =>
      realSetTimeout(cb, 0)) as (cb: () => void) => unknown,
  clearImmediate: (typeof g.clearImmediate === "function"
    ? g.clearImmediate.bind(g)
    : g.clearTimeout.bind(g)) as (id: unknown) => void,
  dateNow: Date.now.bind(Date) as () => number,
  perfNow: performance.now.bind(performance) as () => number,
  mathRandom: Math.random,
  abortSignalTimeout: AbortSignal.timeout.bind(AbortSignal) as typeof AbortSignal.timeout,
});

/**
 * Whether this runtime's setTimeout returns an object (a Timeout with ref/unref: Bun, and Deno
 * 2.9, measured) rather than a number (older Deno): the clock's handles take the same shape.
 */
export const timerHandlesAreObjects: boolean = (() => {
  const handle = real.setTimeout(() => {}, 0);
  real.clearTimeout(handle);
  return typeof handle === "object";
})();

/** Resolves after one real macrotask turn: every queued microtask has run by then. */
export function realTurn(): Promise<void> {
  return new $Promise((resolve) => real.setImmediate(resolve));
}

/** Resolves after `ms` real milliseconds. Only the clock's driver and real-time tests use it. */
export function realDelay(ms: number): Promise<void> {
  return new $Promise((resolve) => real.setTimeout(resolve, ms));
}

/** The runtime this code runs on, for messages and for runtime-specific escapes. */
export const runtimeName: "deno" | "bun" | "node" = typeof g.Deno !== "undefined"
  ? "deno"
  : typeof g.Bun !== "undefined"
  ? "bun"
  : "node";
