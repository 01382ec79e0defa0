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
  if (!(perSecond > 0)) {
    throw new RangeError(
      `createRateLimiter(perSecond): perSecond must be > 0; received ${perSecond}`,
    );
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
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const { attempts, baseDelayMs, isRetriable = () => true, onRetry, signal } = options;
  if (!(Number.isInteger(attempts) && attempts >= 1)) {
    throw new RangeError(`retry(): attempts must be an integer >= 1; received ${attempts}`);
  }
  if (!(baseDelayMs >= 0 && baseDelayMs !== Infinity)) {
    throw new RangeError(
      `retry(): baseDelayMs must be a finite number >= 0; received ${baseDelayMs}`,
    );
  }
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

/** A job on its way through the stages. */
interface Job<T> {
  index: number;
  url: string;
  attempts: number;
  value: T;
}

function count(value: number | undefined, fallback: number, name: string): number {
  const n = value ?? fallback;
  if (!(Number.isInteger(n) && n >= 1)) {
    throw new RangeError(`runImagePipeline(): ${name} must be an integer >= 1; received ${n}`);
  }
  return n;
}

const stage = (queued = 0): StageCounts => ({ queued, running: 0, done: 0, failed: 0 });

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
export async function runImagePipeline<P>(
  urls: string[],
  options: ImagePipelineOptions<P>,
): Promise<Report> {
  const { network, process, save, onProgress, signal } = options;
  const downloaders = count(options.maxDownloads, 3, "maxDownloads");
  const processors = count(options.processConcurrency, 2, "processConcurrency");
  const savers = count(options.saveConcurrency, 2, "saveConcurrency");
  const queueSize = options.queueSize ?? 10;
  if (queueSize !== Infinity) count(queueSize, 10, "queueSize");
  const rateLimit = createRateLimiter(options.ratePerSecond ?? 10);
  const attempts = count(options.attempts, 3, "attempts");
  const baseDelayMs = options.baseDelayMs ?? 100;
  if (!(baseDelayMs >= 0 && baseDelayMs !== Infinity)) {
    throw new RangeError(
      `runImagePipeline(): baseDelayMs must be a finite number >= 0; received ${baseDelayMs}`,
    );
  }
  const retryOptions: RetryOptions = {
    attempts,
    baseDelayMs,
    signal,
    // Only the network's failures are worth another attempt; a 404 is not.
    isRetriable: (error) => (error as Error)?.name === "NetworkError",
    onRetry: () => {
      status.retries++;
      changed();
    },
  };
  signal?.throwIfAborted();

  const startedAt = Date.now();
  const status: PipelineStatus = {
    total: urls.length,
    download: stage(urls.length),
    process: stage(),
    save: stage(),
    retries: 0,
    saved: 0,
    failed: 0,
    rate: 0,
  };
  const changed = () => {
    const seconds = (Date.now() - startedAt) / 1000;
    status.rate = seconds > 0 ? status.saved / seconds : 0;
    onProgress?.(snapshot(status)); // a copy: the caller may keep it
  };
  const results: JobResult[] = new Array(urls.length);
  const isAbort = (error: unknown) => signal?.aborted && error === signal.reason;
  const fail = (job: Job<unknown>, name: "download" | "process" | "save", error: unknown) => {
    status[name].running--;
    status[name].failed++;
    status.failed++;
    results[job.index] = {
      url: job.url,
      status: "failed",
      attempts: job.attempts,
      stage: name,
      error,
    };
    changed();
  };
  const toProcess = new StageQueue<Job<ImageResponse>>(queueSize);
  const toSave = new StageQueue<Job<P>>(queueSize);

  let nextUrl = 0;
  const downloader = async () => {
    while (nextUrl < urls.length) {
      signal?.throwIfAborted();
      const job: Job<null> = { index: nextUrl, url: urls[nextUrl], attempts: 0, value: null };
      nextUrl++;
      status.download.queued--;
      status.download.running++;
      changed();
      let image: ImageResponse;
      try {
        image = await retry(async (attempt) => {
          job.attempts = attempt;
          await rateLimit(signal);
          const response = await network.fetch(job.url, { signal });
          if (response.status !== 200) throw new HttpError(job.url, response.status);
          return response;
        }, retryOptions);
      } catch (error) {
        if (isAbort(error)) throw error;
        fail(job, "download", error);
        continue;
      }
      // Counted before the hand-over, so the next stage can never take it before it is counted.
      status.download.running--;
      status.download.done++;
      status.process.queued++;
      changed();
      await toProcess.put({ ...job, value: image }, { signal }); // waits while the queue is full
    }
  };
  const processor = async () => {
    for (;;) {
      const next = await toProcess.get({ signal });
      if (next.done) return;
      const job = next.value;
      status.process.queued--;
      status.process.running++;
      changed();
      let processed: P;
      try {
        processed = await process(job.value, signal);
      } catch (error) {
        if (isAbort(error)) throw error;
        fail(job, "process", error);
        continue;
      }
      status.process.running--;
      status.process.done++;
      status.save.queued++;
      changed();
      await toSave.put({ ...job, value: processed }, { signal });
    }
  };
  const saver = async () => {
    for (;;) {
      const next = await toSave.get({ signal });
      if (next.done) return;
      const job = next.value;
      status.save.queued--;
      status.save.running++;
      changed();
      try {
        await save(job.value, signal);
      } catch (error) {
        if (isAbort(error)) throw error;
        fail(job, "save", error);
        continue;
      }
      status.save.running--;
      status.save.done++;
      status.saved++;
      results[job.index] = { url: job.url, status: "saved", attempts: job.attempts };
      changed();
    }
  };

  // Each stage closes the queue after it once all its workers are done, so the next stage's
  // workers finish what is queued and then stop. allSettled, not all: on abort, wait for every
  // worker to stop before rejecting (nothing left running, no timer left behind).
  const stageDone = (workers: Promise<void>[], next: { close(): void }) =>
    Promise.allSettled(workers).then((outcomes) => {
      next.close();
      return outcomes;
    });
  const outcomes = (await Promise.all([
    stageDone(Array.from({ length: downloaders }, downloader), toProcess),
    stageDone(Array.from({ length: processors }, processor), toSave),
    Promise.allSettled(Array.from({ length: savers }, saver)),
  ])).flat();
  signal?.throwIfAborted();
  for (const outcome of outcomes) {
    if (outcome.status === "rejected") throw outcome.reason; // a bug, not an image's failure
  }
  return { results, status: snapshot(status) };
}

function snapshot(status: PipelineStatus): PipelineStatus {
  return {
    ...status,
    download: { ...status.download },
    process: { ...status.process },
    save: { ...status.save },
  };
}
