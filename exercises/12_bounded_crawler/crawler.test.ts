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
import { crawl, crawlSite } from "./crawler.ts";

/** `count` URLs on one host, each answering after `latencyMs`. */
function pages(count: number, latencyMs = 100): Record<string, PageSpec> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`https://example.test/${i}`, { latencyMs }]),
  );
}

describe("crawl() (task 1)", () => {
  it("crawl() never runs more than limit fetches at once, and uses the limit", withClock(async (clock) => {
    const net = new SimulatedNetwork(pages(10));
    const results = await crawl(net.urls(), (url, init) => net.fetch(url, init), { limit: 5 });
    assert.equal(results.length, 10, "one result per URL");
    net.probe.assertMaxAtMost(5);
    net.probe.assertMaxReached(5);
    assert.equal(clock.now(), 200, "10 fetches of 100 ms, 5 at a time, take 200 ms");
  }));

  it("crawl() returns results in input order, with each page's value", withClock(async () => {
    const net = new SimulatedNetwork({
      "https://a.test/": { latencyMs: 300, body: "A" },
      "https://b.test/": { latencyMs: 100, body: "B" },
    });
    const results = await crawl(["https://a.test/", "https://b.test/"], (url, init) => net.fetch(url, init));
    assert.deepEqual(
      results.map((r) => (r.ok ? `${r.url} ${r.value.body}` : `${r.url} failed`)),
      ["https://a.test/ A", "https://b.test/ B"],
      "the returned array is in input order (a first, though b finished first), each with its page",
    );
  }));

  it("crawl() starts the next fetch as soon as a slot frees up", withClock(async (clock) => {
    // One slow page must not hold the others back: this is not "batches of 2".
    const net = new SimulatedNetwork({
      "https://slow.test/": { latencyMs: 500 },
      "https://b.test/": { latencyMs: 100 },
      "https://c.test/": { latencyMs: 100 },
      "https://d.test/": { latencyMs: 100 },
    });
    await crawl(net.urls(), (url, init) => net.fetch(url, init), { limit: 2 });
    const started = net.requests.map((r) => `${r.url} at t=${r.start}`);
    assert.deepEqual(started, [
      "https://slow.test/ at t=0",
      "https://b.test/ at t=0",
      "https://c.test/ at t=100",
      "https://d.test/ at t=200",
    ], "with limit 2, each fetch starts the moment a slot frees up (c when b ends at t=100, d when c ends at t=200), not when a whole batch is done");
    assert.equal(clock.now(), 500, "the crawl ends when the slow page does, at t=500");
  }));
});

describe("crawl() reporting and failures (task 2)", () => {
  it("crawl() reports each result through onResult as soon as it arrives", withClock(async (clock) => {
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
    ], "report in completion order, each the moment it finishes");
  }));

  it("crawl() reports a failing URL and carries on with the others", withClock(async () => {
    const net = new SimulatedNetwork({
      "https://ok.test/": {},
      "https://down.test/": { fail: "always" },
      "https://also-ok.test/": {},
    });
    const results = await crawl(net.urls(), (url, init) => net.fetch(url, init), { limit: 2 });
    assert.deepEqual(results.map((r) => `${r.url} ${r.ok}`), [
      "https://ok.test/ true",
      "https://down.test/ false",
      "https://also-ok.test/ true",
    ], "one result per URL in input order: ok: false for the failing one, ok: true for the others");
    const failed = results[1];
    assert.equal(!failed.ok && (failed.error as Error).name, "NetworkError", "keep the fetch's error in the result");
  }));

  it("crawl() rejects with RangeError for a limit below 1", withClock(async () => {
    await rejectsWith(
      () => crawl(["https://a.test/"], () => Promise.resolve(1), { limit: 0 }),
      { name: "RangeError" },
      "crawl(urls, fetchFn, { limit: 0 })",
    );
  }));
});

describe("crawlSite() (task 3)", () => {
  it("crawlSite() fetches every page of a site once, breadth-first", withClock(async () => {
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
    assert.deepEqual(net.requests.map((r) => r.url), order, "fetch breadth-first, each page once (the root too)");
    assert.deepEqual(results.map((r) => `${r.url} depth ${r.depth}`), order.map((url, i) => `${url} depth ${i === 0 ? 0 : i < 3 ? 1 : 2}`),
      "one result per page, in the order the pages were found, each with its depth (root 0)");
  }));

  it("crawlSite() stops following links at maxDepth", withClock(async () => {
    const net = SimulatedNetwork.site("https://site.test/", 3, 3);
    const results = await crawlSite("https://site.test/", (url, init) => net.fetch(url, init), { maxDepth: 1 });
    assert.equal(results.length, 4, "maxDepth 1: the root and its 3 children, nothing deeper");
    assert.equal(net.requests.length, 4, "pages at maxDepth are fetched, but their links are not followed");
  }));
});
