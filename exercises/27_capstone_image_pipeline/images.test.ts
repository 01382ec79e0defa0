// deno-lint-ignore-file require-await -- async callbacks stand for coroutines that fail or finish at once
/**
 * Visible tests for 27_capstone_image_pipeline. Run them with
 * `bun test exercises/27_capstone_image_pipeline` or `deno test exercises/27_capstone_image_pipeline`.
 * Time is virtual: the SimulatedNetwork answers after its latency in virtual ms, and
 * network.requests records when each request started and how it ended.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, SimulatedNetwork, throwsWith, withClock } from "../../lib/mod.ts";
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

const show = (c: StageCounts) =>
  `{ queued ${c.queued}, running ${c.running}, done ${c.done}, failed ${c.failed} }`;

/** Fails unless every stage of `s` adds up (see the README). */
function assertAddsUp(s: PipelineStatus, where: string) {
  const sum = (c: StageCounts) => c.queued + c.running + c.done + c.failed;
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

describe("task 1: createRateLimiter()", () => {
  it(
    "createRateLimiter() spaces starts 1000 / perSecond ms apart",
    withClock(async (clock) => {
      const wait = createRateLimiter(4); // every 250 ms
      const starts: number[] = [];
      await Promise.all([1, 2, 3, 4].map(async () => {
        await wait();
        starts.push(clock.now());
      }));
      assert.deepEqual(
        starts,
        [0, 250, 500, 750],
        `the first start is immediate, then one every 250 ms; yours: ${starts}`,
      );
    }),
  );

  it(
    "createRateLimiter() throws RangeError for a rate that is not > 0",
    withClock(() => {
      throwsWith(() => createRateLimiter(0), { name: "RangeError" }, "createRateLimiter(0)");
      throwsWith(() => createRateLimiter(-5), { name: "RangeError" }, "createRateLimiter(-5)");
      throwsWith(
        () => createRateLimiter(Number.NaN),
        { name: "RangeError" },
        "createRateLimiter(NaN)",
      );
    }),
  );

  it(
    "createRateLimiter() wait with an already aborted signal rejects at once, also when a start is free",
    withClock(async (clock) => {
      const wait = createRateLimiter(5);
      const reason = new Error("gone before it started");
      await rejectsWith(
        wait(AbortSignal.abort(reason)),
        { is: reason },
        "wait(signal) with an aborted signal, on a limiter nobody has used yet",
      );
      assert.equal(clock.now(), 0, `it must reject at once; yours at t=${clock.now()}`);
    }),
  );
});

describe("task 2: retry()", () => {
  it(
    "retry() waits 100 then 200 ms between attempts and rethrows the last error",
    withClock(async (clock) => {
      const attemptsAt: number[] = [];
      await rejectsWith(
        retry(async (attempt) => {
          attemptsAt.push(clock.now());
          throw new Error(`attempt ${attempt} failed`);
        }, { attempts: 3, baseDelayMs: 100 }),
        { message: "attempt 3 failed" },
        "retry() of an always-failing fn",
      );
      assert.deepEqual(
        attemptsAt,
        [0, 100, 300],
        `attempts at t=0, then after 100 ms, then after 200 ms more; yours at ${attemptsAt}`,
      );
      assert.equal(
        clock.now(),
        300,
        `no wait after the last attempt: t=300; yours t=${clock.now()}`,
      );
    }),
  );

  it(
    "retry() rethrows a non-retriable error at once",
    withClock(async (clock) => {
      let calls = 0;
      await rejectsWith(
        retry(async () => {
          calls++;
          throw new TypeError("bad input");
        }, {
          attempts: 5,
          baseDelayMs: 100,
          isRetriable: (e) => (e as Error).name !== "TypeError",
        }),
        { name: "TypeError" },
        "retry() of a non-retriable error",
      );
      assert.equal(
        calls,
        1,
        `a non-retriable error must not be retried; yours called fn ${calls} times`,
      );
      assert.equal(clock.now(), 0, "a non-retriable error is rethrown at once, with no wait");
    }),
  );

  it(
    "retry() rejects with the abort reason when fn fails with its own error after the abort",
    withClock(async () => {
      const controller = new AbortController();
      const reason = new Error("shutting down");
      let calls = 0;
      await rejectsWith(
        retry(async () => {
          calls++;
          controller.abort(reason); // the abort comes while the attempt runs...
          throw new Error("connection reset"); // ...which then fails with an error of its own
        }, { attempts: 3, baseDelayMs: 100, signal: controller.signal }),
        { is: reason },
        "retry() whose first attempt fails after the signal aborted",
      );
      assert.equal(calls, 1, `an aborted retry() starts no further attempt; yours made ${calls}`);
    }),
  );
});

describe("task 3: runImagePipeline() stages", () => {
  it(
    "runImagePipeline() saves every image and returns one result per URL in input order",
    withClock(async () => {
      const report = await runImagePipeline(urls(5), {
        network: network(5),
        process: processIn(50),
        save: saveIn(50),
      });
      assert.deepEqual(report.results.map((r) => r.status), [
        "saved",
        "saved",
        "saved",
        "saved",
        "saved",
      ], 'every image of a healthy network must end "saved"');
      assert.deepEqual(report.results.map((r) => r.url), urls(5), "results come in input order");
      assert.deepEqual(
        report.results.map((r) => r.attempts),
        [1, 1, 1, 1, 1],
        "each image took one download attempt",
      );
    }),
  );

  it(
    "runImagePipeline() never runs more than 3 downloads at once",
    withClock(async () => {
      const net = network(10, 300);
      await runImagePipeline(urls(10), {
        network: net,
        ratePerSecond: 1000,
        process: processIn(10),
        save: saveIn(10),
      });
      net.probe.assertMaxAtMost(3);
      net.probe.assertMaxReached(3);
    }),
  );

  it(
    "runImagePipeline() fails one broken image and saves the others",
    withClock(async () => {
      const net = network(4, 100, { [url(2)]: { fail: "always" } });
      const report = await runImagePipeline(urls(4), {
        network: net,
        process: processIn(10),
        save: saveIn(10),
      });
      assert.deepEqual(
        report.results.map((r) => r.status),
        ["saved", "failed", "saved", "saved"],
        "only image 2 (whose every request fails) may fail; the others must be saved",
      );
      const broken = report.results[1];
      assert.equal(
        broken.attempts,
        3,
        `the broken image must be tried 3 times; yours tried ${broken.attempts}`,
      );
      assert.equal(
        broken.stage,
        "download",
        `the failed result must say at which stage it failed; yours says ${broken.stage}`,
      );
      assert.equal(
        (broken.error as Error)?.name,
        "NetworkError",
        "the failed result's error must be the last NetworkError",
      );
    }),
  );

  it(
    "runImagePipeline() overlaps its stages",
    withClock(async (clock) => {
      // One worker per stage, 100 ms each, 3 images: image 1 is saved while image 2 is processed
      // and image 3 downloaded, so the run ends at t=500 (stage after stage: t=900).
      await runImagePipeline(urls(3), {
        network: network(3, 100),
        maxDownloads: 1,
        ratePerSecond: 1000,
        processConcurrency: 1,
        saveConcurrency: 1,
        process: processIn(100),
        save: saveIn(100),
      });
      assert.equal(
        clock.now(),
        500,
        `the stages must overlap: expected the run to end at t=500 ms, yours ended at t=${clock.now()} ms`,
      );
    }),
  );

  it(
    "runImagePipeline() holds the downloaders back while the process queue is full",
    withClock(async () => {
      // queueSize 1, one slow processor (1000 ms), two downloaders: image 1 is being processed,
      // image 2 waits in the queue, images 3 and 4 wait in the downloaders' hands. Nothing more
      // is fetched until the processor takes the next image.
      const net = network(10, 10);
      let requestsAt500 = -1;
      setTimeout(() => (requestsAt500 = net.requests.length), 500);
      const report = await runImagePipeline(urls(10), {
        network: net,
        maxDownloads: 2,
        ratePerSecond: 1000,
        processConcurrency: 1,
        saveConcurrency: 1,
        queueSize: 1,
        process: processIn(1000),
        save: saveIn(10),
      });
      assert.equal(
        requestsAt500,
        4,
        `at t=500 only 4 images may have been requested (1 processing, 1 queued, 2 held by the downloaders); yours requested ${requestsAt500}`,
      );
      assert.equal(
        report.status.saved,
        10,
        `every image is saved in the end; yours saved ${report.status.saved}`,
      );
    }),
  );

  it(
    "runImagePipeline() drains cleanly and rejects with the reason when aborted",
    withClock(async (clock) => {
      const net = network(10, 100);
      const controller = new AbortController();
      const reason = new Error("shutting down");
      const saves: number[] = [];
      setTimeout(() => controller.abort(reason), 250);
      await rejectsWith(
        runImagePipeline(urls(10), {
          network: net,
          signal: controller.signal,
          process: processIn(100),
          save: async (p, signal) => {
            await saveIn(100)(p, signal);
            saves.push(clock.now());
          },
        }),
        { is: reason },
        "runImagePipeline() aborted at t=250",
      );
      assert.equal(
        clock.now(),
        250,
        `the run should stop at the abort (t=250 ms); yours stopped at t=${clock.now()} ms`,
      );
      assert.equal(net.inFlight, 0, "no request may still run after the run rejected");
      await sleep(1000);
      assert.ok(net.requests.every((r) => r.start <= 250), "no request may start after the abort");
      assert.ok(saves.every((t) => t <= 250), "nothing may be saved after the abort");
    }),
  );

  it(
    "runImagePipeline() accepts ratePerSecond Infinity: no spacing between requests",
    withClock(async () => {
      const net = network(3, 10);
      const report = await runImagePipeline(urls(3), {
        network: net,
        ratePerSecond: Infinity,
        process: async (image) => image.url,
        save: async () => {},
      });
      const at = net.requests.map((r) => r.start);
      assert.deepEqual(
        at,
        [0, 0, 0],
        `ratePerSecond must be > 0, and Infinity is: the 3 download workers all start at t=0; yours started at ${at}`,
      );
      assert.equal(report.status.saved, 3, "every image is saved");
    }),
  );

  it(
    "runImagePipeline() accepts baseDelayMs 0 and rejects an infinite or NaN one",
    withClock(async () => {
      const net = network(1, 10, { [url(1)]: { fail: 1 } });
      const report = await runImagePipeline([url(1)], {
        network: net,
        baseDelayMs: 0,
        process: async (image) => image.url,
        save: async () => {},
      });
      assert.deepEqual(
        [report.results[0].status, report.results[0].attempts],
        ["saved", 2],
        "baseDelayMs 0 is valid: retry at once, then save",
      );
      for (const bad of [Infinity, NaN]) {
        const unused = network(1);
        await rejectsWith(
          runImagePipeline([url(1)], {
            network: unused,
            baseDelayMs: bad,
            process: async (image) => image.url,
            save: async () => {},
          }),
          { name: "RangeError" },
          `runImagePipeline() with baseDelayMs ${bad}`,
        );
        assert.equal(unused.requests.length, 0, `baseDelayMs ${bad}: no request may be made`);
      }
    }),
  );
});

describe("task 4: the live status", () => {
  it(
    "runImagePipeline() reports a final status that adds up, stage by stage",
    withClock(async () => {
      const net = network(5, 50, { [url(2)]: { status: 404 } });
      const report = await runImagePipeline(urls(5), {
        network: net,
        process: async (image) => {
          if (image.url === url(4)) throw new Error("corrupt image");
          return image.url;
        },
        save: saveIn(10),
      });
      const s = report.status;
      assertAddsUp(s, "the final status");
      assert.deepEqual(
        { download: s.download, process: s.process, save: s.save },
        {
          download: { queued: 0, running: 0, done: 4, failed: 1 },
          process: { queued: 0, running: 0, done: 3, failed: 1 },
          save: { queued: 0, running: 0, done: 3, failed: 0 },
        },
        "image 2 fails at download (404) and image 4 at process: the counts of each stage at the end",
      );
      assert.deepEqual({ total: s.total, saved: s.saved, failed: s.failed }, {
        total: 5,
        saved: 3,
        failed: 2,
      }, "total, saved and failed at the end");
    }),
  );

  it(
    "runImagePipeline() passes onProgress snapshots that add up at every moment",
    withClock(async () => {
      const snapshots: PipelineStatus[] = [];
      const net = network(6, 100, { [url(3)]: { fail: "always" }, [url(5)]: { fail: 1 } });
      const report = await runImagePipeline(urls(6), {
        network: net,
        process: processIn(30),
        save: saveIn(30),
        onProgress: (s) => snapshots.push(s),
      });
      assert.ok(
        snapshots.length >= 20,
        `onProgress must be called after every change; it was called ${snapshots.length} times`,
      );
      snapshots.forEach((s, i) => assertAddsUp(s, `snapshot ${i}`));
      assert.deepEqual(snapshots.at(-1), report.status, "the last snapshot is the final status");
      assert.equal(
        report.status.retries,
        3,
        `url 3 retried twice, url 5 once; yours counted ${report.status.retries}`,
      );
    }),
  );

  it(
    "runImagePipeline() shows images queued between stages while a stage is busy",
    withClock(async () => {
      const snapshots: PipelineStatus[] = [];
      await runImagePipeline(urls(4), {
        network: network(4, 10),
        ratePerSecond: 1000,
        processConcurrency: 1,
        process: processIn(500),
        save: saveIn(10),
        onProgress: (s) => snapshots.push(s),
      });
      const most = Math.max(...snapshots.map((s) => s.process.queued));
      assert.equal(
        most,
        3,
        `4 images downloaded in 20 ms, one processor of 500 ms: 3 images wait for processing at the peak; your status showed at most ${most}`,
      );
      assert.ok(
        snapshots.every((s) => s.process.running <= 1),
        "process.running never exceeds the one process worker",
      );
    }),
  );
});
