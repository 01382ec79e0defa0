// deno-lint-ignore-file require-await -- tasks and callbacks are async functions that finish at once
/**
 * Hidden tests for 30_floating_promises: run by the grader (`deno task grade 30`), not by
 * `bun test` or `deno test`. They pin every behaviour the README promises, in virtual time; the
 * clock fails any test in which a promise rejects with nobody listening.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isNotImplemented, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import {
  every,
  loadDashboard,
  notifyAll,
  placeOrder,
  PromiseTracker,
  withConnection,
} from "./shop.ts";
import { FakeApi, FakeAudit, FakeDatabase, FakeMailer } from "./given_fakes.ts";
import type { Connection, Order } from "./given_shop.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const order: Order = { id: "o-42", customer: "c-7", total: 99 };

/** Calls `start()` and fails in the learner's terms if it throws instead of returning a promise. */
function callAsync<T>(start: () => Promise<T>, what: string): Promise<T> {
  try {
    return start();
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    assert.fail(
      `${what} must return a rejected promise, not throw synchronously; it threw ${String(error)}`,
    );
  }
}

describe("task 1: notifyAll()", () => {
  it(
    "notifyAll() starts every send at once",
    withClock(async (clock) => {
      const mailer = new FakeMailer({ "a@x": 50, "b@x": 50, "c@x": 50 });
      const done = notifyAll(mailer, ["a@x", "b@x", "c@x"], "shipped");
      await sleep(0);
      assert.deepEqual(
        mailer.started,
        ["a@x", "b@x", "c@x"],
        `all sends start at t=0, in order; started: [${mailer.started}]`,
      );
      await done;
      assert.equal(
        clock.now(),
        50,
        `three 50 ms sends side by side take 50 ms; yours took ${clock.now()}`,
      );
    }),
  );

  it(
    "notifyAll() rejects at the first failure without waiting, and the other sends go on",
    withClock(async (clock) => {
      const first = new Error("b bounced");
      const second = new Error("c bounced too");
      const mailer = new FakeMailer({ "a@x": 100 }, {
        "b@x": { afterMs: 10, error: first },
        "c@x": { afterMs: 20, error: second },
      });
      await rejectsWith(
        notifyAll(mailer, ["a@x", "b@x", "c@x"], "shipped"),
        { is: first },
        "notifyAll() with two failing sends",
      );
      assert.equal(
        clock.now(),
        10,
        `notifyAll() rejects at the first failure (t=10); yours at t=${clock.now()}`,
      );
      await sleep(200); // the later failure must not become an unhandled rejection
      assert.deepEqual(
        mailer.sent,
        ["a@x"],
        "the send that was going on is not cancelled: a@x is sent at t=100",
      );
    }),
  );

  it(
    "notifyAll() with no recipients resolves at once",
    withClock(async (clock) => {
      const mailer = new FakeMailer();
      const result = await notifyAll(mailer, [], "nobody");
      assert.equal(result, undefined, "notifyAll() resolves with undefined");
      assert.equal(
        clock.now(),
        0,
        `nothing to send, nothing to wait for; yours took ${clock.now()} ms`,
      );
      assert.deepEqual(mailer.started, [], "no send may start");
    }),
  );

  it(
    "notifyAll() sends twice to an address given twice",
    withClock(async () => {
      const mailer = new FakeMailer();
      await notifyAll(mailer, ["a@x", "a@x"], "twice");
      assert.deepEqual(
        mailer.sent,
        ["a@x", "a@x"],
        `one send per recipient entry; sent: [${mailer.sent}]`,
      );
    }),
  );

  it(
    "notifyAll() rejects, never throws, when send() throws synchronously",
    withClock(async () => {
      const invalid = new TypeError("invalid address");
      const mailer = new FakeMailer({}, { "bad address": { sync: true, error: invalid } });
      await rejectsWith(
        callAsync(
          () => notifyAll(mailer, ["a@x", "bad address"], "hi"),
          "notifyAll() whose send() throws",
        ),
        { is: invalid },
        "notifyAll() when send() throws for one address",
      );
      await sleep(50);
    }),
  );

  it(
    "notifyAll() still starts the other sends when one send() throws, and leaves none unhandled",
    withClock(async (clock) => {
      const invalid = new TypeError("invalid address");
      const bounced = new Error("a bounced");
      const mailer = new FakeMailer({ "c@x": 20 }, {
        "a@x": { afterMs: 10, error: bounced },
        "bad address": { sync: true, error: invalid },
      });
      await rejectsWith(
        callAsync(
          () => notifyAll(mailer, ["a@x", "bad address", "c@x"], "hi"),
          "notifyAll() whose send() throws",
        ),
        { is: invalid },
        "notifyAll() when send() throws for the second of three addresses (the first failure in time)",
      );
      assert.equal(
        clock.now(),
        0,
        `the throw is the first failure (t=0); yours at t=${clock.now()}`,
      );
      assert.deepEqual(
        mailer.started,
        ["a@x", "c@x"],
        `a throwing send() is one failure: the sends before and after it still start; started: [${mailer.started}]`,
      );
      // a@x rejects at t=10: with no handler on it that is an unhandled rejection
      await sleep(50);
      assert.deepEqual(mailer.sent, ["c@x"], `c@x is still sent at t=20; sent: [${mailer.sent}]`);
    }),
  );
});

describe("task 2: withConnection()", () => {
  it(
    "withConnection() resolves with fn's value and releases once",
    withClock(async (clock) => {
      const db = new FakeDatabase(() => clock.now());
      const value = await withConnection(db, async () => 42);
      assert.equal(
        value,
        42,
        `withConnection() resolves with what fn resolved with; yours gave ${value}`,
      );
      assert.equal(db.connections.length, 1, "one connection is taken");
      assert.equal(
        db.connections[0]!.releases,
        1,
        `and released once; ${db.connections[0]!.releases} times here`,
      );
    }),
  );

  it(
    "withConnection() lets fn use the connection for as long as it runs",
    withClock(async (clock) => {
      const db = new FakeDatabase(() => clock.now());
      const seen: string[] = [];
      await withConnection(db, async (connection: Connection) => {
        for (const sql of ["BEGIN", "UPDATE stock", "COMMIT"]) {
          await connection.query(sql);
          seen.push(sql);
          await sleep(5);
        }
      });
      assert.deepEqual(
        seen,
        ["BEGIN", "UPDATE stock", "COMMIT"],
        "every query of fn must run on a connection that is not yet released",
      );
      assert.equal(
        db.connections[0]!.releasedAt,
        50,
        `released when fn is done (t=50); yours at t=${db.connections[0]!.releasedAt}`,
      );
    }),
  );

  it(
    "withConnection() releases the connection when fn throws synchronously",
    withClock(async (clock) => {
      const db = new FakeDatabase(() => clock.now());
      const bug = new Error("fn threw before returning a promise");
      await rejectsWith(
        callAsync(
          () =>
            withConnection(db, () => {
              throw bug;
            }),
          "withConnection() whose fn throws",
        ),
        { is: bug },
        "withConnection() whose fn throws synchronously",
      );
      assert.equal(
        db.connections[0]!.releases,
        1,
        "the connection must be released once when fn throws",
      );
    }),
  );

  it(
    "withConnection() rejects with connect()'s error and does not call fn",
    withClock(async (clock) => {
      const full = new Error("pool exhausted");
      const db = new FakeDatabase(() => clock.now(), {
        connectFailure: { afterMs: 5, error: full },
      });
      let called = false;
      await rejectsWith(
        withConnection(db, async () => {
          called = true;
        }),
        { is: full },
        "withConnection() when connect() fails",
      );
      assert.equal(called, false, "fn must not be called without a connection");
    }),
  );

  it(
    "withConnection() does not release a connection before fn's rejection",
    withClock(async (clock) => {
      const db = new FakeDatabase(() => clock.now());
      const late = new Error("late failure");
      const run = withConnection(db, async (connection) => {
        await connection.query("SELECT 1");
        await sleep(30);
        throw late;
      });
      await sleep(20);
      assert.equal(
        db.connections[0]!.releases,
        0,
        "fn is still running at t=20: the connection must not be released yet",
      );
      await rejectsWith(run, { is: late }, "withConnection() whose fn fails at t=45");
      assert.equal(
        db.connections[0]!.releasedAt,
        45,
        `released at t=45, when fn failed; yours at t=${db.connections[0]!.releasedAt}`,
      );
    }),
  );
});

describe("task 3: loadDashboard()", () => {
  it(
    "loadDashboard() rejects at once when the customer request fails first",
    withClock(async (clock) => {
      const gone = new Error("no such customer");
      const api = new FakeApi(() => clock.now(), {
        userFailure: { afterMs: 5, error: gone },
        ordersMs: 80,
      });
      await rejectsWith(
        loadDashboard(api, "u9"),
        { is: gone },
        "loadDashboard() when user() fails at t=5",
      );
      assert.equal(clock.now(), 5, `the load fails at t=5; yours at t=${clock.now()}`);
      await sleep(100);
    }),
  );

  it(
    "loadDashboard() with both requests failing rejects with the first failure and leaves the second handled",
    withClock(async (clock) => {
      const ordersDown = new Error("orders down");
      const userDown = new Error("users down");
      const api = new FakeApi(() => clock.now(), {
        userFailure: { afterMs: 40, error: userDown },
        ordersFailure: { afterMs: 10, error: ordersDown },
      });
      await rejectsWith(
        loadDashboard(api, "u1"),
        { is: ordersDown },
        "loadDashboard() when both fail",
      );
      await sleep(100); // the customer's failure at t=40 must not be unhandled
    }),
  );

  it(
    "loadDashboard() asks for the given customer, both requests at t=0",
    withClock(async (clock) => {
      const api = new FakeApi(() => clock.now());
      const dashboard = await loadDashboard(api, "u7");
      assert.deepEqual(
        api.calls.map((c) => `${c.call}@${c.at}`).sort(),
        ["orders:u7@0", "user:u7@0"],
        `both requests for u7 start at t=0; yours: ${JSON.stringify(api.calls)}`,
      );
      assert.deepEqual(
        Object.keys(dashboard).sort(),
        ["orders", "user"],
        "the dashboard has user and orders",
      );
      assert.equal(dashboard.user.id, "u7", "the user is the one asked for");
    }),
  );

  it(
    "loadDashboard() rejects late when the slow request fails last",
    withClock(async (clock) => {
      const down = new Error("orders down");
      const api = new FakeApi(() => clock.now(), {
        userMs: 10,
        ordersFailure: { afterMs: 60, error: down },
      });
      await rejectsWith(
        loadDashboard(api, "u1"),
        { is: down },
        "loadDashboard() when orders() fails at t=60",
      );
      assert.equal(
        clock.now(),
        60,
        `the load fails when the orders fail (t=60); yours at t=${clock.now()}`,
      );
    }),
  );
});

describe("task 4: placeOrder()", () => {
  it(
    "placeOrder() does not wait for the audit entry",
    withClock(async (clock) => {
      const db = new FakeDatabase(() => clock.now());
      const audit = new FakeAudit(() => clock.now(), undefined, 500);
      await placeOrder(db, audit, order, () => {});
      assert.equal(
        clock.now(),
        10,
        `placeOrder() resolves after the save (t=10), not after the 500 ms audit; yours at t=${clock.now()}`,
      );
      await sleep(600);
      assert.deepEqual(
        audit.written,
        ["order placed:o-42"],
        "the audit entry is written in the background",
      );
    }),
  );

  it(
    "placeOrder() writes the audit entry only after the order is saved",
    withClock(async (clock) => {
      const db = new FakeDatabase(() => clock.now(), { saveMs: 30 });
      const audit = new FakeAudit(() => clock.now());
      await placeOrder(db, audit, order, () => {});
      await sleep(100);
      assert.deepEqual(
        audit.started,
        [{ entry: "order placed:o-42", at: 30 }],
        `one entry "order placed" for o-42, started once the save is done (t=30); yours: ${
          JSON.stringify(audit.started)
        }`,
      );
    }),
  );

  it(
    "placeOrder() rejects with the save's error and writes no audit entry",
    withClock(async (clock) => {
      const full = new Error("disk full");
      const db = new FakeDatabase(() => clock.now(), { saveFailure: { afterMs: 10, error: full } });
      const audit = new FakeAudit(() => clock.now());
      const reported: unknown[] = [];
      await rejectsWith(
        placeOrder(db, audit, order, (e) => reported.push(e)),
        { is: full },
        "placeOrder() when save() fails",
      );
      await sleep(100);
      assert.deepEqual(
        audit.started,
        [],
        "an order that was not saved must not be audited as placed",
      );
      assert.deepEqual(reported, [], "a failed save goes to the caller, not to reportError");
    }),
  );

  it(
    "placeOrder() reports an audit log that throws synchronously, and still resolves",
    withClock(async (clock) => {
      const db = new FakeDatabase(() => clock.now());
      const broken = new Error("audit client not configured");
      const audit = new FakeAudit(() => clock.now(), { sync: true, error: broken });
      const reported: unknown[] = [];
      const id = await callAsync(
        () => placeOrder(db, audit, order, (e) => reported.push(e)),
        "placeOrder() whose audit.log() throws",
      );
      assert.equal(id, "o-42", "the order is placed even though the audit log threw");
      await sleep(10);
      assert.deepEqual(
        reported,
        [broken],
        `the throw must reach reportError; it got [${reported}]`,
      );
    }),
  );

  it(
    "placeOrder() has started the audit entry when it resolves",
    withClock(async (clock) => {
      const db = new FakeDatabase(() => clock.now());
      const audit = new FakeAudit(() => clock.now());
      await placeOrder(db, audit, order, () => {});
      assert.deepEqual(
        audit.started.map((s) => s.entry),
        ["order placed:o-42"],
        `the audit entry is started before placeOrder() resolves (not later, on a timer); started when it resolved: ${
          JSON.stringify(audit.started)
        }`,
      );
      await sleep(100);
    }),
  );

  it(
    "placeOrder() reports nothing when the audit entry is written",
    withClock(async (clock) => {
      const db = new FakeDatabase(() => clock.now());
      const audit = new FakeAudit(() => clock.now());
      const reported: unknown[] = [];
      await placeOrder(db, audit, order, (e) => reported.push(e));
      await sleep(100);
      assert.deepEqual(reported, [], `reportError is for failures only; it got [${reported}]`);
    }),
  );
});

describe("task 5: every()", () => {
  it(
    "every() skips a tick while the previous run is still going",
    withClock(async (clock) => {
      const runs: number[] = [];
      const stop = every(100, async () => {
        runs.push(clock.now());
        await sleep(250);
      }, () => {});
      await sleep(720);
      await stop();
      assert.deepEqual(
        runs,
        [100, 400, 700],
        `a 250 ms run started at t=100 covers the ticks at 200 and 300; runs at [${runs}]`,
      );
    }),
  );

  it(
    "every()'s stop() waits for the run in progress and starts no other",
    withClock(async (clock) => {
      let finished = 0;
      const stop = every(100, async () => {
        await sleep(250);
        finished++;
      }, () => {});
      await sleep(150);
      await stop();
      assert.equal(
        clock.now(),
        350,
        `stop() at t=150 resolves when the run started at t=100 ends (t=350); yours at t=${clock.now()}`,
      );
      assert.equal(finished, 1, "the run in progress was allowed to finish");
      await sleep(500);
      assert.equal(finished, 1, "no run may start after stop()");
    }),
  );

  it(
    "every()'s stop() resolves at once when no run is going",
    withClock(async (clock) => {
      const stop = every(100, async () => {}, () => {});
      await sleep(150);
      await stop();
      assert.equal(
        clock.now(),
        150,
        `nothing to wait for: stop() resolves at once (t=150); yours at t=${clock.now()}`,
      );
      assert.deepEqual(clock.pending(), [], "stop() must clear the timer");
    }),
  );

  it(
    "every() reports a task that throws synchronously and goes on",
    withClock(async (clock) => {
      const runs: number[] = [];
      const reported: unknown[] = [];
      const bug = new Error("thrown before any await");
      const stop = every(100, () => {
        runs.push(clock.now());
        if (runs.length === 2) throw bug;
        return Promise.resolve();
      }, (e) => reported.push(e));
      await sleep(350);
      await stop();
      assert.deepEqual(reported, [bug], `the throw must reach reportError; it got [${reported}]`);
      assert.deepEqual(
        runs,
        [100, 200, 300],
        `the runs go on after the throw; yours ran at [${runs}]`,
      );
    }),
  );

  it(
    "every() reports every failure, one per failed run",
    withClock(async () => {
      const reported: unknown[] = [];
      let n = 0;
      const stop = every(50, async () => {
        n++;
        await sleep(10);
        throw new Error(`run ${n} failed`);
      }, (e) => reported.push((e as Error).message));
      await sleep(170);
      await stop();
      assert.deepEqual(
        reported,
        ["run 1 failed", "run 2 failed", "run 3 failed"],
        `one report per failed run; got [${reported}]`,
      );
    }),
  );

  it(
    "every() rejects an interval of 0, -5, NaN or Infinity with a RangeError",
    withClock(() => {
      for (const intervalMs of [0, -5, NaN, Infinity]) {
        throwsWith(
          () => every(intervalMs, async () => {}, () => {}),
          { name: "RangeError" },
          `every(${intervalMs}, task, reportError)`,
        );
      }
    }),
  );

  it(
    "every() accepts a fractional interval",
    withClock(async () => {
      let runs = 0;
      const stop = every(1.5, async () => void runs++, () => {});
      await sleep(5);
      await stop();
      assert.ok(runs >= 1, `a 1.5 ms interval is valid and runs; yours ran ${runs} times`);
    }),
  );
});

describe("task 6: PromiseTracker", () => {
  it(
    "PromiseTracker.track() returns a promise with the same value, or the very same reason",
    withClock(async () => {
      const tracker = new PromiseTracker();
      const value = { rows: 3 };
      assert.equal(
        await tracker.track(Promise.resolve(value), "query"),
        value,
        "the tracked promise resolves with the same value",
      );
      const reason = new Error("nope");
      await rejectsWith(
        tracker.track(Promise.reject(reason), "failing query"),
        { is: reason },
        "a tracked rejected promise",
      );
      assert.deepEqual(tracker.floating(), [], "both were awaited: nothing floats");
    }),
  );

  it(
    "PromiseTracker counts then(), catch(), finally(), Promise.all() and Promise.race() as observing",
    withClock(async () => {
      const tracker = new PromiseTracker();
      tracker.track(sleep(5), "then").then(() => {});
      tracker.track(sleep(5).then(() => Promise.reject(new Error("x"))), "catch").catch(() => {});
      tracker.track(sleep(5), "finally").finally(() => {});
      await Promise.all([tracker.track(sleep(5), "all")]);
      await Promise.race([tracker.track(sleep(5), "race")]);
      await sleep(10);
      assert.deepEqual(
        tracker.floating(),
        [],
        `every one of them had a handler; yours reported ${JSON.stringify(tracker.floating())}`,
      );
    }),
  );

  it(
    "PromiseTracker does not report a pending promise, and lists it in pending()",
    withClock(async () => {
      const tracker = new PromiseTracker();
      const upload = tracker.track(sleep(100), "slow upload");
      const watched = upload.then(() => "uploaded"); // observed, but still pending
      tracker.track(sleep(50), "slow download");
      await sleep(10);
      assert.deepEqual(
        tracker.floating(),
        [],
        "a promise that has not settled is not floating yet",
      );
      assert.deepEqual(
        tracker.pending(),
        ["slow upload", "slow download"],
        `pending() lists both, in the order tracked, whether observed or not; yours: [${tracker.pending()}]`,
      );
      await sleep(60);
      assert.deepEqual(
        tracker.pending(),
        ["slow upload"],
        `the download settled at t=50; pending: [${tracker.pending()}]`,
      );
      await sleep(60);
      assert.deepEqual(tracker.pending(), [], "both settled");
      assert.equal(await watched, "uploaded", "the observed upload settled normally");
    }),
  );

  it(
    "PromiseTracker takes a promise off the list when a handler is attached after it settled",
    withClock(async () => {
      const tracker = new PromiseTracker();
      const later = tracker.track(sleep(5).then(() => "ready"), "awaited late");
      await sleep(20);
      assert.equal(tracker.floating().length, 1, "settled with nobody awaiting: floating for now");
      assert.equal(await later, "ready", "awaiting it late still gives the value");
      assert.deepEqual(tracker.floating(), [], "once awaited, it is not floating any more");
    }),
  );

  it(
    "PromiseTracker lists floating promises in the order they settled, rejected ones included",
    withClock(async () => {
      const tracker = new PromiseTracker();
      const fail = (ms: number) =>
        sleep(ms).then(() => {
          throw new Error(`failed at t=${ms}`);
        });
      tracker.track(sleep(30), "third");
      tracker.track(sleep(10), "first");
      tracker.track(sleep(20), "second");
      tracker.track(fail(35), "fourth (rejected)");
      tracker.track(fail(5), "zeroth (rejected)");
      tracker.track(fail(15), "between (rejected)");
      await sleep(40);
      assert.deepEqual(
        tracker.floating().map((f) => f.label),
        [
          "zeroth (rejected)",
          "first",
          "between (rejected)",
          "second",
          "third",
          "fourth (rejected)",
        ],
        `by settlement time, not by tracking order, whether they fulfilled or rejected; yours: ${
          JSON.stringify(tracker.floating().map((f) => f.label))
        }`,
      );
    }),
  );

  it(
    "PromiseTracker tracks the same promise twice as two entries, duplicate labels included",
    withClock(async () => {
      const tracker = new PromiseTracker();
      const work = sleep(5);
      await tracker.track(work, "job");
      tracker.track(work, "job");
      tracker.track(sleep(5), "job");
      await sleep(10);
      assert.deepEqual(
        tracker.floating().map((f) => f.label),
        ["job", "job"],
        `the awaited wrapper is fine, the two others float; yours: ${
          JSON.stringify(tracker.floating())
        }`,
      );
    }),
  );

  it(
    "PromiseTracker accepts a thenable that is not a promise",
    withClock(async () => {
      const tracker = new PromiseTracker();
      const thenable: PromiseLike<number> = {
        then(onFulfilled, onRejected) {
          return sleep(5).then(() => 7).then(onFulfilled, onRejected);
        },
      };
      assert.equal(
        await tracker.track(thenable, "thenable"),
        7,
        "a tracked thenable resolves with its value",
      );
    }),
  );

  it(
    "PromiseTracker accepts a bare thenable whose then() returns nothing",
    withClock(async () => {
      const tracker = new PromiseTracker();
      const lost = new Error("lost");
      // A minimal thenable (old libraries, hand-written ones): then() calls back later, returns undefined.
      const bare = (settle: (f: (v: number) => void, r: (e: unknown) => void) => void) =>
        ({
          then(onFulfilled?: (v: number) => unknown, onRejected?: (e: unknown) => unknown) {
            setTimeout(() => settle((v) => onFulfilled?.(v), (e) => onRejected?.(e)), 5);
          },
        }) as unknown as PromiseLike<number>;
      assert.equal(
        await tracker.track(bare((ok) => ok(7)), "bare thenable"),
        7,
        "a tracked bare thenable resolves with its value",
      );
      tracker.track(bare((_ok, fail) => fail(lost)), "bare failing thenable");
      await sleep(10);
      assert.deepEqual(
        tracker.floating(),
        [{ label: "bare failing thenable", state: "rejected", reason: lost }],
        `the unobserved rejected thenable floats with its own reason; yours: ${
          JSON.stringify(tracker.floating(), (_k, v) =>
            v instanceof Error ? `Error(${v.message})` : v)
        }`,
      );
    }),
  );

  it(
    "PromiseTracker reports a promise rejected with undefined as rejected",
    withClock(async () => {
      const tracker = new PromiseTracker();
      tracker.track(Promise.reject(undefined), "void rejection");
      tracker.track(Promise.reject(null), "null rejection");
      await sleep(1);
      const reports = tracker.floating();
      assert.deepEqual(
        reports.map((f) => [f.label, f.state, f.reason]),
        [["void rejection", "rejected", undefined], ["null rejection", "rejected", null]],
        `a rejection is a rejection whatever its reason, even undefined or null; yours: ${
          JSON.stringify(reports.map((f) => [f.label, f.state, String(f.reason)]))
        }`,
      );
    }),
  );

  it(
    "PromiseTracker does not delay the promise it tracks",
    withClock(async (clock) => {
      const tracker = new PromiseTracker();
      await tracker.track(sleep(25), "timed");
      assert.equal(
        clock.now(),
        25,
        `the tracked promise settles when the original does (t=25); yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "PromiseTracker.assertNoneFloating() passes when everything was awaited or is still pending",
    withClock(async () => {
      const tracker = new PromiseTracker();
      await tracker.track(sleep(5), "done");
      const pending = tracker.track(sleep(100), "pending");
      tracker.assertNoneFloating();
      await pending;
    }),
  );

  it(
    "PromiseTracker.assertNoneFloating() names every floating promise, rejected ones included",
    withClock(async () => {
      const tracker = new PromiseTracker();
      tracker.track(sleep(5), "cache warm-up");
      tracker.track(Promise.reject(new Error("boom")), "audit entry");
      await sleep(10);
      const error = throwsWith(
        () => tracker.assertNoneFloating(),
        { name: "FloatingPromiseError" },
        "tracker.assertNoneFloating() with two floating promises",
      ) as Error;
      assert.ok(
        error.message.includes("cache warm-up") && error.message.includes("audit entry"),
        `the message must name both labels; it was: ${error.message}`,
      );
    }),
  );

  it(
    "PromiseTracker finds the floating promises of the given notifyAll()",
    withClock(async () => {
      // How you would use the tracker on the original code: track what send() returns.
      const tracker = new PromiseTracker();
      const mailer = new FakeMailer();
      const tracked = {
        send: (to: string, text: string) => tracker.track(mailer.send(to, text), `send to ${to}`),
      };
      // The original notifyAll(): forEach calls an async callback and drops what it returns.
      ["a@x", "b@x"].forEach((to) => void tracked.send(to, "hi"));
      await sleep(20);
      assert.deepEqual(
        tracker.floating().map((f) => f.label).sort(),
        ["send to a@x", "send to b@x"],
        `both sends settled with nobody awaiting them; yours: ${
          JSON.stringify(tracker.floating())
        }`,
      );
    }),
  );
});
