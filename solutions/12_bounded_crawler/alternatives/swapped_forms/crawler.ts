/**
 * The bounded crawler, another correct style with the forms swapped: crawl() uses worker loops
 * over an array, crawlWithWorkers() a loop that takes a permit of the given Semaphore before it
 * reads the next URL, and crawlSite() spawns one task per page behind the Semaphore (its FIFO
 * waiter queue is the breadth-first queue).
 *
 * @module
 */

import { Semaphore } from "./given_semaphore.ts";

/** Fetches one URL. */
export type FetchFn<R> = (url: string, init: { signal: AbortSignal }) => Promise<R>;

/** The outcome of one URL. */
export type CrawlResult<R> =
  | { url: string; ok: true; value: R }
  | { url: string; ok: false; error: unknown };

/** Options of crawl(). */
export interface CrawlOptions<R> {
  /** Most fetches at once. */
  limit?: number;
  /** Stops the crawl. */
  signal?: AbortSignal;
  /** Called as each fetch settles. */
  onResult?: (result: CrawlResult<R>) => void;
}

/** One page of a site crawl. */
export type PageResult<R> = CrawlResult<R> & { depth: number };

/** Options of crawlSite(). */
export interface SiteOptions<R> {
  /** Link levels to follow. */
  maxDepth: number;
  /** Most fetches at once. */
  limit?: number;
  /** Stops the crawl. */
  signal?: AbortSignal;
  /** Called as each page settles. */
  onResult?: (result: PageResult<R>) => void;
}

function validLimit(limit: number | undefined): number {
  const n = limit === undefined ? 5 : limit;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n <= 0) {
    throw new RangeError(`bad limit ${String(limit)}`);
  }
  return n;
}

function fetchOne<R>(
  url: string,
  fetchFn: FetchFn<R>,
  signal: AbortSignal,
): Promise<CrawlResult<R>> {
  return new Promise<R>((resolve) => resolve(fetchFn(url, { signal }))).then(
    (value): CrawlResult<R> => ({ url, ok: true, value }),
    (error): CrawlResult<R> => ({ url, ok: false, error }),
  );
}

/** crawl(): `limit` worker loops over the array of distinct URLs. */
export async function crawl<R>(
  urls: Iterable<string>,
  fetchFn: FetchFn<R>,
  opts: CrawlOptions<R> = {},
): Promise<CrawlResult<R>[]> {
  const limit = validLimit(opts.limit);
  const signal = opts.signal ?? new AbortController().signal;
  if (signal.aborted) throw signal.reason;
  const list = Array.from(new Set(urls));
  const out: CrawlResult<R>[] = Array(list.length);
  let cursor = 0;
  const loop = async (): Promise<void> => {
    while (cursor < list.length && !signal.aborted) {
      const i = cursor++;
      const r = await fetchOne(list[i]!, fetchFn, signal);
      if (signal.aborted) break;
      out[i] = r;
      opts.onResult?.(r);
    }
  };
  const loops: Promise<void>[] = [];
  for (let k = 0; k < Math.min(limit, list.length); k++) loops.push(loop());
  const settled = await Promise.allSettled(loops);
  if (signal.aborted) throw signal.reason;
  for (const s of settled) if (s.status === "rejected") throw s.reason;
  return out;
}

/** crawlWithWorkers(): take a permit, then read the next URL, then fetch in the background. */
export async function crawlWithWorkers<R>(
  urls: Iterable<string>,
  fetchFn: FetchFn<R>,
  opts: CrawlOptions<R> = {},
): Promise<CrawlResult<R>[]> {
  const limit = validLimit(opts.limit);
  const signal = opts.signal ?? new AbortController().signal;
  if (signal.aborted) throw signal.reason;
  const sem = new Semaphore(limit);
  const it = urls[Symbol.iterator]();
  const seen = new Set<string>();
  const out: CrawlResult<R>[] = [];
  const running: Promise<void>[] = [];
  for (;;) {
    let permit: Disposable;
    try {
      permit = await sem.acquire({ signal });
    } catch {
      break; // aborted
    }
    let step = it.next();
    while (!step.done && seen.has(step.value)) step = it.next();
    if (step.done) {
      permit[Symbol.dispose]();
      break;
    }
    const url = step.value;
    seen.add(url);
    const slot = out.push(undefined as unknown as CrawlResult<R>) - 1;
    running.push(
      fetchOne(url, fetchFn, signal).then((r) => {
        permit[Symbol.dispose]();
        if (signal.aborted) return;
        out[slot] = r;
        opts.onResult?.(r);
      }, (e) => {
        permit[Symbol.dispose]();
        throw e;
      }),
    );
  }
  const settled = await Promise.allSettled(running);
  if (signal.aborted) throw signal.reason;
  for (const s of settled) if (s.status === "rejected") throw s.reason;
  return out;
}

/** crawlSite(): one task per page behind the Semaphore; tasks queue in discovery order. */
export async function crawlSite<R extends { links: readonly string[] }>(
  root: string,
  fetchFn: FetchFn<R>,
  opts: SiteOptions<R>,
): Promise<PageResult<R>[]> {
  const limit = validLimit(opts.limit);
  const maxDepth = opts.maxDepth;
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 0) {
    throw new RangeError(`bad maxDepth ${maxDepth}`);
  }
  const signal = opts.signal ?? new AbortController().signal;
  if (signal.aborted) throw signal.reason;
  const sem = new Semaphore(limit);
  const seen = new Set<string>([root]);
  const out: PageResult<R>[] = [];
  const tasks: Promise<void>[] = [];
  const visit = async (url: string, depth: number): Promise<void> => {
    using _permit = await sem.acquire({ signal });
    const slot = out.length;
    out.length = slot + 1;
    const r = await fetchOne(url, fetchFn, signal);
    if (signal.aborted) return;
    const page: PageResult<R> = { ...r, depth };
    if (page.ok && depth < maxDepth) {
      for (const link of page.value.links) {
        if (!seen.has(link)) {
          seen.add(link);
          tasks.push(visit(link, depth + 1));
        }
      }
    }
    out[slot] = page;
    opts.onResult?.(page);
  };
  tasks.push(visit(root, 0));
  // Tasks are added while we wait: settle them until no new one appeared.
  let settledCount = 0;
  let firstError: { e: unknown } | undefined;
  while (settledCount < tasks.length) {
    const batch = tasks.slice(settledCount);
    settledCount = tasks.length;
    for (const s of await Promise.allSettled(batch)) {
      if (s.status === "rejected" && !firstError) firstError = { e: s.reason };
    }
  }
  if (signal.aborted) throw signal.reason;
  if (firstError) throw firstError.e;
  return out;
}
