// Hidden tests for the capstone: they run only under the grader.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConcurrencyProbe, rejectsWith, SimulatedNetwork, throwsWith, withClock } from "../../lib/mod.ts";
import { createLimit, createRateLimiter, retry, runImagePipeline, sleep, type Stats } from "./images.ts";

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

const starts = (net: SimulatedNetwork, u?: string) => net.requests.filter((r) => u === undefined || r.url === u).map((r) => r.start);

describe("building blocks hidden", () => {
  it("createLimit() removes an aborted waiter and its slot is not lost", withClock(async () => {
    const limit = createLimit(1);
    const controller = new AbortController();
    const ran: string[] = [];
    const first = limit(async () => (await sleep(100), ran.push("first")));
    const aborted = limit(async () => void ran.push("aborted"), controller.signal);
    const third = limit(async () => void ran.push("third"));
    controller.abort(new Error("gave up"));
    await rejectsWith(aborted, { message: "gave up" }, "an aborted wait for a slot");
    await Promise.all([first, third]);
    assert.deepEqual(ran, ["first", "third"], "the aborted waiter must never run, and the next one must get the slot");
  }));

  it("createLimit() frees the slot when fn throws", withClock(async () => {
    const limit = createLimit(1);
    await rejectsWith(limit(() => Promise.reject(new Error("boom"))), { message: "boom" }, "a limited fn that throws");
    assert.equal(await limit(async () => 42), 42, "after a throw the slot must be free again");
  }));

  it("createLimit() and createRateLimiter() reject bad arguments with RangeError", withClock(() => {
    throwsWith(() => createLimit(0), { name: "RangeError" }, "createLimit(0)");
    throwsWith(() => createLimit(1.5), { name: "RangeError" }, "createLimit(1.5)");
    throwsWith(() => createRateLimiter(0), { name: "RangeError" }, "createRateLimiter(0)");
  }));

  it("createRateLimiter() lets a caller start at once after a quiet period", withClock(async (clock) => {
    const wait = createRateLimiter(10);
    await wait();
    await sleep(1000);
    const before = clock.now();
    await wait();
    assert.equal(clock.now(), before, "after a long pause the next start must not wait");
    await wait();
    assert.equal(clock.now(), before + 100, "then the interval applies again");
  }));

  it("createRateLimiter() wait rejects with the abort reason and clears its timer", withClock(async (clock) => {
    const wait = createRateLimiter(1);
    await wait();
    const reason = new Error("stop waiting");
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 300);
    await rejectsWith(wait(controller.signal), { is: reason }, "an aborted rate-limit wait");
    assert.equal(clock.now(), 300, "the abort at t=300 ms must end the wait at once");
  }));

  it("retry() follows 50, 100, 200 ms with 4 attempts and calls onRetry before each wait", withClock(async (clock) => {
    const attemptsAt: number[] = [];
    const retries: [number, number][] = [];
    const value = await retry(async (attempt) => {
      attemptsAt.push(clock.now());
      if (attempt < 4) throw new Error("flaky");
      return "ok";
    }, { attempts: 4, baseDelayMs: 50, onRetry: (_e, attempt, delay) => retries.push([attempt, delay]) });
    assert.equal(value, "ok", "retry() resolves with what the successful attempt returned");
    assert.deepEqual(attemptsAt, [0, 50, 150, 350], "attempts at t=0, then after waits of 50, 100 and 200 ms (doubling)");
    assert.deepEqual(retries, [[1, 50], [2, 100], [3, 200]], "onRetry(error, attempt, delay) before each wait");
  }));

  it("retry() rethrows a non-retriable error at once", withClock(async (clock) => {
    let calls = 0;
    await rejectsWith(retry(async () => {
      calls++;
      throw new TypeError("bad input");
    }, { attempts: 5, baseDelayMs: 100, isRetriable: (e) => (e as Error).name !== "TypeError" }), { name: "TypeError" }, "retry() of a non-retriable error");
    assert.equal(calls, 1, "a non-retriable error must not be retried");
    assert.equal(clock.now(), 0, "a non-retriable error is rethrown at once, with no wait");
  }));

  it("retry() stops its backoff wait on abort and never retries the abort", withClock(async (clock) => {
    const controller = new AbortController();
    const reason = new Error("cancelled");
    let calls = 0;
    setTimeout(() => controller.abort(reason), 150);
    await rejectsWith(retry(async () => {
      calls++;
      throw new Error("flaky");
    }, { attempts: 10, baseDelayMs: 100, signal: controller.signal }), { is: reason }, "retry() aborted during its backoff");
    assert.equal(clock.now(), 150, "the abort must interrupt the backoff wait");
    assert.equal(calls, 2, "no attempt may start after the abort");
  }));

  it("retry() rejects attempts 0 with RangeError", withClock(async () => {
    await rejectsWith(() => retry(async () => 1, { attempts: 0, baseDelayMs: 10 }), { name: "RangeError" }, "retry(fn, { attempts: 0 })");
  }));
});

describe("runImagePipeline() hidden", () => {
  it("runImagePipeline() retries on the backoff schedule and then saves the image", withClock(async () => {
    const net = network(1, 100, { [url(1)]: { fail: 2 } });
    const report = await runImagePipeline(urls(1), { network: net, process: processIn(10), save: saveIn(10) });
    assert.deepEqual(starts(net), [0, 200, 500], "attempt 1 fails at t=100, wait 100 -> attempt 2 at t=200 fails at t=300, wait 200 -> attempt 3 at t=500");
    assert.equal(report.results[0].status, "saved", "the image fails twice, then its third attempt succeeds");
    assert.equal(report.results[0].attempts, 3, "the result counts the download attempts made");
    assert.equal(report.stats.retries, 2, "two attempts were retried");
  }));

  it("runImagePipeline() does not retry a 404", withClock(async () => {
    const net = network(2);
    const missing = "https://img.test/missing.png";
    const report = await runImagePipeline([url(1), missing, url(2)], { network: net, process: processIn(10), save: saveIn(10) });
    assert.equal(net.countFor(missing), 1, "a 404 cannot be fixed by asking again: one request only");
    assert.equal(report.results[1].status, "failed", "the 404 image must end \"failed\"");
    assert.equal(report.results[1].attempts, 1, "a 404 is one attempt, not retried");
    assert.equal((report.results[1].error as Error).name, "HttpError", "a response that is not 200 fails with an HttpError");
    assert.deepEqual(report.results.map((r) => r.status), ["saved", "failed", "saved"], "the 404 must not stop the other images");
  }));

  it("runImagePipeline() starts requests no faster than ratePerSecond", withClock(async () => {
    const net = network(6, 50);
    await runImagePipeline(urls(6), { network: net, ratePerSecond: 5, process: processIn(10), save: saveIn(10) });
    assert.deepEqual(starts(net), [0, 200, 400, 600, 800, 1000], "at 5 requests per second, starts are 200 ms apart");
  }));

  it("runImagePipeline() keeps the download limit during retries", withClock(async () => {
    const extra: Record<string, object> = {};
    for (const u of urls(8)) extra[u] = { fail: 1 };
    const net = network(8, 100, extra);
    const report = await runImagePipeline(urls(8), { network: net, maxDownloads: 2, ratePerSecond: 1000, process: processIn(10), save: saveIn(10) });
    net.probe.assertMaxAtMost(2);
    assert.equal(report.stats.saved, 8, "each image fails once, then is saved");
    assert.equal(net.requests.length, 16, "8 images, 2 requests each");
  }));

  it("runImagePipeline() overlaps its stages", withClock(async (clock) => {
    // One download, one processor, one saver, 100 ms each, 3 images: image 1 is saved while image
    // 2 is processed and image 3 downloaded, so the run ends at t=500 (stage by stage: t=900).
    const net = network(3, 100);
    await runImagePipeline(urls(3), {
      network: net, maxDownloads: 1, ratePerSecond: 1000, processConcurrency: 1, saveConcurrency: 1,
      process: processIn(100), save: saveIn(100),
    });
    assert.equal(clock.now(), 500, `the stages must overlap: expected the run to end at t=500 ms, yours ended at t=${clock.now()} ms`);
  }));

  it("runImagePipeline() respects the process and save limits", withClock(async () => {
    const processing = new ConcurrencyProbe("process calls");
    const saving = new ConcurrencyProbe("save calls");
    const net = network(8, 10);
    await runImagePipeline(urls(8), {
      network: net, ratePerSecond: 1000, processConcurrency: 2, saveConcurrency: 1,
      process: (image, signal) => processing.run(image.url, () => processIn(200)(image, signal)),
      save: (p, signal) => saving.run(String(p), () => saveIn(100)(p, signal)),
    });
    processing.assertMaxAtMost(2);
    processing.assertMaxReached(2);
    saving.assertMaxAtMost(1);
  }));

  it("runImagePipeline() fails only the image whose process or save step throws", withClock(async () => {
    const net = network(4, 50);
    const report = await runImagePipeline(urls(4), {
      network: net,
      process: async (image) => {
        if (image.url === url(2)) throw new Error("corrupt image");
        return image.url;
      },
      save: async (u) => {
        if (u === url(3)) throw new Error("disk full");
      },
    });
    assert.deepEqual(report.results.map((r) => [r.status, r.stage]), [["saved", undefined], ["failed", "process"], ["failed", "save"], ["saved", undefined]], "[status, stage] per image: image 2 fails at process, image 3 at save, the others are saved");
    assert.deepEqual(
      { downloaded: report.stats.downloaded, processed: report.stats.processed, saved: report.stats.saved, failed: report.stats.failed },
      { downloaded: 4, processed: 3, saved: 2, failed: 2 },
      "statistics after one process failure and one save failure",
    );
  }));

  it("runImagePipeline() reports progress snapshots that always add up", withClock(async () => {
    const snapshots: Stats[] = [];
    const net = network(6, 100, { [url(3)]: { fail: "always" }, [url(5)]: { fail: 1 } });
    const report = await runImagePipeline(urls(6), { network: net, process: processIn(30), save: saveIn(30), onProgress: (s) => snapshots.push(s) });
    assert.ok(snapshots.length >= 6 + 6 + 5, `onProgress must be called after every change; it was called ${snapshots.length} times`);
    const keys = ["downloaded", "processed", "saved", "failed", "retries"] as const;
    for (let i = 0; i < snapshots.length; i++) {
      const s = snapshots[i];
      assert.equal(s.total, 6, `snapshot ${i}: total is the number of URLs`);
      assert.ok(s.downloaded >= s.processed && s.processed >= s.saved, `snapshot ${i}: downloaded >= processed >= saved must hold (${JSON.stringify(s)})`);
      assert.ok(s.saved + s.failed <= s.total, `snapshot ${i}: saved + failed cannot exceed total`);
      if (i > 0) for (const k of keys) assert.ok(s[k] >= snapshots[i - 1][k], `snapshot ${i}: ${k} went down; pass a copy of the statistics, and never count down`);
    }
    const first = snapshots[0];
    assert.equal(first.downloaded + first.failed + first.retries, 1, "the first snapshot must show exactly the first change: pass a copy ({ ...stats }), not the live object");
    const last = snapshots[snapshots.length - 1];
    assert.deepEqual(last, report.stats, "the last snapshot is the final statistics");
    assert.equal(last.saved + last.failed, 6, "at the end every job is saved or failed");
    assert.equal(last.retries, 3, "url 3 retried twice, url 5 once");
  }));

  it("runImagePipeline() computes rate as saved images per second so far", withClock(async (clock) => {
    const net = network(4, 100);
    const report = await runImagePipeline(urls(4), { network: net, maxDownloads: 4, ratePerSecond: 1000, process: processIn(100), save: saveIn(50), processConcurrency: 4, saveConcurrency: 4 });
    const seconds = clock.now() / 1000;
    assert.ok(Math.abs(report.stats.rate - 4 / seconds) < 1e-9, `4 images saved in ${seconds} s is a rate of ${4 / seconds}/s; yours says ${report.stats.rate}`);
  }));

  it("runImagePipeline() drains cleanly and rejects with the reason when aborted", withClock(async (clock) => {
    const net = network(10, 100);
    const controller = new AbortController();
    const reason = new Error("shutting down");
    const saves: number[] = [];
    setTimeout(() => controller.abort(reason), 250);
    await rejectsWith(runImagePipeline(urls(10), {
      network: net, signal: controller.signal,
      process: processIn(100),
      save: async (p, signal) => {
        await saveIn(100)(p, signal);
        saves.push(clock.now());
      },
    }), { is: reason }, "runImagePipeline() aborted at t=250");
    assert.equal(clock.now(), 250, `the run should stop at the abort (t=250 ms); yours stopped at t=${clock.now()} ms`);
    assert.equal(net.inFlight, 0, "no request may still run after the run rejected");
    assert.ok(net.requests.every((r) => r.start <= 250), "no request may start after the abort");
    await sleep(1000);
    assert.ok(saves.every((t) => t <= 250), "nothing may be saved after the abort");
    assert.ok(net.requests.every((r) => r.start <= 250), "no request may start after the run rejected");
  }));

  it("runImagePipeline() with an already aborted signal makes no request", withClock(async () => {
    const net = network(3);
    const reason = new DOMException("never mind", "AbortError");
    await rejectsWith(runImagePipeline(urls(3), { network: net, signal: AbortSignal.abort(reason), process: processIn(10), save: saveIn(10) }), { is: reason }, "runImagePipeline() with a pre-aborted signal");
    assert.equal(net.requests.length, 0, "a pre-aborted signal must make no request");
  }));

  it("runImagePipeline() of no URLs resolves with empty results", withClock(async () => {
    const report = await runImagePipeline([], { network: network(0), process: processIn(10), save: saveIn(10) });
    assert.deepEqual(report.results, [], "no URLs, no results");
    assert.equal(report.stats.total, 0, "stats.total is the number of URLs");
  }));
});
