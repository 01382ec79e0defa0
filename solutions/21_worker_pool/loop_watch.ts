/**
 * Measuring what work does to the event loop, instead of believing it.
 *
 * `watchLoop(work)` runs a heartbeat (a timer every `beatMs`) while `work` runs, and reports how
 * long the work took, how many beats the event loop managed meanwhile, and the longest stretch it
 * went without one. A loop that is free beats about every `beatMs`; a loop blocked by a
 * synchronous call cannot run a single timer until the call returns, and the report says so.
 *
 * `compareCpuBound(pool, fnName, inputs)` runs the same CPU-bound jobs twice, under `watchLoop`:
 * one after another on the main thread, then all at once on a {@linkcode WorkerPool}, and reports
 * both with the speedup.
 *
 * @module
 */
import type { WorkerPool } from "./pool.ts";

/**
 * What {@linkcode watchLoop} measured.
 *
 * @example
 * ```ts
 * import type { LoopReport } from "./loop_watch.ts";
 * const report: LoopReport<string> = { value: "done", ms: 100, beats: 9, longestStallMs: 10 };
 * ```
 */
export interface LoopReport<T> {
  /** What `work` resolved with. */
  value: T;
  /** How long `work` took, from the call to its settling, in ms (`performance.now()`). */
  ms: number;
  /** How many heartbeats ran while `work` was pending. */
  beats: number;
  /** The longest gap between two consecutive moments among: the start, each beat, the end (ms). */
  longestStallMs: number;
}

/**
 * Options of {@linkcode watchLoop} and {@linkcode compareCpuBound}.
 *
 * @example
 * ```ts
 * import type { WatchOptions } from "./loop_watch.ts";
 * const options: WatchOptions = { beatMs: 5 };
 * ```
 */
export interface WatchOptions {
  /** The heartbeat's period in ms: a finite number > 0. Default 10. */
  beatMs?: number;
}

/**
 * Runs `work()` with a heartbeat every `beatMs` and reports what the event loop did meanwhile.
 * The heartbeat is stopped however `work` ends; a rejection (or a synchronous throw) of `work`
 * rejects `watchLoop` with that very error.
 *
 * @param work The work to watch; it may return a value or a promise.
 * @param options `beatMs`, the heartbeat's period (default 10).
 * @returns The value, the duration, the beats and the longest stall.
 * @throws RangeError (as a rejection, before `work` is called) when `beatMs` is not a finite number > 0.
 *
 * @example
 * ```ts
 * import { watchLoop } from "./loop_watch.ts";
 * const report = await watchLoop(() => new Promise((r) => setTimeout(r, 100)));
 * report.beats; // about 10: the loop was free
 * ```
 */
export async function watchLoop<T>(
  work: () => T | Promise<T>,
  options: WatchOptions = {},
): Promise<LoopReport<T>> {
  const { beatMs = 10 } = options;
  if (typeof beatMs !== "number" || !Number.isFinite(beatMs) || beatMs <= 0) {
    throw new RangeError(
      `watchLoop() needs 'beatMs' to be a finite number > 0; received ${beatMs}`,
    );
  }
  const start = performance.now();
  let last = start;
  let beats = 0;
  let longestStallMs = 0;
  const mark = (now: number) => {
    longestStallMs = Math.max(longestStallMs, now - last);
    last = now;
  };
  const heart = setInterval(() => {
    beats++;
    mark(performance.now());
  }, beatMs);
  try {
    const value = await work();
    const end = performance.now();
    mark(end);
    return { value, ms: end - start, beats, longestStallMs };
  } finally {
    clearInterval(heart);
  }
}

/**
 * What {@linkcode compareCpuBound} measured.
 *
 * @example
 * ```ts
 * import type { Comparison } from "./loop_watch.ts";
 * declare const c: Comparison<number>;
 * c.speedup; // c.main.ms / c.pool.ms
 * ```
 */
export interface Comparison<T> {
  /** The jobs one after another on the main thread: the results in input order. */
  main: LoopReport<T[]>;
  /** The same jobs all at once on the pool: the results in input order. */
  pool: LoopReport<T[]>;
  /** `main.ms / pool.ms`: above 1 when the pool was faster. */
  speedup: number;
}

/**
 * Runs `fnName(...args)` for every `args` of `inputs` twice, each time under {@linkcode watchLoop}:
 * first on the main thread, one job after another (imported from `pool.moduleUrl`, loaded before
 * the clock starts), then all at once on `pool`. The pool's threads start on demand, so a pool's
 * first run includes their start-up.
 *
 * @param pool The pool to compare with; its `moduleUrl` exports `fnName`.
 * @param fnName The exported CPU-bound function.
 * @param inputs One argument list per job: at least one.
 * @param options `beatMs` for both watches.
 * @returns Both reports and the speedup.
 * @throws RangeError (as a rejection) for an empty `inputs`; the job's error when one fails.
 *
 * @example
 * ```ts
 * import { WorkerPool } from "./pool.ts";
 * import { compareCpuBound } from "./loop_watch.ts";
 * await using pool = new WorkerPool(new URL("./cpu_jobs.ts", import.meta.url), { size: 4 });
 * const c = await compareCpuBound(pool, "countPrimes", [[300_000], [300_000], [300_000], [300_000]]);
 * c.main.beats; // 0: the main thread was busy the whole time
 * c.speedup; // close to 4 on a machine with 4 free cores
 * ```
 */
export async function compareCpuBound<T>(
  pool: WorkerPool,
  fnName: string,
  inputs: unknown[][],
  options: WatchOptions = {},
): Promise<Comparison<T>> {
  if (inputs.length === 0) throw new RangeError("compareCpuBound() needs at least one input");
  const fn = (await import(pool.moduleUrl))[fnName] as (...args: unknown[]) => T;
  if (typeof fn !== "function") {
    throw new TypeError(`${pool.moduleUrl} exports no function '${fnName}'`);
  }
  // On the main thread: what a plain loop does. Nothing else can run until it ends.
  const main = await watchLoop(() => inputs.map((args) => fn(...args)), options);
  // On the pool: every job at once; the main thread only waits for replies.
  const onPool = await watchLoop(
    () => Promise.all(inputs.map((args) => pool.run<T>(fnName, args))),
    options,
  );
  return { main, pool: onPool, speedup: main.ms / onPool.ms };
}
