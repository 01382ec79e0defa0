// deno-lint-ignore-file no-unused-vars -- the stub does not use its parameters and imports yet; your code will
/**
 * The capstone: an image pipeline. Every URL goes download -> process -> save, three stages
 * connected by two bounded queues, and the run reports a live status of every stage, the way a
 * real thumbnailing or ingestion service does.
 *
 * - Download: `maxDownloads` workers (default 3) take the URLs in order. Each attempt waits its
 *   turn at a rate limiter (`ratePerSecond`, default 10) and fetches; network failures are
 *   retried with exponential backoff (`attempts`, default 3; waits of `baseDelayMs`, 2x, 4x ...,
 *   default 100 ms). A response that is not 200 (a 404) fails at once: retrying cannot fix it.
 * - Process and save: `processConcurrency` and `saveConcurrency` workers (default 2 each) take
 *   images from their stage's queue (`queueSize` places each, default 10). A worker that finished
 *   waits until the next queue has room before it takes more work: a slow stage holds the fast
 *   ones back instead of piling images up in memory.
 * - Every job ends in exactly one of "saved" or "failed"; one failing image never stops the
 *   others. The live status counts, for each stage, the images queued, running, done and
 *   failed, plus retries, saved, failed and the rate, and `onProgress` gets a snapshot of it
 *   after every change.
 * - Aborting `signal` stops everything: no new request, every wait and every call in progress
 *   sees the signal, and once every worker has stopped the run rejects with `signal.reason`.
 *
 * @module
 */
import { HttpError, sleep, StageQueue } from "./given_tools.ts";

export { HttpError, sleep, StageQueue } from "./given_tools.ts";

/** A downloaded image: what the network answers (the kit's SimulatedNetwork returns this shape). */
export interface ImageResponse {
  url: string;
  status: number;
  body: string;
}

/** What one stage is doing with the images that reached it. */
export interface StageCounts {
  /** Waiting for a worker of this stage (download: URLs not taken yet). */
  queued: number;
  /** Taken by a worker of this stage and not finished. */
  running: number;
  /** Finished this stage and passed on. */
  done: number;
  /** Failed in this stage (their job is over). */
  failed: number;
}

/** The live status of a run. */
export interface PipelineStatus {
  /** How many URLs the run was given. */
  total: number;
  download: StageCounts;
  process: StageCounts;
  save: StageCounts;
  /** Download attempts that were retried. */
  retries: number;
  /** Jobs saved (= `save.done`). */
  saved: number;
  /** Jobs failed, at any stage. */
  failed: number;
  /** Saved images per second of (virtual) time since the run started; 0 before any time passed. */
  rate: number;
}

/** How one job ended. */
export interface JobResult {
  url: string;
  status: "saved" | "failed";
  /** Download attempts made. */
  attempts: number;
  /** For a failed job: the stage that failed and the error. */
  stage?: "download" | "process" | "save";
  error?: unknown;
}

/** What a run resolves with. */
export interface Report {
  /** One result per URL, in input order. */
  results: JobResult[];
  /** The final status. */
  status: PipelineStatus;
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
  /** Download workers. An integer >= 1. Default 3. */
  maxDownloads?: number;
  /** Request starts per second: a number > 0. Default 10. */
  ratePerSecond?: number;
  /** Download attempts per image. An integer >= 1. Default 3. */
  attempts?: number;
  /** Wait before the first retry, doubled for each further one: a number >= 0. Default 100 ms. */
  baseDelayMs?: number;
  /** Process workers. An integer >= 1. Default 2. */
  processConcurrency?: number;
  /** Save workers. An integer >= 1. Default 2. */
  saveConcurrency?: number;
  /** Places in each queue between two stages: an integer >= 1, or Infinity. Default 10. */
  queueSize?: number;
  /** Called with a snapshot of the status after every change. */
  onProgress?: (status: PipelineStatus) => void;
  signal?: AbortSignal;
}

/**
 * A rate limiter that spaces starts `1000 / perSecond` ms apart: the first caller goes at once,
 * each later one at the previous start plus the interval (or now, if that has passed). Waiting is
 * abortable (rejects with `signal.reason`; the start it had reserved is not given to anyone else).
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
  // TODO: check perSecond, then return wait(signal?) that reserves the next start, max(now, previous start + 1000 / perSecond), and sleeps until then
  throw new Error("not implemented: createRateLimiter() (task 1)");
}

/** Options of {@linkcode retry}. */
export interface RetryOptions {
  /** Total attempts: an integer >= 1. */
  attempts: number;
  /** Wait after the first failure, doubled after each further one: a number >= 0. */
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
 * not retriable. An abort is never retried and interrupts the backoff wait; pre-aborted: no call.
 *
 * @typeParam T The result type.
 * @param fn The operation; receives the attempt number (1, 2, ...).
 * @param options Attempts, delays, what to retry, signal.
 * @returns What `fn` returned.
 * @throws RangeError when `attempts` is not an integer >= 1 or `baseDelayMs` is not a number >= 0.
 *
 * @example
 * ```ts
 * import { retry } from "./images.ts";
 * let calls = 0;
 * await retry(async () => { if (++calls < 3) throw new Error("flaky"); return calls; },
 *   { attempts: 3, baseDelayMs: 100 }); // 3, after waits of 100 and 200 ms
 * ```
 */
export function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  // TODO: check the options, then call fn(attempt) up to attempts times, sleeping baseDelayMs * 2 ** (attempt - 1) between failures; never retry an abort
  throw new Error("not implemented: retry() (task 2)");
}

/**
 * Downloads, processes and saves every image through three stages connected by bounded queues,
 * with a live status; see the module header for the rules. Resolves when every job is saved or
 * failed; rejects with `signal.reason` (after every worker has stopped) when aborted.
 *
 * @typeParam P What `process` produces.
 * @param urls The images (each entry is a job, duplicates too).
 * @param options The network, the stage functions, limits, callbacks and signal.
 * @returns One result per URL (input order) and the final status.
 * @throws RangeError (as a rejection) for an option out of range.
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
 *   return report.status.saved; // 1
 * });
 * ```
 */
export function runImagePipeline<P>(
  urls: string[],
  options: ImagePipelineOptions<P>,
): Promise<Report> {
  // TODO: (task 3) run the three stages as worker pools connected by two StageQueues (downloads: rate limit + retry), record one result per URL, close each queue when its stage is done, and drain cleanly on abort
  // TODO: (task 4) keep the live status (queued, running, done, failed per stage, retries, saved, failed, rate) and pass onProgress a snapshot after every change
  throw new Error("not implemented: runImagePipeline() (task 3)");
}
