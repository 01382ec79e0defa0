// Visible tests for the capstone. Run: bun test exercises/27_capstone_image_pipeline
// Time is virtual: the SimulatedNetwork answers after its latency in virtual ms, and
// network.requests records when each request started and how it ended.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConcurrencyProbe, rejectsWith, SimulatedNetwork, withClock } from "../../lib/mod.ts";
import { createLimit, createRateLimiter, retry, runImagePipeline, sleep } from "./images.ts";

const url = (n: number) => `https://img.test/${n}.png`;
const urls = (count: number) => Array.from({ length: count }, (_, i) => url(i + 1));

/** A network serving `count` images with the given latency (and extra per-URL specs). */
function network(count: number, latencyMs = 100, extra: Record<string, object> = {}) {
  const pages: Record<string, object> = {};
  for (const u of urls(count)) pages[u] = { latencyMs, ...extra[u] };
  return new SimulatedNetwork(pages);
}

/** Stage functions that take `ms` each and honour the signal. */
const processIn = (ms: number) => async (image: { body: string }, signal?: AbortSignal) => (await sleep(ms, signal), image.body.length);
const saveIn = (ms: number) => async (_: unknown, signal?: AbortSignal) => await sleep(ms, signal);

describe("building blocks", () => {
  it("createLimit() runs at most n functions at once, in FIFO order", withClock(async () => {
    const limit = createLimit(2);
    const probe = new ConcurrencyProbe("jobs");
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4, 5].map((n) => limit(() => probe.run(`job ${n}`, async () => {
      order.push(n);
      await sleep(100);
    }))));
    probe.assertMaxAtMost(2);
    probe.assertMaxReached(2);
    assert.deepEqual(order, [1, 2, 3, 4, 5], "waiting jobs must start in the order they asked");
  }));

  it("createRateLimiter() spaces starts 1000 / perSecond ms apart", withClock(async (clock) => {
    const wait = createRateLimiter(4); // every 250 ms
    const starts: number[] = [];
    await Promise.all([1, 2, 3, 4].map(async () => {
      await wait();
      starts.push(clock.now());
    }));
    assert.deepEqual(starts, [0, 250, 500, 750], "the first start is immediate, then one every 250 ms");
  }));

  it("retry() waits 100 then 200 ms between attempts and rethrows the last error", withClock(async (clock) => {
    const attemptsAt: number[] = [];
    await rejectsWith(retry(async (attempt) => {
      attemptsAt.push(clock.now());
      throw new Error(`attempt ${attempt} failed`);
    }, { attempts: 3, baseDelayMs: 100 }), { message: "attempt 3 failed" }, "retry() of an always-failing fn");
    assert.deepEqual(attemptsAt, [0, 100, 300], "attempts at t=0, then after 100 ms, then after 200 ms more");
    assert.equal(clock.now(), 300, "no wait after the last attempt");
  }));
});

describe("runImagePipeline()", () => {
  it("runImagePipeline() saves every image and the statistics add up", withClock(async () => {
    const net = network(5);
    const report = await runImagePipeline(urls(5), { network: net, process: processIn(50), save: saveIn(50) });
    assert.deepEqual(report.results.map((r) => r.status), ["saved", "saved", "saved", "saved", "saved"], "every image of a healthy network must end \"saved\"");
    assert.deepEqual(report.results.map((r) => r.url), urls(5), "results come in input order");
    const { total, downloaded, processed, saved, failed } = report.stats;
    assert.deepEqual({ total, downloaded, processed, saved, failed }, { total: 5, downloaded: 5, processed: 5, saved: 5, failed: 0 }, "the final statistics of 5 images that all went through");
  }));

  it("runImagePipeline() never runs more than 3 downloads at once", withClock(async () => {
    const net = network(10, 300);
    await runImagePipeline(urls(10), { network: net, ratePerSecond: 1000, process: processIn(10), save: saveIn(10) });
    net.probe.assertMaxAtMost(3);
    net.probe.assertMaxReached(3);
  }));

  it("runImagePipeline() fails one broken image and saves the others", withClock(async () => {
    const net = network(4, 100, { [url(2)]: { fail: "always" } });
    const report = await runImagePipeline(urls(4), { network: net, process: processIn(10), save: saveIn(10) });
    assert.deepEqual(report.results.map((r) => r.status), ["saved", "failed", "saved", "saved"], "only image 2 (whose every request fails) may fail; the others must be saved");
    const broken = report.results[1];
    assert.equal(broken.attempts, 3, "the broken image must be tried 3 times");
    assert.equal(broken.stage, "download", "the failed result must say at which stage it failed");
    assert.equal((broken.error as Error).name, "NetworkError", "the failed result's error must be the last NetworkError");
    assert.equal(report.stats.saved + report.stats.failed, 4, "every job ends saved or failed");
  }));
});
