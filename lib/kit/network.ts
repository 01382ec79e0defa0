/**
 * A simulated network for the crawler and the capstone: per-URL latency in virtual time,
 * failures, links between pages, and a probe of concurrent requests. Honours AbortSignal like
 * `fetch` does.
 *
 * @module
 */
import {
  $concat,
  $filter,
  $keys,
  $Map,
  $mapForEach,
  $mapGet,
  $mapSet,
  $Promise,
  $push,
  $RangeError,
  $reject,
  $slice,
} from "../clock/intrinsics.ts";
import { forwarders } from "../clock/globals.ts";
import { ConcurrencyProbe } from "./probe.ts";
import { virtualNow } from "./now.ts";

/** How one URL behaves. */
export interface PageSpec {
  /** Virtual ms before the response (or failure) arrives. Default: the network's default. */
  latencyMs?: number;
  /** HTTP status of a successful response. Default 200. */
  status?: number;
  /** Response body. Default `"<page URL>"`. */
  body?: string;
  /** URLs this page links to (absolute, as given). */
  links?: string[];
  /** The first `n` requests fail with a NetworkError, or every request with "always". */
  fail?: number | "always";
}

/** What a simulated fetch resolves with. */
export interface SimResponse {
  url: string;
  status: number;
  body: string;
  links: string[];
}

/** One request, as the network saw it. */
export interface RequestRecord {
  url: string;
  /** 1 for the first request to this URL, 2 for the second, ... */
  attempt: number;
  start: number;
  end?: number;
  outcome?: "ok" | "error" | "aborted";
}

/**
 * A request failed on the simulated network (connection reset, 503...).
 *
 * @example
 * ```ts
 * import { NetworkError } from "./network.ts";
 * new NetworkError("https://a.test/", 1).name; // "NetworkError"
 * ```
 */
export class NetworkError extends Error {
  override name = "NetworkError";
  readonly url: string;
  readonly attempt: number;
  constructor(url: string, attempt: number) {
    super(`request to ${url} failed (attempt ${attempt}): connection reset`);
    this.url = url;
    this.attempt = attempt;
  }
}

/** Options of a simulated network. */
export interface NetworkOptions {
  /** Latency of pages that do not set one. Default 100 ms. */
  defaultLatencyMs?: number;
  /** Latency of URLs the network does not know (they answer 404). Default 50 ms. */
  notFoundLatencyMs?: number;
}

/**
 * A deterministic, virtual-time web.
 *
 * @example
 * ```ts
 * import { SimulatedNetwork } from "./network.ts";
 * import { runWithClock } from "../clock/with_clock.ts";
 * await runWithClock(async () => {
 *   const net = new SimulatedNetwork({ "https://a.test/": { latencyMs: 300, links: ["https://b.test/"] } });
 *   const res = await net.fetch("https://a.test/");
 *   return res.links; // ["https://b.test/"]
 * });
 * ```
 */
export class SimulatedNetwork {
  /** Concurrent requests: `probe.max` is the peak, `probe.timeline` the spans. */
  readonly probe = new ConcurrencyProbe("fetches");
  /** Every request, in start order. */
  readonly requests: RequestRecord[] = [];
  readonly #pages: Map<string, PageSpec>;
  readonly #defaultLatency: number;
  readonly #notFoundLatency: number;

  /**
   * @param pages URL -> behaviour.
   * @param options Default latencies.
   */
  constructor(pages: Record<string, PageSpec> = {}, options: NetworkOptions = {}) {
    this.#pages = new $Map();
    const urls = $keys(pages);
    for (let i = 0; i < urls.length; i++) $mapSet(this.#pages, urls[i], pages[urls[i]]);
    this.#defaultLatency = options.defaultLatencyMs ?? 100;
    this.#notFoundLatency = options.notFoundLatencyMs ?? 50;
    $mapForEach(this.#pages, (spec, url) => {
      if (spec.latencyMs !== undefined && !(spec.latencyMs >= 0)) {
        throw new $RangeError(
          `SimulatedNetwork: latencyMs of ${url} must be >= 0; received ${spec.latencyMs}`,
        );
      }
    });
  }

  /**
   * Builds a site of `depth` levels where every page links to `fanout` children (and, to test
   * de-duplication, back to the root).
   *
   * @param root The root URL, e.g. "https://site.test/".
   * @param depth Levels below the root.
   * @param fanout Links per page.
   * @param latencyMs Latency of every page.
   * @returns A network serving the site.
   *
   * @example
   * ```ts
   * import { SimulatedNetwork } from "./network.ts";
   * SimulatedNetwork.site("https://s.test/", 2, 3).urls().length; // 13
   * ```
   */
  static site(root: string, depth: number, fanout: number, latencyMs = 100): SimulatedNetwork {
    const pages: Record<string, PageSpec> = {};
    const visit = (url: string, level: number) => {
      const children: string[] = [];
      for (let i = 0; level < depth && i < fanout; i++) $push(children, `${url}${i}/`);
      pages[url] = { latencyMs, links: $concat(children, [root]) };
      for (let i = 0; i < children.length; i++) visit(children[i], level + 1);
    };
    visit(root, 0);
    return new SimulatedNetwork(pages);
  }

  /**
   * The URLs this network knows.
   *
   * @returns URLs in definition order.
   *
   * @example
   * ```ts
   * import { SimulatedNetwork } from "./network.ts";
   * new SimulatedNetwork({ "https://a.test/": {} }).urls(); // ["https://a.test/"]
   * ```
   */
  urls(): string[] {
    const urls: string[] = [];
    $mapForEach(this.#pages, (_spec, url) => $push(urls, url));
    return urls;
  }

  /** Requests running now. */
  get inFlight(): number {
    return this.probe.inFlight;
  }

  /** The most requests that ever ran at once. */
  get maxConcurrent(): number {
    return this.probe.max;
  }

  /**
   * How many requests were made for `url`.
   *
   * @param url The URL.
   * @returns The count.
   *
   * @example
   * ```ts
   * import { SimulatedNetwork } from "./network.ts";
   * new SimulatedNetwork().countFor("https://a.test/"); // 0
   * ```
   */
  countFor(url: string): number {
    return $filter(this.requests, (r) => r.url === url).length;
  }

  /**
   * Fetches `url` in virtual time. Unknown URLs answer 404 (not an error). Rejects with a
   * NetworkError for configured failures, or with `signal.reason` when aborted (and then stops
   * its timer at once, like fetch).
   *
   * @param url The URL to fetch.
   * @param init Optional `{ signal }`.
   * @returns The response.
   *
   * @example
   * ```ts
   * import { SimulatedNetwork } from "./network.ts";
   * import { runWithClock } from "../clock/with_clock.ts";
   * await runWithClock(() => new SimulatedNetwork().fetch("https://missing.test/")); // status 404
   * ```
   */
  fetch(url: string, init: { signal?: AbortSignal } = {}): Promise<SimResponse> {
    const { signal } = init;
    if (signal?.aborted) return $reject(signal.reason);
    const spec = $mapGet(this.#pages, url);
    const attempt = this.countFor(url) + 1;
    const record: RequestRecord = { url, attempt, start: virtualNow() };
    $push(this.requests, record);
    const done = this.probe.enter(url);
    const latency = spec ? spec.latencyMs ?? this.#defaultLatency : this.#notFoundLatency;
    return new $Promise<SimResponse>((resolve, reject) => {
      const finish = (outcome: "ok" | "error" | "aborted") => {
        record.end = virtualNow();
        record.outcome = outcome;
        done(outcome === "ok" ? "ok" : "error");
        signal?.removeEventListener("abort", onAbort);
      };
      const onAbort = () => {
        forwarders.clearTimeout(timer);
        finish("aborted");
        reject(signal!.reason);
      };
      const timer = forwarders.setTimeout(() => {
        const fails = spec?.fail === "always" ||
          (typeof spec?.fail === "number" && attempt <= spec.fail);
        if (fails) {
          finish("error");
          reject(new NetworkError(url, attempt));
          return;
        }
        finish("ok");
        resolve({
          url,
          status: spec ? spec.status ?? 200 : 404,
          body: spec ? spec.body ?? `<page ${url}>` : "not found",
          links: spec?.links ? $slice(spec.links) : [],
        });
      }, latency);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
