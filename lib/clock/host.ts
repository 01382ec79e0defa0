/**
 * The one piece of state the global forwarders share: which run receives timer calls and tells
 * the time. The host is a frozen object of closures made by the run (install.ts), never the
 * public VirtualClock, so nothing a test or the code under test can reach changes what the
 * forwarders do.
 *
 * @module
 */
import type { EscapedTimeError } from "./errors.ts";

/** The kinds of timer the clock records. */
export type TimerKind = "setTimeout" | "setInterval" | "setImmediate" | "AbortSignal.timeout";

/** What a running clock offers the global forwarders. */
export interface TimerHost {
  /** Schedules a timer; returns the handle the caller sees. */
  schedule(
    kind: TimerKind,
    cb: (...args: unknown[]) => void,
    delay: number,
    args: unknown[],
  ): unknown;
  /** Cancels one of the run's timers. */
  clear(handle: unknown): void;
  /** Whether the handle is one of the run's timers. */
  owns(handle: unknown): boolean;
  /** A timer API escaped the clock: the run fails with this error. */
  escape(error: EscapedTimeError): void;
  /** Virtual ms since the run started (what `performance.now()` shows). */
  elapsed(): number;
  /** `Date.now()` in virtual time. */
  wallNow(): number;
}

let active: TimerHost | undefined;

/**
 * Makes `host` the run that receives every timer call and tells the time, or restores real
 * time with `undefined`.
 *
 * @param host The running clock's host, or undefined.
 *
 * @example
 * ```ts
 * import { setActiveHost } from "./host.ts";
 * setActiveHost(undefined); // real timers and real time again
 * ```
 */
export function setActiveHost(host: TimerHost | undefined): void {
  active = host;
}

/**
 * The running clock's host, if a run is active.
 *
 * @returns The host or undefined.
 *
 * @example
 * ```ts
 * import { activeHost } from "./host.ts";
 * activeHost(); // undefined outside a run
 * ```
 */
export function activeHost(): TimerHost | undefined {
  return active;
}
