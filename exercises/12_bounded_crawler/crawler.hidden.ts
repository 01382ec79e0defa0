/**
 * Hidden tests for the bounded crawler: run by the grader only. Where two fetches end at the same
 * virtual instant, no assertion depends on which ends first (the runtimes do not promise an order
 * for same-instant timers): the data gives distinct latencies wherever order matters.
 */
import { describe, it } from "node:test";
import assert, { AssertionError } from "node:assert/strict";
import {
  assertTimeline,
  isNotImplemented,
  type PageSpec,
  rejectsWith,
  SimulatedNetwork,
  type TimelineEntry,
  withClock,
} from "../../lib/mod.ts";
import {
  crawl,
  type CrawlOptions,
  type CrawlResult,
  crawlSite,
  crawlWithWorkers,
  type FetchFn,
} from "./crawler.ts";

/** `count` URLs on one host, each answering after `latencyMs`. */
function pages(count: number, latencyMs = 100): Record<string, PageSpec> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`https://example.test/${i}`, { latencyMs }]),
  );
}

/** A network whose URL `https://u<i>.test/` answers after `latencies[i]` ms. */
function byLatency(latencies: number[]): SimulatedNetwork {
  return new SimulatedNetwork(
    Object.fromEntries(latencies.map((ms, i) => [`https://u${i}.test/`, { latencyMs: ms }])),
  );
}

/**
 * A site like `SimulatedNetwork.site(root, depth, fanout)` (every page links to its `fanout`
 * children and back to the root), but the i-th page in breadth-first order answers after
 * 100 + i ms, so no two pages arrive at the same instant and breadth-first order is defined.
 */
function distinctSite(
  root: string,
  depth: number,
  fanout: number,
): { net: SimulatedNetwork; bfs: string[] } {
  const bfs: string[] = [];
  const level: [string, number][] = [[root, 0]];
  const spec: Record<string, PageSpec> = {};
  while (level.length > 0) {
    const [url, d] = level.shift()!;
    const children = d < depth ? Array.from({ length: fanout }, (_, i) => `${url}${i}/`) : [];
    spec[url] = { latencyMs: 100 + bfs.length, links: [...children, root] };
    bfs.push(url);
    for (const c of children) level.push([c, d + 1]);
  }
  return { net: new SimulatedNetwork(spec), bfs };
}

/** The network's requests as timeline entries (label = URL). */
function fetchTimeline(net: SimulatedNetwork): TimelineEntry[] {
  return net.requests.map((r) => ({ label: r.url, start: r.start, end: r.end }));
}

/**
 * Calls `start` (which must return a promise) and fails in the student's terms when it throws
 * synchronously instead: callers chain `.catch()` on the promise, and a throw skips it.
 */
function callAsync<T>(start: () => Promise<T>, what: string): Promise<T> {
  try {
    return start();
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    throw new AssertionError({
      message: `${what} returns a promise: it must reject, not throw from the call (yours threw ${
        String(error)
      })`,
    });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Crawler = <R>(
  urls: Iterable<string>,
  fetchFn: FetchFn<R>,
  opts?: CrawlOptions<R>,
) => Promise<CrawlResult<R>[]>;

/**
 * The contract crawl() (tasks 1 and 2) and crawlWithWorkers() (task 3) share: each entry builds
 * a test body for one of them (`name` is used in messages).
 */
const contract = {
  atMost5Of23: (_name: string, run: Crawler) =>
    withClock(async (clock) => {
      const net = new SimulatedNetwork(pages(23));
      await run(net.urls(), (url, init) => net.fetch(url, init), { limit: 5 });
      net.probe.assertMaxAtMost(5);
      net.probe.assertMaxReached(5);
      assert.equal(
        net.requests.length,
        23,
        `every URL should be fetched; yours fetched ${net.requests.length}`,
      );
      assert.equal(
        clock.now(),
        500,
        `23 fetches of 100 ms, 5 at a time, end at t=500; yours at t=${clock.now()}`,
      );
    }),
  defaultLimit: (_name: string, run: Crawler) =>
    withClock(async () => {
      const net = new SimulatedNetwork(pages(12));
      await run(net.urls(), (url, init) => net.fetch(url, init));
      net.probe.assertMaxAtMost(5);
      net.probe.assertMaxReached(5);
    }),
  limitOne: (_name: string, run: Crawler) =>
    withClock(async (clock) => {
      const net = new SimulatedNetwork(pages(4, 50));
      await run(net.urls(), (url, init) => net.fetch(url, init), { limit: 1 });
      net.probe.assertMaxAtMost(1);
      assert.deepEqual(
        net.requests.map((r) => `${r.url} at t=${r.start}`),
        net.urls().map((u, i) => `${u} at t=${50 * i}`),
        "limit 1: each URL starts when the previous one ends, in input order",
      );
      assert.equal(clock.now(), 200);
    }),
  limitAboveCount: (_name: string, run: Crawler) =>
    withClock(async (clock) => {
      const net = byLatency([300, 100, 200]);
      const results = await run(net.urls(), (url, init) => net.fetch(url, init), { limit: 50 });
      assert.deepEqual(
        net.requests.map((r) => r.start),
        [0, 0, 0],
        "all 3 URLs fit under limit 50: all start at t=0",
      );
      assert.deepEqual(results.map((r) => r.url), net.urls(), "results in input order");
      assert.equal(clock.now(), 300);
    }),
  idealSchedule: (_name: string, run: Crawler) =>
    withClock(async (clock) => {
      const net = byLatency([500, 100, 200, 100, 300, 100, 100, 400, 100, 100, 200, 100]);
      await run(net.urls(), (url, init) => net.fetch(url, init), { limit: 5 });
      // Greedy schedule, 5 slots: each URL starts when the earliest slot frees up.
      const expected = [
        [0, 500],
        [0, 100],
        [0, 200],
        [0, 100],
        [0, 300],
        [100, 200],
        [100, 200],
        [200, 600],
        [200, 300],
        [200, 300],
        [300, 500],
        [300, 400],
      ];
      assertTimeline(
        fetchTimeline(net),
        expected.map(([start, end], i) => ({ label: `https://u${i}.test/`, start, end })),
        "the fetch schedule with limit 5",
      );
      assert.equal(
        clock.now(),
        600,
        `the crawl should end at t=600, when the last fetch ends; yours at t=${clock.now()}`,
      );
    }),
  distinctOnce: (_name: string, run: Crawler) =>
    withClock(async () => {
      const net = new SimulatedNetwork(pages(4));
      const [a, b, c, d] = net.urls();
      const results = await run([a, b, a, c, b, d, a], (url, init) => net.fetch(url, init), {
        limit: 2,
      });
      for (const url of net.urls()) {
        assert.equal(
          net.countFor(url),
          1,
          `${url} should be fetched once; yours fetched it ${net.countFor(url)} times`,
        );
      }
      assert.deepEqual(
        results.map((r) => r.url),
        [a, b, c, d],
        "one result per distinct URL, in first-seen order",
      );
    }),
  noUrls: (_name: string, run: Crawler) =>
    withClock(async (clock) => {
      let calls = 0;
      const results = await run([], () => {
        calls++;
        return Promise.resolve(1);
      });
      assert.deepEqual(results, [], "no URLs: an empty array");
      assert.equal(calls, 0, "no URLs: fetchFn must not be called");
      assert.equal(clock.now(), 0, "no URLs: nothing to wait for");
    }),
  oneUrl: (_name: string, run: Crawler) =>
    withClock(async () => {
      const results = await run(["https://one.test/"], (url) => Promise.resolve(url.length));
      assert.deepEqual(
        results,
        [{ url: "https://one.test/", ok: true, value: 17 }],
        "one URL: one result { url, ok: true, value }",
      );
    }),
  badLimit: (name: string, run: Crawler) =>
    withClock(async () => {
      for (const limit of [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        let calls = 0;
        await rejectsWith(
          callAsync(
            () => run(["https://a.test/"], () => Promise.resolve(calls++), { limit }),
            name,
          ),
          { name: "RangeError" },
          `${name.replace("()", "")}(urls, fetchFn, { limit: ${limit} })`,
        );
        assert.equal(
          calls,
          0,
          `a bad limit must be refused before anything is fetched (limit ${limit})`,
        );
      }
    }),
  completionOrder: (_name: string, run: Crawler) =>
    withClock(async (clock) => {
      const net = new SimulatedNetwork({
        "https://p0.test/": { latencyMs: 400 },
        "https://p1.test/": { latencyMs: 100 },
        "https://p2.test/": { latencyMs: 300 },
        "https://p3.test/": { latencyMs: 150, fail: "always" },
        "https://p4.test/": { latencyMs: 60 },
      });
      const reported: string[] = [];
      const results = await run(net.urls(), (url, init) => net.fetch(url, init), {
        limit: 3,
        onResult: (r) => reported.push(`t=${clock.now()} ${r.url} ${r.ok ? "ok" : "failed"}`),
      });
      // p0 0-400, p1 0-100, p2 0-300, p3 100-250 (fails), p4 250-310
      assert.deepEqual(
        reported,
        [
          "t=100 https://p1.test/ ok",
          "t=250 https://p3.test/ failed",
          "t=300 https://p2.test/ ok",
          "t=310 https://p4.test/ ok",
          "t=400 https://p0.test/ ok",
        ],
        `onResult must be called as each fetch settles, failures too; yours: ${
          reported.join(", ")
        }`,
      );
      assert.deepEqual(
        results.map((r) => r.url),
        net.urls(),
        "the returned array keeps input order",
      );
    }),
  fullConcurrencyAfterFailures: (_name: string, run: Crawler) =>
    withClock(async (clock) => {
      const spec: Record<string, PageSpec> = {
        "https://f1.test/": { latencyMs: 50, fail: "always" },
        "https://f2.test/": { latencyMs: 50, fail: "always" },
      };
      for (let i = 1; i <= 6; i++) spec[`https://o${i}.test/`] = { latencyMs: 100 };
      const net = new SimulatedNetwork(spec);
      const results = await run(net.urls(), (url, init) => net.fetch(url, init), { limit: 3 });
      assert.deepEqual(
        results.map((r) => r.ok),
        [false, false, true, true, true, true, true, true],
        "ok: false for the two failing URLs, ok: true for the six others, in input order",
      );
      net.probe.assertMaxAtMost(3);
      const runningAt150 = net.requests.filter((r) =>
        r.start <= 150 && (r.end ?? Infinity) > 150
      ).length;
      assert.equal(
        runningAt150,
        3,
        `after two failures 3 fetches should still run at once; at t=150 yours ran ${runningAt150}`,
      );
      assert.equal(
        clock.now(),
        250,
        `two failures at t=50 must free their slots: the crawl should end at t=250; yours at t=${clock.now()}`,
      );
    }),
  originalError: (_name: string, run: Crawler) =>
    withClock(async () => {
      const boom = new TypeError("bad URL");
      const results = await run(["https://a.test/", "not a url"], async (url) => {
        await sleep(10);
        if (url === "not a url") throw boom;
        return url.length;
      });
      assert.deepEqual(
        results[0],
        { url: "https://a.test/", ok: true, value: 15 },
        "a fetch that succeeds: { url, ok: true, value }",
      );
      assert.equal(results[1].ok, false, "a fetch that rejects: ok: false");
      assert.equal(
        !results[1].ok && results[1].error,
        boom,
        "the result should hold the very error fetchFn rejected with",
      );
    }),
  syncThrow: (_name: string, run: Crawler) =>
    withClock(async (clock) => {
      const boom = new Error("thrown before any await");
      const net = new SimulatedNetwork(pages(3));
      const [a, b, c] = net.urls();
      const results = await run([a, "bad", b, c], (url, init) => {
        if (url === "bad") throw boom;
        return net.fetch(url, init);
      }, { limit: 2 });
      assert.deepEqual(
        results.map((r) => `${r.url} ${r.ok}`),
        [`${a} true`, "bad false", `${b} true`, `${c} true`],
        "a synchronous throw from fetchFn becomes an ok: false result; the other URLs are still fetched",
      );
      assert.equal(
        !results[1].ok && results[1].error,
        boom,
        "the result should hold the very error fetchFn threw",
      );
      assert.equal(
        clock.now(),
        200,
        `the throw must free its slot at once: a, b, c with limit 2 end at t=200; yours at t=${clock.now()}`,
      );
    }),
  abort: (name: string, run: Crawler) =>
    withClock(async (clock) => {
      const net = new SimulatedNetwork(pages(12));
      const controller = new AbortController();
      const reason = new Error("user pressed stop");
      setTimeout(() => controller.abort(reason), 150);
      let reported = 0;
      let calls = 0; // net.requests does not list calls made with an already aborted signal
      await rejectsWith(
        run(net.urls(), (url, init) => {
          calls++;
          return net.fetch(url, init);
        }, {
          limit: 5,
          signal: controller.signal,
          onResult: () => reported++,
        }),
        { is: reason },
        `${name} with { signal } aborted at t=150`,
      );
      assert.equal(
        clock.now(),
        150,
        `the crawl should stop at t=150, when the signal aborts; yours at t=${clock.now()}`,
      );
      assert.equal(
        calls,
        10,
        `no fetch may start after the abort (not even with the aborted signal): 10 started before it, yours called fetchFn ${calls} times`,
      );
      assert.deepEqual(
        net.requests.map((r) => r.outcome),
        ["ok", "ok", "ok", "ok", "ok", "aborted", "aborted", "aborted", "aborted", "aborted"],
        "the 5 fetches running at t=150 should be aborted through their signal",
      );
      assert.equal(
        reported,
        5,
        `only the 5 fetches that finished before the abort are reported; yours reported ${reported}`,
      );
      assert.deepEqual(clock.pending(), [], "no timer may be left running after the abort");
    }),
  abortWaitsForStubbornFetch: (name: string, run: Crawler) =>
    withClock(async (clock) => {
      const net = new SimulatedNetwork({
        "https://a.test/": { latencyMs: 100 },
        "https://stubborn.test/": {},
        "https://c.test/": { latencyMs: 100 },
        "https://d.test/": { latencyMs: 100 },
      });
      const called: string[] = [];
      const fetchFn: FetchFn<unknown> = async (url, init) => {
        called.push(url);
        if (url !== "https://stubborn.test/") return await net.fetch(url, init);
        await sleep(300); // ignores the signal, as some fetch functions do
        return "stubborn done";
      };
      const controller = new AbortController();
      const reason = new Error("stop");
      setTimeout(() => controller.abort(reason), 150);
      const reported: string[] = [];
      await rejectsWith(
        run(net.urls(), fetchFn, {
          limit: 2,
          signal: controller.signal,
          onResult: (r) => reported.push(r.url),
        }),
        { is: reason },
        `${name} with { signal } aborted at t=150 while a fetch ignores the signal`,
      );
      assert.equal(
        clock.now(),
        300,
        `the crawl must not settle while a fetch it started still runs: the stubborn fetch ends at t=300, yours settled at t=${clock.now()}`,
      );
      assert.deepEqual(
        reported,
        ["https://a.test/"],
        `only a finished before the abort; nothing is reported after it (yours: ${
          reported.join(", ")
        })`,
      );
      assert.deepEqual(
        called,
        ["https://a.test/", "https://stubborn.test/", "https://c.test/"],
        `c started at t=100 (and was aborted); d must never start, not even with the aborted signal (yours called fetchFn for ${
          called.join(", ")
        })`,
      );
    }),
  onResultThrows: (name: string, run: Crawler) =>
    withClock(async (clock) => {
      const net = byLatency([100, 200, 300]);
      const oops = new Error("the first report failed");
      await rejectsWith(
        run(net.urls(), (url, init) => net.fetch(url, init), {
          limit: 3,
          onResult: (r) => {
            if (r.url === net.urls()[0]) throw oops;
            if (r.url === net.urls()[1]) throw new Error("a later report failed too");
          },
        }),
        { is: oops },
        `${name} whose onResult throws for the first result and again for the second`,
      );
      assert.equal(
        clock.now(),
        300,
        `an error thrown by onResult rejects the crawl once the fetches it started have settled (the last ends at t=300); yours settled at t=${clock.now()}`,
      );
    }),
  preAborted: (name: string, run: Crawler) =>
    withClock(async () => {
      const net = new SimulatedNetwork(pages(3));
      const reason = new Error("cancelled before it began");
      let calls = 0;
      await rejectsWith(
        callAsync(() =>
          run(net.urls(), (url, init) => {
            calls++;
            return net.fetch(url, init);
          }, { signal: AbortSignal.abort(reason) }), name),
        { is: reason },
        `${name} with an aborted signal`,
      );
      assert.equal(
        calls,
        0,
        `an aborted signal: fetchFn must not be called; yours called it ${calls} time(s)`,
      );
    }),
};

describe("task 1: crawl() bounds its fetches", () => {
  it(
    "crawl() keeps at most 5 fetches in flight over 23 URLs and reaches 5",
    contract.atMost5Of23("crawl()", crawl),
  );
  it("crawl() defaults to a limit of 5", contract.defaultLimit("crawl()", crawl));
  it(
    "crawl() with limit 1 fetches one URL at a time in input order",
    contract.limitOne("crawl()", crawl),
  );
  it(
    "crawl() with a limit above the number of URLs starts them all at once",
    contract.limitAboveCount("crawl()", crawl),
  );
  it(
    "crawl() follows the ideal schedule: a slot is refilled the moment it frees up",
    contract.idealSchedule("crawl()", crawl),
  );
  it("crawl() fetches every distinct URL exactly once", contract.distinctOnce("crawl()", crawl));
  it("crawl() resolves at once with no results for no URLs", contract.noUrls("crawl()", crawl));
  it("crawl() with one URL returns its one result", contract.oneUrl("crawl()", crawl));
  it(
    "crawl() rejects with RangeError for a limit that is not an integer >= 1",
    contract.badLimit("crawl()", crawl),
  );
});

describe("task 2: crawl() reports and survives", () => {
  it(
    "crawl() reports results in completion order at the moment each finishes",
    contract.completionOrder("crawl()", crawl),
  );
  it(
    "crawl() keeps going at full concurrency after failures",
    contract.fullConcurrencyAfterFailures("crawl()", crawl),
  );
  it(
    "crawl() keeps failures in their results with the original error",
    contract.originalError("crawl()", crawl),
  );
  it(
    "crawl() treats a fetchFn that throws synchronously as a failed fetch",
    contract.syncThrow("crawl()", crawl),
  );
  it(
    "crawl() abort stops new fetches, aborts running ones and rejects with the reason",
    contract.abort("crawl()", crawl),
  );
  it(
    "crawl() on abort waits for running fetches that ignore the signal, then rejects",
    contract.abortWaitsForStubbornFetch("crawl()", crawl),
  );
  it(
    "crawl() with an already-aborted signal fetches nothing",
    contract.preAborted("crawl()", crawl),
  );
});

describe("task 3: crawlWithWorkers() bounds its fetches", () => {
  it(
    "crawlWithWorkers() keeps at most 5 fetches in flight over 23 URLs and reaches 5",
    contract.atMost5Of23("crawlWithWorkers()", crawlWithWorkers),
  );
  it(
    "crawlWithWorkers() defaults to a limit of 5",
    contract.defaultLimit("crawlWithWorkers()", crawlWithWorkers),
  );
  it(
    "crawlWithWorkers() follows the ideal schedule: a slot is refilled the moment it frees up",
    contract.idealSchedule("crawlWithWorkers()", crawlWithWorkers),
  );
  it(
    "crawlWithWorkers() fetches every distinct URL exactly once",
    contract.distinctOnce("crawlWithWorkers()", crawlWithWorkers),
  );
  it(
    "crawlWithWorkers() resolves at once with no results for no URLs",
    contract.noUrls("crawlWithWorkers()", crawlWithWorkers),
  );
  it(
    "crawlWithWorkers() rejects with RangeError for a limit that is not an integer >= 1",
    contract.badLimit("crawlWithWorkers()", crawlWithWorkers),
  );
});

describe("task 3: crawlWithWorkers() reports and survives", () => {
  it(
    "crawlWithWorkers() reports results in completion order at the moment each finishes",
    contract.completionOrder("crawlWithWorkers()", crawlWithWorkers),
  );
  it(
    "crawlWithWorkers() keeps going at full concurrency after failures",
    contract.fullConcurrencyAfterFailures("crawlWithWorkers()", crawlWithWorkers),
  );
  it(
    "crawlWithWorkers() treats a fetchFn that throws synchronously as a failed fetch",
    contract.syncThrow("crawlWithWorkers()", crawlWithWorkers),
  );
  it(
    "crawlWithWorkers() abort stops new fetches, aborts running ones and rejects with the reason",
    contract.abort("crawlWithWorkers()", crawlWithWorkers),
  );
  it(
    "crawlWithWorkers() on abort waits for running fetches that ignore the signal, then rejects",
    contract.abortWaitsForStubbornFetch("crawlWithWorkers()", crawlWithWorkers),
  );
  it(
    "crawlWithWorkers() with an already-aborted signal fetches nothing",
    contract.preAborted("crawlWithWorkers()", crawlWithWorkers),
  );
  it(
    "crawlWithWorkers() rejects with the first error onResult throws, once its fetches have settled",
    contract.onResultThrows("crawlWithWorkers()", crawlWithWorkers),
  );
});

describe("task 3: crawlWithWorkers() reads its input lazily", () => {
  it(
    "crawlWithWorkers() reads each URL at the moment a free worker fetches it",
    withClock(async (clock) => {
      const net = byLatency([300, 100, 100, 200, 100, 50]);
      const read: string[] = [];
      function* source() {
        for (const url of net.urls()) {
          read.push(`${url} at t=${clock.now()}`);
          yield url;
        }
      }
      await crawlWithWorkers(source(), (url, init) => net.fetch(url, init), { limit: 2 });
      assert.deepEqual(
        read,
        net.requests.map((r) => `${r.url} at t=${r.start}`),
        "each URL should be read from the input when a free worker starts fetching it, not before",
      );
    }),
  );

  it(
    "crawlWithWorkers() with an aborted signal reads nothing from the input",
    withClock(async () => {
      let read = 0;
      function* source() {
        for (;;) {
          read++;
          if (read > 10_000) {
            throw new Error(
              "read 10000 URLs of an endless input: read it lazily, one URL per free worker",
            );
          }
          yield "https://a.test/";
        }
      }
      const reason = new Error("cancelled");
      await rejectsWith(
        crawlWithWorkers(source(), () => Promise.resolve(1), { signal: AbortSignal.abort(reason) }),
        { is: reason },
        "crawlWithWorkers(endless, fetchFn, { signal: aborted })",
      );
      assert.equal(
        read,
        0,
        `an aborted signal: nothing may be read from the input; yours read ${read} URL(s)`,
      );
    }),
  );

  it(
    "crawlWithWorkers() stops reading an endless generator when the signal aborts",
    withClock(async (clock) => {
      const net = new SimulatedNetwork({}, { notFoundLatencyMs: 40 });
      let read = 0;
      function* endless() {
        for (let i = 0;; i++) {
          read++;
          if (read > 10_000) {
            throw new Error(
              "read 10000 URLs of an endless input: read it lazily, one URL per free worker",
            );
          }
          yield `https://example.test/${i}`;
        }
      }
      const controller = new AbortController();
      const reason = new Error("enough");
      setTimeout(() => controller.abort(reason), 100);
      const reported: string[] = [];
      await rejectsWith(
        crawlWithWorkers(endless(), (url, init) => net.fetch(url, init), {
          limit: 4,
          signal: controller.signal,
          onResult: (r) => reported.push(r.url),
        }),
        { is: reason },
        "crawlWithWorkers(endless, ..., { limit: 4, signal }) aborted at t=100",
      );
      net.probe.assertMaxAtMost(4);
      assert.equal(
        net.requests.length,
        12,
        `4 workers, a fetch every 40 ms each, until t=100: 12 fetches; yours made ${net.requests.length}`,
      );
      assert.equal(read, 12, `read only the URLs you fetch: 12 expected, yours read ${read}`);
      assert.equal(
        reported.length,
        8,
        `the 8 fetches that ended before the abort are reported; yours reported ${reported.length}`,
      );
      assert.equal(clock.now(), 100);
      assert.deepEqual(clock.pending(), [], "no timer may be left running after the abort");
    }),
  );
});

describe("task 4: crawlSite()", () => {
  it(
    "crawlSite() fetches a 13-page site once each, in breadth-first order",
    withClock(async (clock) => {
      const { net, bfs } = distinctSite("https://s.test/", 2, 3);
      const results = await crawlSite("https://s.test/", (url, init) => net.fetch(url, init), {
        maxDepth: 2,
      });
      assert.equal(results.length, 13, `13 pages: yours returned ${results.length}`);
      for (const url of net.urls()) {
        assert.equal(
          net.countFor(url),
          1,
          `${url} should be fetched once; yours fetched it ${net.countFor(url)} times`,
        );
      }
      assert.deepEqual(bfs, [
        "https://s.test/",
        "https://s.test/0/",
        "https://s.test/1/",
        "https://s.test/2/",
        "https://s.test/0/0/",
        "https://s.test/0/1/",
        "https://s.test/0/2/",
        "https://s.test/1/0/",
        "https://s.test/1/1/",
        "https://s.test/1/2/",
        "https://s.test/2/0/",
        "https://s.test/2/1/",
        "https://s.test/2/2/",
      ]);
      assert.deepEqual(
        net.requests.map((r) => r.url),
        bfs,
        "fetches should start in breadth-first order (0/ arrives before 1/, so 0/'s links come first)",
      );
      assert.deepEqual(
        results.map((r) => r.url),
        bfs,
        "results are listed in the order their fetches started",
      );
      assert.deepEqual(
        results.map((r) => r.depth),
        [0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2],
        "each page with its depth",
      );
      net.probe.assertMaxAtMost(5); // the default limit
      net.probe.assertMaxReached(5);
      assert.equal(
        clock.now(),
        421,
        `the ideal schedule with 5 slots ends at t=421; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "crawlSite() fetches a page linked from two pages only once",
    withClock(async () => {
      const net = new SimulatedNetwork({
        "https://a.test/": { links: ["https://b.test/", "https://c.test/"] },
        "https://b.test/": { links: ["https://d.test/"] },
        "https://c.test/": { links: ["https://d.test/", "https://a.test/"] },
        "https://d.test/": { links: ["https://a.test/", "https://b.test/"] },
      });
      const results = await crawlSite("https://a.test/", (url, init) => net.fetch(url, init), {
        maxDepth: 5,
      });
      assert.equal(
        net.countFor("https://d.test/"),
        1,
        `d is linked from b and c (both arrive at t=200); fetch it once, yours fetched it ${
          net.countFor("https://d.test/")
        } times`,
      );
      assert.deepEqual(results.map((r) => `${r.url} ${r.depth}`), [
        "https://a.test/ 0",
        "https://b.test/ 1",
        "https://c.test/ 1",
        "https://d.test/ 2",
      ], "each page once, in start order, with its depth");
    }),
  );

  it(
    "crawlSite() fetches a page once even when it links to itself, to the root, or twice to the same page",
    withClock(async () => {
      const net = new SimulatedNetwork({
        "https://r.test/": { links: ["https://r.test/", "https://x.test/", "https://x.test/"] },
        "https://x.test/": { links: ["https://x.test/", "https://r.test/"] },
      });
      const results = await crawlSite("https://r.test/", (url, init) => net.fetch(url, init), {
        maxDepth: 3,
      });
      assert.deepEqual(
        net.requests.map((r) => r.url),
        ["https://r.test/", "https://x.test/"],
        "r and x, once each",
      );
      assert.deepEqual(results.map((r) => `${r.url} ${r.depth}`), [
        "https://r.test/ 0",
        "https://x.test/ 1",
      ]);
    }),
  );

  it(
    "crawlSite() reports pages through onResult in completion order",
    withClock(async (clock) => {
      const net = new SimulatedNetwork({
        "https://r.test/": {
          latencyMs: 10,
          links: ["https://a.test/", "https://b.test/", "https://c.test/"],
        },
        "https://a.test/": { latencyMs: 300 },
        "https://b.test/": { latencyMs: 100 },
        "https://c.test/": { latencyMs: 200 },
      });
      const reported: string[] = [];
      const results = await crawlSite("https://r.test/", (url, init) => net.fetch(url, init), {
        maxDepth: 1,
        onResult: (r) => reported.push(`t=${clock.now()} ${r.url}`),
      });
      assert.deepEqual(reported, [
        "t=10 https://r.test/",
        "t=110 https://b.test/",
        "t=210 https://c.test/",
        "t=310 https://a.test/",
      ], `onResult must be called as each page arrives; yours: ${reported.join(", ")}`);
      assert.deepEqual(results.map((r) => r.url), [
        "https://r.test/",
        "https://a.test/",
        "https://b.test/",
        "https://c.test/",
      ], "the returned array is in start order, not completion order");
    }),
  );

  it(
    "crawlSite() with a failing root reports it and fetches nothing else",
    withClock(async () => {
      const net = new SimulatedNetwork({
        "https://r.test/": { fail: "always", links: ["https://a.test/"] },
        "https://a.test/": {},
      });
      const results = await crawlSite("https://r.test/", (url, init) => net.fetch(url, init), {
        maxDepth: 2,
      });
      assert.deepEqual(results.map((r) => `${r.url} ${r.ok} ${r.depth}`), [
        "https://r.test/ false 0",
      ], "the failing root is the only result");
      assert.equal(
        net.requests.length,
        1,
        `nothing to follow after a failing root; yours made ${net.requests.length} fetches`,
      );
    }),
  );

  it(
    "crawlSite() treats a fetchFn that throws synchronously as a failed page",
    withClock(async () => {
      const boom = new Error("thrown at once");
      const net = new SimulatedNetwork({
        "https://r.test/": { links: ["https://bad.test/", "https://ok.test/"] },
        "https://ok.test/": {},
      });
      const results = await crawlSite("https://r.test/", (url, init) => {
        if (url === "https://bad.test/") throw boom;
        return net.fetch(url, init);
      }, { maxDepth: 2 });
      assert.deepEqual(results.map((r) => `${r.url} ${r.ok}`), [
        "https://r.test/ true",
        "https://bad.test/ false",
        "https://ok.test/ true",
      ], "a synchronous throw from fetchFn becomes an ok: false result; the crawl carries on");
      assert.equal(
        !results[1].ok && results[1].error,
        boom,
        "the result should hold the very error fetchFn threw",
      );
    }),
  );

  it(
    "crawlSite() abort stops the crawl and rejects with the reason",
    withClock(async (clock) => {
      const net = SimulatedNetwork.site("https://s.test/", 3, 3);
      const controller = new AbortController();
      const reason = new Error("stop crawling");
      setTimeout(() => controller.abort(reason), 150);
      const reported: string[] = [];
      const called: string[] = []; // net.requests does not list calls made with an aborted signal
      await rejectsWith(
        crawlSite("https://s.test/", (url, init) => {
          called.push(url);
          return net.fetch(url, init);
        }, {
          maxDepth: 3,
          limit: 2,
          signal: controller.signal,
          onResult: (r) => reported.push(r.url),
        }),
        { is: reason },
        "crawlSite({ signal, limit: 2 }) aborted at t=150",
      );
      assert.equal(clock.now(), 150, `the crawl should stop at t=150; yours at t=${clock.now()}`);
      assert.deepEqual(
        called,
        ["https://s.test/", "https://s.test/0/", "https://s.test/1/"],
        `the root, then two of its 3 children (limit 2) started; the third, still queued at the abort, must never start, not even with the aborted signal (yours called fetchFn for ${
          called.join(", ")
        })`,
      );
      assert.deepEqual(reported, ["https://s.test/"], "only the root arrived before the abort");
      assert.deepEqual(clock.pending(), [], "no timer may be left running after the abort");
    }),
  );

  it(
    "crawlSite() on abort waits for running fetches that ignore the signal, then rejects",
    withClock(async (clock) => {
      const net = new SimulatedNetwork({
        "https://r.test/": { latencyMs: 100, links: ["https://a.test/", "https://stubborn.test/"] },
        "https://a.test/": { latencyMs: 100, links: ["https://b.test/"] },
        "https://b.test/": {},
      });
      const fetchFn: FetchFn<{ links: string[] }> = async (url, init) => {
        if (url !== "https://stubborn.test/") return await net.fetch(url, init);
        await sleep(400); // ignores the signal
        return { links: ["https://never.test/"] };
      };
      const controller = new AbortController();
      const reason = new Error("stop");
      setTimeout(() => controller.abort(reason), 150);
      const reported: string[] = [];
      await rejectsWith(
        crawlSite("https://r.test/", fetchFn, {
          maxDepth: 3,
          signal: controller.signal,
          onResult: (r) => reported.push(r.url),
        }),
        { is: reason },
        "crawlSite({ signal }) aborted at t=150 while a fetch ignores the signal",
      );
      assert.equal(
        clock.now(),
        500,
        `the crawl must not settle while a fetch it started still runs: the stubborn fetch ends at t=500, yours settled at t=${clock.now()}`,
      );
      assert.deepEqual(
        reported,
        ["https://r.test/"],
        `only the root arrived before the abort (yours: ${reported.join(", ")})`,
      );
      assert.deepEqual(net.requests.map((r) => `${r.url} ${r.outcome}`), [
        "https://r.test/ ok",
        "https://a.test/ aborted",
      ], "a was aborted at t=150; nothing may start after the abort");
    }),
  );

  it(
    "crawlSite() with an already-aborted signal fetches nothing",
    withClock(async () => {
      const net = SimulatedNetwork.site("https://s.test/", 1, 2);
      const reason = new Error("cancelled before it began");
      let calls = 0; // net.requests does not list calls made with an aborted signal
      await rejectsWith(
        callAsync(() =>
          crawlSite("https://s.test/", (url, init) => {
            calls++;
            return net.fetch(url, init);
          }, {
            maxDepth: 1,
            signal: AbortSignal.abort(reason),
          }), "crawlSite()"),
        { is: reason },
        "crawlSite({ signal: aborted })",
      );
      assert.equal(
        calls,
        0,
        `an aborted signal: fetchFn must not be called; yours called it ${calls} time(s)`,
      );
    }),
  );

  it(
    "crawlSite() rejects with the first error onResult throws, once its fetches have settled",
    withClock(async (clock) => {
      const net = new SimulatedNetwork({
        "https://r.test/": { latencyMs: 100, links: ["https://a.test/", "https://b.test/"] },
        "https://a.test/": { latencyMs: 100 },
        "https://b.test/": { latencyMs: 300 },
      });
      const oops = new Error("the report of a failed");
      await rejectsWith(
        crawlSite("https://r.test/", (url, init) => net.fetch(url, init), {
          maxDepth: 1,
          onResult: (r) => {
            if (r.url === "https://a.test/") throw oops;
            if (r.url === "https://b.test/") throw new Error("a later report failed too");
          },
        }),
        { is: oops },
        "crawlSite() whose onResult throws for a (at t=200) and again for b",
      );
      assert.equal(
        clock.now(),
        400,
        `an error thrown by onResult rejects the crawl once the fetches it started have settled (b, started at t=100, ends at t=400); yours settled at t=${clock.now()}`,
      );
    }),
  );

  it(
    "crawlSite() leaves no abort listener on its signal once it has settled",
    withClock(async () => {
      const net = SimulatedNetwork.site("https://s.test/", 2, 2);
      const controller = new AbortController();
      const signal = controller.signal;
      const live = new Set<unknown>();
      const add = signal.addEventListener.bind(signal);
      const remove = signal.removeEventListener.bind(signal);
      signal.addEventListener =
        ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
          if (type === "abort") live.add(listener);
          add(type, listener, opts as AddEventListenerOptions);
        }) as typeof signal.addEventListener;
      signal.removeEventListener =
        ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
          if (type === "abort") live.delete(listener);
          remove(type, listener, opts as EventListenerOptions);
        }) as typeof signal.removeEventListener;
      const pages = await crawlSite("https://s.test/", (url, init) => net.fetch(url, init), {
        maxDepth: 2,
        signal,
      });
      assert.equal(pages.length, 7, `the site has 7 pages; yours returned ${pages.length}`);
      assert.equal(
        live.size,
        0,
        `every abort listener added to the crawl's signal must be removed once it settled; ${live.size} left`,
      );
    }),
  );

  it(
    "crawlSite() keeps limit fetches busy when one page links to many",
    withClock(async (clock) => {
      const spec: Record<string, PageSpec> = {
        "https://r.test/": { links: ["https://hub.test/"] },
      };
      const leaves = Array.from({ length: 8 }, (_, i) => `https://leaf${i}.test/`);
      spec["https://hub.test/"] = { links: leaves };
      for (const l of leaves) spec[l] = {};
      const net = new SimulatedNetwork(spec);
      await crawlSite("https://r.test/", (url, init) => net.fetch(url, init), {
        maxDepth: 2,
        limit: 4,
      });
      net.probe.assertMaxAtMost(4);
      net.probe.assertMaxReached(4);
      assert.equal(
        clock.now(),
        400,
        `r, hub, then 8 leaves 4 at a time: t=400; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "crawlSite() rejects a bad maxDepth or limit with RangeError",
    withClock(async () => {
      for (const maxDepth of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        let calls = 0;
        await rejectsWith(
          callAsync(
            () =>
              crawlSite("https://s.test/", () => Promise.resolve({ links: [calls++ ? "" : ""] }), {
                maxDepth,
              }),
            "crawlSite()",
          ),
          { name: "RangeError" },
          `crawlSite(root, fetchFn, { maxDepth: ${maxDepth} })`,
        );
        assert.equal(
          calls,
          0,
          `a bad maxDepth must be refused before anything is fetched (maxDepth ${maxDepth})`,
        );
      }
      for (const limit of [0, 1.5]) {
        await rejectsWith(
          callAsync(
            () =>
              crawlSite("https://s.test/", () => Promise.resolve({ links: [] }), {
                maxDepth: 1,
                limit,
              }),
            "crawlSite()",
          ),
          { name: "RangeError" },
          `crawlSite(root, fetchFn, { maxDepth: 1, limit: ${limit} })`,
        );
      }
    }),
  );
});
