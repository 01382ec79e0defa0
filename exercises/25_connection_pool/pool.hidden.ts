// Hidden tests for the connection pool: the grader runs them; no test runner discovers them by itself.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { Pool } from "./pool.ts";
import { fakeDb, type FakeConnection } from "./fake_db.ts";

describe("Pool (hidden)", () => {
  it("Pool counts connections being created towards max", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 3 });
    const users = Array.from({ length: 10 }, () => pool.use(() => clock.sleep(50)));
    await clock.flush();
    assert.equal(db.creates, 3,
      `10 acquire() calls at t=0 on a pool of 3 should start exactly 3 create() calls; yours started ${db.creates} (reserve the slot before awaiting create())`);
    assert.equal(pool.size, 3, "size counts the 3 connections being created");
    assert.equal(pool.waiting, 10, "all 10 calls wait until a connection is ready");
    await Promise.all(users);
    assert.ok(db.maxAlive <= 3, `at most 3 connections may ever exist; yours had ${db.maxAlive}`);
    assert.equal(db.creates, 3, "the 7 later callers reuse the 3 connections");
    await pool.drain();
  }));

  it("Pool.acquire() serves waiters in FIFO order", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
    const holder = await pool.acquire();
    const order: string[] = [];
    const waiters = ["w1", "w2", "w3"].map(async (name, i) => {
      await clock.sleep(i * 10);
      const lease = await pool.acquire();
      order.push(`${name}@${clock.now()}`);
      await clock.sleep(100);
      await lease.release();
    });
    await clock.sleep(200);
    await holder.release();
    await Promise.all(waiters);
    assert.deepEqual(order, ["w1@300", "w2@400", "w3@500"], "waiters queued at t=100, 110, 120 are served first come, first served");
    await pool.drain();
  }));

  it("Pool.acquire() does not let a newcomer take a released connection from a waiter", withClock(async () => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
    const holder = await pool.acquire();
    let waiterGot: number | undefined;
    const waiter = pool.acquire().then((lease) => {
      waiterGot = lease.connection.id;
      return lease;
    });
    await holder.release();
    const newcomer = pool.acquire();
    assert.equal(pool.idleCount, 0, "release() with someone waiting hands the connection straight over; it never goes idle");
    const first = await waiter;
    assert.equal(waiterGot, 1, "the waiter that was in line gets the released connection");
    await first.release();
    const second = await newcomer;
    assert.equal(second.connection.id, 1, "the newcomer gets it after the waiter");
    await second.release();
    await pool.drain();
  }));

  it("Pool.release() hands the connection to the oldest waiter still waiting", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
    const holder = await pool.acquire();
    const controller = new AbortController();
    const gone = pool.acquire({ signal: controller.signal });
    const live = pool.acquire();
    controller.abort();
    await rejectsWith(gone, { name: "AbortError" }, "the aborted acquire()");
    assert.equal(pool.waiting, 1, "the aborted caller should have left the line");
    setTimeout(() => void holder.release(), 50);
    const lease = await live;
    assert.equal(clock.now(), 150, "the live waiter gets the connection the moment it is released (t=150)");
    await lease.release();
    await pool.drain();
  }));

  it("Pool.acquire() that timed out does not swallow the next connection", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs: 150 });
    const holder = await pool.acquire();
    await rejectsWith(pool.acquire(), { name: "TimeoutError" }, "acquire() while the only connection is leased");
    assert.equal(clock.now(), 250, "acquire() at t=100 with acquireTimeoutMs 150 gives up at t=250");
    assert.equal(pool.waiting, 0, "a timed-out caller must leave the line");
    await clock.sleep(50);
    await holder.release();
    assert.equal(pool.idleCount, 1, "the connection released at t=300 must go back to the pool, not to the caller that gave up");
    const lease = await pool.acquire();
    assert.equal(clock.now(), 300, "the next acquire() gets the idle connection at once");
    assert.equal(db.creates, 1, "no new connection was needed");
    await lease.release();
    await pool.drain();
  }));

  it("Pool.acquire() after a timeout passes the connection to the next live waiter", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs: 150 });
    const holder = await pool.acquire();
    const early = pool.acquire();
    await clock.sleep(50);
    const late = pool.acquire();
    await rejectsWith(early, { name: "TimeoutError" }, "the acquire() queued at t=100");
    await clock.sleep(20);
    await holder.release();
    const lease = await late;
    assert.equal(clock.now(), 270, "released at t=270: the waiter queued at t=150 gets it at once, not the one that timed out at t=250");
    await lease.release();
    await pool.drain();
  }));

  it("Pool.acquire() clears its timeout when it gets a connection", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs: 5000 });
    const lease = await pool.acquire();
    assert.equal(clock.pending().length, 0, "once acquire() got its connection, its 5000 ms timeout must be cleared");
    await lease.release();
    await pool.drain();
  }));

  it("Pool.acquire() with an aborted signal leaves the line and rejects with the reason", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
    const holder = await pool.acquire();
    const controller = new AbortController();
    const reason = new Error("request cancelled");
    const waiting = pool.acquire({ signal: controller.signal });
    setTimeout(() => controller.abort(reason), 30);
    await rejectsWith(waiting, { is: reason }, "acquire() aborted with a custom reason");
    assert.equal(clock.now(), 130, "it rejects when the signal aborts");
    assert.equal(pool.waiting, 0, "and leaves the line");
    await holder.release();
    assert.equal(pool.idleCount, 1, "the next release finds nobody waiting: the connection goes idle");
    await pool.drain();
  }));

  it("Pool.acquire() with an already-aborted signal rejects at once and opens nothing", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
    const reason = new Error("already cancelled");
    await rejectsWith(() => pool.acquire({ signal: AbortSignal.abort(reason) }), { is: reason }, "acquire() with a pre-aborted signal");
    assert.equal(clock.now(), 0, "it should reject at once");
    assert.equal(db.creates, 0, "a pre-aborted acquire() must not open a connection");
    await pool.drain();
  }));

  it("Pool replaces an idle connection that fails validation", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
    const first = await pool.acquire();
    const broken = first.connection;
    await first.release();
    broken.broken = true;
    const second = await pool.acquire();
    assert.notEqual(second.connection.id, broken.id, "a connection that fails validate() must not be handed out");
    assert.equal(second.connection.id, 2, "a new connection replaces it");
    assert.equal(clock.now(), 200, "the replacement takes one create() (100 ms)");
    assert.equal(pool.size, 1, "the replacement takes the broken one's place: still 1 connection");
    await clock.sleep(10);
    assert.deepEqual(db.destroyed, [1], "the broken connection is destroyed");
    await second.release();
    await pool.drain();
  }));

  it("Pool hands out a valid idle connection without creating a new one", withClock(async () => {
    const db = fakeDb();
    let checks = 0;
    const pool = new Pool<FakeConnection>({ ...db.callbacks, validate: (c) => (checks++, !c.broken), max: 2 });
    await (await pool.acquire()).release();
    const lease = await pool.acquire();
    assert.equal(checks, 1, "an idle connection is validated once before it is handed out again");
    assert.equal(db.creates, 1, "a valid idle connection is reused");
    await lease.release();
    await pool.drain();
  }));

  it("Pool lease release() twice gives the connection back once", withClock(async () => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 2 });
    const lease = await pool.acquire();
    await lease.release();
    await lease.release();
    assert.equal(pool.idleCount, 1, "a second release() must be a no-op, not a second copy of the connection in the pool");
    const [a, b] = await Promise.all([pool.acquire(), pool.acquire()]);
    assert.notEqual(a.connection.id, b.connection.id, "two leases must never share one connection");
    await a.release();
    await b.release();
    await pool.drain();
  }));

  it("Pool.use() returns fn's value and releases on success and on throw", withClock(async () => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
    assert.equal(await pool.use((conn) => `rows from ${conn.id}`), "rows from 1", "use() resolves with fn's value");
    const error = new Error("deadlock detected");
    await rejectsWith(pool.use(() => { throw error; }), { is: error }, "use() of a function that throws synchronously");
    await rejectsWith(pool.use(() => Promise.reject(error)), { is: error }, "use() of a function that rejects");
    assert.equal(pool.idleCount, 1, "every use() gave the connection back");
    assert.equal(db.creates, 1, "one connection served all three");
    await pool.drain();
  }));

  it("Pool.acquire() rejects with create()'s error and frees the slot", withClock(async () => {
    const db = fakeDb({ failFirstCreates: 1 });
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
    await rejectsWith(pool.acquire(), { message: "connection refused" }, "acquire() when create() fails");
    assert.equal(pool.size, 0, "a failed create() must give its slot back");
    const lease = await pool.acquire();
    assert.equal(lease.connection.id, 1, "the next acquire() creates again");
    await lease.release();
    await pool.drain();
  }));

  it("Pool.drain() waits for leases, destroys idle connections at once and resolves when all are gone", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 3 });
    const [a, b, c] = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    await a.release();
    setTimeout(() => void b.release(), 100);
    setTimeout(() => void c.release(), 300);
    const drained = pool.drain();
    await clock.sleep(20);
    assert.deepEqual(db.destroyed, [a.connection.id], "the idle connection is destroyed as soon as drain() is called (done by t=110)");
    await drained;
    assert.equal(clock.now(), 410, "drain() resolves after the last lease came back (t=400) and was destroyed (10 ms)");
    assert.equal(db.alive, 0, "every connection is destroyed");
    assert.equal(pool.size, 0, "the pool is empty");
  }));

  it("Pool.drain() fails waiting and later acquire() calls with InvalidStateError", withClock(async () => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
    const holder = await pool.acquire();
    const waiting = pool.acquire();
    const drained = pool.drain();
    await rejectsWith(waiting, { name: "InvalidStateError" }, "an acquire() waiting when drain() is called");
    await rejectsWith(() => pool.acquire(), { name: "InvalidStateError" }, "acquire() after drain()");
    await holder.release();
    await drained;
    assert.deepEqual(db.destroyed, [1], "the connection is destroyed when it comes back");
  }));

  it("Pool.drain() destroys a connection that was still being created", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
    const waiting = pool.acquire();
    waiting.catch(() => {});
    await clock.sleep(50);
    await pool.drain();
    assert.equal(clock.now(), 110, "drain() at t=50 waits for the create() in flight (t=100) and its destroy (t=110)");
    assert.equal(db.alive, 0, "the connection created during drain() is destroyed, not leaked");
  }));

  it("Pool.drain() called twice resolves both calls", withClock(async () => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
    await (await pool.acquire()).release();
    await Promise.all([pool.drain(), pool.drain()]);
    assert.deepEqual(db.destroyed, [1], "the connection is destroyed once");
  }));

  it("Pool rejects invalid options with RangeError", withClock(() => {
    const db = fakeDb();
    throwsWith(() => new Pool<FakeConnection>({ ...db.callbacks, max: 0 }), { name: "RangeError" }, "new Pool({ max: 0 })");
    throwsWith(() => new Pool<FakeConnection>({ ...db.callbacks, max: 1.5 }), { name: "RangeError" }, "new Pool({ max: 1.5 })");
    throwsWith(() => new Pool<FakeConnection>({ ...db.callbacks, max: 2, acquireTimeoutMs: -1 }), { name: "RangeError" },
      "new Pool({ acquireTimeoutMs: -1 })");
  }));
});
