// deno-lint-ignore-file no-unused-vars require-await -- the stub does not use its parameters yet; your code will
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
 * Add any private helpers you need (a function that turns one fetch into a result, shared by
 * all three, is a good idea).
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
  // TODO: (task 1) make one task per distinct URL, each fetching under a permit of the given Semaphore(limit); return the results in input order
  // TODO: (task 2) report each result through onResult as it settles, keep failures as ok: false, and honour the signal
  throw new Error("not implemented: crawl() (task 1)");
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
  // TODO: start `limit` workers that take URLs from one shared iterator, each reading the next one only when it is free
  throw new Error("not implemented: crawlWithWorkers() (task 3)");
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
  // TODO: crawl breadth-first from root, at most `limit` fetches in flight, each URL once, no links followed below maxDepth
  throw new Error("not implemented: crawlSite() (task 4)");
}
