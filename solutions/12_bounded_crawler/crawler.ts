/**
 * A polite web crawler: it fetches many URLs with at most `limit` requests in flight, reports
 * each page the moment it arrives, and (task 3) follows links breadth-first, fetching every page
 * once and stopping at a depth limit.
 *
 * The fetch function is injected, so the same code runs against `fetch` in production and
 * against the workbook's SimulatedNetwork in the tests.
 *
 * Three ways to bound the same work: `crawl()` puts a semaphore around each fetch (one task per
 * URL, the tutorial's form), `crawlWithWorkers()` runs `limit` workers that pull URLs from one
 * shared iterator, and `crawlSite()` runs a queue that grows while it is worked on.
 *
 * @module
 */

import { Semaphore } from "./given_semaphore.ts";

/** Fetches one URL. Must honour `init.signal` the way `fetch` does. */
export type FetchFn<R> = (url: string, init: { signal: AbortSignal }) => Promise<R>;

/** The outcome of one URL: its value, or the error it failed with. */
export type CrawlResult<R> =
  | { url: string; ok: true; value: R }
  | { url: string; ok: false; error: unknown };

/** Options of {@linkcode crawl}. */
export interface CrawlOptions<R> {
  /** The most fetches in flight at once: an integer >= 1. Default 5. */
  limit?: number;
  /**
   * Stops the crawl: no new fetches, running ones are aborted (the signal goes to `fetchFn`),
   * nothing more is reported, and the crawl rejects with `signal.reason` once they have settled.
   */
  signal?: AbortSignal;
  /**
   * Called with each result as soon as its fetch settles (completion order). If it throws, the
   * crawl rejects with the first error it threw, once the fetches it started have settled.
   */
  onResult?: (result: CrawlResult<R>) => void;
}

/** One page of a site crawl: a result plus its distance in links from the root. */
export type PageResult<R> = CrawlResult<R> & { depth: number };

/** Options of {@linkcode crawlSite}. */
export interface SiteOptions<R> {
  /** Follow links at most this many levels below the root: an integer >= 0 (else RangeError). */
  maxDepth: number;
  /** The most fetches in flight at once: an integer >= 1. Default 5. */
  limit?: number;
  /** Stops the crawl, as in {@linkcode crawl}. */
  signal?: AbortSignal;
  /** Called with each page as soon as its fetch settles (completion order); errors as in crawl(). */
  onResult?: (result: PageResult<R>) => void;
}

/**
 * Fetches every URL (each distinct URL once) with at most `limit` fetches in flight, starting a
 * new one the moment a slot frees up: one task per URL, with a semaphore around each fetch. A
 * failing URL (its fetch rejects or throws) becomes an `ok: false` result; it does not stop the
 * others.
 *
 * @typeParam R What `fetchFn` resolves with.
 * @param urls The URLs; duplicates are fetched once.
 * @param fetchFn Fetches one URL; receives the crawl's signal.
 * @param opts `limit` (default 5), `signal`, `onResult`.
 * @returns One result per distinct URL, in input order. Rejects with RangeError when `limit` is
 * not an integer >= 1, and with `signal.reason` on abort.
 *
 * @example
 * ```ts
 * import { crawl } from "./crawler.ts";
 * const results = await crawl(["https://a.test/", "https://b.test/"], (url, init) => fetch(url, init), {
 *   limit: 5,
 *   onResult: (r) => console.log(r.ok ? "fetched" : "failed", r.url),
 * });
 * ```
 */
export async function crawl<R>(
  urls: Iterable<string>,
  fetchFn: FetchFn<R>,
  opts: CrawlOptions<R> = {},
): Promise<CrawlResult<R>[]> {
  // One task per distinct URL, and a semaphore around each fetch: at most `limit` tasks get
  // past acquire() at once, and each release lets the oldest waiting task in.
  const limit = checkLimit(opts.limit, "crawl()");
  const signal = opts.signal ?? new AbortController().signal;
  signal.throwIfAborted();
  const distinct = [...new Set(urls)];
  const results: CrawlResult<R>[] = new Array(distinct.length);
  const sem = new Semaphore(limit);
  const outcomes = await Promise.allSettled(distinct.map(async (url, index) => {
    using _permit = await sem.acquire({ signal }); // an abort rejects the tasks still waiting
    const result = await settle(url, fetchFn, signal);
    if (signal.aborted) return; // nothing is reported after an abort
    results[index] = result;
    opts.onResult?.(result);
  }));
  // allSettled, not all: on abort, wait for the fetches already running before rejecting.
  signal.throwIfAborted();
  rethrowFirst(outcomes); // an error thrown by onResult
  return results;
}

/**
 * The worker-pool form of {@linkcode crawl}: `limit` workers share one iterator over `urls`, and
 * each takes the next URL only when it is free to fetch it. The input is read lazily, so `urls`
 * may be an endless generator (the crawl then ends by its signal). Same results, reports,
 * failures and signal as {@linkcode crawl}.
 *
 * @typeParam R What `fetchFn` resolves with.
 * @param urls The URLs, read one at a time as workers become free; duplicates are fetched once.
 * @param fetchFn Fetches one URL; receives the crawl's signal.
 * @param opts `limit` (default 5), `signal`, `onResult`.
 * @returns One result per distinct URL, in the order they were first read. Rejects with RangeError
 * when `limit` is not an integer >= 1, and with `signal.reason` on abort.
 *
 * @example
 * ```ts
 * import { crawlWithWorkers } from "./crawler.ts";
 * function* everyPage() {
 *   for (let i = 1; ; i++) yield `https://blog.test/page/${i}`;
 * }
 * const stop = new AbortController();
 * await crawlWithWorkers(everyPage(), (url, init) => fetch(url, init), {
 *   limit: 3,
 *   signal: stop.signal,
 *   onResult: (r) => { if (!r.ok) stop.abort(); },
 * }).catch(() => {});
 * ```
 */
export async function crawlWithWorkers<R>(
  urls: Iterable<string>,
  fetchFn: FetchFn<R>,
  opts: CrawlOptions<R> = {},
): Promise<CrawlResult<R>[]> {
  const limit = checkLimit(opts.limit, "crawlWithWorkers()");
  const signal = opts.signal ?? new AbortController().signal;
  signal.throwIfAborted();
  const source = urls[Symbol.iterator]();
  const seen = new Set<string>();
  const results: CrawlResult<R>[] = [];
  const worker = async () => {
    // next() is synchronous: two workers can never take the same URL.
    while (!signal.aborted) {
      const next = source.next();
      if (next.done) return;
      const url = next.value;
      if (seen.has(url)) continue;
      seen.add(url);
      const index = results.length++; // first-seen order, whatever order they finish in
      const result = await settle(url, fetchFn, signal);
      if (signal.aborted) return;
      results[index] = result;
      opts.onResult?.(result);
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: limit }, worker));
  signal.throwIfAborted();
  rethrowFirst(outcomes);
  return results;
}

/**
 * Crawls a site breadth-first from `root`: fetches the root, then the pages it links to, then
 * theirs, never fetching a URL twice and following links at most `maxDepth` levels deep, with at
 * most `limit` fetches in flight. A page that fails is reported and its links are not followed.
 *
 * @typeParam R What `fetchFn` resolves with: anything with a `links` array.
 * @param root The first URL.
 * @param fetchFn Fetches one URL; receives the crawl's signal.
 * @param opts `maxDepth`, `limit` (default 5), `signal`, `onResult`.
 * @returns One result per page, in the order the fetches started (breadth-first order). Rejects
 * with RangeError for a bad `limit` or `maxDepth`, and with `signal.reason` on abort.
 *
 * @example
 * ```ts
 * import { SimulatedNetwork } from "../../lib/mod.ts";
 * import { crawlSite } from "./crawler.ts";
 * const net = SimulatedNetwork.site("https://s.test/", 2, 3);
 * const pages = await crawlSite("https://s.test/", (url, init) => net.fetch(url, init), { maxDepth: 2 });
 * pages.length; // 13: the root, 3 children, 9 grandchildren, each once
 * ```
 */
export async function crawlSite<R extends { links: readonly string[] }>(
  root: string,
  fetchFn: FetchFn<R>,
  opts: SiteOptions<R>,
): Promise<PageResult<R>[]> {
  // A queue that grows while it is worked on: a page's links join the back of the queue
  // (breadth-first), and a URL is marked seen when it is queued, not when it is fetched, so two
  // pages linking to the same URL cannot both queue it.
  const limit = checkLimit(opts.limit, "crawlSite()");
  const { maxDepth } = opts;
  if (!Number.isInteger(maxDepth) || maxDepth < 0) {
    throw new RangeError(`crawlSite() needs maxDepth to be an integer >= 0; received ${maxDepth}`);
  }
  const signal = opts.signal ?? new AbortController().signal;
  signal.throwIfAborted();
  const seen = new Set([root]);
  const queue = [{ url: root, depth: 0 }];
  const results: PageResult<R>[] = [];

  await runQueue(queue, limit, signal, async ({ url, depth }) => {
    const index = results.length; // results stay in start order
    results.length++;
    const result = { ...(await settle(url, fetchFn, signal)), depth };
    if (signal.aborted) return;
    if (result.ok && depth < maxDepth) {
      for (const link of result.value.links) {
        if (seen.has(link)) continue;
        seen.add(link);
        queue.push({ url: link, depth: depth + 1 });
      }
    }
    results[index] = result;
    opts.onResult?.(result);
  });
  return results;
}

/** Fetches one URL and turns the outcome into a result; never rejects. */
async function settle<R>(
  url: string,
  fetchFn: FetchFn<R>,
  signal: AbortSignal,
): Promise<CrawlResult<R>> {
  try {
    return { url, ok: true, value: await fetchFn(url, { signal }) };
  } catch (error) {
    return { url, ok: false, error };
  }
}

function checkLimit(limit: number | undefined, what: string): number {
  limit ??= 5;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`${what} needs limit to be an integer >= 1; received ${limit}`);
  }
  return limit;
}

/** Throws the reason of the first rejected outcome, if any. */
function rethrowFirst(outcomes: PromiseSettledResult<unknown>[]): void {
  const failed = outcomes.find((o) => o.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

/**
 * Runs `work` on the items of `queue` (which may grow while it runs), at most `limit` at once,
 * starting the next item the moment one finishes. Resolves when the queue is empty and nothing
 * runs; on abort it starts nothing new and rejects with the reason once the running work has
 * settled.
 */
function runQueue<T>(
  queue: T[],
  limit: number,
  signal: AbortSignal,
  work: (item: T) => Promise<void>,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let active = 0;
    let done = false;
    let failure: { error: unknown } | undefined; // an error thrown by onResult
    const finish = () => {
      if (done) return;
      done = true;
      signal.removeEventListener("abort", onAbort);
      if (signal.aborted) reject(signal.reason);
      else if (failure) reject(failure.error);
      else resolve();
    };
    const onAbort = () => {
      if (active === 0) finish();
    };
    const pump = () => {
      while (!signal.aborted && !failure && active < limit && queue.length > 0) {
        const item = queue.shift()!;
        active++;
        // The slot is freed whatever happens to the work: success, failure or abort.
        work(item)
          .catch((error) => (failure ??= { error }))
          .finally(() => {
            active--;
            pump();
          });
      }
      if (active === 0 && (signal.aborted || failure || queue.length === 0)) finish();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    pump();
  });
}
