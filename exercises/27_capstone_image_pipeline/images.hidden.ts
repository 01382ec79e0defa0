// deno-lint-ignore-file require-await -- async callbacks stand for coroutines that fail or finish at once
/**
 * Hidden tests for 27_capstone_image_pipeline: run by the grader (`deno task grade 27`), not by
 * `bun test` or `deno test`. They pin every behaviour the README promises, in virtual time.
 */
import { describe, it } from "node:test";
import assert, { AssertionError } from "node:assert/strict";
import {
  ConcurrencyProbe,
  isNotImplemented,
  rejectsWith,
  SimulatedNetwork,
  withClock,
} from "../../lib/mod.ts";
import {
  createRateLimiter,
  type PipelineStatus,
  retry,
  runImagePipeline,
  sleep,
  type StageCounts,
} from "./images.ts";

const url = (n: number) => `https://img.test/${n}.png`;
const urls = (count: number) => Array.from({ length: count }, (_, i) => url(i + 1));

/** A network serving `count` images with the given latency (and extra per-URL specs). */
function network(count: number, latencyMs = 100, extra: Record<string, object> = {}) {
  const pages: Record<string, object> = {};
  for (const u of urls(count)) pages[u] = { latencyMs, ...extra[u] };
  return new SimulatedNetwork(pages);
}

/** Stage functions that take `ms` each and honour the signal. */
const processIn = (ms: number) => async (image: { body: string }, signal?: AbortSignal) => (
  await sleep(ms, signal), image.body.length
);
const saveIn = (ms: number) => async (_: unknown, signal?: AbortSignal) => await sleep(ms, signal);

const starts = (net: SimulatedNetwork, u?: string) =>
  net.requests.filter((r) => u === undefined || r.url === u).map((r) => r.start);

const show = (c: StageCounts) =>
  `{ queued ${c.queued}, running ${c.running}, done ${c.done}, failed ${c.failed} }`;

/** Fails unless every stage of `s` adds up and no count is negative (see the README). */
function assertAddsUp(s: PipelineStatus, where: string) {
  const sum = (c: StageCounts) => c.queued + c.running + c.done + c.failed;
  for (const name of ["download", "process", "save"] as const) {
    const c = s[name];
    assert.ok(
      c.queued >= 0 && c.running >= 0 && c.done >= 0 && c.failed >= 0,
      `${where}: no count may be negative; your ${name}: ${show(c)}`,
    );
  }
  assert.equal(
    sum(s.download),
    s.total,
    `${where}: download queued + running + done + failed must be the total (${s.total}); yours: ${
      show(s.download)
    }`,
  );
  assert.equal(
    sum(s.process),
    s.download.done,
    `${where}: process queued + running + done + failed must be download.done (${s.download.done}); yours: ${
      show(s.process)
    }`,
  );
  assert.equal(
    sum(s.save),
    s.process.done,
    `${where}: save queued + running + done + failed must be process.done (${s.process.done}); yours: ${
      show(s.save)
    }`,
  );
  assert.equal(
    s.saved,
    s.save.done,
    `${where}: saved (${s.saved}) must equal save.done (${s.save.done})`,
  );
  assert.equal(
    s.failed,
    s.download.failed + s.process.failed + s.save.failed,
    `${where}: failed (${s.failed}) must be the failures of all stages`,
  );
}

/** A call that must return a promise: a synchronous throw fails in the student's terms. */
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

describe("task 1: createRateLimiter()", () => {
  it(
    "createRateLimiter() lets a caller start at once after a quiet period",
    withClock(async (clock) => {
      const wait = createRateLimiter(10);
      await wait();
      await sleep(1000);
      const before = clock.now();
      await wait();
      assert.equal(clock.now(), before, "after a long pause the next start must not wait");
      await wait();
      assert.equal(
        clock.now(),
        before + 100,
        `then the interval applies again: t=${before + 100}; yours t=${clock.now()}`,
      );
    }),
  );

  it(
    "createRateLimiter() wait rejects with the abort reason at the abort, and at once when already aborted",
    withClock(async (clock) => {
      const wait = createRateLimiter(1);
      await wait();
      const reason = new Error("stop waiting");
      const controller = new AbortController();
      setTimeout(() => controller.abort(reason), 300);
      await rejectsWith(wait(controller.signal), { is: reason }, "an aborted rate-limit wait");
      assert.equal(
        clock.now(),
        300,
        `the abort at t=300 ms must end the wait at once; yours at t=${clock.now()}`,
      );
      await rejectsWith(callAsync(() => wait(AbortSignal.abort(reason)), "wait(signal)"), {
        is: reason,
      }, "a wait with an already aborted signal");
      assert.equal(clock.now(), 300, "an already aborted signal rejects without waiting");
    }),
  );

  it(
    "createRateLimiter() keeps the start an aborted caller reserved",
    withClock(async (clock) => {
      const wait = createRateLimiter(10); // every 100 ms
      await wait(); // t=0
      const controller = new AbortController();
      const gaveUp = wait(controller.signal); // reserved t=100
      gaveUp.catch(() => {});
      controller.abort(new Error("never mind"));
      await sleep(1);
      await wait(); // the next free start is t=200: the aborted caller's start is not reused
      assert.equal(
        clock.now(),
        200,
        `the start reserved by the aborted caller (t=100) is not given to anyone else; the next caller starts at t=200, yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "createRateLimiter(Infinity) never waits",
    withClock(async (clock) => {
      const wait = createRateLimiter(Infinity);
      for (let i = 0; i < 5; i++) await wait();
      assert.equal(
        clock.now(),
        0,
        `an infinite rate never waits; yours waited until t=${clock.now()}`,
      );
      assert.equal(clock.pending().length, 0, "and leaves no timer");
    }),
  );
});

describe("task 2: retry()", () => {
  it(
    "retry() follows 50, 100, 200 ms with 4 attempts and calls onRetry before each wait",
    withClock(async (clock) => {
      const attemptsAt: number[] = [];
      const retries: [number, number, number][] = [];
      const value = await retry(async (attempt) => {
        attemptsAt.push(clock.now());
        if (attempt < 4) throw new Error("flaky");
        return "ok";
      }, {
        attempts: 4,
        baseDelayMs: 50,
        onRetry: (_e, attempt, delay) => retries.push([attempt, delay, clock.now()]),
      });
      assert.equal(value, "ok", "retry() resolves with what the successful attempt returned");
      assert.deepEqual(
        attemptsAt,
        [0, 50, 150, 350],
        `attempts at t=0, then after waits of 50, 100 and 200 ms (doubling); yours at ${attemptsAt}`,
      );
      assert.deepEqual(
        retries,
        [[1, 50, 0], [2, 100, 50], [3, 200, 150]],
        `onRetry(error, attempt, delay) before each wait; yours: ${JSON.stringify(retries)}`,
      );
    }),
  );

  it(
    "retry() stops its backoff wait on abort and never retries the abort",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("cancelled");
      let calls = 0;
      setTimeout(() => controller.abort(reason), 150);
      await rejectsWith(
        retry(async () => {
          calls++;
          throw new Error("flaky");
        }, { attempts: 10, baseDelayMs: 100, signal: controller.signal }),
        { is: reason },
        "retry() aborted during its backoff",
      );
      assert.equal(
        clock.now(),
        150,
        `the abort must interrupt the backoff wait (t=150); yours at t=${clock.now()}`,
      );
      assert.equal(calls, 2, `no attempt may start after the abort; yours made ${calls}`);
      assert.equal(clock.pending().length, 0, "the backoff timer must be cleared");
    }),
  );

  it(
    "retry() rethrows the abort reason thrown by fn at once, even when errors are retriable",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("cancelled mid-request");
      let calls = 0;
      let retries = 0;
      await rejectsWith(
        retry(async () => {
          calls++;
          controller.abort(reason);
          throw reason;
        }, { attempts: 5, baseDelayMs: 100, signal: controller.signal, onRetry: () => retries++ }),
        { is: reason },
        "retry() whose attempt was aborted",
      );
      assert.equal(calls, 1, `an abort is never retried; yours called fn ${calls} times`);
      assert.equal(
        retries,
        0,
        `an abort is not a retry: onRetry must not be called; yours called it ${retries} time(s)`,
      );
      assert.equal(clock.now(), 0, "and no backoff wait follows it");
    }),
  );

  it(
    "retry() with an aborted signal never calls fn",
    withClock(async () => {
      const reason = new Error("too late");
      let calls = 0;
      await rejectsWith(
        retry(async () => ++calls, {
          attempts: 3,
          baseDelayMs: 10,
          signal: AbortSignal.abort(reason),
        }),
        { is: reason },
        "retry() with a pre-aborted signal",
      );
      assert.equal(calls, 0, `fn must not run; yours called it ${calls} times`);
    }),
  );

  it(
    "retry() with 1 attempt never waits, with baseDelayMs 0 retries at once, and retries a synchronous throw",
    withClock(async (clock) => {
      let calls = 0;
      await rejectsWith(
        retry(async () => {
          calls++;
          throw new Error("once");
        }, { attempts: 1, baseDelayMs: 100 }),
        { message: "once" },
        "retry() with attempts 1",
      );
      assert.equal(calls, 1, "one attempt");
      assert.equal(clock.now(), 0, "attempts 1: no wait at all");
      let sync = 0;
      const value = await retry((attempt) => {
        sync++;
        if (attempt < 3) throw new Error("thrown synchronously");
        return Promise.resolve(attempt);
      }, { attempts: 3, baseDelayMs: 0 });
      assert.equal(value, 3, "a synchronous throw of fn is retried like a rejection");
      assert.equal(sync, 3, `three attempts; yours made ${sync}`);
      assert.equal(clock.now(), 0, "baseDelayMs 0: the retries follow at once");
    }),
  );

  it(
    "retry() rejects with RangeError for attempts that are not an integer >= 1 and a bad baseDelayMs",
    withClock(async () => {
      for (const attempts of [0, -1, 1.5, Number.NaN, Infinity]) {
        await rejectsWith(
          callAsync(() => retry(async () => 1, { attempts, baseDelayMs: 10 }), "retry()"),
          { name: "RangeError" },
          `retry(fn, { attempts: ${attempts} })`,
        );
      }
      for (const baseDelayMs of [-1, Number.NaN, Infinity]) {
        await rejectsWith(
          callAsync(() => retry(async () => 1, { attempts: 2, baseDelayMs }), "retry()"),
          { name: "RangeError" },
          `retry(fn, { baseDelayMs: ${baseDelayMs} })`,
        );
      }
    }),
  );
});

describe("task 3: runImagePipeline() stages", () => {
  it(
    "runImagePipeline() retries on the backoff schedule and then saves the image",
    withClock(async () => {
      const net = network(1, 100, { [url(1)]: { fail: 2 } });
      const report = await runImagePipeline(urls(1), {
        network: net,
        process: processIn(10),
        save: saveIn(10),
      });
      assert.deepEqual(
        starts(net),
        [0, 200, 500],
        `attempt 1 fails at t=100, wait 100 -> attempt 2 at t=200 fails at t=300, wait 200 -> attempt 3 at t=500; yours at ${
          starts(net)
        }`,
      );
      assert.equal(
        report.results[0].status,
        "saved",
        "the image fails twice, then its third attempt succeeds",
      );
      assert.equal(
        report.results[0].attempts,
        3,
        `the result counts the download attempts made; yours says ${report.results[0].attempts}`,
      );
    }),
  );

  it(
    "runImagePipeline() does not retry a 404",
    withClock(async () => {
      const net = network(2);
      const missing = "https://img.test/missing.png";
      const report = await runImagePipeline([url(1), missing, url(2)], {
        network: net,
        process: processIn(10),
        save: saveIn(10),
      });
      assert.equal(
        net.countFor(missing),
        1,
        "a 404 cannot be fixed by asking again: one request only",
      );
      const r = report.results[1];
      assert.deepEqual(
        [r.status, r.stage, r.attempts],
        ["failed", "download", 1],
        `the 404 image fails at download after 1 attempt; yours: ${r.status}, ${r.stage}, ${r.attempts}`,
      );
      assert.equal(
        (r.error as Error)?.name,
        "HttpError",
        "a response that is not 200 fails with an HttpError",
      );
      assert.equal(
        (r.error as { status?: number })?.status,
        404,
        "the HttpError carries the status",
      );
      assert.deepEqual(
        report.results.map((x) => x.status),
        ["saved", "failed", "saved"],
        "the 404 must not stop the other images",
      );
    }),
  );

  it(
    "runImagePipeline() starts requests no faster than ratePerSecond, retries included",
    withClock(async (clock) => {
      const net = network(6, 50);
      await runImagePipeline(urls(6), {
        network: net,
        ratePerSecond: 5,
        process: processIn(10),
        save: saveIn(10),
      });
      assert.deepEqual(
        starts(net),
        [0, 200, 400, 600, 800, 1000],
        `at 5 requests per second, starts are 200 ms apart; yours at ${starts(net)}`,
      );
      const flaky = network(2, 10, { [url(1)]: { fail: 1 } });
      const t0 = clock.now();
      await runImagePipeline(urls(2), {
        network: flaky,
        ratePerSecond: 2,
        baseDelayMs: 10,
        process: processIn(10),
        save: saveIn(10),
      });
      const times = starts(flaky).map((t) => t - t0).sort((a, b) => a - b);
      assert.deepEqual(
        times,
        [0, 500, 1000],
        `at 2 per second a retry waits its turn at the rate limiter too: url 1 at +0, url 2 at +500, url 1's retry at +1000; yours at +${
          times.join(", +")
        }`,
      );
    }),
  );

  it(
    "runImagePipeline() keeps the download limit during retries",
    withClock(async () => {
      const extra: Record<string, object> = {};
      for (const u of urls(8)) extra[u] = { fail: 1 };
      const net = network(8, 100, extra);
      const report = await runImagePipeline(urls(8), {
        network: net,
        maxDownloads: 2,
        ratePerSecond: 1000,
        process: processIn(10),
        save: saveIn(10),
      });
      net.probe.assertMaxAtMost(2);
      assert.equal(report.status.saved, 8, "each image fails once, then is saved");
      assert.equal(
        net.requests.length,
        16,
        `8 images, 2 requests each; yours made ${net.requests.length}`,
      );
    }),
  );

  it(
    "runImagePipeline() takes the URLs in input order, each entry a job, duplicates too",
    withClock(async () => {
      const net = network(3, 10);
      const list = [url(3), url(1), url(3), url(2)];
      const report = await runImagePipeline(list, {
        network: net,
        maxDownloads: 1,
        ratePerSecond: 1000,
        process: processIn(10),
        save: saveIn(10),
      });
      assert.deepEqual(
        net.requests.map((r) => r.url),
        list,
        `one downloader fetches the URLs in input order, the duplicate twice; yours: ${
          net.requests.map((r) => r.url)
        }`,
      );
      assert.deepEqual(
        report.results.map((r) => r.url),
        list,
        "one result per entry, in input order",
      );
      assert.equal(report.status.total, 4, "total counts entries");
    }),
  );

  it(
    "runImagePipeline() respects the process and save limits and reaches them",
    withClock(async () => {
      const processing = new ConcurrencyProbe("process calls");
      const saving = new ConcurrencyProbe("save calls");
      await runImagePipeline(urls(8), {
        network: network(8, 10),
        ratePerSecond: 1000,
        processConcurrency: 2,
        saveConcurrency: 1,
        process: (image, signal) => processing.run(image.url, () => processIn(200)(image, signal)),
        save: (p, signal) => saving.run(String(p), () => saveIn(100)(p, signal)),
      });
      processing.assertMaxAtMost(2);
      processing.assertMaxReached(2);
      saving.assertMaxAtMost(1);
    }),
  );

  it(
    "runImagePipeline() uses the documented defaults",
    withClock(async () => {
      const processing = new ConcurrencyProbe("process calls");
      const saving = new ConcurrencyProbe("save calls");
      const net = network(6, 300, { [url(6)]: { fail: "always" } });
      const report = await runImagePipeline(urls(6), {
        network: net,
        process: (image, signal) => processing.run(image.url, () => processIn(500)(image, signal)),
        save: (p, signal) => saving.run(String(p), () => saveIn(500)(p, signal)),
      });
      net.probe.assertMaxAtMost(3);
      net.probe.assertMaxReached(3);
      assert.deepEqual(
        starts(net).slice(0, 3),
        [0, 100, 200],
        "10 requests per second by default: the first three start 100 ms apart",
      );
      assert.equal(
        net.countFor(url(6)),
        3,
        `3 attempts by default; yours made ${net.countFor(url(6))}`,
      );
      const sixth = starts(net, url(6));
      assert.ok(
        sixth[1] - sixth[0] >= 400 && sixth[2] - sixth[1] >= 500,
        `backoff 100 then 200 ms after each 300 ms attempt by default; yours started attempts at ${sixth}`,
      );
      processing.assertMaxReached(2);
      processing.assertMaxAtMost(2);
      saving.assertMaxReached(2);
      saving.assertMaxAtMost(2);
      assert.equal(report.status.saved, 5, "five images saved");
    }),
  );

  it(
    "runImagePipeline() holds 10 images per queue by default",
    withClock(async () => {
      const net = network(30, 10);
      let requestsAt2000 = -1;
      setTimeout(() => (requestsAt2000 = net.requests.length), 2000);
      await runImagePipeline(urls(30), {
        network: net,
        ratePerSecond: 1000,
        processConcurrency: 1,
        process: processIn(5000),
        save: saveIn(10),
      });
      assert.equal(
        requestsAt2000,
        14,
        `queueSize 10 by default: 1 image processing, 10 queued, 3 held by the downloaders make 14 requests by t=2000; yours made ${requestsAt2000}`,
      );
    }),
  );

  it(
    "runImagePipeline() with queueSize Infinity never holds the downloaders back",
    withClock(async () => {
      const net = network(10, 10);
      let requestsAt500 = -1;
      setTimeout(() => (requestsAt500 = net.requests.length), 500);
      await runImagePipeline(urls(10), {
        network: net,
        ratePerSecond: 1000,
        processConcurrency: 1,
        queueSize: Infinity,
        process: processIn(1000),
        save: saveIn(10),
      });
      assert.equal(
        requestsAt500,
        10,
        `an unbounded queue takes every image: all 10 requested by t=500; yours requested ${requestsAt500}`,
      );
    }),
  );

  it(
    "runImagePipeline() fails only the image whose process or save step throws, also synchronously",
    withClock(async () => {
      const report = await runImagePipeline(urls(5), {
        network: network(5, 50),
        process: (image) => {
          if (image.url === url(2)) throw new Error("corrupt image"); // synchronous
          return Promise.resolve(image.url);
        },
        save: async (u) => {
          if (u === url(3)) throw new Error("disk full");
          if (u === url(4)) return Promise.reject(new Error("read-only"));
        },
      });
      assert.deepEqual(
        report.results.map((r) => [r.status, r.stage]),
        [["saved", undefined], ["failed", "process"], ["failed", "save"], ["failed", "save"], [
          "saved",
          undefined,
        ]],
        "[status, stage] per image: image 2 fails at process, images 3 and 4 at save, the others are saved",
      );
      assert.equal(
        (report.results[1].error as Error)?.message,
        "corrupt image",
        "the failed result holds the error process threw",
      );
    }),
  );

  it(
    "runImagePipeline() with an already aborted signal makes no request",
    withClock(async () => {
      const net = network(3);
      const reason = new DOMException("never mind", "AbortError");
      await rejectsWith(
        runImagePipeline(urls(3), {
          network: net,
          signal: AbortSignal.abort(reason),
          process: processIn(10),
          save: saveIn(10),
        }),
        { is: reason },
        "runImagePipeline() with a pre-aborted signal",
      );
      assert.equal(
        net.requests.length,
        0,
        `a pre-aborted signal must make no request; yours made ${net.requests.length}`,
      );
    }),
  );

  it(
    "runImagePipeline() aborted during a backoff or a full queue stops every worker at once",
    withClock(async (clock) => {
      for (const at of [150, 700]) {
        const net = network(6, 100, { [url(1)]: { fail: "always" } });
        const controller = new AbortController();
        const reason = new Error(`stop at ${at}`);
        setTimeout(() => controller.abort(reason), at);
        const start = clock.now();
        await rejectsWith(
          runImagePipeline(urls(6), {
            network: net,
            signal: controller.signal,
            maxDownloads: 2,
            processConcurrency: 1,
            queueSize: 1,
            baseDelayMs: 1000,
            process: processIn(5000),
            save: saveIn(10),
          }),
          { is: reason },
          `runImagePipeline() aborted at +${at} ms`,
        );
        assert.equal(
          clock.now() - start,
          at,
          `every wait (backoff, rate limit, queue, process) must end at the abort (+${at} ms); yours ended at +${
            clock.now() - start
          }`,
        );
        assert.equal(net.inFlight, 0, "no request may still run");
      }
    }),
  );

  it(
    "runImagePipeline() rejects only once every call in progress has stopped",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("shutting down");
      let busy = 0;
      setTimeout(() => controller.abort(reason), 150);
      await rejectsWith(
        runImagePipeline(urls(4), {
          network: network(4, 100),
          signal: controller.signal,
          maxDownloads: 4,
          ratePerSecond: 1000,
          process: async (image, signal) => {
            busy++;
            try {
              await sleep(500, signal);
            } catch (error) {
              await sleep(40); // flushing a half-written file takes 40 ms
              throw error;
            } finally {
              busy--;
            }
            return image.url;
          },
          save: saveIn(10),
        }),
        { is: reason },
        "runImagePipeline() aborted at t=150 while process() calls run",
      );
      assert.equal(busy, 0, `when the run rejects, no process() call may still run; ${busy} did`);
      assert.equal(
        clock.now(),
        190,
        `the process() calls need 40 ms to stop after the abort: reject at t=190; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "runImagePipeline() rejects an option out of range with RangeError and makes no request",
    withClock(async () => {
      const bad: [string, Record<string, number>][] = [
        ["maxDownloads: 0", { maxDownloads: 0 }],
        ["processConcurrency: 1.5", { processConcurrency: 1.5 }],
        ["saveConcurrency: NaN", { saveConcurrency: Number.NaN }],
        ["queueSize: 0", { queueSize: 0 }],
        ["ratePerSecond: 0", { ratePerSecond: 0 }],
        ["attempts: 0", { attempts: 0 }],
        ["baseDelayMs: -1", { baseDelayMs: -1 }],
      ];
      for (const [what, option] of bad) {
        const net = network(2);
        await rejectsWith(
          callAsync(
            () =>
              runImagePipeline(urls(2), {
                network: net,
                process: processIn(10),
                save: saveIn(10),
                ...option,
              }),
            `runImagePipeline({ ${what} })`,
          ),
          { name: "RangeError" },
          `runImagePipeline({ ${what} })`,
        );
        assert.equal(net.requests.length, 0, `runImagePipeline({ ${what} }) must make no request`);
      }
    }),
  );

  it(
    "runImagePipeline() of no URLs resolves at once with no results",
    withClock(async (clock) => {
      const report = await runImagePipeline([], {
        network: network(0),
        process: processIn(10),
        save: saveIn(10),
      });
      assert.deepEqual(report.results, [], "no URLs, no results");
      assert.equal(report.status.total, 0, "status.total is the number of URLs");
      assert.equal(clock.now(), 0, "nothing to wait for");
    }),
  );

  it(
    "runImagePipeline() keeps every worker going after its image failed, with one worker per stage",
    withClock(async () => {
      const missing = "https://img.test/missing.png";
      const report = await runImagePipeline([missing, url(1), url(2), url(3)], {
        network: network(3, 10),
        maxDownloads: 1,
        processConcurrency: 1,
        saveConcurrency: 1,
        process: async (image) => {
          if (image.url === url(1)) throw new Error("corrupt image");
          return image.url;
        },
        save: async (u) => {
          if (u === url(2)) throw new Error("disk full");
        },
      });
      const got = report.results.map((r) => r ? [r.status, r.stage] : "missing");
      assert.deepEqual(
        got,
        [["failed", "download"], ["failed", "process"], ["failed", "save"], ["saved", undefined]],
        `one worker per stage: after a failed image each worker takes the next one, so image 3 is still saved; [status, stage] per image: ${
          JSON.stringify(got)
        }`,
      );
    }),
  );

  it(
    "runImagePipeline() reports the download attempts of a job that failed in a later stage",
    withClock(async () => {
      const report = await runImagePipeline(urls(2), {
        network: network(2, 10, { [url(1)]: { fail: 1 }, [url(2)]: { fail: 2 } }),
        process: async (image) => {
          if (image.url === url(1)) throw new Error("corrupt image");
          return image.url;
        },
        save: async () => {
          throw new Error("disk full");
        },
      });
      const got = report.results.map((r) => [r.stage, r.attempts]);
      assert.deepEqual(
        got,
        [["process", 2], ["save", 3]],
        `attempts counts the download attempts the job needed (2 and 3 here), also when it failed later; [stage, attempts] per image: ${
          JSON.stringify(got)
        }`,
      );
    }),
  );

  it(
    "runImagePipeline() fails a download whose fetch rejects with undefined, without retrying it",
    withClock(async () => {
      let calls = 0;
      const report = await runImagePipeline([url(1)], {
        network: { fetch: () => (calls++, Promise.reject(undefined)) },
        process: async (image) => image.url,
        save: async () => {},
      });
      const r = report.results[0];
      assert.deepEqual(
        [r.status, r.stage, r.attempts, r.error],
        ["failed", "download", 1, undefined],
        `only errors named NetworkError are retried: a rejection with undefined fails the download after 1 attempt, with that very value; yours: ${r.status}, ${r.stage}, ${r.attempts}, ${
          String(r.error)
        }`,
      );
      assert.equal(calls, 1, `one request only; yours made ${calls}`);
    }),
  );

  it(
    "runImagePipeline() aborted while a processor waits for room in the save queue rejects",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("shutdown");
      setTimeout(() => controller.abort(reason), 500);
      await rejectsWith(
        runImagePipeline(urls(5), {
          network: network(5, 10),
          ratePerSecond: 1000,
          processConcurrency: 1,
          saveConcurrency: 1,
          queueSize: 1,
          process: async (image) => image.url,
          save: saveIn(10_000), // image 1 is saved slowly; image 2 waits in the queue; image 3 waits for room
          signal: controller.signal,
        }),
        { is: reason },
        "runImagePipeline() aborted at t=500 while its processor waits to put into a full save queue",
      );
      assert.equal(
        clock.now(),
        500,
        `the wait for room in the save queue sees the signal too: the run stops at t=500; yours at t=${clock.now()}`,
      );
    }),
  );
});

describe("task 4: the live status", () => {
  it(
    "runImagePipeline() passes deep copies: a kept snapshot never changes",
    withClock(async () => {
      const snapshots: PipelineStatus[] = [];
      const copies: string[] = [];
      await runImagePipeline(urls(3), {
        network: network(3, 50),
        process: processIn(20),
        save: saveIn(20),
        onProgress: (s) => {
          snapshots.push(s);
          copies.push(JSON.stringify(s));
        },
      });
      snapshots.forEach((s, i) =>
        assert.equal(
          JSON.stringify(s),
          copies[i],
          `snapshot ${i} changed after onProgress got it: pass a copy of the status and of each stage`,
        )
      );
      const first = snapshots[0];
      assert.deepEqual(
        { download: first.download, total: first.total },
        { download: { queued: 2, running: 1, done: 0, failed: 0 }, total: 3 },
        `the first change is one URL taken by a downloader; your first snapshot: ${
          JSON.stringify(first)
        }`,
      );
    }),
  );

  it(
    "runImagePipeline() reports each retry, save and failure in its own snapshot",
    withClock(async () => {
      const snapshots: PipelineStatus[] = [];
      await runImagePipeline(urls(6), {
        network: network(6, 100, { [url(3)]: { fail: "always" }, [url(5)]: { fail: 1 } }),
        process: processIn(30),
        save: saveIn(30),
        onProgress: (s) => snapshots.push(s),
      });
      for (const key of ["saved", "failed", "retries"] as const) {
        const values = [...new Set(snapshots.map((s) => s[key]))];
        const last = snapshots.at(-1)![key];
        assert.deepEqual(
          values,
          Array.from({ length: last + 1 }, (_, i) => i),
          `${key} must go up one at a time, each step in a snapshot (0..${last}); your snapshots showed ${values}`,
        );
      }
      for (let i = 1; i < snapshots.length; i++) {
        for (const name of ["download", "process", "save"] as const) {
          for (const k of ["done", "failed"] as const) {
            assert.ok(
              snapshots[i][name][k] >= snapshots[i - 1][name][k],
              `snapshot ${i}: ${name}.${k} went down`,
            );
          }
        }
      }
    }),
  );

  it(
    "runImagePipeline() status never shows more running than the workers of a stage, and reaches it",
    withClock(async () => {
      const snapshots: PipelineStatus[] = [];
      await runImagePipeline(urls(12), {
        network: network(12, 200),
        ratePerSecond: 1000,
        maxDownloads: 4,
        processConcurrency: 3,
        saveConcurrency: 2,
        process: processIn(300),
        save: saveIn(400),
        onProgress: (s) => snapshots.push(s),
      });
      const most = (name: "download" | "process" | "save") =>
        Math.max(...snapshots.map((s) => s[name].running));
      assert.deepEqual(
        [most("download"), most("process"), most("save")],
        [4, 3, 2],
        `the most running per stage (download, process, save) must be the worker counts 4, 3, 2; yours: ${
          most("download")
        }, ${most("process")}, ${most("save")}`,
      );
      snapshots.forEach((s, i) => assertAddsUp(s, `snapshot ${i}`));
    }),
  );

  it(
    "runImagePipeline() counts a backoff as a running download and a held image as queued for processing",
    withClock(async () => {
      const snapshots: PipelineStatus[] = [];
      const net = network(10, 10, { [url(1)]: { fail: 1 } });
      await runImagePipeline(urls(10), {
        network: net,
        ratePerSecond: 1000,
        maxDownloads: 2,
        processConcurrency: 1,
        queueSize: 1,
        baseDelayMs: 100,
        process: processIn(1000),
        save: saveIn(10),
        onProgress: (s) => snapshots.push(s),
      });
      const retried = snapshots.find((s) => s.retries === 1)!;
      assert.equal(
        retried.download.running,
        2,
        `during url 1's backoff it still counts as a running download (with the other downloader); your status: ${
          show(retried.download)
        }`,
      );
      const last = snapshots.filter((s) => s.process.done === 0).at(-1)!;
      assert.deepEqual(
        {
          download: last.download.running,
          queued: last.process.queued,
          processing: last.process.running,
        },
        { download: 0, queued: 3, processing: 1 },
        `while the first image is processed, the downloaders hold 2 images they cannot queue yet: download.running 0, process.queued 3 (1 in the queue, 2 held), process.running 1; yours: ${
          show(last.download)
        } / ${show(last.process)}`,
      );
      assertAddsUp(last, "while the queue is full");
    }),
  );

  it(
    "runImagePipeline() never counts an image cut off by the abort as failed",
    withClock(async () => {
      const snapshots: PipelineStatus[] = [];
      const controller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => controller.abort(reason), 150);
      await rejectsWith(
        runImagePipeline(urls(6), {
          network: network(6, 100),
          signal: controller.signal,
          process: processIn(100),
          save: saveIn(100),
          onProgress: (s) => snapshots.push(s),
        }),
        { is: reason },
        "runImagePipeline() aborted at t=150",
      );
      const failed = Math.max(...snapshots.map((s) => s.failed));
      assert.equal(
        failed,
        0,
        `an abort is not an image's failure: no snapshot may count a failed job; yours counted ${failed}`,
      );
    }),
  );

  it(
    "runImagePipeline() computes rate as saved images per second so far",
    withClock(async (clock) => {
      const rates: [number, number, number][] = [];
      const report = await runImagePipeline(urls(4), {
        network: network(4, 100),
        maxDownloads: 4,
        ratePerSecond: 1000,
        process: processIn(100),
        save: saveIn(50),
        processConcurrency: 4,
        saveConcurrency: 4,
        onProgress: (s) => rates.push([s.rate, s.saved, clock.now()]),
      });
      const seconds = clock.now() / 1000;
      assert.ok(
        Math.abs(report.status.rate - 4 / seconds) < 1e-9,
        `4 images saved in ${seconds} s is a rate of ${
          4 / seconds
        }/s; yours says ${report.status.rate}`,
      );
      for (const [rate, saved, at] of rates) {
        const expected = at > 0 ? saved / (at / 1000) : 0;
        assert.ok(
          Math.abs(rate - expected) < 1e-9,
          `at t=${at} with ${saved} saved the rate is ${expected}/s; your snapshot says ${rate}`,
        );
      }
    }),
  );

  it(
    "runImagePipeline() ends with nothing queued or running and every job counted once",
    withClock(async () => {
      const report = await runImagePipeline(urls(7), {
        network: network(7, 40, { [url(2)]: { status: 404 }, [url(6)]: { fail: "always" } }),
        process: async (image) => {
          if (image.url === url(3)) throw new Error("corrupt");
          return image.url;
        },
        save: async (u) => {
          if (u === url(5)) throw new Error("disk full");
        },
      });
      const s = report.status;
      assertAddsUp(s, "the final status");
      for (const name of ["download", "process", "save"] as const) {
        assert.deepEqual(
          [s[name].queued, s[name].running],
          [0, 0],
          `at the end nothing is queued or running in ${name}; yours: ${show(s[name])}`,
        );
      }
      assert.deepEqual(
        [s.download.failed, s.process.failed, s.save.failed, s.saved],
        [2, 1, 1, 3],
        `failed per stage (download, process, save) and saved; yours: ${s.download.failed}, ${s.process.failed}, ${s.save.failed}, ${s.saved}`,
      );
      assert.equal(s.saved + s.failed, s.total, "every job ends in exactly one of saved or failed");
      assert.equal(
        report.results.filter((r) => r.status === "saved").length,
        s.saved,
        "the results agree with the status",
      );
    }),
  );

  it(
    "runImagePipeline() reports an image taken from each queue, and each stage done, in its own snapshot",
    withClock(async () => {
      const snapshots: PipelineStatus[] = [];
      await runImagePipeline([url(1)], {
        network: network(1, 10),
        process: processIn(100),
        save: saveIn(100),
        onProgress: (s) => snapshots.push(s),
      });
      const seen = (what: string, test: (s: PipelineStatus) => boolean) =>
        assert.ok(
          snapshots.some(test),
          `no snapshot shows the image ${what}: onProgress must get a snapshot after every change`,
        );
      seen("taken by a process worker (process.running 1)", (s) => s.process.running === 1);
      seen(
        "processed and queued for saving (process.done 1, save.queued 1)",
        (s) => s.process.done === 1 && s.save.queued === 1,
      );
      seen("taken by a save worker (save.running 1)", (s) => s.save.running === 1);
    }),
  );

  it(
    "runImagePipeline() never counts a save cut off by the abort as failed",
    withClock(async () => {
      const snapshots: PipelineStatus[] = [];
      const controller = new AbortController();
      const reason = new Error("shutdown");
      setTimeout(() => controller.abort(reason), 300);
      await rejectsWith(
        runImagePipeline(urls(2), {
          network: network(2, 10),
          process: processIn(10),
          save: saveIn(1000), // both saves are running at t=300
          onProgress: (s) => snapshots.push(s),
          signal: controller.signal,
        }),
        { is: reason },
        "runImagePipeline() aborted at t=300 during the saves",
      );
      const failed = snapshots.filter((s) => s.failed > 0 || s.save.failed > 0);
      assert.equal(
        failed.length,
        0,
        `a save that rejects with the abort reason is cut off, not failed; yours counted a failure in ${failed.length} snapshot(s)`,
      );
    }),
  );
});
