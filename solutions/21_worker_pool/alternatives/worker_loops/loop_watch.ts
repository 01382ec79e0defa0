/**
 * Another correct watchLoop/compareCpuBound: the heartbeat is a chain of setTimeout calls, and
 * the report keeps every moment then computes the gaps.
 *
 * @module
 */
import type { WorkerPool } from "./pool.ts";

/** What watchLoop measured. */
export interface LoopReport<T> {
  value: T;
  ms: number;
  beats: number;
  longestStallMs: number;
}

/** Options. */
export interface WatchOptions {
  beatMs?: number;
}

/** Watches the event loop while work runs. */
export async function watchLoop<T>(
  work: () => T | Promise<T>,
  options: WatchOptions = {},
): Promise<LoopReport<T>> {
  const beatMs = options.beatMs ?? 10;
  if (!(typeof beatMs === "number" && beatMs > 0 && beatMs < Infinity)) {
    throw new RangeError("beatMs");
  }
  const moments = [performance.now()];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const beat = () => {
    moments.push(performance.now());
    timer = setTimeout(beat, beatMs);
  };
  timer = setTimeout(beat, beatMs);
  let value: T;
  try {
    value = await work();
  } finally {
    clearTimeout(timer);
  }
  moments.push(performance.now());
  let longest = 0;
  for (let i = 1; i < moments.length; i++) longest = Math.max(longest, moments[i] - moments[i - 1]);
  return {
    value,
    ms: moments[moments.length - 1] - moments[0],
    beats: moments.length - 2,
    longestStallMs: longest,
  };
}

/** Comparison. */
export interface Comparison<T> {
  main: LoopReport<T[]>;
  pool: LoopReport<T[]>;
  speedup: number;
}

/** Main thread vs pool. */
export async function compareCpuBound<T>(
  pool: WorkerPool,
  fnName: string,
  inputs: unknown[][],
  options: WatchOptions = {},
): Promise<Comparison<T>> {
  if (!inputs.length) throw new RangeError("no inputs");
  const mod = await import(pool.moduleUrl);
  const main = await watchLoop(() => {
    const out: T[] = [];
    for (const args of inputs) out.push(mod[fnName](...args));
    return out;
  }, options);
  const onPool = await watchLoop(async () => {
    const out: T[] = new Array(inputs.length);
    await Promise.all(inputs.map(async (args, i) => (out[i] = await pool.run<T>(fnName, args))));
    return out;
  }, options);
  return { main, pool: onPool, speedup: main.ms / onPool.ms };
}
