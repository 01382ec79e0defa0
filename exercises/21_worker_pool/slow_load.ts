// GIVEN: a job module that takes 300 ms to load; you do not edit it.
/**
 * Given: a job module that takes 300 ms to load, as a module that builds a large table at its top
 * level would. The tests use it to see that compareCpuBound() imports the job module before it
 * starts timing the main thread (the import is not the jobs' work).
 *
 * @module
 */

/** How long loading this module blocks the thread that imports it, in ms. */
export const LOAD_MS = 300;

// A real wait of the importing thread (no timer can end it early, none is needed).
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, LOAD_MS);

/**
 * Doubles a number: a job that costs nothing once the module has loaded.
 *
 * @param x A number.
 * @returns `2 * x`.
 *
 * @example
 * ```ts
 * import { double } from "./slow_load.ts";
 * double(21); // 42
 * ```
 */
export function double(x: number): number {
  return 2 * x;
}
