// Visible tests for the connection pool. Run: `bun test exercises/25_connection_pool` or
// `deno test exercises/25_connection_pool`. The fake database in `fake_db.ts` takes 100 ms
// (virtual) to open a connection and counts how many are alive at once.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, withClock } from "../../lib/mod.ts";
import { Pool } from "./pool.ts";
import { fakeDb, type FakeConnection } from "./fake_db.ts";

describe("Pool", () => {
  it("Pool.acquire() opens a connection on demand and reuses it after release", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 3 });
    const first = await pool.acquire();
    assert.equal(clock.now(), 100, "the first acquire() has to wait for create() (100 ms)");
    await first.release();
    const second = await pool.acquire();
    assert.equal(second.connection.id, first.connection.id, "a released connection should be reused");
    assert.equal(db.creates, 1, "reusing means no second create()");
    await second.release();
    await pool.drain();
  }));

  it("Pool.acquire() gives a lease that await using releases at the end of the block", withClock(async () => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
    {
      await using lease = await pool.acquire();
      assert.equal(lease.connection.id, 1, "the lease holds the connection");
      assert.equal(pool.idleCount, 0, "while leased, the connection is not idle");
    }
    assert.equal(pool.idleCount, 1, "leaving the block disposes the lease: the connection is idle again");
    await pool.drain();
  }));

  it("Pool never opens more than max connections, counting those being created", withClock(async () => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 3 });
    await Promise.all(Array.from({ length: 10 }, () => pool.use(() => new Promise((r) => setTimeout(r, 50)))));
    assert.ok(db.maxAlive <= 3,
      `at most 3 connections may exist at once, including ones still being created; yours had ${db.maxAlive} (reserve the slot before awaiting create())`);
    assert.equal(db.creates, 3, "10 users of a pool of 3 should open exactly 3 connections");
    await pool.drain();
  }));

  it("Pool.use() hands connections to waiters in FIFO order as they come back", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 2 });
    const started: string[] = [];
    await Promise.all(["a", "b", "c", "d", "e"].map((name) =>
      pool.use(async () => {
        started.push(`${name}@${clock.now()}`);
        await clock.sleep(50);
      })
    ));
    assert.deepEqual(started, ["a@100", "b@100", "c@150", "d@150", "e@200"],
      "a and b get the 2 new connections at t=100; each release hands the connection straight to the oldest waiter");
    await pool.drain();
  }));

  it("Pool.use() releases the connection when fn throws", withClock(async () => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
    const error = new Error("syntax error in SQL");
    await rejectsWith(pool.use(() => Promise.reject(error)), { is: error }, "use() of a failing query");
    assert.equal(pool.idleCount, 1, "the connection should be back in the pool after fn threw");
    assert.equal(await pool.use((conn) => conn.id), 1, "and the next use() gets it");
    await pool.drain();
  }));

  it("Pool.acquire() rejects with TimeoutError after acquireTimeoutMs", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs: 300 });
    const lease = await pool.acquire();
    await rejectsWith(pool.acquire(), { name: "TimeoutError" }, "acquire() while the only connection is leased");
    assert.equal(clock.now(), 400, "acquired at t=100, so the second acquire() gives up at t=100+300");
    await lease.release();
    await pool.drain();
  }));

  it("Pool.drain() waits for leases to come back and destroys every connection", withClock(async (clock) => {
    const db = fakeDb();
    const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 2 });
    const [a, b] = await Promise.all([pool.acquire(), pool.acquire()]);
    await a.release();
    setTimeout(() => void b.release(), 200);
    await pool.drain();
    assert.equal(clock.now(), 310, "drain() should wait for the lease released at t=300, then its destroy (10 ms)");
    assert.deepEqual([...db.destroyed].sort(), [1, 2], "both connections should be destroyed");
  }));
});
