// deno-lint-ignore-file require-await -- tasks and callbacks are async functions that finish at once
/**
 * Visible tests for 30_floating_promises. Run them with `bun test exercises/30_floating_promises`
 * or `deno test exercises/30_floating_promises`. Time is virtual, and the clock fails a test
 * whenever a promise rejects with nobody listening (an UnhandledRejectionError): that is how most
 * floating promises show up here.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import {
  every,
  loadDashboard,
  notifyAll,
  placeOrder,
  PromiseTracker,
  withConnection,
} from "./shop.ts";
import { FakeApi, FakeAudit, FakeDatabase, FakeMailer } from "./given_fakes.ts";
import type { Order } from "./given_shop.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const order: Order = { id: "o-42", customer: "c-7", total: 99 };

describe("task 1: notifyAll()", () => {
  it(
    "notifyAll() resolves only when every e-mail has been sent",
    withClock(async (clock) => {
      const mailer = new FakeMailer({ "a@x": 10, "b@x": 30, "c@x": 20 });
      await notifyAll(mailer, ["a@x", "b@x", "c@x"], "shipped");
      assert.deepEqual(
        [...mailer.sent].sort(),
        ["a@x", "b@x", "c@x"],
        `every e-mail must have been sent when notifyAll() resolves; only [${mailer.sent}] were`,
      );
      assert.equal(
        clock.now(),
        30,
        `the sends run at the same time, so notifyAll() ends with the slowest (t=30); yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "notifyAll() rejects with a failed send's error",
    withClock(async () => {
      const bounced = new Error("mailbox full");
      const mailer = new FakeMailer({}, { "b@x": { afterMs: 5, error: bounced } });
      await rejectsWith(
        notifyAll(mailer, ["a@x", "b@x"], "shipped"),
        { is: bounced },
        "notifyAll() when the send to b@x fails",
      );
      await sleep(20); // a@x is still being sent: let it end
    }),
  );
});

describe("task 2: withConnection()", () => {
  it(
    "withConnection() releases the connection only after fn's work is done",
    withClock(async (clock) => {
      const db = new FakeDatabase(() => clock.now());
      const rows = await withConnection(db, async (connection) => {
        await sleep(20);
        return await connection.query("SELECT * FROM orders");
      });
      const [connection] = db.connections;
      assert.deepEqual(
        rows,
        [{ sql: "SELECT * FROM orders" }],
        "withConnection() resolves with fn's value",
      );
      assert.equal(
        connection!.releases,
        1,
        `the connection is released once; ${connection!.releases} times here`,
      );
      assert.equal(
        connection!.releasedAt,
        35,
        `connect (5 ms), then fn (20 ms + a 10 ms query), then release at t=35; yours released at t=${
          connection!.releasedAt
        }`,
      );
    }),
  );

  it(
    "withConnection() releases the connection when fn rejects, and rejects with fn's error",
    withClock(async (clock) => {
      const db = new FakeDatabase(() => clock.now());
      const broken = new Error("constraint violated");
      await rejectsWith(
        withConnection(db, async () => {
          await sleep(10);
          throw broken;
        }),
        { is: broken },
        "withConnection() whose fn rejects",
      );
      assert.equal(
        db.connections[0]!.releases,
        1,
        "the connection must be released once after a failure",
      );
      assert.equal(db.connections[0]!.releasedAt, 15, "and only once fn has failed (t=15)");
    }),
  );
});

describe("task 3: loadDashboard()", () => {
  it(
    "loadDashboard() starts both requests at once and returns both",
    withClock(async (clock) => {
      const api = new FakeApi(() => clock.now()); // user 30 ms, orders 20 ms
      const dashboard = await loadDashboard(api, "u1");
      assert.equal(dashboard.user.name, "Customer u1", "the dashboard holds the customer");
      assert.equal(dashboard.orders.length, 2, "the dashboard holds the customer's orders");
      assert.equal(
        clock.now(),
        30,
        `both requests run together: done at t=30; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "loadDashboard() rejects at once when the orders fail first, with no unhandled rejection",
    withClock(async (clock) => {
      const down = new Error("orders service down");
      const api = new FakeApi(() => clock.now(), {
        userMs: 100,
        ordersFailure: { afterMs: 10, error: down },
      });
      await rejectsWith(
        loadDashboard(api, "u1"),
        { is: down },
        "loadDashboard() when orders() fails at t=10",
      );
      assert.equal(
        clock.now(),
        10,
        `the load fails when the orders fail (t=10), without waiting for the customer (t=100); yours failed at t=${clock.now()}`,
      );
      await sleep(100); // the customer request ends; nothing may go unhandled
    }),
  );
});

describe("task 4: placeOrder()", () => {
  it(
    "placeOrder() resolves with the id once the order is saved",
    withClock(async (clock) => {
      const db = new FakeDatabase(() => clock.now()); // save: 10 ms
      const audit = new FakeAudit(() => clock.now());
      const id = await placeOrder(db, audit, order, () => {});
      assert.equal(id, "o-42", `placeOrder() resolves with the order's id; yours gave ${id}`);
      assert.deepEqual(db.saved, ["o-42"], "the order must be saved when placeOrder() resolves");
      assert.equal(
        clock.now(),
        10,
        `placeOrder() ends with the save (t=10); yours ended at t=${clock.now()}`,
      );
      await sleep(100);
    }),
  );

  it(
    "placeOrder() reports an audit failure to reportError and still resolves",
    withClock(async (clock) => {
      const db = new FakeDatabase(() => clock.now());
      const auditDown = new Error("audit log unavailable");
      const audit = new FakeAudit(() => clock.now(), { afterMs: 20, error: auditDown });
      const reported: unknown[] = [];
      const id = await placeOrder(db, audit, order, (error) => reported.push(error));
      assert.equal(id, "o-42", "a failing audit log must not fail the order");
      await sleep(100);
      assert.deepEqual(
        reported,
        [auditDown],
        `the audit failure must reach reportError (and not become an unhandled rejection); reportError got [${reported}]`,
      );
    }),
  );
});

describe("task 5: every()", () => {
  it(
    "every() runs the task every intervalMs until stop()",
    withClock(async (clock) => {
      const runs: number[] = [];
      const stop = every(100, async () => void runs.push(clock.now()), () => {});
      await sleep(350);
      await stop();
      await sleep(500);
      assert.deepEqual(
        runs,
        [100, 200, 300],
        `runs at t=100, 200 and 300, none after stop(); yours at [${runs}]`,
      );
    }),
  );

  it(
    "every() reports a failing run to reportError and goes on",
    withClock(async (clock) => {
      const runs: number[] = [];
      const reported: unknown[] = [];
      const flaky = new Error("cache refresh failed");
      const stop = every(100, async () => {
        runs.push(clock.now());
        if (runs.length === 1) throw flaky;
      }, (error) => reported.push(error));
      await sleep(250);
      await stop();
      assert.deepEqual(
        reported,
        [flaky],
        `the failed run's error goes to reportError; it got [${reported}]`,
      );
      assert.deepEqual(runs, [100, 200], `the runs go on after a failure; yours ran at [${runs}]`);
    }),
  );

  it(
    "every() throws a RangeError for an interval of 0",
    withClock(() => {
      throwsWith(
        () => every(0, async () => {}, () => {}),
        { name: "RangeError" },
        "every(0, task, reportError)",
      );
    }),
  );
});

describe("task 6: PromiseTracker", () => {
  it(
    "PromiseTracker reports a tracked promise that settled with nobody awaiting it",
    withClock(async () => {
      const tracker = new PromiseTracker();
      tracker.track(sleep(10), "cache warm-up");
      await sleep(20);
      assert.deepEqual(
        tracker.floating(),
        [{ label: "cache warm-up", state: "fulfilled" }],
        `nobody awaited "cache warm-up": floating() must report it; yours gave ${
          JSON.stringify(tracker.floating())
        }`,
      );
    }),
  );

  it(
    "PromiseTracker does not report a promise that was awaited",
    withClock(async () => {
      const tracker = new PromiseTracker();
      await tracker.track(sleep(10), "save");
      assert.deepEqual(
        tracker.floating(),
        [],
        `an awaited promise is not floating; yours reported ${JSON.stringify(tracker.floating())}`,
      );
    }),
  );

  it(
    "PromiseTracker reports an unobserved rejection by its label, not as an unhandled rejection",
    withClock(async () => {
      const tracker = new PromiseTracker();
      const lost = new Error("audit write failed");
      tracker.track(sleep(5).then(() => Promise.reject(lost)), "audit entry");
      await sleep(20);
      assert.deepEqual(
        tracker.floating(),
        [{ label: "audit entry", state: "rejected", reason: lost }],
        `the rejection must be reported with its label and reason; yours gave ${
          JSON.stringify(tracker.floating())
        }`,
      );
    }),
  );

  it(
    "PromiseTracker.assertNoneFloating() throws a FloatingPromiseError naming the floating promise",
    withClock(async () => {
      const tracker = new PromiseTracker();
      await tracker.track(sleep(5), "awaited one");
      tracker.track(sleep(5), "forgotten one");
      await sleep(10);
      throwsWith(
        () => tracker.assertNoneFloating(),
        { name: "FloatingPromiseError", message: "forgotten one" },
        "tracker.assertNoneFloating() with one promise nobody awaited",
      );
    }),
  );

  it(
    "PromiseTracker reports the same promise tracked twice, and never awaited, twice",
    withClock(async () => {
      const tracker = new PromiseTracker();
      const work = sleep(5);
      tracker.track(work, "first look");
      tracker.track(work, "second look");
      await sleep(10);
      assert.deepEqual(
        tracker.floating().map((f) => f.label),
        ["first look", "second look"],
        `each track() is its own entry, even for the same promise; yours: ${
          JSON.stringify(tracker.floating())
        }`,
      );
    }),
  );

  it(
    "PromiseTracker.pending() lists the tracked promises that have not settled yet",
    withClock(async () => {
      const tracker = new PromiseTracker();
      const fast = tracker.track(sleep(10), "fast");
      const slow = tracker.track(sleep(30), "slow");
      assert.deepEqual(
        tracker.pending(),
        ["fast", "slow"],
        `both are pending at first; yours: [${tracker.pending()}]`,
      );
      await fast;
      assert.deepEqual(
        tracker.pending(),
        ["slow"],
        `"fast" settled at t=10; pending: [${tracker.pending()}]`,
      );
      await slow;
    }),
  );
});
