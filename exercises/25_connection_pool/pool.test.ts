/**
 * Visible tests for 25_connection_pool. Run them with `bun test exercises/25_connection_pool` or
 * `deno test exercises/25_connection_pool`. Time is virtual: the fake database in
 * `given_fake_db.ts` takes 100 ms to open a connection and counts how many are open at once.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { POOL, rejectsWith, throwsWith, watched, withClock } from "../../lib/mod.ts";
import { Pool as LearnerPool } from "./pool.ts";
import { type FakeConnection, fakeDb } from "./given_fake_db.ts";

// Your class, describing its state if a test deadlocks (lib/kit/watched.ts).
const Pool = watched(LearnerPool, POOL);
type Pool<C> = LearnerPool<C>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("task 1: new Pool(), size and idleCount", () => {
  it(
    "new Pool() opens nothing and rejects a max that is not an integer >= 1",
    withClock(() => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 3 });
      assert.equal(
        pool.size,
        0,
        `a new pool has no connection: size should be 0; yours is ${pool.size}`,
      );
      assert.equal(
        pool.idleCount,
        0,
        `a new pool has no idle connection; yours says ${pool.idleCount}`,
      );
      assert.equal(
        db.creates,
        0,
        `a new pool opens connections on demand only; yours called create() ${db.creates} time(s)`,
      );
      throwsWith(
        () => new Pool({ ...db.callbacks, max: 0 }),
        { name: "RangeError" },
        "new Pool({ max: 0 })",
      );
      throwsWith(
        () => new Pool({ ...db.callbacks, max: 2.5 }),
        { name: "RangeError" },
        "new Pool({ max: 2.5 })",
      );
    }),
  );

  it(
    "Pool.size counts a connection while it is being created",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 2 });
      const leasing = pool.acquire();
      await sleep(50); // create() is half way
      assert.equal(
        pool.size,
        1,
        `a connection being created counts: size should be 1 at t=50; yours is ${pool.size}`,
      );
      const lease = await leasing;
      assert.equal(pool.size, 1, `one leased connection: size should be 1; yours is ${pool.size}`);
      assert.equal(
        pool.idleCount,
        0,
        `a leased connection is not idle; idleCount should be 0, yours is ${pool.idleCount}`,
      );
      await lease.release();
      assert.equal(
        pool.idleCount,
        1,
        `a released connection with nobody waiting is idle; idleCount should be 1, yours is ${pool.idleCount}`,
      );
      assert.equal(
        pool.size,
        1,
        `releasing keeps the connection: size should still be 1; yours is ${pool.size}`,
      );
      await pool.drain();
    }),
  );
});

describe("task 2: Pool.acquire() reuses or creates", () => {
  it(
    "Pool.acquire() opens a connection on demand and reuses it after release",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 3 });
      const first = await pool.acquire();
      assert.equal(
        clock.now(),
        100,
        `the first acquire() waits for create() (100 ms): t=100 expected, yours resolved at t=${clock.now()}`,
      );
      await first.release();
      const second = await pool.acquire();
      assert.equal(
        second.connection.id,
        first.connection.id,
        `a released connection should be reused; yours handed out connection ${second.connection.id} instead of ${first.connection.id}`,
      );
      assert.equal(
        db.creates,
        1,
        `reusing means no second create(); yours called create() ${db.creates} times`,
      );
      await second.release();
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() gives a lease that await using releases at the end of the block",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      {
        await using lease = await pool.acquire();
        assert.equal(
          lease.connection.id,
          1,
          `the lease holds the connection (id 1); yours holds ${lease.connection?.id}`,
        );
        assert.equal(pool.idleCount, 0, "while leased, the connection is not idle");
      }
      assert.equal(
        pool.idleCount,
        1,
        `leaving the block disposes the lease: the connection should be idle again; idleCount is ${pool.idleCount}`,
      );
      await pool.drain();
    }),
  );

  it(
    "Pool never opens more than max connections, counting those being created",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 3 });
      await Promise.all(Array.from({ length: 10 }, () => pool.use(() => sleep(50))));
      assert.ok(
        db.maxOpen <= 3,
        `at most 3 connections may be open at once, including ones still being created; yours opened ${db.maxOpen} (reserve the slot before awaiting create())`,
      );
      assert.equal(
        db.creates,
        3,
        `10 users of a pool of 3 should open exactly 3 connections; yours called create() ${db.creates} times`,
      );
      await pool.drain();
    }),
  );

  it(
    "Pool replaces an idle connection that fails validation",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const first = await pool.acquire();
      await first.release();
      first.connection.broken = true; // the server closed it while it sat idle
      const second = await pool.acquire();
      assert.equal(
        second.connection.id,
        2,
        `a connection that fails validate() must be replaced by a new one (id 2); yours handed out connection ${second.connection.id}`,
      );
      assert.equal(
        clock.now(),
        200,
        `the replacement takes one create() (100 ms): t=200 expected, yours resolved at t=${clock.now()}`,
      );
      assert.deepEqual(
        db.destroyCalls,
        [1],
        `the broken connection must be destroyed; destroy() was called for ${
          JSON.stringify(db.destroyCalls)
        }`,
      );
      assert.equal(
        pool.size,
        1,
        `the replacement takes the broken one's slot: size should be 1; yours is ${pool.size}`,
      );
      await second.release();
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() rejects with create()'s error and frees the slot",
    withClock(async () => {
      const db = fakeDb({ failFirstCreates: 1 });
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      await rejectsWith(
        pool.acquire(),
        { message: "connection refused" },
        "acquire() when create() fails",
      );
      assert.equal(
        pool.size,
        0,
        `the failed create() must give its slot back: size should be 0; yours is ${pool.size}`,
      );
      const lease = await pool.acquire();
      assert.equal(
        lease.connection.id,
        1,
        "with the slot free again, the next acquire() opens a connection",
      );
      await lease.release();
      await pool.drain();
    }),
  );

  it(
    "Pool lease released twice gives the connection back once",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 2 });
      const lease = await pool.acquire();
      await lease.release();
      await lease.release();
      assert.equal(
        pool.idleCount,
        1,
        `a second release() must do nothing; yours put the connection back twice (idleCount ${pool.idleCount})`,
      );
      await pool.drain();
    }),
  );

  it(
    "Pool without validate reuses an idle connection as it is",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({
        create: db.callbacks.create,
        destroy: db.callbacks.destroy,
        max: 1,
      });
      const first = await pool.acquire();
      await first.release();
      const again = await pool.acquire();
      assert.equal(
        again.connection,
        first.connection,
        "with no validate option every idle connection is valid: the same connection comes back",
      );
      assert.equal(
        db.creates,
        1,
        `no new connection was needed; yours called create() ${db.creates} times`,
      );
      await again.release();
      await pool.drain();
    }),
  );
});

describe("task 3: waiting in line", () => {
  it(
    "Pool.acquire() serves waiters in FIFO order",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const holder = await pool.acquire();
      const order: string[] = [];
      const waiters = ["w1", "w2", "w3"].map(async (name, i) => {
        await sleep(i * 10);
        const lease = await pool.acquire();
        order.push(`${name}@${clock.now()}`);
        await sleep(100);
        await lease.release();
      });
      await sleep(200);
      assert.equal(
        pool.waiting,
        3,
        `three callers wait in line; waiting should be 3, yours is ${pool.waiting}`,
      );
      await holder.release();
      await Promise.all(waiters);
      assert.deepEqual(
        order,
        ["w1@300", "w2@400", "w3@500"],
        `waiters queued at t=100, 110, 120 are served first come, first served; yours: ${
          order.join(", ")
        }`,
      );
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() rejects with TimeoutError after acquireTimeoutMs and leaves the line",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs: 300 });
      const lease = await pool.acquire();
      await rejectsWith(
        pool.acquire(),
        { name: "TimeoutError" },
        "acquire() while the only connection is leased",
      );
      assert.equal(
        clock.now(),
        400,
        `acquired at t=100, so the second acquire() gives up at t=100+300; yours at t=${clock.now()}`,
      );
      assert.equal(
        pool.waiting,
        0,
        `the timed-out caller must leave the line; waiting is ${pool.waiting}`,
      );
      await lease.release();
      assert.equal(
        pool.idleCount,
        1,
        "the connection released after the timeout goes idle, not to the caller that gave up",
      );
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() aborted while waiting rejects with signal.reason and leaves the line",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const holder = await pool.acquire();
      const controller = new AbortController();
      const reason = new Error("request cancelled");
      const waiting = pool.acquire({ signal: controller.signal });
      await sleep(30);
      controller.abort(reason);
      await rejectsWith(waiting, { is: reason }, "acquire({ signal }) aborted while waiting");
      assert.equal(
        pool.waiting,
        0,
        `the aborted caller must leave the line; waiting is ${pool.waiting}`,
      );
      await holder.release();
      assert.equal(
        pool.idleCount,
        1,
        "nobody waits any more, so the released connection goes idle",
      );
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() aborted after a release picked it, before it resumed, rejects and passes the connection on",
    withClock(async () => {
      // The course-wide late-abort rule, as in CPython: the abort wins until the waiter runs again.
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const holder = await pool.acquire();
      const controller = new AbortController();
      const reason = new Error("too late");
      const second = pool.acquire({ signal: controller.signal });
      const third = pool.acquire();
      await sleep(10);
      void holder.release(); // hands the connection to the second caller...
      controller.abort(reason); // ...which has not resumed yet
      await rejectsWith(second, { is: reason }, "acquire({ signal }) aborted after the hand-over");
      const lease = await third;
      assert.equal(
        lease.connection.id,
        1,
        `the connection must go on to the next waiter; the third caller got connection ${lease.connection.id}`,
      );
      assert.equal(
        db.creates,
        1,
        `no connection may be lost or opened twice; yours called create() ${db.creates} times`,
      );
      await lease.release();
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() times out with a DOMException named TimeoutError",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs: 150 });
      const holder = await pool.acquire(); // create() takes 100 ms
      await rejectsWith(
        pool.acquire(),
        { instanceOf: DOMException, name: "TimeoutError" },
        "acquire() while the only connection is leased, with acquireTimeoutMs 150 (a DOMException, as AbortSignal.timeout() gives)",
      );
      await holder.release();
      await pool.drain();
    }),
  );
});

describe("task 4: Pool.use()", () => {
  it(
    "Pool.use() returns fn's value and releases the connection when fn throws",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      assert.equal(
        await pool.use((conn) => `rows from ${conn.id}`),
        "rows from 1",
        "use() resolves with what fn returned",
      );
      const error = new Error("syntax error in SQL");
      await rejectsWith(
        pool.use(() => Promise.reject(error)),
        { is: error },
        "use() of a failing query",
      );
      assert.equal(
        pool.idleCount,
        1,
        `the connection should be back in the pool after fn threw; idleCount is ${pool.idleCount}`,
      );
      await pool.drain();
    }),
  );
});

describe("task 5: Pool.drain()", () => {
  it(
    "Pool.drain() waits for leases to come back and destroys every connection",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 2 });
      const [a, b] = await Promise.all([pool.acquire(), pool.acquire()]);
      await a.release();
      setTimeout(() => void b.release(), 200);
      await pool.drain();
      assert.equal(
        clock.now(),
        310,
        `drain() should wait for the lease released at t=300, then its destroy (10 ms): t=310 expected, yours resolved at t=${clock.now()}`,
      );
      assert.deepEqual(
        [...db.destroyed].sort(),
        [1, 2],
        `both connections should be destroyed; yours destroyed ${JSON.stringify(db.destroyed)}`,
      );
    }),
  );

  it(
    "Pool.drain() fails waiting and later acquire() calls with InvalidStateError",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const holder = await pool.acquire();
      const waiting = pool.acquire();
      const drained = pool.drain();
      await rejectsWith(
        waiting,
        { name: "InvalidStateError" },
        "an acquire() waiting when drain() is called",
      );
      await rejectsWith(pool.acquire(), { name: "InvalidStateError" }, "acquire() after drain()");
      await holder.release();
      await drained;
      assert.deepEqual(
        db.destroyed,
        [1],
        `the connection is destroyed when it comes back; yours destroyed ${
          JSON.stringify(db.destroyed)
        }`,
      );
    }),
  );
});
