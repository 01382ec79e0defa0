/**
 * The one piece of state the global forwarders share: which run receives timer calls and tells
 * the time. The host is a frozen object of closures made by the run (install.ts), never the
 * public VirtualClock, and only install.ts can set it, so nothing a test or the code under test
 * can reach changes what the forwarders do.
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
let claimed = false;

/**
 * Hands out the function that makes a host the active one (or restores real time with
 * `undefined`), once: install.ts claims it when lib loads, before any code under test, so code
 * under test that imports this module cannot install a host of its own.
 *
 * @returns The setter.
 * @throws {Error} When it was claimed already.
 *
 * @example
 * ```ts
 * import { claimHostSetter } from "./host.ts";
 * try {
 *   claimHostSetter();
 * } catch {
 *   // lib claimed it when it loaded
 * }
 * ```
 */
export function claimHostSetter(): (host: TimerHost | undefined) => void {
  if (claimed) throw new Error("the clock's host setter belongs to lib/clock/install.ts");
  claimed = true;
  return (host) => {
    active = host;
  };
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
