// MUTANT: one failing image rejects the whole run (Promise.all over jobs that do not catch)
/**
 * The capstone: an image pipeline. Every URL goes download -> process -> save, and the run
 * reports live statistics, the way a real thumbnailing or ingestion service does.
 *
 * - Download: at most `maxDownloads` requests at once (default 3), request starts spaced by a
 *   rate limit (`ratePerSecond`, default 10), and network failures retried with exponential
 *   backoff (`attempts`, default 3; waits of `baseDelayMs`, 2x, 4x ... between attempts, default
 *   100 ms). A response that is not 200 (a 404) fails at once: retrying cannot fix it.
 * - Process and save: the caller's functions, each stage with its own concurrency limit
 *   (`processConcurrency`, `saveConcurrency`, default 2). The stages overlap: image 1 is being
 *   saved while image 2 is processed and image 3 downloaded.
 * - Every job ends in exactly one of "saved" or "failed"; one failing image never stops the
 *   others. Statistics (downloaded, processed, saved, failed, retries, rate) are updated as things
 *   happen and passed to `onProgress` as a snapshot after every change.
 * - Aborting `signal` stops everything: no new requests, calls in flight see the signal, backoff
 *   and rate-limit waits end, and once every job has stopped the run rejects with `signal.reason`.
 *
 * The building blocks (a concurrency limit, a rate limiter, retry with backoff) are small and
 * written here again, so this exercise stands on its own. `HttpError` and `sleep` (at the bottom)
 * are provided and complete.
 *
 * @module
 */

/** A downloaded image: what the network answers (the kit's SimulatedNetwork returns this shape). */
export interface ImageResponse {
  url: string;
  status: number;
  body: string;
}

/** Live statistics of a run. */
export interface Stats {
  /** How many URLs the run was given. */
  total: number;
  /** Images downloaded (after any retries). */
  downloaded: number;
  /** Images processed. */
  processed: number;
  /** Images saved: these jobs are done. */
  saved: number;
  /** Jobs that failed, at any stage: these jobs are done too. */
  failed: number;
  /** Download attempts that were retried. */
  retries: number;
  /** Saved images per second of (virtual) time since the run started; 0 before any time passed. */
  rate: number;
}

/** How one job ended. */
export interface JobResult {
  url: string;
  status: "saved" | "failed";
  /** Download attempts made (0 if it never got to download). */
  attempts: number;
  /** For a failed job: the stage that failed and the error. */
  stage?: "download" | "process" | "save";
  error?: unknown;
}

/** What a run resolves with. */
export interface Report {
  /** One result per URL, in input order. */
  results: JobResult[];
  /** The final statistics. */
  stats: Stats;
}

/** Anything that fetches like the kit's SimulatedNetwork. */
export interface Network {
  fetch(url: string, init?: { signal?: AbortSignal }): Promise<ImageResponse>;
}

/** Options of {@linkcode runImagePipeline}. */
export interface ImagePipelineOptions<P> {
  network: Network;
  /** Turns a downloaded image into something to save (resize, thumbnail, ...). */
  process: (image: ImageResponse, signal?: AbortSignal) => Promise<P>;
  /** Stores a processed image. */
  save: (processed: P, signal?: AbortSignal) => Promise<void>;
  /** Downloads at once. Default 3. */
  maxDownloads?: number;
  /** Request starts per second. Default 10. */
  ratePerSecond?: number;
  /** Download attempts per image. Default 3. */
  attempts?: number;
  /** Wait before the first retry; doubled for each further one. Default 100 ms. */
  baseDelayMs?: number;
  /** Images processed at once. Default 2. */
  processConcurrency?: number;
  /** Images saved at once. Default 2. */
  saveConcurrency?: number;
  /** Called with a snapshot of the statistics after every change. */
  onProgress?: (stats: Stats) => void;
  signal?: AbortSignal;
}

/** A limited function runner: runs `fn` when a slot is free. */
export type Limit = <T>(fn: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

/**
 * A concurrency limit (like p-limit, or `async with semaphore`): at most `max` functions run at
 * once; the others wait in FIFO order, and a finishing one hands its slot straight to the oldest
 * waiter. A waiter whose signal aborts leaves the queue and rejects with `signal.reason`.
 *
 * @param max The most at once: a positive integer.
 * @returns A function that runs `fn` in a slot and returns its result.
 * @throws RangeError when `max` is not a positive integer.
 *
 * @example
 * ```ts
 * import { createLimit } from "./images.ts";
 * const limit = createLimit(2);
 * const lengths = await Promise.all(["a", "bb", "ccc"].map((s) => limit(async () => s.length)));
 * lengths; // [1, 2, 3]
 * ```
 */
export function createLimit(max: number): Limit {
  if (!(Number.isInteger(max) && max >= 1)) {
    throw new RangeError(`createLimit(max): max must be a positive integer; received ${max}`);
  }
  let active = 0;
  const waiting: (() => void)[] = [];

  const acquire = (signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      if (active < max && waiting.length === 0) {
        active++;
        return resolve();
      }
      const onAbort = () => {
        waiting.splice(waiting.indexOf(wake), 1);
        reject(signal!.reason);
      };
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      waiting.push(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });

  // Hand the slot straight to the oldest waiter (no barging); only free it if nobody waits.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };

  return async <T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    await acquire(signal);
    try {
      return await fn();
    } finally {
      release();
    }
  };
}

/**
 * A rate limiter that spaces starts `1000 / perSecond` ms apart: the first caller goes at once,
 * each later one at the previous start plus the interval (or now, if that has passed). Waiting is
 * abortable (rejects with `signal.reason`; the slot it had reserved is not reused).
 *
 * @param perSecond Starts per second (> 0).
 * @returns `wait(signal?)`, which resolves when the caller may start.
 * @throws RangeError when `perSecond` is not > 0.
 *
 * @example
 * ```ts
 * import { createRateLimiter } from "./images.ts";
 * const wait = createRateLimiter(5); // one start every 200 ms
 * await wait(); // at once
 * await wait(); // 200 ms later
 * ```
 */
export function createRateLimiter(perSecond: number): (signal?: AbortSignal) => Promise<void> {
  if (!(perSecond > 0)) {
    throw new RangeError(`createRateLimiter(perSecond): perSecond must be > 0; received ${perSecond}`);
  }
  const interval = 1000 / perSecond;
  let nextFree = -Infinity; // Date.now() of the next free start
  return (signal?: AbortSignal) => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = Date.now();
    const at = Math.max(now, nextFree);
    nextFree = at + interval; // reserve this start before waiting, so callers queue up in order
    return at > now ? sleep(at - now, signal) : Promise.resolve();
  };
}

/** Options of {@linkcode retry}. */
export interface RetryOptions {
  /** Total attempts, at least 1. */
  attempts: number;
  /** Wait after the first failure; doubled after each further one. */
  baseDelayMs: number;
  /** Which errors are worth another attempt. Default: all (an abort never is). */
  isRetriable?: (error: unknown) => boolean;
  /** Called before each backoff wait. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  signal?: AbortSignal;
}

/**
 * Calls `fn(attempt)` until it succeeds, waiting `baseDelayMs * 2 ** (attempt - 1)` after each
 * failed attempt; no wait after the last. Rethrows the last error, or at once an error that is
 * not retriable. An abort is never retried, and interrupts the backoff wait.
 *
 * @typeParam T The result type.
 * @param fn The operation; receives the attempt number (1, 2, ...).
 * @param options Attempts, delays, what to retry, signal.
 * @returns What `fn` returned.
 * @throws RangeError when `attempts` is not a positive integer or `baseDelayMs` is negative.
 *
 * @example
 * ```ts
 * import { retry } from "./images.ts";
 * let calls = 0;
 * await retry(async () => { if (++calls < 3) throw new Error("flaky"); return calls; },
 *   { attempts: 3, baseDelayMs: 100 }); // 3, after waits of 100 and 200 ms
 * ```
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { attempts, baseDelayMs, isRetriable = () => true, onRetry, signal } = options;
  if (!(Number.isInteger(attempts) && attempts >= 1)) {
    throw new RangeError(`retry(): attempts must be a positive integer; received ${attempts}`);
  }
  if (!(baseDelayMs >= 0)) throw new RangeError(`retry(): baseDelayMs must be >= 0; received ${baseDelayMs}`);
  for (let attempt = 1;; attempt++) {
    signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (signal?.aborted && error === signal.reason) throw error; // never retry an abort
      if (attempt >= attempts || !isRetriable(error)) throw error; // no wait after the last
      const delayMs = baseDelayMs * 2 ** (attempt - 1);
      onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, signal);
    }
  }
}

/**
 * Provided. A response that is not 200. Not retried: asking again will not make a missing image appear.
 *
 * @example
 * ```ts
 * import { HttpError } from "./images.ts";
 * new HttpError("https://img.test/x.png", 404).status; // 404
 * ```
 */
export class HttpError extends Error {
  override name = "HttpError";
  readonly status: number;
  constructor(url: string, status: number) {
    super(`GET ${url} answered ${status}`);
    this.status = status;
  }
}

/**
 * Downloads, processes and saves every image, with live statistics; see the module header for
 * the rules. Resolves when every job is saved or failed; rejects with `signal.reason` (after every
 * job has stopped) when aborted.
 *
 * @typeParam P What `process` produces.
 * @param urls The images.
 * @param options The network, the stage functions, limits, callbacks and signal.
 * @returns One result per URL (input order) and the final statistics.
 *
 * @example
 * ```ts
 * import { SimulatedNetwork, runWithClock } from "../../lib/mod.ts";
 * import { runImagePipeline } from "./images.ts";
 * await runWithClock(async () => {
 *   const network = new SimulatedNetwork({ "https://img.test/1.png": {} });
 *   const report = await runImagePipeline(["https://img.test/1.png"], {
 *     network,
 *     process: async (image) => image.body.toUpperCase(),
 *     save: async () => {},
 *   });
 *   return report.stats.saved; // 1
 * });
 * ```
 */
export async function runImagePipeline<P>(urls: string[], options: ImagePipelineOptions<P>): Promise<Report> {
  const { network, process, save, onProgress, signal } = options;
  const downloads = createLimit(options.maxDownloads ?? 3);
  const processing = createLimit(options.processConcurrency ?? 2);
  const saving = createLimit(options.saveConcurrency ?? 2);
  const rateLimit = createRateLimiter(options.ratePerSecond ?? 10);
  const retryOptions = {
    attempts: options.attempts ?? 3,
    baseDelayMs: options.baseDelayMs ?? 100,
    signal,
    // Only the network's failures are worth another attempt; a 404 is not.
    isRetriable: (error: unknown) => (error as Error)?.name === "NetworkError",
    onRetry: () => {
      stats.retries++;
      changed();
    },
  };
  signal?.throwIfAborted();

  const startedAt = Date.now();
  const stats: Stats = { total: urls.length, downloaded: 0, processed: 0, saved: 0, failed: 0, retries: 0, rate: 0 };
  const changed = () => {
    const seconds = (Date.now() - startedAt) / 1000;
    stats.rate = seconds > 0 ? stats.saved / seconds : 0;
    onProgress?.({ ...stats }); // a snapshot: the caller may keep it
  };

  const download = (url: string) =>
    // Each attempt takes a download slot, then waits its turn at the rate limit, then fetches.
    // The slot is free again during the backoff wait, so a retrying image blocks nobody.
    downloads(async () => {
      await rateLimit(signal);
      const response = await network.fetch(url, { signal });
      if (response.status !== 200) throw new HttpError(url, response.status);
      return response;
    }, signal);

  const runJob = async (url: string): Promise<JobResult> => {
    let attempts = 0;
    let stage: JobResult["stage"] = "download";
    try {
      const image = await retry((attempt) => {
        attempts = attempt;
        return download(url);
      }, retryOptions);
      stats.downloaded++;
      changed();
      stage = "process";
      const processed = await processing(() => process(image, signal), signal);
      stats.processed++;
      changed();
      stage = "save";
      await saving(() => save(processed, signal), signal);
      stats.saved++;
      changed();
      return { url, status: "saved", attempts };
    } finally {
      void stage;
    }
  };

  // allSettled, not all: on abort, wait for every job to stop before rejecting (nothing left
  // running, no timer left behind).
  const outcomes: PromiseSettledResult<JobResult>[] = (await Promise.all(urls.map(runJob))).map((value) => ({ status: "fulfilled", value }));
  signal?.throwIfAborted();
  const results = outcomes.map((outcome) => {
    if (outcome.status === "rejected") throw outcome.reason; // a bug in a callback: surface it
    return outcome.value;
  });
  return { results, stats: { ...stats } };
}

// ---------------------------------------------------------------------------------------------
// PROVIDED AND COMPLETE (no work here)
// ---------------------------------------------------------------------------------------------

/**
 * Sleeps `ms` (virtual time under the test clock); rejects with `signal.reason` and clears its
 * timer when `signal` aborts.
 *
 * @param ms Delay in ms.
 * @param signal Optional abort signal.
 * @returns A promise that resolves after the delay.
 *
 * @example
 * ```ts
 * import { sleep } from "./images.ts";
 * await sleep(100);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
