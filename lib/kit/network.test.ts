import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DeadlockError, NetworkError, runWithClock, SimulatedNetwork, withClock } from "../mod.ts";

describe("SimulatedNetwork", () => {
  it(
    "SimulatedNetwork.fetch() answers after the page's latency in virtual time",
    withClock(async (clock) => {
      const net = new SimulatedNetwork({
        "https://a.test/": { latencyMs: 300, links: ["https://b.test/"] },
      });
      const res = await net.fetch("https://a.test/");
      assert.equal(clock.now(), 300);
      assert.deepEqual([res.status, res.links], [200, ["https://b.test/"]]);
    }),
  );

  it(
    "SimulatedNetwork.fetch() answers 404 for unknown URLs",
    withClock(async () => {
      const res = await new SimulatedNetwork().fetch("https://nowhere.test/");
      assert.equal(res.status, 404);
    }),
  );

  it(
    "SimulatedNetwork.fetch() fails the first n attempts when fail is n",
    withClock(async () => {
      const net = new SimulatedNetwork({ "https://flaky.test/": { fail: 2 } });
      await assert.rejects(net.fetch("https://flaky.test/"), NetworkError);
      await assert.rejects(net.fetch("https://flaky.test/"), {
        name: "NetworkError",
        message: /attempt 2/,
      });
      assert.equal((await net.fetch("https://flaky.test/")).status, 200);
      assert.deepEqual(net.requests.map((r) => r.outcome), ["error", "error", "ok"]);
    }),
  );

  it(
    "SimulatedNetwork.fetch() rejects with the abort reason and stops its timer",
    withClock(async (clock) => {
      const net = new SimulatedNetwork({ "https://slow.test/": { latencyMs: 5000 } });
      const controller = new AbortController();
      const reason = new Error("stop");
      setTimeout(() => controller.abort(reason), 100);
      await assert.rejects(
        net.fetch("https://slow.test/", { signal: controller.signal }),
        (e) => e === reason,
      );
      assert.equal(clock.now(), 100);
      assert.equal(net.requests[0].outcome, "aborted");
      assert.deepEqual(clock.pending(), [], "the aborted request leaves no timer behind");
    }),
  );

  it(
    "SimulatedNetwork.fetch() with an aborted signal rejects at once and makes no request",
    withClock(async () => {
      const net = new SimulatedNetwork();
      await assert.rejects(net.fetch("https://a.test/", { signal: AbortSignal.abort() }), {
        name: "AbortError",
      });
      assert.equal(net.requests.length, 0);
    }),
  );

  it(
    "SimulatedNetwork counts concurrent requests",
    withClock(async () => {
      const net = SimulatedNetwork.site("https://s.test/", 1, 4);
      await Promise.all(net.urls().map((u) => net.fetch(u)));
      assert.equal(net.maxConcurrent, 5);
      assert.equal(net.countFor("https://s.test/"), 1);
    }),
  );

  it("SimulatedNetwork.site() builds depth levels of fanout links plus a link home", () => {
    const net = SimulatedNetwork.site("https://s.test/", 2, 3);
    assert.equal(net.urls().length, 13);
  });

  it("SimulatedNetwork rejects a negative latency with a RangeError", () => {
    assert.throws(() => new SimulatedNetwork({ "https://a.test/": { latencyMs: -1 } }), RangeError);
  });

  it("SimulatedNetwork names its requests in flight in a deadlock message", async () => {
    const error = await runWithClock(async () => {
      const net = new SimulatedNetwork({ "https://a.test/": { latencyMs: 10 } });
      await net.fetch("https://a.test/");
      net.probe.enter("https://stuck.test/"); // a request that never ends
      await new Promise(() => {});
    }).catch((e) => e);
    assert.ok(error instanceof DeadlockError, String(error));
    assert.match(error.message, /1 fetches in flight \(https:\/\/stuck\.test\/\)/);
  });
});
