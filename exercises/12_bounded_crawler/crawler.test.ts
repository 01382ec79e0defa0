/**
 * Visible tests for the bounded crawler. Run them with `bun test exercises/12_bounded_crawler`
 * or `deno test exercises/12_bounded_crawler`.
 *
 * The web is simulated (SimulatedNetwork from lib/mod.ts): each URL answers after a latency in
 * virtual time, some fail, pages link to each other, and `net.probe` counts the fetches in
 * flight, so a test can say "at most 5 fetches may run at once; yours ran 9".
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type PageSpec, rejectsWith, SimulatedNetwork, withClock } from "../../lib/mod.ts";
import { crawl, crawlSite, crawlWithWorkers } from "./crawler.ts";

/** `count` URLs on one host, each answering after `latencyMs`. */
function pages(count: number, latencyMs = 100): Record<string, PageSpec> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`https://example.test/${i}`, { latencyMs }]),
  );
}

describe("task 1: crawl() with a semaphore", () => {
  it(
    "crawl() never runs more than limit fetches at once, and uses the limit",
    withClock(async (clock) => {
      const net = new SimulatedNetwork(pages(10));
      const results = await crawl(net.urls(), (url, init) => net.fetch(url, init), { limit: 5 });
      assert.equal(
        results.length,
        10,
        `one result per URL: 10 expected, yours returned ${results.length}`,
      );
      net.probe.assertMaxAtMost(5);
      net.probe.assertMaxReached(5);
      assert.equal(
        clock.now(),
        200,
        `10 fetches of 100 ms, 5 at a time, take 200 ms; yours took ${clock.now()} ms`,
      );
    }),
  );

  it(
    "crawl() returns results in input order, with each page's value",
    withClock(async () => {
      const net = new SimulatedNetwork({
        "https://a.test/": { latencyMs: 300, body: "A" },
        "https://b.test/": { latencyMs: 100, body: "B" },
      });
      const results = await crawl(
        ["https://a.test/", "https://b.test/"],
        (url, init) => net.fetch(url, init),
      );
      assert.deepEqual(
        results.map((r) => (r.ok ? `${r.url} ${r.value.body}` : `${r.url} failed`)),
        ["https://a.test/ A", "https://b.test/ B"],
        "the returned array is in input order (a first, though b finished first), each with its page",
      );
    }),
  );

  it(
    "crawl() starts the next fetch as soon as a slot frees up",
    withClock(async (clock) => {
      // One slow page must not hold the others back: this is not "batches of 2".
      const net = new SimulatedNetwork({
        "https://slow.test/": { latencyMs: 500 },
        "https://b.test/": { latencyMs: 100 },
        "https://c.test/": { latencyMs: 100 },
        "https://d.test/": { latencyMs: 100 },
      });
      await crawl(net.urls(), (url, init) => net.fetch(url, init), { limit: 2 });
      const started = net.requests.map((r) => `${r.url} at t=${r.start}`);
      assert.deepEqual(
        started,
        [
          "https://slow.test/ at t=0",
          "https://b.test/ at t=0",
          "https://c.test/ at t=100",
          "https://d.test/ at t=200",
        ],
        "with limit 2, each fetch starts the moment a slot frees up (c when b ends at t=100, d when c ends at t=200), not when a whole batch is done",
      );
      assert.equal(
        clock.now(),
        500,
        `the crawl ends when the slow page does, at t=500; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "crawl() fetches a URL given twice only once",
    withClock(async () => {
      const net = new SimulatedNetwork(pages(2));
      const [a, b] = net.urls();
      const results = await crawl([a, b, a], (url, init) => net.fetch(url, init));
      assert.equal(
        net.countFor(a),
        1,
        `${a} appears twice in the input but must be fetched once; yours fetched it ${
          net.countFor(a)
        } times`,
      );
      assert.deepEqual(
        results.map((r) => r.url),
        [a, b],
        "one result per distinct URL, in the order first seen",
      );
    }),
  );

  it(
    "crawl() rejects with RangeError for a limit below 1",
    withClock(async () => {
      await rejectsWith(
        () => crawl(["https://a.test/"], () => Promise.resolve(1), { limit: 0 }),
        { name: "RangeError" },
        "crawl(urls, fetchFn, { limit: 0 })",
      );
    }),
  );
});

describe("task 2: crawl() reports and survives", () => {
  it(
    "crawl() reports each result through onResult as soon as it arrives",
    withClock(async (clock) => {
      const net = new SimulatedNetwork({
        "https://a.test/": { latencyMs: 300 },
        "https://b.test/": { latencyMs: 100 },
        "https://c.test/": { latencyMs: 200 },
      });
      const reported: string[] = [];
      await crawl(net.urls(), (url, init) => net.fetch(url, init), {
        onResult: (r) => reported.push(`t=${clock.now()} ${r.url}`),
      });
      assert.deepEqual(reported, [
        "t=100 https://b.test/",
        "t=200 https://c.test/",
        "t=300 https://a.test/",
      ], `report in completion order, each the moment it finishes; yours: ${reported.join(", ")}`);
    }),
  );

  it(
    "crawl() reports a failing URL and carries on with the others",
    withClock(async () => {
      const net = new SimulatedNetwork({
        "https://ok.test/": {},
        "https://down.test/": { fail: "always" },
        "https://also-ok.test/": {},
      });
      const results = await crawl(net.urls(), (url, init) => net.fetch(url, init), { limit: 2 });
      assert.deepEqual(
        results.map((r) => `${r.url} ${r.ok}`),
        ["https://ok.test/ true", "https://down.test/ false", "https://also-ok.test/ true"],
        "one result per URL in input order: ok: false for the failing one, ok: true for the others",
      );
      const failed = results[1];
      assert.equal(
        !failed.ok && (failed.error as Error).name,
        "NetworkError",
        "keep the fetch's error in the result",
      );
    }),
  );

  it(
    "crawl() stops on abort and rejects with the signal's reason",
    withClock(async (clock) => {
      const net = new SimulatedNetwork(pages(10));
      const controller = new AbortController();
      const reason = new Error("user pressed stop");
      setTimeout(() => controller.abort(reason), 150);
      await rejectsWith(
        crawl(net.urls(), (url, init) => net.fetch(url, init), {
          limit: 5,
          signal: controller.signal,
        }),
        { is: reason },
        "crawl({ signal }) aborted at t=150",
      );
      assert.equal(
        clock.now(),
        150,
        `the crawl should stop at t=150, when the signal aborts; yours at t=${clock.now()}`,
      );
      assert.equal(
        net.requests.length,
        10,
        `the 5 fetches running at t=150 were the last ones; no fetch may start after the abort (yours started ${net.requests.length})`,
      );
    }),
  );
});

describe("task 2: crawl() and a failing onResult", () => {
  it(
    "crawl() rejects with the first error onResult throws, once its fetches have settled",
    withClock(async (clock) => {
      const net = new SimulatedNetwork({
        "https://a.test/": { latencyMs: 100 },
        "https://b.test/": { latencyMs: 200 },
        "https://c.test/": { latencyMs: 300 },
      });
      const oops = new Error("the report of a failed");
      await rejectsWith(
        crawl(net.urls(), (url, init) => net.fetch(url, init), {
          limit: 3,
          onResult: (r) => {
            if (r.url === "https://a.test/") throw oops;
            if (r.url === "https://b.test/") throw new Error("a later report failed too");
          },
        }),
        { is: oops },
        "crawl() whose onResult throws for a (at t=100) and again for b",
      );
      assert.equal(
        clock.now(),
        300,
        `an error thrown by onResult rejects the crawl once the fetches it started have settled (c ends at t=300); yours settled at t=${clock.now()}`,
      );
    }),
  );
});

describe("task 3: crawlWithWorkers()", () => {
  it(
    "crawlWithWorkers() never runs more than limit fetches at once, and uses the limit",
    withClock(async (clock) => {
      const net = new SimulatedNetwork(pages(9));
      const results = await crawlWithWorkers(net.urls(), (url, init) => net.fetch(url, init), {
        limit: 3,
      });
      assert.deepEqual(results.map((r) => r.url), net.urls(), "one result per URL, in input order");
      net.probe.assertMaxAtMost(3);
      net.probe.assertMaxReached(3);
      assert.equal(
        clock.now(),
        300,
        `9 fetches of 100 ms, 3 at a time, take 300 ms; yours took ${clock.now()} ms`,
      );
    }),
  );

  it(
    "crawlWithWorkers() reads a URL from the input only when a worker is free to fetch it",
    withClock(async (clock) => {
      const net = new SimulatedNetwork({
        "https://u0.test/": { latencyMs: 300 },
        "https://u1.test/": { latencyMs: 100 },
        "https://u2.test/": { latencyMs: 100 },
        "https://u3.test/": { latencyMs: 200 },
      });
      const read: string[] = [];
      function* source() {
        for (const url of net.urls()) {
          read.push(`${url} at t=${clock.now()}`);
          yield url;
        }
      }
      await crawlWithWorkers(source(), (url, init) => net.fetch(url, init), { limit: 2 });
      const started = net.requests.map((r) => `${r.url} at t=${r.start}`);
      assert.deepEqual(
        read,
        started,
        "each URL should be read from the input at the moment a free worker starts fetching it, not before (the semaphore form reads everything up front)",
      );
    }),
  );

  it(
    "crawlWithWorkers() crawls an endless generator until the signal aborts",
    withClock(async (clock) => {
      const net = new SimulatedNetwork({}, { notFoundLatencyMs: 50 }); // every URL: 404 after 50 ms
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
      setTimeout(() => controller.abort(reason), 175);
      await rejectsWith(
        crawlWithWorkers(endless(), (url, init) => net.fetch(url, init), {
          limit: 3,
          signal: controller.signal,
        }),
        { is: reason },
        "crawlWithWorkers(endless, ..., { signal }) aborted at t=175",
      );
      assert.equal(
        clock.now(),
        175,
        `the crawl should stop at t=175, when the signal aborts; yours at t=${clock.now()}`,
      );
      assert.equal(
        net.requests.length,
        12,
        `3 workers, a fetch every 50 ms each, until t=175: 12 fetches; yours made ${net.requests.length}`,
      );
      assert.equal(read, 12, `read only the URLs you fetch: 12 expected, yours read ${read}`);
    }),
  );

  it(
    "crawlWithWorkers() reports a failing URL and carries on with the others",
    withClock(async () => {
      const net = new SimulatedNetwork({
        "https://a.test/": { latencyMs: 50, fail: "always" },
        "https://b.test/": { latencyMs: 100 },
        "https://c.test/": { latencyMs: 100 },
      });
      const reported: string[] = [];
      const results = await crawlWithWorkers(net.urls(), (url, init) => net.fetch(url, init), {
        limit: 2,
        onResult: (r) => reported.push(`${r.url} ${r.ok ? "ok" : "failed"}`),
      });
      assert.deepEqual(results.map((r) => `${r.url} ${r.ok}`), [
        "https://a.test/ false",
        "https://b.test/ true",
        "https://c.test/ true",
      ], "one result per URL in input order, the failing one as ok: false");
      assert.deepEqual(
        reported,
        ["https://a.test/ failed", "https://b.test/ ok", "https://c.test/ ok"],
        `each result is reported as it settles (a fails at t=50, b at t=100, c at t=150); yours: ${
          reported.join(", ")
        }`,
      );
    }),
  );
  it(
    "crawlWithWorkers() skips a duplicate without spending a slot on it",
    withClock(async (clock) => {
      const net = new SimulatedNetwork(pages(3));
      const [a, b, c] = net.urls();
      await crawlWithWorkers([a, b, a, b, c], (url, init) => net.fetch(url, init), { limit: 1 });
      assert.deepEqual(net.requests.map((r) => `${r.url} at t=${r.start}`), [
        `${a} at t=0`,
        `${b} at t=100`,
        `${c} at t=200`,
      ], "a duplicate is skipped at once: the free worker reads on to the next new URL");
      assert.equal(clock.now(), 300);
    }),
  );
});

describe("task 4: crawlSite()", () => {
  it(
    "crawlSite() fetches every page of a site once, breadth-first",
    withClock(async () => {
      // site.test/ links to 0/ and 1/; each of those links to two children; every page also
      // links back to the root.
      const net = SimulatedNetwork.site("https://site.test/", 2, 2);
      const results = await crawlSite("https://site.test/", (url, init) => net.fetch(url, init), {
        maxDepth: 2,
        limit: 1,
      });
      const order = [
        "https://site.test/",
        "https://site.test/0/",
        "https://site.test/1/",
        "https://site.test/0/0/",
        "https://site.test/0/1/",
        "https://site.test/1/0/",
        "https://site.test/1/1/",
      ];
      assert.deepEqual(
        net.requests.map((r) => r.url),
        order,
        "fetch breadth-first, each page once (the root too)",
      );
      assert.deepEqual(
        results.map((r) => `${r.url} depth ${r.depth}`),
        order.map((url, i) => `${url} depth ${i === 0 ? 0 : i < 3 ? 1 : 2}`),
        "one result per page, in the order the pages were found, each with its depth (root 0)",
      );
    }),
  );

  it(
    "crawlSite() stops following links at maxDepth",
    withClock(async () => {
      const net = SimulatedNetwork.site("https://site.test/", 3, 3);
      const results = await crawlSite("https://site.test/", (url, init) => net.fetch(url, init), {
        maxDepth: 1,
      });
      assert.equal(
        results.length,
        4,
        `maxDepth 1: the root and its 3 children, nothing deeper; yours returned ${results.length} pages`,
      );
      assert.equal(
        net.requests.length,
        4,
        "pages at maxDepth are fetched, but their links are not followed",
      );
    }),
  );

  it(
    "crawlSite() starts a deeper page as soon as its parent arrives",
    withClock(async (clock) => {
      // Not level by level: the fast branch's children start while the slow page still loads.
      const net = new SimulatedNetwork({
        "https://r.test/": { latencyMs: 100, links: ["https://slow.test/", "https://fast.test/"] },
        "https://slow.test/": { latencyMs: 500 },
        "https://fast.test/": { latencyMs: 100, links: ["https://f1.test/", "https://f2.test/"] },
        "https://f1.test/": { latencyMs: 100 },
        "https://f2.test/": { latencyMs: 100 },
      });
      await crawlSite("https://r.test/", (url, init) => net.fetch(url, init), { maxDepth: 3 });
      const started = net.requests.map((r) => `${r.url} at t=${r.start}`);
      assert.deepEqual(
        started,
        [
          "https://r.test/ at t=0",
          "https://slow.test/ at t=100",
          "https://fast.test/ at t=100",
          "https://f1.test/ at t=200",
          "https://f2.test/ at t=200",
        ],
        "fast.test/'s links start when it arrives (t=200), not when the slow page of the same level does (t=600)",
      );
      assert.equal(
        clock.now(),
        600,
        `the crawl ends with the slow page at t=600; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "crawlSite() reports a failing page, skips its links and carries on",
    withClock(async () => {
      const net = new SimulatedNetwork({
        "https://r.test/": { links: ["https://down.test/", "https://up.test/"] },
        "https://down.test/": { latencyMs: 50, fail: "always" },
        "https://up.test/": { links: ["https://leaf.test/"] },
        "https://leaf.test/": {},
      });
      const reported: string[] = [];
      const results = await crawlSite("https://r.test/", (url, init) => net.fetch(url, init), {
        maxDepth: 3,
        onResult: (r) => reported.push(`${r.url} ${r.ok ? "ok" : "failed"} depth ${r.depth}`),
      });
      assert.deepEqual(results.map((r) => `${r.url} ${r.ok}`), [
        "https://r.test/ true",
        "https://down.test/ false",
        "https://up.test/ true",
        "https://leaf.test/ true",
      ], "one result per page in start order, the failing one as ok: false");
      assert.deepEqual(reported, [
        "https://r.test/ ok depth 0",
        "https://down.test/ failed depth 1",
        "https://up.test/ ok depth 1",
        "https://leaf.test/ ok depth 2",
      ], `each page is reported as it settles, with its depth; yours: ${reported.join(", ")}`);
    }),
  );
  it(
    "crawlSite() with maxDepth 0 fetches only the root",
    withClock(async () => {
      const net = SimulatedNetwork.site("https://s.test/", 2, 3);
      const results = await crawlSite("https://s.test/", (url, init) => net.fetch(url, init), {
        maxDepth: 0,
      });
      assert.deepEqual(results.map((r) => r.url), ["https://s.test/"], "maxDepth 0: the root only");
      assert.equal(
        net.requests.length,
        1,
        `maxDepth 0: one fetch; yours made ${net.requests.length}`,
      );
    }),
  );
});
