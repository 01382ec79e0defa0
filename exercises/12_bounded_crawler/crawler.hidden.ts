/**
 * Hidden tests for the bounded crawler: run by the grader only.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  assertTimeline,
  type PageSpec,
  rejectsWith,
  SimulatedNetwork,
  type TimelineEntry,
  withClock,
} from "../../lib/mod.ts";
import { crawl, crawlSite } from "./crawler.ts";

/** `count` URLs on one host, each answering after `latencyMs`. */
function pages(count: number, latencyMs = 100): Record<string, PageSpec> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`https://example.test/${i}`, { latencyMs }]),
  );
}

/** The network's requests as timeline entries (label = URL). */
function fetchTimeline(net: SimulatedNetwork): TimelineEntry[] {
  return net.requests.map((r) => ({ label: r.url, start: r.start, end: r.end }));
}

describe("crawl() (hidden)", () => {
  it("crawl() keeps at most 5 fetches in flight over 23 URLs and reaches 5", withClock(async (clock) => {
    const net = new SimulatedNetwork(pages(23));
    await crawl(net.urls(), (url, init) => net.fetch(url, init), { limit: 5 });
    net.probe.assertMaxAtMost(5);
    net.probe.assertMaxReached(5);
    assert.equal(net.requests.length, 23, "every URL should be fetched; yours fetched " + net.requests.length);
    assert.equal(clock.now(), 500, "23 fetches of 100 ms, 5 at a time, end at t=500");
  }));

  it("crawl() defaults to a limit of 5", withClock(async () => {
    const net = new SimulatedNetwork(pages(12));
    await crawl(net.urls(), (url, init) => net.fetch(url, init));
    net.probe.assertMaxAtMost(5);
    net.probe.assertMaxReached(5);
  }));

  it("crawl() with limit 1 fetches one URL at a time in input order", withClock(async (clock) => {
    const net = new SimulatedNetwork(pages(4, 50));
    await crawl(net.urls(), (url, init) => net.fetch(url, init), { limit: 1 });
    net.probe.assertMaxAtMost(1);
    assert.deepEqual(net.requests.map((r) => r.start), [0, 50, 100, 150]);
    assert.equal(clock.now(), 200);
  }));

  it("crawl() follows the ideal schedule: a slot is refilled the moment it frees up", withClock(async (clock) => {
    const latencies = [500, 100, 200, 100, 300, 100, 100, 400, 100, 100, 200, 100];
    const net = new SimulatedNetwork(
      Object.fromEntries(latencies.map((ms, i) => [`https://u${i}.test/`, { latencyMs: ms }])),
    );
    await crawl(net.urls(), (url, init) => net.fetch(url, init), { limit: 5 });
    // Greedy schedule, 5 slots: each URL starts when the earliest slot frees up.
    assertTimeline(fetchTimeline(net), [
      { label: "https://u0.test/", start: 0, end: 500 },
      { label: "https://u1.test/", start: 0, end: 100 },
      { label: "https://u2.test/", start: 0, end: 200 },
      { label: "https://u3.test/", start: 0, end: 100 },
      { label: "https://u4.test/", start: 0, end: 300 },
      { label: "https://u5.test/", start: 100, end: 200 },
      { label: "https://u6.test/", start: 100, end: 200 },
      { label: "https://u7.test/", start: 200, end: 600 },
      { label: "https://u8.test/", start: 200, end: 300 },
      { label: "https://u9.test/", start: 200, end: 300 },
      { label: "https://u10.test/", start: 300, end: 500 },
      { label: "https://u11.test/", start: 300, end: 400 },
    ], "the fetch schedule with limit 5");
    assert.equal(clock.now(), 600, "the crawl should end at t=600, when the last fetch ends");
  }));

  it("crawl() reports results in completion order at the moment each finishes", withClock(async (clock) => {
    const latencies = [400, 100, 300, 200, 50];
    const net = new SimulatedNetwork(
      Object.fromEntries(latencies.map((ms, i) => [`https://p${i}.test/`, { latencyMs: ms }])),
    );
    const reported: string[] = [];
    const results = await crawl(net.urls(), (url, init) => net.fetch(url, init), {
      limit: 3,
      onResult: (r) => reported.push(`t=${clock.now()} ${r.url}`),
    });
    assert.deepEqual(reported, [
      "t=100 https://p1.test/",
      "t=300 https://p2.test/",
      "t=300 https://p3.test/",
      "t=350 https://p4.test/",
      "t=400 https://p0.test/",
    ]);
    assert.deepEqual(results.map((r) => r.url), net.urls(), "the returned array keeps input order");
  }));

  it("crawl() keeps going at full concurrency after failures", withClock(async (clock) => {
    const spec: Record<string, PageSpec> = {
      "https://f1.test/": { latencyMs: 50, fail: "always" },
      "https://f2.test/": { latencyMs: 50, fail: "always" },
    };
    for (let i = 1; i <= 6; i++) spec[`https://o${i}.test/`] = { latencyMs: 100 };
    const net = new SimulatedNetwork(spec);
    const results = await crawl(net.urls(), (url, init) => net.fetch(url, init), { limit: 3 });
    assert.deepEqual(results.map((r) => r.ok), [false, false, true, true, true, true, true, true]);
    net.probe.assertMaxAtMost(3);
    const runningAt150 = net.requests.filter((r) => r.start <= 150 && (r.end ?? Infinity) > 150).length;
    assert.equal(runningAt150, 3, "after two failures 3 fetches should still run at once; at t=150 yours ran " + runningAt150);
    assert.equal(clock.now(), 250, "two failures at t=50 must free their slots: the crawl should end at t=250");
  }));

  it("crawl() keeps failures in their results with the original error", withClock(async () => {
    const boom = new TypeError("bad URL");
    const results = await crawl(["https://a.test/", "not a url"], async (url) => {
      if (url === "not a url") throw boom;
      return url.length;
    });
    assert.deepEqual(results[0], { url: "https://a.test/", ok: true, value: 15 });
    assert.equal(results[1].ok, false);
    assert.equal(!results[1].ok && results[1].error, boom, "the result should hold the very error fetchFn threw");
  }));

  it("crawl() fetches every distinct URL exactly once", withClock(async () => {
    const net = new SimulatedNetwork(pages(4));
    const [a, b, c, d] = net.urls();
    const results = await crawl([a, b, a, c, b, d, a], (url, init) => net.fetch(url, init), { limit: 2 });
    for (const url of net.urls()) {
      assert.equal(net.countFor(url), 1, `${url} should be fetched once; yours fetched it ${net.countFor(url)} times`);
    }
    assert.deepEqual(results.map((r) => r.url), [a, b, c, d], "one result per distinct URL, in first-seen order");
  }));

  it("crawl() resolves at once with no results for no URLs", withClock(async (clock) => {
    let calls = 0;
    const results = await crawl([], async () => {
      calls++;
      return 1;
    });
    assert.deepEqual(results, []);
    assert.equal(calls, 0);
    assert.equal(clock.now(), 0);
  }));

  it("crawl() abort stops new fetches, aborts running ones and rejects with the reason", withClock(async (clock) => {
    const net = new SimulatedNetwork(pages(10));
    const controller = new AbortController();
    const reason = new Error("user pressed stop");
    setTimeout(() => controller.abort(reason), 150);
    let reported = 0;
    await rejectsWith(
      crawl(net.urls(), (url, init) => net.fetch(url, init), {
        limit: 5,
        signal: controller.signal,
        onResult: () => reported++,
      }),
      { is: reason },
      "crawl({ signal }) aborted at t=150",
    );
    assert.equal(clock.now(), 150, "the crawl should stop at t=150, when the signal aborts");
    assert.equal(net.requests.length, 10, "no fetch may start after the abort; yours started " + net.requests.length);
    assert.deepEqual(
      net.requests.map((r) => r.outcome),
      ["ok", "ok", "ok", "ok", "ok", "aborted", "aborted", "aborted", "aborted", "aborted"],
      "the 5 fetches running at t=150 should be aborted through their signal",
    );
    assert.equal(reported, 5, "only the 5 fetches that finished before the abort are reported");
    assert.deepEqual(clock.pending(), [], "no timer may be left running after the abort");
  }));

  it("crawl() with an already-aborted signal fetches nothing", withClock(async () => {
    const net = new SimulatedNetwork(pages(3));
    const controller = new AbortController();
    controller.abort();
    await rejectsWith(
      () => crawl(net.urls(), (url, init) => net.fetch(url, init), { signal: controller.signal }),
      { is: controller.signal.reason },
      "crawl({ signal }) with an aborted signal",
    );
    assert.equal(net.requests.length, 0);
  }));

  it("crawl() rejects with RangeError for a limit that is not a positive integer", withClock(async () => {
    for (const limit of [0, -1, 2.5, Number.NaN]) {
      await rejectsWith(
        () => crawl(["https://a.test/"], () => Promise.resolve(1), { limit }),
        { name: "RangeError" },
        `crawl(urls, fetchFn, { limit: ${limit} })`,
      );
    }
  }));
});

describe("crawlSite() (hidden)", () => {
  it("crawlSite() fetches a 13-page site once each, in breadth-first order", withClock(async (clock) => {
    const net = SimulatedNetwork.site("https://s.test/", 2, 3);
    const results = await crawlSite("https://s.test/", (url, init) => net.fetch(url, init), { maxDepth: 2, limit: 5 });
    assert.equal(results.length, 13);
    for (const url of net.urls()) {
      assert.equal(net.countFor(url), 1, `${url} should be fetched once; yours fetched it ${net.countFor(url)} times`);
    }
    const bfs = [
      "https://s.test/",
      "https://s.test/0/", "https://s.test/1/", "https://s.test/2/",
      "https://s.test/0/0/", "https://s.test/0/1/", "https://s.test/0/2/",
      "https://s.test/1/0/", "https://s.test/1/1/", "https://s.test/1/2/",
      "https://s.test/2/0/", "https://s.test/2/1/", "https://s.test/2/2/",
    ];
    assert.deepEqual(net.requests.map((r) => r.url), bfs, "fetches should start in breadth-first order");
    assert.deepEqual(results.map((r) => r.url), bfs, "results are listed in the order their fetches started");
    assert.deepEqual(results.map((r) => r.depth), [0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    net.probe.assertMaxAtMost(5);
    net.probe.assertMaxReached(5);
    assert.equal(clock.now(), 400, "root 0-100, level 1 100-200, 9 pages 5 at a time 200-400");
  }));

  it("crawlSite() with maxDepth 0 fetches only the root", withClock(async () => {
    const net = SimulatedNetwork.site("https://s.test/", 2, 3);
    const results = await crawlSite("https://s.test/", (url, init) => net.fetch(url, init), { maxDepth: 0 });
    assert.deepEqual(results.map((r) => r.url), ["https://s.test/"]);
    assert.equal(net.requests.length, 1);
  }));

  it("crawlSite() fetches a page linked from two pages only once", withClock(async () => {
    const net = new SimulatedNetwork({
      "https://a.test/": { links: ["https://b.test/", "https://c.test/"] },
      "https://b.test/": { links: ["https://d.test/"] },
      "https://c.test/": { links: ["https://d.test/", "https://a.test/"] },
      "https://d.test/": { links: ["https://a.test/", "https://b.test/"] },
    });
    const results = await crawlSite("https://a.test/", (url, init) => net.fetch(url, init), { maxDepth: 5 });
    assert.equal(net.countFor("https://d.test/"), 1, "d is linked from b and c (both finish at t=200); fetch it once, yours fetched it " + net.countFor("https://d.test/") + " times");
    assert.deepEqual(results.map((r) => `${r.url} ${r.depth}`), [
      "https://a.test/ 0",
      "https://b.test/ 1",
      "https://c.test/ 1",
      "https://d.test/ 2",
    ]);
  }));

  it("crawlSite() starts a deeper page as soon as its parent arrives", withClock(async (clock) => {
    // Not level by level: the fast branch's children start while the slow page still loads.
    const net = new SimulatedNetwork({
      "https://r.test/": { latencyMs: 100, links: ["https://slow.test/", "https://fast.test/"] },
      "https://slow.test/": { latencyMs: 500 },
      "https://fast.test/": { latencyMs: 100, links: ["https://f1.test/", "https://f2.test/"] },
      "https://f1.test/": { latencyMs: 100 },
      "https://f2.test/": { latencyMs: 100 },
    });
    await crawlSite("https://r.test/", (url, init) => net.fetch(url, init), { maxDepth: 3 });
    assertTimeline(fetchTimeline(net), [
      { label: "https://r.test/", start: 0, end: 100 },
      { label: "https://slow.test/", start: 100, end: 600 },
      { label: "https://fast.test/", start: 100, end: 200 },
      { label: "https://f1.test/", start: 200, end: 300 },
      { label: "https://f2.test/", start: 200, end: 300 },
    ], "the site crawl schedule");
    assert.equal(clock.now(), 600);
  }));

  it("crawlSite() reports a failing page, skips its links and carries on", withClock(async () => {
    const net = new SimulatedNetwork({
      "https://r.test/": { links: ["https://down.test/", "https://up.test/"] },
      "https://down.test/": { fail: "always", links: ["https://hidden.test/"] },
      "https://up.test/": { links: ["https://leaf.test/"] },
      "https://leaf.test/": {},
      "https://hidden.test/": {},
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
    ]);
    assert.deepEqual(reported, [
      "https://r.test/ ok depth 0",
      "https://down.test/ failed depth 1",
      "https://up.test/ ok depth 1",
      "https://leaf.test/ ok depth 2",
    ]);
  }));

  it("crawlSite() reports pages through onResult in completion order", withClock(async (clock) => {
    const net = new SimulatedNetwork({
      "https://r.test/": { latencyMs: 10, links: ["https://a.test/", "https://b.test/", "https://c.test/"] },
      "https://a.test/": { latencyMs: 300 },
      "https://b.test/": { latencyMs: 100 },
      "https://c.test/": { latencyMs: 200 },
    });
    const reported: string[] = [];
    await crawlSite("https://r.test/", (url, init) => net.fetch(url, init), {
      maxDepth: 1,
      onResult: (r) => reported.push(`t=${clock.now()} ${r.url}`),
    });
    assert.deepEqual(reported, [
      "t=10 https://r.test/",
      "t=110 https://b.test/",
      "t=210 https://c.test/",
      "t=310 https://a.test/",
    ]);
  }));

  it("crawlSite() abort stops the crawl and rejects with the reason", withClock(async (clock) => {
    const net = SimulatedNetwork.site("https://s.test/", 3, 3);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    await rejectsWith(
      crawlSite("https://s.test/", (url, init) => net.fetch(url, init), { maxDepth: 3, signal: controller.signal }),
      { name: "AbortError" },
      "crawlSite({ signal }) aborted at t=150",
    );
    assert.equal(clock.now(), 150);
    assert.equal(net.requests.length, 4, "root and its 3 children started; nothing after the abort");
    assert.deepEqual(clock.pending(), [], "no timer may be left running after the abort");
  }));

  it("crawlSite() rejects with RangeError for a negative maxDepth", withClock(async () => {
    await rejectsWith(
      () => crawlSite("https://s.test/", async () => ({ links: [] }), { maxDepth: -1 }),
      { name: "RangeError" },
      "crawlSite(root, fetchFn, { maxDepth: -1 })",
    );
  }));
});
