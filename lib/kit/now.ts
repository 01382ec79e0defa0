/**
 * Virtual time for test-kit records: ms since the running clock started, or 0 outside a clock.
 *
 * @module
 */
import { currentClock } from "../clock/virtual_clock.ts";

/**
 * The running clock's virtual time, or 0 when no clock runs.
 *
 * @returns Virtual ms since the clock started.
 *
 * @example
 * ```ts
 * import { virtualNow } from "./now.ts";
 * virtualNow(); // 0 outside withClock
 * ```
 */
export function virtualNow(): number {
  return currentClock()?.now() ?? 0;
}
